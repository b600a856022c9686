/* tests/unit/test_judge_marks.c — the judge's marks (ids across origins,
 * labels, Decompression and its cancellation with corrected state events),
 * response fields and validity details, final status for every case, role
 * changes and new segments. */
#include <check.h>
#include <math.h>

#include "judge_fixture.h"
#include "marks.h"

static void final_of(struct fx *f, enum lsr_final *fin, enum lsr_phase *ph)
{
	int stims;
	lsr_judge_final(f->j, fin, ph, &stims);
}

START_TEST(mark_ids_run_across_origins)
{
	struct fx f;
	fx_init(&f, "lc", true);
	const enum lsr_mark_origin origins[] = { LSR_ORIGIN_KEY, LSR_ORIGIN_CLI, LSR_ORIGIN_RECORDING,
	                                         LSR_ORIGIN_OSC, LSR_ORIGIN_DEVICE };
	const char *labels[] = { "Dura open", "Intensity 12.5", "Closure", "my mark", "Button" };
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(lsr_judge_mark(f.j, 1.0 + i, labels[i], origins[i]), i + 1);
	ck_assert_int_eq(f.n, 5);
	ck_assert_int_eq(f.groups, 5);
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(f.e[i].ev.type, LSR_EV_MARK);
		ck_assert_int_eq(f.e[i].ev.mark.id, i + 1);
		ck_assert_int_eq(f.e[i].ev.mark.origin, origins[i]);
		ck_assert_str_eq(f.e[i].label, labels[i]);
		ck_assert_double_eq(f.e[i].ev.t, 1.0 + i);
	}
	struct lsr_judge_view v;
	lsr_judge_view(f.j, &v);
	ck_assert_double_eq(v.intensity_ma, 12.5);
	ck_assert_int_eq(v.decompression_id, 0);
	/* a Cancel takes an id of its own, and retracts the Intensity */
	ck_assert_int_eq(lsr_judge_mark(f.j, 7, "Cancel 2", LSR_ORIGIN_KEY), 6);
	lsr_judge_view(f.j, &v);
	ck_assert(isnan(v.intensity_ma));
	/* cancelling an Intensity restores the one before it; one without a
	 * number changes nothing */
	ck_assert_int_eq(lsr_judge_mark(f.j, 8, "Intensity 10", LSR_ORIGIN_KEY), 7);
	ck_assert_int_eq(lsr_judge_mark(f.j, 9, "Intensity 15", LSR_ORIGIN_KEY), 8);
	ck_assert_int_eq(lsr_judge_mark(f.j, 10, "Intensity", LSR_ORIGIN_KEY), 9);
	lsr_judge_view(f.j, &v);
	ck_assert_double_eq(v.intensity_ma, 15);
	lsr_judge_mark(f.j, 11, "Cancel 8", LSR_ORIGIN_KEY);
	lsr_judge_view(f.j, &v);
	ck_assert_double_eq(v.intensity_ma, 10);
	fx_free(&f);
}
END_TEST

START_TEST(labels_classified_case_insensitively)
{
	double v;
	ck_assert_int_eq(lsr_mark_classify("decompression", &v), LSR_MARK_DECOMPRESSION);
	ck_assert_int_eq(lsr_mark_classify("  DECOMPRESSION ", &v), LSR_MARK_DECOMPRESSION);
	ck_assert_int_eq(lsr_mark_classify("Decompressions", &v), LSR_MARK_CUSTOM);
	ck_assert_int_eq(lsr_mark_classify("dura OPEN", &v), LSR_MARK_DURA_OPEN);
	ck_assert_int_eq(lsr_mark_classify("Closure", &v), LSR_MARK_CLOSURE);
	ck_assert_int_eq(lsr_mark_classify("confirm", &v), LSR_MARK_CONFIRM);
	ck_assert_int_eq(lsr_mark_classify("b", &v), LSR_MARK_CUSTOM);
	ck_assert_int_eq(lsr_mark_classify("baseline", &v), LSR_MARK_BASELINE);
	ck_assert_int_eq(lsr_mark_classify("intensity 8", &v), LSR_MARK_INTENSITY);
	ck_assert_double_eq(v, 8);
	ck_assert_int_eq(lsr_mark_classify("Intensity", &v), LSR_MARK_INTENSITY);
	ck_assert(isnan(v));
	ck_assert_int_eq(lsr_mark_classify("Intensity -3", &v), LSR_MARK_INTENSITY);
	ck_assert(isnan(v));
	ck_assert_int_eq(lsr_mark_classify("Intensity 3mA", &v), LSR_MARK_INTENSITY);
	ck_assert_double_eq(v, 3);
	ck_assert_int_eq(lsr_mark_classify("intensity 7.5 MA", &v), LSR_MARK_INTENSITY);
	ck_assert_double_eq(v, 7.5);
	ck_assert_int_eq(lsr_mark_classify("Intensity 3 volts", &v), LSR_MARK_INTENSITY);
	ck_assert(isnan(v));
	ck_assert_int_eq(lsr_mark_classify("Intensity 1e3", &v), LSR_MARK_INTENSITY);
	ck_assert(isnan(v));
	ck_assert_int_eq(lsr_mark_classify("Intensity 1.2.3", &v), LSR_MARK_INTENSITY);
	ck_assert(isnan(v));
	ck_assert_int_eq(lsr_mark_classify("Cancel 0x10", &v), LSR_MARK_CANCEL);
	ck_assert(isnan(v));
	ck_assert_int_eq(lsr_mark_classify("Cancel 3 mA", &v), LSR_MARK_CANCEL);
	ck_assert(isnan(v));
	ck_assert_int_eq(lsr_mark_classify("Intensityx 3", &v), LSR_MARK_CUSTOM);
	ck_assert_int_eq(lsr_mark_classify("CANCEL 12", &v), LSR_MARK_CANCEL);
	ck_assert_double_eq(v, 12);
	ck_assert_int_eq(lsr_mark_classify("Cancel 1.5", &v), LSR_MARK_CANCEL);
	ck_assert(isnan(v));
	ck_assert_int_eq(lsr_mark_classify("Cancel 0", &v), LSR_MARK_CANCEL);
	ck_assert(isnan(v));
	ck_assert_int_eq(lsr_mark_classify("Cancel 99999999999", &v), LSR_MARK_CANCEL);
	ck_assert(isnan(v));
	ck_assert_int_eq(lsr_mark_classify(NULL, &v), LSR_MARK_CUSTOM);
	ck_assert_int_eq(lsr_mark_classify("", &v), LSR_MARK_CUSTOM);
}
END_TEST

/* Loss at 31…40 after a Decompression mark at 20; cancelling that mark
 * turns the loss premature, and the state is emitted again. */
START_TEST(cancelled_decompression_reemits_state)
{
	struct fx f;
	fx_init(&f, "llc", true);
	fx_run(&f, 20);
	ck_assert_int_eq(lsr_judge_mark(f.j, 20.5, "decompression", LSR_ORIGIN_KEY), 1);
	fx_run(&f, 10);
	fx_set_lsr(&f, ABSENT);
	fx_run(&f, fx_w(&f, 0)); /* the long window: shown at its end */
	const struct lsr_event *s = fx_last_state(&f);
	ck_assert_int_eq(s->state.state, LSR_STATE_DISAPPEARED);
	ck_assert(s->state.after_decompression);
	struct lsr_event orig = *s;
	enum lsr_final fin;
	enum lsr_phase ph;
	final_of(&f, &fin, &ph);
	ck_assert_int_eq(ph, LSR_PHASE_AFTER_DECOMPRESSION);

	/* cancelling a mark that is not a Decompression changes nothing */
	ck_assert_int_eq(lsr_judge_mark(f.j, 41, "Closure", LSR_ORIGIN_KEY), 2);
	int before = f.n;
	ck_assert_int_eq(lsr_judge_mark(f.j, 41.5, "Cancel 2", LSR_ORIGIN_KEY), 3);
	ck_assert_int_eq(f.n, before + 1);

	before = f.n;
	int groups = f.groups;
	ck_assert_int_eq(lsr_judge_mark(f.j, 42, "Cancel 1", LSR_ORIGIN_KEY), 4);
	ck_assert_int_eq(f.n, before + 2);
	ck_assert_int_eq(f.e[before].ev.type, LSR_EV_MARK);
	const struct lsr_event *r = &f.e[before + 1].ev;
	ck_assert_int_eq(r->type, LSR_EV_STATE);
	ck_assert_int_eq(r->state.state, LSR_STATE_DISAPPEARED);
	ck_assert_int_eq(r->state.prev, orig.state.prev);
	ck_assert_double_eq(r->t, orig.t);
	ck_assert_double_eq(r->state.since, orig.state.since);
	ck_assert(r->state.premature);
	ck_assert(!r->state.after_decompression);
	ck_assert_int_eq(f.groups, groups + 1);
	final_of(&f, &fin, &ph);
	ck_assert_int_eq(fin, LSR_FINAL_DISAPPEARED);
	ck_assert_int_eq(ph, LSR_PHASE_PREMATURE);
	struct lsr_judge_view v;
	lsr_judge_view(f.j, &v);
	ck_assert(v.premature && !v.after_decompression);

	/* cancelling it twice does nothing more */
	before = f.n;
	lsr_judge_mark(f.j, 43, "Cancel 1", LSR_ORIGIN_KEY);
	ck_assert_int_eq(f.n, before + 1);
	fx_free(&f);
}
END_TEST

/* Two Decompression marks: only the first non-cancelled one counts. */
START_TEST(first_non_cancelled_decompression_counts)
{
	struct fx f;
	fx_init(&f, "lc", true);
	fx_run(&f, 20);
	lsr_judge_mark(f.j, 20.5, "Decompression", LSR_ORIGIN_KEY); /* 1 */
	fx_run(&f, 10);
	fx_set_lsr(&f, ABSENT);
	fx_run(&f, fx_w(&f, 0)); /* disappeared since 31 */
	lsr_judge_mark(f.j, 45, "Decompression", LSR_ORIGIN_KEY); /* 2: after the loss */
	ck_assert(fx_last_state(&f)->state.after_decompression);
	lsr_judge_mark(f.j, 46, "Cancel 1", LSR_ORIGIN_KEY);
	/* mark 2 now counts, and it does not precede since = 31 */
	ck_assert(fx_last_state(&f)->state.premature);
	struct lsr_judge_view v;
	lsr_judge_view(f.j, &v);
	ck_assert_int_eq(v.decompression_id, 2);
	ck_assert_double_eq(v.decompression_t, 45);
	fx_free(&f);
}
END_TEST

/* A Decompression mark that arrives after the loss was called but carries
 * an earlier time corrects the phase too. */
START_TEST(late_decompression_mark_corrects_phase)
{
	struct fx f;
	fx_init(&f, "lc", true);
	fx_run(&f, 20);
	fx_set_lsr(&f, ABSENT);
	fx_run(&f, fx_w(&f, 0)); /* the long window: shown at its end */
	ck_assert(fx_last_state(&f)->state.premature);
	int before = f.n;
	lsr_judge_mark(f.j, 20.5, "Decompression", LSR_ORIGIN_RECORDING);
	ck_assert_int_eq(f.n, before + 2);
	ck_assert(fx_last_state(&f)->state.after_decompression);
	fx_free(&f);

	/* one that comes after since does not */

	fx_init(&f, "lc", true);
	fx_run(&f, 20);
	fx_set_lsr(&f, ABSENT);
	fx_run(&f, fx_w(&f, 0)); /* the long window: shown at its end */
	before = f.n;
	lsr_judge_mark(f.j, 30.5, "Decompression", LSR_ORIGIN_KEY);
	ck_assert_int_eq(f.n, before + 1);
	enum lsr_final fin;
	enum lsr_phase ph;
	final_of(&f, &fin, &ph);
	ck_assert_int_eq(ph, LSR_PHASE_PREMATURE);
	fx_free(&f);
}
END_TEST

/* What each role's response carries: LSR channels the evidence's decision
 * over recent trials (present, trials, the matched amplitude in µV), the
 * control and other channels the single sweep's presence (trials 1, no
 * matched amplitude); every channel its own sweep pointers and numbers. */
START_TEST(response_fields_follow_the_role)
{
	struct fx f;
	fx_init(&f, "lco", true);
	f.lsr[2] = 77; /* other: the LSR window */
	fx_run(&f, 10);
	int w = fx_w(&f, 0);
	struct lsr_trial *tr = fx_next(&f);
	tr->ch[2].lsr.threshold_uv = 31;
	fx_judge(&f);
	int k = fx_find(&f, LSR_EV_STIM, f.n - 6);
	ck_assert_int_eq(f.e[k].ev.stim.n, 11);
	ck_assert_int_eq(f.e[k].ev.stim.origin, LSR_STIM_SYNC);
	for (int c = 0; c < 3; c++) {
		const struct lsr_event *r = &f.e[k + 1 + c].ev;
		ck_assert_int_eq(r->type, LSR_EV_RESPONSE);
		ck_assert_int_eq(r->response.ch, c);
		ck_assert_int_eq(r->response.n, 11);
		ck_assert_double_eq(r->t, 11);
		ck_assert_ptr_eq(r->response.raw, f.sweeps + FX_LEN * c);
		ck_assert_ptr_eq(r->response.conditioned, f.sweeps + FX_LEN * c);
		ck_assert_int_eq(r->response.sweep_len, FX_LEN);
		ck_assert_int_eq(r->response.sweep_pre, FX_PRE);
		ck_assert_double_eq(r->response.late_p2p_uv, 12);
		ck_assert_double_eq(r->response.noise_uv, 10);
		ck_assert(r->response.valid);
		ck_assert_int_eq(r->response.present, LSR_TRUE);
	}
	const struct lsr_event *l = &f.e[k + 1].ev, *ctl = &f.e[k + 2].ev, *o = &f.e[k + 3].ev;
	ck_assert_int_eq(l->response.role, LSR_ROLE_LSR);
	ck_assert_double_eq(l->response.p2p_uv, 200);
	ck_assert_double_eq(l->response.onset_ms, 10);
	ck_assert_double_eq(l->response.area_uv_ms, 400);
	ck_assert_double_eq(l->response.threshold_uv, 30);
	/* the first trial after the baseline: a decision over it alone */
	ck_assert_int_eq(l->response.trials, 1);
	ck_assert_double_eq_tol(l->response.amplitude_uv, 200, 200 * 0.05);
	ck_assert_int_eq(ctl->response.role, LSR_ROLE_CONTROL);
	ck_assert_double_eq(ctl->response.p2p_uv, 500);
	ck_assert_double_eq(ctl->response.onset_ms, 4);
	ck_assert_int_eq(ctl->response.trials, 1);
	ck_assert(isnan(ctl->response.amplitude_uv));
	ck_assert_int_eq(o->response.role, LSR_ROLE_OTHER);
	ck_assert_double_eq(o->response.p2p_uv, 77);
	ck_assert_double_eq(o->response.threshold_uv, 31);
	ck_assert_int_eq(o->response.trials, 1);
	ck_assert(isnan(o->response.amplitude_uv));

	/* the decision grows to the long window */
	for (int i = 2; i <= w + 2; i++) {
		fx_run(&f, 1);
		const struct lsr_event *r = fx_last_response(&f, 0);
		ck_assert_int_eq(r->response.trials, i < w ? i : w);
		ck_assert_double_eq_tol(r->response.amplitude_uv, 200, 200 * 0.05);
	}
	/* a trial whose window shows no onset reports none, while the
	 * decision over the recent trials is still present; its amplitude is
	 * this trial's own */
	tr = fx_next(&f);
	f.lsr[0] = ABSENT;
	fx_sweeps(&f);
	fx_window(&tr->ch[0].lsr, 10, 10, 30);
	fx_judge(&f);
	l = fx_last_response(&f, 0);
	ck_assert_int_eq(l->response.present, LSR_TRUE);
	ck_assert(isnan(l->response.onset_ms));
	ck_assert_double_eq_tol(l->response.amplitude_uv, 0, 200 * 0.05);
	ck_assert_int_eq(l->response.trials, w);
	f.lsr[0] = 200;
	/* a NAN threshold: a single sweep cannot say (other channel); the
	 * LSR channel decides on its sweeps, not on that number */
	tr = fx_next(&f);
	tr->ch[0].lsr.threshold_uv = NAN;
	tr->ch[2].lsr.threshold_uv = NAN;
	fx_judge(&f);
	ck_assert_int_eq(fx_last_response(&f, 2)->response.present, LSR_NULL);
	ck_assert_int_eq(fx_last_response(&f, 2)->response.trials, 0);
	ck_assert(fx_last_response(&f, 0)->response.valid);
	ck_assert_int_eq(fx_last_response(&f, 0)->response.present, LSR_TRUE);
	/* a trial without a sweep the judge can read (another geometry):
	 * its pointers pass through, and the LSR channel cannot be judged on
	 * it: no decision, no amplitude */
	static float raw[4 * 100], cond[4 * 100];
	tr = fx_next(&f);
	tr->raw = raw;
	tr->conditioned = cond;
	tr->stride = 100;
	tr->sweep_len = 90;
	tr->sweep_pre = 8;
	fx_judge(&f);
	for (int c = 0; c < 3; c++) {
		const struct lsr_event *r = fx_last_response(&f, c);
		ck_assert_ptr_eq(r->response.raw, raw + 100 * c);
		ck_assert_ptr_eq(r->response.conditioned, cond + 100 * c);
		ck_assert_int_eq(r->response.sweep_len, 90);
		ck_assert_int_eq(r->response.sweep_pre, 8);
	}
	ck_assert_int_eq(fx_last_response(&f, 0)->response.present, LSR_NULL);
	ck_assert(isnan(fx_last_response(&f, 0)->response.amplitude_uv));
	ck_assert_int_eq(fx_last_response(&f, 1)->response.present, LSR_TRUE);
	fx_free(&f);
}
END_TEST

START_TEST(validity_reasons)
{
	struct fx f;
	fx_init(&f, "lco", true);
	fx_run(&f, 10);
	/* saturation on the "other" channel still invalidates the trial */
	fx_next(&f)->ch[2].saturated = true;
	fx_judge(&f);
	for (int c = 0; c < 3; c++)
		ck_assert_int_eq(fx_last_response(&f, c)->response.invalid_reason,
		                 LSR_INVALID_SATURATED);
	fx_next(&f)->ch[0].spasm = true;
	fx_judge(&f);
	ck_assert_int_eq(fx_last_response(&f, 1)->response.invalid_reason, LSR_INVALID_SPASM);
	fx_next(&f)->ch[2].cautery = true; /* the other channel counts too */
	fx_judge(&f);
	ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason, LSR_INVALID_CAUTERY);
	fx_next(&f)->overlap = true;
	fx_judge(&f);
	ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason, LSR_INVALID_GAP);
	/* direct response at its usual latency ±1 ms, at least 50 % of 500 */
	f.direct_onset = 4.9;
	f.direct = 251;
	fx_run(&f, 1);
	ck_assert(fx_last_response(&f, 0)->response.valid);
	f.direct_onset = 5.1;
	fx_run(&f, 1);
	ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason, LSR_INVALID_NO_DIRECT);
	f.direct_onset = 4;
	f.direct = 249;
	fx_run(&f, 1);
	ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason, LSR_INVALID_NO_DIRECT);
	struct lsr_judge_view v;
	lsr_judge_view(f.j, &v);
	ck_assert_int_eq(v.invalid[LSR_INVALID_SATURATED], 1);
	ck_assert_int_eq(v.invalid[LSR_INVALID_SPASM], 1);
	ck_assert_int_eq(v.invalid[LSR_INVALID_CAUTERY], 1);
	ck_assert_int_eq(v.invalid[LSR_INVALID_GAP], 1);
	ck_assert_int_eq(v.invalid[LSR_INVALID_NO_DIRECT], 2);
	ck_assert_double_eq(v.last_valid_t, 15);
	fx_free(&f);
}
END_TEST

/* Before the control has its baseline a trial is valid when its direct
 * response is present; the baseline forms from such trials only. */
START_TEST(validity_before_control_baseline)
{
	struct fx f;
	fx_init(&f, "lc", true);
	f.direct = 20; /* below the 30 µV threshold */
	fx_run(&f, 2);
	ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason, LSR_INVALID_NO_DIRECT);
	f.direct = 500;
	fx_run(&f, 9);
	ck_assert_int_eq(fx_count(&f, LSR_EV_BASELINE), 0);
	fx_run(&f, 1);
	ck_assert_int_eq(fx_count(&f, LSR_EV_BASELINE), 2);
	ck_assert_double_eq(fx_last_state(&f)->state.since, 3);
	fx_free(&f);
}
END_TEST

START_TEST(final_status_for_each_case)
{
	enum lsr_final fin;
	enum lsr_phase ph;
	struct fx f;

	fx_init(&f, "lc", true); /* nothing judged */
	final_of(&f, &fin, &ph);
	ck_assert_int_eq(fin, LSR_FINAL_INDETERMINATE);
	ck_assert_int_eq(ph, LSR_PHASE_NONE);
	fx_run(&f, 5);
	final_of(&f, &fin, &ph);
	ck_assert_int_eq(fin, LSR_FINAL_INDETERMINATE);
	fx_free(&f);

	fx_init(&f, "lc", true); /* only a stimulation failure */
	f.direct = 0;
	fx_run(&f, 10);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_STIMULATION_FAILURE);
	final_of(&f, &fin, &ph);
	ck_assert_int_eq(fin, LSR_FINAL_INDETERMINATE);
	fx_free(&f);

	fx_init(&f, "lc", true); /* persistent, also across a later failure */
	fx_run(&f, 30);
	f.direct = 0;
	fx_run(&f, 5);
	final_of(&f, &fin, &ph);
	ck_assert_int_eq(fin, LSR_FINAL_PERSISTENT);
	ck_assert_int_eq(ph, LSR_PHASE_NONE);
	fx_free(&f);

	fx_init(&f, "lc", true); /* partial (reduced) */
	fx_run(&f, 20);
	fx_set_lsr(&f, 60);
	fx_run(&f, 2 * fx_w(&f, 0));
	ck_assert_int_eq(fx_state(&f), LSR_STATE_REDUCED);
	final_of(&f, &fin, &ph);
	ck_assert_int_eq(fin, LSR_FINAL_PARTIAL);
	ck_assert_int_eq(ph, LSR_PHASE_NONE);
	fx_free(&f);

	fx_init(&f, "lc", true); /* premature disappearance */
	fx_run(&f, 20);
	int w = fx_w(&f, 0);
	fx_set_lsr(&f, ABSENT);
	fx_run(&f, w);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_DISAPPEARED);
	final_of(&f, &fin, &ph);
	ck_assert_int_eq(fin, LSR_FINAL_DISAPPEARED);
	ck_assert_int_eq(ph, LSR_PHASE_PREMATURE);
	/* a return: no longer disappeared; once the window holds only the
	 * returned LSR, persistent again */
	fx_set_lsr(&f, 200);
	fx_run(&f, f.p.return_trials);
	final_of(&f, &fin, &ph);
	ck_assert_int_ne(fin, LSR_FINAL_DISAPPEARED);
	ck_assert_int_eq(ph, LSR_PHASE_NONE);
	fx_run(&f, w);
	final_of(&f, &fin, &ph);
	ck_assert_int_eq(fin, LSR_FINAL_PERSISTENT);
	/* a later indeterminate (the lead off for longer than invalid_reset)
	 * is no verdict: the last judged state stands */
	f.noise[0] = 50;
	fx_run(&f, f.p.invalid_reset + 1);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_INDETERMINATE);
	final_of(&f, &fin, &ph);
	ck_assert_int_eq(fin, LSR_FINAL_PERSISTENT);
	fx_free(&f);

	fx_init(&f, "lc", true); /* disappeared after decompression */
	fx_run(&f, 20);
	lsr_judge_mark(f.j, 20.5, "Decompression", LSR_ORIGIN_KEY);
	fx_set_lsr(&f, ABSENT);
	fx_run(&f, w);
	final_of(&f, &fin, &ph);
	ck_assert_int_eq(fin, LSR_FINAL_DISAPPEARED);
	ck_assert_int_eq(ph, LSR_PHASE_AFTER_DECOMPRESSION);
	fx_free(&f);

	fx_init(&f, "lc", true); /* no LSR at all */
	fx_set_lsr(&f, ABSENT);
	fx_run(&f, f.p.baseline_max);
	final_of(&f, &fin, &ph);
	ck_assert_int_eq(fin, LSR_FINAL_NOT_DETECTED);
	ck_assert_int_eq(ph, LSR_PHASE_NONE);
	fx_free(&f);
}
END_TEST

/* A role change starts that channel afresh: with its baseline pending no
 * disappearance can be called over it. */
START_TEST(role_change_starts_channel_afresh)
{
	struct fx f;
	fx_init(&f, "lco", true);
	fx_run(&f, 10);
	lsr_judge_set_role(f.j, 2, LSR_ROLE_LSR);
	f.roles[2] = LSR_ROLE_LSR;
	f.lsr[0] = ABSENT;
	f.lsr[2] = 300;
	fx_run(&f, 1);
	ck_assert_int_eq(fx_last_response(&f, 2)->response.role, LSR_ROLE_LSR);
	fx_run(&f, 8);
	/* ch0 is absent, ch2 still taking its baseline (9 of 10) */
	ck_assert_int_eq(fx_count_state(&f, LSR_STATE_DISAPPEARED), 0);
	fx_run(&f, 1);
	int b = fx_find(&f, LSR_EV_BASELINE, f.n - 8);
	ck_assert_int_ne(b, -1);
	ck_assert_int_eq(f.e[b].ev.baseline.ch, 2);
	ck_assert_double_eq_tol(f.e[b].ev.baseline.p2p_uv, 300, 300 * 0.025);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_PRESENT);
	struct lsr_judge_view v;
	lsr_judge_view(f.j, &v);
	ck_assert_int_eq(v.ch[2].role, LSR_ROLE_LSR);
	ck_assert_int_eq(v.ch[2].state, LSR_STATE_PRESENT);
	ck_assert_int_eq(v.ch[0].state, LSR_STATE_DISAPPEARED);
	/* out-of-range calls are ignored */
	lsr_judge_set_role(f.j, 3, LSR_ROLE_LSR);
	lsr_judge_set_role(f.j, -1, LSR_ROLE_LSR);
	fx_free(&f);
}
END_TEST

START_TEST(new_rejects_bad_arguments)
{
	struct lsr_params p;
	lsr_params_defaults(&p);
	enum lsr_role roles[LSR_MAX_CHANNELS + 1] = { 0 };
	ck_assert_ptr_null(lsr_judge_new(&p, FX_RATE, 0, roles, NULL, true, NULL));
	ck_assert_ptr_null(lsr_judge_new(&p, FX_RATE, LSR_MAX_CHANNELS + 1, roles, NULL, true, NULL));
	struct lsr_judge *j = lsr_judge_new(&p, FX_RATE, 1, roles, NULL, true, NULL);
	ck_assert_ptr_nonnull(j);
	lsr_judge_mark(j, 1, "Decompression", LSR_ORIGIN_KEY); /* no sink: fine */
	const char *w[4];
	/* an lsr channel without control: one warning */
	ck_assert_int_eq(lsr_judge_warnings(j, w, 4), 1);
	ck_assert_int_eq(lsr_judge_warnings(j, w, 0), 0);
	lsr_judge_free(j);
	roles[0] = LSR_ROLE_CONTROL;
	j = lsr_judge_new(&p, FX_RATE, 1, roles, NULL, true, NULL);
	ck_assert_int_eq(lsr_judge_warnings(j, w, 4), 1);
	ck_assert_ptr_nonnull(strstr(w[0], "no LSR channel"));
	lsr_judge_free(j);
}
END_TEST

/* A new segment keeps marks, ids and the case; changed channels start
 * afresh, an unchanged configuration keeps its baselines. */
START_TEST(segment_carries_the_case_over)
{
	struct fx f;
	fx_init(&f, "lc", true);
	fx_run(&f, 10);
	ck_assert_int_eq(lsr_judge_mark(f.j, 10.5, "Decompression", LSR_ORIGIN_KEY), 1);
	/* same configuration (device restart): nothing restarts */
	ck_assert_int_eq(lsr_judge_segment(f.j, FX_RATE, 2, f.roles, true), 0);
	int nb = fx_count(&f, LSR_EV_BASELINE);
	fx_run(&f, 10);
	int w = fx_w(&f, 0);
	fx_set_lsr(&f, ABSENT);
	fx_run(&f, w);
	ck_assert_int_eq(fx_count(&f, LSR_EV_BASELINE), nb);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_DISAPPEARED);
	ck_assert(fx_last_state(&f)->state.after_decompression);

	/* a third channel: baselines are taken again, the case goes on */
	f.nch = 3;
	f.roles[2] = LSR_ROLE_LSR;
	f.noise[2] = 10;
	ck_assert_int_eq(lsr_judge_segment(f.j, FX_RATE, 3, f.roles, true), 0);
	ck_assert_int_eq(lsr_judge_segment(f.j, FX_RATE, 0, f.roles, true), -1);
	f.lsr[2] = 200;
	fx_run(&f, 1);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_ACQUIRING);
	fx_run(&f, 9);
	ck_assert_int_eq(fx_state(&f), LSR_STATE_PRESENT);
	ck_assert_int_eq(lsr_judge_mark(f.j, f.t + 0.5, "Closure", LSR_ORIGIN_KEY), 2);
	enum lsr_final fin;
	enum lsr_phase ph;
	int stims;
	lsr_judge_final(f.j, &fin, &ph, &stims);
	ck_assert_int_eq(fin, LSR_FINAL_PERSISTENT);
	ck_assert_int_eq(stims, 20 + w + 10);
	/* a cancellation still reaches the state changes of the old segment */
	int before = f.n;
	lsr_judge_mark(f.j, f.t + 0.6, "Cancel 1", LSR_ORIGIN_KEY);
	ck_assert_int_eq(f.n, before + 2);
	ck_assert(f.e[before + 1].ev.state.premature);
	/* a segment below min_rate_hz judges nothing; the verdict stands */
	ck_assert_int_eq(lsr_judge_segment(f.j, FX_RATE, 3, f.roles, false), 0);
	fx_run(&f, 5);
	ck_assert_int_eq(fx_count(&f, LSR_EV_RESPONSE), 3 * 10 + 2 * (20 + w));
	lsr_judge_final(f.j, &fin, &ph, &stims);
	ck_assert_int_eq(fin, LSR_FINAL_PERSISTENT);

	/* back to judging at another rate: the sweeps' geometry changed, so
	 * every channel starts afresh, and at the new rate it is judged */
	int nbase = fx_count(&f, LSR_EV_BASELINE);
	ck_assert_int_eq(lsr_judge_segment(f.j, FX_RATE / 2, 3, f.roles, true), 0);
	struct lsr_judge_view v;
	lsr_judge_view(f.j, &v);
	for (int c = 0; c < 3; c++)
		ck_assert(!v.ch[c].has_baseline);
	/* the fixture's 20 kHz sweeps no longer fit: no LSR decision on them */
	fx_run(&f, 12);
	ck_assert_int_eq(fx_last_response(&f, 2)->response.present, LSR_NULL);
	lsr_judge_view(f.j, &v);
	ck_assert(!v.ch[2].has_baseline);
	ck_assert(v.ch[1].has_baseline); /* the control's is by its numbers */
	ck_assert_int_eq(fx_count(&f, LSR_EV_BASELINE), nbase + 1);
	lsr_judge_final(f.j, &fin, &ph, &stims);
	ck_assert_int_eq(fin, LSR_FINAL_PERSISTENT);
	fx_free(&f);
}
END_TEST

/* A direct-response onset at the window's edge carries no latency: it
 * neither forms the control's baseline onset nor fails the latency check.
 * With sweeps the latency is the lag against the baseline's direct
 * response shape (±control_latency_ms): an onset number moved by noise
 * does not fail a direct response that is where it was, and one that did
 * move by 2 ms fails whatever its onset number says.  Without sweeps the
 * onset number is the latency. */
START_TEST(control_onset_at_edge_is_no_latency)
{
	struct fx f;
	fx_init(&f, "lc", true);
	for (int i = 0; i < 10; i++) {
		struct lsr_trial *tr = fx_next(&f);
		if (i % 3) { /* 7 of 10 start at the edge */
			tr->ch[1].direct.onset_ms = 2.0;
			tr->ch[1].direct.onset_at_edge = true;
		}
		fx_judge(&f);
	}
	int b = fx_find(&f, LSR_EV_BASELINE, 0);
	while (b >= 0 && f.e[b].ev.baseline.ch != 1)
		b = fx_find(&f, LSR_EV_BASELINE, b + 1);
	ck_assert_int_ne(b, -1);
	ck_assert_double_eq(f.e[b].ev.baseline.onset_ms, 4);
	struct lsr_trial *tr = fx_next(&f);
	tr->ch[1].direct.onset_ms = 2.0;
	tr->ch[1].direct.onset_at_edge = true;
	fx_judge(&f);
	ck_assert(fx_last_response(&f, 0)->response.valid);
	/* the onset number 2 ms late, the response itself in place: valid */
	tr = fx_next(&f);
	tr->ch[1].direct.onset_ms = 6.0;
	fx_judge(&f);
	ck_assert(fx_last_response(&f, 0)->response.valid);
	/* the response itself 2 ms late (its onset number too): no_direct */
	f.direct_onset = 6;
	fx_run(&f, 1);
	ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason, LSR_INVALID_NO_DIRECT);
	/* ±control_latency_ms: 0.8 ms late is still its latency, 1.3 ms not */
	f.direct_onset = 4.8;
	fx_run(&f, 1);
	ck_assert(fx_last_response(&f, 0)->response.valid);
	f.direct_onset = 2.7;
	fx_run(&f, 1);
	ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason, LSR_INVALID_NO_DIRECT);
	f.direct_onset = 4;

	/* without sweeps: the onset number, the edge carrying none */
	tr = fx_next(&f);
	tr->raw = tr->conditioned = NULL;
	tr->ch[1].direct.onset_ms = 2.0;
	tr->ch[1].direct.onset_at_edge = true;
	fx_judge(&f);
	ck_assert(fx_last_response(&f, 0)->response.valid);
	tr = fx_next(&f);
	tr->raw = tr->conditioned = NULL;
	tr->ch[1].direct.onset_ms = 6.0;
	fx_judge(&f);
	ck_assert_int_eq(fx_last_response(&f, 0)->response.invalid_reason, LSR_INVALID_NO_DIRECT);
	tr = fx_next(&f);
	tr->raw = tr->conditioned = NULL;
	tr->ch[1].direct.onset_ms = 4.9;
	fx_judge(&f);
	ck_assert(fx_last_response(&f, 0)->response.valid);
	fx_free(&f);
}
END_TEST

Suite *suite_judge_marks(void)
{
	Suite *s = suite_create("judge_marks");
	TCase *tc = tcase_create("marks");
	tcase_add_test(tc, mark_ids_run_across_origins);
	tcase_add_test(tc, labels_classified_case_insensitively);
	tcase_add_test(tc, cancelled_decompression_reemits_state);
	tcase_add_test(tc, first_non_cancelled_decompression_counts);
	tcase_add_test(tc, late_decompression_mark_corrects_phase);
	tcase_add_test(tc, response_fields_follow_the_role);
	tcase_add_test(tc, validity_reasons);
	tcase_add_test(tc, validity_before_control_baseline);
	tcase_add_test(tc, control_onset_at_edge_is_no_latency);
	tcase_add_test(tc, final_status_for_each_case);
	tcase_add_test(tc, role_change_starts_channel_afresh);
	tcase_add_test(tc, new_rejects_bad_arguments);
	tcase_add_test(tc, segment_carries_the_case_over);
	suite_add_tcase(s, tc);
	return s;
}
