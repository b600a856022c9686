/* tests/unit/test_case_details.c — the case details: a case file read with
 * file:line errors, the fields' rules, and their way through a recording's
 * annotations and back. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case_details.h"
#include "recnotes.h"

static char path[64];

static void write_file(const char *text)
{
	snprintf(path, sizeof path, "/tmp/lsr-case-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	size_t n = strlen(text);
	ck_assert_int_eq(write(fd, text, n), (ssize_t)n);
	ck_assert_int_eq(close(fd), 0);
}

static void expect_error(const char *text, int line, const char *what)
{
	struct lsr_case_details c;
	char err[300], want[100];
	write_file(text);
	ck_assert_int_eq(lsr_case_details_load(&c, path, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:%d: ", path, line);
	ck_assert_msg(!strncmp(err, want, strlen(want)), "got '%s', want prefix '%s'", err, want);
	ck_assert_msg(strstr(err, what) != NULL, "got '%s', want '%s'", err, what);
	unlink(path);
}

START_TEST(every_field_is_read)
{
	write_file("; the case\n[case]\npatient = MRN123 M 01-JAN-1970 Test_Patient\n"
	           "procedure = MVD\nside = Left\nsurgeon = Dr A\nneurophysiologist = B N\n"
	           "anaesthesia = TIVA\nelectrodes = needle\nnotes = redo ; a comment\n");
	struct lsr_case_details c;
	char err[300];
	ck_assert_msg(lsr_case_details_load(&c, path, err, sizeof err) == 0, "%s", err);
	unlink(path);
	ck_assert_str_eq(c.value[LSR_CASE_PATIENT], "MRN123 M 01-JAN-1970 Test_Patient");
	ck_assert_str_eq(c.value[LSR_CASE_PROCEDURE], "MVD");
	ck_assert_str_eq(c.value[LSR_CASE_SIDE], "left");
	ck_assert_str_eq(c.value[LSR_CASE_SURGEON], "Dr A");
	ck_assert_str_eq(c.value[LSR_CASE_NEUROPHYSIOLOGIST], "B N");
	ck_assert_str_eq(c.value[LSR_CASE_ANAESTHESIA], "TIVA");
	ck_assert_str_eq(c.value[LSR_CASE_ELECTRODES], "needle");
	ck_assert_str_eq(c.value[LSR_CASE_NOTES], "redo");
	ck_assert(lsr_case_details_any(&c));
}
END_TEST

START_TEST(bad_files_say_where)
{
	expect_error("[case]\npatient = A\nward = 3\n", 3, "unknown case detail");
	expect_error("[case]\nside = up\n", 2, "left or right");
	expect_error("[case]\npatient = A\npatient = B\n", 3, "set twice");
	expect_error("patient = A\n", 1, "outside the [case] section");
	expect_error("[case]\n[layout]\nrows = *\n", 2, "one section");
	expect_error("[case]\nnotes = \xff\xfe\n", 2, "UTF-8");
	expect_error("[case]\n  patient = A\n", 2, "indented");
	char longer[400];
	snprintf(longer, sizeof longer, "[case]\nnotes = %0*d\n", LSR_CASE_TEXT_MAX + 1, 0);
	expect_error(longer, 2, "longer than");
	struct lsr_case_details c;
	char err[300];
	ck_assert_int_eq(lsr_case_details_load(&c, "/nonexistent/case.ini", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/case.ini"));
}
END_TEST

static void collect(void *ctx, const char *text)
{
	char (*out)[512] = ctx;
	for (int i = 0; i < 8; i++)
		if (!out[i][0]) {
			ck_assert_uint_lt(strlen(text), 400);
			snprintf(out[i], sizeof out[i], "%s", text);
			return;
		}
	ck_abort_msg("too many case annotations");
}

/* What a recording stores comes back field for field, also the longest
 * values with blanks, '%' and '=' in them. */
START_TEST(round_trip_through_annotations)
{
	struct lsr_case_details c = { 0 }, back = { 0 };
	char err[200], longest[LSR_CASE_TEXT_MAX + 1];
	memset(longest, ' ', LSR_CASE_TEXT_MAX);
	longest[LSR_CASE_TEXT_MAX] = '\0';
	longest[0] = 'x';
	longest[LSR_CASE_TEXT_MAX - 1] = 'y';
	for (int f = 0; f < LSR_CASE_FIELDS; f++) {
		const char *v = f == LSR_CASE_SIDE ? "right" : f == LSR_CASE_NOTES ? longest
		                : "a 100% = b; c";
		ck_assert_int_eq(lsr_case_details_set(&c, lsr_case_details_key((enum lsr_case_field)f), v,
		                                      err, sizeof err), 0);
	}
	char texts[8][512] = { { 0 } };
	lsr_recnotes_case(&c, collect, texts);
	int bad = 0, n = 0;
	for (int i = 0; i < 8 && texts[i][0]; i++, n++)
		ck_assert(lsr_recnotes_apply_case(texts[i], &back, &bad));
	ck_assert_int_ge(n, 2);
	ck_assert_int_eq(bad, 0);
	for (int f = 0; f < LSR_CASE_FIELDS; f++)
		ck_assert_str_eq(back.value[f], c.value[f]);
	ck_assert(!lsr_recnotes_apply_case("lsrmon: params hp_hz=30", &back, &bad));
}
END_TEST

START_TEST(defaults_fill_only_what_is_missing)
{
	struct lsr_case_details c = { 0 }, d = { 0 };
	char err[200];
	ck_assert_int_eq(lsr_case_details_set(&c, "procedure", "MVD", err, sizeof err), 0);
	ck_assert_int_eq(lsr_case_details_set(&d, "procedure", "other", err, sizeof err), 0);
	ck_assert_int_eq(lsr_case_details_set(&d, "electrodes", "needle", err, sizeof err), 0);
	lsr_case_details_fill(&c, &d);
	ck_assert_str_eq(c.value[LSR_CASE_PROCEDURE], "MVD");
	ck_assert_str_eq(c.value[LSR_CASE_ELECTRODES], "needle");
	ck_assert_int_eq(lsr_case_details_set(&c, "surgeon", "a\tb", err, sizeof err), -1);
}
END_TEST

Suite *suite_case_details(void)
{
	Suite *s = suite_create("case_details");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, every_field_is_read);
	tcase_add_test(tc, bad_files_say_where);
	tcase_add_test(tc, round_trip_through_annotations);
	tcase_add_test(tc, defaults_fill_only_what_is_missing);
	suite_add_tcase(s, tc);
	return s;
}
