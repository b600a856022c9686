/* tests/unit/test_evidence.c — one channel's evidence with an LSR that
 * changes shape as it fades (docs/clinical.md "The patients differ" and
 * the traps of "How presence is judged"; docs/detector.md "Fading
 * shapes", "Long LSRs"):
 * - a four-phase LSR whose last phases are its largest keeps its first
 *   two phases at a third of its baseline peak-to-peak.  Through the
 *   whole baseline shape that reads about 2 %, and its energy is a
 *   fortieth of the baseline's: neither the template nor the shape-free
 *   energy test sees it, and without the faded shapes' bounds absence
 *   would be called.  The LSR truly gone is still called absent within
 *   the long window;
 * - a long LSR, running past the configured window's end, is measured
 *   whole: faded to its first phase, it reads reduced;
 * - a large jittered LSR of short phases, faded, is seen in the single
 *   trials' energy where the averages smear it: never absent. */
#include <check.h>
#include <math.h>
#include <stdint.h>

#include "evidence.h"
#include "params.h"

#define RATE 20000

/* An LSR: its onset and (duration ms, peak) of each phase. */
struct shape {
	double onset_ms;
	int phases;
	double ms[5], peak[5];
};

/* Two short small phases, then the two that carry most of the energy. */
static const struct shape four = { 8.5, 4, { 0.5, 0.5, 1.5, 2.0 }, { -0.20, 0.25, -0.6, 1.0 } };
/* Five short phases (make evaluate's partial patient 7978900099). */
static const struct shape five = { 12.8, 5, { 0.80, 0.52, 0.62, 1.17, 1.04 },
                                   { 0.59, -0.81, 0.39, -0.53, 0.74 } };
/* 6.8 + 8.1 ms from 10.9 ms: ends at 25.8 ms, past the window's 20 (make
 * evaluate's partial patient 7978900165). */
static const struct shape two_long = { 10.9, 2, { 6.8, 8.1 }, { -0.58, 0.96 } };

struct ch {
	struct lsr_params p;
	struct lsr_evidence e;
	const struct shape *sh;
	double lsr_uv, noise_uv, jitter_ms;
	float x[RATE / 10 + RATE / 100 + 1];
};

static uint64_t rng = 0x9e3779b97f4a7c15u;

static double gauss(void)
{
	double u[2];
	for (int i = 0; i < 2; i++) {
		rng ^= rng >> 12;
		rng ^= rng << 25;
		rng ^= rng >> 27;
		u[i] = ((rng * 2685821657736338717u) >> 11) * (1.0 / 9007199254740992.0);
	}
	return sqrt(-2 * log(u[0] + 1e-300)) * cos(2 * M_PI * u[1]);
}

/* The first `kept` phases of sh, drawn at p2p µV peak-to-peak from its
 * onset plus shift_ms, added to x (stimulus at pre). */
static void add_lsr(float *x, int pre, const struct shape *sh, int kept, double p2p,
                    double shift_ms)
{
	double lo = 0, hi = 0;
	for (int k = 0; k < kept; k++) {
		lo = fmin(lo, sh->peak[k]);
		hi = fmax(hi, sh->peak[k]);
	}
	int i = pre + (int)lround((sh->onset_ms + shift_ms) * RATE / 1000.0);
	for (int k = 0; k < kept; k++) {
		int n = (int)lround(sh->ms[k] * RATE / 1000.0);
		for (int s = 0; s < n; s++, i++)
			x[i] += (float)(p2p / (hi - lo) * sh->peak[k] * sin(M_PI * s / n));
	}
}

/* Noise of noise_uv RMS, smoothed to about 1 kHz as the 20–1000 Hz
 * background is (neighbouring samples are not independent), and the
 * channel's LSR. */
static void sweep(struct ch *c, int kept, double p2p, double shift_ms)
{
	const struct lsr_evidence_geometry *g = &c->e.g;
	double y = 0, a = exp(-2 * M_PI * 1000.0 / RATE);
	double gain = sqrt((1 + a) / (1 - a));
	for (int i = 0; i < g->len; i++) {
		y = a * y + (1 - a) * gauss();
		c->x[i] = (float)(c->noise_uv * gain * y);
	}
	if (kept > 0)
		add_lsr(c->x, g->pre, c->sh, kept, p2p, shift_ms + c->jitter_ms * gauss());
}

static void ch_baseline_jittered(struct ch *c, const struct shape *sh, double lsr_uv,
                                 double noise_uv, double jitter_ms)
{
	lsr_params_defaults(&c->p);
	c->sh = sh;
	c->lsr_uv = lsr_uv;
	c->noise_uv = noise_uv;
	c->jitter_ms = jitter_ms;
	struct lsr_evidence_geometry g;
	ck_assert(lsr_evidence_geometry(&g, &c->p, RATE));
	ck_assert_int_le(g.len, (int)(sizeof c->x / sizeof c->x[0]));
	ck_assert_int_eq(lsr_evidence_init(&c->e, &g), 0);
	enum lsr_baseline_verdict v = LSR_BASE_MORE;
	for (int t = 0; t < c->p.baseline_max && v != LSR_BASE_LSR; t++) {
		sweep(c, sh->phases, lsr_uv, 0);
		lsr_evidence_push(&c->e, c->x, t, NAN);
		v = lsr_evidence_baseline(&c->e, &c->p);
	}
	ck_assert_int_eq(v, LSR_BASE_LSR);
}

static void ch_baseline(struct ch *c, const struct shape *sh, double lsr_uv, double noise_uv)
{
	ch_baseline_jittered(c, sh, lsr_uv, noise_uv, 0);
}

/* Decisions over `trials` sweeps of the first `kept` phases at `frac` of
 * the baseline's peak-to-peak, shift_ms late: how many were absent (and,
 * in *reduced, how many were below half the baseline with 95%
 * confidence), and the last decision. */
static int ch_decide(struct ch *c, int trials, int kept, double frac, double shift_ms,
                     int *reduced, struct lsr_decision *last)
{
	int absent = 0;
	for (int t = 0; t < trials; t++) {
		sweep(c, kept, frac * c->lsr_uv, shift_ms);
		lsr_evidence_push(&c->e, c->x, 100 + t, NAN);
		lsr_evidence_decide(&c->e, &c->p, -INFINITY, last);
		absent += last->absent;
		if (reduced)
			*reduced += last->detected && last->hi95 < c->p.reduced_pct / 100.0;
	}
	return absent;
}

/* The faded LSR at 32 % of its baseline peak-to-peak (the truth's "seen",
 * tests/eval/score.py SEEN, is 30 %): never absent; the whole shape alone
 * reads it far below a quarter. */
START_TEST(faded_shape_is_never_absent)
{
	struct ch c;
	ch_baseline(&c, &four, 100, 8);
	struct lsr_decision d;
	ck_assert_int_eq(ch_decide(&c, 60, 2, 0.32, 0, NULL, &d), 0);
	ck_assert_int_eq(c.e.nprefix, 2); /* four phases: the first two, three */
	ck_assert(d.made && d.whole);
	ck_assert_double_lt(d.ratio, 0.2);
	ck_assert_double_ge(d.hi99, 0.25);
	lsr_evidence_free(&c.e);
}
END_TEST

/* Gone: absent on the first whole long window, or soon after. */
START_TEST(lsr_gone_is_absent_within_the_long_window)
{
	struct ch c;
	ch_baseline(&c, &four, 100, 8);
	struct lsr_decision d;
	int w = c.e.w, n = 0;
	while (n < w + 3) {
		n++;
		if (ch_decide(&c, 1, 0, 0, 0, NULL, &d))
			break;
	}
	ck_assert_msg(d.absent, "not absent after %d trials (long window %d)", n, w);
	ck_assert_int_le(n, w + 3);
	lsr_evidence_free(&c.e);
}
END_TEST

/* The long LSR's window takes in all of it (it ends at 25.8 ms); a short
 * LSR's stays the configured 6–20 ms. */
START_TEST(long_lsr_lengthens_the_window)
{
	struct ch c;
	ch_baseline(&c, &two_long, 100, 8);
	int end = c.e.g.pre + (int)lround(25.8 * RATE / 1000.0);
	/* (its last half millisecond is below a phase's threshold) */
	ck_assert_int_ge(c.e.g.lsr0 + c.e.g.lsr_n, end - (int)lround(1.0 * RATE / 1000.0));
	ck_assert_int_le(c.e.g.lsr0 + c.e.g.lsr_n, c.e.g.pre + (int)lround(28.0 * RATE / 1000.0));
	ck_assert_int_eq(c.e.nprefix, 1);
	lsr_evidence_free(&c.e);
	ch_baseline(&c, &four, 100, 8);
	ck_assert_int_eq(c.e.g.lsr_n, c.e.g0.lsr_n);
	lsr_evidence_free(&c.e);
}
END_TEST

/* Faded to its first phase at 40% of its baseline peak-to-peak: through
 * 6–20 ms (its first phase and the rise of its second) that phase is most
 * of the template and reads far above 0.4; through the whole lengthened
 * template it reads 0.52, never reduced; read through its own faded shape
 * it is reduced, and never absent. */
START_TEST(faded_long_lsr_is_reduced)
{
	struct ch c;
	ch_baseline(&c, &two_long, 100, 8);
	struct lsr_decision d;
	int reduced = 0;
	ck_assert_int_eq(ch_decide(&c, 40, 1, 0.40, 0, &reduced, &d), 0);
	ck_assert_msg(reduced >= 30, "%d of 40 decisions reduced (ratio %g, 95%% bound %g)", reduced,
	              d.ratio, d.hi95);
	lsr_evidence_free(&c.e);
}
END_TEST

/* A large LSR of five short phases with a latency jitter of 0.45 ms,
 * faded to its first three at 32%: the averages smear it (the faded one
 * the more, its phases the shortest) so that neither the template, nor
 * its faded shapes, nor the average's energy sees it at its size; the
 * single trials' energy does, and it is never absent. */
START_TEST(jittered_faded_lsr_is_never_absent)
{
	struct ch c;
	ch_baseline_jittered(&c, &five, 470, 6, 0.45);
	struct lsr_decision d;
	ck_assert_int_eq(ch_decide(&c, 120, 3, 0.32, 0, NULL, &d), 0);
	lsr_evidence_free(&c.e);
}
END_TEST

Suite *suite_evidence(void)
{
	Suite *s = suite_create("evidence");
	TCase *tc = tcase_create("fading");
	tcase_add_test(tc, faded_shape_is_never_absent);
	tcase_add_test(tc, lsr_gone_is_absent_within_the_long_window);
	tcase_add_test(tc, long_lsr_lengthens_the_window);
	tcase_add_test(tc, faded_long_lsr_is_reduced);
	tcase_add_test(tc, jittered_faded_lsr_is_never_absent);
	suite_add_tcase(s, tc);
	return s;
}
