/* src/judge/judge_channel.c — per-channel baseline collection (median, stability)
 * and LSR state transitions (docs/clinical.md "reduced", "disappeared",
 * "returned"). */
#include <math.h>
#include <string.h>

#include "judge_channel.h"

double lsr_judge_channel_median_of(const double *v, int n)
{
	double s[32];
	int k = 0;
	for (int i = 0; i < n && k < 32; i++) {
		if (isnan(v[i]))
			continue;
		/* insertion sort: n is at most a few dozen */
		int j = k++;
		while (j > 0 && s[j - 1] > v[i]) {
			s[j] = s[j - 1];
			j--;
		}
		s[j] = v[i];
	}
	if (k == 0)
		return NAN;
	return k % 2 ? s[k / 2] : 0.5 * (s[k / 2 - 1] + s[k / 2]);
}

void lsr_baseline_reset(struct lsr_baseline *b)
{
	memset(b, 0, sizeof *b);
	b->p2p_uv = b->onset_ms = b->noise_uv = b->cv = NAN;
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

bool lsr_baseline_add(struct lsr_baseline *b, const struct lsr_params *p, double t,
                      double p2p_uv, double onset_ms, double noise_uv, bool present)
{
	if (!b->collecting || t < b->from_t || !isfinite(p2p_uv))
		return false;
	int need = p->baseline_trials;
	if (need < 1)
		need = 1;
	if (need > LSR_BASELINE_MAX)
		need = LSR_BASELINE_MAX;
	if (b->n == 0)
		b->c_t_first = t;
	b->c_p2p[b->n] = p2p_uv;
	b->c_onset[b->n] = present ? onset_ms : NAN;
	b->c_noise[b->n] = noise_uv;
	b->c_present[b->n] = present;
	b->n++;
	if (b->n < need)
		return false;

	int npresent = 0;
	for (int i = 0; i < b->n; i++)
		npresent += b->c_present[i];
	b->have = true;
	b->p2p_uv = lsr_judge_channel_median_of(b->c_p2p, b->n);
	b->onset_ms = lsr_judge_channel_median_of(b->c_onset, b->n);
	b->noise_uv = lsr_judge_channel_median_of(b->c_noise, b->n);
	b->cv = coefficient_of_variation(b->c_p2p, b->n);
	b->trials = b->n;
	b->present = npresent;
	b->has_lsr = 2 * npresent >= b->n;
	b->t_first = b->c_t_first;
	b->provisional = !(b->cv < p->baseline_cv) && !b->confirm_on_completion;
	b->collecting = false;
	b->confirm_on_completion = false;
	b->n = 0;
	return true;
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

void lsr_judge_channel_reset_counters(struct lsr_judge_channel *c)
{
	c->absent_run = c->present_run = c->exit_run = 0;
	c->absent_since = c->present_since = c->exit_since = NAN;
	c->bad_run = 0;
	c->ring_n = c->ring_head = 0;
}

void lsr_judge_channel_init(struct lsr_judge_channel *c)
{
	memset(c, 0, sizeof *c);
	c->state = LSR_STATE_ACQUIRING;
	c->since = NAN;
	lsr_judge_channel_reset_counters(c);
}

void lsr_judge_channel_start(struct lsr_judge_channel *c, bool has_lsr, double t_first)
{
	c->state = has_lsr ? LSR_STATE_PRESENT : LSR_STATE_NOT_DETECTED;
	c->since = t_first;
	lsr_judge_channel_reset_counters(c);
}

static int ring_len(const struct lsr_params *p)
{
	int n = p->reduced_trials;
	return n < 1 ? 1 : n > LSR_CHAN_RING_MAX ? LSR_CHAN_RING_MAX : n;
}

double lsr_judge_channel_median(const struct lsr_judge_channel *c)
{
	return lsr_judge_channel_median_of(c->ring, c->ring_n);
}

/* Where a reduced median began: the oldest trial in the ring below the
 * reduced level. */
static double first_low_t(const struct lsr_judge_channel *c, int len, double level)
{
	int start = c->ring_n < len ? 0 : c->ring_head;
	for (int k = 0; k < c->ring_n; k++) {
		int i = (start + k) % len;
		if (c->ring[i] < level)
			return c->ring_t[i];
	}
	return NAN; /* unreachable: a median below level has values below it */
}

bool lsr_judge_channel_trial(struct lsr_judge_channel *c, const struct lsr_params *p, double base_p2p,
                    double t, double p2p_uv, bool present)
{
	if (c->state != LSR_STATE_PRESENT && c->state != LSR_STATE_REDUCED &&
	    c->state != LSR_STATE_DISAPPEARED)
		return false;
	c->bad_run = 0;
	int len = ring_len(p);
	if (c->ring_n < len) {
		c->ring[c->ring_n] = p2p_uv;
		c->ring_t[c->ring_n] = t;
		c->ring_n++;
	} else {
		c->ring[c->ring_head] = p2p_uv;
		c->ring_t[c->ring_head] = t;
		c->ring_head = (c->ring_head + 1) % len;
	}
	if (present) {
		if (c->present_run++ == 0)
			c->present_since = t;
		c->absent_run = 0;
	} else {
		if (c->absent_run++ == 0)
			c->absent_since = t;
		c->present_run = 0;
	}
	bool full = c->ring_n == len;
	double med = full ? lsr_judge_channel_median(c) : NAN;
	enum lsr_state old = c->state;

	switch (c->state) {
	case LSR_STATE_PRESENT:
	case LSR_STATE_REDUCED:
		if (c->absent_run >= p->disappear_trials) {
			c->state = LSR_STATE_DISAPPEARED;
			c->since = c->absent_since;
		} else if (c->state == LSR_STATE_PRESENT) {
			double level = p->reduced_pct / 100.0 * base_p2p;
			if (full && med < level) {
				c->state = LSR_STATE_REDUCED;
				c->since = first_low_t(c, len, level);
				c->exit_run = 0;
			}
		} else if (full && med > p->reduced_exit_pct / 100.0 * base_p2p) {
			if (c->exit_run++ == 0)
				c->exit_since = t;
			if (c->exit_run >= p->return_trials) {
				c->state = LSR_STATE_PRESENT;
				c->since = c->exit_since;
				c->exit_run = 0;
			}
		} else {
			c->exit_run = 0;
		}
		break;
	case LSR_STATE_DISAPPEARED:
		if (c->present_run >= p->return_trials) {
			c->state = LSR_STATE_PRESENT;
			c->since = c->present_since;
			c->exit_run = 0;
		}
		break;
	default:
		break;
	}
	return c->state != old;
}

void lsr_judge_channel_skip(struct lsr_judge_channel *c, const struct lsr_params *p)
{
	if (++c->bad_run > p->invalid_reset)
		lsr_judge_channel_reset_counters(c);
}
