/* tests/unit/test_clock.c — the case's wall clock (src/clock.h): a
 * replay keeps the recording's start, live is now minus the stream time
 * run (whole seconds when recording); the monotonic deadlines normalise. */
#include <check.h>
#include <math.h>
#include <time.h>

#include "clock.h"

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

START_TEST(replay_keeps_the_recording_start)
{
	ck_assert_double_eq(lsr_clock_origin(1700000000, 42.5, false), 1700000000);
	ck_assert_double_eq(lsr_clock_origin(1700000000.25, 42.5, true), 1700000000.25);
}
END_TEST

/* Bracketed by the wall clock read before and after: no timing bound. */
START_TEST(live_is_now_minus_stream_time)
{
	double before = wall();
	double o = lsr_clock_origin(0, 30, false);
	double after = wall();
	ck_assert(o >= before - 30 && o <= after - 30);
	before = wall();
	o = lsr_clock_origin(0, 30, true);
	after = wall();
	ck_assert_double_eq(o, floor(o));
	ck_assert(o >= floor(before - 30) && o <= after - 30);
	/* an unusable recording date (0) is not an origin */
	ck_assert(lsr_clock_origin(0, 0, false) > 1e9);
}
END_TEST

START_TEST(deadlines_are_normalised)
{
	struct timespec now, d;
	clock_gettime(CLOCK_MONOTONIC, &now);
	lsr_clock_deadline(&d, 2.75);
	ck_assert(d.tv_nsec >= 0 && d.tv_nsec < 1000000000L);
	double in = (double)(d.tv_sec - now.tv_sec) + (double)(d.tv_nsec - now.tv_nsec) * 1e-9;
	ck_assert(in >= 2.75);
	ck_assert(lsr_clock_mono() <= (double)d.tv_sec + (double)d.tv_nsec * 1e-9);
	pthread_cond_t c;
	ck_assert_int_eq(lsr_clock_cond_init(&c), 0);
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&mu);
	lsr_clock_deadline(&d, 0);
	ck_assert_int_ne(pthread_cond_timedwait(&c, &mu, &d), 0); /* already past: times out */
	pthread_mutex_unlock(&mu);
	pthread_cond_destroy(&c);
}
END_TEST

Suite *suite_clock(void)
{
	Suite *s = suite_create("clock");
	TCase *tc = tcase_create("clock");
	tcase_add_test(tc, replay_keeps_the_recording_start);
	tcase_add_test(tc, live_is_now_minus_stream_time);
	tcase_add_test(tc, deadlines_are_normalised);
	suite_add_tcase(s, tc);
	return s;
}
