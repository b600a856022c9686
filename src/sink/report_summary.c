/* src/sink/report_summary.c — the case in one plain-language paragraph,
 * written from the events the report collected: what the LSR did and when
 * (premature loss, return, loss after decompression), what the final call
 * rests on, and whether it was confirmed at raised intensity. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report_priv.h"

struct text {
	char *buf;
	size_t len, n;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct text *t, const char *fmt, ...)
{
	if (t->n >= t->len)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(t->buf + t->n, t->len - t->n, fmt, ap);
	va_end(ap);
	if (k > 0)
		t->n = t->n + (size_t)k < t->len ? t->n + (size_t)k : t->len - 1;
}

/* The last phase mark (Dura open, Decompression, Closure) before t, not
 * cancelled and not ignored. */
static const struct rep_mark *phase_mark_before(const struct lsr_report *r, double t)
{
	const struct rep_mark *found = NULL;
	for (int i = 0; i < r->nmarks; i++) {
		const struct rep_mark *m = &r->marks[i];
		bool phase = m->kind == LSR_MARK_DURA_OPEN || m->kind == LSR_MARK_DECOMPRESSION ||
		             m->kind == LSR_MARK_CLOSURE;
		if (phase && !m->cancelled && !lsr_report_mark_ignored(r, m) && m->t <= t + 1e-9)
			found = m;
	}
	return found;
}

static const char *state_words(enum lsr_state s)
{
	switch (s) {
	case LSR_STATE_ACQUIRING: return "acquiring a baseline";
	case LSR_STATE_PRESENT: return "present";
	case LSR_STATE_REDUCED: return "reduced";
	case LSR_STATE_DISAPPEARED: return "disappeared";
	case LSR_STATE_STIMULATION_FAILURE: return "stimulation failure";
	case LSR_STATE_NO_STIMULUS: return "no stimulus";
	case LSR_STATE_NOT_DETECTED: return "no LSR detected";
	case LSR_STATE_INDETERMINATE: return "indeterminate";
	case LSR_STATE_COUNT: break;
	}
	return "?";
}

#define CLAUSES_MAX 8

/* What the LSR did, as clauses: "disappeared prematurely at dural
 * opening", "returned after 41 s", "disappeared 2.4 s after
 * decompression".  Returns their number (beyond CLAUSES_MAX the middle
 * ones are left out and counted in *more). */
static int course(const struct lsr_report *r, char clause[CLAUSES_MAX][160], int *more)
{
	int n = 0;
	*more = 0;
	const struct rep_state *lost = NULL;
	const struct rep_mark *dec = lsr_report_decompression(r);
	for (int i = 0; i < r->nstates; i++) {
		const struct rep_state *s = &r->states[i];
		char c[160] = "";
		if (s->state == LSR_STATE_DISAPPEARED && s->prev != LSR_STATE_DISAPPEARED) {
			if (s->premature) {
				const struct rep_mark *m = phase_mark_before(r, s->since);
				snprintf(c, sizeof c, "disappeared prematurely%s",
				         m && m->kind == LSR_MARK_DURA_OPEN ? " at dural opening" : "");
			} else if (dec) {
				snprintf(c, sizeof c, "disappeared %.1f s after decompression", s->since - dec->t);
			} else {
				snprintf(c, sizeof c, "disappeared");
			}
			lost = s;
		} else if (lost && (s->state == LSR_STATE_PRESENT || s->state == LSR_STATE_REDUCED)) {
			snprintf(c, sizeof c, "returned after %.0f s", s->since - lost->since);
			lost = NULL;
		} else if (s->state == LSR_STATE_STIMULATION_FAILURE) {
			double until = i + 1 < r->nstates ? r->states[i + 1].since : r->t_last;
			char at[16];
			lsr_report_clock(r, s->since, at, sizeof at);
			snprintf(c, sizeof c, "stimulation failed at %s for %.0f s", at, until - s->since);
		}
		if (!c[0])
			continue;
		if (n == CLAUSES_MAX) { /* keep the first and the latest */
			memmove(clause[CLAUSES_MAX / 2], clause[CLAUSES_MAX / 2 + 1],
			        (CLAUSES_MAX / 2 - 1) * sizeof clause[0]);
			n--;
			(*more)++;
		}
		snprintf(clause[n++], sizeof clause[0], "%s", c);
	}
	return n;
}

/* The end amplitude against the baseline's, over the LSR channels that
 * have both snapshots: the largest ratio (the channel that keeps most). */
static double end_pct(const struct lsr_report *r)
{
	double best = NAN;
	for (int ch = 0; ch < r->nch && ch < REP_CH; ch++) {
		if (r->roles[ch] != LSR_ROLE_LSR)
			continue;
		const struct rep_snapshot *b = lsr_report_snapshot(r, REP_AT_BASELINE, ch);
		const struct rep_snapshot *e = lsr_report_snapshot(r, REP_AT_END, ch);
		if (b && e && b->amplitude > 0 && isfinite(e->amplitude)) {
			double pct = 100 * e->amplitude / b->amplitude;
			best = isfinite(best) ? fmax(best, pct) : pct;
		}
	}
	return best;
}

void lsr_report_summary(const struct lsr_report *r, char *buf, size_t len)
{
	struct text t = { buf, len, 0 };
	buf[0] = '\0';
	const struct rep_state *cur = lsr_report_current(r);
	char clause[CLAUSES_MAX][160];
	int more, n = course(r, clause, &more);
	if (!r->have_end)
		add(&t, "Case in progress. ");
	if (!cur) {
		add(&t, "No baseline has been taken: the LSR has not been judged.");
		return;
	}
	if (r->have_end && r->final == LSR_FINAL_NOT_DETECTED) {
		add(&t, "No LSR was detected at baseline.");
		return;
	}
	if (n > 0) {
		add(&t, "The LSR ");
		for (int i = 0; i < n; i++) {
			add(&t, "%s%s", i == 0 ? "" : i == n - 1 ? ", and " : ", ", clause[i]);
			if (more && i == CLAUSES_MAX / 2 - 1)
				add(&t, ", then %d more changes", more);
		}
	}
	double pct = end_pct(r);
	char pcts[48] = "";
	if (isfinite(pct))
		snprintf(pcts, sizeof pcts, " (%.0f%% of baseline at the end)", pct);
	if (r->have_end) {
		switch (r->final) {
		case LSR_FINAL_PERSISTENT:
			add(&t, n ? "; it persisted to the end of the case%s" :
			    "The LSR persisted to the end of the case%s", pcts);
			break;
		case LSR_FINAL_PARTIAL:
			add(&t, n ? "; it was reduced at the end of the case%s" :
			    "The LSR was reduced at the end of the case%s", pcts);
			break;
		case LSR_FINAL_INDETERMINATE:
			add(&t, n ? "; the detector could not judge it at the end" :
			    "The detector could not judge the LSR");
			break;
		default:
			break;
		}
	} else {
		char since[16];
		lsr_report_clock(r, cur->since, since, sizeof since);
		add(&t, "%scurrently %s%s since %s", n ? "; " : "", state_words(cur->state),
		    cur->state != LSR_STATE_DISAPPEARED ? "" : cur->premature ? " (premature)"
		    : " after decompression", since);
	}
	const struct rep_state *loss = lsr_report_loss(r);
	if (loss) {
		add(&t, "; judged absent on the last %d valid trials", loss->confirm_trials);
		for (int ch = 0; ch < r->nch && ch < REP_CH; ch++)
			if (loss->indeterminate >> ch & 1u) {
				const char *why = lsr_reason_name(lsr_report_indeterminate_at(r, ch, loss->t));
				add(&t, "; ch %d (%s) could not be judged%s%s%s", ch, r->labels[ch],
				    why ? " (" : "", why ? why : "", why ? ")" : "");
			}
		if (!loss->verified)
			add(&t, "; unverified: the direct response does not show that the stimulus "
			    "reached the nerve");
		const struct rep_mark *c = lsr_report_confirm(r);
		char at[16];
		if (c) {
			lsr_report_clock(r, c->t, at, sizeof at);
			add(&t, "; confirmed at raised intensity at %s", at);
		} else {
			add(&t, "; not confirmed at raised intensity");
		}
		if (!lsr_report_decompression(r))
			add(&t, "; no Decompression mark was set");
	}
	add(&t, ".");
}
