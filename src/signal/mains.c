/* src/signal/mains.c — mains hum fitted outside the response windows and
 * subtracted (mains.h says why and how). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mains.h"
#include "measure.h"
#include "simd.h"

#define NPOLY 4                                /* cubic: baseline wander */
#define NSIN (2 * LSR_MAINS_HARMONICS)         /* cos, sin of each harmonic */
#define TC (NPOLY + NSIN)                      /* t·cos, t·sin of each harmonic */
#define PROBE (TC + NSIN)                       /* cos, sin at 1.5 and 2.5 × the mains */
#define NB (PROBE + 4)
#define NPROBE 9                               /* the noise near the mains: median of so many stretches */
#define T_SCALE_S 0.1                          /* the frequency terms' time unit */
#define NHIST 9                                /* stretches the hum level is the median of */
#define DECIDE_MAX 10                          /* stretches before 50/60 is decided anyway */
#define TRACK_MIN_UV 2.0                       /* a fundamental too small to steer by */
/* A harmonic is subtracted only when its power is this many times what
 * the noise puts at frequencies next to the mains (the probes at 1.5 and
 * 2.5 × the mains, fitted alongside and never subtracted; their running
 * mean): on a hum-free recording nothing is subtracted at all. */
#define GATE 16.0
#define SWAMP_MS 5.0                           /* blocks judged for swamping */
#define SWAMP_RATIO 2.0                        /* × the quarter-quietest block's motion */
#define MAX_BLOCKS 1024
#define TV_AT_ONCE 4                           /* channels summed side by side (block_tv) */
#define SWAMP_EDGE 2                           /* blocks either side of a swamped one */
#define TV_FOLLOW 1.1                          /* per stretch, at most */
#define STEER_MAX_HZ 0.02                      /* frequency step per stretch, at most */
/* The fit is on means over FIT_BLOCK_MS (the basis averaged the same way,
 * so the model is exact): the hum is ≤ 3 × 60 Hz, and a 40 kHz stretch
 * costs as little as a 2 kHz one. */
#define FIT_BLOCK_MS 0.5
#define NHUM (PROBE - NPOLY)                   /* columns subtracted */
#define MAX_FIT_BLOCKS 4096                    /* 2 s of blocks */

struct fitset {
	double nominal, hz;
	double *bb;                   /* block means of the basis, NB per block */
	float *yb;                    /* the hum columns over the subtracted span, NHUM × maxlen */
	double l[NB][NB];             /* Cholesky factor of the masked normal matrix */
	bool ok;
	double beta[LSR_MAX_CHANNELS][NB];
	double energy[LSR_MAX_CHANNELS]; /* hum mean square of the latest stretch */
	double probe[LSR_MAX_CHANNELS][NPROBE]; /* power at the probes, latest stretches */
	int nprobe, probe_at;
};

struct lsr_mains {
	bool on;
	int rate, nch, maxlen, n, kept, origin;
	int k, nbk;                   /* samples per fit block, blocks in the stretch */
	int y_at, ny;                 /* the span subtracted */
	float *mask;
	float *bmask;                 /* per block: 1 wholly in the fit */
	int nfit;                     /* fitsets in use: 1, or 2 while undecided */
	int decided;                  /* the fitset in force; -1: undecided */
	bool found;                   /* hum was seen (not only decided by default) */
	struct fitset f[2];
	double acc[2];
	int nacc;
	bool prepared;
	int used[LSR_MAX_CHANNELS];   /* the fitset subtracted on each channel */
	double tv_ref[LSR_MAX_CHANNELS]; /* a quiet block's motion, followed slowly; 0: none yet */
	bool swamped;                 /* some of the stretch was left out as swamped */
	/* The stretch being prepared (lsr_mains_begin … lsr_mains_finish):
	 * its swamp blocks, those wholly in the fit, and each channel's
	 * motion per block (nch rows of MAX_BLOCKS). */
	int bl, nb;
	bool judge_swamp;             /* enough open blocks to judge them */
	bool open[MAX_BLOCKS];
	double *tv;
	double hist[LSR_MAX_CHANNELS][NHIST];
	int nhist, hpos;
};

struct lsr_mains *lsr_mains_new(const struct lsr_params *p, int rate, int nch, int maxlen,
                                char *err, size_t errlen)
{
	struct lsr_mains *m = calloc(1, sizeof *m);
	if (!m) {
		snprintf(err, errlen, "mains: out of memory");
		return NULL;
	}
	m->rate = rate;
	m->nch = nch;
	m->maxlen = maxlen;
	m->on = p->mains != LSR_MAINS_OFF && rate >= 4 * 60 * LSR_MAINS_HARMONICS;
	if (!m->on)
		return m;
	switch (p->mains) {
	case LSR_MAINS_50: m->f[0].nominal = 50; m->nfit = 1; m->decided = 0; m->found = true; break;
	case LSR_MAINS_60: m->f[0].nominal = 60; m->nfit = 1; m->decided = 0; m->found = true; break;
	default:
		m->f[0].nominal = 50;
		m->f[1].nominal = 60;
		m->nfit = 2;
		m->decided = -1;
		break;
	}
	m->k = (int)lround(FIT_BLOCK_MS * rate / 1000.0);
	if (m->k < 1)
		m->k = 1;
	int maxb = maxlen / m->k + 1;
	m->mask = malloc((size_t)maxlen * sizeof *m->mask);
	m->bmask = malloc((size_t)maxb * sizeof *m->bmask);
	m->tv = malloc((size_t)nch * MAX_BLOCKS * sizeof *m->tv);
	bool ok = m->mask && m->bmask && m->tv;
	for (int k = 0; k < m->nfit; k++) {
		m->f[k].hz = m->f[k].nominal;
		m->f[k].bb = malloc((size_t)NB * (size_t)maxb * sizeof(double));
		m->f[k].yb = malloc((size_t)NHUM * (size_t)maxlen * sizeof(float));
		ok = ok && m->f[k].bb && m->f[k].yb;
	}
	if (!ok) {
		lsr_mains_free(m);
		snprintf(err, errlen, "mains: out of memory");
		return NULL;
	}
	return m;
}

void lsr_mains_free(struct lsr_mains *m)
{
	if (!m)
		return;
	free(m->mask);
	free(m->bmask);
	free(m->tv);
	for (int k = 0; k < 2; k++) {
		free(m->f[k].bb);
		free(m->f[k].yb);
	}
	free(m);
}

bool lsr_mains_on(const struct lsr_mains *m)
{
	return m && m->on;
}

/* Median of v[0..n), n ≤ NHIST or NPROBE, NANs left out (v is kept). */
static double median(const double *v, int n)
{
	double w[NHIST > NPROBE ? NHIST : NPROBE];
	int k = 0;
	for (int i = 0; i < n; i++)
		if (!isnan(v[i]))
			w[k++] = v[i];
	if (k == 0)
		return NAN;
	for (int i = 1; i < k; i++)
		for (int j = i; j > 0 && w[j - 1] > w[j]; j--) {
			double t = w[j];
			w[j] = w[j - 1];
			w[j - 1] = t;
		}
	return k % 2 ? w[k / 2] : (w[k / 2 - 1] + w[k / 2]) / 2;
}

/* The NB basis values at sample k of an n-sample stretch, from (c, s) =
 * (cos, sin) of the fundamental's phase there and (ch, sh) of half of it;
 * dh[5]: what averaging over a block does to each frequency (1, 2, 3,
 * 1.5 and 2.5 × the mains). */
static void basis_at(double *b, double k, int n, double rate, double c, double s, double ch,
                     double sh, const double *dh)
{
	double half = (n - 1) / 2.0;
	double u = half > 0 ? (k - half) / half : 0;
	/* Centred: the frequency terms are then nearly orthogonal to the
	 * sinusoids, whose noise stays that of the probes. */
	double tau = (k - half) / rate / T_SCALE_S;
	b[0] = 1;
	b[1] = u;
	b[2] = 1.5 * u * u - 0.5;
	b[3] = (2.5 * u * u - 1.5) * u;
	double c2 = c * c - s * s, s2 = 2 * c * s;
	b[4] = c * dh[0];
	b[5] = s * dh[0];
	b[6] = c2 * dh[1];
	b[7] = s2 * dh[1];
	b[8] = (c2 * c - s2 * s) * dh[2];
	b[9] = (s2 * c + c2 * s) * dh[2];
	for (int j = 0; j < NSIN; j++)
		b[TC + j] = tau * b[NPOLY + j];
	b[PROBE] = (c * ch - s * sh) * dh[3];
	b[PROBE + 1] = (s * ch + c * sh) * dh[3];
	b[PROBE + 2] = (c2 * ch - s2 * sh) * dh[4];
	b[PROBE + 3] = (s2 * ch + c2 * sh) * dh[4];
}

/* The hum columns alone (basis_at's NPOLY … PROBE − 1, by the same
 * expressions, for a single sample) into h[0 … NHUM): the span subtracted
 * needs neither the cubic nor the probes, nor the half angle. */
static void hum_at(float *h, size_t stride, double k, int n, double rate, double c, double s)
{
	double half = (n - 1) / 2.0;
	double tau = (k - half) / rate / T_SCALE_S;
	double c2 = c * c - s * s, s2 = 2 * c * s;
	/* a single sample: no block's Dirichlet factor */
	double b[NSIN] = { c, s, c2, s2, c2 * c - s2 * s, s2 * c + c2 * s };
	for (int j = 0; j < NSIN; j++) {
		h[(size_t)j * stride] = (float)b[j];
		h[(size_t)(NSIN + j) * stride] = (float)(tau * b[j]);
	}
}

/* (c, s) advanced by the rotation (rc, rs), kept on the unit circle. */
static void rotate(double *c, double *s, double rc, double rs)
{
	double nc = *c * rc - *s * rs, ns = *c * rs + *s * rc;
	double g = 1.5 - 0.5 * (nc * nc + ns * ns);
	*c = nc * g;
	*s = ns * g;
}

/* The basis as block means (bb: a sinusoid's mean over a block is its
 * value at the block's centre times the Dirichlet factor; the cubic and
 * the frequency terms are taken at the centre) and, over the span
 * subtracted, its hum columns sample by sample (yb). */
static void fill_basis(const struct lsr_mains *m, struct fitset *f, int n, int origin)
{
	double w = 2 * M_PI * f->hz / m->rate;
	int K = m->k;
	static const double mult[5] = { 1, 2, 3, 1.5, 2.5 };
	double dh[5];
	for (int h = 0; h < 5; h++) {
		double x = mult[h] * w / 2;
		dh[h] = K > 1 && fabs(sin(x)) > 1e-12 ? sin(K * x) / (K * sin(x)) : 1;
	}
	double t0 = (K - 1) / 2.0 - origin; /* block 0's centre, in samples from the origin */
	double c = cos(w * t0), s = sin(w * t0), ch = cos(w * t0 / 2), sh = sin(w * t0 / 2);
	double rc = cos(w * K), rs = sin(w * K), hc = cos(w * K / 2), hs = sin(w * K / 2);
	for (int b = 0; b < m->nbk; b++) {
		basis_at(f->bb + (size_t)b * NB, b * K + (K - 1) / 2.0, n, m->rate, c, s, ch, sh, dh);
		rotate(&c, &s, rc, rs);
		rotate(&ch, &sh, hc, hs);
	}
	t0 = m->y_at - origin;
	c = cos(w * t0), s = sin(w * t0);
	rc = cos(w), rs = sin(w);
	for (int k = 0; k < m->ny; k++) {
		hum_at(f->yb + k, (size_t)m->maxlen, m->y_at + k, n, m->rate, c, s);
		rotate(&c, &s, rc, rs);
	}
}

/* g = Σ over the fit's blocks of row·rowᵀ, each element summed in block
 * order: the whole square four columns at a time, where the triangle one
 * element at a time was most of a few-channel replay.  A product and its
 * mirror are the same number, so the square is exactly symmetric. */
_Static_assert(NB % LSR_D4_LANES == 0, "the basis is whole vectors");
static inline __attribute__((always_inline)) void
gram_body(const struct lsr_mains *m, const struct fitset *f, double g[NB][NB])
{
	memset(g, 0, sizeof(double[NB][NB]));
	for (int b = 0; b < m->nbk; b++) {
		if (!m->bmask[b])
			continue;
		const double *row = f->bb + (size_t)b * NB;
		for (int i = 0; i < NB; i++) {
			lsr_d4 ri = { row[i], row[i], row[i], row[i] };
			for (int j = 0; j < NB; j += LSR_D4_LANES) {
				lsr_d4 rj, gv;
				lsr_d4_load(&rj, row + j);
				lsr_d4_load(&gv, &g[i][j]);
				gv += ri * rj;
				memcpy(&g[i][j], &gv, sizeof gv);
			}
		}
	}
}

LSR_TARGET_AVX2 static void gram_avx2(const struct lsr_mains *m, const struct fitset *f,
                                      double g[NB][NB])
{
	gram_body(m, f, g);
}

static void gram_plain(const struct lsr_mains *m, const struct fitset *f, double g[NB][NB])
{
	gram_body(m, f, g);
}

/* Cholesky of the masked normal matrix (over blocks), with a whisper of
 * ridge so a stretch that is nearly all masked cannot blow up.  False if
 * singular. */
static bool factor(const struct lsr_mains *m, struct fitset *f)
{
	double g[NB][NB];
	if (lsr_cpu_has_avx2())
		gram_avx2(m, f, g);
	else
		gram_plain(m, f, g);
	double big = 0;
	for (int i = 0; i < NB; i++)
		big = g[i][i] > big ? g[i][i] : big;
	for (int i = 0; i < NB; i++)
		g[i][i] += 1e-9 * big + 1e-12;
	for (int i = 0; i < NB; i++) {
		for (int j = 0; j <= i; j++) {
			double v = g[i][j];
			for (int k = 0; k < j; k++)
				v -= f->l[i][k] * f->l[j][k];
			if (i == j) {
				if (!(v > 0))
					return false;
				f->l[i][i] = sqrt(v);
			} else {
				f->l[i][j] = v / f->l[j][j];
			}
		}
	}
	return true;
}

/* The sum of |second differences| over each open block of channels
 * c0 … c0 + TV_AT_ONCE − 1 below hi (the last one repeated past it, into
 * a row of its own), each channel's in the order of its samples, into
 * its row of m->tv. */
static void block_tv(struct lsr_mains *m, const float *const *x, int c0, int hi)
{
	const float *ch[TV_AT_ONCE];
	double *row[TV_AT_ONCE], spare[MAX_BLOCKS];
	for (int q = 0; q < TV_AT_ONCE; q++) {
		ch[q] = x[c0 + q < hi ? c0 + q : hi - 1];
		row[q] = c0 + q < hi ? m->tv + (size_t)(c0 + q) * MAX_BLOCKS : spare;
	}
	int bl = m->bl;
	for (int b = 0; b < m->nb; b++) {
		if (!m->open[b])
			continue;
		size_t at = (size_t)b * (size_t)bl;
		const float *y0 = ch[0] + at, *y1 = ch[1] + at, *y2 = ch[2] + at, *y3 = ch[3] + at;
		double v0 = 0, v1 = 0, v2 = 0, v3 = 0;
		for (int k = 2; k < bl; k++) {
			v0 += fabs((double)y0[k] - 2.0 * y0[k - 1] + y0[k - 2]);
			v1 += fabs((double)y1[k] - 2.0 * y1[k - 1] + y1[k - 2]);
			v2 += fabs((double)y2[k] - 2.0 * y2[k - 1] + y2[k - 2]);
			v3 += fabs((double)y3[k] - 2.0 * y3[k - 1] + y3[k - 2]);
		}
		row[0][b] = v0;
		row[1][b] = v1;
		row[2][b] = v2;
		row[3][b] = v3;
	}
}

/* The swamp blocks of the stretch: SWAMP_MS each, judged only where they
 * are wholly in the fit (the stimuli's are out). */
static void swamp_blocks(struct lsr_mains *m, int n)
{
	m->swamped = false;
	m->judge_swamp = false;
	m->bl = (int)lround(SWAMP_MS * m->rate / 1000.0);
	if (m->bl < 4)
		m->bl = 4;
	m->nb = n / m->bl;
	if (m->nb < 4)
		return;
	if (m->nb > MAX_BLOCKS)
		m->nb = MAX_BLOCKS;
	int no = 0;
	for (int b = 0; b < m->nb; b++) {
		m->open[b] = true;
		for (int k = b * m->bl; k < (b + 1) * m->bl && m->open[b]; k++)
			m->open[b] = m->mask[k] != 0;
		no += m->open[b];
	}
	m->judge_swamp = no >= 4;
}

void lsr_mains_swamp_tv(struct lsr_mains *m, const float *const *x, int lo, int hi)
{
	if (!m->judge_swamp)
		return;
	/* Four channels' sums at once: each is one chain of additions whose
	 * latency, one channel at a time, was the whole cost. */
	for (int c = lo; c < hi; c += TV_AT_ONCE)
		block_tv(m, x, c, hi);
}

/* Leaves out of the fit every SWAMP_MS block in which some channel moves
 * far more than in its quieter blocks (the sum of |second differences|,
 * which the hum hardly has and broadband bursts have plenty of): cautery,
 * a spasm burst, a saturating stretch would otherwise be fitted as hum. */
static void mask_swamped(struct lsr_mains *m, int nch, int n)
{
	if (!m->judge_swamp)
		return;
	int nb = m->nb, bl = m->bl;
	double sorted[MAX_BLOCKS];
	bool bad[MAX_BLOCKS] = { false };
	for (int c = 0; c < nch; c++) {
		const double *tv = m->tv + (size_t)c * MAX_BLOCKS;
		int ns = 0;
		for (int b = 0; b < nb; b++)
			if (m->open[b])
				sorted[ns++] = tv[b];
		/* The reference follows the quiet blocks slowly (noise may
		 * rise ×3 over a case, not ×10 in a second): a stretch
		 * swamped from end to end (cautery) is left out whole. */
		double q = lsr_select_inplace(sorted, ns, ns / 4), ref = m->tv_ref[c];
		if (!(ref > 0))
			ref = q;
		else if (q > ref * TV_FOLLOW)
			ref *= TV_FOLLOW;
		else if (q < ref / TV_FOLLOW)
			ref /= TV_FOLLOW;
		else
			ref = q;
		m->tv_ref[c] = ref;
		double lim = SWAMP_RATIO * (q < ref ? q : ref);
		for (int b = 0; b < nb; b++)
			bad[b] = bad[b] || (m->open[b] && tv[b] > lim);
	}
	/* A burst's edges ramp: the blocks next to a swamped one go too. */
	for (int b = 0; b < nb; b++) {
		bool near = false;
		for (int d = -SWAMP_EDGE; d <= SWAMP_EDGE && !near; d++)
			near = b + d >= 0 && b + d < nb && bad[b + d];
		if (near && (m->swamped = true))
			for (int k = b * bl; k < (b + 1) * bl; k++)
				m->mask[k] = 0;
	}
	/* The remainder past the last whole block goes with it. */
	if (bad[nb - 1])
		for (int k = nb * bl; k < n; k++)
			m->mask[k] = 0;
}

bool lsr_mains_begin(struct lsr_mains *m, int n, int origin, const int64_t *stims, int nstims,
                     int64_t stretch_from, int y_at, int ny)
{
	m->prepared = false;
	if (!m->on || n < 2 * m->k || n > m->maxlen || y_at < 0 || ny < 0 || y_at + ny > n)
		return false;
	m->n = n;
	m->nbk = n / m->k;
	m->y_at = y_at;
	m->ny = ny;
	m->origin = origin;
	for (int k = 0; k < n; k++)
		m->mask[k] = 1;
	int lo = (int)lround(LSR_MAINS_MASK_FROM_MS * m->rate / 1000.0);
	int hi = (int)lround(LSR_MAINS_MASK_TO_MS * m->rate / 1000.0);
	for (int i = 0; i < nstims; i++) {
		int64_t a = stims[i] - stretch_from + lo, b = stims[i] - stretch_from + hi;
		if (b < 0 || a >= n)
			continue;
		for (int64_t k = a < 0 ? 0 : a; k <= b && k < n; k++)
			m->mask[k] = 0;
	}
	swamp_blocks(m, n);
	return true;
}

void lsr_mains_basis(struct lsr_mains *m)
{
	for (int j = 0; j < m->nfit; j++)
		if (m->decided < 0 || j == m->decided)
			fill_basis(m, &m->f[j], m->n, m->origin);
}

bool lsr_mains_finish(struct lsr_mains *m, int nch)
{
	mask_swamped(m, nch, m->n);
	int n = m->n, kept = 0;
	for (int k = 0; k < n; k++)
		kept += m->mask[k] != 0;
	/* At least five periods of the slowest mains and a quarter of it. */
	if (kept < 5 * m->rate / 50 || kept < n / 4)
		return false;
	m->kept = kept;
	for (int b = 0; b < m->nbk; b++) {
		float v = 1;
		for (int k = b * m->k; k < (b + 1) * m->k; k++)
			v *= m->mask[k];
		m->bmask[b] = v;
	}
	bool any = false;
	for (int j = 0; j < m->nfit; j++) {
		struct fitset *f = &m->f[j];
		f->ok = false;
		if (m->decided >= 0 && j != m->decided)
			continue;
		f->ok = factor(m, f);
		any = any || f->ok;
	}
	m->prepared = any;
	return any;
}

bool lsr_mains_prepare(struct lsr_mains *m, const float *const *x, int nch, int n, int origin,
                       const int64_t *stims, int nstims, int64_t stretch_from, int y_at, int ny)
{
	if (!lsr_mains_begin(m, n, origin, stims, nstims, stretch_from, y_at, ny))
		return false;
	lsr_mains_swamp_tv(m, x, 0, nch);
	lsr_mains_basis(m);
	return lsr_mains_finish(m, nch);
}

static void solve(const struct fitset *f, const double *r, double *x)
{
	double y[NB];
	for (int i = 0; i < NB; i++) {
		double v = r[i];
		for (int k = 0; k < i; k++)
			v -= f->l[i][k] * y[k];
		y[i] = v / f->l[i][i];
	}
	for (int i = NB - 1; i >= 0; i--) {
		double v = y[i];
		for (int k = i + 1; k < NB; k++)
			v -= f->l[k][i] * x[k];
		x[i] = v / f->l[i][i];
	}
}

/* The mean of x over each fit block (0 for a block out of the fit), four
 * blocks side by side: one block at a time, its chain of additions was
 * the cost.  Each block's sum in the order of its samples. */
static void block_means(const struct lsr_mains *m, const float *x, int nbk, double *xm)
{
	int K = m->k, b = 0;
	for (; b + 4 <= nbk; b += 4) {
		const float *x0 = x + (size_t)b * (size_t)K, *x1 = x0 + K, *x2 = x1 + K, *x3 = x2 + K;
		double v0 = 0, v1 = 0, v2 = 0, v3 = 0;
		for (int k = 0; k < K; k++) {
			v0 += x0[k];
			v1 += x1[k];
			v2 += x2[k];
			v3 += x3[k];
		}
		xm[b] = (m->bmask[b] ? v0 : 0) / K;
		xm[b + 1] = (m->bmask[b + 1] ? v1 : 0) / K;
		xm[b + 2] = (m->bmask[b + 2] ? v2 : 0) / K;
		xm[b + 3] = (m->bmask[b + 3] ? v3 : 0) / K;
	}
	for (; b < nbk; b++) {
		double v = 0;
		if (m->bmask[b])
			for (int k = b * K; k < (b + 1) * K; k++)
				v += x[k];
		xm[b] = v / K;
	}
}

/* r = Σ over blocks of xm[b] × the basis row of block b, each element in
 * block order, a vector of four elements at a time. */
static inline __attribute__((always_inline)) void
project_body(const struct fitset *f, const double *xm, int nbk, double *r)
{
	lsr_d4 acc[NB / LSR_D4_LANES] = { { 0 } };
	for (int b = 0; b < nbk; b++) {
		const double *row = f->bb + (size_t)b * NB;
		lsr_d4 xb = { xm[b], xm[b], xm[b], xm[b] };
		for (int q = 0; q < NB / LSR_D4_LANES; q++) {
			lsr_d4 rv;
			lsr_d4_load(&rv, row + q * LSR_D4_LANES);
			acc[q] += xb * rv;
		}
	}
	memcpy(r, acc, sizeof acc);
}

LSR_TARGET_AVX2 static void project_avx2(const struct fitset *f, const double *xm, int nbk,
                                         double *r)
{
	project_body(f, xm, nbk, r);
}

static void project_plain(const struct fitset *f, const double *xm, int nbk, double *r)
{
	project_body(f, xm, nbk, r);
}

void lsr_mains_remove(struct lsr_mains *m, int c, const float *x, float *y)
{
	if (!m->prepared || c < 0 || c >= m->nch)
		return;
	double xm[MAX_FIT_BLOCKS];
	int nbk = m->nbk < MAX_FIT_BLOCKS ? m->nbk : MAX_FIT_BLOCKS;
	block_means(m, x, nbk, xm);
	int use = -1;
	double best = -1;
	for (int j = 0; j < m->nfit; j++) {
		struct fitset *f = &m->f[j];
		if (!f->ok)
			continue;
		double r[NB];
		if (lsr_cpu_has_avx2())
			project_avx2(f, xm, nbk, r);
		else
			project_plain(f, xm, nbk, r);
		double *beta = f->beta[c];
		solve(f, r, beta);
		double pe = 0;
		for (int i = PROBE; i < NB; i++)
			pe += beta[i] * beta[i] / 4; /* two probes, half the square each */
		f->probe[c][f->probe_at] = pe;
		double e = 0;
		for (int i = NPOLY; i < NPOLY + NSIN; i++)
			e += beta[i] * beta[i] / 2;
		f->energy[c] = e;
		if (e > best) {
			best = e;
			use = j;
		}
	}
	if (m->decided >= 0)
		use = m->f[m->decided].ok ? m->decided : -1;
	m->used[c] = use;
	if (use < 0)
		return;
	struct fitset *f = &m->f[use];
	double *beta = f->beta[c];
	/* Harmonics indistinguishable from the noise are left alone (and
	 * not counted as hum); the frequency terms go with the fundamental. */
	double noise = median(f->probe[c], f->nprobe < NPROBE ? f->nprobe + 1 : NPROBE);
	bool keep[NB] = { false };
	double e = 0;
	for (int h = 0; h < LSR_MAINS_HARMONICS; h++) {
		int i = NPOLY + 2 * h;
		double eh = (beta[i] * beta[i] + beta[i + 1] * beta[i + 1]) / 2;
		keep[i] = keep[i + 1] = eh > GATE * noise;
		if (keep[i])
			e += eh;
	}
	for (int j = 0; j < NSIN; j++)
		keep[TC + j] = keep[NPOLY + j];
	f->energy[c] = e;
	for (int i = NPOLY; i < PROBE; i++) {
		if (!keep[i])
			continue;
		const float *b = f->yb + (size_t)(i - NPOLY) * (size_t)m->maxlen;
		float k = (float)beta[i];
		for (int t = 0; t < m->ny; t++)
			y[t] -= k * b[t];
	}
}

/* Steers fitset f by its fundamental's frequency terms across channels. */
static void steer(struct lsr_mains *m, struct fitset *f)
{
	double num = 0, den = 0;
	for (int c = 0; c < m->nch; c++) {
		const double *b = f->beta[c];
		double pr = b[NPOLY], pi = -b[NPOLY + 1];
		double qr = b[TC] / T_SCALE_S, qi = -b[TC + 1] / T_SCALE_S;
		num += qi * pr - qr * pi;
		den += pr * pr + pi * pi;
	}
	if (!(den > m->nch * TRACK_MIN_UV * TRACK_MIN_UV))
		return;
	double step = 0.5 * num / den / (2 * M_PI);
	if (step > STEER_MAX_HZ)
		step = STEER_MAX_HZ;
	if (step < -STEER_MAX_HZ)
		step = -STEER_MAX_HZ;
	double hz = f->hz + step;
	if (hz > f->nominal + LSR_MAINS_TRACK_HZ)
		hz = f->nominal + LSR_MAINS_TRACK_HZ;
	if (hz < f->nominal - LSR_MAINS_TRACK_HZ)
		hz = f->nominal - LSR_MAINS_TRACK_HZ;
	if (isfinite(hz))
		f->hz = hz;
}

void lsr_mains_update(struct lsr_mains *m, bool with_hum)
{
	if (!m->on || !m->prepared)
		return;
	for (int j = 0; j < m->nfit; j++) {
		struct fitset *f = &m->f[j];
		if (!f->ok)
			continue;
		f->probe_at = (f->probe_at + 1) % NPROBE;
		if (f->nprobe < NPROBE)
			f->nprobe++;
	}
	/* Only clean stretches steer: a burst in the fit is not a drift. */
	for (int j = 0; j < m->nfit && !m->swamped; j++)
		if (m->f[j].ok)
			steer(m, &m->f[j]);
	if (m->decided < 0 && m->f[0].ok && m->f[1].ok) {
		for (int j = 0; j < 2; j++)
			for (int c = 0; c < m->nch; c++)
				m->acc[j] += m->f[j].energy[c];
		/* Decided once the hum is clear (a 1 µV RMS fundamental), or
		 * after DECIDE_MAX stretches whatever it is. */
		double big = m->acc[0] > m->acc[1] ? m->acc[0] : m->acc[1];
		m->found = ++m->nacc >= LSR_MAINS_DECIDE && big > 2.0 * m->nacc * m->nch;
		if (m->found || m->nacc >= DECIDE_MAX)
			m->decided = m->acc[1] > m->acc[0];
	}
	if (!with_hum)
		return;
	for (int c = 0; c < m->nch && !m->found && m->decided >= 0; c++) {
		int u = m->used[c];
		m->found = u >= 0 && m->f[u].energy[c] > 0;
	}
	for (int c = 0; c < m->nch; c++) {
		int u = m->used[c];
		m->hist[c][m->hpos] = u >= 0 ? sqrt(m->f[u].energy[c]) : NAN;
	}
	m->hpos = (m->hpos + 1) % NHIST;
	if (m->nhist < NHIST)
		m->nhist++;
}

double lsr_mains_hz(const struct lsr_mains *m)
{
	if (!m || !m->on || m->decided < 0 || !m->found)
		return NAN;
	return m->f[m->decided].hz;
}

double lsr_mains_hum_uv(const struct lsr_mains *m, int c)
{
	if (!m || !m->on || c < 0 || c >= m->nch || m->nhist == 0)
		return NAN;
	return median(m->hist[c], m->nhist);
}
