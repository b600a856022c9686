/* src/judge/judge_trial.c — one measured trial through the judge: validity with
 * reasons, presence, responses, stimulation failure, baselines and channel
 * states (docs/clinical.md "What makes a trial valid"). */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "judge_priv.h"

/* The direct window's presence threshold, floor_uv while the noise
 * distribution is not yet known (a NAN threshold must not read as "no
 * direct response" and start a stimulation failure). */
static double direct_threshold(const struct lsr_judge *j, const struct lsr_window_measure *d)
{
	return isnan(d->threshold_uv) ? j->p.floor_uv : d->threshold_uv;
}

/* Does this trial carry a sweep the judge's shapes can read? */
static bool sweep_fits(const struct lsr_judge *j, const struct lsr_trial *tr)
{
	return j->geometry_ok && tr->conditioned && tr->sweep_len == j->geom.len &&
	       tr->sweep_pre == j->geom.pre;
}

/* Did the stimulus reach the nerve, by this control channel? */
static bool control_ok(const struct lsr_judge *j, int c, const struct lsr_trial *tr)
{
	const struct lsr_window_measure *d = &tr->ch[c].direct;
	const struct lsr_baseline *b = &j->ch[c].base;
	if (!(d->p2p_uv > direct_threshold(j, d)))
		return false;
	if (!b->have)
		return true;
	if (!(d->p2p_uv >= j->p.control_min_pct / 100.0 * b->p2p_uv))
		return false;
	const struct lsr_control_shape *cs = &j->ch[c].cs;
	if (cs->have && sweep_fits(j, tr)) {
		double lag = lsr_control_shape_lag_ms(cs, tr->conditioned + (size_t)c * tr->stride);
		return fabs(lag) <= j->p.control_latency_ms;
	}
	/* An onset at the window's edge is no latency at all (the crossing
	 * began before the window): only the amplitude can be judged then. */
	if (!isnan(b->onset_ms) && !d->onset_at_edge &&
	    !(fabs(d->onset_ms - b->onset_ms) <= j->p.control_latency_ms))
		return false;
	return true;
}

static bool lead_bad(const struct lsr_judge *j, int c, double noise_uv)
{
	const struct lsr_baseline *b = &j->ch[c].base;
	if (!b->have || !(b->noise_uv > 0) || isnan(noise_uv))
		return false;
	return noise_uv < j->p.lead_noise_low * b->noise_uv ||
	       noise_uv > j->p.lead_noise_high * b->noise_uv;
}

/* A single sweep's presence: the control's direct response, and any
 * channel the judge does not follow (LSR channels decide on the evidence
 * of several trials: evidence.h). */
static enum lsr_tristate single_presence(const struct lsr_judge *j, int c,
                                         const struct lsr_window_measure *w)
{
	if (isnan(w->threshold_uv) || isnan(w->p2p_uv))
		return LSR_NULL;
	/* In the LSR window a crossing right at the edge is the tail of the
	 * direct response, not an LSR. */
	bool edge = j->ch[c].role != LSR_ROLE_CONTROL && w->onset_at_edge;
	return w->p2p_uv > w->threshold_uv && !edge ? LSR_TRUE : LSR_FALSE;
}

static const struct lsr_window_measure *role_window(const struct lsr_judge *j, int c,
                                                    const struct lsr_channel_measure *m)
{
	return j->ch[c].role == LSR_ROLE_CONTROL ? &m->direct : &m->lsr;
}

static enum lsr_invalid trial_reason(const struct lsr_trial *tr, int nch)
{
	if (tr->gap || tr->overlap)
		return LSR_INVALID_GAP;
	for (int c = 0; c < nch; c++)
		if (tr->ch[c].saturated)
			return LSR_INVALID_SATURATED;
	/* like saturation, on any channel: cautery swamps them all, and a
	 * burst seen only on an unjudged channel is still in this sweep */
	for (int c = 0; c < nch; c++)
		if (tr->ch[c].cautery)
			return LSR_INVALID_CAUTERY;
	for (int c = 0; c < nch; c++)
		if (tr->ch[c].spasm)
			return LSR_INVALID_SPASM;
	return LSR_VALID;
}

static void note_stimulus(struct lsr_judge *j, double t)
{
	j->stims++;
	if (j->time_seen && !isnan(j->last_stim_t) && t > j->last_stim_t && j->stims > 1) {
		j->intervals[j->int_head] = t - j->last_stim_t;
		j->int_head = (j->int_head + 1) % LSR_JUDGE_INTERVALS;
		if (j->nint < LSR_JUDGE_INTERVALS)
			j->nint++;
	}
	j->last_stim_t = t;
	j->time_seen = true;
}

/* Did this trial's stimulus reach the nerve, with nothing else wrong on
 * the channel (reason, its own)?  A valid trial's did; so did one invalid
 * only for its direct response, when that response is there (above its
 * detection threshold) but under control_min_pct of its baseline or off
 * its latency: an intensity lowered to about half gives such trials among
 * valid ones. */
static bool reached_nerve(const struct lsr_judge *j, const struct lsr_trial *tr, int nch,
                          enum lsr_invalid reason)
{
	if (reason == LSR_VALID)
		return true;
	if (reason != LSR_INVALID_NO_DIRECT)
		return false;
	for (int c = 0; c < nch; c++) {
		const struct lsr_window_measure *d = &tr->ch[c].direct;
		if (j->ch[c].role == LSR_ROLE_CONTROL && d->p2p_uv > direct_threshold(j, d))
			return true;
	}
	return false;
}

static void note_nerve(struct lsr_judge_ch *ch, double t)
{
	ch->nerve_t[ch->nerve_head] = t;
	ch->nerve_head = (ch->nerve_head + 1) % LSR_JUDGE_NERVE;
	if (ch->nerve_n < LSR_JUDGE_NERVE)
		ch->nerve_n++;
}

/* What a decision's `recent` may rest on: the channel's trials since its
 * disappear_trials-th last stimulus that reached the nerve, so that a
 * verdict is never shown on evidence older than that many of them
 * (docs/clinical.md "How presence is judged"; docs/detector.md "States"). */
static double recent_from(const struct lsr_judge *j, const struct lsr_judge_ch *ch)
{
	int d = j->p.disappear_trials < LSR_JUDGE_NERVE ? j->p.disappear_trials : LSR_JUDGE_NERVE;
	if (ch->nerve_n < d)
		return -INFINITY;
	return ch->nerve_t[(ch->nerve_head - d + LSR_JUDGE_NERVE) % LSR_JUDGE_NERVE];
}

/* What a trial says about each channel, before any event is emitted. */
struct trial_view {
	enum lsr_invalid reason[LSR_MAX_CHANNELS];
	enum lsr_tristate present[LSR_MAX_CHANNELS];
	struct lsr_decision dec[LSR_MAX_CHANNELS];
	bool pushed[LSR_MAX_CHANNELS];  /* into the channel's evidence */
	bool started[LSR_MAX_CHANNELS]; /* a baseline came into force */
	bool refined[LSR_MAX_CHANNELS]; /* an early baseline became precise */
	bool nerve[LSR_MAX_CHANNELS];   /* reached the nerve (reached_nerve) */
};

static void emit_responses(struct lsr_judge *j, const struct lsr_trial *tr, int nch,
                           const struct trial_view *tv)
{
	bool wants_average = j->out.wants_average && j->out.wants_average(j->out.ctx);
	for (int c = 0; c < nch; c++) {
		const struct lsr_channel_measure *m = &tr->ch[c];
		const struct lsr_window_measure *w = role_window(j, c, m);
		struct lsr_judge_ch *ch = &j->ch[c];
		const struct lsr_decision *d = &tv->dec[c];
		struct lsr_event ev = { .type = LSR_EV_RESPONSE, .t = tr->t };
		ev.response.n = tr->n;
		ev.response.ch = c;
		ev.response.role = ch->role;
		ev.response.valid = tv->reason[c] == LSR_VALID;
		ev.response.invalid_reason = tv->reason[c];
		ev.response.present = tv->present[c];
		ev.response.p2p_uv = w->p2p_uv;
		ev.response.onset_ms = tv->present[c] == LSR_TRUE ? w->onset_ms : NAN;
		ev.response.area_uv_ms = w->area_uv_ms;
		ev.response.late_p2p_uv = m->late_p2p_uv;
		ev.response.noise_uv = m->noise_uv;
		ev.response.threshold_uv = w->threshold_uv;
		ev.response.amplitude_uv = NAN;
		ev.response.trials = 0;
		if (ch->role == LSR_ROLE_LSR) {
			if (d->made) {
				ev.response.amplitude_uv = d->trial_ratio * ch->base.p2p_uv;
				ev.response.trials = d->trials;
				if (wants_average) {
					lsr_evidence_show(&ch->ev);
					ev.response.average = ch->ev.shown;
				}
			}
		} else if (tv->present[c] != LSR_NULL) {
			ev.response.trials = 1;
		}
		size_t off = (size_t)c * tr->stride;
		ev.response.raw = tr->raw ? tr->raw + off : NULL;
		ev.response.conditioned = tr->conditioned ? tr->conditioned + off : NULL;
		ev.response.sweep_len = tr->sweep_len;
		ev.response.sweep_pre = tr->sweep_pre;
		lsr_judge_emit(j, &ev);
	}
}

/* Stimulation failure: no direct response on failure_trials consecutive
 * trials (gap, saturation, cautery and spasm trials do not count).  Returns
 * true when a failure ended on this trial. */
static bool track_failure(struct lsr_judge *j, double t, enum lsr_invalid treason, bool direct_ok)
{
	if (lsr_judge_count_role(j, LSR_ROLE_CONTROL) == 0 || treason != LSR_VALID)
		return false;
	if (direct_ok) {
		j->fail_run = 0;
		if (!j->failure)
			return false;
		j->failure = false;
		return true;
	}
	if (j->fail_run++ == 0)
		j->fail_since = t;
	if (j->fail_run >= j->p.failure_trials)
		j->failure = true;
	return false;
}

/* The control's direct response on this trial over its baseline (the
 * mean over control channels that have one); NAN without one. */
static double direct_ratio(const struct lsr_judge *j, const struct lsr_trial *tr, int nch)
{
	double sum = 0;
	int n = 0;
	for (int c = 0; c < nch; c++) {
		const struct lsr_judge_ch *ch = &j->ch[c];
		if (ch->role != LSR_ROLE_CONTROL || !ch->base.have || !(ch->base.p2p_uv > 0))
			continue;
		sum += tr->ch[c].direct.p2p_uv / ch->base.p2p_uv;
		n++;
	}
	return n ? sum / n : NAN;
}

/* An LSR channel's valid trial: into its evidence, toward its baseline,
 * and its decision (evidence.h). */
static void weigh_lsr(struct lsr_judge *j, const struct lsr_trial *tr, int c, double dratio,
                      struct trial_view *tv)
{
	struct lsr_judge_ch *ch = &j->ch[c];
	const struct lsr_channel_measure *m = &tr->ch[c];
	if (tv->reason[c] != LSR_VALID || !sweep_fits(j, tr))
		return;
	lsr_evidence_push(&ch->ev, tr->conditioned + (size_t)c * tr->stride, tr->t, dratio);
	tv->pushed[c] = true;
	if (ch->base.collecting || ch->ev.early) {
		bool single = single_presence(j, c, &m->lsr) == LSR_TRUE;
		lsr_baseline_store(&ch->base, tr->t, m->lsr.p2p_uv, single ? m->lsr.onset_ms : NAN,
		                   m->noise_uv);
		bool early = ch->ev.early;
		enum lsr_baseline_verdict v = lsr_evidence_baseline(&ch->ev, &j->p);
		if (v == LSR_BASE_LSR && early) {
			/* the early baseline made precise: judging goes on */
			lsr_baseline_refine(&ch->base, &j->p, lsr_baseline_trial_p2p(&ch->base),
			                    ch->ev.base_cv, ch->ev.base_trials);
			tv->refined[c] = true;
			return;
		}
		if (v != LSR_BASE_MORE) {
			bool has = v != LSR_BASE_NONE;
			bool confirmed = ch->base.confirm_on_completion;
			/* the amplitude single sweeps show, or where they cannot,
			 * the average's (both free of the noise's bias) */
			double p2p = lsr_baseline_trial_p2p(&ch->base);
			if (isnan(p2p))
				p2p = ch->ev.base_p2p_uv;
			lsr_baseline_finish(&ch->base, &j->p, has ? p2p : NAN, has ? ch->ev.base_cv : NAN,
			                    has, lsr_marks_intensity(&j->marks));
			/* an early baseline is provisional until precise, unless
			 * the operator already confirmed it: then it is final */
			if (v == LSR_BASE_EARLY && confirmed) {
				lsr_evidence_end_collection(&ch->ev);
			} else if (v == LSR_BASE_EARLY) {
				ch->base.provisional = true;
				ch->base.refining = true;
			}
			tv->started[c] = true;
			return;
		}
	}
	if (ch->base.have && ch->base.has_lsr)
		lsr_evidence_decide(&ch->ev, &j->p, recent_from(j, ch), &tv->dec[c]);
	const struct lsr_decision *d = &tv->dec[c];
	if (d->made)
		tv->present[c] = d->detected ? LSR_TRUE : d->absent ? LSR_FALSE : LSR_NULL;
}

/* The LSR channels of a trial, weighed by lsr_judge_weigh_item. */
struct weigh_job {
	const struct lsr_trial *tr;
	double dratio;
	struct trial_view *tv;
	int ch[LSR_MAX_CHANNELS], n;
};

void lsr_judge_weigh_item(void *ctx, int who, int item)
{
	(void)who;
	struct lsr_judge *j = ctx;
	const struct weigh_job *job = j->weigh;
	weigh_lsr(j, job->tr, job->ch[item], job->dratio, job->tv);
}

/* The control's baseline: the median of its first baseline_trials valid
 * direct responses. */
static bool weigh_control(struct lsr_judge *j, const struct lsr_trial *tr, int c,
                          enum lsr_invalid treason)
{
	struct lsr_judge_ch *ch = &j->ch[c];
	const struct lsr_window_measure *d = &tr->ch[c].direct;
	/* The control collects by its own direct response, so a new control
	 * baseline can be taken while the old one fails. */
	if (treason != LSR_VALID || !(d->p2p_uv > direct_threshold(j, d)))
		return false;
	if (!lsr_baseline_store(&ch->base, tr->t, d->p2p_uv, d->onset_at_edge ? NAN : d->onset_ms,
	                        tr->ch[c].noise_uv))
		return false;
	if (sweep_fits(j, tr))
		lsr_control_shape_add(&ch->cs, tr->conditioned + (size_t)c * tr->stride);
	if (lsr_baseline_collected(&ch->base) < j->p.baseline_trials)
		return false;
	lsr_baseline_finish(&ch->base, &j->p, NAN, NAN, true, lsr_marks_intensity(&j->marks));
	lsr_control_shape_finish(&ch->cs);
	return true;
}

void lsr_judge_trial(struct lsr_judge *j, const struct lsr_trial *tr)
{
	note_stimulus(j, tr->t);
	struct lsr_event ev = { .type = LSR_EV_STIM, .t = tr->t };
	ev.stim.n = tr->n;
	ev.stim.origin = tr->origin;
	lsr_judge_emit(j, &ev);
	if (!j->judging) {
		lsr_judge_group_end(j);
		return;
	}
	int nch = tr->nch < j->nch ? tr->nch : j->nch;
	if (nch < 0)
		nch = 0;

	enum lsr_invalid treason = trial_reason(tr, nch);
	bool direct_ok = false;
	for (int c = 0; c < nch; c++)
		if (j->ch[c].role == LSR_ROLE_CONTROL && control_ok(j, c, tr))
			direct_ok = true;
	enum lsr_invalid base_reason = treason;
	if (base_reason == LSR_VALID && lsr_judge_count_role(j, LSR_ROLE_CONTROL) > 0 && !direct_ok)
		base_reason = LSR_INVALID_NO_DIRECT;

	struct trial_view tv;
	memset(&tv, 0, sizeof tv);
	bool any_lead = false;
	struct weigh_job job = { .tr = tr, .dratio = direct_ratio(j, tr, nch), .tv = &tv };
	for (int c = 0; c < nch; c++) {
		struct lsr_judge_ch *ch = &j->ch[c];
		tv.reason[c] = base_reason;
		if (tv.reason[c] == LSR_VALID && ch->role == LSR_ROLE_LSR &&
		    lead_bad(j, c, tr->ch[c].noise_uv)) {
			tv.reason[c] = LSR_INVALID_LEAD;
			any_lead = true;
		}
		ch->changed = false;
		if (ch->role == LSR_ROLE_LSR) {
			tv.nerve[c] = reached_nerve(j, tr, nch, tv.reason[c]);
			if (tv.nerve[c])
				note_nerve(ch, tr->t);
			tv.present[c] = LSR_NULL;
			job.ch[job.n++] = c;
		} else {
			tv.present[c] = single_presence(j, c, role_window(j, c, &tr->ch[c]));
		}
	}
	/* Each LSR channel's weighing touches only that channel's state and
	 * its elements of tv (and reads what the loop above has settled). */
	j->weigh = &job;
	if (j->crew && job.n > 1)
		lsr_crew_run(j->crew, lsr_judge_weigh_item, j, job.n);
	else
		for (int i = 0; i < job.n; i++)
			lsr_judge_weigh_item(j, 0, i);
	j->weigh = NULL;
	emit_responses(j, tr, nch, &tv);

	if (base_reason != LSR_VALID)
		j->invalid[base_reason]++;
	else if (any_lead)
		j->invalid[LSR_INVALID_LEAD]++;
	if (base_reason == LSR_VALID)
		j->last_valid_t = tr->t;

	bool resumed = track_failure(j, tr->t, treason, direct_ok);
	if (j->no_stim) {
		j->no_stim = false;
		resumed = true;
	}
	for (int c = 0; c < nch; c++) {
		struct lsr_judge_ch *ch = &j->ch[c];
		enum lsr_state prev = ch->st.state;
		if (ch->role == LSR_ROLE_CONTROL) {
			if (weigh_control(j, tr, c, treason))
				lsr_judge_emit_baseline(j, c, tr->t);
			continue;
		}
		if (ch->role != LSR_ROLE_LSR)
			continue;
		if (tv.started[c]) {
			lsr_judge_emit_baseline(j, c, tr->t);
			lsr_judge_channel_start(&ch->st, ch->base.has_lsr, ch->base.t_first);
			if (ch->st.state != prev)
				lsr_judge_emit_channel_state(j, c, tr->t, prev);
			continue;
		}
		if (tv.refined[c]) {
			lsr_judge_emit_baseline(j, c, tr->t);
			continue;
		}
		if (!ch->base.have || !ch->base.has_lsr)
			continue;
		enum lsr_reason prev_reason = ch->st.reason;
		bool changed;
		if (tv.pushed[c]) {
			changed = lsr_judge_channel_decide(&ch->st, &j->p, &tv.dec[c], tr->t);
			if (changed && lsr_judge_channel_returned(prev, ch->st.state)) {
				/* present or reduced by the trials of the return alone */
				int keep = ch->ev.k > j->p.return_trials ? ch->ev.k : j->p.return_trials;
				lsr_evidence_keep_last(&ch->ev, keep);
				lsr_evidence_decide(&ch->ev, &j->p, recent_from(j, ch), &tv.dec[c]);
				lsr_judge_channel_settle(&ch->st, &j->p, &tv.dec[c]);
			}
			/* an early baseline's collection holds only the LSR it
			 * began with */
			if (ch->st.state != LSR_STATE_PRESENT && ch->ev.early) {
				lsr_evidence_end_collection(&ch->ev);
				lsr_baseline_stop_refining(&ch->base);
			}
		} else {
			changed = lsr_judge_channel_skip(&ch->st, &j->p, tr->t,
			                                 tv.reason[c] == LSR_INVALID_NO_DIRECT);
			if (changed) {
				lsr_evidence_clear(&ch->ev);
			} else if (tv.nerve[c]) {
				/* the verdict ages by this stimulus too */
				struct lsr_decision d;
				lsr_evidence_recheck(&ch->ev, &j->p, recent_from(j, ch), &d);
				changed = lsr_judge_channel_age(&ch->st, &d, tr->t);
			}
		}
		if (changed && (ch->st.state != prev || ch->st.reason != prev_reason))
			lsr_judge_emit_channel_state(j, c, tr->t, prev);
	}
	lsr_judge_update_overall(j, tr->t, resumed);
	lsr_judge_group_end(j);
}
