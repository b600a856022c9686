/* tests/unit/test_dsp.c — the pure pieces under the signal path: filter
 * gains and phase, the noise distribution, window measures, the ring. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "epoch.h"
#include "filter.h"
#include "measure.h"

/* Gain of the zero-phase band-pass on a sine of f Hz, measured in the
 * middle of a 1 s buffer (edges excluded). */
static double gain_at(const struct lsr_filter *f, double rate, double hz)
{
	int n = (int)rate, pad = (int)(0.03 * rate);
	float *x = malloc((size_t)(n + pad) * sizeof *x);
	ck_assert_ptr_nonnull(x);
	for (int i = 0; i < n; i++)
		x[i] = (float)sin(2 * M_PI * hz * i / rate);
	lsr_filter_zerophase(f, x, (size_t)n, (size_t)pad);
	double a = 0;
	for (int i = n / 4; i < 3 * n / 4; i++)
		a = fmax(a, fabs(x[i]));
	free(x);
	return a;
}

/* Expected: each pass is a 2nd-order Butterworth (|H|² = 1/(1+(f/fc)^±4)
 * before bilinear warping), forward-backward squares it. */
static double butter2(double f, double fc, bool high)
{
	double r = high ? fc / f : f / fc;
	return 1 / (1 + pow(r, 4));
}

START_TEST(bandpass_gains_follow_butterworth)
{
	struct lsr_filter f;
	ck_assert_int_eq(lsr_filter_design(&f, 20000, 30, 3000, 0), 0);
	ck_assert_int_eq(f.nsec, 2);
	static const double hz[] = { 10, 30, 100, 300, 1000, 3000, 6000 };
	for (int i = 0; i < 7; i++) {
		double want = butter2(hz[i], 30, true) * butter2(hz[i], 3000, false);
		double got = gain_at(&f, 20000, hz[i]);
		/* Bilinear warping bends the low-pass above ~2 kHz at 20 kHz. */
		double tol = hz[i] >= 3000 ? 0.08 : 0.01;
		ck_assert_msg(fabs(got - want) < tol, "%g Hz: gain %g, want %g", hz[i], got, want);
	}
}
END_TEST

START_TEST(lowpass_clamped_and_notch)
{
	struct lsr_filter f;
	ck_assert_int_eq(lsr_filter_design(&f, 5000, 30, 3000, 0), 0);
	ck_assert_double_eq_tol(f.lp_hz, 2250, 1e-9);
	/* 30 Hz high-pass at 60 Hz: no rate can carry it. */
	ck_assert_int_eq(lsr_filter_design(&f, 60, 30, 3000, 0), -1);
	ck_assert_int_eq(lsr_filter_design(&f, 20000, 30, 3000, 50), 0);
	ck_assert_int_eq(f.nsec, 3);
	ck_assert_double_lt(gain_at(&f, 20000, 50), 0.01);
	ck_assert_double_gt(gain_at(&f, 20000, 200), 0.95);
	/* Settles within a sweep's warm-up: 60 ms after a 50 Hz hum starts
	 * from rest, less than 5 % is left. */
	float x[2000 + 600];
	for (int i = 0; i < 2000; i++)
		x[i] = (float)sin(2 * M_PI * 50 * i / 20000.0);
	lsr_filter_forward(&f, x, 2000);
	for (int i = 1200; i < 2000; i++)
		ck_assert_msg(fabsf(x[i]) < 0.05, "sample %d: %g", i, x[i]);
}
END_TEST

START_TEST(zero_phase_keeps_a_peak_in_place)
{
	struct lsr_filter f;
	ck_assert_int_eq(lsr_filter_design(&f, 20000, 30, 3000, 0), 0);
	int n = 4000, pad = 600;
	float *x = calloc((size_t)(n + pad), sizeof *x);
	ck_assert_ptr_nonnull(x);
	/* A Gaussian pulse (σ 0.3 ms) at sample 2000. */
	for (int i = 0; i < n; i++)
		x[i] = (float)exp(-0.5 * pow((i - 2000) / 6.0, 2));
	lsr_filter_zerophase(&f, x, (size_t)n, (size_t)pad);
	int at = 0;
	for (int i = 1; i < n; i++)
		if (x[i] > x[at])
			at = i;
	ck_assert_int_eq(at, 2000);
	/* Symmetric around it. */
	for (int k = 1; k < 100; k++)
		ck_assert_float_eq_tol(x[2000 - k], x[2000 + k], 2e-3);
	free(x);
}
END_TEST

START_TEST(four_channel_pass_equals_one_by_one)
{
	struct lsr_filter f;
	ck_assert_int_eq(lsr_filter_design(&f, 20000, 30, 3000, 60), 0);
	enum { N = 3000, P = 600, C = 6 };
	static float a[C][N + P], b[C][N + P];
	unsigned r = 1;
	for (int c = 0; c < C; c++)
		for (int i = 0; i < N; i++) {
			r = r * 1103515245u + 12345u;
			a[c][i] = b[c][i] = (float)((r >> 8) % 1000) - 500;
		}
	float *pa[C];
	for (int c = 0; c < C; c++) {
		pa[c] = a[c];
		lsr_filter_zerophase(&f, b[c], N, P);
	}
	lsr_filter_zerophase_n(&f, pa, C, N, P, NULL);
	for (int c = 0; c < C; c++)
		ck_assert_int_eq(memcmp(a[c], b[c], N * sizeof(float)), 0);
}
END_TEST

/* The tap gives what a forward pass alone gives over its span, on every
 * buffer of a multi-lane pass: the samples before a stimulus, causally
 * filtered, untouched by a response after them. */
START_TEST(tap_is_the_forward_pass)
{
	struct lsr_filter f;
	ck_assert_int_eq(lsr_filter_design(&f, 16000, 30, 3000, 0), 0);
	enum { N = 2000, P = 600, C = 5, FROM = 700, LEN = 160 };
	static float a[C][N + P], fwd[C][N + P], got[C][LEN];
	unsigned r = 3;
	for (int c = 0; c < C; c++)
		for (int i = 0; i < N; i++) {
			r = r * 1103515245u + 12345u;
			/* noise, and a millivolt lobe after the tapped span */
			double v = (double)((r >> 8) % 100) - 50;
			if (i >= FROM + LEN + 100 && i < FROM + LEN + 280)
				v += 1000 * sin(M_PI * (i - FROM - LEN - 100) / 180.0);
			a[c][i] = fwd[c][i] = (float)v;
		}
	float *pa[C], *pg[C];
	for (int c = 0; c < C; c++) {
		pa[c] = a[c];
		pg[c] = got[c];
		lsr_filter_forward(&f, fwd[c], N);
	}
	struct lsr_filter_tap tap = { FROM, LEN, pg };
	lsr_filter_zerophase_n(&f, pa, C, N, P, &tap);
	for (int c = 0; c < C; c++) {
		ck_assert_int_eq(memcmp(got[c], fwd[c] + FROM, LEN * sizeof(float)), 0);
		/* and it differs from the zero-phase result there, or the test
		 * could not tell the two apart */
		ck_assert_int_ne(memcmp(got[c], a[c] + FROM, LEN * sizeof(float)), 0);
	}
}
END_TEST

static int cmp_f(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

START_TEST(noise_percentile_over_the_last_values)
{
	struct lsr_noise *z = lsr_noise_new(2, 50);
	ck_assert_ptr_nonnull(z);
	double all[500];
	unsigned r = 7;
	for (int i = 0; i < 500; i++) {
		r = r * 1103515245u + 12345u;
		all[i] = (r >> 8) % 1000 / 10.0;
		lsr_noise_add(z, 1, LSR_NOISE_LSR, all[i]);
		if (i < LSR_NOISE_MIN - 1) {
			ck_assert(isnan(lsr_noise_percentile(z, 1, LSR_NOISE_LSR, 95)));
			continue;
		}
		/* Brute force over the last min(i+1, 50) values. */
		int n = i + 1 < 50 ? i + 1 : 50;
		double v[50];
		memcpy(v, all + i + 1 - n, (size_t)n * sizeof *v);
		qsort(v, (size_t)n, sizeof *v, cmp_f);
		double pos = 0.95 * (n - 1);
		int k = (int)floor(pos);
		double want = k >= n - 1 ? v[n - 1] : v[k] + (pos - k) * (v[k + 1] - v[k]);
		ck_assert_double_eq_tol(lsr_noise_percentile(z, 1, LSR_NOISE_LSR, 95), want, 1e-4);
		ck_assert_double_eq_tol(lsr_noise_percentile(z, 1, LSR_NOISE_LSR, 0), v[0], 1e-4);
	}
	/* Other channel and kind untouched; bad input ignored. */
	ck_assert_int_eq(lsr_noise_count(z, 0, LSR_NOISE_LSR), 0);
	ck_assert_int_eq(lsr_noise_count(z, 1, LSR_NOISE_DIRECT), 0);
	lsr_noise_add(z, 5, LSR_NOISE_LSR, 1);
	lsr_noise_add(z, 1, LSR_NOISE_LSR, NAN);
	ck_assert_int_eq(lsr_noise_count(z, 1, LSR_NOISE_LSR), 50);
	lsr_noise_free(z);
}
END_TEST

START_TEST(window_onset_quiet_stretch_and_edge)
{
	/* 0.05 ms per sample, window from 6 ms, threshold 40 (level 20). */
	float x[280] = { 0 };
	struct lsr_window_measure m;
	/* A tail at the window start (above the level), quiet, then a
	 * response rising from 0 at sample 80 (10 ms). */
	for (int i = 0; i < 5; i++)
		x[i] = 60;
	for (int i = 80; i < 120; i++)
		x[i] = (float)(-100 * sin(M_PI * (i - 80) / 20.0));
	lsr_measure_window(x, 280, 6.0, 0.05, 40, 20, 10, &m);
	ck_assert_double_eq_tol(m.onset_ms, 6.0 + 80 * 0.05 + 0.05, 1e-9); /* x[80] is 0 */
	ck_assert(!m.onset_at_edge);
	ck_assert_double_eq_tol(m.p2p_uv, 200, 1e-3);
	ck_assert_double_eq(m.threshold_uv, 40);
	/* On a slow positive baseline (below the level): the foot of the
	 * excursion, not the start of the baseline's positive stretch. */
	for (int i = 5; i < 80; i++)
		x[i] = 5;
	for (int i = 80; i < 120; i++)
		x[i] = (float)(5 + 100 * sin(M_PI * (i - 80) / 20.0));
	lsr_measure_window(x, 280, 6.0, 0.05, 40, 20, 10, &m);
	ck_assert_double_eq_tol(m.onset_ms, 10.0, 1e-9);
	ck_assert(!m.onset_at_edge);
	memset(x + 5, 0, 75 * sizeof *x);
	/* Only the tail: an onset at the edge. */
	memset(x + 80, 0, 40 * sizeof *x);
	lsr_measure_window(x, 280, 6.0, 0.05, 40, 20, 10, &m);
	ck_assert(m.onset_at_edge);
	ck_assert_double_eq_tol(m.onset_ms, 6.0, 1e-9);
	/* Nothing above the level: no onset.  Area of a constant. */
	for (int i = 0; i < 280; i++)
		x[i] = 10;
	lsr_measure_window(x, 280, 6.0, 0.05, NAN, 20, 10, &m);
	ck_assert(isnan(m.onset_ms));
	ck_assert(isnan(m.threshold_uv));
	ck_assert_double_eq_tol(m.area_uv_ms, 10 * 280 * 0.05, 1e-6);
}
END_TEST

START_TEST(swamp_rules)
{
	ck_assert_int_eq(lsr_measure_swamp(500, 1500, 20, 20), LSR_SWAMP_CAUTERY);
	ck_assert_int_eq(lsr_measure_swamp(500, 200, 20, 20), LSR_SWAMP_SPASM);
	ck_assert_int_eq(lsr_measure_swamp(100, 1500, 20, 20), LSR_SWAMP_SPASM);
	ck_assert_int_eq(lsr_measure_swamp(60, 1500, 20, 20), LSR_SWAMP_NONE);
	ck_assert_int_eq(lsr_measure_swamp(500, 1500, NAN, 20), LSR_SWAMP_NONE);
	ck_assert_int_eq(lsr_measure_swamp(15, 1500, 1, 20), LSR_SWAMP_NONE);
	/* Mean frequency of a sine is its frequency. */
	float x[2000];
	for (int i = 0; i < 2000; i++)
		x[i] = (float)sin(2 * M_PI * 150 * i / 20000.0);
	ck_assert_double_eq_tol(lsr_measure_mean_hz(x, 2000, 20000), 150, 2);
}
END_TEST

START_TEST(ring_keeps_history_and_reports_what_is_missing)
{
	struct lsr_epochs *e = lsr_epochs_new(2, 1000, 500, 4);
	ck_assert_ptr_nonnull(e);
	static float buf[2 * 700];
	uint8_t marks[700] = { 0 };
	for (int64_t at = 0; at < 20000; at += 700) {
		for (int c = 0; c < 2; c++)
			for (int i = 0; i < 700; i++)
				buf[c * 700 + i] = (float)(c * 100000 + at + i);
		struct lsr_block b = { (uint64_t)at, 700, 2, 700, buf, marks };
		ck_assert(!lsr_epochs_put(e, at, &b));
	}
	float out[1200];
	ck_assert_int_eq(lsr_epochs_end(e), 20300);
	/* The last 1000 samples are held, in order, per channel. */
	ck_assert_int_eq(lsr_epochs_copy(e, 1, 20300 - 1000, 1000, out), 0);
	for (int i = 0; i < 1000; i++)
		ck_assert_float_eq(out[i], 100000 + 19300 + i);
	/* Not yet arrived, or long gone: zeros, counted. */
	ck_assert_int_eq(lsr_epochs_copy(e, 0, 20290, 20, out), 10);
	ck_assert_float_eq(out[15], 0);
	ck_assert_int_eq(lsr_epochs_copy(e, 0, 0, 10, out), 10);
	/* A stimulus waits until its last sample; a gap releases it. */
	ck_assert_int_eq(lsr_epochs_add(e, 20000, LSR_STIM_SYNC, false), 0);
	struct lsr_epoch_stim st;
	ck_assert(!lsr_epochs_ready(e, &st));
	struct lsr_block b = { 25000, 700, 2, 700, buf, marks };
	ck_assert(lsr_epochs_put(e, 25000, &b));
	ck_assert(lsr_epochs_ready(e, &st));
	ck_assert(st.gap);
	ck_assert_int_eq(lsr_epochs_segment_start(e), 25000);
	/* The old side is never read as if contiguous. */
	ck_assert_int_eq(lsr_epochs_copy(e, 0, 24990, 20, out), 10);
	/* Full queue refuses, never overwrites. */
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(lsr_epochs_add(e, 25100 + 10 * i, LSR_STIM_SYNC, false), 0);
	ck_assert_int_eq(lsr_epochs_add(e, 25200, LSR_STIM_SYNC, false), -1);
	ck_assert_int_eq(lsr_epochs_clear(e), 4);
	lsr_epochs_free(e);
}
END_TEST

Suite *suite_dsp(void)
{
	Suite *s = suite_create("dsp");
	TCase *tc = tcase_create("dsp");
	tcase_add_test(tc, bandpass_gains_follow_butterworth);
	tcase_add_test(tc, lowpass_clamped_and_notch);
	tcase_add_test(tc, zero_phase_keeps_a_peak_in_place);
	tcase_add_test(tc, four_channel_pass_equals_one_by_one);
	tcase_add_test(tc, tap_is_the_forward_pass);
	tcase_add_test(tc, noise_percentile_over_the_last_values);
	tcase_add_test(tc, window_onset_quiet_stretch_and_edge);
	tcase_add_test(tc, swamp_rules);
	tcase_add_test(tc, ring_keeps_history_and_reports_what_is_missing);
	suite_add_tcase(s, tc);
	return s;
}
