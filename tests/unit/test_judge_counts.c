/* tests/unit/test_judge_counts.c — what counts toward the judge's
 * decisions: leads, random single-trial dropouts, the invalid-trial reset,
 * judging without a control channel and below min_rate_hz. */
#include <check.h>
#include <math.h>
#include <stdint.h>

#include "judge_fixture.h"

#define ABSENT 15.0

static void set_lsr(struct fx *f, double v)
{
	for (int c = 0; c < f->nch; c++)
		if (f->roles[c] == LSR_ROLE_LSR)
			f->lsr[c] = v;
}

/* A lead coming off (flat, then noisy) invalidates only that channel. */
START_TEST(lead_off_invalidates_only_its_channel)
{
	struct fx f;
	fx_init(&f, "llc", true);
	fx_run(&f, 15);
	f.noise[0] = 1; /* 0.1 × baseline noise: flat */
	f.lsr[0] = 5;
	fx_run(&f, 15);
	ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason, LSR_INVALID_LEAD);
	ck_assert(fx_last_response(&f, 1)->response.valid);
	f.noise[0] = 50; /* 5 × */
	fx_run(&f, 15);
	ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason, LSR_INVALID_LEAD);
	for (int i = 0; i < f.n; i++)
		if (f.e[i].ev.type == LSR_EV_CHANNEL_STATE)
			ck_assert_int_eq(f.e[i].ev.channel_state.state, LSR_STATE_PRESENT);
	ck_assert_int_eq(fx_count(&f, LSR_EV_STATE), 1);
	struct lsr_judge_view v;
	lsr_judge_view(f.j, &v);
	ck_assert_int_eq(v.invalid[LSR_INVALID_LEAD], 30);
	ck_assert_int_eq(v.ch[0].state, LSR_STATE_PRESENT);
	/* inside 0.3–3 × the baseline noise the channel counts again */
	f.noise[0] = 25;
	fx_run(&f, 10);
	ck_assert(fx_last_response(&f, 0)->response.valid);
	fx_free(&f);
}
END_TEST

/* xorshift64*: the test's own fixed-seed generator. */
static uint64_t rng_state;
static double rng_uniform(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

/* The LSR drops out on 30 % of single trials at random, on each channel
 * independently: over 1000 trials that must never read as disappeared. */
START_TEST(dropouts_of_30_percent_never_disappear)
{
	const char *montages[] = { "lc", "llc" };
	for (int m = 0; m < 2; m++) {
		struct fx f;
		fx_init(&f, montages[m], true);
		rng_state = 0x9E3779B97F4A7C15ULL;
		int dropped = 0, judged = 0;
		for (int i = 0; i < 1000; i++) {
			for (int c = 0; c < f.nch; c++)
				if (f.roles[c] == LSR_ROLE_LSR) {
					bool drop = rng_uniform() < 0.3;
					f.lsr[c] = drop ? 5 + 20 * rng_uniform() : 120 + 160 * rng_uniform();
					if (i >= 10) {
						dropped += drop;
						judged++;
					}
				}
			fx_run(&f, 1);
		}
		ck_assert_int_eq(fx_count_state(&f, LSR_STATE_DISAPPEARED), 0);
		ck_assert_int_eq(f.groups, 1000);
		/* the dropouts really happened at about the stated rate */
		ck_assert_int_gt(dropped, judged * 25 / 100);
		ck_assert_int_lt(dropped, judged * 35 / 100);
		fx_free(&f);
	}
}
END_TEST

/* More than invalid_reset consecutive invalid or indeterminate trials
 * reset the counters; exactly invalid_reset do not. */
START_TEST(invalid_reset_after_more_than_ten)
{
	for (int variant = 0; variant < 3; variant++) {
		struct fx f;
		fx_init(&f, "lc", true);
		fx_run(&f, 20);
		f.lsr[0] = ABSENT;
		fx_run(&f, 9); /* 21-29 */
		int nbad = variant == 0 ? 10 : 11;
		for (int i = 0; i < nbad; i++) {
			struct lsr_trial *tr = fx_next(&f);
			if (variant == 2) /* indeterminate: threshold above 30 % of 200 */
				fx_window(&tr->ch[0].lsr, ABSENT, 10, 70);
			else
				tr->gap = true;
			fx_judge(&f);
			if (variant == 2)
				ck_assert_int_eq(fx_last_response(&f, 0)->response.present, LSR_NULL);
			else
				ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason,
				                 LSR_INVALID_GAP);
		}
		fx_run(&f, 1);
		if (variant == 0) {
			/* ten do not reset: the tenth valid absent trial confirms */
			ck_assert_int_eq(fx_state(&f), LSR_STATE_DISAPPEARED);
			ck_assert_double_eq(fx_last_state(&f)->state.since, 21);
		} else {
			ck_assert_int_ne(fx_state(&f), LSR_STATE_DISAPPEARED);
			double first = f.t;
			fx_run(&f, 8);
			ck_assert_int_ne(fx_state(&f), LSR_STATE_DISAPPEARED);
			fx_run(&f, 1);
			ck_assert_int_eq(fx_state(&f), LSR_STATE_DISAPPEARED);
			ck_assert_double_eq(fx_last_state(&f)->state.since, first);
		}
		fx_free(&f);
	}
}
END_TEST

START_TEST(verified_false_without_control)
{
	struct fx f;
	fx_init(&f, "ll", true);
	const char *w[4];
	int n = lsr_judge_warnings(f.j, w, 4);
	ck_assert_int_eq(n, 1);
	ck_assert_ptr_nonnull(strstr(w[0], "no control channel"));
	fx_run(&f, 10);
	ck_assert(!fx_last_state(&f)->state.verified);
	set_lsr(&f, ABSENT);
	fx_run(&f, 10);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_DISAPPEARED);
	ck_assert(!fx_last_state(&f)->state.verified);
	fx_free(&f);
}
END_TEST

START_TEST(not_judging_below_min_rate)
{
	struct fx f;
	fx_init(&f, "lc", false);
	lsr_judge_time(f.j, 0);
	fx_run(&f, 40);
	lsr_judge_time(f.j, 100);
	ck_assert_int_eq(fx_count(&f, LSR_EV_STIM), 40);
	ck_assert_int_eq(f.n, 40);
	ck_assert_int_eq(f.groups, 40);
	ck_assert_int_eq(lsr_judge_mark(f.j, 41, "Decompression", LSR_ORIGIN_CLI), 1);
	ck_assert_int_eq(fx_count(&f, LSR_EV_MARK), 1);
	enum lsr_final fin;
	enum lsr_phase ph;
	int stims;
	lsr_judge_final(f.j, &fin, &ph, &stims);
	ck_assert_int_eq(fin, LSR_FINAL_INDETERMINATE);
	ck_assert_int_eq(stims, 40);
	const char *w[4];
	int n = lsr_judge_warnings(f.j, w, 4);
	ck_assert_int_eq(n, 1);
	ck_assert_ptr_nonnull(strstr(w[0], "min_rate_hz"));
	ck_assert_ptr_nonnull(strstr(w[0], "5000"));
	fx_free(&f);
}
END_TEST

Suite *suite_judge_counts(void)
{
	Suite *s = suite_create("judge_counts");
	TCase *tc = tcase_create("counts");
	tcase_add_test(tc, lead_off_invalidates_only_its_channel);
	tcase_add_test(tc, dropouts_of_30_percent_never_disappear);
	tcase_add_test(tc, invalid_reset_after_more_than_ten);
	tcase_add_test(tc, verified_false_without_control);
	tcase_add_test(tc, not_judging_below_min_rate);
	tcase_set_timeout(tc, 20);
	suite_add_tcase(s, tc);
	return s;
}
