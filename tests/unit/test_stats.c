/* tests/unit/test_stats.c — the detector's distribution quantiles
 * (src/judge/stats.h) against table values.  The reference numbers are the
 * exact quantiles (standard tables to their printed digits; the tails the
 * detector uses, beyond printed tables, by inverting the exact t and
 * chi-square distribution functions to 10 digits).  stats.h promises
 * "well under 1% of the quantile over the range the detector uses": the
 * tolerances below are 0.1% where a table is the test, and 1% in the far
 * tails the detector's baseline and decisions reach. */
#include <check.h>
#include <math.h>

#include "stats.h"

/* |got − want| ≤ rel × |want| (or abs_tol for a zero quantile). */
#define ck_rel(got, want, rel)                                                                \
	ck_assert_msg(fabs((got) - (want)) <= (rel)*fabs(want) + 1e-12,                       \
	              "%s = %.9g, want %.9g within %g%%", #got, (double)(got), (double)(want),  \
	              100.0 * (rel))

START_TEST(normal_upper_quantiles)
{
	ck_rel(lsr_stats_normal_upper(0.025), 1.959963985, 1e-6);
	ck_rel(lsr_stats_normal_upper(0.05), 1.644853627, 1e-6);
	ck_rel(lsr_stats_normal_upper(0.10), 1.281551566, 1e-6);
	ck_rel(lsr_stats_normal_upper(0.01), 2.326347874, 1e-6);
	ck_rel(lsr_stats_normal_upper(0.005), 2.575829304, 1e-6);
	ck_rel(lsr_stats_normal_upper(0.001), 3.090232306, 1e-6);
	ck_rel(lsr_stats_normal_upper(1e-4), 3.719016485, 1e-6);
	ck_rel(lsr_stats_normal_upper(1e-5), 4.264890794, 1e-6);
	ck_rel(lsr_stats_normal_upper(1e-6), 4.753424309, 1e-6);
	ck_assert_double_eq_tol(lsr_stats_normal_upper(0.5), 0, 1e-9);
	/* symmetric: the lower tail is the negative */
	ck_rel(lsr_stats_normal_upper(0.975), -1.959963985, 1e-6);
	ck_rel(lsr_stats_normal_upper(0.99), -2.326347874, 1e-6);
	/* monotone: a smaller tail probability is a larger quantile */
	double prev = -INFINITY;
	for (double p = 0.999; p > 1e-9; p *= 0.7) {
		double z = lsr_stats_normal_upper(p);
		ck_assert_msg(z > prev, "z(%g) = %g not above %g", p, z, prev);
		prev = z;
	}
	/* outside (0, 1): the limits, never NAN */
	ck_assert(isinf(lsr_stats_normal_upper(0)) && lsr_stats_normal_upper(0) > 0);
	ck_assert(isinf(lsr_stats_normal_upper(1)) && lsr_stats_normal_upper(1) < 0);
}
END_TEST

START_TEST(t_upper_quantiles)
{
	/* the brief's table values */
	ck_rel(lsr_stats_t_upper(0.025, 10), 2.228138852, 1e-3);
	ck_rel(lsr_stats_t_upper(0.05, 4), 2.131846786, 1e-3);
	/* closed forms at df 1 (Cauchy) and df 2 */
	ck_rel(lsr_stats_t_upper(0.025, 1), 12.70620474, 1e-6);
	ck_rel(lsr_stats_t_upper(0.05, 1), 6.313751515, 1e-6);
	ck_rel(lsr_stats_t_upper(0.05, 2), 2.919985580, 1e-6);
	ck_rel(lsr_stats_t_upper(0.025, 2), 4.302652730, 1e-6);
	/* more of the table */
	ck_rel(lsr_stats_t_upper(0.05, 3), 2.353363435, 1e-3);
	ck_rel(lsr_stats_t_upper(0.005, 3), 5.840909310, 1e-2);
	ck_rel(lsr_stats_t_upper(0.01, 5), 3.364929999, 1e-3);
	ck_rel(lsr_stats_t_upper(0.05, 6), 1.943180281, 1e-3);
	ck_rel(lsr_stats_t_upper(0.05, 9), 1.833112933, 1e-3);
	ck_rel(lsr_stats_t_upper(0.05, 15), 1.753050356, 1e-3);
	ck_rel(lsr_stats_t_upper(0.005, 20), 2.845339710, 1e-3);
	ck_rel(lsr_stats_t_upper(0.025, 30), 2.042272456, 1e-3);
	ck_rel(lsr_stats_t_upper(0.05, 39), 1.684875122, 1e-3);
	/* the baseline's t test (1e-5, df = trials − 1 from 9 on) */
	ck_rel(lsr_stats_t_upper(1e-5, 9), 8.102057879, 1e-2);
	ck_rel(lsr_stats_t_upper(1e-5, 19), 5.626766233, 1e-2);
	ck_rel(lsr_stats_t_upper(1e-5, 39), 4.851314474, 1e-2);
	/* heavier than the normal, and tending to it */
	ck_assert(lsr_stats_t_upper(0.025, 5) > lsr_stats_t_upper(0.025, 50));
	ck_assert(lsr_stats_t_upper(0.025, 50) > lsr_stats_normal_upper(0.025));
	ck_rel(lsr_stats_t_upper(0.025, 1e6), 1.959963985, 1e-4);
	/* decreasing in df at a fixed p */
	for (int df = 1; df < 60; df++)
		ck_assert_msg(lsr_stats_t_upper(0.05, df + 1) < lsr_stats_t_upper(0.05, df),
		              "t(0.05, %d) not below t(0.05, %d)", df + 1, df);
}
END_TEST

START_TEST(chi2_mean_upper_quantiles)
{
	/* the brief's table value: chi-square 0.05 upper, df 10, is 18.307 */
	ck_rel(lsr_stats_chi2_mean_upper(0.05, 10), 18.307 / 10, 1e-3);
	ck_rel(lsr_stats_chi2_mean_upper(0.05, 5), 11.0705 / 5, 1e-2);
	ck_rel(lsr_stats_chi2_mean_upper(0.01, 20), 37.5662 / 20, 1e-3);
	/* the detector's shape-free test is at 0.005, its df estimated from
	 * the noise windows (at least 1) */
	ck_rel(lsr_stats_chi2_mean_upper(0.005, 1), 7.879438577, 1e-2);
	ck_rel(lsr_stats_chi2_mean_upper(0.005, 2), 5.298317367, 1e-2);
	ck_rel(lsr_stats_chi2_mean_upper(0.005, 3), 4.279385489, 1e-2);
	ck_rel(lsr_stats_chi2_mean_upper(0.005, 5), 3.349920469, 1e-2);
	ck_rel(lsr_stats_chi2_mean_upper(0.005, 10), 2.518817957, 1e-2);
	ck_rel(lsr_stats_chi2_mean_upper(0.005, 30), 1.789065398, 1e-2);
	ck_rel(lsr_stats_chi2_mean_upper(0.005, 50), 1.589799569, 1e-2);
	ck_rel(lsr_stats_chi2_mean_upper(0.005, 100), 1.401694894, 1e-2);
	/* mean 1: a huge df concentrates at 1 */
	ck_rel(lsr_stats_chi2_mean_upper(0.005, 1e7), 1.0, 1e-2);
	/* decreasing in df at a fixed p */
	for (int df = 1; df < 100; df++)
		ck_assert(lsr_stats_chi2_mean_upper(0.05, df + 1) < lsr_stats_chi2_mean_upper(0.05, df));
	/* no df: no bound */
	ck_assert(isinf(lsr_stats_chi2_mean_upper(0.05, 0)));
}
END_TEST

Suite *suite_stats(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("quantiles");
	tcase_add_test(tc, normal_upper_quantiles);
	tcase_add_test(tc, t_upper_quantiles);
	tcase_add_test(tc, chi2_mean_upper_quantiles);
	suite_add_tcase(s, tc);
	return s;
}
