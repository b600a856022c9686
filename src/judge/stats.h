/* src/judge/stats.h — the few distribution quantiles the detector's
 * decisions need (docs/clinical.md "How presence is judged": error rates
 * stated per decision).  Approximations, each good to well under 1% of the
 * quantile over the range the detector uses (tests/unit/test_stats.c). */
#ifndef LSR_STATS_H
#define LSR_STATS_H

/* z with P(Z > z) = p for a standard normal Z; 0 < p < 1. */
double lsr_stats_normal_upper(double p);
/* t with P(T > t) = p for Student's t with df degrees of freedom (df ≥ 1). */
double lsr_stats_t_upper(double p, double df);
/* x with P(X > x) = p for a chi-square variable with df degrees of
 * freedom divided by df (so its mean is 1); df > 0. */
double lsr_stats_chi2_mean_upper(double p, double df);

#endif
