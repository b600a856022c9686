/* src/filter.c — RBJ-cookbook biquads in cascade, double state, float data. */
#include <math.h>

#include "filter.h"

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
	if ((notch_hz == 50 || notch_hz == 60) && notch_hz < 0.45 * rate)
		f->sec[f->nsec++] = notch(rate, notch_hz, 30);
	return 0;
}

/* Transposed direct form II per section, the whole buffer section by
 * section: one coefficient set stays in registers per pass. */
static void run(const struct lsr_filter *f, float *x, size_t n, int dir)
{
	if (n == 0)
		return;
	size_t first = dir > 0 ? 0 : n - 1;
	double x0 = x[first];
	for (int k = 0; k < f->nsec; k++) {
		const struct lsr_biquad q = f->sec[k];
		double s1 = 0, s2 = 0;
		for (size_t j = 0; j < n; j++) {
			size_t i = dir > 0 ? j : n - 1 - j;
			double in = x[i] - (k == 0 ? x0 : 0);
			double out = q.b0 * in + s1;
			s1 = q.b1 * in - q.a1 * out + s2;
			s2 = q.b2 * in - q.a2 * out;
			x[i] = (float)out;
		}
	}
}

void lsr_filter_forward(const struct lsr_filter *f, float *x, size_t n)
{
	run(f, x, n, 1);
}

void lsr_filter_backward(const struct lsr_filter *f, float *x, size_t n)
{
	run(f, x, n, -1);
}

/* run() on four buffers at once: the same operations in the same order per
 * buffer (so the same values), but four independent recursions in flight
 * instead of one serial chain of multiply-adds per sample. */
static void run4(const struct lsr_filter *f, float *const *x, size_t n, int dir)
{
	if (n == 0)
		return;
	size_t first = dir > 0 ? 0 : n - 1;
	double x0[4];
	for (int l = 0; l < 4; l++)
		x0[l] = x[l][first];
	for (int k = 0; k < f->nsec; k++) {
		const struct lsr_biquad q = f->sec[k];
		double s1[4] = {0, 0, 0, 0}, s2[4] = {0, 0, 0, 0}, sub[4];
		for (int l = 0; l < 4; l++)
			sub[l] = k == 0 ? x0[l] : 0;
		for (size_t j = 0; j < n; j++) {
			size_t i = dir > 0 ? j : n - 1 - j;
			for (int l = 0; l < 4; l++) {
				double in = x[l][i] - sub[l];
				double out = q.b0 * in + s1[l];
				s1[l] = q.b1 * in - q.a1 * out + s2[l];
				s2[l] = q.b2 * in - q.a2 * out;
				x[l][i] = (float)out;
			}
		}
	}
}

static size_t pad_reflect(float *x, size_t n, size_t pad)
{
	if (n < pad + 2)
		pad = n >= 2 ? n - 2 : 0;
	for (size_t k = 0; k < pad; k++)
		x[n + k] = 2 * x[n - 1] - x[n - 2 - k];
	return pad;
}

void lsr_filter_zerophase(const struct lsr_filter *f, float *x, size_t n, size_t pad)
{
	pad = pad_reflect(x, n, pad);
	run(f, x, n + pad, 1);
	run(f, x, n + pad, -1);
}

void lsr_filter_zerophase_n(const struct lsr_filter *f, float *x, size_t stride, int nbuf,
                            size_t n, size_t pad)
{
	size_t used = pad;
	for (int b = 0; b < nbuf; b++)
		used = pad_reflect(x + (size_t)b * stride, n, pad);
	int b = 0;
	for (; b + 4 <= nbuf; b += 4) {
		float *const xs[4] = {x + (size_t)b * stride, x + (size_t)(b + 1) * stride,
		                      x + (size_t)(b + 2) * stride, x + (size_t)(b + 3) * stride};
		run4(f, xs, n + used, 1);
		run4(f, xs, n + used, -1);
	}
	for (; b < nbuf; b++) {
		run(f, x + (size_t)b * stride, n + used, 1);
		run(f, x + (size_t)b * stride, n + used, -1);
	}
}
