/* tests/unit/test_number.c — the one number parser (src/number.h): forms,
 * ranges, blanks, overflow, NaN/inf, hex, empty text and fixed-width
 * fields, each against the value a person reads in the text. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
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

/* Ranges are inclusive; overflow and underflow are out of range, never
 * inf, 0 or a wrapped value; a refused value leaves the output alone. */
static const struct {
	const char *text;
	bool integer;
	double lo, hi;
	int status;
	double want;
} ranged[] = {
	{ "1", false, 1, 10000, LSR_NUMBER_OK, 1 },
	{ "10000", false, 1, 10000, LSR_NUMBER_OK, 10000 },
	{ "0.999", false, 1, 10000, LSR_NUMBER_RANGE, 0 },
	{ "10000.001", false, 1, 10000, LSR_NUMBER_RANGE, 0 },
	{ "-0.25", false, 0.25, 64, LSR_NUMBER_RANGE, 0 },
	{ "1e400", false, -DBL_MAX, DBL_MAX, LSR_NUMBER_RANGE, 0 },
	{ "-1e400", false, -DBL_MAX, DBL_MAX, LSR_NUMBER_RANGE, 0 },
	{ "1e-400", false, -DBL_MAX, DBL_MAX, LSR_NUMBER_RANGE, 0 },
	{ "65535", true, 1, 65535, LSR_NUMBER_OK, 65535 },
	{ "65536", true, 1, 65535, LSR_NUMBER_RANGE, 0 },
	{ "0", true, 1, 65535, LSR_NUMBER_RANGE, 0 },
	{ "2147483647", true, 0, 2147483647, LSR_NUMBER_OK, 2147483647 },
	{ "2147483648", true, 0, 2147483647, LSR_NUMBER_RANGE, 0 },
	{ "99999999999999999999", true, 0, 2147483647, LSR_NUMBER_RANGE, 0 },
};

START_TEST(ranges_and_overflow)
{
	double v = -7;
	int n = -7;
	int r = ranged[_i].integer
	        ? lsr_number_int(ranged[_i].text, (int)ranged[_i].lo, (int)ranged[_i].hi, &n)
	        : lsr_number_real(ranged[_i].text, ranged[_i].lo, ranged[_i].hi, &v);
	ck_assert_int_eq(r, ranged[_i].status);
	double got = ranged[_i].integer ? n : v;
	ck_assert_double_eq(got, r == LSR_NUMBER_OK ? ranged[_i].want : -7);
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

/* Spans (a caller says where the number ends, whatever follows) and
 * EDF's ASCII header fields (left-justified by the standard, right-justified
 * by some other programs, space padded, never NUL-terminated).  PLAIN is
 * what a person types into a mark label: no sign, no exponent. */
static const struct {
	const char *text;
	size_t len;
	bool field;
	enum lsr_number_form form;
	int status;
	double want;
} spans[] = {
	{ "2.5 mA", 3, false, LSR_NUMBER_PLAIN, LSR_NUMBER_OK, 2.5 },
	{ "+2", 2, false, LSR_NUMBER_PLAIN, LSR_NUMBER_SYNTAX, 0 },
	{ "2e1", 3, false, LSR_NUMBER_PLAIN, LSR_NUMBER_SYNTAX, 0 },
	{ "12.5", 2, false, LSR_NUMBER_INTEGER, LSR_NUMBER_OK, 12 },
	{ "0x10", 1, false, LSR_NUMBER_INTEGER, LSR_NUMBER_OK, 0 },
	{ "5", 0, false, LSR_NUMBER_DECIMAL, LSR_NUMBER_SYNTAX, 0 },
	{ "256     X", 8, true, LSR_NUMBER_INTEGER, LSR_NUMBER_OK, 256 },
	{ "     2567", 8, true, LSR_NUMBER_INTEGER, LSR_NUMBER_OK, 256 },
	{ "  0.1   ", 8, true, LSR_NUMBER_DECIMAL, LSR_NUMBER_OK, 0.1 },
	{ "-3276.8 ", 8, true, LSR_NUMBER_DECIMAL, LSR_NUMBER_OK, -3276.8 },
	{ "        ", 8, true, LSR_NUMBER_INTEGER, LSR_NUMBER_SYNTAX, 0 },
	{ "2 56    ", 8, true, LSR_NUMBER_INTEGER, LSR_NUMBER_SYNTAX, 0 },
	{ "0x100   ", 8, true, LSR_NUMBER_INTEGER, LSR_NUMBER_SYNTAX, 0 },
	{ "25\0\0    ", 8, true, LSR_NUMBER_INTEGER, LSR_NUMBER_SYNTAX, 0 },
	{ "\t256    ", 8, true, LSR_NUMBER_INTEGER, LSR_NUMBER_SYNTAX, 0 },
	{ "nan     ", 8, true, LSR_NUMBER_DECIMAL, LSR_NUMBER_SYNTAX, 0 },
};

START_TEST(spans_and_fields)
{
	double v = -7;
	int r = spans[_i].field
	        ? lsr_number_field(spans[_i].text, spans[_i].len, spans[_i].form, -1e8, 1e8, &v)
	        : lsr_number_parse(spans[_i].text, spans[_i].len, spans[_i].form, -1e8, 1e8, &v);
	ck_assert_int_eq(r, spans[_i].status);
	ck_assert_double_eq(v, r == LSR_NUMBER_OK ? spans[_i].want : -7);
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
	tcase_add_loop_test(tc, ranges_and_overflow, 0, sizeof ranged / sizeof ranged[0]);
	tcase_add_test(tc, integers_are_digits_only);
	tcase_add_loop_test(tc, spans_and_fields, 0, sizeof spans / sizeof spans[0]);
	tcase_add_test(tc, long_text);
	tcase_add_test(tc, one_message_shape);
	suite_add_tcase(s, tc);
	return s;
}
