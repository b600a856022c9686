/* src/session_replay.c — reviewing a replay: the pace, seeking by time and
 * jumping to the next or previous mark or state change.  A seek rewinds the
 * source and recomputes the detector by a linear pass from the start (it is
 * fast), so the state shown after a seek is exactly what a straight run
 * gives; external sinks are muted until the stream passes the furthest
 * point they already received, so nothing reaches them twice. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "recnotes.h"
#include "session_priv.h"
#include "session_ui.h"

static double now_t(const struct lsr_session *s)
{
	return s->cfg.rate > 0 ? (double)s->stream_next / s->cfg.rate : 0.0;
}

/* A line on the status bar saying what a review key did. */
__attribute__((format(printf, 2, 3)))
static void note(struct lsr_session *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->ui_note, sizeof s->ui_note, fmt, ap);
	va_end(ap);
	s->ui_note_until = lsr_clock_mono() + 5;
}

static bool reviewable(struct lsr_session *s)
{
	if (s->src->ops->rewind && s->src->ops->set_speed)
		return true;
	note(s, "Seeking needs a replay");
	return false;
}

/* The source's pace: the user's speed and pause, except while a seek
 * recomputes the case, which runs as fast as possible. */
void lsr_session_apply_pace(struct lsr_session *s)
{
	if (s->src->ops->set_speed)
		s->src->ops->set_speed(s->src->st, s->catching_up ? 0 : s->speed,
		                       s->catching_up ? false : s->paused, lsr_clock_mono());
}

static void seek_to(struct lsr_session *s, double t)
{
	if (!reviewable(s))
		return;
	if (t < 0)
		t = 0;
	if (s->pause_at >= 0 && t > s->pause_at)
		t = s->pause_at;
	if (s->src->ops->rewind(s->src->st) < 0) {
		note(s, "Seek failed: the file cannot be read again (%g)", t);
		return;
	}
	lsr_detector_free(s->det);
	s->det = NULL;
	s->have_config = false;
	s->segment = 0;
	s->seg_has_block = false;
	s->stream_next = 0;
	s->dev_next = 0;
	s->last_marks = 0;
	s->next_cli_mark = 0;
	s->next_op_mark = 0;
	s->held = false;
	s->source_ended = false;
	s->outage = false;
	lsr_session_ui_restart(s);
	s->catching_up = true;
	s->seek_target = t;
	lsr_session_apply_pace(s);
	note(s, "Seeking to %.1f s...", t);
}

/* Called after every block: the catch-up ends at its target. */
void lsr_session_seek_progress(struct lsr_session *s)
{
	if (s->catching_up && now_t(s) >= s->seek_target) {
		s->catching_up = false;
		s->at_seek_target = true;
		lsr_session_apply_pace(s);
		note(s, "At %.1f s: recomputed from the start", s->seek_target);
	}
}

/* Where the review is: a seek under way or paused where it landed counts
 * from its target, so keys pressed together (a held arrow) add up (Left
 * Left is 20 s back) and n/N count from where the user was taken, not from
 * the blocks decoded past it. */
static double review_position(const struct lsr_session *s)
{
	return s->catching_up || (s->paused && s->at_seek_target) ? s->seek_target : now_t(s);
}

void lsr_session_seek(void *ctx, double delta_s)
{
	struct lsr_session *s = ctx;
	seek_to(s, review_position(s) + delta_s);
}

/* The next (direction > 0) or previous mark or state change, shown just
 * after its stimulus's sweep has been judged. */
void lsr_session_seek_event(void *ctx, int direction)
{
	struct lsr_session *s = ctx;
	const double settle = 0.2, back = 1.0;
	double here = review_position(s), target = NAN;
	if (direction > 0) {
		for (int i = 0; i < s->nreview && isnan(target); i++)
			if (s->review[i] + settle > here + 0.05)
				target = s->review[i];
	} else {
		for (int i = s->nreview - 1; i >= 0 && isnan(target); i--)
			if (s->review[i] + settle < here - back)
				target = s->review[i];
	}
	if (isnan(target)) {
		note(s, "No %s mark or state change", direction > 0 ? "later" : "earlier");
		return;
	}
	seek_to(s, target + settle);
}

/* The review index: stream times of marks and state changes, in order,
 * each once (a recomputation after a seek passes the same times again). */
static void review_add(struct lsr_session *s, double t)
{
	int i = s->nreview;
	while (i > 0 && s->review[i - 1] > t)
		i--;
	if ((i > 0 && t - s->review[i - 1] < 1e-3) || (i < s->nreview && s->review[i] - t < 1e-3) ||
	    s->nreview == LSR_REVIEW_MAX)
		return;
	memmove(&s->review[i + 1], &s->review[i], (size_t)(s->nreview - i) * sizeof s->review[0]);
	s->review[i] = t;
	s->nreview++;
}

static void review_event(void *ctx, const struct lsr_event *ev)
{
	if (ev->type == LSR_EV_MARK || ev->type == LSR_EV_STATE)
		review_add(ctx, ev->t);
}

/* A recording's annotations give n and N the whole case from the start:
 * its marks, and the state changes lsrmon recorded in it (recnotes.h,
 * lsrmon(1) "Recordings"); the pass adds the rest as it goes. */
int lsr_session_replay_init(struct lsr_session *s)
{
	double t;
	const char *text;
	for (size_t i = 0; s->src->ops->annotation && s->src->ops->annotation(s->src->st, i, &t, &text); i++)
		if (strncmp(text, LSR_RECNOTES_PREFIX, strlen(LSR_RECNOTES_PREFIX)) || lsr_recnotes_is_state(text))
			review_add(s, t);
	s->review_sink = (struct lsr_sink){ .ctx = s, .event = review_event };
	return lsr_bus_add_internal(&s->bus, &s->review_sink);
}

/* Operator marks (keys, OSC) are remembered in stream-time order so that a
 * recomputation applies them again where they were made. */
void lsr_session_remember_mark(struct lsr_session *s, double t, const char *label,
                               enum lsr_mark_origin origin)
{
	if (s->nop_marks >= LSR_OP_MARKS_MAX)
		return;
	int pos = s->nop_marks;
	while (pos > 0 && s->op_marks[pos - 1].t > t)
		pos--;
	memmove(&s->op_marks[pos + 1], &s->op_marks[pos],
	        (size_t)(s->nop_marks - pos) * sizeof s->op_marks[0]);
	s->op_marks[pos].t = t;
	s->op_marks[pos].origin = origin;
	snprintf(s->op_marks[pos].label, sizeof s->op_marks[pos].label, "%s", label);
	s->nop_marks++;
	/* It was applied as it was made: the pass goes on after it. */
	s->next_op_mark = pos + 1;
}
