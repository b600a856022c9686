/* tests/unit/test_alarm.c — the bell's rules by hand: a technical alarm
 * rings when it starts and every 5 s while it holds until k, again when it
 * comes back; state changes chime once each. */
#include <check.h>
#include <math.h>

#include "alarm.h"

START_TEST(repeats_until_acknowledged)
{
	struct lsr_alarm a;
	lsr_alarm_init(&a);
	ck_assert_int_eq(lsr_alarm_step(&a, 0, 0), 0);
	/* Stimulation failure from t = 10: rings at 10, 15, 20 (5 s apart). */
	int rings = 0;
	for (double t = 10; t < 22; t += 0.25)
		rings += lsr_alarm_step(&a, LSR_ALARM_STIM_FAILURE, t);
	ck_assert_int_eq(rings, 3);
	/* k at 22: silent while it holds, still active (shown). */
	lsr_alarm_ack(&a);
	rings = 0;
	for (double t = 22; t < 60; t += 0.25)
		rings += lsr_alarm_step(&a, LSR_ALARM_STIM_FAILURE, t);
	ck_assert_int_eq(rings, 0);
	ck_assert_uint_eq(lsr_alarm_first(&a), LSR_ALARM_STIM_FAILURE);
	/* A second condition while the first is acknowledged rings. */
	ck_assert_int_eq(lsr_alarm_step(&a, LSR_ALARM_STIM_FAILURE | LSR_ALARM_LINK, 60), 1);
	ck_assert_int_eq(lsr_alarm_step(&a, LSR_ALARM_STIM_FAILURE | LSR_ALARM_LINK, 62), 0);
	ck_assert_int_eq(lsr_alarm_step(&a, LSR_ALARM_STIM_FAILURE | LSR_ALARM_LINK, 65), 1);
	/* Both end, then the failure comes back: it rings again. */
	ck_assert_int_eq(lsr_alarm_step(&a, 0, 66), 0);
	ck_assert_uint_eq(lsr_alarm_first(&a), 0);
	ck_assert_int_eq(lsr_alarm_step(&a, LSR_ALARM_STIM_FAILURE, 67), 1);
}
END_TEST

START_TEST(state_changes_chime_once)
{
	struct lsr_alarm a;
	lsr_alarm_init(&a);
	lsr_alarm_chime(&a);
	ck_assert_int_eq(lsr_alarm_step(&a, 0, 1), 1);
	for (double t = 1; t < 30; t += 0.5)
		ck_assert_int_eq(lsr_alarm_step(&a, 0, t), 0);
	/* Two changes between steps: one ring, not a burst of bells. */
	lsr_alarm_chime(&a);
	lsr_alarm_chime(&a);
	ck_assert_int_eq(lsr_alarm_step(&a, 0, 31), 1);
	ck_assert_int_eq(lsr_alarm_step(&a, 0, 32), 0);
}
END_TEST

Suite *suite_alarm(void)
{
	Suite *s = suite_create("alarm");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, repeats_until_acknowledged);
	tcase_add_test(tc, state_changes_chime_once);
	suite_add_tcase(s, tc);
	return s;
}
