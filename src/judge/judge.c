/* src/judge/judge.c — the judge's core: creation, events, the overall state
 * from the channels, no_stimulus, role changes, final status, warnings and
 * the read-only view (docs/interface.md "States", "Events"). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge_priv.h"

/* Evidence for every channel (a role can change at any time) at rate. */
static int alloc_evidence(struct lsr_judge *j, int rate, int nch)
{
	for (int c = 0; c < LSR_MAX_CHANNELS; c++) {
		lsr_evidence_free(&j->ch[c].ev);
		lsr_control_shape_free(&j->ch[c].cs);
	}
	j->rate = rate;
	j->geometry_ok = lsr_evidence_geometry(&j->geom, &j->p, rate);
	if (!j->geometry_ok)
		return 0;
	for (int c = 0; c < nch; c++) {
		if (lsr_evidence_init(&j->ch[c].ev, &j->geom) < 0)
			return -1;
		if (lsr_control_shape_init(&j->ch[c].cs, &j->p, rate, j->geom.pre, j->geom.len) < 0)
			return -1;
	}
	return 0;
}

struct lsr_judge *lsr_judge_new(const struct lsr_params *p, int rate, int nch,
                                const enum lsr_role *roles, const char *const *labels,
                                bool judging, const struct lsr_sink *out)
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
	if (alloc_evidence(j, rate, nch) < 0) {
		lsr_judge_free(j);
		return NULL;
	}
	for (int c = 0; c < nch; c++) {
		j->ch[c].role = (unsigned)roles[c] <= LSR_ROLE_OTHER ? roles[c] : LSR_ROLE_OTHER;
		lsr_baseline_reset(&j->ch[c].base);
		lsr_judge_channel_init(&j->ch[c].st);
	}
	lsr_marks_init(&j->marks);
	j->state = LSR_STATE_ACQUIRING;
	j->since = j->ratio = j->direct_ratio = NAN;
	j->fail_since = j->last_stim_t = j->last_valid_t = NAN;
	j->last_judged_since = NAN;
	snprintf(j->rate_warning, sizeof j->rate_warning,
	         "sampling rate below min_rate_hz (%g Hz): traces only, the detector does not judge",
	         p->min_rate_hz);
	return j;
}

void lsr_judge_use_crew(struct lsr_judge *j, struct lsr_crew *crew)
{
	j->crew = crew;
}

void lsr_judge_free(struct lsr_judge *j)
{
	if (!j)
		return;
	for (int c = 0; c < LSR_MAX_CHANNELS; c++) {
		lsr_evidence_free(&j->ch[c].ev);
		lsr_control_shape_free(&j->ch[c].cs);
	}
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

/* The median stimulus interval, NAN before there are two stimuli. */
static double median_interval(const struct lsr_judge *j)
{
	return lsr_judge_channel_median_of(j->intervals, j->nint);
}

static double overall_ratio(const struct lsr_judge *j)
{
	double best = NAN;
	for (int c = 0; c < j->nch; c++) {
		const struct lsr_judge_ch *ch = &j->ch[c];
		if (ch->role != LSR_ROLE_LSR || !ch->base.have || !ch->base.has_lsr ||
		    !(ch->base.p2p_uv > 0))
			continue;
		double r = ch->st.last.made ? ch->st.last.ratio : NAN;
		if (!isnan(r) && (isnan(best) || r > best))
			best = r;
	}
	return best;
}

static bool any_provisional(const struct lsr_judge *j)
{
	for (int c = 0; c < j->nch; c++)
		if (lsr_judge_judged_role(j->ch[c].role) && j->ch[c].base.have && j->ch[c].base.provisional)
			return true;
	return false;
}

static bool judged_state(enum lsr_state s)
{
	return lsr_judge_channel_judged(s) || s == LSR_STATE_NOT_DETECTED;
}

/* The control's direct response over the trials of the LSR channels'
 * latest decisions (the smallest of them): a loss is verified only while
 * the stimulus still reaches the nerve as at baseline. */
static double decision_direct_ratio(const struct lsr_judge *j)
{
	double worst = NAN;
	for (int c = 0; c < j->nch; c++) {
		const struct lsr_judge_ch *ch = &j->ch[c];
		if (ch->role != LSR_ROLE_LSR || !ch->st.last.made || isnan(ch->st.last.direct_ratio))
			continue;
		if (isnan(worst) || ch->st.last.direct_ratio < worst)
			worst = ch->st.last.direct_ratio;
	}
	return worst;
}

/* Was the intensity lowered below the one the LSR baselines were taken at? */
static bool intensity_lowered(const struct lsr_judge *j)
{
	double now = lsr_marks_intensity(&j->marks);
	if (isnan(now))
		return false;
	for (int c = 0; c < j->nch; c++) {
		const struct lsr_judge_ch *ch = &j->ch[c];
		if (ch->role == LSR_ROLE_LSR && ch->base.have && !isnan(ch->base.intensity_ma) &&
		    now < ch->base.intensity_ma)
			return true;
	}
	return false;
}

/* verified: a control channel follows the stimulus, and for a loss, the
 * direct response over the same trials is at least 80% of its baseline
 * and the intensity is not below the baseline's (docs/clinical.md
 * "Stimulation settings"). */
static bool state_verified(const struct lsr_judge *j, enum lsr_state state)
{
	if (lsr_judge_count_role(j, LSR_ROLE_CONTROL) == 0)
		return false;
	if (state != LSR_STATE_DISAPPEARED)
		return true;
	double d = decision_direct_ratio(j);
	return !(d < LSR_JUDGE_VERIFY_DIRECT) && !intensity_lowered(j);
}

/* Emit a state event and make it the overall state. */
static void emit_state(struct lsr_judge *j, double t, enum lsr_state state, double since)
{
	struct lsr_event ev = { .type = LSR_EV_STATE, .t = t };
	ev.state.state = state;
	ev.state.prev = j->state;
	ev.state.since = since;
	lsr_judge_phase(j, state, since, &ev.state.premature, &ev.state.after_decompression);
	/* a ratio only where the LSR itself is judged: stale trials say
	 * nothing during a failure or a pause */
	bool lsr_state = state == LSR_STATE_PRESENT || state == LSR_STATE_REDUCED ||
	                 state == LSR_STATE_DISAPPEARED;
	ev.state.ratio = lsr_state ? overall_ratio(j) : NAN;
	ev.state.verified = state_verified(j, state);
	ev.state.provisional = any_provisional(j);
	ev.state.indeterminate_ch = j->ind;
	ev.state.nind = state == LSR_STATE_DISAPPEARED ? j->nind : 0;
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
	j->verified = ev.state.verified;
	j->premature = ev.state.premature;
	j->after_decompression = ev.state.after_decompression;
}

/* The overall state from the channels: the most-present state among the
 * LSR channels that have an LSR; disappeared when every one that can be
 * judged is (at least one), the others listed in j->ind; indeterminate
 * when none can be judged. */
static enum lsr_state channels_state(struct lsr_judge *j)
{
	bool pending = false, present = false, reduced = false, absent = false;
	int nlsr = 0, nhas = 0;
	j->nind = 0;
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
		absent |= ch->st.state == LSR_STATE_DISAPPEARED;
		if (ch->st.state == LSR_STATE_INDETERMINATE)
			j->ind[j->nind++] = c;
	}
	if (present)
		return LSR_STATE_PRESENT;
	if (reduced)
		return LSR_STATE_REDUCED;
	/* A channel still taking its first baseline may have an LSR: no
	 * disappearance or not_detected can be claimed over it. */
	if (nlsr == 0 || pending)
		return LSR_STATE_ACQUIRING;
	if (!nhas)
		return LSR_STATE_NOT_DETECTED;
	return absent ? LSR_STATE_DISAPPEARED : LSR_STATE_INDETERMINATE;
}

static bool same_ind(const int *a, int na, const int *b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

void lsr_judge_update_overall(struct lsr_judge *j, double t, bool resumed)
{
	int old_ind[LSR_MAX_CHANNELS], old_n = j->state == LSR_STATE_DISAPPEARED ? j->nind : 0;
	memcpy(old_ind, j->ind, sizeof old_ind);
	enum lsr_state s = channels_state(j);
	if (j->no_stim)
		s = LSR_STATE_NO_STIMULUS;
	else if (j->failure)
		s = LSR_STATE_STIMULATION_FAILURE;
	j->direct_ratio = decision_direct_ratio(j);
	if (s == j->state) {
		/* a loss is said again when what it rests on changes: which
		 * channels cannot be judged, or whether it is verified */
		if (s != LSR_STATE_DISAPPEARED ||
		    (same_ind(old_ind, old_n, j->ind, j->nind) && state_verified(j, s) == j->verified))
			return;
		emit_state(j, t, s, j->since);
		return;
	}
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
			    j->ch[c].st.state == LSR_STATE_DISAPPEARED && j->ch[c].st.since > since)
				since = j->ch[c].st.since;
	} else if (s != LSR_STATE_ACQUIRING) {
		double latest = -INFINITY;
		for (int c = 0; c < j->nch; c++)
			if (j->ch[c].changed && j->ch[c].st.since > latest)
				latest = j->ch[c].st.since;
		if (latest > -INFINITY)
			since = latest;
	}
	emit_state(j, t, s, since);
}

void lsr_judge_emit_channel_state(struct lsr_judge *j, int c, double t, enum lsr_state prev)
{
	struct lsr_event ev = { .type = LSR_EV_CHANNEL_STATE, .t = t };
	ev.channel_state.ch = c;
	ev.channel_state.state = j->ch[c].st.state;
	ev.channel_state.prev = prev;
	ev.channel_state.reason = j->ch[c].st.reason;
	lsr_judge_emit(j, &ev);
	j->ch[c].changed = true;
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
		emit_state(j, t, LSR_STATE_NO_STIMULUS, j->last_stim_t);
		lsr_judge_group_end(j);
	}
}

void lsr_judge_set_role(struct lsr_judge *j, int c, enum lsr_role role)
{
	if (c < 0 || c >= j->nch || (unsigned)role > LSR_ROLE_OTHER || j->ch[c].role == role)
		return;
	j->ch[c].role = role;
	lsr_baseline_reset(&j->ch[c].base);
	lsr_judge_channel_init(&j->ch[c].st);
	if (j->ch[c].ev.ring)
		lsr_evidence_reset(&j->ch[c].ev);
	j->ch[c].cs.have = false;
	lsr_control_shape_restart(&j->ch[c].cs);
}

void lsr_judge_final(const struct lsr_judge *j, enum lsr_final *final, enum lsr_phase *phase,
                     int *stims)
{
	*stims = j->stims;
	*final = LSR_FINAL_INDETERMINATE;
	*phase = LSR_PHASE_NONE;
	/* nothing is judged while not judging, so an earlier segment's
	 * verdict stands through a later one below min_rate_hz */
	if (!j->judged)
		return;
	switch (j->last_judged) {
	case LSR_STATE_DISAPPEARED: {
		*final = LSR_FINAL_DISAPPEARED;
		bool pre, after;
		lsr_judge_phase(j, LSR_STATE_DISAPPEARED, j->last_judged_since, &pre, &after);
		*phase = after ? LSR_PHASE_AFTER_DECOMPRESSION : LSR_PHASE_PREMATURE;
		break;
	}
	case LSR_STATE_REDUCED:
		*final = LSR_FINAL_PARTIAL;
		break;
	case LSR_STATE_PRESENT:
		*final = LSR_FINAL_PERSISTENT;
		break;
	case LSR_STATE_NOT_DETECTED:
		*final = LSR_FINAL_NOT_DETECTED;
		break;
	default:
		break;
	}
}

int lsr_judge_warnings(const struct lsr_judge *j, const char **w, int max)
{
	int n = 0;
	if (!j->judging && n < max)
		w[n++] = j->rate_warning;
	if (lsr_judge_count_role(j, LSR_ROLE_CONTROL) == 0 && n < max)
		w[n++] = "no control channel: the direct response is not checked, "
		         "states are not verified (verified: false)";
	if (j->judging && lsr_judge_count_role(j, LSR_ROLE_LSR) == 0 && n < max)
		w[n++] = "no LSR channel: nothing to judge";
	if (j->judging && !j->geometry_ok && n < max)
		w[n++] = "the LSR window does not fit a sweep at this rate: LSR channels are not judged";
	return n;
}

void lsr_judge_view(const struct lsr_judge *j, struct lsr_judge_view *v)
{
	memset(v, 0, sizeof *v);
	v->judging = j->judging;
	v->verified = lsr_judge_count_role(j, LSR_ROLE_CONTROL) > 0;
	v->unconfirmed = j->state == LSR_STATE_DISAPPEARED && v->verified && !j->verified;
	v->direct_ratio = j->direct_ratio;
	v->nind = j->state == LSR_STATE_DISAPPEARED || j->state == LSR_STATE_INDETERMINATE ? j->nind : 0;
	memcpy(v->ind, j->ind, sizeof v->ind);
	v->state = j->state;
	v->since = j->since;
	v->ratio = j->ratio;
	v->premature = j->premature;
	v->after_decompression = j->after_decompression;
	v->stims = j->stims;
	v->last_stim_t = j->stims ? j->last_stim_t : NAN;
	v->last_valid_t = j->last_valid_t;
	memcpy(v->invalid, j->invalid, sizeof v->invalid);
	double dt;
	if (!lsr_marks_decompression(&j->marks, &v->decompression_id, &dt)) {
		v->decompression_id = 0;
		dt = NAN;
	}
	v->decompression_t = dt;
	v->intensity_ma = lsr_marks_intensity(&j->marks);
	v->nch = j->nch;
	for (int c = 0; c < j->nch; c++) {
		const struct lsr_judge_ch *ch = &j->ch[c];
		struct lsr_judge_channel_view *cv = &v->ch[c];
		cv->role = ch->role;
		cv->state = ch->role == LSR_ROLE_LSR ? ch->st.state : LSR_STATE_ACQUIRING;
		cv->since = ch->st.since;
		cv->has_baseline = ch->base.have;
		cv->provisional = ch->base.have && ch->base.provisional;
		cv->has_lsr = ch->base.have && ch->base.has_lsr;
		cv->base_p2p_uv = ch->base.p2p_uv;
		cv->base_onset_ms = ch->base.onset_ms;
		cv->base_noise_uv = ch->base.noise_uv;
		cv->base_trials = ch->base.trials;
		cv->collecting = ch->base.collecting ? ch->base.n : 0;
		cv->rebaselining = ch->base.have && ch->base.collecting;
		cv->reason = ch->st.reason;
		cv->ratio = ch->role == LSR_ROLE_LSR && ch->st.last.made ? ch->st.last.ratio : NAN;
		cv->amplitude_uv = cv->ratio * ch->base.p2p_uv;
		cv->trials = ch->role == LSR_ROLE_LSR && ch->st.last.made ? ch->st.last.trials : 0;
		cv->k = ch->ev.k;
		cv->w = ch->ev.w;
		cv->sigma = ch->role == LSR_ROLE_LSR ? lsr_evidence_sigma(&ch->ev) : NAN;
		if (ch->role != LSR_ROLE_OTHER && ch->base.have && ch->base.provisional)
			v->provisional = true;
	}
}

int lsr_judge_segment(struct lsr_judge *j, int rate, int nch, const enum lsr_role *roles,
                      bool judging)
{
	if (!roles || nch < 1 || nch > LSR_MAX_CHANNELS)
		return -1;
	bool same = nch == j->nch && judging == j->judging && rate == j->rate;
	for (int c = 0; same && c < nch; c++)
		same = j->ch[c].role == roles[c];
	if (same)
		return 0;
	if (alloc_evidence(j, rate, nch) < 0)
		return -1;
	j->nch = nch;
	j->judging = judging;
	for (int c = 0; c < LSR_MAX_CHANNELS; c++) {
		j->ch[c].role = c < nch && (unsigned)roles[c] <= LSR_ROLE_OTHER ? roles[c]
		                                                               : LSR_ROLE_OTHER;
		lsr_baseline_reset(&j->ch[c].base);
		lsr_judge_channel_init(&j->ch[c].st);
		j->ch[c].changed = false;
	}
	j->failure = false;
	j->fail_run = 0;
	return 0;
}
