/* tests/unit/test_number.c — the one number parser (src/number.h): forms,
 * ranges, blanks, overflow, NaN/inf, hex, empty text and fixed-width
 * fields, each against the value a person reads in the text. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <string.h>

#include "number.h"

static const struct { const char *text; double want; } decimals[] = {
	{ "0", 0 }, { "100", 100 }, { "-2.5", -2.5 }, { "+7", 7 }, { ".5", 0.5 },
	{ "5.", 5 }, { "1e3", 1000 }, { "2.5E-2", 0.025 }, { "-1e+2", -100 },
	{ "0012", 12 },
};

START_TEST(decimals_read_as_written)
{
	double v = -99;
	ck_assert_int_eq(lsr_number_real(decimals[_i].text, -DBL_MAX, DBL_MAX, &v), LSR_NUMBER_OK);
	ck_assert_double_eq(v, decimals[_i].want);
}
END_TEST

/* Everything strtod alone would take, or take part of, and a person would
 * not call a decimal number. */
static const char *const not_numbers[] = {
	"", " ", "0x64", "0X10", "inf", "-inf", "INFINITY", "nan", "NaN(1)", " 5", "5 ",
	"5\n", "\t5", "5x", "1,5", "1.2.3", "e5", "1e", "1e+", ".", "+", "-", "--1", "+-1",
	"0x1p3", "1_000", "١",
};

START_TEST(not_numbers_are_refused)
{
	double v = 42;
	ck_assert_int_eq(lsr_number_real(not_numbers[_i], -DBL_MAX, DBL_MAX, &v), LSR_NUMBER_SYNTAX);
	ck_assert_double_eq(v, 42); /* left alone */
	int n = 42;
	ck_assert_int_eq(lsr_number_int(not_numbers[_i], 0, 1000, &n), LSR_NUMBER_SYNTAX);
	ck_assert_int_eq(n, 42);
}
END_TEST

START_TEST(ranges_are_inclusive_and_checked)
{
	double v;
	ck_assert_int_eq(lsr_number_real("1", 1, 10000, &v), LSR_NUMBER_OK);
	ck_assert_int_eq(lsr_number_real("10000", 1, 10000, &v), LSR_NUMBER_OK);
	ck_assert_int_eq(lsr_number_real("0.999", 1, 10000, &v), LSR_NUMBER_RANGE);
	ck_assert_int_eq(lsr_number_real("10000.001", 1, 10000, &v), LSR_NUMBER_RANGE);
	ck_assert_int_eq(lsr_number_real("-0.25", 0.25, 64, &v), LSR_NUMBER_RANGE);
	int n = 7;
	ck_assert_int_eq(lsr_number_int("65535", 1, 65535, &n), LSR_NUMBER_OK);
	ck_assert_int_eq(n, 65535);
	ck_assert_int_eq(lsr_number_int("65536", 1, 65535, &n), LSR_NUMBER_RANGE);
	ck_assert_int_eq(lsr_number_int("0", 1, 65535, &n), LSR_NUMBER_RANGE);
	ck_assert_int_eq(n, 65535);
}
END_TEST

/* Overflow is a number out of range, never inf or a wrapped value. */
START_TEST(overflow_is_out_of_range)
{
	double v = 3;
	ck_assert_int_eq(lsr_number_real("1e400", -DBL_MAX, DBL_MAX, &v), LSR_NUMBER_RANGE);
	ck_assert_int_eq(lsr_number_real("-1e400", -DBL_MAX, DBL_MAX, &v), LSR_NUMBER_RANGE);
	ck_assert_int_eq(lsr_number_real("1e-400", -DBL_MAX, DBL_MAX, &v), LSR_NUMBER_RANGE);
	ck_assert_double_eq(v, 3);
	int n = 3;
	ck_assert_int_eq(lsr_number_int("99999999999999999999", 0, 2147483647, &n), LSR_NUMBER_RANGE);
	ck_assert_int_eq(lsr_number_int("2147483648", 0, 2147483647, &n), LSR_NUMBER_RANGE);
	ck_assert_int_eq(lsr_number_int("2147483647", 0, 2147483647, &n), LSR_NUMBER_OK);
	ck_assert_int_eq(n, 2147483647);
}
END_TEST

START_TEST(integers_are_digits_only)
{
	int n = 5;
	ck_assert_int_eq(lsr_number_int("+3", 0, 10, &n), LSR_NUMBER_SYNTAX);
	ck_assert_int_eq(lsr_number_int("-3", -10, 10, &n), LSR_NUMBER_SYNTAX);
	ck_assert_int_eq(lsr_number_int("3.0", 0, 10, &n), LSR_NUMBER_SYNTAX);
	ck_assert_int_eq(lsr_number_int("1e1", 0, 100, &n), LSR_NUMBER_SYNTAX);
	ck_assert_int_eq(n, 5);
	ck_assert_int_eq(lsr_number_int("007", 0, 10, &n), LSR_NUMBER_OK);
	ck_assert_int_eq(n, 7);
}
END_TEST

/* What a person types into a mark label: no sign, no exponent. */
START_TEST(plain_form_and_spans)
{
	double v = 0;
	ck_assert_int_eq(lsr_number_parse("2.5 mA", 3, LSR_NUMBER_PLAIN, 0, 100, &v), LSR_NUMBER_OK);
	ck_assert_double_eq(v, 2.5);
	ck_assert_int_eq(lsr_number_parse("+2", 2, LSR_NUMBER_PLAIN, 0, 100, &v), LSR_NUMBER_SYNTAX);
	ck_assert_int_eq(lsr_number_parse("2e1", 3, LSR_NUMBER_PLAIN, 0, 100, &v), LSR_NUMBER_SYNTAX);
	/* a span ends where the caller says, whatever follows it */
	ck_assert_int_eq(lsr_number_parse("12.5", 2, LSR_NUMBER_INTEGER, 0, 100, &v), LSR_NUMBER_OK);
	ck_assert_double_eq(v, 12);
	ck_assert_int_eq(lsr_number_parse("0x10", 1, LSR_NUMBER_INTEGER, 0, 100, &v), LSR_NUMBER_OK);
	ck_assert_double_eq(v, 0);
	ck_assert_int_eq(lsr_number_parse("5", 0, LSR_NUMBER_DECIMAL, 0, 100, &v), LSR_NUMBER_SYNTAX);
}
END_TEST

/* A whole string has no length limit (an ASCII sample line of zeros), a
 * span past LSR_NUMBER_SPAN_MAX is refused rather than cut. */
START_TEST(long_text)
{
	char s[1100];
	memset(s, '0', sizeof s - 2);
	s[sizeof s - 2] = '1';
	s[sizeof s - 1] = '\0';
	double v = 0;
	ck_assert_int_eq(lsr_number_real(s, 0, 10, &v), LSR_NUMBER_OK);
	ck_assert_double_eq(v, 1);
	ck_assert_int_eq(lsr_number_parse(s, LSR_NUMBER_SPAN_MAX, LSR_NUMBER_INTEGER, 0, 10, &v),
	                 LSR_NUMBER_OK);
	ck_assert_double_eq(v, 0);
	ck_assert_int_eq(lsr_number_parse(s, LSR_NUMBER_SPAN_MAX + 1, LSR_NUMBER_INTEGER, 0, 10, &v),
	                 LSR_NUMBER_SYNTAX);
}
END_TEST

/* EDF's ASCII header fields: left-justified by the standard, right-justified
 * by some other programs, always space padded and never NUL-terminated. */
START_TEST(fixed_width_fields)
{
	double v = 0;
	ck_assert_int_eq(lsr_number_field("256     X", 8, LSR_NUMBER_INTEGER, 0, 1e8, &v), LSR_NUMBER_OK);
	ck_assert_double_eq(v, 256);
	ck_assert_int_eq(lsr_number_field("     2567", 8, LSR_NUMBER_INTEGER, 0, 1e8, &v), LSR_NUMBER_OK);
	ck_assert_double_eq(v, 256);
	ck_assert_int_eq(lsr_number_field("  0.1   ", 8, LSR_NUMBER_DECIMAL, 0, 1e8, &v), LSR_NUMBER_OK);
	ck_assert_double_eq(v, 0.1);
	ck_assert_int_eq(lsr_number_field("-3276.8 ", 8, LSR_NUMBER_DECIMAL, -1e8, 1e8, &v), LSR_NUMBER_OK);
	ck_assert_double_eq(v, -3276.8);
	v = 9;
	ck_assert_int_eq(lsr_number_field("        ", 8, LSR_NUMBER_INTEGER, 0, 1e8, &v), LSR_NUMBER_SYNTAX);
	ck_assert_int_eq(lsr_number_field("2 56    ", 8, LSR_NUMBER_INTEGER, 0, 1e8, &v), LSR_NUMBER_SYNTAX);
	ck_assert_int_eq(lsr_number_field("0x100   ", 8, LSR_NUMBER_INTEGER, 0, 1e8, &v), LSR_NUMBER_SYNTAX);
	ck_assert_int_eq(lsr_number_field("25\0\0    ", 8, LSR_NUMBER_INTEGER, 0, 1e8, &v), LSR_NUMBER_SYNTAX);
	ck_assert_int_eq(lsr_number_field("\t256    ", 8, LSR_NUMBER_INTEGER, 0, 1e8, &v), LSR_NUMBER_SYNTAX);
	ck_assert_int_eq(lsr_number_field("nan     ", 8, LSR_NUMBER_DECIMAL, -1e8, 1e8, &v), LSR_NUMBER_SYNTAX);
	ck_assert_double_eq(v, 9);
}
END_TEST

START_TEST(one_message_shape)
{
	char err[120];
	double v;
	int r = lsr_number_real("0x64", 1, 10000, &v);
	ck_assert_int_eq(lsr_number_explain(err, sizeof err, "gain_uv", "0x64", r, "1-10000"), -1);
	ck_assert_str_eq(err, "gain_uv: '0x64' is not a number");
	r = lsr_number_real("0", 1, 10000, &v);
	lsr_number_explain(err, sizeof err, "gain_uv", "0", r, "1-10000 uV per division");
	ck_assert_str_eq(err, "gain_uv: '0' is out of range (1-10000 uV per division)");
}
END_TEST

Suite *suite_number(void)
{
	Suite *s = suite_create("number");
	TCase *tc = tcase_create("number");
	tcase_add_loop_test(tc, decimals_read_as_written, 0, sizeof decimals / sizeof decimals[0]);
	tcase_add_loop_test(tc, not_numbers_are_refused, 0, sizeof not_numbers / sizeof not_numbers[0]);
	tcase_add_test(tc, ranges_are_inclusive_and_checked);
	tcase_add_test(tc, overflow_is_out_of_range);
	tcase_add_test(tc, integers_are_digits_only);
	tcase_add_test(tc, plain_form_and_spans);
	tcase_add_test(tc, long_text);
	tcase_add_test(tc, fixed_width_fields);
	tcase_add_test(tc, one_message_shape);
	suite_add_tcase(s, tc);
	return s;
}
