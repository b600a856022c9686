/* src/signal/filter.c — RBJ-cookbook biquads in cascade, double state, float data. */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "filter.h"
#include "simd.h"

static struct lsr_biquad norm(double b0, double b1, double b2, double a0, double a1, double a2)
{
	struct lsr_biquad q = { b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0 };
	return q;
}

/* Q = 1/sqrt(2): the second-order Butterworth section. */
static struct lsr_biquad highpass(double rate, double fc, double q)
{
	double w = 2 * M_PI * fc / rate, c = cos(w), al = sin(w) / (2 * q);
	return norm((1 + c) / 2, -(1 + c), (1 + c) / 2, 1 + al, -2 * c, 1 - al);
}

static struct lsr_biquad lowpass(double rate, double fc, double q)
{
	double w = 2 * M_PI * fc / rate, c = cos(w), al = sin(w) / (2 * q);
	return norm((1 - c) / 2, 1 - c, (1 - c) / 2, 1 + al, -2 * c, 1 - al);
}

static struct lsr_biquad notch(double rate, double fc, double q)
{
	double w = 2 * M_PI * fc / rate, c = cos(w), al = sin(w) / (2 * q);
	return norm(1, -2 * c, 1, 1 + al, -2 * c, 1 - al);
}

int lsr_filter_design(struct lsr_filter *f, double rate, double hp_hz,
                      double lp_hz, double notch_hz)
{
	const double q = 1 / sqrt(2.0);
	f->nsec = 0;
	f->lp_hz = 0;
	f->period = 0;
	if (!(rate > 0) || !(hp_hz > 0) || hp_hz >= 0.45 * rate)
		return -1;
	f->sec[f->nsec++] = highpass(rate, hp_hz, q);
	double lp = lp_hz;
	if (lp >= 0.45 * rate)
		lp = 0.45 * rate;
	if (lp >= 2 * hp_hz) {
		f->sec[f->nsec++] = lowpass(rate, lp, q);
		f->lp_hz = lp;
	}
	if ((notch_hz == 50 || notch_hz == 60) && notch_hz < 0.45 * rate) {
		f->sec[f->nsec++] = notch(rate, notch_hz, LSR_NOTCH_Q);
		f->period = (size_t)lround(rate / notch_hz);
	}
	return 0;
}

/* Four buffers side by side in one vector of doubles: a biquad is bound
 * by the latency of its feedback, so lanes (and the sections of the
 * cascade, fused per sample) fill the pipeline (simd.h). */
#define LANES LSR_D4_LANES
typedef lsr_d4 lanes;
typedef lsr_f4 lanes_f;

/* Transposed direct form II, the cascade fused per sample, in double
 * from the first section to the last (rounded to float once, when
 * stored).  nsec is a constant at every call, so the state stays in
 * registers. */
static inline __attribute__((always_inline)) void
cascade(const struct lsr_filter *f, int nsec, float *const c[LANES], size_t n, int dir)
{
	lanes b0[LSR_FILTER_MAX_SECTIONS], b1[LSR_FILTER_MAX_SECTIONS], b2[LSR_FILTER_MAX_SECTIONS];
	lanes a1[LSR_FILTER_MAX_SECTIONS], a2[LSR_FILTER_MAX_SECTIONS];
	lanes s1[LSR_FILTER_MAX_SECTIONS], s2[LSR_FILTER_MAX_SECTIONS];
	const lanes zero = { 0 };
#pragma GCC unroll 4
	for (int k = 0; k < nsec; k++) {
		b0[k] = zero + f->sec[k].b0;
		b1[k] = zero + f->sec[k].b1;
		b2[k] = zero + f->sec[k].b2;
		a1[k] = zero + f->sec[k].a1;
		a2[k] = zero + f->sec[k].a2;
		s1[k] = s2[k] = zero;
	}
	size_t first = dir > 0 ? 0 : n - 1;
	/* The first sample is subtracted: the high-pass starts from rest at
	 * the signal's level instead of ringing on a step. */
	const lanes sub = { c[0][first], c[1][first], c[2][first], c[3][first] };
	for (size_t j = 0; j < n; j++) {
		size_t o = dir > 0 ? j : n - 1 - j;
		lanes in = (lanes){ c[0][o], c[1][o], c[2][o], c[3][o] } - sub;
#pragma GCC unroll 4
		for (int k = 0; k < nsec; k++) {
			lanes out = b0[k] * in + s1[k];
			s1[k] = b1[k] * in - a1[k] * out + s2[k];
			s2[k] = b2[k] * in - a2[k] * out;
			in = out;
		}
		lanes_f out_f = __builtin_convertvector(in, lanes_f);
		c[0][o] = out_f[0];
		c[1][o] = out_f[1];
		c[2][o] = out_f[2];
		c[3][o] = out_f[3];
	}
}

/* One forward or backward pass over up to four buffers (a lane without a
 * buffer of its own repeats the first: it computes and stores exactly the
 * same values). */
static inline __attribute__((always_inline)) void
run_body(const struct lsr_filter *f, float *const *x, int nx, size_t n, int dir)
{
	float *c[LANES];
	for (int l = 0; l < LANES; l++)
		c[l] = x[l < nx ? l : 0];
	switch (f->nsec) {
	case 1:
		cascade(f, 1, c, n, dir);
		break;
	case 2:
		cascade(f, 2, c, n, dir);
		break;
	default:
		cascade(f, 3, c, n, dir);
		break;
	}
}

/* AVX2: one instruction per vector instead of two SSE2 halves (simd.h). */
LSR_TARGET_AVX2 static void run_avx2(const struct lsr_filter *f, float *const *x, int nx,
                                     size_t n, int dir)
{
	run_body(f, x, nx, n, dir);
}

static void run_plain(const struct lsr_filter *f, float *const *x, int nx, size_t n, int dir)
{
	run_body(f, x, nx, n, dir);
}

static void run(const struct lsr_filter *f, float *const *x, int nx, size_t n, int dir)
{
	if (n == 0 || nx < 1)
		return;
	if (lsr_cpu_has_avx2())
		run_avx2(f, x, nx, n, dir);
	else
		run_plain(f, x, nx, n, dir);
}

void lsr_filter_forward(const struct lsr_filter *f, float *x, size_t n)
{
	run(f, &x, 1, n, 1);
}

/* Fills x[n..n+pad) so the backward pass starts on something that looks
 * like the signal went on.  Without a notch: the odd reflection about the
 * last sample (value and slope continue).  With one: whole mains periods
 * repeated, shifted to join the last sample, because a reflected hum
 * reverses its phase and the notch would ring on that for tens of ms. */
static size_t extend(const struct lsr_filter *f, float *x, size_t n, size_t pad)
{
	if (n < pad + 2)
		pad = n >= 2 ? n - 2 : 0;
	size_t per = f->period;
	if (per > 0 && per + 1 < n) {
		float d = x[n - 1] - x[n - 1 - per];
		for (size_t k = 0; k < pad; k++)
			x[n + k] = x[n + k - per] + d;
		return pad;
	}
	for (size_t k = 0; k < pad; k++)
		x[n + k] = 2 * x[n - 1] - x[n - 2 - k];
	return pad;
}

void lsr_filter_zerophase(const struct lsr_filter *f, float *x, size_t n, size_t pad)
{
	pad = extend(f, x, n, pad);
	run(f, &x, 1, n + pad, 1);
	run(f, &x, 1, n + pad, -1);
}

void lsr_filter_zerophase_n(const struct lsr_filter *f, float *const *x, int nx,
                            size_t n, size_t pad, const struct lsr_filter_tap *tap)
{
	size_t p = pad;
	for (int i = 0; i < nx; i++)
		p = extend(f, x[i], n, pad);
	bool tapped = tap && tap->len > 0 && tap->from + tap->len <= n;
	for (int i = 0; i < nx; i += LANES) {
		run(f, x + i, nx - i, n + p, 1);
		for (int k = i; tapped && k < nx && k < i + LANES; k++)
			memcpy(tap->out[k], x[k] + tap->from, tap->len * sizeof(float));
		run(f, x + i, nx - i, n + p, -1);
	}
}
