/* tests/unit/test_judge.c — the judge's state transitions on synthetic
 * measured trials: baselines, loss and return, reduced vs disappeared,
 * stimulation failure, no_stimulus, cautery during decompression,
 * noise-only channels.  Expected times follow from the
 * defaults (baseline 10, reduced 5 at 50 %/60 %, disappear 10, return 3,
 * failure 3, invalid_reset 10) and the 1 s stimulus grid t = 1, 2, …. */
#include <check.h>
#include <math.h>

#include "judge_fixture.h"

START_TEST(baseline_stable_confirms_itself)
{
	struct fx f;
	fx_init(&f, "llco", true);
	fx_run(&f, 9);
	ck_assert_int_eq(fx_count(&f, LSR_EV_BASELINE), 0);
	ck_assert_int_eq(fx_count(&f, LSR_EV_STATE), 0);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_ACQUIRING);
	fx_run(&f, 1);
	/* ch0, ch1 (LSR window) and ch2 (direct window), not the other one */
	ck_assert_int_eq(fx_count(&f, LSR_EV_BASELINE), 3);
	int b = fx_find(&f, LSR_EV_BASELINE, 0);
	ck_assert_int_eq(f.e[b].ev.baseline.ch, 0);
	ck_assert_double_eq(f.e[b].ev.baseline.p2p_uv, 200);
	ck_assert_double_eq(f.e[b].ev.baseline.onset_ms, 10);
	ck_assert_int_eq(f.e[b].ev.baseline.trials, 10);
	ck_assert(!f.e[b].ev.baseline.provisional);
	int b1 = fx_find(&f, LSR_EV_BASELINE, b + 1);
	ck_assert_int_eq(f.e[b1].ev.baseline.ch, 1);
	int b2 = fx_find(&f, LSR_EV_BASELINE, b1 + 1);
	ck_assert_int_eq(f.e[b2].ev.baseline.ch, 2);
	ck_assert_double_eq(f.e[b2].ev.baseline.p2p_uv, 500);
	ck_assert_double_eq(f.e[b2].ev.baseline.onset_ms, 4);

	const struct lsr_event *s = fx_last_state(&f);
	ck_assert_int_eq(s->state.state, LSR_STATE_PRESENT);
	ck_assert_int_eq(s->state.prev, LSR_STATE_ACQUIRING);
	ck_assert_double_eq(s->t, 10);
	ck_assert_double_eq(s->state.since, 1); /* first baseline trial */
	ck_assert(s->state.verified);
	ck_assert(!s->state.provisional);
	ck_assert(!s->state.premature && !s->state.after_decompression);
	ck_assert_int_eq(fx_count(&f, LSR_EV_CHANNEL_STATE), 2);
	fx_free(&f);
}
END_TEST

START_TEST(baseline_provisional_confirmed_and_retaken_by_b)
{
	struct fx f;
	fx_init(&f, "llc", true);
	for (int i = 0; i < 10; i++) {
		fx_set_lsr(&f, i % 2 ? 400 : 50); /* CV 175/225 = 0.78 > 0.5 */
		fx_run(&f, 1);
	}
	int b = fx_find(&f, LSR_EV_BASELINE, 0);
	ck_assert_double_eq(f.e[b].ev.baseline.p2p_uv, 225);
	ck_assert(f.e[b].ev.baseline.provisional);
	ck_assert(fx_last_state(&f)->state.provisional);
	struct lsr_judge_view v;
	lsr_judge_view(f.j, &v);
	ck_assert(v.provisional && v.ch[0].provisional && !v.ch[2].provisional);

	int before = f.n;
	lsr_judge_mark(f.j, 10.5, "baseline", LSR_ORIGIN_KEY);
	/* the two provisional LSR baselines are confirmed, in the mark's group */
	int nb = 0;
	for (int i = before; i < f.n; i++)
		if (f.e[i].ev.type == LSR_EV_BASELINE) {
			nb++;
			ck_assert(!f.e[i].ev.baseline.provisional);
			ck_assert_int_eq(f.e[i].group, f.e[before].group);
		}
	ck_assert_int_eq(nb, 2);
	lsr_judge_view(f.j, &v);
	ck_assert(!v.provisional);

	/* b on a confirmed baseline: a new one from the next 10 valid trials */
	lsr_judge_mark(f.j, 10.6, "Baseline", LSR_ORIGIN_KEY);
	fx_set_lsr(&f, 100);
	before = f.n;
	fx_run(&f, 9);
	ck_assert_int_eq(fx_find(&f, LSR_EV_BASELINE, before), -1);
	lsr_judge_view(f.j, &v);
	ck_assert(v.ch[0].rebaselining);
	ck_assert_int_eq(v.ch[0].collecting, 9);
	ck_assert_double_eq(v.ch[0].base_p2p_uv, 225); /* old one in force */
	fx_run(&f, 1);
	b = fx_find(&f, LSR_EV_BASELINE, before);
	ck_assert_int_ne(b, -1);
	ck_assert_double_eq(f.e[b].ev.baseline.p2p_uv, 100);
	ck_assert(!f.e[b].ev.baseline.provisional);
	/* first: both LSR channels and the control; b: the two provisional
	 * ones confirmed; second b: all three retaken */
	ck_assert_int_eq(fx_count(&f, LSR_EV_BASELINE), 3 + 2 + 3);
	fx_free(&f);
}
END_TEST

START_TEST(baseline_b_before_complete_confirms_on_completion)
{
	struct fx f;
	fx_init(&f, "lc", true);
	for (int i = 0; i < 10; i++) {
		if (i == 5)
			lsr_judge_mark(f.j, f.t + 0.5, "BASELINE", LSR_ORIGIN_OSC);
		fx_set_lsr(&f, i % 2 ? 400 : 50);
		fx_run(&f, 1);
	}
	int b = fx_find(&f, LSR_EV_BASELINE, 0);
	ck_assert(!f.e[b].ev.baseline.provisional);
	ck_assert(!fx_last_state(&f)->state.provisional);
	fx_free(&f);
}
END_TEST

/* Both LSR channels lose the response before decompression, it returns,
 * then is lost after the Decompression mark. */
START_TEST(premature_loss_return_then_loss_after_decompression)
{
	struct fx f;
	fx_init(&f, "llc", true);
	fx_run(&f, 30); /* baseline 1-10, present 11-30 */
	fx_set_lsr(&f, ABSENT);
	fx_run(&f, 2);
	ck_assert_int_eq(fx_count_state(&f, LSR_STATE_REDUCED), 0);
	fx_run(&f, 1); /* t 33: last 5 = 200,200,15,15,15: median 15 < 100 */
	const struct lsr_event *s = fx_last_state(&f);
	ck_assert_int_eq(s->state.state, LSR_STATE_REDUCED);
	ck_assert_double_eq(s->t, 33);
	ck_assert_double_eq(s->state.since, 31);
	ck_assert_double_eq_tol(s->state.ratio, ABSENT / 200, 1e-12);
	fx_run(&f, 6);
	ck_assert_int_eq(fx_count_state(&f, LSR_STATE_DISAPPEARED), 0);
	fx_run(&f, 1); /* t 40: the 10th absent trial */
	s = fx_last_state(&f);
	ck_assert_int_eq(s->state.state, LSR_STATE_DISAPPEARED);
	ck_assert_int_eq(s->state.prev, LSR_STATE_REDUCED);
	ck_assert_double_eq(s->t, 40);
	ck_assert_double_eq(s->state.since, 31);
	ck_assert(s->state.premature);
	ck_assert(!s->state.after_decompression);

	fx_set_lsr(&f, 200);
	fx_run(&f, 2);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_DISAPPEARED);
	fx_run(&f, 1); /* t 43: third present trial */
	s = fx_last_state(&f);
	ck_assert_int_eq(s->state.state, LSR_STATE_PRESENT);
	ck_assert_double_eq(s->t, 43);
	ck_assert_double_eq(s->state.since, 41);

	fx_run(&f, 2);
	ck_assert_int_eq(lsr_judge_mark(f.j, 45.5, "Decompression", LSR_ORIGIN_KEY), 1);
	fx_set_lsr(&f, ABSENT);
	fx_run(&f, 10); /* 46-55 */
	s = fx_last_state(&f);
	ck_assert_int_eq(s->state.state, LSR_STATE_DISAPPEARED);
	ck_assert_double_eq(s->t, 55);
	ck_assert_double_eq(s->state.since, 46);
	ck_assert(!s->state.premature);
	ck_assert(s->state.after_decompression);
	ck_assert_int_eq(fx_count_state(&f, LSR_STATE_DISAPPEARED), 2);

	enum lsr_final fin;
	enum lsr_phase ph;
	int stims;
	lsr_judge_final(f.j, &fin, &ph, &stims);
	ck_assert_int_eq(fin, LSR_FINAL_DISAPPEARED);
	ck_assert_int_eq(ph, LSR_PHASE_AFTER_DECOMPRESSION);
	ck_assert_int_eq(stims, 55);
	fx_free(&f);
}
END_TEST

/* A smaller but present response is reduced, never disappeared; it goes
 * back to present once the median is above 60 % for 3 valid trials. */
START_TEST(reduced_is_not_disappeared)
{
	struct fx f;
	fx_init(&f, "lc", true);
	fx_run(&f, 20);
	fx_set_lsr(&f, 60); /* 30 % of baseline, above the threshold */
	fx_run(&f, 20);  /* 21-40 */
	const struct lsr_event *s = fx_first_state(&f, LSR_STATE_REDUCED);
	ck_assert_ptr_nonnull(s);
	ck_assert_double_eq(s->t, 23);
	ck_assert_double_eq(s->state.since, 21);
	ck_assert_double_eq_tol(s->state.ratio, 0.3, 1e-12);
	ck_assert_int_eq(fx_count_state(&f, LSR_STATE_DISAPPEARED), 0);
	enum lsr_final fin;
	enum lsr_phase ph;
	int stims;
	lsr_judge_final(f.j, &fin, &ph, &stims);
	ck_assert_int_eq(fin, LSR_FINAL_PARTIAL);
	ck_assert_int_eq(ph, LSR_PHASE_NONE);

	fx_set_lsr(&f, 200);
	fx_run(&f, 4); /* 41-44: the median is above 60 % from 43 on */
	ck_assert_int_eq(fx_state(&f), LSR_STATE_REDUCED);
	fx_run(&f, 1); /* 45: third such trial */
	s = fx_last_state(&f);
	ck_assert_int_eq(s->state.state, LSR_STATE_PRESENT);
	ck_assert_double_eq(s->t, 45);
	ck_assert_double_eq(s->state.since, 43);
	lsr_judge_final(f.j, &fin, &ph, &stims);
	ck_assert_int_eq(fin, LSR_FINAL_PERSISTENT);
	fx_free(&f);
}
END_TEST

START_TEST(stimulation_failure_starts_and_previous_state_resumes)
{
	struct fx f;
	fx_init(&f, "llc", true);
	fx_run(&f, 15);
	f.direct = 0;
	fx_set_lsr(&f, ABSENT); /* the LSR goes too: must not read as a loss */
	fx_run(&f, 2);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_PRESENT);
	ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason, LSR_INVALID_NO_DIRECT);
	ck_assert(!fx_last_response(&f, 0)->response.valid);
	fx_run(&f, 1); /* t 18 */
	const struct lsr_event *s = fx_last_state(&f);
	ck_assert_int_eq(s->state.state, LSR_STATE_STIMULATION_FAILURE);
	ck_assert_int_eq(s->state.prev, LSR_STATE_PRESENT);
	ck_assert_double_eq(s->t, 18);
	ck_assert_double_eq(s->state.since, 16);
	ck_assert(isnan(s->state.ratio));
	fx_run(&f, 20);
	ck_assert_int_eq(fx_count_state(&f, LSR_STATE_DISAPPEARED), 0);
	ck_assert_int_eq(fx_count_state(&f, LSR_STATE_REDUCED), 0);

	f.direct = 500;
	fx_set_lsr(&f, 200);
	fx_run(&f, 1); /* t 39 */
	s = fx_last_state(&f);
	ck_assert_int_eq(s->state.state, LSR_STATE_PRESENT);
	ck_assert_int_eq(s->state.prev, LSR_STATE_STIMULATION_FAILURE);
	ck_assert_double_eq(s->t, 39);
	ck_assert_double_eq(s->state.since, 1); /* the same present resumes */
	struct lsr_judge_view v;
	lsr_judge_view(f.j, &v);
	ck_assert_int_eq(v.invalid[LSR_INVALID_NO_DIRECT], 23);
	ck_assert_double_eq(v.last_valid_t, 39);
	fx_free(&f);
}
END_TEST

/* After a failure the counters restart: a return needs 3 fresh present
 * trials, and the disappeared state is what resumes. */
START_TEST(stimulation_failure_resumes_disappeared_with_counters_reset)
{
	struct fx f;
	fx_init(&f, "lc", true);
	fx_run(&f, 10);
	fx_set_lsr(&f, ABSENT);
	fx_run(&f, 10); /* disappeared at 20 */
	ck_assert_int_eq(fx_state(&f), LSR_STATE_DISAPPEARED);
	fx_set_lsr(&f, 200);
	fx_run(&f, 2); /* two of the three present trials needed */
	f.direct = 0;
	fx_run(&f, 3);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_STIMULATION_FAILURE);
	f.direct = 500;
	fx_run(&f, 1); /* t 26: resumes disappeared, present counter reset */
	const struct lsr_event *s = fx_last_state(&f);
	ck_assert_int_eq(s->state.state, LSR_STATE_DISAPPEARED);
	ck_assert_double_eq(s->state.since, 11);
	ck_assert(s->state.premature);
	fx_run(&f, 1);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_DISAPPEARED);
	fx_run(&f, 1); /* t 28: third present trial after the failure */
	ck_assert_int_eq(fx_state(&f), LSR_STATE_PRESENT);
	ck_assert_double_eq(fx_last_state(&f)->state.since, 26);
	fx_free(&f);
}
END_TEST

/* Cautery and saturation trials neither count toward a failure nor end
 * the run of trials without a direct response. */
START_TEST(stimulation_failure_ignores_cautery_trials)
{
	struct fx f;
	fx_init(&f, "lc", true);
	fx_run(&f, 15);
	f.direct = 0;
	fx_run(&f, 2); /* 16, 17 */
	for (int i = 0; i < 4; i++) {
		fx_next(&f)->ch[i % 2].cautery = true;
		if (i == 3) {
			f.tr.ch[0].cautery = false;
			f.tr.ch[1].saturated = true;
		}
		fx_judge(&f);
	}
	ck_assert_int_eq(fx_state(&f), LSR_STATE_PRESENT);
	fx_run(&f, 1); /* t 22: third counted trial */
	const struct lsr_event *s = fx_last_state(&f);
	ck_assert_int_eq(s->state.state, LSR_STATE_STIMULATION_FAILURE);
	ck_assert_double_eq(s->state.since, 16);
	fx_free(&f);
}
END_TEST

START_TEST(no_stimulus_starts_and_next_stimulus_ends_it)
{
	struct fx f;
	fx_init(&f, "lc", true);
	lsr_judge_time(f.j, 0.5);
	fx_run(&f, 10); /* 1 Hz: limit max(3 × 1 s, 3 s) after the sweep */
	lsr_judge_time(f.j, 13.05);
	ck_assert_int_eq(fx_count_state(&f, LSR_STATE_NO_STIMULUS), 0);
	int groups = f.groups;
	lsr_judge_time(f.j, 13.2);
	const struct lsr_event *s = fx_last_state(&f);
	ck_assert_int_eq(s->state.state, LSR_STATE_NO_STIMULUS);
	ck_assert_int_eq(s->state.prev, LSR_STATE_PRESENT);
	ck_assert_double_eq(s->t, 13.2);
	ck_assert_double_eq(s->state.since, 10);
	ck_assert(isnan(s->state.ratio));
	ck_assert_int_eq(f.groups, groups + 1);
	lsr_judge_time(f.j, 30);
	ck_assert_int_eq(fx_count_state(&f, LSR_STATE_NO_STIMULUS), 1);
	f.t = 30;
	fx_run(&f, 1);
	s = fx_last_state(&f);
	ck_assert_int_eq(s->state.state, LSR_STATE_PRESENT);
	ck_assert_int_eq(s->state.prev, LSR_STATE_NO_STIMULUS);
	ck_assert_double_eq(s->t, 31);
	ck_assert_double_eq(s->state.since, 1);
	enum lsr_final fin;
	enum lsr_phase ph;
	int stims;
	lsr_judge_final(f.j, &fin, &ph, &stims);
	ck_assert_int_eq(fin, LSR_FINAL_PERSISTENT);
	fx_free(&f);
}
END_TEST

START_TEST(no_stimulus_scales_with_the_median_interval)
{
	struct fx f;
	fx_init(&f, "lc", true);
	f.interval = 2; /* stimuli at 2, 4, …, 20: limit 3 × 2 s = 6 s */
	fx_run(&f, 10);
	lsr_judge_time(f.j, 26.05);
	ck_assert_int_eq(fx_count_state(&f, LSR_STATE_NO_STIMULUS), 0);
	lsr_judge_time(f.j, 26.2);
	ck_assert_int_eq(fx_count_state(&f, LSR_STATE_NO_STIMULUS), 1);
	fx_free(&f);
}
END_TEST

START_TEST(no_stimulus_before_any_stimulus)
{
	struct fx f;
	fx_init(&f, "lc", true);
	lsr_judge_time(f.j, 0);
	lsr_judge_time(f.j, 3.05);
	ck_assert_int_eq(fx_count(&f, LSR_EV_STATE), 0);
	lsr_judge_time(f.j, 3.2);
	const struct lsr_event *s = fx_last_state(&f);
	ck_assert_int_eq(s->state.state, LSR_STATE_NO_STIMULUS);
	ck_assert_int_eq(s->state.prev, LSR_STATE_ACQUIRING);
	enum lsr_final fin;
	enum lsr_phase ph;
	int stims;
	lsr_judge_final(f.j, &fin, &ph, &stims);
	ck_assert_int_eq(fin, LSR_FINAL_INDETERMINATE);
	ck_assert_int_eq(stims, 0);
	fx_free(&f);
}
END_TEST

/* Cautery during the decompression: its trials are invalid (even when
 * they look "present"), so they neither advance nor reset the count. */
START_TEST(cautery_burst_during_decompression)
{
	struct fx f;
	fx_init(&f, "llc", true);
	fx_run(&f, 20);
	lsr_judge_mark(f.j, 20.5, "Decompression", LSR_ORIGIN_KEY);
	fx_set_lsr(&f, ABSENT);
	fx_run(&f, 5); /* 21-25 absent */
	for (int i = 0; i < 8; i++) { /* 26-33 swamped by cautery */
		struct lsr_trial *tr = fx_next(&f);
		for (int c = 0; c < f.nch; c++) {
			tr->ch[c].cautery = true;
			fx_window(&tr->ch[c].lsr, 900, 7, f.threshold);
		}
		fx_judge(&f);
		ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason, LSR_INVALID_CAUTERY);
		ck_assert(!fx_last_response(&f, 1)->response.valid);
	}
	fx_run(&f, 4); /* 34-37: nine valid absent trials in all */
	ck_assert_int_eq(fx_count_state(&f, LSR_STATE_DISAPPEARED), 0);
	fx_run(&f, 1); /* 38 */
	const struct lsr_event *s = fx_last_state(&f);
	ck_assert_int_eq(s->state.state, LSR_STATE_DISAPPEARED);
	ck_assert_double_eq(s->t, 38);
	ck_assert_double_eq(s->state.since, 21);
	ck_assert(s->state.after_decompression);
	ck_assert(!s->state.premature);
	struct lsr_judge_view v;
	lsr_judge_view(f.j, &v);
	ck_assert_int_eq(v.invalid[LSR_INVALID_CAUTERY], 8);
	fx_free(&f);
}
END_TEST

START_TEST(noise_only_channel_has_no_lsr)
{
	struct fx f;
	fx_init(&f, "llc", true);
	f.lsr[1] = ABSENT;
	fx_run(&f, 10);
	int k = fx_find(&f, LSR_EV_CHANNEL_STATE, 0);
	ck_assert_int_eq(f.e[k].ev.channel_state.ch, 0);
	ck_assert_int_eq(f.e[k].ev.channel_state.state, LSR_STATE_PRESENT);
	k = fx_find(&f, LSR_EV_CHANNEL_STATE, k + 1);
	ck_assert_int_eq(f.e[k].ev.channel_state.ch, 1);
	ck_assert_int_eq(f.e[k].ev.channel_state.state, LSR_STATE_NOT_DETECTED);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_PRESENT);
	/* only ch0 has an LSR: its loss alone is the overall disappearance */
	f.lsr[0] = ABSENT;
	fx_run(&f, 10);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_DISAPPEARED);
	ck_assert_double_eq(fx_last_state(&f)->state.since, 11);
	fx_free(&f);
}
END_TEST

START_TEST(no_lsr_anywhere_is_not_detected)
{
	struct fx f;
	fx_init(&f, "llc", true);
	fx_set_lsr(&f, ABSENT);
	fx_run(&f, 10);
	const struct lsr_event *s = fx_last_state(&f);
	ck_assert_int_eq(s->state.state, LSR_STATE_NOT_DETECTED);
	ck_assert_double_eq(s->state.since, 1);
	ck_assert(!s->state.premature && !s->state.after_decompression);
	fx_run(&f, 30);
	ck_assert_int_eq(fx_count(&f, LSR_EV_STATE), 1);
	enum lsr_final fin;
	enum lsr_phase ph;
	int stims;
	lsr_judge_final(f.j, &fin, &ph, &stims);
	ck_assert_int_eq(fin, LSR_FINAL_NOT_DETECTED);
	/* not terminal: b re-baselines, and an LSR found then counts */
	lsr_judge_mark(f.j, f.t + 0.5, "Baseline", LSR_ORIGIN_KEY);
	fx_set_lsr(&f, 200);
	fx_run(&f, 10);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_PRESENT);
	fx_free(&f);
}
END_TEST

/* "At least half of its baseline trials present": 5 of 10 is, 4 is not. */
START_TEST(has_lsr_needs_half_of_the_baseline_trials)
{
	for (int npresent = 4; npresent <= 5; npresent++) {
		struct fx f;
		fx_init(&f, "lc", true);
		for (int i = 0; i < 10; i++) {
			f.lsr[0] = i < npresent ? 200 : ABSENT;
			fx_run(&f, 1);
		}
		ck_assert_int_eq(fx_state(&f),
		                 npresent == 5 ? LSR_STATE_PRESENT : LSR_STATE_NOT_DETECTED);
		fx_free(&f);
	}
}
END_TEST

Suite *suite_judge(void)
{
	Suite *s = suite_create("judge");
	TCase *tc = tcase_create("states");
	tcase_add_test(tc, baseline_stable_confirms_itself);
	tcase_add_test(tc, baseline_provisional_confirmed_and_retaken_by_b);
	tcase_add_test(tc, baseline_b_before_complete_confirms_on_completion);
	tcase_add_test(tc, premature_loss_return_then_loss_after_decompression);
	tcase_add_test(tc, reduced_is_not_disappeared);
	tcase_add_test(tc, stimulation_failure_starts_and_previous_state_resumes);
	tcase_add_test(tc, stimulation_failure_resumes_disappeared_with_counters_reset);
	tcase_add_test(tc, stimulation_failure_ignores_cautery_trials);
	tcase_add_test(tc, no_stimulus_starts_and_next_stimulus_ends_it);
	tcase_add_test(tc, no_stimulus_scales_with_the_median_interval);
	tcase_add_test(tc, no_stimulus_before_any_stimulus);
	tcase_add_test(tc, cautery_burst_during_decompression);
	tcase_add_test(tc, noise_only_channel_has_no_lsr);
	tcase_add_test(tc, no_lsr_anywhere_is_not_detected);
	tcase_add_test(tc, has_lsr_needs_half_of_the_baseline_trials);
	tcase_set_timeout(tc, 20);
	suite_add_tcase(s, tc);
	return s;
}
