/* src/montage.c — channel roles from --montage SPEC and from labels. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "montage.h"
#include "number.h"

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static int role_parse_nocase(const char *s, size_t len)
{
	static const char *const names[] = { "lsr", "control", "other" };
	for (int i = 0; i < 3; i++)
		if (strlen(names[i]) == len && strncasecmp(s, names[i], len) == 0)
			return i;
	return -1;
}

int lsr_montage_parse(const char *spec, struct lsr_montage *m, char *err, size_t errlen)
{
	struct lsr_montage out;
	memset(&out, 0, sizeof out);
	if (!spec || !*skip_space(spec)) {
		snprintf(err, errlen, "--montage: empty; expected e.g. 0:lsr,1:lsr,2:control");
		return -1;
	}
	const char *p = spec;
	for (;;) {
		const char *item = skip_space(p);
		const char *end = strchr(item, ',');
		size_t ilen = end ? (size_t)(end - item) : strlen(item);
		while (ilen > 0 && (item[ilen - 1] == ' ' || item[ilen - 1] == '\t'))
			ilen--;
		const char *colon = memchr(item, ':', ilen);
		if (ilen == 0 || !colon || !isdigit((unsigned char)item[0])) {
			snprintf(err, errlen, "--montage: item '%.*s' is not INDEX:ROLE (e.g. 2:control)",
			         (int)ilen, item);
			return -1;
		}
		/* The index: decimal digits only, then optional blanks before ':'. */
		size_t ndig = strspn(item, "0123456789");
		double v = 0;
		if (skip_space(item + ndig) != colon) {
			snprintf(err, errlen, "--montage: item '%.*s': channel index is not a number",
			         (int)ilen, item);
			return -1;
		}
		if (lsr_number_parse(item, ndig, LSR_NUMBER_INTEGER, 0, LSR_MAX_CHANNELS - 1, &v) < 0) {
			snprintf(err, errlen, "--montage: item '%.*s': channel index out of range 0-%d",
			         (int)ilen, item, LSR_MAX_CHANNELS - 1);
			return -1;
		}
		int idx = (int)v;
		const char *r = skip_space(colon + 1);
		int role = role_parse_nocase(r, (size_t)(item + ilen - r));
		if (role < 0) {
			snprintf(err, errlen, "--montage: item '%.*s': unknown role '%.*s' (lsr, control, other)",
			         (int)ilen, item, (int)(item + ilen - r), r);
			return -1;
		}
		if (out.set[idx]) {
			snprintf(err, errlen, "--montage: channel %d named twice", idx);
			return -1;
		}
		out.set[idx] = true;
		out.role[idx] = (enum lsr_role)role;
		if (!end)
			break;
		p = end + 1;
	}
	*m = out;
	return 0;
}

int lsr_montage_apply(const struct lsr_montage *m, int nch, enum lsr_role *roles,
                      char *err, size_t errlen)
{
	for (int c = nch < 0 ? 0 : nch; c < LSR_MAX_CHANNELS; c++)
		if (m->set[c]) {
			snprintf(err, errlen, "--montage: channel %d does not exist (the stream has %d: 0-%d)",
			         c, nch, nch - 1);
			return -1;
		}
	for (int c = 0; c < nch && c < LSR_MAX_CHANNELS; c++)
		if (m->set[c])
			roles[c] = m->role[c];
	return 0;
}

/* Lower-case, '_'/'-'/tabs as spaces, runs of spaces collapsed, so
 * "Orbicularis_Oculi" and "orbicularis  oculi" read the same. */
static void normalise(const char *in, char *out, size_t len)
{
	size_t o = 0;
	bool space = true; /* drops leading blanks */
	for (; *in && o + 1 < len; in++) {
		unsigned char c = (unsigned char)*in;
		if (c == '_' || c == '-' || c == ' ' || c == '\t') {
			if (!space)
				out[o++] = ' ';
			space = true;
		} else {
			out[o++] = (char)tolower(c);
			space = false;
		}
	}
	out[o] = '\0';
}

enum lsr_role lsr_montage_role_from_label(const char *label, enum lsr_stim_branch branch)
{
	if (!label)
		return LSR_ROLE_OTHER;
	char n[LSR_LABEL_MAX * 2];
	normalise(label, n, sizeof n);
	/* Also the abbreviations of a recording's EDF labels ("EMG Orb oris",
	 * recnotes.h), for a file whose stored montage was lost. */
	bool lower_face = strstr(n, "mentalis") || strstr(n, "orbicularis oris") ||
	                  strstr(n, "orb oris");
	bool eye = strstr(n, "orbicularis oculi") || strstr(n, "orb oculi");
	if (lower_face == eye) /* neither, or an ambiguous label naming both */
		return LSR_ROLE_OTHER;
	bool zyg = branch == LSR_BRANCH_ZYGOMATIC;
	if (lower_face)
		return zyg ? LSR_ROLE_LSR : LSR_ROLE_CONTROL;
	return zyg ? LSR_ROLE_CONTROL : LSR_ROLE_LSR;
}

void lsr_montage_from_labels(int nch, const char *const *labels,
                             enum lsr_stim_branch branch, enum lsr_role *roles)
{
	for (int c = 0; c < nch && c < LSR_MAX_CHANNELS; c++)
		roles[c] = lsr_montage_role_from_label(labels ? labels[c] : NULL, branch);
}

void lsr_montage_format(int nch, const enum lsr_role *roles, char *buf, size_t len)
{
	if (len == 0)
		return;
	buf[0] = '\0';
	size_t o = 0;
	for (int c = 0; c < nch && c < LSR_MAX_CHANNELS; c++) {
		int w = snprintf(buf + o, len - o, "%s%d:%s", c ? "," : "", c, lsr_role_name(roles[c]));
		if (w < 0 || (size_t)w >= len - o) {
			buf[o] = '\0'; /* whole items only: never a cut role name */
			return;
		}
		o += (size_t)w;
	}
}
