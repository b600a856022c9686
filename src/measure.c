/* src/measure.c — window measures, noise distribution, swamping rules. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure.h"

double lsr_measure_p2p(const float *x, int n)
{
	if (n <= 0)
		return NAN;
	float lo = x[0], hi = x[0];
	for (int i = 1; i < n; i++) {
		lo = x[i] < lo ? x[i] : lo;
		hi = x[i] > hi ? x[i] : hi;
	}
	return (double)hi - lo;
}

void lsr_measure_window(const float *x, int n, double ms0, double dt_ms,
                        double threshold, double floor_uv, int quiet,
                        struct lsr_window_measure *m)
{
	m->p2p_uv = lsr_measure_p2p(x, n);
	m->threshold_uv = threshold;
	m->onset_ms = NAN;
	m->onset_at_edge = false;
	double area = 0;
	for (int i = 0; i < n; i++)
		area += fabsf(x[i]);
	m->area_uv_ms = area * dt_ms;
	double level = (isnan(threshold) ? floor_uv : threshold) / 2;
	int run = 0, first = -1, found = -1;
	for (int i = 0; i < n; i++) {
		if (fabsf(x[i]) <= level) {
			run++;
			continue;
		}
		if (run >= quiet) {
			found = i;
			break;
		}
		if (first < 0)
			first = i;
		run = 0;
	}
	int c = found >= 0 ? found : first;
	if (c < 0)
		return;
	/* Back to where this excursion left the baseline. */
	int j = c;
	while (j > 0 && (x[j - 1] > 0) == (x[c] > 0) && x[j - 1] != 0)
		j--;
	m->onset_ms = ms0 + j * dt_ms;
	m->onset_at_edge = found < 0;
}

double lsr_measure_mean_hz(const float *x, int n, double rate)
{
	if (n < 3)
		return NAN;
	double mean = 0;
	for (int i = 0; i < n; i++)
		mean += x[i];
	mean /= n;
	double v = 0, d = 0;
	for (int i = 0; i < n; i++)
		v += (x[i] - mean) * (x[i] - mean);
	for (int i = 1; i < n; i++)
		d += ((double)x[i] - x[i - 1]) * ((double)x[i] - x[i - 1]);
	if (!(v > 0))
		return 0;
	return rate / (2 * M_PI) * sqrt((d / (n - 1)) / (v / n));
}

enum lsr_swamp lsr_measure_swamp(double seg_p2p, double mean_hz, double noise_median,
                                 double floor_uv)
{
	if (!(noise_median > 0) || isnan(seg_p2p) || !(seg_p2p > floor_uv))
		return LSR_SWAMP_NONE;
	double r = seg_p2p / noise_median;
	if (r > LSR_CAUTERY_RATIO && mean_hz > LSR_CAUTERY_HZ)
		return LSR_SWAMP_CAUTERY;
	if (r > LSR_SPASM_RATIO)
		return LSR_SWAMP_SPASM;
	return LSR_SWAMP_NONE;
}

struct ring {
	int n, head;
};

struct lsr_noise {
	int nch, cap;
	struct ring r[LSR_MAX_CHANNELS][LSR_NOISE_KINDS];
	float *v;      /* nch × kinds × cap */
	double *tmp;   /* cap: scratch for percentiles */
};

struct lsr_noise *lsr_noise_new(int nch, int cap)
{
	if (nch < 1 || nch > LSR_MAX_CHANNELS || cap < LSR_NOISE_MIN)
		return NULL;
	struct lsr_noise *z = calloc(1, sizeof *z);
	if (!z)
		return NULL;
	z->nch = nch;
	z->cap = cap;
	z->v = calloc((size_t)nch * LSR_NOISE_KINDS * (size_t)cap, sizeof *z->v);
	z->tmp = calloc((size_t)cap, sizeof *z->tmp);
	if (!z->v || !z->tmp) {
		lsr_noise_free(z);
		return NULL;
	}
	return z;
}

void lsr_noise_free(struct lsr_noise *z)
{
	if (!z)
		return;
	free(z->v);
	free(z->tmp);
	free(z);
}

static float *values(const struct lsr_noise *z, int ch, enum lsr_noise_kind k)
{
	return z->v + ((size_t)ch * LSR_NOISE_KINDS + k) * (size_t)z->cap;
}

void lsr_noise_add(struct lsr_noise *z, int ch, enum lsr_noise_kind k, double p2p)
{
	if (ch < 0 || ch >= z->nch || !isfinite(p2p))
		return;
	struct ring *r = &z->r[ch][k];
	values(z, ch, k)[r->head] = (float)p2p;
	r->head = (r->head + 1) % z->cap;
	if (r->n < z->cap)
		r->n++;
}

int lsr_noise_count(const struct lsr_noise *z, int ch, enum lsr_noise_kind k)
{
	return ch >= 0 && ch < z->nch ? z->r[ch][k].n : 0;
}

static void swap_d(double *v, int a, int b)
{
	double t = v[a];
	v[a] = v[b];
	v[b] = t;
}

/* Moves the k-th smallest of v[0..n) to v[k], smaller ones before it and
 * larger after (Hoare's selection, median-of-three pivot): the percentile
 * of sorted values without sorting them, and no comparison callback — this
 * runs for every channel of every stimulus.  Values are finite. */
static void select_kth(double *v, int n, int k)
{
	int lo = 0, hi = n - 1;
	while (hi > lo) {
		int mid = lo + (hi - lo) / 2;
		if (v[mid] < v[lo])
			swap_d(v, lo, mid);
		if (v[hi] < v[lo])
			swap_d(v, lo, hi);
		if (v[hi] < v[mid])
			swap_d(v, mid, hi);
		double p = v[mid];
		int i = lo, j = hi;
		while (i <= j) {
			while (v[i] < p)
				i++;
			while (v[j] > p)
				j--;
			if (i <= j)
				swap_d(v, i++, j--);
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return; /* v[j+1 .. i-1] all equal the pivot */
	}
}

/* The pct-th percentile with linear interpolation between the two order
 * statistics around it, as on the sorted values; reorders v. */
static double quantile(double *v, int n, double pct)
{
	double pos = pct / 100.0 * (n - 1);
	int i = (int)floor(pos);
	if (i >= n - 1) {
		select_kth(v, n, n - 1);
		return v[n - 1];
	}
	select_kth(v, n, i);
	double next = v[i + 1];
	for (int j = i + 2; j < n; j++)
		if (v[j] < next)
			next = v[j];
	return v[i] + (pos - i) * (next - v[i]);
}

double lsr_noise_percentile(struct lsr_noise *z, int ch, enum lsr_noise_kind k, double pct)
{
	int n = lsr_noise_count(z, ch, k);
	if (n < LSR_NOISE_MIN)
		return NAN;
	const float *v = values(z, ch, k);
	for (int i = 0; i < n; i++)
		z->tmp[i] = v[i];
	return quantile(z->tmp, n, pct);
}

double lsr_median_inplace(double *v, int n)
{
	if (n <= 0)
		return NAN;
	return quantile(v, n, 50);
}
