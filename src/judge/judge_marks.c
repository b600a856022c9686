/* src/judge/judge_marks.c — what an operator mark does to the judge: the
 * phase of a disappearance, corrected state events when a cancellation
 * changes a past phase, and the Baseline mark (docs/interface.md "Marks",
 * "Baseline"). */
#include <math.h>

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
	bool have = false, provisional = false, first = false;
	for (int c = 0; c < j->nch; c++) {
		const struct lsr_baseline *b = &j->ch[c].base;
		if (j->ch[c].role == LSR_ROLE_OTHER)
			continue;
		/* a channel still taking its first baseline (an LSR channel's
		 * may need up to baseline_max trials after the control's is in) */
		first |= !b->have && b->collecting;
		if (!b->have)
			continue;
		have = true;
		provisional |= b->provisional;
	}
	for (int c = 0; c < j->nch; c++) {
		struct lsr_baseline *b = &j->ch[c].base;
		if (j->ch[c].role == LSR_ROLE_OTHER)
			continue;
		if (provisional || !have || first) {
			if (lsr_baseline_confirm(b)) {
				/* an early baseline the operator confirms is final */
				if (j->ch[c].role == LSR_ROLE_LSR && j->ch[c].ev.ring && j->ch[c].ev.early) {
					lsr_evidence_end_collection(&j->ch[c].ev);
					lsr_baseline_stop_refining(b);
				}
				lsr_judge_emit_baseline(j, c, t);
			}
		} else {
			lsr_baseline_retake(b, t);
			if (j->ch[c].role == LSR_ROLE_LSR && j->ch[c].ev.ring)
				lsr_evidence_retake(&j->ch[c].ev);
			if (j->ch[c].role == LSR_ROLE_CONTROL)
				lsr_control_shape_restart(&j->ch[c].cs);
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
		lsr_marks_keep(&j->marks, id, LSR_MARK_DECOMPRESSION, t, NAN);
		if (j->judging)
			correct_phases(j);
		break;
	case LSR_MARK_CANCEL:
		if (!isnan(v) && v < id &&
		    lsr_marks_cancel(&j->marks, (int)v) == LSR_MARK_DECOMPRESSION && j->judging)
			correct_phases(j);
		break;
	case LSR_MARK_BASELINE:
		if (j->judging)
			apply_baseline_mark(j, t);
		break;
	case LSR_MARK_INTENSITY:
		if (!isnan(v))
			lsr_marks_keep(&j->marks, id, LSR_MARK_INTENSITY, t, v);
		break;
	default:
		break; /* recorded only */
	}
	lsr_judge_group_end(j);
	return id;
}
