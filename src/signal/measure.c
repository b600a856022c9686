/* src/signal/measure.c — window measures, noise distribution, swamping rules. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure.h"

/* A large response sets its own crossing level: the zero-phase band-pass
 * spreads a millivolt M wave backwards by ~1 %, which must not read as
 * its onset. */
#define ONSET_P2P_FRACTION 0.1

/* Eight running minima and maxima side by side, which the compiler keeps
 * in vector registers: min and max are exact, so the order in which the
 * samples meet does not change the result (a NaN is passed over as
 * before, unless it is the first sample). */
#define P2P_LANES 8
double lsr_measure_p2p(const float *x, int n)
{
	if (n <= 0)
		return NAN;
	float lo[P2P_LANES], hi[P2P_LANES];
	for (int l = 0; l < P2P_LANES; l++)
		lo[l] = hi[l] = x[0];
	int i = 1;
	for (; i + P2P_LANES <= n; i += P2P_LANES)
		for (int l = 0; l < P2P_LANES; l++) {
			lo[l] = x[i + l] < lo[l] ? x[i + l] : lo[l];
			hi[l] = x[i + l] > hi[l] ? x[i + l] : hi[l];
		}
	for (; i < n; i++) {
		lo[0] = x[i] < lo[0] ? x[i] : lo[0];
		hi[0] = x[i] > hi[0] ? x[i] : hi[0];
	}
	float l0 = lo[0], h0 = hi[0];
	for (int l = 1; l < P2P_LANES; l++) {
		l0 = lo[l] < l0 ? lo[l] : l0;
		h0 = hi[l] > h0 ? hi[l] : h0;
	}
	return (double)h0 - l0;
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
	if (level < ONSET_P2P_FRACTION * m->p2p_uv)
		level = ONSET_P2P_FRACTION * m->p2p_uv;
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
	/* Back to the foot of this excursion: while |x| keeps falling with
	 * the same sign, never past the quiet stretch before it (a slow wave
	 * of the same sign is not part of the response). */
	int j = c, stop = found >= 0 ? c - run : 0;
	while (j > stop && (x[j - 1] > 0) == (x[c] > 0) && x[j - 1] != 0 &&
	       fabsf(x[j - 1]) < fabsf(x[j]))
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

/* Per channel and kind: the values in arrival order (a ring, to know
 * which one leaves) and the same values kept sorted (so a percentile is a
 * lookup; adding costs two binary searches and two short moves). */
struct ring {
	int n, head;
};

struct lsr_noise {
	int nch, cap;
	struct ring r[LSR_MAX_CHANNELS][LSR_NOISE_KINDS];
	float *v;      /* nch × kinds × cap, arrival order */
	float *s;      /* nch × kinds × cap, sorted ascending */
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
	z->s = calloc((size_t)nch * LSR_NOISE_KINDS * (size_t)cap, sizeof *z->s);
	if (!z->v || !z->s) {
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
	free(z->s);
	free(z);
}

static size_t base(const struct lsr_noise *z, int ch, enum lsr_noise_kind k)
{
	return ((size_t)ch * LSR_NOISE_KINDS + k) * (size_t)z->cap;
}

/* First position in s[0..n) whose value is >= x. */
static int lower_bound(const float *s, int n, float x)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (s[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void lsr_noise_add(struct lsr_noise *z, int ch, enum lsr_noise_kind k, double p2p)
{
	if (ch < 0 || ch >= z->nch || !isfinite(p2p))
		return;
	struct ring *r = &z->r[ch][k];
	float *v = z->v + base(z, ch, k), *s = z->s + base(z, ch, k);
	float x = (float)p2p;
	if (r->n == z->cap) {
		int at = lower_bound(s, r->n, v[r->head]); /* the oldest leaves */
		memmove(s + at, s + at + 1, (size_t)(r->n - at - 1) * sizeof *s);
		r->n--;
	}
	int at = lower_bound(s, r->n, x);
	memmove(s + at + 1, s + at, (size_t)(r->n - at) * sizeof *s);
	s[at] = x;
	r->n++;
	v[r->head] = x;
	r->head = (r->head + 1) % z->cap;
}

int lsr_noise_count(const struct lsr_noise *z, int ch, enum lsr_noise_kind k)
{
	return ch >= 0 && ch < z->nch ? z->r[ch][k].n : 0;
}

static double quantile_sorted_f(const float *v, int n, double pct)
{
	double pos = pct / 100.0 * (n - 1);
	int i = (int)floor(pos);
	if (i >= n - 1)
		return v[n - 1];
	return v[i] + (pos - i) * ((double)v[i + 1] - v[i]);
}

double lsr_noise_percentile(const struct lsr_noise *z, int ch, enum lsr_noise_kind k, double pct)
{
	int n = lsr_noise_count(z, ch, k);
	if (n < LSR_NOISE_MIN)
		return NAN;
	return quantile_sorted_f(z->s + base(z, ch, k), n, pct);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double lsr_median_inplace(double *v, int n)
{
	if (n <= 0)
		return NAN;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double lsr_select_inplace(double *v, int n, int k)
{
	if (n <= 0 || k < 0 || k >= n)
		return NAN;
	/* Hoare's selection: partition around the middle element, keep the
	 * side that holds k. */
	int lo = 0, hi = n - 1;
	while (lo < hi) {
		double pivot = v[lo + (hi - lo) / 2];
		int i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				double t = v[i];
				v[i++] = v[j];
				v[j--] = t;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return v[k];
}
