/* src/judge/judge_trial.c — one measured trial through the judge: validity with
 * reasons, presence, responses, stimulation failure, baselines and channel
 * states (docs/clinical.md "What makes a trial valid"). */
#include <math.h>
#include <stddef.h>

#include "judge_priv.h"

/* The direct window's presence threshold, floor_uv while the noise
 * distribution is not yet known (a NAN threshold must not read as "no
 * direct response" and start a stimulation failure). */
static double direct_threshold(const struct lsr_judge *j, const struct lsr_window_measure *d)
{
	return isnan(d->threshold_uv) ? j->p.floor_uv : d->threshold_uv;
}

/* Did the stimulus reach the nerve, by this control channel? */
static bool control_ok(const struct lsr_judge *j, int c, const struct lsr_window_measure *d)
{
	const struct lsr_baseline *b = &j->ch[c].base;
	if (!(d->p2p_uv > direct_threshold(j, d)))
		return false;
	if (!b->have)
		return true;
	if (!(d->p2p_uv >= j->p.control_min_pct / 100.0 * b->p2p_uv))
		return false;
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

static enum lsr_tristate presence(const struct lsr_judge *j, int c, const struct lsr_window_measure *w)
{
	const struct lsr_judge_ch *ch = &j->ch[c];
	if (isnan(w->threshold_uv) || isnan(w->p2p_uv))
		return LSR_NULL;
	/* In the LSR window a crossing right at the edge is the tail of the
	 * direct response, not an LSR. */
	bool edge = ch->role != LSR_ROLE_CONTROL && w->onset_at_edge;
	if (w->p2p_uv > w->threshold_uv && !edge)
		return LSR_TRUE;
	if (ch->role == LSR_ROLE_LSR && ch->base.have &&
	    w->threshold_uv > j->p.detectable_pct / 100.0 * ch->base.p2p_uv)
		return LSR_NULL;
	return LSR_FALSE;
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

static void emit_responses(struct lsr_judge *j, const struct lsr_trial *tr, int nch,
                           const enum lsr_invalid *reason, const enum lsr_tristate *present)
{
	for (int c = 0; c < nch; c++) {
		const struct lsr_channel_measure *m = &tr->ch[c];
		const struct lsr_window_measure *w = role_window(j, c, m);
		struct lsr_event ev = { .type = LSR_EV_RESPONSE, .t = tr->t };
		ev.response.n = tr->n;
		ev.response.ch = c;
		ev.response.role = j->ch[c].role;
		ev.response.valid = reason[c] == LSR_VALID;
		ev.response.invalid_reason = reason[c];
		ev.response.present = present[c];
		ev.response.p2p_uv = w->p2p_uv;
		ev.response.onset_ms = present[c] == LSR_TRUE ? w->onset_ms : NAN;
		ev.response.area_uv_ms = w->area_uv_ms;
		ev.response.late_p2p_uv = m->late_p2p_uv;
		ev.response.noise_uv = m->noise_uv;
		ev.response.threshold_uv = w->threshold_uv;
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
		for (int c = 0; c < j->nch; c++)
			lsr_judge_channel_reset_counters(&j->ch[c].st);
		return true;
	}
	if (j->fail_run++ == 0)
		j->fail_since = t;
	if (j->fail_run >= j->p.failure_trials)
		j->failure = true;
	return false;
}

static void update_baselines(struct lsr_judge *j, const struct lsr_trial *tr, int nch,
                             enum lsr_invalid treason, const enum lsr_invalid *reason,
                             const enum lsr_tristate *present, bool *started)
{
	for (int c = 0; c < nch; c++) {
		struct lsr_judge_ch *ch = &j->ch[c];
		const struct lsr_channel_measure *m = &tr->ch[c];
		started[c] = false;
		bool done = false;
		if (ch->role == LSR_ROLE_CONTROL) {
			/* The control collects by its own direct response, so a new
			 * control baseline can be taken while the old one fails. */
			if (treason == LSR_VALID && m->direct.p2p_uv > direct_threshold(j, &m->direct))
				done = lsr_baseline_add(&ch->base, &j->p, tr->t, m->direct.p2p_uv,
				                        m->direct.onset_at_edge ? NAN : m->direct.onset_ms,
				                        m->noise_uv, true);
		} else if (ch->role == LSR_ROLE_LSR) {
			if (reason[c] == LSR_VALID && present[c] != LSR_NULL)
				done = lsr_baseline_add(&ch->base, &j->p, tr->t, m->lsr.p2p_uv,
				                        m->lsr.onset_ms, m->noise_uv, present[c] == LSR_TRUE);
		}
		if (!done)
			continue;
		lsr_judge_emit_baseline(j, c, tr->t);
		if (ch->role == LSR_ROLE_LSR) {
			enum lsr_state prev = ch->st.state;
			lsr_judge_channel_start(&ch->st, ch->base.has_lsr, ch->base.t_first);
			started[c] = true;
			if (ch->st.state != prev)
				lsr_judge_emit_channel_state(j, c, tr->t, prev);
		}
	}
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
		if (j->ch[c].role == LSR_ROLE_CONTROL && control_ok(j, c, &tr->ch[c].direct))
			direct_ok = true;
	enum lsr_invalid base_reason = treason;
	if (base_reason == LSR_VALID && lsr_judge_count_role(j, LSR_ROLE_CONTROL) > 0 && !direct_ok)
		base_reason = LSR_INVALID_NO_DIRECT;

	enum lsr_invalid reason[LSR_MAX_CHANNELS];
	enum lsr_tristate present[LSR_MAX_CHANNELS];
	bool any_lead = false, started[LSR_MAX_CHANNELS];
	for (int c = 0; c < nch; c++) {
		reason[c] = base_reason;
		if (reason[c] == LSR_VALID && j->ch[c].role == LSR_ROLE_LSR &&
		    lead_bad(j, c, tr->ch[c].noise_uv)) {
			reason[c] = LSR_INVALID_LEAD;
			any_lead = true;
		}
		present[c] = presence(j, c, role_window(j, c, &tr->ch[c]));
		j->ch[c].changed = false;
	}
	emit_responses(j, tr, nch, reason, present);

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
	update_baselines(j, tr, nch, treason, reason, present, started);

	for (int c = 0; c < nch; c++) {
		struct lsr_judge_ch *ch = &j->ch[c];
		if (ch->role != LSR_ROLE_LSR || !ch->base.have || started[c])
			continue;
		enum lsr_state prev = ch->st.state;
		if (reason[c] == LSR_VALID && present[c] != LSR_NULL) {
			if (lsr_judge_channel_trial(&ch->st, &j->p, ch->base.p2p_uv, tr->t,
			                   tr->ch[c].lsr.p2p_uv, present[c] == LSR_TRUE))
				lsr_judge_emit_channel_state(j, c, tr->t, prev);
		} else {
			lsr_judge_channel_skip(&ch->st, &j->p);
		}
	}
	lsr_judge_update_overall(j, tr->t, resumed);
	lsr_judge_group_end(j);
}
