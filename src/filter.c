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

/* Transposed direct form II, the whole buffer section by section: one
 * coefficient set stays in registers per pass. */
static void run(const struct lsr_filter *f, float *x, size_t n, int dir)
{
	if (n == 0)
		return;
	ptrdiff_t step = dir > 0 ? 1 : -1;
	float *p0 = dir > 0 ? x : x + n - 1;
	double x0 = *p0;
	for (int k = 0; k < f->nsec; k++) {
		const struct lsr_biquad q = f->sec[k];
		double s1 = 0, s2 = 0, sub = k == 0 ? x0 : 0;
		float *p = p0;
		for (size_t j = 0; j < n; j++, p += step) {
			double in = *p - sub;
			double out = q.b0 * in + s1;
			s1 = q.b1 * in - q.a1 * out + s2;
			s2 = q.b2 * in - q.a2 * out;
			*p = (float)out;
		}
	}
}

/* The same over four buffers at once: a biquad is bound by the latency of
 * its feedback, and four independent chains fill the pipeline. */
#define LANES 4
#define LANE(l)                                                       \
	do {                                                          \
		double in = c##l[o] - sub##l;                         \
		double out = b0 * in + s1##l;                         \
		s1##l = b1 * in - a1 * out + s2##l;                   \
		s2##l = b2 * in - a2 * out;                           \
		c##l[o] = (float)out;                                 \
	} while (0)
static void run4(const struct lsr_filter *f, float *const *x, size_t n, int dir)
{
	if (n == 0)
		return;
	float *c0 = x[0], *c1 = x[1], *c2 = x[2], *c3 = x[3];
	size_t first = dir > 0 ? 0 : n - 1;
	double x00 = c0[first], x01 = c1[first], x02 = c2[first], x03 = c3[first];
	for (int k = 0; k < f->nsec; k++) {
		const double b0 = f->sec[k].b0, b1 = f->sec[k].b1, b2 = f->sec[k].b2;
		const double a1 = f->sec[k].a1, a2 = f->sec[k].a2;
		double s10 = 0, s11 = 0, s12 = 0, s13 = 0, s20 = 0, s21 = 0, s22 = 0, s23 = 0;
		double sub0 = k ? 0 : x00, sub1 = k ? 0 : x01, sub2 = k ? 0 : x02, sub3 = k ? 0 : x03;
		for (size_t j = 0; j < n; j++) {
			size_t o = dir > 0 ? j : n - 1 - j;
			LANE(0);
			LANE(1);
			LANE(2);
			LANE(3);
		}
	}
}
#undef LANE

void lsr_filter_forward(const struct lsr_filter *f, float *x, size_t n)
{
	run(f, x, n, 1);
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
	run(f, x, n + pad, 1);
	run(f, x, n + pad, -1);
}

void lsr_filter_zerophase_n(const struct lsr_filter *f, float *const *x, int nx,
                            size_t n, size_t pad)
{
	size_t p = pad;
	for (int i = 0; i < nx; i++)
		p = extend(f, x[i], n, pad);
	int i = 0;
	for (; i + LANES <= nx; i += LANES) {
		run4(f, x + i, n + p, 1);
		run4(f, x + i, n + p, -1);
	}
	for (; i < nx; i++) {
		run(f, x[i], n + p, 1);
		run(f, x[i], n + p, -1);
	}
}
