/* tests/unit/test_quantile.c — percentiles, medians and the k-th smallest
 * against a sorted reference, with ties, every size, and a ring that wraps. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "measure.h"

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The textbook definition: sort, then interpolate between neighbours. */
static double ref_quantile(const double *v, int n, double pct)
{
	double *s = malloc((size_t)n * sizeof *s);
	ck_assert_ptr_nonnull(s);
	memcpy(s, v, (size_t)n * sizeof *s);
	qsort(s, (size_t)n, sizeof *s, cmp);
	double pos = pct / 100.0 * (n - 1);
	int i = (int)floor(pos);
	double q = i >= n - 1 ? s[n - 1] : s[i] + (pos - i) * (s[i + 1] - s[i]);
	free(s);
	return q;
}

static uint32_t lcg(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 16;
}

START_TEST(median_matches_sorted)
{
	uint32_t x = 7;
	double v[80], w[80];
	for (int n = 1; n <= 80; n++)
		for (int rep = 0; rep < 20; rep++) {
			/* few distinct values half the time: ties around the pivot */
			int span = rep % 2 ? 4 : 100000;
			for (int i = 0; i < n; i++)
				v[i] = w[i] = (double)(lcg(&x) % (uint32_t)span) / 8.0;
			qsort(v, (size_t)n, sizeof *v, cmp);
			double want = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
			ck_assert_double_eq(lsr_median_inplace(w, n), want);
		}
	ck_assert(isnan(lsr_median_inplace(w, 0)));
}
END_TEST

START_TEST(select_matches_sorted)
{
	uint32_t x = 11;
	double v[90], w[90];
	for (int n = 1; n <= 90; n++)
		for (int rep = 0; rep < 12; rep++) {
			int span = rep % 3 == 0 ? 3 : rep % 3 == 1 ? 40 : 1000000;
			for (int i = 0; i < n; i++)
				v[i] = (double)(lcg(&x) % (uint32_t)span) - span / 2.0;
			if (rep == 4) /* already in order, and reversed: the pivots' worst */
				qsort(v, (size_t)n, sizeof *v, cmp);
			if (rep == 5)
				for (int i = 0; i < n; i++)
					v[i] = -(double)i;
			memcpy(w, v, (size_t)n * sizeof *w);
			qsort(v, (size_t)n, sizeof *v, cmp);
			for (int k = 0; k < n; k++) {
				double u[90];
				memcpy(u, w, (size_t)n * sizeof *u);
				ck_assert_double_eq(lsr_select_inplace(u, n, k), v[k]);
			}
		}
	ck_assert(isnan(lsr_select_inplace(w, 0, 0)));
	ck_assert(isnan(lsr_select_inplace(w, 5, 5)));
	ck_assert(isnan(lsr_select_inplace(w, 5, -1)));
}
END_TEST

START_TEST(percentile_of_ring_matches_sorted)
{
	const int cap = 200;
	uint32_t x = 99;
	static const double pcts[] = {0, 5, 37.5, 50, 90, 95, 99.9, 100};
	for (int round = 0; round < 10; round++) {
		struct lsr_noise *z = lsr_noise_new(1, cap);
		ck_assert_ptr_nonnull(z);
		int n = 20 + round * 40; /* past cap the oldest are overwritten */
		double kept[200];
		for (int i = 0; i < n; i++) {
			double p2p = (double)(lcg(&x) % (round % 2 ? 7u : 50000u));
			lsr_noise_add(z, 0, LSR_NOISE_DIRECT, p2p);
			kept[i % cap] = (double)(float)p2p;
		}
		int m = n < cap ? n : cap;
		for (size_t k = 0; k < sizeof pcts / sizeof pcts[0]; k++)
			ck_assert_double_eq(lsr_noise_percentile(z, 0, LSR_NOISE_DIRECT, pcts[k]),
			                    ref_quantile(kept, m, pcts[k]));
		lsr_noise_free(z);
	}
}
END_TEST

Suite *suite_quantile(void)
{
	Suite *s = suite_create("quantile");
	TCase *tc = tcase_create("select");
	tcase_add_test(tc, median_matches_sorted);
	tcase_add_test(tc, select_matches_sorted);
	tcase_add_test(tc, percentile_of_ring_matches_sorted);
	suite_add_tcase(s, tc);
	return s;
}
