/* tests/unit/test_layout.c — layout files: the shipped ones parse, and every
 * malformed file is refused with "file:line: what is wrong". */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ini_file.h"
#include "layout.h"
#include "panes.h"

static char path[64];

static void write_file(const char *text, size_t len)
{
	snprintf(path, sizeof path, "/tmp/lsr-layout-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* Parses `text` and checks the error names the file and `line`, and says
 * `what`. */
static void expect_error(const char *text, size_t len, int line, const char *what)
{
	struct lsr_layout *l = malloc(sizeof *l);
	ck_assert_ptr_nonnull(l);
	char err[300], want[100];
	write_file(text, len);
	ck_assert_int_eq(lsr_layout_parse_file(l, path, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:%d: ", path, line);
	ck_assert_msg(!strncmp(err, want, strlen(want)), "got '%s', want prefix '%s'", err, want);
	ck_assert_msg(strstr(err, what) != NULL, "got '%s', want '%s'", err, what);
	unlink(path);
	free(l);
}
#define EXPECT(text, line, what) expect_error(text, sizeof text - 1, line, what)

static const char minimal[] = "[layout]\nrows = *\n[pane a]\ntype = sweeps\nrow = 1\n";

START_TEST(shipped_layouts_parse)
{
	static const char *const names[] = { "standard", "compact", "wide" };
	struct lsr_layout l;
	char err[300];
	ck_assert_int_eq(lsr_layout_load(&l, names[_i], err, sizeof err), 0);
	ck_assert_str_eq(l.name, names[_i]);
	ck_assert_int_ge(l.npanes, 4);
	struct lsr_params p;
	lsr_params_defaults(&p);
	ck_assert_int_eq(lsr_layout_apply_params(&l, &p, err, sizeof err), 0);
}
END_TEST

/* The pane types man/lsrmon-layout.5 lists: a layout names each, and the
 * screen draws it, through the one table (panes.h). */
START_TEST(pane_types_from_the_one_table)
{
	static const struct { const char *name; enum lsr_pane_type type; } doc[] = {
		{ "banner", LSR_PANE_BANNER }, { "sweeps", LSR_PANE_SWEEPS },
		{ "freerun", LSR_PANE_FREERUN }, { "trend", LSR_PANE_TREND },
		{ "log", LSR_PANE_LOG }, { "status", LSR_PANE_STATUS },
	};
	ck_assert_int_eq(LSR_PANE_TYPE_COUNT, 6);
	struct lsr_layout l;
	char text[128], err[300];
	for (int i = 0; i < 6; i++) {
		int n = snprintf(text, sizeof text, "[layout]\nrows = *\n[pane a]\ntype = %s\nrow = 1\n",
		                 doc[i].name);
		write_file(text, (size_t)n);
		ck_assert_msg(lsr_layout_parse_file(&l, path, err, sizeof err) == 0, "%s", err);
		unlink(path);
		ck_assert_int_eq(l.panes[0].type, doc[i].type);
		ck_assert_str_eq(lsr_pane_types[doc[i].type].name, doc[i].name);
		ck_assert(lsr_pane_types[doc[i].type].draw != NULL);
		ck_assert_uint_ne(lsr_pane_types[doc[i].type].dirty, 0);
	}
	EXPECT("[pane a]\ntype = gauge\n", 2,
	       "'gauge' is not a pane type (banner, sweeps, freerun, trend, log, status)");
}
END_TEST

START_TEST(values_are_read)
{
	static const char text[] =
	    "; comment\n[layout]\nname = t\nrows = 3, 40%, *\n"
	    "[display]\ngain_uv = 50\ntimebase_ms = 5\nstack = 4\naverage = 3\nmode = stack\n"
	    "[colors]\ntrace = magenta\n"
	    "[montage]\n1 = control\nOrbicularis oculi = lsr\nstim_branch = mandibular\n"
	    "[detector]\nreduced_pct = 40\n"
	    "[pane b]\ntype = banner\nrow = 1\n"
	    "[pane s]\ntype = sweeps\nrow = 2\nwidth = 30\nchannels = 0-2, 5\ncolumns = 2\n"
	    "[pane f]\ntype = freerun\nrow = 3\n";
	struct lsr_layout l;
	char err[300];
	write_file(text, sizeof text - 1);
	ck_assert_msg(lsr_layout_parse_file(&l, path, err, sizeof err) == 0, "%s", err);
	unlink(path);
	ck_assert_str_eq(l.name, "t");
	ck_assert_int_eq(l.nrows, 3);
	ck_assert_int_eq(l.rows[1].kind, LSR_SIZE_PERCENT);
	ck_assert_int_eq(l.rows[1].value, 40);
	ck_assert_double_eq(l.gain_uv, 50);
	ck_assert_int_eq(l.average, 3);
	ck_assert(l.stacked);
	ck_assert_int_eq(l.fg[LSR_COLOR_TRACE], 5);
	ck_assert_int_eq(l.npanes, 3);
	ck_assert_uint_eq(l.panes[1].channels, 0x27u);
	ck_assert_int_eq(l.panes[1].width.kind, LSR_SIZE_FIXED);
	ck_assert_int_eq(l.panes[1].width.value, 30);
	struct lsr_params p;
	lsr_params_defaults(&p);
	ck_assert_int_eq(lsr_layout_apply_params(&l, &p, err, sizeof err), 0);
	ck_assert_double_eq(p.reduced_pct, 40);
	ck_assert_int_eq(p.stim_branch, LSR_BRANCH_MANDIBULAR);

	/* Montage: channel number first, then label; others unchanged. */
	struct lsr_stream_config cfg = { .rate = 20000, .channels = 4 };
	strcpy(cfg.labels[0], "Mentalis");
	strcpy(cfg.labels[1], "Orbicularis oris");
	strcpy(cfg.labels[2], "ORBICULARIS OCULI");
	strcpy(cfg.labels[3], "Frontalis");
	enum lsr_role r[4] = { LSR_ROLE_OTHER, LSR_ROLE_LSR, LSR_ROLE_CONTROL, LSR_ROLE_OTHER };
	lsr_layout_apply_montage(&l, &cfg, r);
	ck_assert_int_eq(r[0], LSR_ROLE_OTHER);
	ck_assert_int_eq(r[1], LSR_ROLE_CONTROL); /* by number */
	ck_assert_int_eq(r[2], LSR_ROLE_LSR);     /* by label */
	ck_assert_int_eq(r[3], LSR_ROLE_OTHER);
}
END_TEST

/* A layout is reused from case to case: it may name the team and the
 * room's defaults, never the patient's own details. */
START_TEST(case_defaults_only_for_the_team)
{
	static const char text[] =
	    "[layout]\nrows = *\n[pane b]\ntype = banner\nrow = 1\n"
	    "[case]\nneurophysiologist = B. Neuro\nelectrodes = needle\n"
	    "anaesthesia = TIVA\nprocedure = MVD\n";
	struct lsr_layout *l = malloc(sizeof *l);
	ck_assert_ptr_nonnull(l);
	char err[300];
	write_file(text, sizeof text - 1);
	ck_assert_msg(lsr_layout_parse_file(l, path, err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(l->case_defaults.value[LSR_CASE_NEUROPHYSIOLOGIST], "B. Neuro");
	ck_assert_str_eq(l->case_defaults.value[LSR_CASE_ELECTRODES], "needle");
	ck_assert_str_eq(l->case_defaults.value[LSR_CASE_ANAESTHESIA], "TIVA");
	ck_assert_str_eq(l->case_defaults.value[LSR_CASE_PROCEDURE], "MVD");
	ck_assert_str_eq(l->case_defaults.value[LSR_CASE_PATIENT], "");
	unlink(path);
	free(l);
	static const char *const own[] = { "patient", "side", "surgeon", "notes" };
	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
		char bad[200];
		int n = snprintf(bad, sizeof bad, "[layout]\nrows = *\n[pane b]\ntype = banner\n"
		                 "row = 1\n[case]\nprocedure = MVD\n%s = left\n", own[i]);
		expect_error(bad, (size_t)n, 8, "--case");
	}
	EXPECT("[case]\nprocedure = MVD\nward = 3\n", 3, "unknown case detail");
}
END_TEST

START_TEST(malformed_give_file_and_line)
{
	EXPECT("", 1, "no panes");
	EXPECT("; only a comment\n\n", 2, "no panes");
	EXPECT("[layout]\nrows = *\n\x01\x02\x00\x7f binary\n", 3, "binary");
	EXPECT("[layout]\nrows = *\nname = \xff\xfe\n", 3, "UTF-8");
	EXPECT("[layout]\nrows = *\n[sound]\nvolume = 3\n", 3, "unknown section");
	EXPECT("[layout]\nrows = *\n[empty]\n", 3, "unknown section");
	EXPECT("[layout]\nrows = *\ncolour = red\n", 3, "unknown key");
	EXPECT("[display]\n\ngain_uv = lots\n", 3, "gain_uv");
	EXPECT("[display]\ngain_uv = 0\n", 2, "gain_uv: '0' is out of range");
	/* hex, inf and nan are no more numbers in a layout than in --set */
	EXPECT("[display]\ngain_uv = 0x64\n", 2, "gain_uv: '0x64' is not a number");
	EXPECT("[display]\ntimebase_ms = inf\n", 2, "timebase_ms: 'inf' is not a number");
	EXPECT("[display]\nfreerun_s = nan\n", 2, "freerun_s: 'nan' is not a number");
	EXPECT("[display]\nstack = 0x4\n", 2, "stack: '0x4' is not a number");
	EXPECT("[pane a]\ntype = sweeps\nrow = +1\n", 3, "row: '+1' is not a number");
	EXPECT("[pane a]\ntype = sweeps\nchannels = 0x1\n", 3, "channels");
	EXPECT("[display]\nmode = sideways\n", 2, "mode");
	EXPECT("[colors]\ntrace = mauve\n", 2, "colour");
	EXPECT("[colors]\nsparkle = red\n", 2, "colour role");
	EXPECT("[montage]\n0 = surgeon\n", 2, "role");
	EXPECT("[montage]\n99 = lsr\n", 2, "channel");
	EXPECT("[detector]\nreduced_pct = 99\n", 2, "reduced_pct");
	EXPECT("[detector]\nwarp_factor = 9\n", 2, "warp_factor");
	EXPECT("[layout]\nrows = *\nrows = 3\n", 3, "set twice");
	EXPECT("[layout]\nrows = 3, x\n", 2, "rows");
	EXPECT("[layout]\nrows = 60%, 50%\n", 2, "100%");
	EXPECT("[layout]\nrows = *\n[pane a]\ntype = sweeps\nrow = 1\nwidth = -3\n", 6, "width");
	EXPECT("[layout]\nrows = *\n[pane a]\ntype = sweeps\nrow = 1\nchannels = 3-1\n", 6, "channels");
	EXPECT("[layout]\nrows = *\n[pane a]\ntype = clock\n", 4, "pane type");
	EXPECT("[layout]\nrows = *\n[pane a]\nrow = 1\n", 3, "no type");
	EXPECT("[layout]\nrows = *\n[pane a]\ntype = log\n", 3, "no row");
	EXPECT("[layout]\nrows = *\n[pane a]\ntype = log\nrow = 2\n", 3, "row 2");
	EXPECT("[layout]\nrows = *, 1\n[pane a]\ntype = log\nrow = 1\n", 2, "row 2 has no pane");
	EXPECT("[layout]\nrows = *\n[pane a]\ntype = log\nrow = 1\n[pane a]\n", 6, "twice");
	EXPECT("[layout]\nrows = *\n[pane bad name]\n", 3, "pane name");
	EXPECT("[pane a]\ntype = log\nrow = 1\n", 1, "rows missing");
	/* Syntax errors inih finds itself. */
	EXPECT("[layout]\nrows = *\njust words\n", 3, "syntax");
	EXPECT("[layout\nrows = *\n", 1, "syntax");
	/* inih would join an indented line to the previous value. */
	EXPECT("[layout]\nrows = *\n  name = x\n", 3, "indented");
	EXPECT("[layout]\nname =\n", 2, "no value");
}
END_TEST

START_TEST(overlong_line)
{
	char text[600];
	int n = snprintf(text, sizeof text, "[layout]\nrows = *\ndescription = ");
	memset(text + n, 'x', 300);
	strcpy(text + n + 300, "\n[pane a]\n");
	expect_error(text, strlen(text), 3, "longer than");
	/* 198 bytes is still fine: the limit is exact. */
	n = snprintf(text, sizeof text, "%s[layout]\ndescription = ", minimal);
	memset(text + n, 'y', 198 - 14);
	text[n + 198 - 14] = '\n';
	text[n + 198 - 13] = '\0';
	struct lsr_layout l;
	char err[300];
	write_file(text, strlen(text));
	ck_assert_msg(lsr_layout_parse_file(&l, path, err, sizeof err) == 0, "%s", err);
	unlink(path);
}
END_TEST

START_TEST(thousand_panes)
{
	size_t cap = 1000 * 48 + 64, len = 0;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	len += (size_t)snprintf(text, cap, "[layout]\nrows = *\n");
	for (int i = 0; i < 1000; i++)
		len += (size_t)snprintf(text + len, cap - len, "[pane p%d]\ntype = log\nrow = 1\n", i);
	/* Pane 17 (index 16) is the first one too many: line 3 + 16 * 3. */
	expect_error(text, len, 3 + LSR_LAYOUT_MAX_PANES * 3, "too many panes");
	free(text);
}
END_TEST

START_TEST(ten_megabytes)
{
	size_t len = 10u << 20;
	char *text = malloc(len);
	ck_assert_ptr_nonnull(text);
	/* Comment lines of 100 bytes: the 1 MiB limit falls in line 10486. */
	for (size_t i = 0; i < len; i++)
		text[i] = i % 100 == 99 ? '\n' : i % 100 == 0 ? ';' : 'z';
	expect_error(text, len, (LSR_INI_FILE_MAX / 100) + 1, "larger than");
	free(text);
}
END_TEST

START_TEST(builtin_matches_standard)
{
	/* The fallback when no file is found is a working arrangement. */
	struct lsr_layout b, f;
	char err[300];
	lsr_layout_defaults(&b);
	ck_assert_int_eq(lsr_layout_load(&f, "standard", err, sizeof err), 0);
	ck_assert_int_eq(b.npanes, f.npanes);
	ck_assert_int_eq(b.nrows, f.nrows);
	for (int i = 0; i < b.npanes; i++) {
		ck_assert_str_eq(b.panes[i].name, f.panes[i].name);
		ck_assert_int_eq(b.panes[i].type, f.panes[i].type);
		ck_assert_int_eq(b.panes[i].row, f.panes[i].row);
		ck_assert_int_eq(b.panes[i].width.kind, f.panes[i].width.kind);
		ck_assert_int_eq(b.panes[i].width.value, f.panes[i].width.value);
		ck_assert_uint_eq(b.panes[i].channels, f.panes[i].channels);
	}
	for (int r = 0; r < b.nrows; r++)
		ck_assert(b.rows[r].kind == f.rows[r].kind && b.rows[r].value == f.rows[r].value);
}
END_TEST

START_TEST(man_page_example_parses)
{
	/* The EXAMPLE of lsrmon-layout(5), between .nf and .fi, is a valid
	 * layout. */
	FILE *f = fopen("man/lsrmon-layout.5", "r");
	ck_assert_ptr_nonnull(f);
	char line[256], text[4096] = "";
	bool in = false, seen = false;
	size_t n = 0;
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, ".SH EXAMPLE", 11))
			seen = true;
		else if (seen && !strncmp(line, ".nf", 3))
			in = true;
		else if (in && !strncmp(line, ".fi", 3))
			break;
		else if (in && n + strlen(line) < sizeof text)
			n += (size_t)snprintf(text + n, sizeof text - n, "%s", line);
	}
	fclose(f);
	ck_assert_int_gt(n, 100);
	struct lsr_layout l;
	char err[300];
	write_file(text, n);
	ck_assert_msg(lsr_layout_parse_file(&l, path, err, sizeof err) == 0, "%s", err);
	unlink(path);
	ck_assert_str_eq(l.name, "two");
	ck_assert_int_eq(l.npanes, 5);
}
END_TEST

START_TEST(search_path_and_missing)
{
	struct lsr_layout l;
	char err[400];
	ck_assert_int_eq(lsr_layout_load(&l, "no-such-layout", err, sizeof err), -1);
	ck_assert_msg(strstr(err, "no layout 'no-such-layout'") != NULL, "%s", err);
	ck_assert_int_eq(lsr_layout_load(&l, "/nonexistent/x.ini", err, sizeof err), -1);
	ck_assert_msg(strstr(err, "/nonexistent/x.ini") != NULL, "%s", err);
	ck_assert_int_eq(lsr_layout_load(&l, "layouts/compact.ini", err, sizeof err), 0);
	ck_assert_str_eq(l.name, "compact");
}
END_TEST

Suite *suite_layout(void)
{
	Suite *s = suite_create("layout");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, shipped_layouts_parse, 0, 3);
	tcase_add_test(tc, values_are_read);
	tcase_add_test(tc, pane_types_from_the_one_table);
	tcase_add_test(tc, malformed_give_file_and_line);
	tcase_add_test(tc, case_defaults_only_for_the_team);
	tcase_add_test(tc, overlong_line);
	tcase_add_test(tc, thousand_panes);
	tcase_add_test(tc, ten_megabytes);
	tcase_add_test(tc, builtin_matches_standard);
	tcase_add_test(tc, man_page_example_parses);
	tcase_add_test(tc, search_path_and_missing);
	tcase_set_timeout(tc, 20);
	suite_add_tcase(s, tc);
	return s;
}
