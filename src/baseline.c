/* src/baseline.c — per-channel baseline collection, median, stability. */
#include <math.h>
#include <string.h>

#include "baseline.h"

double lsr_median(const double *v, int n)
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
	b->p2p_uv = lsr_median(b->c_p2p, b->n);
	b->onset_ms = lsr_median(b->c_onset, b->n);
	b->noise_uv = lsr_median(b->c_noise, b->n);
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
