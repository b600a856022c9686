/* tests/unit/test_params.c — the parameter table: defaults, --set parsing,
 * ranges and cross-checks. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "params.h"

START_TEST(defaults_match_interface)
{
	struct lsr_params p;
	lsr_params_defaults(&p);
	ck_assert_double_eq(p.min_rate_hz, 5000);
	ck_assert_double_eq(p.lp_hz, 3000);
	ck_assert_int_eq(p.baseline_trials, 10);
	ck_assert_int_eq(p.disappear_trials, 10);
	ck_assert_int_eq(p.stim_source, LSR_STIM_SOURCE_AUTO);
	ck_assert_str_eq(p.button_label, "Button");
	char err[128];
	ck_assert_int_eq(lsr_params_check(&p, err, sizeof err), 0);
}
END_TEST

START_TEST(set_accepts_and_rejects)
{
	struct lsr_params p;
	char err[160];
	lsr_params_defaults(&p);
	ck_assert_int_eq(lsr_params_set_kv(&p, "disappear_trials=12", err, sizeof err), 0);
	ck_assert_int_eq(p.disappear_trials, 12);
	ck_assert_int_eq(lsr_params_set_kv(&p, "stim_branch=Mandibular", err, sizeof err), 0);
	ck_assert_int_eq(p.stim_branch, LSR_BRANCH_MANDIBULAR);

	ck_assert_int_eq(lsr_params_set_kv(&p, "nope=1", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "nope"));
	ck_assert_int_eq(lsr_params_set_kv(&p, "disappear_trials=2", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "range"));
	ck_assert_int_eq(lsr_params_set_kv(&p, "disappear_trials=4.5", err, sizeof err), -1);
	ck_assert_int_eq(lsr_params_set_kv(&p, "hp_hz=nan", err, sizeof err), -1);
	ck_assert_int_eq(lsr_params_set_kv(&p, "hp_hz=0x10", err, sizeof err), -1);
	ck_assert_str_eq(err, "hp_hz: '0x10' is not a number");
	ck_assert_int_eq(lsr_params_set_kv(&p, "baseline_trials=0x10", err, sizeof err), -1);
	ck_assert_str_eq(err, "baseline_trials: '0x10' is not a number");
	ck_assert_int_eq(lsr_params_set_kv(&p, "baseline_trials=30", err, sizeof err), -1);
	ck_assert_str_eq(err, "baseline_trials: '30' is out of range (5-20)");
	ck_assert_int_eq(lsr_params_set_kv(&p, "notch_hz=55", err, sizeof err), -1);
	ck_assert_int_eq(lsr_params_set_kv(&p, "hp_hz", err, sizeof err), -1);
	ck_assert_int_eq(p.disappear_trials, 12); /* failed sets change nothing */
}
END_TEST

START_TEST(cross_checks)
{
	struct lsr_params p;
	char err[160];
	lsr_params_defaults(&p);
	ck_assert_int_eq(lsr_params_set_kv(&p, "lsr_from_ms=25", err, sizeof err), 0);
	ck_assert_int_eq(lsr_params_check(&p, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "lsr_from_ms"));
}
END_TEST

START_TEST(enumeration_round_trips)
{
	struct lsr_params p, q;
	char err[160], buf[80], kv[160];
	lsr_params_defaults(&p);
	lsr_params_defaults(&q);
	ck_assert_int_eq(lsr_params_set_kv(&p, "noise_factor=2.25", err, sizeof err), 0);
	ck_assert_int_eq(lsr_params_set_kv(&p, "button_label=Event A", err, sizeof err), 0);
	for (int i = 0; i < lsr_params_count(); i++) {
		lsr_params_format(&p, i, buf, sizeof buf);
		snprintf(kv, sizeof kv, "%s=%s", lsr_params_key(i), buf);
		ck_assert_msg(lsr_params_set_kv(&q, kv, err, sizeof err) == 0, "%s: %s", kv, err);
	}
	ck_assert_mem_eq(&p, &q, sizeof p);
}
END_TEST

Suite *suite_params(void)
{
	Suite *s = suite_create("params");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, defaults_match_interface);
	tcase_add_test(tc, set_accepts_and_rejects);
	tcase_add_test(tc, cross_checks);
	tcase_add_test(tc, enumeration_round_trips);
	suite_add_tcase(s, tc);
	return s;
}
