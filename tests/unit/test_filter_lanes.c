/* tests/unit/test_filter_lanes.c — filtering channels side by side
 * (lsr_filter_zerophase_n, lsr_condition_sweeps) gives bit for bit what
 * filtering each channel alone gives, for every channel count. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "condition.h"
#include "filter.h"
#include "params.h"

#define N 900
#define PAD 120
#define STRIDE (N + PAD + 7)

static void fill(float *x, int b)
{
	for (int i = 0; i < N; i++)
		x[i] = (float)(40 * sin(0.07 * i * (b + 1)) + 3 * cos(0.9 * i) + 10 * b +
		               (i > 300 && i < 310 ? 900.0 * (b + 1) : 0));
}

START_TEST(zerophase_n_equals_one_by_one)
{
	struct lsr_filter f;
	ck_assert_int_eq(lsr_filter_design(&f, 20000, 30, 3000, 50), 0);
	ck_assert_int_eq(f.nsec, 3);
	for (int nbuf = 1; nbuf <= 9; nbuf++) {
		float *a = calloc((size_t)nbuf * STRIDE, sizeof *a);
		float *b = calloc((size_t)nbuf * STRIDE, sizeof *b);
		ck_assert_ptr_nonnull(a);
		ck_assert_ptr_nonnull(b);
		for (int k = 0; k < nbuf; k++) {
			fill(a + (size_t)k * STRIDE, k);
			fill(b + (size_t)k * STRIDE, k);
		}
		lsr_filter_zerophase_n(&f, a, STRIDE, nbuf, N, PAD);
		for (int k = 0; k < nbuf; k++)
			lsr_filter_zerophase(&f, b + (size_t)k * STRIDE, N, PAD);
		for (int k = 0; k < nbuf; k++)
			ck_assert_mem_eq(a + (size_t)k * STRIDE, b + (size_t)k * STRIDE, N * sizeof(float));
		free(a);
		free(b);
	}
}
END_TEST

START_TEST(condition_sweeps_equals_sweep)
{
	struct lsr_params p;
	lsr_params_defaults(&p);
	const int rate = 20000, post = 2000, stim = 1400, n = stim + post + 1;
	char err[200];
	struct lsr_condition *c = lsr_condition_new(&p, rate, post, err, sizeof err);
	ck_assert_ptr_nonnull(c);
	size_t stride = (size_t)n + (size_t)lsr_condition_pad(c);
	const int nbuf = 6;
	float *a = calloc(stride * nbuf, sizeof *a), *b = calloc(stride * nbuf, sizeof *b);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	for (int k = 0; k < nbuf; k++)
		for (int i = 0; i < n; i++) {
			double t = (double)(i - stim) / rate * 1000.0;
			float v = (float)(5 * sin(0.3 * i + k) +
			                  (t >= 0 ? 1500.0 * (k + 1) * exp(-t / 3.0) : 0));
			a[(size_t)k * stride + (size_t)i] = b[(size_t)k * stride + (size_t)i] = v;
		}
	lsr_condition_sweeps(c, a, stride, nbuf, n, stim);
	for (int k = 0; k < nbuf; k++)
		lsr_condition_sweep(c, b + (size_t)k * stride, n, stim);
	for (int k = 0; k < nbuf; k++)
		ck_assert_mem_eq(a + (size_t)k * stride, b + (size_t)k * stride, (size_t)n * sizeof(float));
	free(a);
	free(b);
	lsr_condition_free(c);
}
END_TEST

Suite *suite_filter_lanes(void)
{
	Suite *s = suite_create("filter_lanes");
	TCase *tc = tcase_create("lanes");
	tcase_add_test(tc, zerophase_n_equals_one_by_one);
	tcase_add_test(tc, condition_sweeps_equals_sweep);
	suite_add_tcase(s, tc);
	return s;
}
