/* src/signal/condition.c — blanking, exponential-tail removal, zero-phase band-pass. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "condition.h"
#include "simd.h"

/* Decay constants tried, ms: 0.5 … 51 in steps of 2^(1/3). */
#define TAU_MIN_MS 0.5
#define TAU_STEP 1.2599210498948732
#define NTAU 21
#define GRID_AT_ONCE 7 /* divides NTAU */
#define PAIR_GAP 6 /* grid steps between the two decays of a pair: τ ratio 4 */
#define PAD_MS 30.0
/* Most basis functions of the decay fit: two decays and the trend's two
 * terms (see zsums below). */
#define NBASIS 4
/* The fit of the grid's decays, as far as the sweep does not enter it:
 * the inverse of its normal matrix, which only the grid and the length
 * of the fit make (ok: not singular). */
struct grid_fit {
	double inv[NBASIS][NBASIS];
	bool ok;
};

/* The sums of an off-grid decay factor k that do not depend on the
 * sweep (k_part): for decay_sums' ee, el, eq, and Σ k^i. */
struct k_sums {
	double k, ee, el, eq, se;
};
/* Powers of a decay factor below this add nothing to its sums (z_part). */
#define K_NEGLIGIBLE 0x1p-60
/* Comparisons of the golden-section search of an off-grid decay. */
#define GOLDEN_STEPS 8

/* Blanking starts this much before the stimulus sample: a sync edge or an
 * artifact onset a sample late must not leave the pulse's first sample
 * in the pre-stimulus data. */
#define LEAD_MS 0.1
/* The level before the pulse: the mean of this much before blanking. */
#define LEVEL_MS 0.5

struct lsr_condition {
	struct lsr_filter filt;
	int rate, lead, blank, post, pad;
	int nsub;              /* samples from the end of blanking to post */
	int nfit;              /* of which the model is fitted on: all */
	float *decay;          /* NTAU × nfit: exp(−k / τ) */
	double see[NTAU], se[NTAU];
	double cross[NTAU][NTAU]; /* Σ decay_i × decay_j over nfit */
	double kfac[NTAU];        /* per-sample factor exp(−1/τ) */
	/* the trend's sums, u = i / nfit: Σ u, Σ u² (also Σ u·u), Σ u·u²,
	 * Σ u²·u²; and each grid decay's Σ decay_j·u, Σ decay_j·u² */
	double sl, sq, slq, sqq;
	double dl[NTAU], dq[NTAU];
	struct grid_fit one[NTAU];        /* a grid decay with the trend */
	struct grid_fit two[NTAU][NTAU];  /* two of them, [i][j] with i < j */
	/* golden(): every point of the search from each grid step, and the
	 * factor it ends at after each run of comparisons (golden_table) */
	struct k_sums golden_pt[NTAU][2 << GOLDEN_STEPS];
	double golden_end[NTAU][1 << GOLDEN_STEPS];
};

static void invert_grid_fits(struct lsr_condition *c);
static void golden_table(struct lsr_condition *c);

struct lsr_condition *lsr_condition_new(const struct lsr_params *p, int rate, int post,
                                        char *err, size_t errlen)
{
	struct lsr_condition *c = calloc(1, sizeof *c);
	if (!c) {
		snprintf(err, errlen, "conditioning: out of memory");
		return NULL;
	}
	if (lsr_filter_design(&c->filt, rate, p->hp_hz, p->lp_hz, p->notch_hz) < 0) {
		snprintf(err, errlen, "conditioning: a %g Hz high-pass needs a rate above %g Hz (got %d)",
		         p->hp_hz, p->hp_hz / 0.45, rate);
		free(c);
		return NULL;
	}
	c->rate = rate;
	c->post = post;
	c->blank = (int)lround(p->blank_ms * rate / 1000.0);
	if (c->blank < 1)
		c->blank = 1;
	if (c->blank > post)
		c->blank = post;
	c->pad = (int)lround(PAD_MS * rate / 1000.0);
	c->lead = (int)lround(LEAD_MS * rate / 1000.0);
	if (c->lead < 1)
		c->lead = 1;
	c->nsub = post - c->blank + 1;
	/* fitted over the whole sweep after blanking: the trend fitted is
	 * subtracted with the decays, and past the end of a shorter fit it
	 * would be an extrapolated quadratic, not the wander */
	c->nfit = c->nsub;
	c->decay = malloc((size_t)NTAU * (size_t)c->nfit * sizeof *c->decay);
	if (!c->decay) {
		snprintf(err, errlen, "conditioning: out of memory");
		free(c);
		return NULL;
	}
	double tau = TAU_MIN_MS;
	for (int j = 0; j < NTAU; j++, tau *= TAU_STEP) {
		float *d = c->decay + (size_t)j * (size_t)c->nfit;
		double k = exp(-1000.0 / (tau * rate)), v = 1, se = 0, see = 0, dl = 0, dq = 0;
		for (int i = 0; i < c->nfit; i++, v *= k) {
			double u = (double)i / c->nfit;
			d[i] = (float)v;
			se += d[i];
			see += (double)d[i] * d[i];
			dl += d[i] * u;
			dq += d[i] * u * u;
		}
		c->se[j] = se;
		c->see[j] = see;
		c->dl[j] = dl;
		c->dq[j] = dq;
		c->kfac[j] = k;
	}
	for (int i = 0; i < c->nfit; i++) {
		double u = (double)i / c->nfit;
		c->sl += u;
		c->sq += u * u;
		c->slq += u * u * u;
		c->sqq += u * u * u * u;
	}
	for (int i = 0; i < NTAU; i++)
		for (int j = 0; j <= i; j++) {
			const float *a = c->decay + (size_t)i * (size_t)c->nfit;
			const float *b = c->decay + (size_t)j * (size_t)c->nfit;
			double x = 0;
			for (int k = 0; k < c->nfit; k++)
				x += (double)a[k] * b[k];
			c->cross[i][j] = c->cross[j][i] = x;
		}
	invert_grid_fits(c);
	golden_table(c);
	return c;
}

void lsr_condition_free(struct lsr_condition *c)
{
	if (!c)
		return;
	free(c->decay);
	free(c);
}

size_t lsr_condition_scratch_len(const struct lsr_condition *c)
{
	return (size_t)c->nfit;
}

int lsr_condition_pad(const struct lsr_condition *c)
{
	return c->pad;
}

int lsr_condition_blank(const struct lsr_condition *c)
{
	return c->blank;
}

int lsr_condition_lead(const struct lsr_condition *c)
{
	return c->lead;
}

/* The fit is anchored at the first kept sample: the model a + Σ b·k^i
 * must equal y[0] there (a = y[0] − Σ b), so with z = y − y[0] it is
 * z ≈ Σ b·(k^i − 1).  A response starting after blanking cannot then be
 * taken for a fast decay that was not there at the end of blanking (a
 * free fit turns a millivolt direct response's first lobe into a decay
 * and leaves a dip before it).
 *
 * Beside the decays the model has a slow trend, c·u + d·u² (u = i / n,
 * zero at the anchor): a lead's baseline wander (up to 150 µV at
 * 0.2–1 Hz, docs/clinical.md "The patients differ") moves tens of µV over
 * the sweep.  Without it the fit bent its decay to the wander — a wrong
 * τ, or a pair whose slow decay was the wander and whose fast one sat on
 * the coarse grid — and left part of the artifact's tail in every sweep,
 * of the artifact's sign: microvolts locked to the stimulus in the LSR
 * window, which an average of 16 sweeps showed as a fifth of a small LSR
 * that was gone (a cured patient "returned").  The trend is subtracted
 * with the decays: where a slow decay and the trend cannot be told apart
 * their sum still can.  Sums over z: */
struct zsums {
	double n, sz, szz;
	double szl, szq;  /* Σ z·u, Σ z·u² */
	double zd[NTAU];  /* Σ z·decay_j */
};

/* The residual sum of squares szz − x·r of the least squares whose normal
 * equations are G x = r (m ≤ NBASIS; Gaussian elimination with partial
 * pivoting); INFINITY when G is singular (a decay as slow as the trend). */
static double solve_normal(int m, double G[NBASIS][NBASIS], const double *r, double szz,
                           double *x)
{
	double A[NBASIS][NBASIS + 1], scale = 0;
	for (int i = 0; i < m; i++)
		x[i] = 0; /* what a caller may test of a singular fit */
	for (int i = 0; i < m; i++) {
		for (int j = 0; j < m; j++)
			A[i][j] = G[i][j];
		A[i][m] = r[i];
		scale = fmax(scale, fabs(G[i][i]));
	}
	for (int col = 0; col < m; col++) {
		int piv = col;
		for (int i = col + 1; i < m; i++)
			if (fabs(A[i][col]) > fabs(A[piv][col]))
				piv = i;
		if (!(fabs(A[piv][col]) > 1e-12 * scale))
			return INFINITY;
		if (piv != col)
			for (int j = col; j <= m; j++) {
				double t = A[col][j];
				A[col][j] = A[piv][j];
				A[piv][j] = t;
			}
		for (int i = col + 1; i < m; i++) {
			double f = A[i][col] / A[col][col];
			for (int j = col; j <= m; j++)
				A[i][j] -= f * A[col][j];
		}
	}
	double sse = szz;
	for (int i = m - 1; i >= 0; i--) {
		double v = A[i][m];
		for (int j = i + 1; j < m; j++)
			v -= A[i][j] * x[j];
		x[i] = v / A[i][i];
	}
	for (int i = 0; i < m; i++)
		sse -= x[i] * r[i];
	return sse;
}

/* The trend's rows of the normal equations, as its last two basis
 * functions of m; a decay's cross sums with them are filled by the caller. */
static void trend_rows(const struct lsr_condition *c, const struct zsums *s, int m,
                       double G[NBASIS][NBASIS], double *r)
{
	int l = m - 2, q = m - 1;
	G[l][l] = c->sq;
	G[l][q] = G[q][l] = c->slq;
	G[q][q] = c->sqq;
	r[l] = s->szl;
	r[q] = s->szq;
}

/* One decay's sums, for a decay e = k^i − 1: Σ e², Σ e·u, Σ e·u², Σ z·e. */
struct decay_sums {
	double ee, el, eq, ze;
};

/* The normal equations of the decays d[0 … nd) (with their cross sum
 * when there are two) and the trend: m = nd + 2 rows of G and r. */
static void normal_rows(const struct lsr_condition *c, const struct zsums *s, int nd,
                        const struct decay_sums *d, double cross, double G[NBASIS][NBASIS],
                        double *r)
{
	int m = nd + 2;
	for (int a = 0; a < nd; a++) {
		G[a][a] = d[a].ee;
		G[a][m - 2] = G[m - 2][a] = d[a].el;
		G[a][m - 1] = G[m - 1][a] = d[a].eq;
		r[a] = d[a].ze;
	}
	if (nd == 2)
		G[0][1] = G[1][0] = cross;
	trend_rows(c, s, m, G, r);
}

static double fit_with(const struct lsr_condition *c, const struct zsums *s, int nd,
                       const struct decay_sums *d, double cross, double *x)
{
	double G[NBASIS][NBASIS], r[NBASIS];
	normal_rows(c, s, nd, d, cross, G, r);
	return solve_normal(nd + 2, G, r, s->szz, x);
}

/* A grid decay's sums, from the precomputed vectors'. */
static struct decay_sums grid_sums(const struct lsr_condition *c, const struct zsums *s, int j)
{
	double n = s->n;
	return (struct decay_sums){ c->see[j] - 2 * c->se[j] + n, c->dl[j] - c->sl, c->dq[j] - c->sq,
		                    s->zd[j] - s->sz };
}

/* Σ e·e_j for the grid decay j and the decay e = k^i − 1 whose Σ k^i·d_j
 * is kd and Σ k^i is se. */
static double cross_of(const struct lsr_condition *c, double n, double kd, double se, int j)
{
	return kd - se - c->se[j] + n;
}

/* The normal matrix of grid decays idx[0 … nd) with the trend (the
 * sweep's sums do not enter it). */
static void grid_normal(const struct lsr_condition *c, int nd, const int *idx,
                        double G[NBASIS][NBASIS])
{
	struct zsums none = { .n = c->nfit };
	struct decay_sums d[2];
	double r[NBASIS];
	for (int a = 0; a < nd; a++)
		d[a] = grid_sums(c, &none, idx[a]);
	double cross = nd == 2 ? cross_of(c, none.n, c->cross[idx[0]][idx[1]], c->se[idx[0]], idx[1]) : 0;
	normal_rows(c, &none, nd, d, cross, G, r);
}

/* Each grid fit's inverse, a column at a time by the same elimination
 * as an off-grid fit's (solve_normal leaves G as it is). */
static void invert_one(const struct lsr_condition *c, int nd, const int *idx, struct grid_fit *f)
{
	double G[NBASIS][NBASIS], e[NBASIS], col[NBASIS];
	int m = nd + 2;
	grid_normal(c, nd, idx, G);
	f->ok = true;
	for (int k = 0; k < m && f->ok; k++) {
		for (int i = 0; i < m; i++)
			e[i] = i == k;
		f->ok = isfinite(solve_normal(m, G, e, 0, col));
		for (int i = 0; i < m; i++)
			f->inv[i][k] = col[i];
	}
}

static void invert_grid_fits(struct lsr_condition *c)
{
	for (int i = 0; i < NTAU; i++) {
		invert_one(c, 1, &i, &c->one[i]);
		for (int j = i + 1; j < NTAU; j++)
			invert_one(c, 2, (const int[2]){ i, j }, &c->two[i][j]);
	}
}

/* The fit of the grid decays idx[0 … nd) with the trend to the sweep
 * whose sums are s, from the precomputed inverse: x and the residual sum
 * of squares (INFINITY, x zero, when singular). */
static double grid_fit(const struct lsr_condition *c, const struct zsums *s, int nd, const int *idx,
                       double *x)
{
	const struct grid_fit *f = nd == 1 ? &c->one[idx[0]] : &c->two[idx[0]][idx[1]];
	int m = nd + 2;
	double r[NBASIS];
	for (int a = 0; a < nd; a++)
		r[a] = s->zd[idx[a]] - s->sz;
	r[m - 2] = s->szl;
	r[m - 1] = s->szq;
	if (!f->ok) {
		for (int i = 0; i < m; i++)
			x[i] = 0;
		return INFINITY;
	}
	double sse = s->szz;
	for (int i = 0; i < m; i++) {
		double v = 0;
		for (int j = 0; j < m; j++)
			v += f->inv[i][j] * r[j];
		x[i] = v;
	}
	for (int i = 0; i < m; i++)
		sse -= x[i] * r[i];
	return sse;
}

/* The sums of a decay factor k off the grid, in one pass over z: Σ z·k^i,
 * Σ k^i·u, Σ k^i·u², and with j ≥ 0 Σ k^i·decay_j (a pair's partner).
 * The powers by recursion (a τ off the grid costs one multiply per
 * sample): two interleaved recursions of four, k^i … k^(i+7) stepped by
 * k^8, keep the multiplier's latency off the critical path.  The sums
 * that depend on k alone (k_part) and those of z (z_part) are two passes
 * of the same recursion, each sum in the same order either way: the
 * golden-section search's points are known in advance (golden_table), so
 * their k_part is computed once. */
static inline __attribute__((always_inline)) void k_part(const struct lsr_condition *c, double k,
                                                          struct k_sums *out)
{
	int n = c->nfit;
	double k2 = k * k, k4 = k2 * k2, k8 = k4 * k4;
	lsr_d4 v0 = { 1, k, k2, k2 * k }, v1 = v0 * k4;
	lsr_d4 i0 = { 0, 1, 2, 3 }, i1 = { 4, 5, 6, 7 }, step = { 8, 8, 8, 8 };
	lsr_d4 al = { 0 }, aq = { 0 };
	int i = 0;
	for (; i + 8 <= n; i += 8) {
		al += v0 * i0 + v1 * i1;
		aq += v0 * i0 * i0 + v1 * i1 * i1;
		v0 *= k8;
		v1 *= k8;
		i0 += step;
		i1 += step;
	}
	double sl_k = (al[0] + al[1]) + (al[2] + al[3]);
	double sq_k = (aq[0] + aq[1]) + (aq[2] + aq[3]);
	for (int l = 0; i < n; i++, l++) {
		double v = l < 4 ? v0[l] : v1[l - 4];
		sl_k += v * i;
		sq_k += v * (double)i * i;
	}
	double kn = pow(k, n);
	double se = (1 - kn) / (1 - k), see = (1 - kn * kn) / (1 - k * k);
	*out = (struct k_sums){ k, see - 2 * se + n, sl_k / n - c->sl, sq_k / ((double)n * n) - c->sq,
		                se };
}

/* Σ z·k^i, and with j ≥ 0 Σ k^i·decay_j into *sd, over the samples where
 * k^i is at least K_NEGLIGIBLE: the search refines the fast decay of the
 * artifact's tail (τ 0.2–2 ms, docs/clinical.md), whose powers fall below
 * it within 42 τ (a τ of 1 ms at 20 kHz: 830 of the sweep's 2200
 * samples), and what they would add is below 2⁻⁶⁰ of the largest |z| per
 * sample: nothing a double of the sum can hold. */
static inline __attribute__((always_inline)) double z_part(const struct lsr_condition *c,
                                                            const double *z, double k, int j,
                                                            double *sd)
{
	int n = c->nfit;
	if (k < 1) {
		/* the first sample whose power is below K_NEGLIGIBLE */
		double last = log(K_NEGLIGIBLE) / log(k);
		if (last < n)
			n = (int)last + 1;
	}
	double k2 = k * k, k4 = k2 * k2, k8 = k4 * k4;
	lsr_d4 v0 = { 1, k, k2, k2 * k }, v1 = v0 * k4;
	lsr_d4 az = { 0 }, ad = { 0 };
	const float *dj = j >= 0 ? c->decay + (size_t)j * (size_t)c->nfit : NULL;
	int i = 0;
	for (; i + 8 <= n; i += 8) {
		lsr_d4 z0, z1;
		lsr_d4_load(&z0, z + i);
		lsr_d4_load(&z1, z + i + 4);
		az += z0 * v0 + z1 * v1;
		if (dj) {
			lsr_d4 d0, d1;
			lsr_d4_from_floats(&d0, dj + i);
			lsr_d4_from_floats(&d1, dj + i + 4);
			ad += v0 * d0 + v1 * d1;
		}
		v0 *= k8;
		v1 *= k8;
	}
	double sz_k = (az[0] + az[1]) + (az[2] + az[3]);
	double sd_k = (ad[0] + ad[1]) + (ad[2] + ad[3]);
	for (int l = 0; i < n; i++, l++) {
		double v = l < 4 ? v0[l] : v1[l - 4];
		sz_k += z[i] * v;
		if (dj)
			sd_k += v * dj[i];
	}
	if (sd)
		*sd = sd_k;
	return sz_k;
}

/* The single decay (with the trend) at the factor of ks. */
static double fit_one_k(const struct lsr_condition *c, const double *z, const struct zsums *s,
                        const struct k_sums *ks, double *x)
{
	struct decay_sums d = { ks->ee, ks->el, ks->eq, z_part(c, z, ks->k, -1, NULL) - s->sz };
	return fit_with(c, s, 1, &d, 0, x);
}

/* The pair of the fast decay of ks and the grid decay j; its decays of
 * one sign, or INFINITY. */
static double fit_two_k(const struct lsr_condition *c, const double *z, const struct zsums *s,
                        const struct k_sums *ks, int j, double *x)
{
	double sd;
	struct decay_sums d[2] = { { ks->ee, ks->el, ks->eq, z_part(c, z, ks->k, j, &sd) - s->sz },
		                   grid_sums(c, s, j) };
	double cross = cross_of(c, s->n, sd, ks->se, j);
	double sse = fit_with(c, s, 2, d, cross, x);
	return x[0] * x[1] > 0 ? sse : INFINITY;
}

static double fit_one(const struct lsr_condition *c, const double *z, const struct zsums *s,
                      double k, double *x)
{
	struct k_sums ks;
	k_part(c, k, &ks);
	return fit_one_k(c, z, s, &ks, x);
}

static double fit_two(const struct lsr_condition *c, const double *z, const struct zsums *s,
                      double k, int j, double *x)
{
	struct k_sums ks;
	k_part(c, k, &ks);
	return fit_two_k(c, z, s, &ks, j, x);
}

/* The grid pair i < j with the trend: its residual sum of squares, or
 * INFINITY unless its decays have one sign (see below). */
static double grid_pair(const struct lsr_condition *c, const struct zsums *s, int i, int j,
                        double *x)
{
	double sse = grid_fit(c, s, 2, (const int[2]){ i, j }, x);
	return x[0] * x[1] > 0 ? sse : INFINITY;
}

/* Grid pairs at least PAIR_GAP steps apart (τ ratio ≥ 4) with decays of
 * one sign: a monotone two-component decay (electrode and amplifier
 * recover at different rates).  One sign keeps a difference of
 * exponentials — a smooth bump that could swallow part of a response —
 * out of the model.  From the precomputed sums only: no pass over the
 * samples. */
static double fit_pair(const struct lsr_condition *c, const struct zsums *s, int *bi, int *bj,
                       double *best_x)
{
	double best = INFINITY, x[NBASIS];
	for (int i = 0; i < NTAU; i++)
		for (int j = i + PAIR_GAP; j < NTAU; j++) {
			double sse = grid_pair(c, s, i, j, x);
			if (sse < best) {
				best = sse;
				*bi = i;
				*bj = j;
				memcpy(best_x, x, sizeof x);
			}
		}
	return best;
}

/* y[i] −= b1·k1^i + b2·k2^i + c·u + d·u² for i < n (u = i / n), the
 * powers from four recursions side by side (stepped by k^4): the
 * multiplier's latency is paid once per four samples. */
static inline __attribute__((always_inline)) void
subtract_model(float *y, int n, double b1, double k1, double b2, double k2, double cl, double cq)
{
	lsr_d4 v1 = { b1, b1 * k1, b1 * k1 * k1, b1 * k1 * k1 * k1 };
	lsr_d4 v2 = { b2, b2 * k2, b2 * k2 * k2, b2 * k2 * k2 * k2 };
	double k1_4 = (k1 * k1) * (k1 * k1), k2_4 = (k2 * k2) * (k2 * k2), inv = 1.0 / n;
	lsr_d4 u = { 0, inv, 2 * inv, 3 * inv }, du = { 4 * inv, 4 * inv, 4 * inv, 4 * inv };
	int i = 0;
	for (; i + 4 <= n; i += 4, v1 *= k1_4, v2 *= k2_4, u += du) {
		lsr_f4 yv, d = __builtin_convertvector(v1 + v2 + u * (cl + u * cq), lsr_f4);
		memcpy(&yv, y + i, sizeof yv);
		yv -= d;
		memcpy(y + i, &yv, sizeof yv);
	}
	for (int l = 0; i < n; i++, l++) {
		double ui = i * inv;
		y[i] -= (float)(v1[l] + v2[l] + ui * (cl + ui * cq));
	}
}

/* The decay factor of grid step g (log τ in steps from TAU_MIN_MS). */
static double k_of(const struct lsr_condition *c, double g)
{
	return exp(-1000.0 / (TAU_MIN_MS * pow(TAU_STEP, g) * c->rate));
}

/* The golden-section search of log τ between grid steps g − 1 and g + 1
 * (within the grid) from its two first points; each later point is
 * where the comparisons so far lead.  Its points are therefore known in
 * advance, for every g and every run of comparisons: golden_table walks
 * the search's every path once, with the search's own arithmetic, and
 * keeps each point's k_part; a sweep's search then passes over its
 * samples only for the sums with z.  Point numbering: the first two 0
 * and 1; the point after comparisons b_0 … b_it (b = f1 < f2) is
 * 2^(it + 1) + the bits b_0 … b_it read as a binary number. */
static const double golden_r = 0.6180339887498949;

static void golden_walk(struct lsr_condition *c, int g, int it, int path, double lo, double hi,
                        double g1, double g2)
{
	if (it == GOLDEN_STEPS) {
		c->golden_end[g][path] = k_of(c, (g1 + g2) / 2);
		return;
	}
	int at = (1 << (it + 1)) + (path << 1);
	/* f1 < f2: the bracket's upper part goes, a new g1 */
	double h = g2, n1 = h - golden_r * (h - lo);
	k_part(c, k_of(c, n1), &c->golden_pt[g][at + 1]);
	golden_walk(c, g, it + 1, path << 1 | 1, lo, h, n1, g1);
	/* otherwise the lower part goes, a new g2 */
	double l = g1, n2 = l + golden_r * (hi - l);
	k_part(c, k_of(c, n2), &c->golden_pt[g][at]);
	golden_walk(c, g, it + 1, path << 1, l, hi, g2, n2);
}

static void golden_table(struct lsr_condition *c)
{
	for (int g = 0; g < NTAU; g++) {
		double lo = g > 0 ? g - 1 : 0, hi = g < NTAU - 1 ? g + 1 : NTAU - 1;
		double g1 = hi - golden_r * (hi - lo), g2 = lo + golden_r * (hi - lo);
		k_part(c, k_of(c, g1), &c->golden_pt[g][0]);
		k_part(c, k_of(c, g2), &c->golden_pt[g][1]);
		golden_walk(c, g, 0, 0, lo, hi, g1, g2);
	}
}

/* The best decay factor between grid steps g − 1 and g + 1: the single
 * decay (partner < 0) or the faster of a pair with the grid decay
 * partner. */
static double golden(const struct lsr_condition *c, const double *z, const struct zsums *s, int g,
                     int partner, double *x)
{
	const struct k_sums *pt = c->golden_pt[g];
#define F(i) (partner < 0 ? fit_one_k(c, z, s, &pt[i], x) : fit_two_k(c, z, s, &pt[i], partner, x))
	double f1 = F(0), f2 = F(1);
	int path = 0;
	for (int it = 0; it < GOLDEN_STEPS; it++) {
		bool lower = f1 < f2;
		path = path << 1 | lower;
		int at = (1 << (it + 1)) + path;
		if (lower) {
			f2 = f1;
			f1 = F(at);
		} else {
			f1 = f2;
			f2 = F(at);
		}
	}
#undef F
	return c->golden_end[g][path];
}

/* Fits one decay (the grid first, from the precomputed vectors, then a
 * golden-section search of log τ between the best grid point's
 * neighbours) and a pair of decays (the grid, then the same search for
 * its faster decay), each with the trend and anchored at the end of
 * blanking; subtracts the better fit's model over the rest of the sweep. */
static inline __attribute__((always_inline)) void
remove_decay_body(const struct lsr_condition *c, double *z, float *y)
{
	int n = c->nfit;
	double y0 = y[0], inv = 1.0 / n;
	struct zsums s = { .n = n };
	/* Four partial sums each, side by side. */
	lsr_d4 sz = { 0 }, szz = { 0 }, szl = { 0 }, szq = { 0 };
	lsr_d4 u = { 0, inv, 2 * inv, 3 * inv }, du = { 4 * inv, 4 * inv, 4 * inv, 4 * inv };
	int i = 0;
	for (; i + 4 <= n; i += 4, u += du) {
		lsr_d4 zv;
		lsr_d4_from_floats(&zv, y + i);
		zv -= y0;
		memcpy(z + i, &zv, sizeof zv);
		sz += zv;
		szz += zv * zv;
		szl += zv * u;
		szq += zv * u * u;
	}
	for (; i < n; i++) {
		double ui = i * inv;
		z[i] = y[i] - y0;
		sz[0] += z[i];
		szz[0] += z[i] * z[i];
		szl[0] += z[i] * ui;
		szq[0] += z[i] * ui * ui;
	}
	s.sz = (sz[0] + sz[1]) + (sz[2] + sz[3]);
	s.szz = (szz[0] + szz[1]) + (szz[2] + szz[3]);
	s.szl = (szl[0] + szl[1]) + (szl[2] + szl[3]);
	s.szq = (szq[0] + szq[1]) + (szq[2] + szq[3]);
	/* Σ z·decay_j for the grid, GRID_AT_ONCE decays per pass over z: each
	 * sum is one chain of vector additions, and several chains side by
	 * side keep the adder busy. */
	for (int j = 0; j < NTAU; j += GRID_AT_ONCE) {
		const float *d[GRID_AT_ONCE];
		lsr_d4 acc[GRID_AT_ONCE] = { { 0 } };
		for (int g = 0; g < GRID_AT_ONCE; g++)
			d[g] = c->decay + (size_t)(j + g) * (size_t)n;
		i = 0;
		for (; i + 4 <= n; i += 4) {
			lsr_d4 zv, dv;
			lsr_d4_load(&zv, z + i);
#pragma GCC unroll 8
			for (int g = 0; g < GRID_AT_ONCE; g++) {
				lsr_d4_from_floats(&dv, d[g] + i);
				acc[g] += zv * dv;
			}
		}
		for (int g = 0; g < GRID_AT_ONCE; g++) {
			double a0 = acc[g][0];
			for (int t = i; t < n; t++)
				a0 += z[t] * d[g][t];
			s.zd[j + g] = (a0 + acc[g][1]) + (acc[g][2] + acc[g][3]);
		}
	}
	double x[NBASIS], best_sse = INFINITY;
	int best = -1;
	for (int j = 0; j < NTAU; j++) {
		double sse = grid_fit(c, &s, 1, &j, x);
		if (sse < best_sse) {
			best_sse = sse;
			best = j;
		}
	}
	if (best < 0)
		return;
	/* the single decay, refined */
	double k1 = golden(c, z, &s, best, -1, x);
	double x1[NBASIS];
	double sse1 = fit_one(c, z, &s, k1, x1);
	/* the pair, its faster decay refined */
	int pi = 0, pj = 0;
	double x2[NBASIS] = { 0 }, grid_x[NBASIS] = { 0 };
	double grid_sse = fit_pair(c, &s, &pi, &pj, grid_x), sse2 = grid_sse;
	double kf = 0;
	if (isfinite(grid_sse)) {
		kf = golden(c, z, &s, pi, pj, x);
		sse2 = fit_two(c, z, &s, kf, pj, x2);
		if (!isfinite(sse2)) { /* the refinement broke the sign: the grid's */
			kf = c->kfac[pi];
			sse2 = grid_sse;
			memcpy(x2, grid_x, sizeof x2);
		}
	}
	if (sse2 < sse1) {
		subtract_model(y, c->nsub, x2[0], kf, x2[1], c->kfac[pj], x2[2], x2[3]);
		return;
	}
	if (!isfinite(sse1))
		return;
	subtract_model(y, c->nsub, x1[0], k1, 0, 0, x1[1], x1[2]);
}

/* Compiled plain and for AVX2, chosen per call (simd.h). */
LSR_TARGET_AVX2 static void remove_decay_avx2(const struct lsr_condition *c, double *z, float *y)
{
	remove_decay_body(c, z, y);
}

static void remove_decay_plain(const struct lsr_condition *c, double *z, float *y)
{
	remove_decay_body(c, z, y);
}

static void remove_decay(const struct lsr_condition *c, double *z, float *y)
{
	if (lsr_cpu_has_avx2())
		remove_decay_avx2(c, z, y);
	else
		remove_decay_plain(c, z, y);
}

void lsr_condition_sweeps(const struct lsr_condition *c, double *scratch, float *const *x,
                          int nx, int n, int stim, float *const *pre, int npre)
{
	int b_end = stim + c->blank; /* first sample after blanking */
	int b0 = stim - c->lead;     /* first blanked sample */
	for (int k = 0; k < nx && b0 >= 1 && b_end + c->nsub == n; k++) {
		float *y = x[k];
		remove_decay(c, scratch, y + b_end);
		/* The artifact decays back to where the signal was before the
		 * pulse: what the fit leaves as its level after blanking (the
		 * sample it is anchored at, less the decays) is put back at the
		 * level of the last LEVEL_MS before blanking.  Left as it was, that
		 * difference — of one sign, the artifact's, on every sweep — is a
		 * step, and the zero-phase high-pass answers a step with a slow
		 * wave on both sides of it: stimulus-locked microvolts in the LSR
		 * window that an average of 40 trials shows as clearly as an LSR. */
		int m = (int)lround(LEVEL_MS * c->rate / 1000.0);
		if (m < 1)
			m = 1;
		if (m > b0)
			m = b0;
		double level = 0;
		for (int i = b0 - m; i < b0; i++)
			level += y[i];
		float shift = (float)(level / m - y[b_end]);
		for (int i = b_end; i < n; i++)
			y[i] += shift;
		/* Linear bridge from the last sample before blanking to the first
		 * kept one: no step for the high-pass to ring on. */
		double y0 = y[b0 - 1], y1 = y[b_end];
		int len = b_end - b0 + 1;
		for (int i = b0; i < b_end; i++)
			y[i] = (float)(y0 + (y1 - y0) * (i - b0 + 1) / len);
	}
	struct lsr_filter_tap tap = { (size_t)(stim - npre), (size_t)npre, pre };
	lsr_filter_zerophase_n(&c->filt, x, nx, (size_t)n, (size_t)c->pad,
	                       pre && npre > 0 && npre <= stim ? &tap : NULL);
}

void lsr_condition_plain(const struct lsr_condition *c, float *const *x, int nx, int n)
{
	lsr_filter_zerophase_n(&c->filt, x, nx, (size_t)n, (size_t)c->pad, NULL);
}
