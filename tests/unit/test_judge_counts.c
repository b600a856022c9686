/* tests/unit/test_judge_counts.c — what counts toward the judge's
 * decisions: leads, random single-trial dropouts, the invalid-trial reset,
 * judging without a control channel and below min_rate_hz. */
#include <check.h>
#include <math.h>
#include <stdint.h>

#include "judge_fixture.h"

/* A lead coming off (flat, then noisy) invalidates only that channel;
 * more than invalid_reset such trials in a row make it indeterminate (no
 * valid trials), never a stale present, while the other channel keeps the
 * overall state present; back in range, it is judged again. */
START_TEST(lead_off_invalidates_only_its_channel)
{
	struct fx f;
	fx_init(&f, "llc", true);
	fx_run(&f, 15);
	f.noise[0] = 1; /* 0.1 × baseline noise: flat */
	f.lsr[0] = 5;
	fx_run(&f, f.p.invalid_reset);
	ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason, LSR_INVALID_LEAD);
	ck_assert(!fx_last_response(&f, 0)->response.valid);
	ck_assert_int_eq(fx_last_response(&f, 0)->response.present, LSR_NULL);
	ck_assert(fx_last_response(&f, 1)->response.valid);
	/* invalid_reset of them: not yet */
	ck_assert_int_eq(fx_ch_state(&f, 0), LSR_STATE_PRESENT);
	f.noise[0] = 50; /* 5 × */
	fx_run(&f, 1);
	ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason, LSR_INVALID_LEAD);
	ck_assert_int_eq(fx_ch_state(&f, 0), LSR_STATE_INDETERMINATE);
	ck_assert_int_eq(fx_ch_reason(&f, 0), LSR_REASON_NO_VALID_TRIALS);
	int k = fx_find(&f, LSR_EV_CHANNEL_STATE, 0);
	int nind = 0;
	for (; k >= 0; k = fx_find(&f, LSR_EV_CHANNEL_STATE, k + 1)) {
		const struct lsr_event *e = &f.e[k].ev;
		if (e->channel_state.state != LSR_STATE_INDETERMINATE)
			continue;
		nind++;
		ck_assert_int_eq(e->channel_state.ch, 0);
		ck_assert_int_eq(e->channel_state.prev, LSR_STATE_PRESENT);
		ck_assert_int_eq(e->channel_state.reason, LSR_REASON_NO_VALID_TRIALS);
		ck_assert_double_eq(e->t, 15 + f.p.invalid_reset + 1);
	}
	ck_assert_int_eq(nind, 1);
	fx_run(&f, 14);
	ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason, LSR_INVALID_LEAD);
	/* ch1 was judged throughout: the overall state never left present */
	ck_assert_int_eq(fx_count(&f, LSR_EV_STATE), 1);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_PRESENT);
	ck_assert_int_eq(fx_ch_state(&f, 1), LSR_STATE_PRESENT);
	struct lsr_judge_view v;
	lsr_judge_view(f.j, &v);
	ck_assert_int_eq(v.invalid[LSR_INVALID_LEAD], f.p.invalid_reset + 1 + 14);
	/* a lead fault is per channel: the trial stays valid for the others,
	 * so no other invalid reason was counted */
	ck_assert_int_eq(v.invalid[LSR_INVALID_NO_DIRECT], 0);
	/* inside 0.3–3 × the baseline noise the channel counts again */
	f.noise[0] = 25;
	f.lsr[0] = 200;
	fx_run(&f, 1);
	ck_assert(fx_last_response(&f, 0)->response.valid);
	fx_run(&f, fx_w(&f, 0));
	ck_assert_int_eq(fx_ch_state(&f, 0), LSR_STATE_PRESENT);
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

/* More than invalid_reset consecutive invalid trials reset the counters
 * (the channel becomes indeterminate: no valid trials, its evidence
 * cleared); exactly invalid_reset do not: they neither advance nor reset. */
START_TEST(invalid_reset_after_more_than_ten)
{
	for (int variant = 0; variant < 2; variant++) {
		struct fx f;
		fx_init(&f, "lc", true);
		fx_run(&f, 20);
		int w = fx_w(&f, 0);
		f.lsr[0] = ABSENT;
		fx_run(&f, w - 1); /* 21 … 20 + w − 1 */
		ck_assert_int_ne(fx_state(&f), LSR_STATE_DISAPPEARED);
		int nbad = f.p.invalid_reset + variant;
		for (int i = 0; i < nbad; i++) {
			fx_next(&f)->gap = true;
			fx_judge(&f);
			ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason,
			                 LSR_INVALID_GAP);
		}
		if (variant == 0) {
			ck_assert_int_ne(fx_ch_state(&f, 0), LSR_STATE_INDETERMINATE);
			fx_run(&f, 1);
			/* ten do not reset: the w-th valid absent trial confirms */
			ck_assert_int_eq(fx_state(&f), LSR_STATE_DISAPPEARED);
			ck_assert_double_eq(fx_last_state(&f)->state.since, 21);
		} else {
			ck_assert_int_eq(fx_ch_state(&f, 0), LSR_STATE_INDETERMINATE);
			ck_assert_int_eq(fx_ch_reason(&f, 0), LSR_REASON_NO_VALID_TRIALS);
			/* the only LSR channel cannot be judged: overall too */
			ck_assert_int_eq(fx_state(&f), LSR_STATE_INDETERMINATE);
			const struct lsr_event *s = fx_last_state(&f);
			ck_assert_int_eq(s->state.state, LSR_STATE_INDETERMINATE);
			ck_assert(isnan(s->state.ratio));
			ck_assert_double_eq(s->t, 20 + w - 1 + nbad);
			/* SUSPECTED BUG (src/judge/judge_channel.c, the "fresh"
			 * branch): after the reset the first valid absent trial
			 * alone is called disappeared (a decision over 1 trial).
			 * docs/clinical.md: "disappeared: absent on the evidence of the
			 * last 10 valid trials", and more than invalid_reset
			 * invalid trials reset the counters — so it takes w fresh
			 * valid absent trials. */
			double first = f.t + 1;
			fx_run(&f, w - 1);
			ck_assert_msg(fx_state(&f) != LSR_STATE_DISAPPEARED,
			              "disappeared on %g trials after an invalid reset",
			              fx_last_state(&f)->t - first + 1);
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
	ck_assert_int_eq(fx_state(&f), LSR_STATE_PRESENT);
	ck_assert(!fx_last_state(&f)->state.verified);
	fx_run(&f, 10);
	fx_set_lsr(&f, ABSENT);
	ck_assert_int_le(fx_run_until(&f, LSR_STATE_DISAPPEARED, fx_w(&f, 0) + 2), fx_w(&f, 0) + 2);
	ck_assert(!fx_last_state(&f)->state.verified);
	/* without a control every trial counts: none is no_direct */
	struct lsr_judge_view v;
	lsr_judge_view(f.j, &v);
	ck_assert_int_eq(v.invalid[LSR_INVALID_NO_DIRECT], 0);
	ck_assert(!v.unconfirmed); /* unverified for want of a control, not a
	                              direct response below 80 % */
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

/* Random trials, flags, NANs, marks, role changes and pauses: the judge
 * never crashes, closes one group per trial and per mark, and its state
 * events form one chain (each prev is the state before it) apart from
 * corrections, which repeat an earlier disappearance's t and since. */
START_TEST(random_input_keeps_the_state_chain)
{
	struct fx f;
	fx_init(&f, "llco", true);
	rng_state = 0x2545F4914F6CDD1DULL;
	int groups = 0;
	for (int i = 0; i < 3000; i++) {
		double r = rng_uniform();
		if (r < 0.01) {
			static const char *const labels[] = { "Decompression", "Cancel 1", "Cancel 2",
			                                      "Baseline", "Intensity 5", "x" };
			lsr_judge_mark(f.j, f.t + 0.2, labels[(int)(rng_uniform() * 6) % 6],
			               LSR_ORIGIN_OSC);
			groups++;
			continue;
		}
		if (r < 0.012) {
			int c = (int)(rng_uniform() * 4) % 4;
			enum lsr_role role = (enum lsr_role)((int)(rng_uniform() * 3) % 3);
			lsr_judge_set_role(f.j, c, role);
			f.roles[c] = role;
			continue;
		}
		if (r < 0.015)
			f.t += 10 * rng_uniform(); /* a pause */
		struct lsr_trial *tr = fx_next(&f);
		for (int c = 0; c < f.nch; c++) {
			struct lsr_channel_measure *m = &tr->ch[c];
			double u = rng_uniform();
			fx_window(&m->lsr, u < 0.4 ? 10 : u < 0.5 ? NAN : 300 * rng_uniform(), 9,
			          u > 0.95 ? NAN : 20 + 40 * rng_uniform());
			fx_window(&m->direct, rng_uniform() < 0.1 ? 0 : 500, 4 + rng_uniform(), 30);
			m->direct.onset_at_edge = rng_uniform() < 0.2;
			m->lsr.onset_at_edge = rng_uniform() < 0.05;
			m->noise_uv = rng_uniform() < 0.05 ? NAN : 2 + 30 * rng_uniform();
			m->saturated = rng_uniform() < 0.01;
			m->cautery = rng_uniform() < 0.02;
			m->spasm = rng_uniform() < 0.01;
		}
		tr->gap = rng_uniform() < 0.01;
		fx_judge(&f);
		groups++;
		if (rng_uniform() < 0.1) {
			int before = f.n;
			lsr_judge_time(f.j, f.t + 5 * rng_uniform());
			groups += f.n > before;
		}
	}
	ck_assert_int_eq(f.groups, groups);
	enum lsr_state cur = LSR_STATE_ACQUIRING;
	for (int i = 0; i < f.n; i++) {
		if (f.e[i].ev.type != LSR_EV_STATE)
			continue;
		const struct lsr_event *s = &f.e[i].ev;
		if (i > 0 && f.e[i - 1].ev.type == LSR_EV_MARK && s->state.state == LSR_STATE_DISAPPEARED &&
		    s->state.prev != cur) {
			/* a correction: an earlier disappearance with the same t, since */
			bool found = false;
			for (int k = 0; k < i && !found; k++)
				found = f.e[k].ev.type == LSR_EV_STATE && f.e[k].ev.t == s->t &&
				        f.e[k].ev.state.since == s->state.since &&
				        f.e[k].ev.state.state == LSR_STATE_DISAPPEARED;
			ck_assert(found);
			continue;
		}
		ck_assert_int_eq(s->state.prev, cur);
		ck_assert_int_ne(s->state.state, cur);
		ck_assert(s->state.premature + s->state.after_decompression ==
		          (s->state.state == LSR_STATE_DISAPPEARED));
		cur = s->state.state;
	}
	ck_assert_int_gt(fx_count(&f, LSR_EV_STATE), 5);
	enum lsr_final fin;
	enum lsr_phase ph;
	int stims;
	lsr_judge_final(f.j, &fin, &ph, &stims);
	ck_assert_int_eq(stims, f.stim_n);
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
	tcase_add_test(tc, random_input_keeps_the_state_chain);
	tcase_set_timeout(tc, 20);
	suite_add_tcase(s, tc);
	return s;
}
