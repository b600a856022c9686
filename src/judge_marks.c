/* src/judge_marks.c — the judge's marks (ids, Decompression phase,
 * cancellation with corrected state events, Baseline), final status,
 * start warnings and the read-only view. */
#include <math.h>
#include <string.h>

#include "judge_priv.h"

void lsr_judge_phase(const struct lsr_judge *j, enum lsr_state state, double since,
                     bool *premature, bool *after)
{
	*premature = *after = false;
	if (state != LSR_STATE_DISAPPEARED)
		return;
	int id;
	double t;
	bool dec = lsr_marks_decompression(&j->marks, &id, &t) && t <= since;
	*premature = !dec;
	*after = dec;
}

/* Marks changed: every remembered disappearance whose phase is now
 * different is emitted again, with its own t, since and corrected flags. */
static void correct_phases(struct lsr_judge *j)
{
	int first = (j->hist_head - j->nhist + LSR_JUDGE_HIST_MAX) % LSR_JUDGE_HIST_MAX;
	for (int k = 0; k < j->nhist; k++) {
		struct lsr_judge_hist *h = &j->hist[(first + k) % LSR_JUDGE_HIST_MAX];
		bool pre, after;
		lsr_judge_phase(j, LSR_STATE_DISAPPEARED, h->since, &pre, &after);
		if (pre == h->premature && after == h->after_decompression)
			continue;
		h->premature = pre;
		h->after_decompression = after;
		struct lsr_event ev = { .type = LSR_EV_STATE, .t = h->t };
		ev.state.state = LSR_STATE_DISAPPEARED;
		ev.state.prev = h->prev;
		ev.state.since = h->since;
		ev.state.premature = pre;
		ev.state.after_decompression = after;
		ev.state.ratio = h->ratio;
		ev.state.verified = h->verified;
		ev.state.provisional = h->provisional;
		lsr_judge_emit(j, &ev);
	}
	lsr_judge_phase(j, j->state, j->since, &j->premature, &j->after_decompression);
}

/* `b`: confirm provisional baselines (or the ones still being taken);
 * with every baseline confirmed, take new ones from the next trials. */
static void apply_baseline_mark(struct lsr_judge *j, double t)
{
	bool have = false, provisional = false;
	for (int c = 0; c < j->nch; c++) {
		const struct lsr_baseline *b = &j->ch[c].base;
		if (j->ch[c].role == LSR_ROLE_OTHER || !b->have)
			continue;
		have = true;
		provisional |= b->provisional;
	}
	for (int c = 0; c < j->nch; c++) {
		struct lsr_baseline *b = &j->ch[c].base;
		if (j->ch[c].role == LSR_ROLE_OTHER)
			continue;
		if (provisional || !have) {
			if (lsr_baseline_confirm(b))
				lsr_judge_emit_baseline(j, c, t);
		} else {
			lsr_baseline_retake(b, t);
		}
	}
}

int lsr_judge_mark(struct lsr_judge *j, double t, const char *label, enum lsr_mark_origin origin)
{
	int id = lsr_marks_take_id(&j->marks);
	struct lsr_event ev = { .type = LSR_EV_MARK, .t = t };
	ev.mark.id = id;
	ev.mark.label = label ? label : "";
	ev.mark.origin = origin;
	lsr_judge_emit(j, &ev);

	double v;
	switch (lsr_mark_classify(label, &v)) {
	case LSR_MARK_DECOMPRESSION:
		lsr_marks_add_decompression(&j->marks, id, t);
		if (j->judging)
			correct_phases(j);
		break;
	case LSR_MARK_CANCEL:
		if (!isnan(v) && v < id && lsr_marks_cancel(&j->marks, (int)v) && j->judging)
			correct_phases(j);
		break;
	case LSR_MARK_BASELINE:
		if (j->judging)
			apply_baseline_mark(j, t);
		break;
	case LSR_MARK_INTENSITY:
		if (!isnan(v))
			j->intensity_ma = v;
		break;
	default:
		break; /* recorded only */
	}
	lsr_judge_group_end(j);
	return id;
}

void lsr_judge_final(const struct lsr_judge *j, enum lsr_final *final, enum lsr_phase *phase,
                     int *stims)
{
	*stims = j->stims;
	*final = LSR_FINAL_INDETERMINATE;
	*phase = LSR_PHASE_NONE;
	if (!j->judging || !j->judged)
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
	return n;
}

void lsr_judge_view(const struct lsr_judge *j, struct lsr_judge_view *v)
{
	memset(v, 0, sizeof *v);
	v->judging = j->judging;
	v->verified = lsr_judge_count_role(j, LSR_ROLE_CONTROL) > 0;
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
	v->intensity_ma = j->intensity_ma;
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
		cv->median_p2p_uv = lsr_chan_median(&ch->st);
		cv->ratio = ch->base.p2p_uv > 0 ? cv->median_p2p_uv / ch->base.p2p_uv : NAN;
		if (ch->role != LSR_ROLE_OTHER && ch->base.have && ch->base.provisional)
			v->provisional = true;
	}
}
