/* src/judge.c — the judge's trial path: validity with reasons, presence,
 * baselines, channel states, stimulation failure, no_stimulus and the
 * overall state (clinical.md "What makes a trial valid", interface.md
 * "States"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge_priv.h"

struct lsr_judge *lsr_judge_new(const struct lsr_params *p, int nch, const enum lsr_role *roles,
                                const char *const *labels, bool judging,
                                const struct lsr_sink *out)
{
	(void)labels; /* roles already carry what the labels imply */
	if (!p || !roles || nch < 1 || nch > LSR_MAX_CHANNELS)
		return NULL;
	struct lsr_judge *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->p = *p;
	j->nch = nch;
	j->judging = judging;
	if (out)
		j->out = *out;
	for (int c = 0; c < nch; c++) {
		j->ch[c].role = (unsigned)roles[c] <= LSR_ROLE_OTHER ? roles[c] : LSR_ROLE_OTHER;
		lsr_baseline_reset(&j->ch[c].base);
		lsr_chan_init(&j->ch[c].st);
	}
	lsr_marks_init(&j->marks);
	j->state = LSR_STATE_ACQUIRING;
	j->since = j->ratio = NAN;
	j->fail_since = j->last_stim_t = j->last_valid_t = NAN;
	j->last_judged_since = NAN;
	j->intensity_ma = NAN;
	snprintf(j->rate_warning, sizeof j->rate_warning,
	         "sampling rate below min_rate_hz (%g Hz): traces only, the detector does not judge",
	         p->min_rate_hz);
	return j;
}

void lsr_judge_free(struct lsr_judge *j)
{
	free(j);
}

void lsr_judge_emit(struct lsr_judge *j, const struct lsr_event *ev)
{
	if (j->out.event)
		j->out.event(j->out.ctx, ev);
}

void lsr_judge_group_end(struct lsr_judge *j)
{
	if (j->out.group_end)
		j->out.group_end(j->out.ctx);
}

int lsr_judge_count_role(const struct lsr_judge *j, enum lsr_role r)
{
	int n = 0;
	for (int c = 0; c < j->nch; c++)
		n += j->ch[c].role == r;
	return n;
}

void lsr_judge_emit_baseline(struct lsr_judge *j, int c, double t)
{
	const struct lsr_baseline *b = &j->ch[c].base;
	struct lsr_event ev = { .type = LSR_EV_BASELINE, .t = t };
	ev.baseline.ch = c;
	ev.baseline.p2p_uv = b->p2p_uv;
	ev.baseline.onset_ms = b->onset_ms;
	ev.baseline.trials = b->trials;
	ev.baseline.provisional = b->provisional;
	lsr_judge_emit(j, &ev);
}

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
	if (!isnan(b->onset_ms) && !(fabs(d->onset_ms - b->onset_ms) <= j->p.control_latency_ms))
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

static bool judged_role(enum lsr_role r)
{
	return r == LSR_ROLE_LSR || r == LSR_ROLE_CONTROL;
}

static enum lsr_invalid trial_reason(const struct lsr_judge *j, const struct lsr_trial *tr, int nch)
{
	if (tr->gap || tr->overlap)
		return LSR_INVALID_GAP;
	for (int c = 0; c < nch; c++)
		if (tr->ch[c].saturated)
			return LSR_INVALID_SATURATED;
	for (int c = 0; c < nch; c++)
		if (judged_role(j->ch[c].role) && tr->ch[c].cautery)
			return LSR_INVALID_CAUTERY;
	for (int c = 0; c < nch; c++)
		if (judged_role(j->ch[c].role) && tr->ch[c].spasm)
			return LSR_INVALID_SPASM;
	return LSR_VALID;
}

/* The median stimulus interval, NAN before there are two stimuli. */
static double median_interval(const struct lsr_judge *j)
{
	return lsr_median(j->intervals, j->nint);
}

static double overall_ratio(const struct lsr_judge *j)
{
	double best = NAN;
	for (int c = 0; c < j->nch; c++) {
		const struct lsr_judge_ch *ch = &j->ch[c];
		if (ch->role != LSR_ROLE_LSR || !ch->base.have || !ch->base.has_lsr ||
		    !(ch->base.p2p_uv > 0))
			continue;
		double r = lsr_chan_median(&ch->st) / ch->base.p2p_uv;
		if (!isnan(r) && (isnan(best) || r > best))
			best = r;
	}
	return best;
}

static bool any_provisional(const struct lsr_judge *j)
{
	for (int c = 0; c < j->nch; c++)
		if (judged_role(j->ch[c].role) && j->ch[c].base.have && j->ch[c].base.provisional)
			return true;
	return false;
}

static bool judged_state(enum lsr_state s)
{
	return s == LSR_STATE_PRESENT || s == LSR_STATE_REDUCED || s == LSR_STATE_DISAPPEARED ||
	       s == LSR_STATE_NOT_DETECTED;
}

void lsr_judge_emit_state(struct lsr_judge *j, double t, enum lsr_state state, double since)
{
	struct lsr_event ev = { .type = LSR_EV_STATE, .t = t };
	ev.state.state = state;
	ev.state.prev = j->state;
	ev.state.since = since;
	lsr_judge_phase(j, state, since, &ev.state.premature, &ev.state.after_decompression);
	ev.state.ratio = overall_ratio(j);
	ev.state.verified = lsr_judge_count_role(j, LSR_ROLE_CONTROL) > 0;
	ev.state.provisional = any_provisional(j);
	lsr_judge_emit(j, &ev);

	if (state == LSR_STATE_DISAPPEARED) {
		struct lsr_judge_hist *h = &j->hist[j->hist_head];
		h->t = t;
		h->since = since;
		h->ratio = ev.state.ratio;
		h->prev = j->state;
		h->verified = ev.state.verified;
		h->provisional = ev.state.provisional;
		h->premature = ev.state.premature;
		h->after_decompression = ev.state.after_decompression;
		j->hist_head = (j->hist_head + 1) % LSR_JUDGE_HIST_MAX;
		if (j->nhist < LSR_JUDGE_HIST_MAX)
			j->nhist++;
	}
	if (judged_state(state)) {
		j->judged = true;
		j->last_judged = state;
		j->last_judged_since = since;
	}
	j->state = state;
	j->since = since;
	j->ratio = ev.state.ratio;
	j->premature = ev.state.premature;
	j->after_decompression = ev.state.after_decompression;
}

/* The overall state from the channels: the most-present state among the
 * LSR channels that have an LSR; disappeared only when all of them are. */
static enum lsr_state channels_state(const struct lsr_judge *j)
{
	bool pending = false, present = false, reduced = false;
	int nlsr = 0, nhas = 0;
	for (int c = 0; c < j->nch; c++) {
		const struct lsr_judge_ch *ch = &j->ch[c];
		if (ch->role != LSR_ROLE_LSR)
			continue;
		nlsr++;
		if (!ch->base.have) {
			pending = true;
			continue;
		}
		if (!ch->base.has_lsr)
			continue;
		nhas++;
		present |= ch->st.state == LSR_STATE_PRESENT;
		reduced |= ch->st.state == LSR_STATE_REDUCED;
	}
	if (present)
		return LSR_STATE_PRESENT;
	if (reduced)
		return LSR_STATE_REDUCED;
	/* A channel still taking its first baseline may have an LSR: no
	 * disappearance or not_detected can be claimed over it. */
	if (nlsr == 0 || pending)
		return LSR_STATE_ACQUIRING;
	return nhas ? LSR_STATE_DISAPPEARED : LSR_STATE_NOT_DETECTED;
}

static void update_overall(struct lsr_judge *j, double t, bool resumed)
{
	enum lsr_state s = j->no_stim ? LSR_STATE_NO_STIMULUS
	                 : j->failure ? LSR_STATE_STIMULATION_FAILURE
	                              : channels_state(j);
	if (s == j->state)
		return;
	double since = t;
	if (s == LSR_STATE_STIMULATION_FAILURE) {
		since = j->fail_since;
	} else if (resumed && j->judged && s == j->last_judged) {
		since = j->last_judged_since; /* the previous state resumes */
	} else if (s == LSR_STATE_DISAPPEARED) {
		/* all are absent from the latest of their losses on */
		since = -INFINITY;
		for (int c = 0; c < j->nch; c++)
			if (j->ch[c].role == LSR_ROLE_LSR && j->ch[c].base.has_lsr &&
			    j->ch[c].st.since > since)
				since = j->ch[c].st.since;
	} else if (s != LSR_STATE_ACQUIRING) {
		double latest = -INFINITY;
		for (int c = 0; c < j->nch; c++)
			if (j->ch[c].changed && j->ch[c].st.since > latest)
				latest = j->ch[c].st.since;
		if (latest > -INFINITY)
			since = latest;
	}
	lsr_judge_emit_state(j, t, s, since);
}

static void emit_channel_state(struct lsr_judge *j, int c, double t, enum lsr_state prev)
{
	struct lsr_event ev = { .type = LSR_EV_CHANNEL_STATE, .t = t };
	ev.channel_state.ch = c;
	ev.channel_state.state = j->ch[c].st.state;
	ev.channel_state.prev = prev;
	lsr_judge_emit(j, &ev);
	j->ch[c].changed = true;
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
			lsr_chan_reset_counters(&j->ch[c].st);
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
				                        m->direct.onset_ms, m->noise_uv, true);
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
			lsr_chan_start(&ch->st, ch->base.has_lsr, ch->base.t_first);
			started[c] = true;
			if (ch->st.state != prev)
				emit_channel_state(j, c, tr->t, prev);
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

	enum lsr_invalid treason = trial_reason(j, tr, nch);
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
			if (lsr_chan_trial(&ch->st, &j->p, ch->base.p2p_uv, tr->t,
			                   tr->ch[c].lsr.p2p_uv, present[c] == LSR_TRUE))
				emit_channel_state(j, c, tr->t, prev);
		} else {
			lsr_chan_skip(&ch->st, &j->p);
		}
	}
	update_overall(j, tr->t, resumed);
	lsr_judge_group_end(j);
}

void lsr_judge_time(struct lsr_judge *j, double t)
{
	if (!j->judging || isnan(t))
		return;
	if (!j->time_seen) {
		/* the clock starts here: a stimulator that never starts is
		 * reported too */
		j->last_stim_t = t;
		j->time_seen = true;
		return;
	}
	if (j->no_stim)
		return;
	double limit = j->p.no_stim_factor * median_interval(j);
	if (!(limit >= j->p.no_stim_min_s))
		limit = j->p.no_stim_min_s;
	if (t - LSR_JUDGE_SWEEP_POST_S - j->last_stim_t > limit) {
		j->no_stim = true;
		lsr_judge_emit_state(j, t, LSR_STATE_NO_STIMULUS, j->last_stim_t);
		lsr_judge_group_end(j);
	}
}

void lsr_judge_set_role(struct lsr_judge *j, int c, enum lsr_role role)
{
	if (c < 0 || c >= j->nch || (unsigned)role > LSR_ROLE_OTHER || j->ch[c].role == role)
		return;
	j->ch[c].role = role;
	lsr_baseline_reset(&j->ch[c].base);
	lsr_chan_init(&j->ch[c].st);
}
