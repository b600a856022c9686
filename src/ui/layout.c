/* src/ui/layout.c — reads layouts/NAME.ini with inih and validates every value,
 * so a bad layout is refused with "file:line: what is wrong". */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ini_file.h"
#include "layout.h"
#include "panes.h"
#include "number.h"

#ifndef LSR_DATADIR
#define LSR_DATADIR "/usr/local/share/lsrmon"
#endif

#define SEEN_MAX 512

static const char *const color_names[LSR_COLOR_COUNT] = {
	"text", "trace", "stack", "baseline", "window", "onset", "mark", "burst",
	"selected", "acquiring", "present", "reduced", "disappeared", "alarm",
	"grid",
};
static const char *const curses_colors[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

/* Parser state: the file (its reader counts lines and checks what inih
 * would silently accept) and what the whole-file checks need. */
struct parse {
	struct lsr_ini_file ini;
	struct lsr_layout *l;
	int rows_line;
	bool pane_section;   /* the current section is a pane */
	int nseen;
	char seen[SEEN_MAX][48];
};

#define fail(p, ...) lsr_ini_file_fail(&(p)->ini, __VA_ARGS__)

static bool valid_name(const char *s, size_t n)
{
	if (n == 0 || n >= sizeof ((struct lsr_layout_pane *)0)->name)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

/* A [section] header: known names only (inih never tells the handler about
 * a section without keys); a pane section creates its pane here. */
static void section_header(void *user, const char *s)
{
	struct parse *p = user;
	const char *end = strchr(s, ']');
	if (!end)
		return; /* inih reports the syntax error */
	size_t n = (size_t)(end - s - 1);
	const char *name = s + 1;
	static const char *const plain[] = { "layout", "display", "colors", "montage", "detector", "case" };
	p->pane_section = false;
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		if (n == strlen(plain[i]) && !strncmp(name, plain[i], n))
			return;
	if (n > 5 && !strncmp(name, "pane ", 5)) {
		struct lsr_layout *l = p->l;
		if (!valid_name(name + 5, n - 5)) {
			fail(p, "pane name must be 1-31 letters, digits, '_' or '-'");
			return;
		}
		for (int i = 0; i < l->npanes; i++)
			if (strlen(l->panes[i].name) == n - 5 && !strncmp(l->panes[i].name, name + 5, n - 5)) {
				fail(p, "pane '%.*s' defined twice (first on line %d)",
				     (int)(n - 5), name + 5, l->panes[i].line);
				return;
			}
		if (l->npanes == LSR_LAYOUT_MAX_PANES) {
			fail(p, "too many panes (at most %d)", LSR_LAYOUT_MAX_PANES);
			return;
		}
		struct lsr_layout_pane *pn = &l->panes[l->npanes++];
		memset(pn, 0, sizeof *pn);
		memcpy(pn->name, name + 5, n - 5);
		pn->type = LSR_PANE_TYPE_COUNT; /* required */
		pn->row = -1;
		pn->width.kind = LSR_SIZE_FILL;
		pn->line = p->ini.line;
		p->pane_section = true;
		return;
	}
	fail(p, "unknown section [%.*s] (layout, display, colors, montage, detector, case, pane NAME)",
	     (int)(n > 60 ? 60 : n), name);
}

static bool parse_int(const char *v, int lo, int hi, int *out)
{
	return lsr_number_int(v, lo, hi, out) == LSR_NUMBER_OK;
}

/* A number-valued key: refused in number.h's one message shape. */
static bool number_key(struct parse *p, const char *key, const char *v, enum lsr_number_form form,
                       double lo, double hi, const char *range, double *out)
{
	int r = lsr_number_parse(v, strlen(v), form, lo, hi, out);
	if (r < 0) {
		char why[sizeof p->ini.err];
		lsr_number_explain(why, sizeof why, key, v, r, range);
		fail(p, "%s", why);
		return false;
	}
	return true;
}

static bool int_key(struct parse *p, const char *key, const char *v, int lo, int hi,
                    const char *range, int *out)
{
	double x;
	if (!number_key(p, key, v, LSR_NUMBER_INTEGER, lo, hi, range, &x))
		return false;
	*out = (int)x;
	return true;
}

/* "12" fixed cells, "40%" of the whole, "*" a share of the rest. */
static bool parse_size(const char *v, struct lsr_size *s)
{
	size_t n = strlen(v);
	if (!strcmp(v, "*")) {
		s->kind = LSR_SIZE_FILL;
		s->value = 0;
		return true;
	}
	char tmp[16];
	if (n == 0 || n >= sizeof tmp)
		return false;
	memcpy(tmp, v, n + 1);
	if (tmp[n - 1] == '%') {
		tmp[n - 1] = '\0';
		s->kind = LSR_SIZE_PERCENT;
		return parse_int(tmp, 1, 100, &s->value);
	}
	s->kind = LSR_SIZE_FIXED;
	return parse_int(tmp, 1, 400, &s->value);
}

static bool parse_rows(struct parse *p, const char *v)
{
	struct lsr_layout *l = p->l;
	char buf[LSR_INI_FILE_LINE_MAX + 1];
	snprintf(buf, sizeof buf, "%s", v);
	l->nrows = 0;
	int pct = 0;
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		for (size_t k = strlen(tok); k && tok[k - 1] == ' '; k--)
			tok[k - 1] = '\0';
		if (l->nrows == LSR_LAYOUT_MAX_ROWS) {
			fail(p, "too many rows (at most %d)", LSR_LAYOUT_MAX_ROWS);
			return false;
		}
		if (!parse_size(tok, &l->rows[l->nrows])) {
			fail(p, "rows: '%.20s' is not a height (N lines, N%%, or *)", tok);
			return false;
		}
		if (l->rows[l->nrows].kind == LSR_SIZE_PERCENT)
			pct += l->rows[l->nrows].value;
		l->nrows++;
	}
	if (l->nrows == 0) {
		fail(p, "rows: empty list");
		return false;
	}
	if (pct > 100) {
		fail(p, "rows: percentages add up to %d%%, more than 100%%", pct);
		return false;
	}
	p->rows_line = p->ini.line;
	return true;
}

/* "all", or numbers and ranges: "0-2,5". */
static bool parse_channels(const char *v, uint32_t *mask)
{
	if (!strcmp(v, "all")) {
		*mask = 0;
		return true;
	}
	uint32_t m = 0;
	const char *s = v;
	while (*s) {
		double a, b;
		size_t n = strspn(s, "0123456789");
		if (lsr_number_parse(s, n, LSR_NUMBER_INTEGER, 0, LSR_MAX_CHANNELS - 1, &a) < 0)
			return false;
		b = a;
		s += n;
		if (*s == '-') {
			n = strspn(++s, "0123456789");
			if (lsr_number_parse(s, n, LSR_NUMBER_INTEGER, a, LSR_MAX_CHANNELS - 1, &b) < 0)
				return false;
			s += n;
		}
		for (int i = (int)a; i <= (int)b; i++)
			m |= 1u << i;
		while (*s == ' ')
			s++;
		if (*s == ',')
			s++;
		else if (*s)
			return false;
		while (*s == ' ')
			s++;
	}
	if (!m)
		return false;
	*mask = m;
	return true;
}

static int lookup(const char *const *names, int n, const char *v)
{
	for (int i = 0; i < n; i++)
		if (!strcasecmp(names[i], v))
			return i;
	return -1;
}

static int pane_type(const char *v)
{
	for (int t = 0; t < LSR_PANE_TYPE_COUNT; t++)
		if (!strcasecmp(lsr_pane_types[t].name, v))
			return t;
	return -1;
}

static bool parse_color(const char *v, short *out)
{
	int i = lookup(curses_colors, 8, v), x;
	if (!strcasecmp(v, "default"))
		*out = -1;
	else if (i >= 0)
		*out = (short)i;
	else if (parse_int(v, 0, 255, &x))
		*out = (short)x;
	else
		return false;
	return true;
}

static bool add_set(struct parse *p, const char *key, const char *value)
{
	struct lsr_layout *l = p->l;
	struct lsr_params scratch;
	char err[160];
	lsr_params_defaults(&scratch);
	if (lsr_params_set(&scratch, key, value, err, sizeof err) < 0) {
		fail(p, "%s", err);
		return false;
	}
	if (l->nset == LSR_LAYOUT_MAX_SET || strlen(key) >= sizeof l->set[0].key ||
	    strlen(value) >= sizeof l->set[0].value) {
		fail(p, "too many or too long detector settings");
		return false;
	}
	snprintf(l->set[l->nset].key, sizeof l->set[0].key, "%s", key);
	snprintf(l->set[l->nset].value, sizeof l->set[0].value, "%s", value);
	l->nset++;
	return true;
}

static void key_pane(struct parse *p, struct lsr_layout_pane *pn, const char *k, const char *v)
{
	int x;
	if (!strcmp(k, "type")) {
		if ((x = pane_type(v)) < 0) {
			char names[LSR_PANE_TYPE_COUNT * 16] = "";
			for (int t = 0, n = 0; t < LSR_PANE_TYPE_COUNT; t++)
				n += snprintf(names + n, sizeof names - (size_t)n, "%s%s", t ? ", " : "",
				              lsr_pane_types[t].name);
			fail(p, "type: '%.20s' is not a pane type (%s)", v, names);
		} else {
			pn->type = (enum lsr_pane_type)x;
		}
	} else if (!strcmp(k, "row")) {
		char range[16];
		snprintf(range, sizeof range, "1-%d", LSR_LAYOUT_MAX_ROWS);
		if (int_key(p, k, v, 1, LSR_LAYOUT_MAX_ROWS, range, &x))
			pn->row = x - 1;
	} else if (!strcmp(k, "width")) {
		if (!parse_size(v, &pn->width))
			fail(p, "width: '%.20s' is not a width (N columns, N%%, or *)", v);
	} else if (!strcmp(k, "channels")) {
		if (!parse_channels(v, &pn->channels))
			fail(p, "channels: '%.30s' is not 'all' or a list like 0-2,5 (channels 0-%d)",
			     v, LSR_MAX_CHANNELS - 1);
	} else if (!strcmp(k, "columns")) {
		int_key(p, "columns", v, 1, 8, "1-8", &pn->columns);
	} else {
		fail(p, "unknown key '%.30s' in a pane (type, row, width, channels, columns)", k);
	}
}

static void key_display(struct parse *p, const char *k, const char *v)
{
	struct lsr_layout *l = p->l;
	if (!strcmp(k, "gain_uv")) {
		number_key(p, k, v, LSR_NUMBER_DECIMAL, 1, 10000, "1-10000 uV per division", &l->gain_uv);
	} else if (!strcmp(k, "control_gain_uv")) {
		number_key(p, k, v, LSR_NUMBER_DECIMAL, 1, 10000, "1-10000 uV per division",
		           &l->control_gain_uv);
	} else if (!strcmp(k, "timebase_ms")) {
		number_key(p, k, v, LSR_NUMBER_DECIMAL, 1, 20, "1-20 ms per division", &l->timebase_ms);
	} else if (!strcmp(k, "stack")) {
		int_key(p, k, v, 0, 16, "0-16 sweeps", &l->stack);
	} else if (!strcmp(k, "average")) {
		int_key(p, k, v, 1, 4, "1-4", &l->average);
	} else if (!strcmp(k, "mode")) {
		if (!strcmp(v, "overlay"))
			l->stacked = false;
		else if (!strcmp(v, "stack"))
			l->stacked = true;
		else
			fail(p, "mode: '%.20s' is not overlay or stack", v);
	} else if (!strcmp(k, "freerun_s")) {
		number_key(p, k, v, LSR_NUMBER_DECIMAL, 1, 60, "1-60 seconds", &l->freerun_s);
	} else {
		fail(p, "unknown key '%.30s' in [display] (gain_uv, control_gain_uv, timebase_ms, stack, average, mode, freerun_s)", k);
	}
}

static void key_montage(struct parse *p, const char *k, const char *v)
{
	struct lsr_layout *l = p->l;
	if (!strcmp(k, "stim_branch")) {
		add_set(p, k, v);
		return;
	}
	int role = lsr_role_parse(v), ch = -1;
	if (role < 0) {
		fail(p, "montage: '%.20s' is not a role (lsr, control, other)", v);
		return;
	}
	char range[16];
	snprintf(range, sizeof range, "0-%d", LSR_MAX_CHANNELS - 1);
	if (isdigit((unsigned char)k[0]) && !int_key(p, "montage: channel", k, 0, LSR_MAX_CHANNELS - 1,
	                                             range, &ch))
		return;
	if (strlen(k) >= LSR_LABEL_MAX || l->nmontage == 2 * LSR_MAX_CHANNELS) {
		fail(p, "montage: too many entries or label too long");
		return;
	}
	struct lsr_layout_montage *m = &l->montage[l->nmontage++];
	m->ch = ch;
	snprintf(m->label, sizeof m->label, "%s", k);
	m->role = (enum lsr_role)role;
}

/* [case]: defaults for the team and the room only (case_details.h). */
static void key_case(struct parse *p, const char *name, const char *value)
{
	enum lsr_case_field f = lsr_case_details_field(name);
	if (f != LSR_CASE_FIELDS && !lsr_case_details_layout_may_set(f)) {
		fail(p, "'%s' belongs to one patient's case: give it with --case FILE, never in a "
		     "layout (a layout is reused for the next patient)", name);
		return;
	}
	char e[160];
	if (lsr_case_details_set(&p->l->case_defaults, name, value, e, sizeof e) < 0)
		fail(p, "%s", e);
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse *p = user;
	struct lsr_layout *l = p->l;
	if (p->ini.err_line)
		return 0;
	char id[48];
	snprintf(id, sizeof id, "%.20s\x1f%.26s", section, name);
	for (int i = 0; i < p->nseen; i++)
		if (!strcmp(p->seen[i], id)) {
			fail(p, "'%.30s' set twice in [%.30s]", name, section);
			return 0;
		}
	if (p->nseen == SEEN_MAX) {
		fail(p, "too many settings");
		return 0;
	}
	snprintf(p->seen[p->nseen++], sizeof p->seen[0], "%s", id);
	if (!*value) {
		fail(p, "'%.30s' has no value", name);
		return 0;
	}
	if (!strcmp(section, "layout")) {
		if (!strcmp(name, "name"))
			snprintf(l->name, sizeof l->name, "%s", value);
		else if (!strcmp(name, "rows"))
			parse_rows(p, value);
		else if (strcmp(name, "description"))
			fail(p, "unknown key '%.30s' in [layout] (name, description, rows)", name);
	} else if (!strcmp(section, "display")) {
		key_display(p, name, value);
	} else if (!strcmp(section, "colors")) {
		int c = lookup(color_names, LSR_COLOR_COUNT, name);
		if (c < 0)
			fail(p, "unknown colour role '%.30s'", name);
		else if (!parse_color(value, &l->fg[c]))
			fail(p, "%s: '%.20s' is not a colour (default, black, red, green, yellow, blue, magenta, cyan, white, 0-255)",
			     name, value);
	} else if (!strcmp(section, "montage")) {
		key_montage(p, name, value);
	} else if (!strcmp(section, "detector")) {
		add_set(p, name, value);
	} else if (!strcmp(section, "case")) {
		key_case(p, name, value);
	} else if (p->pane_section && l->npanes > 0) {
		key_pane(p, &l->panes[l->npanes - 1], name, value);
	} else {
		fail(p, "unknown section [%.30s]", section);
	}
	return !p->ini.err_line;
}

/* Whole-file checks, reported at the line of what they concern. */
static void check_all(struct parse *p)
{
	struct lsr_layout *l = p->l;
	if (l->npanes == 0) {
		fail(p, "no panes: a layout needs [pane NAME] sections");
		return;
	}
	if (!p->rows_line) {
		p->ini.line = 1;
		fail(p, "[layout] rows missing (e.g. rows = 3, *, 8, 1)");
		return;
	}
	bool used[LSR_LAYOUT_MAX_ROWS] = { false };
	for (int i = 0; i < l->npanes; i++) {
		struct lsr_layout_pane *pn = &l->panes[i];
		p->ini.line = pn->line;
		if (pn->type == LSR_PANE_TYPE_COUNT)
			fail(p, "pane '%s' has no type", pn->name);
		else if (pn->row < 0)
			fail(p, "pane '%s' has no row", pn->name);
		else if (pn->row >= l->nrows)
			fail(p, "pane '%s': row %d, but rows lists only %d", pn->name, pn->row + 1, l->nrows);
		else
			used[pn->row] = true;
	}
	p->ini.line = p->rows_line;
	for (int r = 0; r < l->nrows; r++)
		if (!used[r])
			fail(p, "row %d has no pane", r + 1);
	for (int r = 0; r < l->nrows; r++) {
		int pct = 0;
		for (int i = 0; i < l->npanes; i++)
			if (l->panes[i].row == r && l->panes[i].width.kind == LSR_SIZE_PERCENT)
				pct += l->panes[i].width.value, p->ini.line = l->panes[i].line;
		if (pct > 100)
			fail(p, "widths in row %d add up to %d%%, more than 100%%", r + 1, pct);
	}
}

void lsr_layout_defaults(struct lsr_layout *l)
{
	memset(l, 0, sizeof *l);
	snprintf(l->name, sizeof l->name, "built-in");
	l->gain_uv = 100;
	/* A direct response of up to ~3 mV peak to peak stays inside a
	 * channel of 6 divisions at 500 uV each. */
	l->control_gain_uv = 500;
	l->timebase_ms = 10;
	l->stack = 10;
	l->average = 1;
	l->freerun_s = 5;
	/* Baseline and reduced in amber (xterm 172), not yellow: yellow on a
	 * white terminal background cannot be read; amber reads on white and
	 * black, and a terminal of 8 colours shows it as yellow (term.c). */
	static const short fg[LSR_COLOR_COUNT] = {
		-1, 2, -1, 172, 5, 1, 6, 1, 6, 6, 2, 172, 1, 1, -1,
	};
	memcpy(l->fg, fg, sizeof fg);
	/* The same arrangement as layouts/standard.ini. */
	static const struct lsr_size rows[] = {
		{ LSR_SIZE_FIXED, 3 }, { LSR_SIZE_PERCENT, 60 }, { LSR_SIZE_FILL, 0 }, { LSR_SIZE_FIXED, 1 },
	};
	static const struct { enum lsr_pane_type type; int row, pct; } panes[] = {
		{ LSR_PANE_BANNER, 0, 0 }, { LSR_PANE_SWEEPS, 1, 60 }, { LSR_PANE_TREND, 1, 0 },
		{ LSR_PANE_FREERUN, 2, 60 }, { LSR_PANE_LOG, 2, 0 }, { LSR_PANE_STATUS, 3, 0 },
	};
	l->nrows = 4;
	memcpy(l->rows, rows, sizeof rows);
	l->npanes = 6;
	for (int i = 0; i < 6; i++) {
		struct lsr_layout_pane *p = &l->panes[i];
		snprintf(p->name, sizeof p->name, "%s", lsr_pane_types[panes[i].type].name);
		p->type = panes[i].type;
		p->row = panes[i].row;
		p->width = (struct lsr_size){ panes[i].pct ? LSR_SIZE_PERCENT : LSR_SIZE_FILL, panes[i].pct };
		p->channels = panes[i].type == LSR_PANE_SWEEPS || panes[i].type == LSR_PANE_FREERUN ? 0x7u : 0;
	}
}

int lsr_layout_parse_file(struct lsr_layout *l, const char *path, char *err, size_t errlen)
{
	struct parse *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	lsr_layout_defaults(l);
	l->name[0] = '\0';
	l->npanes = l->nrows = 0;
	snprintf(l->path, sizeof l->path, "%s", path);
	p->l = l;
	p->ini = (struct lsr_ini_file){ .what = "layout file", .section = section_header,
	                                .entry = handler, .user = p };
	int ret = lsr_ini_file_parse(&p->ini, path, err, errlen);
	if (ret == 0) {
		check_all(p);
		if (p->ini.err_line) {
			snprintf(err, errlen, "%s:%d: %s", path, p->ini.err_line, p->ini.err);
			ret = -1;
		}
	}
	if (ret == 0 && !l->name[0]) {
		const char *b = strrchr(path, '/');
		snprintf(l->name, sizeof l->name, "%s", b ? b + 1 : path);
	}
	free(p);
	return ret;
}

int lsr_layout_load(struct lsr_layout *l, const char *name, char *err, size_t errlen)
{
	size_t n = strlen(name);
	if (strchr(name, '/') || (n > 4 && !strcmp(name + n - 4, ".ini")))
		return lsr_layout_parse_file(l, name, err, errlen);
	if (!valid_name(name, n)) {
		snprintf(err, errlen, "--layout: '%.40s' is not a layout name or file", name);
		return -1;
	}
	char dirs[3][200];
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	snprintf(dirs[0], sizeof dirs[0], "./layouts");
	if (xdg && *xdg)
		snprintf(dirs[1], sizeof dirs[1], "%s/lsrmon/layouts", xdg);
	else
		snprintf(dirs[1], sizeof dirs[1], "%s/.config/lsrmon/layouts", home ? home : "");
	snprintf(dirs[2], sizeof dirs[2], "%s/layouts", LSR_DATADIR);
	for (int i = 0; i < 3; i++) {
		char path[260];
		snprintf(path, sizeof path, "%.200s/%.40s.ini", dirs[i], name);
		FILE *f = fopen(path, "rb");
		if (f) {
			fclose(f);
			return lsr_layout_parse_file(l, path, err, errlen);
		}
	}
	snprintf(err, errlen, "--layout: no layout '%s' in %s, %s or %s", name, dirs[0], dirs[1], dirs[2]);
	return -1;
}

int lsr_layout_apply_params(const struct lsr_layout *l, struct lsr_params *p, char *err, size_t errlen)
{
	for (int i = 0; i < l->nset; i++) {
		char e[160];
		if (lsr_params_set(p, l->set[i].key, l->set[i].value, e, sizeof e) < 0) {
			snprintf(err, errlen, "%s: %s", l->path, e);
			return -1;
		}
	}
	return 0;
}

void lsr_layout_apply_montage(const struct lsr_layout *l, const struct lsr_stream_config *cfg,
                              enum lsr_role *roles)
{
	for (int c = 0; l && c < cfg->channels && c < LSR_MAX_CHANNELS; c++) {
		int found = -1;
		for (int i = 0; i < l->nmontage && found < 0; i++)
			if (l->montage[i].ch == c)
				found = (int)l->montage[i].role;
		for (int i = 0; i < l->nmontage && found < 0; i++)
			if (l->montage[i].ch < 0 && !strcasecmp(l->montage[i].label, cfg->labels[c]))
				found = (int)l->montage[i].role;
		if (found >= 0)
			roles[c] = (enum lsr_role)found;
	}
}
