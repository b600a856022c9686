/* tests/unit/test_cli.c — command-line parsing: values, errors naming the
 * option, combinations that cannot mean anything. */
#include <check.h>
#include <string.h>

#include "cli.h"

static int parse(struct lsr_options *o, char *err, size_t errlen, int argc, const char **argv)
{
	return lsr_cli_parse(argc, (char **)argv, o, err, errlen);
}

#define PARSE(o, err, ...) \
	parse(o, err, sizeof err, (int)(sizeof((const char *[]){ "lsrmon", __VA_ARGS__ }) / sizeof(char *)), \
	      (const char *[]){ "lsrmon", __VA_ARGS__ })

START_TEST(good_command_line)
{
	struct lsr_options o;
	char err[256];
	ck_assert_int_eq(PARSE(&o, err, "--headless", "--speed", "max", "--scenario", "premature",
	                       "--seed", "7", "--duration", "120", "--sim-patient", "42", "--mark", "150:Decompression",
	                       "--mark", "20:Dura open", "--set", "disappear_trials=12",
	                       "--osc", "osc.udp://127.0.0.1:9000/", "--osc-sweeps", "--pause-at", "30.5"), 0);
	ck_assert(o.headless);
	ck_assert_double_eq(o.speed, 0);
	ck_assert_str_eq(o.scenario, "premature");
	ck_assert_uint_eq(o.seed, 7);
	ck_assert_double_eq(o.duration, 120);
	ck_assert_uint_eq(o.sim_patient, 42);
	ck_assert_int_eq(o.nmarks, 2);
	ck_assert_double_eq(o.marks[0].t, 150);
	ck_assert_str_eq(o.marks[1].label, "Dura open");
	ck_assert_int_eq(o.nsets, 1);
	ck_assert_int_eq(o.nosc, 1);
	ck_assert_double_eq(o.pause_at, 30.5);
	lsr_options_free(&o);
}
END_TEST

START_TEST(defaults_when_absent)
{
	struct lsr_options o;
	char err[256];
	ck_assert_int_eq(PARSE(&o, err, "--headless"), 0);
	ck_assert(o.speed < 0);      /* the mode decides: max headless, 1 on screen */
	ck_assert(o.pause_at < 0);
	ck_assert_double_eq(o.duration, 300);
	ck_assert_ptr_null(o.port);
	lsr_options_free(&o);
}
END_TEST

/* Each bad command line fails and the message names what is wrong. */
static const struct { const char *args[4]; const char *needle; } bad[] = {
	{ { "--bogus" }, "--bogus" },
	{ { "--speed", "0" }, "--speed" },
	{ { "--speed", "abc" }, "--speed" },
	{ { "--speed", "65" }, "--speed" },
	/* numbers are read one way everywhere (src/number.h) */
	{ { "--speed", "0x2" }, "--speed: '0x2' is not a number" },
	{ { "--baud", "9600.0" }, "--baud: '9600.0' is not a number" },
	{ { "--baud", "10" }, "--baud: '10' is out of range" },
	{ { "--seed", "+3" }, "--seed: '+3' is not a number" },
	{ { "--pause-at", "inf" }, "--pause-at: 'inf' is not a number" },
	{ { "--scenario", "nope" }, "--scenario" },
	{ { "--set", "nope=1" }, "nope" },
	{ { "--set", "hp_hz=5" }, "hp_hz" },
	{ { "--duration", "59" }, "--duration" },
	{ { "--seed", "-1" }, "--seed" },
	{ { "--sim-patient", "-1" }, "--sim-patient" },
	{ { "--sim-patient", "1.5" }, "--sim-patient" },
	{ { "--replay", "f.bdf", "--sim-patient", "3" }, "--sim-patient" },
	{ { "--mark", "abc" }, "--mark" },
	{ { "--mark", "10:" }, "--mark" },
	{ { "--mark", "inf:Decompression" }, "--mark" },
	{ { "--baud", "fast" }, "--baud" },
	{ { "--port", "/dev/x", "--replay", "f.bdf" }, "--replay" },
	{ { "--osc-sweeps" }, "--osc" },
	{ { "--port", "/dev/x", "--speed", "2" }, "--speed" },
	{ { "--speed" }, "--speed" },
	{ { "stray" }, "stray" },
};

START_TEST(bad_command_lines)
{
	const char *argv[6] = { "lsrmon" };
	int argc = 1;
	for (int i = 0; i < 4 && bad[_i].args[i]; i++)
		argv[argc++] = bad[_i].args[i];
	struct lsr_options o;
	char err[256] = "";
	ck_assert_int_eq(lsr_cli_parse(argc, (char **)argv, &o, err, sizeof err), -1);
	ck_assert_msg(strstr(err, bad[_i].needle), "'%s' does not name '%s'", err, bad[_i].needle);
	lsr_options_free(&o);
}
END_TEST

Suite *suite_cli(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, good_command_line);
	tcase_add_test(tc, defaults_when_absent);
	tcase_add_loop_test(tc, bad_command_lines, 0, (int)(sizeof bad / sizeof bad[0]));
	suite_add_tcase(s, tc);
	return s;
}
