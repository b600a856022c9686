/* src/judge/judge_channel.c — a channel's baseline numbers and an LSR
 * channel's state over its decisions (docs/clinical.md "reduced",
 * "disappeared", "returned"; docs/detector.md "States"). */
#include <math.h>
#include <string.h>

#include "judge_channel.h"

#define MEDIAN_MAX 64

/* The values of v that are numbers, sorted into s (at most MEDIAN_MAX);
 * returns how many.  Insertion sort: n is at most a few dozen. */
static int sorted_numbers(const double *v, int n, double *s)
{
	int k = 0;
	for (int i = 0; i < n && k < MEDIAN_MAX; i++) {
		if (isnan(v[i]))
			continue;
		int j = k++;
		while (j > 0 && s[j - 1] > v[i]) {
			s[j] = s[j - 1];
			j--;
		}
		s[j] = v[i];
	}
	return k;
}

double lsr_judge_channel_median_of(const double *v, int n)
{
	double s[MEDIAN_MAX];
	int k = sorted_numbers(v, n, s);
	if (k == 0)
		return NAN;
	return k % 2 ? s[k / 2] : 0.5 * (s[k / 2 - 1] + s[k / 2]);
}

void lsr_baseline_reset(struct lsr_baseline *b)
{
	memset(b, 0, sizeof *b);
	b->p2p_uv = b->onset_ms = b->noise_uv = b->cv = b->intensity_ma = NAN;
	b->collecting = true;
	b->from_t = -INFINITY;
}

static double coefficient_of_variation(const double *v, int n)
{
	double sum = 0, sq = 0;
	for (int i = 0; i < n; i++)
		sum += v[i];
	double mean = sum / n;
	if (!(mean > 0))
		return INFINITY;
	for (int i = 0; i < n; i++)
		sq += (v[i] - mean) * (v[i] - mean);
	return sqrt(sq / n) / mean;
}

bool lsr_baseline_store(struct lsr_baseline *b, double t, double p2p_uv, double onset_ms,
                        double noise_uv)
{
	if (!(b->collecting || b->refining) || t < b->from_t || !isfinite(p2p_uv))
		return false;
	if (b->n == 0)
		b->c_t_first = t;
	if (b->n == LSR_BASELINE_MAX) { /* keep the latest */
		memmove(b->c_p2p, b->c_p2p + 1, sizeof b->c_p2p - sizeof b->c_p2p[0]);
		memmove(b->c_onset, b->c_onset + 1, sizeof b->c_onset - sizeof b->c_onset[0]);
		memmove(b->c_noise, b->c_noise + 1, sizeof b->c_noise - sizeof b->c_noise[0]);
		b->n--;
	}
	b->c_p2p[b->n] = p2p_uv;
	b->c_onset[b->n] = onset_ms;
	b->c_noise[b->n] = noise_uv;
	b->n++;
	return true;
}

int lsr_baseline_collected(const struct lsr_baseline *b)
{
	return b->collecting ? b->n : 0;
}

void lsr_baseline_finish(struct lsr_baseline *b, const struct lsr_params *p, double p2p_uv,
                         double cv, bool has_lsr, double intensity_ma)
{
	b->have = true;
	b->p2p_uv = isnan(p2p_uv) ? lsr_judge_channel_median_of(b->c_p2p, b->n) : p2p_uv;
	b->onset_ms = lsr_judge_channel_median_of(b->c_onset, b->n);
	b->noise_uv = lsr_judge_channel_median_of(b->c_noise, b->n);
	b->cv = isnan(cv) ? coefficient_of_variation(b->c_p2p, b->n) : cv;
	b->trials = b->n;
	b->has_lsr = has_lsr;
	b->t_first = b->c_t_first;
	b->intensity_ma = intensity_ma;
	b->provisional = !(b->cv < p->baseline_cv) && !b->confirm_on_completion;
	b->collecting = false;
	b->refining = false;
	b->confirm_on_completion = false;
	b->n = 0;
}

/* A single sweep shows the LSR where its median p2p is this many times
 * the noise's. */
#define TRIAL_P2P_SNR 3.0

/* The mean of the middle half of n values (n ≤ LSR_BASELINE_MAX): a
 * dropout or a burst does not move it, and an LSR that alternates
 * between two sizes gets their mean, where a median would pick one.
 * NANs skipped. */
static double interquartile_mean(const double *v, int n)
{
	double s[MEDIAN_MAX];
	int k = sorted_numbers(v, n, s);
	if (k == 0)
		return NAN;
	int lo = k / 4, hi = k - k / 4;
	double sum = 0;
	for (int i = lo; i < hi; i++)
		sum += s[i];
	return sum / (hi - lo);
}

double lsr_baseline_trial_p2p(const struct lsr_baseline *b)
{
	double med = interquartile_mean(b->c_p2p, b->n);
	double noise = lsr_judge_channel_median_of(b->c_noise, b->n);
	if (!(med > TRIAL_P2P_SNR * noise))
		return NAN;
	return sqrt(med * med - noise * noise);
}

void lsr_baseline_refine(struct lsr_baseline *b, const struct lsr_params *p, double p2p_uv,
                         double cv, int trials)
{
	if (!isnan(p2p_uv))
		b->p2p_uv = p2p_uv;
	b->cv = cv;
	b->trials = trials;
	b->provisional = b->provisional && !(cv < p->baseline_cv);
	lsr_baseline_stop_refining(b);
}

void lsr_baseline_stop_refining(struct lsr_baseline *b)
{
	b->refining = false;
	b->n = 0;
}

bool lsr_baseline_confirm(struct lsr_baseline *b)
{
	if (b->have && b->provisional) {
		b->provisional = false;
		return true;
	}
	if (b->collecting)
		b->confirm_on_completion = true;
	return false;
}

void lsr_baseline_retake(struct lsr_baseline *b, double from_t)
{
	b->collecting = true;
	b->confirm_on_completion = false;
	b->from_t = from_t;
	b->n = 0;
}

bool lsr_judge_channel_judged(enum lsr_state s)
{
	return s == LSR_STATE_PRESENT || s == LSR_STATE_REDUCED || s == LSR_STATE_DISAPPEARED;
}

static void clear_runs(struct lsr_judge_channel *c)
{
	c->strong_run = 0;
	c->strong_missed = false;
	c->strong_since = NAN;
	c->unsupported = 0;
	c->contradicted = 0;
	c->bad_run = 0;
}

void lsr_judge_channel_init(struct lsr_judge_channel *c)
{
	memset(c, 0, sizeof *c);
	c->state = LSR_STATE_ACQUIRING;
	c->since = NAN;
	c->reason = LSR_REASON_NONE;
	clear_runs(c);
}

void lsr_judge_channel_start(struct lsr_judge_channel *c, bool has_lsr, double t_first)
{
	c->state = has_lsr ? LSR_STATE_PRESENT : LSR_STATE_NOT_DETECTED;
	c->since = t_first;
	c->reason = LSR_REASON_NONE;
	c->fresh = false;
	c->was_absent = false;
	clear_runs(c);
	memset(&c->last, 0, sizeof c->last);
}

static void go(struct lsr_judge_channel *c, enum lsr_state s, double since, enum lsr_reason why)
{
	if (s == LSR_STATE_DISAPPEARED)
		c->was_absent = true;
	else if (s == LSR_STATE_PRESENT || s == LSR_STATE_REDUCED)
		c->was_absent = false;
	c->state = s;
	c->since = since;
	c->reason = s == LSR_STATE_INDETERMINATE ? why : LSR_REASON_NONE;
	c->strong_run = 0;
	c->strong_missed = false;
	c->unsupported = 0;
	c->contradicted = 0;
}

/* Detected: present, or reduced when the amplitude is below reduced_pct
 * with 95% confidence. */
static enum lsr_state detected_state(const struct lsr_params *p, const struct lsr_decision *d)
{
	return d->hi95 < p->reduced_pct / 100.0 ? LSR_STATE_REDUCED : LSR_STATE_PRESENT;
}

bool lsr_judge_channel_decide(struct lsr_judge_channel *c, const struct lsr_params *p,
                              const struct lsr_decision *d, double t)
{
	c->last = *d;
	if (!d->made)
		return false;
	c->bad_run = 0;
	enum lsr_state old = c->state;
	enum lsr_reason old_reason = c->reason;
	/* A return is return_trials strong decisions in a run, the latest
	 * among them; one weaker decision just before the last does not end
	 * the run: a returned LSR drops out of a single trial now and then
	 * (trial-to-trial variation), and a strict run made such a return
	 * wait for return_trials more.  Any other weaker decision ends it. */
	if (d->strong) {
		if (c->strong_run++ == 0)
			c->strong_since = t;
	} else if (c->strong_run == p->return_trials - 1 && !c->strong_missed) {
		c->strong_missed = true;
	} else {
		c->strong_run = 0;
		c->strong_missed = false;
	}
	bool returned = d->strong && c->strong_run >= p->return_trials;

	if (c->fresh && !c->was_absent) {
		/* the first decision after the evidence was cleared, on an LSR
		 * last seen present: it alone says where the LSR is */
		if (d->absent || d->detected || d->whole)
			c->fresh = false;
		if (d->absent)
			go(c, LSR_STATE_DISAPPEARED, d->first_t, LSR_REASON_NONE);
		else if (d->detected)
			go(c, detected_state(p, d), d->first_t, LSR_REASON_NONE);
		else if (d->whole)
			go(c, LSR_STATE_INDETERMINATE, t, LSR_REASON_NOISE);
		return c->state != old || c->reason != old_reason;
	}
	/* last seen absent, a return needs the evidence any return needs */
	c->fresh = false;

	switch (c->state) {
	case LSR_STATE_PRESENT:
	case LSR_STATE_REDUCED:
		if (d->detected && !d->recent) {
			/* held up only by trials older than disappear_trials: a
			 * small LSR whose window is long, just gone, would be
			 * shown present on evidence older than 10 valid trials
			 * (docs/clinical.md "How presence is judged") */
			go(c, LSR_STATE_INDETERMINATE, t, LSR_REASON_NOISE);
		} else if (d->detected) {
			if (c->state == LSR_STATE_PRESENT && d->hi95 < p->reduced_pct / 100.0)
				go(c, LSR_STATE_REDUCED, d->first_t, LSR_REASON_NONE);
			else if (c->state == LSR_STATE_REDUCED &&
			         d->lo95 > p->reduced_exit_pct / 100.0)
				go(c, LSR_STATE_PRESENT, d->first_t, LSR_REASON_NONE);
		} else if (d->absent) {
			go(c, LSR_STATE_DISAPPEARED, d->first_t, LSR_REASON_NONE);
		} else if (d->whole) {
			/* neither shown over a whole long window (at least
			 * disappear_trials): the verdict has no evidence left; a
			 * dropout or two within it is not that */
			go(c, LSR_STATE_INDETERMINATE, t, LSR_REASON_NOISE);
		}
		break;
	case LSR_STATE_DISAPPEARED:
		/* a run with its weaker decision first contradicts the loss
		 * (indeterminate, below); its next strong decision returns */
		if (returned && !c->strong_missed) {
			go(c, detected_state(p, d), c->strong_since, LSR_REASON_NONE);
		} else if (d->absent) {
			c->unsupported = 0;
			c->contradicted = 0;
		} else if (++c->unsupported > p->invalid_reset ||
		           ((d->strong || (d->detected && d->recent)) &&
		            ++c->contradicted >= p->return_trials)) {
			/* no evidence of absence left — or evidence against it:
			 * return_trials decisions since the last absent one
			 * that show the LSR over the recent trials, not
			 * necessarily in a row (few valid trials between
			 * contaminated ones, say).  Recent, not merely
			 * detected: one noisy trial keeps the long window
			 * detecting for w decisions, the recent ones for at
			 * most disappear_trials; and a loss shown on while an
			 * LSR back at full size is detected, only not strongly
			 * (one that varies much from trial to trial), is
			 * stale within 10 valid trials (docs/clinical.md).  A
			 * run of strong decisions goes on toward the return. */
			int run = c->strong_run;
			bool missed = c->strong_missed;
			double since = c->strong_since;
			go(c, LSR_STATE_INDETERMINATE, t, LSR_REASON_NOISE);
			c->strong_run = run;
			c->strong_missed = missed;
			c->strong_since = since;
		}
		break;
	case LSR_STATE_INDETERMINATE:
		/* back to present or reduced only as a return from absence
		 * is: this channel may be the last of an overall disappeared
		 * (the others absent), and one strong decision in noise made
		 * that a false return */
		if (returned && d->recent)
			go(c, detected_state(p, d), c->strong_since, LSR_REASON_NONE);
		else if (d->absent)
			go(c, LSR_STATE_DISAPPEARED, d->first_t, LSR_REASON_NONE);
		else if (!d->detected && d->full)
			c->reason = LSR_REASON_NOISE; /* there are trials now: noise */
		break;
	default:
		break;
	}
	return c->state != old || c->reason != old_reason;
}

bool lsr_judge_channel_age(struct lsr_judge_channel *c, const struct lsr_decision *d, double t)
{
	if ((c->state != LSR_STATE_PRESENT && c->state != LSR_STATE_REDUCED) || !d->made ||
	    d->recent)
		return false;
	go(c, LSR_STATE_INDETERMINATE, t, LSR_REASON_NOISE);
	return true;
}

bool lsr_judge_channel_returned(enum lsr_state prev, enum lsr_state now)
{
	return (prev == LSR_STATE_DISAPPEARED || prev == LSR_STATE_INDETERMINATE) &&
	       (now == LSR_STATE_PRESENT || now == LSR_STATE_REDUCED);
}

void lsr_judge_channel_settle(struct lsr_judge_channel *c, const struct lsr_params *p,
                              const struct lsr_decision *d)
{
	c->last = *d;
	if ((c->state == LSR_STATE_PRESENT || c->state == LSR_STATE_REDUCED) && d->made)
		c->state = detected_state(p, d);
}

bool lsr_judge_channel_skip(struct lsr_judge_channel *c, const struct lsr_params *p, double t,
                            bool no_stimulus)
{
	bool judged = lsr_judge_channel_judged(c->state) || c->state == LSR_STATE_INDETERMINATE;
	if (!judged)
		return false;
	if (++c->bad_run <= p->invalid_reset)
		return false;
	c->bad_run = 0;
	c->fresh = true;
	c->strong_run = 0;
	c->strong_missed = false;
	c->contradicted = 0;
	/* Trials the stimulus did not reach the nerve on are a stimulation
	 * failure, which the overall state shows; the LSR's own verdict is
	 * no older in valid trials than before it, and the next ones decide
	 * afresh (docs/detector.md "States"). */
	if (no_stimulus)
		return true;
	if (c->state == LSR_STATE_INDETERMINATE && c->reason == LSR_REASON_NO_VALID_TRIALS)
		return true;
	bool absent = c->was_absent || c->state == LSR_STATE_DISAPPEARED;
	go(c, LSR_STATE_INDETERMINATE, t, LSR_REASON_NO_VALID_TRIALS);
	c->was_absent = absent;
	return true;
}
