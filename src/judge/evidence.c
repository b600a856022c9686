/* src/judge/evidence.c — a channel's recent valid sweeps, its split-half
 * baseline template and the decision over recent trials (evidence.h;
 * the reasoning and the measured error rates: docs/detector.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "measure.h"
#include "stats.h"

/* Error rates per decision (docs/clinical.md "Defaults", presence): noise
 * alone detected on at most ALPHA_DETECT by each of the two tests (the
 * matched amplitude and the shape-free energy), so on at most 1% of
 * decisions by either. */
#define ALPHA_DETECT 0.005
/* A return from absence (or from indeterminate) needs the short window
 * to show the LSR at this rate: decisions over overlapping windows are
 * correlated, and with one a second 1% would be a false "returned" every
 * few minutes.  A cure's ten minutes after the call are about 1000
 * decisions, 250 independent short windows below SNR 4: at 10⁻⁴ that was
 * a false return in about one case in 150 (fresh seeds 95905 and 4326,
 * one each; the LSR window's own noise is up to 1.2 × the noise windows'),
 * and one in a row of 50 patients fails its target (docs/detector.md,
 * "Case-level rates"). */
#define ALPHA_RETURN 1e-5
/* A baseline "has an LSR" only at this rate: a patient without one must
 * never be judged (tests/eval/targets.txt, no_lsr_judged). */
#define ALPHA_BASELINE 1e-6
#define ALPHA_BASELINE_T 1e-5
/* Judging may start from the first baseline_trials before the baseline
 * is precise when the LSR there is beyond doubt: Z_EARLY noise σ of the
 * noise windows (so even an LSR-window noise several times theirs would
 * not reach it), and the trials' own spread at ALPHA_EARLY_T (an LSR's
 * own variation, CV up to 0.5, keeps its t near √n / CV). */
#define Z_EARLY 20.0
#define ALPHA_EARLY_T 1e-3
/* The absence bound is one-sided 99%; the power to see half the baseline
 * is 99% (docs/clinical.md). */
#define ALPHA_ABSENT 0.01
#define POWER_HALF 0.01
/* Baseline precision: the 90% interval of its amplitude. */
#define ALPHA_PRECISION 0.10
/* A baseline LSR starts after a quiet stretch: in the first EDGE_MS of
 * the window its average stays below EDGE_FRACTION of its later peak
 * (onsets are 8–13 ms, the window starts at 6). */
#define EDGE_MS 1.0
#define EDGE_FRACTION 0.5
#define EDGE_NOISE_SD 3.0
/* Noise-only peak-to-peak over an LSR window, in noise RMS (docs/clinical.md
 * "Defaults": about five). */
#define NOISE_P2P_PER_RMS 5.0
/* A window's own spread is trusted from this many trials on. */
#define MIN_SPREAD_TRIALS 5
/* The standard error of a median of normal values over the mean's:
 * √(π/2). */
#define MEDIAN_SE_FACTOR 1.2533
/* The tracked latency follows only a clearly detected LSR. */
#define Z_TRACK 6.0
/* Latencies the search allows around the baseline's, ms: jitter and a
 * drift of up to +2 ms over a case (docs/clinical.md "The patients
 * differ"). */
#define LAG_MIN_MS (-1.0)
#define LAG_MAX_MS 2.5
#define TRACK_MS 0.5
#define LAG_STEP_MS 0.1
/* Searching ±TRACK_MS multiplies the chances of noise by about the number
 * of independent lags searched: the matched output of 20–1000 Hz noise
 * decorrelates within about TRACK_MS, so three. */
#define LAGS_SEARCHED 3.0
/* What a matched detection must reach, as a fraction of the baseline
 * amplitude: the truth's own "lost" (tests/eval/score.py LOST) and well
 * under any clinical residual (Pan et al., docs/clinical.md: an 86.5%
 * fall was complete resolution; a partial one is 10-40%).  An average of
 * many sweeps finds microvolts locked to the stimulus that are no LSR
 * (the section "What an average cannot tell" of docs/detector.md): a
 * 2.5% residue, detected at z 3.5 over a long window, held a cured
 * patient's loss for seven more trials. */
#define RESIDUE_RATIO 0.05
/* Absence is bounded at the most favourable latency of the whole range a
 * drifting LSR may have (LAG_MIN_MS…LAG_MAX_MS, about seven independent
 * lags): in noise alone the largest of seven standard normals averages
 * about 1.35, which the long window's length allows for. */
#define LAG_RANGE_BIAS 1.35
/* Noise-only windows: the ends of the sweep, after any late component. */
#define NOISE_FROM_MS 60.0
#define NOISE_TO_MS 100.0
#define NOISE_STEP_MS 2.5
/* A phase of the baseline average is a run of one sign whose peak is at
 * least PHASE_FRACTION of the average's largest excursion and
 * PHASE_NOISE_SD times the noise RMS left in the average: that noise
 * crosses zero too, without a phase. */
#define PHASE_FRACTION 0.15
#define PHASE_NOISE_SD 3.0
/* Phases counted at most (1–5 in theatre, docs/clinical.md; the rest of a
 * longer run is noise or a late component). */
#define LSR_EVIDENCE_MAX_PHASES 8
/* A faded shape replaces the template's reading only when it explains
 * more of the average by this many standard deviations (shape_reading). */
#define Z_SHAPE 3.0
/* The single trials' energy vetoes absence at α 10⁻⁴ (a guard for large
 * jittered LSRs, not a detection test: it needs no power at low SNR), and
 * only above half the noise's own mean square (trial_energy). */
#define Z_TRIAL_ENERGY 3.72
#define TRIAL_EXCESS 0.5
/* ... and above this fraction of the baseline trials' energy: an LSR at
 * 10% of its size, or at 30% keeping a ninth of its energy (three short
 * phases of five, make evaluate's partial patient 7978900099 keeps 3–7%
 * of it; the average's energy test asks 4%, shape_pct², of an average
 * the jitter smeared). */
#define TRIAL_FRACTION 0.01
/* The LSR window may be lengthened to end this late after the stimulus:
 * onset 13 ms plus 15 ms (docs/clinical.md "The patients differ"). */
#define EXTEND_TO_MS 28.0

static int ms_n(int rate, double ms)
{
	return (int)lround(ms * rate / 1000.0);
}

/* The noise-only windows for g's LSR window length, and whether the
 * windows fit the sweep. */
static bool place_windows(struct lsr_evidence_geometry *g)
{
	int rate = g->rate;
	g->nnoise = 0;
	if (g->lsr_n < 4 || g->lsr0 + g->lag_min - g->track < 0 ||
	    g->lsr0 + g->lsr_n + g->lag_max + g->track > g->len)
		return false;
	int end = g->pre + ms_n(rate, NOISE_TO_MS);
	for (int s = g->pre + ms_n(rate, NOISE_FROM_MS);
	     s + g->lsr_n <= end && g->nnoise < LSR_EVIDENCE_NOISE_WINDOWS;
	     s += ms_n(rate, NOISE_STEP_MS))
		g->noise0[g->nnoise++] = s;
	return g->nnoise >= 2;
}

/* The LSR window may be lengthened to end this late after the stimulus. */
static int longest_window(const struct lsr_evidence_geometry *g)
{
	int n = g->pre + ms_n(g->rate, EXTEND_TO_MS) - g->lsr0;
	return n > g->lsr_n ? n : g->lsr_n;
}

bool lsr_evidence_geometry(struct lsr_evidence_geometry *g, const struct lsr_params *p, int rate)
{
	memset(g, 0, sizeof *g);
	if (rate < 1000)
		return false;
	g->rate = rate;
	g->pre = ms_n(rate, 10);
	g->len = g->pre + ms_n(rate, 100) + 1;
	g->lsr0 = g->pre + ms_n(rate, p->lsr_from_ms);
	g->lsr_n = ms_n(rate, p->lsr_to_ms - p->lsr_from_ms);
	g->lag_min = ms_n(rate, LAG_MIN_MS);
	g->lag_max = ms_n(rate, LAG_MAX_MS);
	g->track = ms_n(rate, TRACK_MS);
	g->lag_step = ms_n(rate, LAG_STEP_MS) > 1 ? ms_n(rate, LAG_STEP_MS) : 1;
	return place_windows(g);
}

int lsr_evidence_init(struct lsr_evidence *e, const struct lsr_evidence_geometry *g)
{
	memset(e, 0, sizeof *e);
	e->g = e->g0 = *g;
	size_t len = (size_t)g->len, most = (size_t)longest_window(g);
	e->ring = malloc(sizeof *e->ring * len * LSR_EVIDENCE_RING);
	e->shown = malloc(sizeof *e->shown * len);
	e->v = malloc(sizeof *e->v * most);
	e->avg_k = malloc(sizeof(double) * len);
	e->avg_w = malloc(sizeof(double) * len);
	e->avg_a = malloc(sizeof(double) * len);
	e->avg_b = malloc(sizeof(double) * len);
	e->work = malloc(sizeof(double) * LSR_EVIDENCE_RING * LSR_EVIDENCE_NOISE_WINDOWS);
	if (!e->ring || !e->shown || !e->v || !e->avg_k || !e->avg_w || !e->avg_a || !e->avg_b ||
	    !e->work)
		return -1;
	for (int j = 0; j < LSR_EVIDENCE_PREFIXES; j++)
		if (!(e->prefix[j] = malloc(sizeof(double) * most)) ||
		    !(e->prefix_whole[j] = malloc(sizeof(double) * most)))
			return -1;
	lsr_evidence_reset(e);
	return 0;
}

void lsr_evidence_free(struct lsr_evidence *e)
{
	free(e->ring);
	free(e->shown);
	free(e->v);
	free(e->avg_k);
	free(e->avg_w);
	free(e->avg_a);
	free(e->avg_b);
	free(e->work);
	for (int j = 0; j < LSR_EVIDENCE_PREFIXES; j++) {
		free(e->prefix[j]);
		free(e->prefix_whole[j]);
		e->prefix[j] = e->prefix_whole[j] = NULL;
	}
	e->ring = e->shown = NULL;
	e->v = e->avg_k = e->avg_w = e->avg_a = e->avg_b = e->work = NULL;
}

void lsr_evidence_clear(struct lsr_evidence *e)
{
	e->head = e->n = 0;
	e->measured = 0;
	e->shown_trials = 0;
}

void lsr_evidence_reset(struct lsr_evidence *e)
{
	lsr_evidence_clear(e);
	e->have = false;
	e->collecting = true;
	e->collected = 0;
	e->early = false;
	e->lag = 0;
	e->k = e->w = 0;
	e->g = e->g0;
	e->sigma0 = e->base_ms = e->base_trial_ms = e->base_p2p_uv = e->base_onset_ms = e->base_cv = NAN;
	e->base_trials = 0;
	e->nprefix = 0;
	e->null_head = e->null_n = 0;
	e->null_sigma = NAN;
}

void lsr_evidence_retake(struct lsr_evidence *e)
{
	e->collecting = true;
	e->collected = 0;
}

void lsr_evidence_end_collection(struct lsr_evidence *e)
{
	if (!e->early)
		return;
	e->early = false;
	e->collecting = false;
	e->collected = 0;
}

void lsr_evidence_keep_last(struct lsr_evidence *e, int trials)
{
	if (trials < e->measured)
		e->measured = trials < 0 ? 0 : trials;
}

/* Trial i of the n held, 0 the oldest. */
static const float *trial_at(const struct lsr_evidence *e, int i)
{
	int slot = (e->head - e->n + i + 2 * LSR_EVIDENCE_RING) % LSR_EVIDENCE_RING;
	return e->ring + (size_t)slot * (size_t)e->g.len;
}

static int slot_of(const struct lsr_evidence *e, int i)
{
	return (e->head - e->n + i + 2 * LSR_EVIDENCE_RING) % LSR_EVIDENCE_RING;
}

/* <x[at…at+n), v> with the window's own mean removed from x (v has zero
 * mean, so the mean does not matter; removing it keeps rounding small). */
static double dot_f(const float *x, const double *v, int n)
{
	double s = 0;
	for (int i = 0; i < n; i++)
		s += (double)x[i] * v[i];
	return s;
}

static double dot_d(const double *x, const double *v, int n)
{
	double s = 0;
	for (int i = 0; i < n; i++)
		s += x[i] * v[i];
	return s;
}

/* Mean square about the window's own line (see unit()), from the sums
 * of one pass: the residual of a least-squares line is orthogonal to the
 * line, so Σr² = Σx² − (Σx)²/n − (Σ(i − c)x)²/Σ(i − c)², with
 * Σ(i − c)² = n(n² − 1)/12.  Windows are band-passed (their mean is
 * near 0), so nothing cancels that matters; the two-pass form was most
 * of the noise windows' cost. */
static double ms_from_sums(double s, double st, double sq, int n)
{
	double tt = n * ((double)n * n - 1) / 12, q = sq - s * s / n - (tt > 0 ? st * st / tt : 0);
	return q > 0 ? q / n : 0;
}

static double ms_f(const float *x, int n)
{
	double s = 0, st = 0, sq = 0, c = (n - 1) / 2.0;
	for (int i = 0; i < n; i++) {
		double v = x[i];
		s += v;
		st += (i - c) * v;
		sq += v * v;
	}
	return ms_from_sums(s, st, sq, n);
}

static double ms_d(const double *x, int n)
{
	double s = 0, st = 0, sq = 0, c = (n - 1) / 2.0;
	for (int i = 0; i < n; i++) {
		s += x[i];
		st += (i - c) * x[i];
		sq += x[i] * x[i];
	}
	return ms_from_sums(s, st, sq, n);
}

/* The peak-to-peak of the signal common to two independent averages,
 * without the noise's bias: where one average peaks is read in the other
 * (values at places chosen by independent noise are unbiased), both ways
 * round.  Noise alone gives about 0; a p2p of the noisy average itself
 * would be several noise RMS above the signal's. */
static double split_p2p(const double *x, const double *y, int n)
{
	int xlo = 0, xhi = 0, ylo = 0, yhi = 0;
	for (int i = 1; i < n; i++) {
		if (x[i] < x[xlo])
			xlo = i;
		if (x[i] > x[xhi])
			xhi = i;
		if (y[i] < y[ylo])
			ylo = i;
		if (y[i] > y[yhi])
			yhi = i;
	}
	return 0.5 * ((y[xhi] - y[xlo]) + (x[yhi] - x[ylo]));
}

/* Which half of a baseline trial i belongs to: the Thue–Morse sequence
 * (the parity of i's set bits), balanced like odd/even but not periodic,
 * so an LSR that comes on every other trial is in both halves. */
static int half_of(int i)
{
	return __builtin_popcount((unsigned)i) & 1;
}

/* Average of trials [from, from + count) of those held, samples [a, b). */
static void average(const struct lsr_evidence *e, int from, int count, int parity, double *out,
                    int a, int b)
{
	for (int i = a; i < b; i++)
		out[i] = 0;
	int used = 0;
	for (int k = from; k < from + count; k++) {
		if (parity >= 0 && half_of(k - from) != parity)
			continue;
		const float *x = trial_at(e, k);
		for (int i = a; i < b; i++)
			out[i] += x[i];
		used++;
	}
	if (used)
		for (int i = a; i < b; i++)
			out[i] /= used;
}

/* Unit-norm copy of x[0…n) into u with its mean and linear trend
 * removed; false when nothing is left.  A template orthogonal to a line
 * does not see what a line is: the slow wander, and the high-pass's
 * answer to what is left of the artifact's offset, that vary from trial
 * to trial but not within an LSR's few milliseconds. */
static bool unit(const double *x, int n, double *u)
{
	double s = 0, st = 0, tt = 0, c = (n - 1) / 2.0;
	for (int i = 0; i < n; i++) {
		s += x[i];
		st += (i - c) * x[i];
		tt += (i - c) * (i - c);
	}
	double m = s / n, slope = tt > 0 ? st / tt : 0, q = 0;
	for (int i = 0; i < n; i++) {
		u[i] = x[i] - m - slope * (i - c);
		q += u[i] * u[i];
	}
	if (!(q > 0))
		return false;
	double r = 1 / sqrt(q);
	for (int i = 0; i < n; i++)
		u[i] *= r;
	return true;
}

/* Robust σ of zero-mean values: 1.4826 × the median absolute value. */
static double robust_sigma(const double *v, int n, double *work)
{
	if (n < 1)
		return NAN;
	for (int i = 0; i < n; i++)
		work[i] = fabs(v[i]);
	double med = lsr_select_inplace(work, n, n / 2);
	if (n % 2 == 0) {
		/* the largest of the lower half, which selection left below */
		double lower = work[0];
		for (int i = 1; i < n / 2; i++)
			if (work[i] > lower)
				lower = work[i];
		med = 0.5 * (med + lower);
	}
	return 1.4826 * med;
}

double lsr_evidence_sigma(const struct lsr_evidence *e)
{
	return e->have ? e->null_sigma : NAN;
}

/* After noise windows were added: their σ, which a decision reads
 * several times (the decision, its ratio's reading, the screen's). */
static void null_changed(struct lsr_evidence *e)
{
	e->null_sigma = robust_sigma(e->null_a, e->null_n, e->work);
}

/* Mean and effective degrees of freedom of the noise windows' mean
 * square: a chi-square scaled to its mean (2 m² / variance). */
static void null_ms_stats(const struct lsr_evidence *e, double *mean, double *dof)
{
	double s = 0, q = 0;
	int n = e->null_n;
	for (int i = 0; i < n; i++)
		s += e->null_ms[i];
	double m = n ? s / n : NAN;
	for (int i = 0; i < n; i++)
		q += (e->null_ms[i] - m) * (e->null_ms[i] - m);
	double var = n > 1 ? q / (n - 1) : NAN;
	*mean = m;
	*dof = var > 0 ? 2 * m * m / var : 1;
	if (*dof < 1)
		*dof = 1;
}

/* The noise windows of one sweep through the template and the faded
 * shapes' filters. */
static void null_from(struct lsr_evidence *e, const float *x)
{
	const int cap = LSR_EVIDENCE_RING * LSR_EVIDENCE_NOISE_WINDOWS;
	for (int w = 0; w < e->g.nnoise; w++) {
		const float *nw = x + e->g.noise0[w];
		int h = e->null_head;
		e->null_a[h] = dot_f(nw, e->v, e->g.lsr_n);
		e->null_ms[h] = ms_f(nw, e->g.lsr_n);
		for (int j = 0; j < e->nprefix; j++)
			e->null_p[j][h] = dot_f(nw, e->prefix[j], e->prefix_n[j]);
		e->null_head = (h + 1) % cap;
		if (e->null_n < cap)
			e->null_n++;
	}
}

void lsr_evidence_push(struct lsr_evidence *e, const float *sweep, double t, double direct_ratio)
{
	float *slot = e->ring + (size_t)e->head * (size_t)e->g.len;
	memcpy(slot, sweep, sizeof *slot * (size_t)e->g.len);
	e->t[e->head] = t;
	e->direct[e->head] = direct_ratio;
	e->head = (e->head + 1) % LSR_EVIDENCE_RING;
	if (e->n < LSR_EVIDENCE_RING)
		e->n++;
	if (e->collecting && e->collected < LSR_EVIDENCE_RING)
		e->collected++;
	if (e->have) {
		null_from(e, sweep);
		null_changed(e);
		if (e->measured < LSR_EVIDENCE_RING)
			e->measured++;
	}
}

static int clamp_int(double x, int lo, int hi)
{
	if (!(x > lo))
		return lo;
	if (x > hi)
		return hi;
	return (int)ceil(x);
}

static double z_detect(void)
{
	return lsr_stats_normal_upper(ALPHA_DETECT / LAGS_SEARCHED);
}

static double p2p_d(const double *x, int n)
{
	double lo = x[0], hi = x[0];
	for (int i = 1; i < n; i++) {
		lo = x[i] < lo ? x[i] : lo;
		hi = x[i] > hi ? x[i] : hi;
	}
	return hi - lo;
}

/* Adds the faded shape b[0…cut) of a baseline average of peak-to-peak pp:
 * its filter is the prefix less its own line (blind to wander, as the
 * template is: unit()), scaled so that the prefix drawn at pp
 * peak-to-peak — the LSR faded to those phases at its baseline size —
 * measures 1. */
static void add_prefix(struct lsr_evidence *e, const double *b, int cut, int n, double pp)
{
	if (cut < 4 || e->nprefix >= LSR_EVIDENCE_PREFIXES)
		return;
	double *q = e->prefix[e->nprefix];
	if (!unit(b, cut, q))
		return;
	/* the prefix's own measure through q: the norm of what is left of
	 * it without its line */
	double along = dot_d(b, q, cut), pp_pre = p2p_d(b, cut);
	if (!(along > 0) || !(pp_pre > 0) || !(pp > 0))
		return;
	/* the faded shape as the template's window holds it, nothing after
	 * its phases, less the window's line: what shape_reading compares
	 * with the template, and how alike the two are */
	double *u = e->prefix_whole[e->nprefix];
	for (int i = 0; i < n; i++)
		u[i] = i < cut ? b[i] : 0;
	if (!unit(u, n, u))
		return;
	e->prefix_rho[e->nprefix] = dot_d(e->v, u, n) / e->v_norm;
	double scale = pp_pre / (pp * along);
	for (int i = 0; i < cut; i++)
		q[i] *= scale;
	e->prefix_n[e->nprefix++] = cut;
}

/* The shapes a baseline average b of n samples, with noise_rms left in
 * each sample, may fade to: an LSR's shape changes as it fades
 * (docs/clinical.md "The patients differ"), and the change guarded against
 * is the loss of its later phases (docs/detector.md "Fading shapes"), so
 * its first phases, from half of them up, each ending where the next
 * phase's run of sign begins.  A phase is a run of one sign that reaches
 * PHASE_FRACTION of the largest excursion and PHASE_NOISE_SD of the
 * average's own noise. */
static void take_prefixes(struct lsr_evidence *e, const double *b, int n, double noise_rms)
{
	e->nprefix = 0;
	double big = 0;
	for (int i = 0; i < n; i++)
		big = fmax(big, fabs(b[i]));
	double thr = fmax(PHASE_FRACTION * big, PHASE_NOISE_SD * noise_rms);
	int cuts[LSR_EVIDENCE_MAX_PHASES], ncut = 0, sign = 0;
	for (int i = 0; i < n && ncut < LSR_EVIDENCE_MAX_PHASES; i++) {
		if (!(fabs(b[i]) >= thr) || !(thr > 0))
			continue;
		int sg = b[i] > 0 ? 1 : -1;
		if (sg == sign)
			continue;
		if (sign != 0) {
			/* a new phase: the earlier ones end where b last took
			 * this sign */
			int cut = i;
			while (cut > 0 && (b[cut - 1] > 0 ? 1 : -1) == sg)
				cut--;
			cuts[ncut++] = cut;
		}
		sign = sg;
	}
	int phases = ncut + 1;
	double pp = p2p_d(b, n);
	for (int kept = (phases + 1) / 2; kept < phases; kept++)
		add_prefix(e, b, cuts[kept - 1], n, pp);
}

/* What the n collected trials from `from` show through the LSR window of
 * gw: the split-half shapes ue and uo (unit, L each, in scratch that lasts
 * until the next reading), the amplitude and its tests. */
struct base_reading {
	bool ok;            /* both halves have a shape */
	double *ue, *uo;
	int ne, no;         /* trials in each half */
	double amp;         /* either half by the other's shape */
	double z;           /* amp against the noise windows' noise */
	double mean, sd;    /* per-trial amplitudes */
	double t;           /* mean against the trials' own spread */
	bool onset;         /* quiet at the window's start */
	double pp_clean;    /* split-half peak-to-peak, noise-bias free */
	double pp_floor;    /* the larger estimate, for lsr_floor_uv */
	double noise_ms;    /* a trial's noise mean square over the window */
	double avg_sd;      /* the noise RMS left in the whole average */
};

static void read_baseline(struct lsr_evidence *e, const struct lsr_evidence_geometry *gw, int from,
                          int n, struct base_reading *r)
{
	int L = gw->lsr_n, a = gw->lsr0, b = gw->lsr0 + L;
	memset(r, 0, sizeof *r);
	/* split-half templates: even and odd trials of the collection */
	average(e, from, n, 0, e->avg_a, a, b);
	average(e, from, n, 1, e->avg_b, a, b);
	r->ue = e->avg_k;
	r->uo = e->avg_w; /* scratch, L each */
	bool ok = unit(e->avg_a + a, L, r->ue) && unit(e->avg_b + a, L, r->uo);
	r->ok = ok;
	for (int k = 0; k < n; k++)
		r->ne += half_of(k) == 0;
	r->no = n - r->ne;
	if (!ok)
		return;
	double a_eo = dot_d(e->avg_a + a, r->uo, L); /* even trials, odd shape */
	double a_oe = dot_d(e->avg_b + a, r->ue, L);
	r->amp = 0.5 * (a_eo + a_oe);
	/* noise of either template, from every trial's noise windows */
	double se2 = 0, so2 = 0, ms_sum = 0;
	int nw = 0;
	for (int k = from; k < e->n; k++) {
		const float *x = trial_at(e, k);
		for (int w = 0; w < gw->nnoise; w++) {
			const float *win = x + gw->noise0[w];
			double de = dot_f(win, r->ue, L), dd = dot_f(win, r->uo, L);
			se2 += de * de;
			so2 += dd * dd;
			ms_sum += ms_f(win, L);
			nw++;
		}
	}
	if (nw > 0) {
		se2 /= nw;
		so2 /= nw;
		double se = 0.5 * sqrt(so2 / r->no + se2 / r->ne);
		r->z = se > 0 ? r->amp / se : 0;
		r->noise_ms = ms_sum / nw;
		r->avg_sd = sqrt(0.5 * (se2 + so2) / n);
	}
	/* per-trial amplitudes, each by the other half's shape */
	double sum = 0, sq = 0;
	for (int k = from; k < e->n; k++) {
		const float *x = trial_at(e, k) + a;
		double ai = half_of(k - from) == 0 ? dot_f(x, r->uo, L) : dot_f(x, r->ue, L);
		sum += ai;
		sq += ai * ai;
	}
	r->mean = sum / n;
	r->sd = n > 1 ? sqrt(fmax(0, (sq - n * r->mean * r->mean) / (n - 1))) : INFINITY;
	/* and against the trials' own spread, which holds whatever the noise
	 * windows do not show of the LSR window's noise */
	r->t = r->sd > 0 && isfinite(r->sd) ? r->mean / (r->sd / sqrt(n)) : 0;
	/* and it is an LSR, not the tail of something that began before the
	 * window (the artifact's last microvolts, a direct response):
	 * quiet at the window's start, larger later (docs/clinical.md "What
	 * makes a trial valid": an onset follows a quiet stretch) */
	int edge = ms_n(gw->rate, EDGE_MS);
	double at_edge = 0, later = 0, lo = INFINITY, hi = -INFINITY;
	for (int i = 0; i < L; i++) {
		double v = (r->ne * e->avg_a[a + i] + r->no * e->avg_b[a + i]) / n;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		if (i < edge && fabs(v) > at_edge)
			at_edge = fabs(v);
		else if (i >= edge && fabs(v) > later)
			later = fabs(v);
	}
	/* (beyond what the average's own noise gives at the edge) */
	r->onset = at_edge - EDGE_NOISE_SD * r->avg_sd < EDGE_FRACTION * later;
	/* and it is at least lsr_floor_uv: below it, what is left of a
	 * millivolt artifact after blanking and the decay fit (a few to ten
	 * microvolts, locked to the stimulus as an LSR is) cannot be told
	 * from one (docs/detector.md, "What an average cannot tell") */
	r->pp_clean = split_p2p(e->avg_a + a, e->avg_b + a, L);
	/* For the floor, the larger of that and the whole average's p2p less
	 * the noise's (in quadrature): where the noise hides where the LSR
	 * peaks, the split estimate falls short, the other one does not. */
	r->pp_floor = r->pp_clean;
	if (nw > 0) {
		double noise_pp = NOISE_P2P_PER_RMS * sqrt(se2 + so2) / sqrt(2.0 * n);
		double whole = hi - lo;
		if (whole > noise_pp && sqrt(whole * whole - noise_pp * noise_pp) > r->pp_floor)
			r->pp_floor = sqrt(whole * whole - noise_pp * noise_pp);
	}
}

/* The LSR window, lengthened where the collection's average shows the LSR
 * running on past its end: an LSR of onset 8–13 ms lasts 4–15 ms
 * (docs/clinical.md "The patients differ"), up to 28 ms, and a window
 * that ends in its middle reads a shape that is not the LSR's: its later
 * phases unseen, the faded shapes (its first phases) miscounted, and the
 * ratio of a faded LSR not its peak-to-peak (docs/detector.md "Long
 * LSRs").  The LSR goes on while its average, beyond the window, keeps
 * reaching a phase's threshold (take_prefixes) with no quiet stretch of
 * EDGE_MS between; the window ends where that stretch begins, at most
 * EXTEND_TO_MS after the stimulus.  False (and gx the configured window)
 * when the LSR ends inside it. */
static bool longer_window(struct lsr_evidence *e, int from, int n, const struct base_reading *r,
                          struct lsr_evidence_geometry *gx)
{
	const struct lsr_evidence_geometry *g0 = &e->g0;
	*gx = *g0;
	int a = g0->lsr0, b = g0->lsr0 + g0->lsr_n, most = g0->lsr0 + longest_window(g0);
	if (most <= b || !r->ok || !(r->avg_sd > 0))
		return false;
	/* the halves beyond the window (what is in it stays) */
	average(e, from, n, 0, e->avg_a, b, most);
	average(e, from, n, 1, e->avg_b, b, most);
	double big = 0;
	for (int i = a; i < b; i++)
		big = fmax(big, fabs((r->ne * e->avg_a[i] + r->no * e->avg_b[i]) / n));
	double thr = fmax(PHASE_FRACTION * big, PHASE_NOISE_SD * r->avg_sd);
	int quiet_n = ms_n(g0->rate, EDGE_MS), quiet = 0, end = b;
	/* the quiet stretch may have begun inside the window */
	for (int i = b - 1; i >= a && quiet < quiet_n; i--, quiet++)
		if (fabs((r->ne * e->avg_a[i] + r->no * e->avg_b[i]) / n) >= thr)
			break;
	for (int i = b; i < most && quiet < quiet_n; i++) {
		if (fabs((r->ne * e->avg_a[i] + r->no * e->avg_b[i]) / n) >= thr) {
			end = i + 1;
			quiet = 0;
		} else {
			quiet++;
		}
	}
	if (end <= b)
		return false;
	gx->lsr_n = end - a;
	if (!place_windows(gx)) {
		*gx = *g0;
		return false;
	}
	return true;
}

/* The baseline from the n collected trials from `from`: the template (the
 * mean of the two halves' unit shapes, scaled so that a baseline trial
 * measures 1), its numbers, the null through it from the baseline's own
 * noise, and the decision windows k and w from its σ. */
static void take_template(struct lsr_evidence *e, const struct lsr_params *p, int from, int n,
                          const struct base_reading *r)
{
	/* the window the LSR needs, and the reading through it */
	struct lsr_evidence_geometry gx;
	struct base_reading rx;
	e->g = e->g0;
	if (longer_window(e, from, n, r, &gx)) {
		read_baseline(e, &gx, from, n, &rx);
		if (!(rx.ok && rx.amp > 0))
			read_baseline(e, &e->g0, from, n, &rx);
		else
			e->g = gx;
		r = &rx;
	}
	const struct lsr_evidence_geometry *g = &e->g;
	int L = g->lsr_n, a = g->lsr0;
	for (int i = 0; i < L; i++)
		e->v[i] = 0.5 * (r->ue[i] + r->uo[i]) / r->amp;
	e->v_norm = sqrt(dot_d(e->v, e->v, L));
	average(e, from, n, -1, e->avg_a, a, a + L);
	take_prefixes(e, e->avg_a + a, L, sqrt(r->noise_ms / n));
	e->base_ms = fmax(ms_d(e->avg_a + a, L) - r->noise_ms / n, 0.05 * ms_d(e->avg_a + a, L));
	e->base_p2p_uv = r->pp_clean;
	e->base_cv = r->mean > 0 ? r->sd / r->mean : INFINITY;
	e->base_trials = n;
	e->lag = 0;
	e->have = true;
	e->measured = 0;
	e->null_head = e->null_n = 0;
	for (int k = from; k < e->n; k++)
		null_from(e, trial_at(e, k));
	null_changed(e);
	double m1, dof, trial_ms = 0;
	null_ms_stats(e, &m1, &dof);
	for (int k = from; k < e->n; k++)
		trial_ms += ms_f(trial_at(e, k) + a, L);
	e->base_trial_ms = trial_ms / n - m1;
	double sigma = lsr_evidence_sigma(e);
	e->sigma0 = sigma;
	int kmax = p->max_trials < LSR_EVIDENCE_MAX_K ? p->max_trials : LSR_EVIDENCE_MAX_K;
	/* k: half the baseline detected with 99% power at the decision's z */
	double zk = (z_detect() + lsr_stats_normal_upper(POWER_HALF)) * sigma / 0.5;
	e->k = clamp_int(zk * zk, 1, kmax);
	/* w: absence below absent_pct seen, when the LSR is gone, with the
	 * same power; at least disappear_trials */
	double zw = (lsr_stats_normal_upper(ALPHA_ABSENT) + lsr_stats_normal_upper(0.05) +
	             LAG_RANGE_BIAS) * sigma / (p->absent_pct / 100.0);
	int wmax = p->disappear_trials > kmax ? p->disappear_trials : kmax;
	e->w = clamp_int(zw * zw, e->k, wmax);
	if (e->w < p->disappear_trials)
		e->w = p->disappear_trials;
}

enum lsr_baseline_verdict lsr_evidence_baseline(struct lsr_evidence *e, const struct lsr_params *p)
{
	int n = e->collected < e->n ? e->collected : e->n;
	int need = p->baseline_trials, most = p->baseline_max;
	if (most > LSR_EVIDENCE_RING)
		most = LSR_EVIDENCE_RING;
	if (need > most)
		need = most;
	if (!e->collecting || n < need || n < 4)
		return LSR_BASE_MORE;
	int from = e->n - n;
	/* judged through the configured window: whether there is an LSR,
	 * and how precisely it is known */
	struct base_reading r;
	read_baseline(e, &e->g0, from, n, &r);
	bool lsr = r.ok && r.amp > 0 && r.onset && r.pp_floor >= p->lsr_floor_uv;
	bool detected = lsr && r.z > lsr_stats_normal_upper(ALPHA_BASELINE) &&
	                r.t > lsr_stats_t_upper(ALPHA_BASELINE_T, n - 1);
	double half = lsr_stats_t_upper(ALPHA_PRECISION / 2, n - 1) * r.sd / sqrt(n);
	bool precise = detected && half <= p->baseline_precision_pct / 100.0 * r.amp;
	if (!precise && n < most) {
		/* not precise yet, but an LSR beyond doubt in the first
		 * baseline_trials: judging starts from it, provisional, while
		 * the collection goes on (docs/interface.md "Baseline") */
		bool beyond_doubt = lsr && r.z > Z_EARLY && r.t > lsr_stats_t_upper(ALPHA_EARLY_T, n - 1);
		if (!e->have && n == need && beyond_doubt) {
			take_template(e, p, from, n, &r);
			e->early = true;
			return LSR_BASE_EARLY;
		}
		return LSR_BASE_MORE;
	}
	e->collecting = false;
	e->collected = 0;
	if (!detected && e->early) {
		/* the collection no longer shows what its start did: the
		 * early baseline stays */
		e->early = false;
		return LSR_BASE_LSR;
	}
	e->early = false;
	if (!detected)
		return LSR_BASE_NONE;
	take_template(e, p, from, n, &r);
	lsr_evidence_clear(e);
	return LSR_BASE_LSR;
}

/* The best lag of avg within lo…hi (clamped to the range a latency may
 * drift) and its amplitude through the filter v of n samples (the
 * template, or a faded shape's). */
static double best_lag_in(const struct lsr_evidence *e, const double *avg, const double *v, int n,
                          int lo, int hi, int *lag)
{
	const struct lsr_evidence_geometry *g = &e->g;
	if (lo < g->lag_min)
		lo = g->lag_min;
	if (hi > g->lag_max)
		hi = g->lag_max;
	double best = -INFINITY;
	*lag = e->lag;
	/* Four lags' products at once, each summed in its own order as
	 * dot_d would: one lag at a time, the chain of additions was the
	 * cost. */
	int st = g->lag_step, l = lo;
	for (; l + 3 * st <= hi; l += 4 * st) {
		const double *x0 = avg + g->lsr0 + l, *x1 = x0 + st, *x2 = x1 + st, *x3 = x2 + st;
		double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
		for (int i = 0; i < n; i++) {
			c0 += x0[i] * v[i];
			c1 += x1[i] * v[i];
			c2 += x2[i] * v[i];
			c3 += x3[i] * v[i];
		}
		const double c[4] = { c0, c1, c2, c3 };
		for (int q = 0; q < 4; q++)
			if (c[q] > best) {
				best = c[q];
				*lag = l + q * st;
			}
	}
	for (; l <= hi; l += st) {
		double c = dot_d(avg + g->lsr0 + l, v, n);
		if (c > best) {
			best = c;
			*lag = l;
		}
	}
	return best;
}

/* Searched around the tracked lag. */
static double best_lag(const struct lsr_evidence *e, const double *avg, int *lag)
{
	return best_lag_in(e, avg, e->v, e->g.lsr_n, e->lag - e->g.track, e->lag + e->g.track, lag);
}

/* The ratio as the clinical amplitude, a peak-to-peak over the
 * baseline's (docs/clinical.md "reduced"): the template's reading r (of
 * standard error se) is that only while the LSR keeps its baseline shape.
 * Faded to its first phases, it reads what those share with the whole,
 * above or below their peak-to-peak (for a two-phase LSR that fades to
 * its first, 0.52 at 0.40: never "reduced").  So the long window's
 * average at lag is read through the faded shape that explains more of
 * it than the template does, by Z_SHAPE standard deviations of that
 * difference: the difference of the two explained energies, (x·u_f)² −
 * (x·u_t)² for unit shapes u, whose noise about its mean is that of
 * 2·|x·u|·(n_f − ρ n_t) for shapes of correlation ρ — so that an LSR of
 * the baseline's shape is read through the template (docs/detector.md
 * "Faded shapes read as peak-to-peak").  The faded filters are scaled to
 * read peak-to-peak (add_prefix); raise is the trials' spread over the
 * noise windows' σ, as for the template. */
static void shape_reading(struct lsr_evidence *e, int lag, int m, double r, double raise,
                          double *ratio, double *ratio_se)
{
	const struct lsr_evidence_geometry *g = &e->g;
	if (e->nprefix < 1 || !(e->v_norm > 0))
		return;
	/* both unit shapes span the same window: the template's noise σ
	 * stands for either's */
	double xt = r / e->v_norm, tau = lsr_evidence_sigma(e) * raise / (e->v_norm * sqrt(m));
	double best = 0;
	for (int j = 0; j < e->nprefix; j++) {
		int lag_j;
		double xj = best_lag_in(e, e->avg_w, e->prefix_whole[j], g->lsr_n, lag - g->track,
		                        lag + g->track, &lag_j);
		double rho = e->prefix_rho[j];
		double spread = 2 * fmax(fabs(xt), fabs(xj)) * tau * sqrt(fmax(1 - rho * rho, 0));
		double gain = xj * xj - xt * xt;
		if (!(xj > 0 && gain > Z_SHAPE * spread && gain > best))
			continue;
		best = gain;
		*ratio = dot_d(e->avg_w + g->lsr0 + lag_j, e->prefix[j], e->prefix_n[j]);
		*ratio_se = robust_sigma(e->null_p[j], e->null_n, e->work) * raise / sqrt(m);
	}
}

/* Whether the latest m trials' own energy in the LSR window (at the
 * tracked latency), their mean, is above the noise windows': by
 * Z_TRIAL_ENERGY standard errors (the noise windows' mean square is a
 * scaled χ² of their effective degrees of freedom), by TRIAL_EXCESS of
 * the noise's own (a window near the stimulus may be a little noisier
 * than the sweep's end) and by TRIAL_FRACTION of the baseline trials'
 * excess (what is locked to the stimulus after a cure, the artifact's
 * last microvolts, is far below it for an LSR large enough to need this
 * test). */
static bool trial_energy(const struct lsr_evidence *e, int m)
{
	const struct lsr_evidence_geometry *g = &e->g;
	if (!(e->base_trial_ms > 0))
		return false;
	double mt = 0, m1, dof;
	for (int i = e->n - m; i < e->n; i++)
		mt += ms_f(trial_at(e, i) + g->lsr0 + e->lag, g->lsr_n);
	mt /= m;
	null_ms_stats(e, &m1, &dof);
	double excess = mt - m1;
	return excess > Z_TRIAL_ENERGY * m1 * sqrt(2 / dof) / sqrt(m) && excess >= TRIAL_EXCESS * m1 &&
	       excess >= TRIAL_FRACTION * e->base_trial_ms;
}

/* The decision; with track, the tracked latency follows it. */
static void decide(struct lsr_evidence *e, const struct lsr_params *p, double recent_from,
                   bool track, struct lsr_decision *d)
{
	const struct lsr_evidence_geometry *g = &e->g;
	memset(d, 0, sizeof *d);
	d->ratio = d->lo95 = d->hi95 = d->hi99 = d->trial_ratio = d->direct_ratio = NAN;
	/* only trials the template was not built on, and since the judge
	 * last restarted the window (a return) */
	int n = e->measured < e->n ? e->measured : e->n;
	if (!e->have || n < 1 || e->k < 1)
		return;
	/* fewer trials than the windows hold (just after a baseline or an
	 * interruption): a decision over what there is, with its own,
	 * wider, bounds */
	int m = n < e->w ? n : e->w, k = n < e->k ? n : e->k;
	d->full = n >= e->k;
	d->whole = n >= e->w;
	double sigma = lsr_evidence_sigma(e);
	if (!(sigma > 0))
		return;
	d->made = true;
	d->trials = m;
	d->first_t = e->t[slot_of(e, e->n - m)];
	int a = g->lsr0 + g->lag_min - g->track, b = g->lsr0 + g->lsr_n + g->lag_max + g->track;
	average(e, e->n - k, k, -1, e->avg_k, a, b);
	/* the long window's average only where the decision reads it (the
	 * latency range with the LSR window); lsr_evidence_show fills the
	 * whole sweep for a screen */
	average(e, e->n - m, m, -1, e->avg_w, a, b);
	e->shown_trials = m;

	int lag_k, lag_w;
	double ck = best_lag(e, e->avg_k, &lag_k), cw = best_lag(e, e->avg_w, &lag_w);

	/* the amplitude over the trials at the long window's lag, and how
	 * much it varies from trial to trial */
	double sum = 0, dsum = 0, prev = NAN;
	int dn = 0, nd = 0;
	/* the trials' amplitudes, for the median below (and its spread's
	 * selection after them); past the room the successive differences
	 * and their selection take */
	_Static_assert(LSR_EVIDENCE_NOISE_WINDOWS >= 4, "work holds four rows of trials");
	double *amp = e->work + 2 * LSR_EVIDENCE_RING;
	for (int i = e->n - m; i < e->n; i++) {
		double ai = dot_f(trial_at(e, i) + g->lsr0 + lag_w, e->v, g->lsr_n);
		sum += ai;
		amp[i - (e->n - m)] = ai;
		if (!isnan(prev))
			e->work[nd++] = ai - prev;
		prev = ai;
		double dr = e->direct[slot_of(e, i)];
		if (!isnan(dr)) {
			dsum += dr;
			dn++;
		}
		if (i == e->n - 1)
			d->trial_ratio = ai;
	}
	double r = sum / m;
	/* The noise the tests must beat: the noise windows', or the trials'
	 * own spread where it is larger (noise near the stimulus the ends of
	 * the sweep do not have; with an LSR, its own variation, which only
	 * makes a detection harder).  The spread from trial to trial, robust
	 * (the median successive difference): an LSR returning or fading
	 * within the window changes the level, not the differences. */
	double sd = nd >= MIN_SPREAD_TRIALS - 1
	                    ? robust_sigma(e->work, nd, e->work + nd) / sqrt(2)
	                    : sigma;
	double s_eff = sd > sigma ? sd : sigma;

	double zd = z_detect();
	double zr = lsr_stats_normal_upper(ALPHA_RETURN / LAGS_SEARCHED);
	bool det_k = ck > zd * s_eff / sqrt(k) && ck >= RESIDUE_RATIO;
	bool det_w = cw > zd * s_eff / sqrt(m) && cw >= RESIDUE_RATIO;
	/* Strong over the short window, or over the long one by its (lower)
	 * median trial.  A returned LSR that varies much from trial to trial
	 * (CV 0.4, dropouts) inflates s_eff, the successive differences most
	 * of all when dropouts alternate with full trials, and single sweeps
	 * (k = 1) then never reach zr even with the LSR back at full size: a
	 * "disappeared" shown on for 12 valid trials after its return.  The
	 * median of m trials, tested against its own standard error (π/2 the
	 * mean's variance) from the trials' spread about it (robust: the
	 * dropouts do not set it) and never below the noise windows' σ, is
	 * held up by no single noisy trial, which the long window's mean
	 * would be for m decisions.  It is for a large LSR, at least
	 * reduced_pct of its baseline: the windows of consecutive decisions
	 * overlap, so a median once past zr stays there for the run a
	 * return needs, and a small locked residue in a noisy patient
	 * (SNR < 4, a long window) became a false return after a cure in
	 * make evaluate; a small return comes through the short window. */
	bool strong_median = false;
	if (m >= MIN_SPREAD_TRIALS) {
		double med = lsr_select_inplace(amp, m, (m - 1) / 2);
		for (int i = 0; i < m; i++)
			amp[i] -= med;
		double spread = robust_sigma(amp, m, amp + m);
		if (!(spread > sigma))
			spread = sigma;
		strong_median = med > zr * MEDIAN_SE_FACTOR * spread / sqrt(m) &&
		                med >= p->reduced_pct / 100.0;
	}
	d->strong = ck > zr * s_eff / sqrt(k) || strong_median;
	/* the same over the recent trials (the long window, and the short
	 * one for a small LSR, are longer: older trials would hold a
	 * detection up): those at or after recent_from, at most
	 * disappear_trials */
	int r_n = 0;
	for (int i = e->n - 1; i >= e->n - m && r_n < p->disappear_trials; i--, r_n++)
		if (!(e->t[slot_of(e, i)] >= recent_from))
			break;
	if (r_n < 1)
		r_n = 1;
	if (m <= r_n) {
		d->recent = true; /* every trial of the decision is recent */
	} else if (r_n == k) {
		d->recent = det_k;
	} else {
		int lag_r;
		average(e, e->n - r_n, r_n, -1, e->avg_k, a, b); /* avg_k is done with */
		double cr = best_lag(e, e->avg_k, &lag_r);
		d->recent = cr > zd * s_eff / sqrt(r_n) && cr >= RESIDUE_RATIO;
	}

	/* shape-free: the average's energy in the LSR window against the
	 * noise windows' */
	double m1, dof;
	null_ms_stats(e, &m1, &dof);
	double msw = ms_d(e->avg_w + g->lsr0 + e->lag, g->lsr_n);
	double excess = msw - m1 / m;
	double shape_frac = p->shape_pct / 100.0;
	bool shape = msw > m1 / m * lsr_stats_chi2_mean_upper(ALPHA_DETECT, dof) &&
	             excess >= shape_frac * shape_frac * e->base_ms;
	d->detected = det_k || det_w || shape;

	double se = s_eff / sqrt(m);
	double t95 = m > 1 ? lsr_stats_t_upper(0.05, m - 1) : lsr_stats_normal_upper(0.05);
	double ratio = r, ratio_se = se;
	shape_reading(e, lag_w, m, r, s_eff / sigma, &ratio, &ratio_se);
	d->ratio = ratio;
	d->lo95 = ratio - t95 * ratio_se;
	d->hi95 = ratio + t95 * ratio_se;
	/* The bound at the latency most favourable to the LSR over the whole
	 * range it may have drifted to: an LSR 1.5 ms later than the tracked
	 * one, too small to track, is not called absent because the matched
	 * filter looks in the wrong place (docs/clinical.md, the traps). */
	int lag_all;
	double r_all = best_lag_in(e, e->avg_w, e->v, g->lsr_n, g->lag_min, g->lag_max, &lag_all);
	if (!(r_all > r))
		r_all = r;
	d->hi99 = r_all + lsr_stats_normal_upper(ALPHA_ABSENT) * se;
	/* absence rests on a whole long window (docs/clinical.md
	 * "disappeared": the evidence of the last disappear_trials) */
	double below = p->absent_pct / 100.0;
	d->absent = !d->detected && m >= e->w && d->hi99 < below;
	/* and holds for each shape the LSR may have faded to, read as its
	 * peak-to-peak (docs/clinical.md, the traps: a fixed shape misses an
	 * LSR whose shape changes as it fades).  Their bounds are needed only
	 * where the template's would call absence.  A faded LSR is where the
	 * tracked latency last saw it: searched ±track around it, not over
	 * the whole drift range, whose largest-of-many noise would hold up a
	 * cure's call (docs/detector.md "Fading shapes"); each filter's noise
	 * is its own, raised as the template's is by the trials' spread. */
	for (int j = 0; d->absent && j < e->nprefix; j++) {
		double sj = robust_sigma(e->null_p[j], e->null_n, e->work) * (s_eff / sigma);
		int lag_j;
		double rj = best_lag_in(e, e->avg_w, e->prefix[j], e->prefix_n[j], e->lag - g->track,
		                        e->lag + g->track, &lag_j);
		if (lag_all < e->lag - g->track || lag_all > e->lag + g->track)
			rj = fmax(rj, best_lag_in(e, e->avg_w, e->prefix[j], e->prefix_n[j],
			                          lag_all - g->track, lag_all + g->track, &lag_j));
		double hj = rj + lsr_stats_normal_upper(ALPHA_ABSENT) * sj / sqrt(m);
		if (hj > d->hi99)
			d->hi99 = hj;
		d->absent = d->hi99 < below;
	}
	/* and no response's energy in the trials themselves: with latency
	 * jitter of 0.5 ms the averages smear an LSR of short phases, and the
	 * more a faded one whose phases are the shortest (docs/detector.md
	 * "Jitter"); the mean of the single trials' energies is not smeared */
	if (d->absent && trial_energy(e, m))
		d->absent = false;
	d->direct_ratio = dn ? dsum / dn : NAN;

	/* follow a drifting latency while the LSR is clearly there: in the
	 * short window, or (a small LSR) anywhere in the range over the long
	 * one */
	if (!track)
		return;
	if (ck > Z_TRACK * s_eff / sqrt(k))
		e->lag = lag_k;
	else if (r_all > Z_TRACK * se)
		e->lag = lag_all;
}

void lsr_evidence_show(struct lsr_evidence *e)
{
	int m = e->shown_trials;
	if (m < 1 || m > e->n)
		return;
	/* the same sums as the decision's over its part of the sweep */
	average(e, e->n - m, m, -1, e->avg_w, 0, e->g.len);
	for (int i = 0; i < e->g.len; i++)
		e->shown[i] = (float)e->avg_w[i];
}

void lsr_evidence_decide(struct lsr_evidence *e, const struct lsr_params *p, double recent_from,
                         struct lsr_decision *d)
{
	decide(e, p, recent_from, true, d);
}

void lsr_evidence_recheck(struct lsr_evidence *e, const struct lsr_params *p, double recent_from,
                          struct lsr_decision *d)
{
	decide(e, p, recent_from, false, d);
}
