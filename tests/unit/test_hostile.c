/* tests/unit/test_hostile.c — regressions for what the fuzzers found, and
 * hostile input to the pure parsers that the e2e tests cannot aim at as
 * precisely. */
#include <check.h>
#include <string.h>

#include "cli.h"

/* fuzz_cli: a parse that failed inside a cluster of short options ("-xh")
 * left glibc's getopt pointing into that argv; the next parse went on from
 * there (a use after free when that argv was gone) instead of its own. */
START_TEST(cli_parse_starts_afresh)
{
	struct lsr_options o;
	char err[256];
	char a0[] = "lsrmon", a1[] = "-xh";
	char *bad[] = { a0, a1, NULL };
	ck_assert_int_eq(lsr_cli_parse(2, bad, &o, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "-x"));
	lsr_options_free(&o);
	char b0[] = "lsrmon", b1[] = "--headless";
	char *good[] = { b0, b1, NULL };
	ck_assert_int_eq(lsr_cli_parse(2, good, &o, err, sizeof err), 0);
	ck_assert(o.headless);
	ck_assert(!o.help);
	lsr_options_free(&o);
}
END_TEST

Suite *suite_hostile(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("parsers");
	tcase_add_test(tc, cli_parse_starts_afresh);
	suite_add_tcase(s, tc);
	return s;
}
