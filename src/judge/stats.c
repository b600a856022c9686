/* src/judge/stats.c — normal, Student t and chi-square upper quantiles.
 *
 * Normal: Acklam's rational approximation (relative error < 1.2e-9) with
 * one Newton step on erfc.  t: the Cornish–Fisher expansion in 1/df
 * (Abramowitz & Stegun 26.7.5), exact enough for df ≥ 3 at the tail
 * probabilities used here; df 1 and 2 have closed forms.  Chi-square:
 * Wilson–Hilferty's cube-root normal approximation (A&S 26.4.17). */
#include <math.h>

#include "stats.h"

static double normal_lower(double p)
{
	static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
		                    -2.759285104469687e+02, 1.383577518672690e+02,
		                    -3.066479806614716e+01, 2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
		                    -1.556989798598866e+02, 6.680131188771972e+01,
		                    -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
		                    -2.400758277161838e+00, -2.549732539343734e+00,
		                    4.374664141464968e+00, 2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
		                    2.445134137142996e+00, 3.754408661907416e+00 };
	double x;
	if (p < 0.02425) {
		double q = sqrt(-2 * log(p));
		x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else if (p > 1 - 0.02425) {
		double q = sqrt(-2 * log(1 - p));
		x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	} else {
		double q = p - 0.5, r = q * q;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
		    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}
	/* one Newton step: Φ(x) − p over the density */
	double e = 0.5 * erfc(-x / sqrt(2)) - p;
	double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
	return x - u / (1 + x * u / 2);
}

double lsr_stats_normal_upper(double p)
{
	if (!(p > 0))
		return INFINITY;
	if (!(p < 1))
		return -INFINITY;
	return -normal_lower(p);
}

double lsr_stats_t_upper(double p, double df)
{
	if (!(df >= 1))
		df = 1;
	if (df < 1.5) /* Cauchy */
		return tan(M_PI * (0.5 - p));
	if (df < 2.5) { /* df 2: t = (2p' − 1)·sqrt(2 / (4p'(1 − p'))), p' = 1 − p */
		double q = 1 - p;
		return (2 * q - 1) / sqrt(2 * q * (1 - q));
	}
	double z = lsr_stats_normal_upper(p), z2 = z * z;
	double g1 = (z2 + 1) * z / 4;
	double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
	double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
	double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
	return z + g1 / df + g2 / (df * df) + g3 / (df * df * df) + g4 / (df * df * df * df);
}

double lsr_stats_chi2_mean_upper(double p, double df)
{
	if (!(df > 0))
		return INFINITY;
	double z = lsr_stats_normal_upper(p);
	double h = 2 / (9 * df);
	double c = 1 - h + z * sqrt(h);
	return c > 0 ? c * c * c : 0;
}
