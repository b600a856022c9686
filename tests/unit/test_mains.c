/* tests/unit/test_mains.c — automatic mains removal (src/signal/mains.h) judged
 * against the same stream without hum: the test's own generator (synth.h)
 * makes the noise, the responses and the after-discharges from one seed,
 * so a stream with hum and one without differ by the hum alone. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signal_path.h"
#include "synth.h"
#include "trial_rec.h"

#define SKIP 8 /* trials before the fit has settled (50/60 decided, frequency found) */


/* One patient's stream: which mains, how much of it. */
struct hum {
	double uv, hz, h2, h3, drift;
};

struct run {
	struct trial_rec r;
	struct lsr_signal_report rep;
};

/* secs of stream at `rate`, 3 channels: artifacts of both polarities,
 * an LSR on 0 and 1 (amp 0: none), an after-discharge train on 0 (amp 0:
 * none), a direct response on 2; synced. */
static void run_one(struct run *out, int rate, int mains, const struct hum *h, double lsr_uv,
                    double ad_uv, int secs, uint64_t seed)
{
	struct lsr_params p;
	lsr_params_defaults(&p);
	p.mains = mains;
	memset(out, 0, sizeof *out);
	p.report = &out->rep;
	struct syn *g = calloc(1, sizeof *g);
	ck_assert_ptr_nonnull(g);
	syn_init(g, rate, 3, seed);
	g->sync = true;
	g->period = rate * 93 / 100; /* not locked to either mains */
	const double art[3] = { 3000, -800, 5000 };
	for (int c = 0; c < 3; c++) {
		g->noise_uv[c] = 4;
		g->art_uv[c] = art[c];
		g->tail_uv[c] = art[c] / 20;
		g->tail_tau_ms[c] = 1;
	}
	if (lsr_uv > 0) {
		g->resp[0] = (struct syn_resp){ lsr_uv, 9.5, 250, 7 };
		g->resp[1] = (struct syn_resp){ lsr_uv * 0.7, 10.5, 200, 8 };
	}
	g->resp[2] = (struct syn_resp){ 1000, 3.5, 400, 4 };
	if (ad_uv > 0)
		g->ad[0] = (struct syn_resp){ ad_uv, 25, 300, 30 };
	if (h) {
		g->hum_uv = h->uv;
		g->hum_hz = h->hz;
		g->hum_h2 = h->h2;
		g->hum_h3 = h->h3;
		g->hum_drift_hz = h->drift;
		g->hum_drift_s = 20;
	}
	struct lsr_stream_config c;
	memset(&c, 0, sizeof c);
	c.rate = rate;
	c.channels = 3;
	char err[200];
	struct lsr_signal *s = lsr_signal_new(&p, &c, trial_rec_keep, &out->r, err, sizeof err);
	ck_assert_msg(s != NULL, "%s", err);
	struct lsr_block b;
	while (g->next_index < (int64_t)secs * rate) {
		syn_block(g, SYN_BLOCK, &b);
		lsr_signal_feed(s, (int64_t)b.index, &b);
	}
	lsr_signal_free(s);
	free(g);
	ck_assert_int_ge(out->r.n, SKIP + 10);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median over the settled trials of one channel's LSR-window p2p. */
static double median_lsr_p2p(const struct trial_rec *r, int ch)
{
	double v[TRIAL_REC_MAX];
	int n = 0;
	for (int i = SKIP; i < r->n && i < TRIAL_REC_MAX; i++)
		v[n++] = r->tr[i].ch[ch].lsr.p2p_uv;
	qsort(v, (size_t)n, sizeof v[0], cmp);
	return v[n / 2];
}

static const struct hum hums[] = {
	{ 80, 50, 0.3, 0.3, 0.1 },
	{ 80, 60, 0.3, 0.3, 0.1 },
	{ 40, 60, 0.1, 0.3, 0.05 },
	{ 20, 50, 0.3, 0.0, 0.0 },
};
static const int rates[] = { 5000, 10000, 20000, 40000 };

/* Noise only: with mains=auto the noise-only p2p over the LSR window is
 * within 10% (or 2 µV) of the same stream without hum, on every channel;
 * without removal it is far above (the test can fail). */
START_TEST(hum_removed_to_the_hum_free_noise)
{
	const struct hum *h = &hums[_i % 4];
	int rate = rates[_i % 4];
	struct run *clean = malloc(sizeof *clean), *with = malloc(sizeof *with),
	           *off = malloc(sizeof *off);
	run_one(clean, rate, LSR_MAINS_AUTO, NULL, 0, 0, 30, 7 + (uint64_t)_i);
	run_one(with, rate, LSR_MAINS_AUTO, h, 0, 0, 30, 7 + (uint64_t)_i);
	run_one(off, rate, LSR_MAINS_OFF, h, 0, 0, 30, 7 + (uint64_t)_i);
	for (int c = 0; c < 3; c++) {
		double a, b, o, tol;
		if (c == 2) /* the direct response reaches into the LSR window */
			goto level;
		a = median_lsr_p2p(&clean->r, c);
		b = median_lsr_p2p(&with->r, c);
		o = median_lsr_p2p(&off->r, c);
		tol = fmax(0.1 * a, 2.0);
		ck_assert_msg(fabs(b - a) <= tol, "%g Hz %g µV at %d Hz, ch %d: noise p2p %.1f µV with hum removed, %.1f without hum",
		              h->hz, h->uv, rate, c, b, a);
		ck_assert_msg(o > a + 2 * tol, "ch %d: hum not removed gives %.1f vs %.1f (the test cannot fail)", c, o, a);
level:;
		/* The hum level reported: the fundamental and harmonics, RMS. */
		double rms = h->uv * sqrt((1 + h->h2 * h->h2 + h->h3 * h->h3) / 2);
		ck_assert_msg(fabs(with->rep.hum_uv[c] - rms) <= 0.1 * rms + 1, "ch %d: hum %.1f µV RMS reported, %.1f true",
		              c, with->rep.hum_uv[c], rms);
	}
	ck_assert_msg(fabs(with->rep.mains_hz - h->hz) <= 0.15, "mains %g Hz found, %g true", with->rep.mains_hz, h->hz);
	ck_assert_msg(clean->rep.hum_uv[0] < 1.5, "hum-free: %.2f µV reported", clean->rep.hum_uv[0]);
	free(clean);
	free(with);
	free(off);
}
END_TEST

/* A hum-free stream: LSR amplitudes and onsets with mains=auto are those
 * of mains=off within 5% and 0.1 ms, trial by trial. */
START_TEST(hum_free_responses_unchanged)
{
	int rate = rates[_i % 4];
	struct run *a = malloc(sizeof *a), *o = malloc(sizeof *o);
	run_one(a, rate, LSR_MAINS_AUTO, NULL, 60, 0, 30, 31 + (uint64_t)_i);
	run_one(o, rate, LSR_MAINS_OFF, NULL, 60, 0, 30, 31 + (uint64_t)_i);
	ck_assert_int_eq(a->r.n, o->r.n);
	for (int i = SKIP; i < a->r.n && i < TRIAL_REC_MAX; i++)
		for (int c = 0; c < 2; c++) {
			const struct lsr_window_measure *x = &a->r.tr[i].ch[c].lsr, *y = &o->r.tr[i].ch[c].lsr;
			ck_assert_msg(fabs(x->p2p_uv - y->p2p_uv) < 0.05 * y->p2p_uv, "trial %d ch %d: p2p %.2f vs %.2f",
			              i, c, x->p2p_uv, y->p2p_uv);
			if (!isnan(y->onset_ms))
				ck_assert_msg(fabs(x->onset_ms - y->onset_ms) < 0.1, "trial %d ch %d: onset %.3f vs %.3f ms",
				              i, c, x->onset_ms, y->onset_ms);
		}
	free(a);
	free(o);
}
END_TEST

/* A 300 Hz after-discharge train (25–55 ms) keeps its amplitude within 5%
 * when 80 µV of hum is removed around it (vs the hum-free stream, mains
 * off): the fit never sees the response windows and has no 300 Hz term. */
START_TEST(after_discharges_kept)
{
	int rate = rates[_i % 4];
	const struct hum *h = &hums[_i % 2];
	struct run *a = malloc(sizeof *a), *o = malloc(sizeof *o);
	run_one(a, rate, LSR_MAINS_AUTO, h, 0, 150, 30, 51 + (uint64_t)_i);
	run_one(o, rate, LSR_MAINS_OFF, NULL, 0, 150, 30, 51 + (uint64_t)_i);
	double x[TRIAL_REC_MAX], y[TRIAL_REC_MAX];
	int n = 0;
	for (int i = SKIP; i < a->r.n && i < TRIAL_REC_MAX; i++, n++) {
		x[n] = a->r.tr[i].ch[0].late_p2p_uv;
		y[n] = o->r.tr[i].ch[0].late_p2p_uv;
	}
	qsort(x, (size_t)n, sizeof x[0], cmp);
	qsort(y, (size_t)n, sizeof y[0], cmp);
	ck_assert_msg(fabs(x[n / 2] - y[n / 2]) < 0.05 * y[n / 2], "after-discharge p2p %.1f with hum removed, %.1f hum-free",
	              x[n / 2], y[n / 2]);
	free(a);
	free(o);
}
END_TEST

Suite *suite_mains(void)
{
	Suite *s = suite_create("mains");
	TCase *tc = tcase_create("removal");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, hum_removed_to_the_hum_free_noise, 0, 4);
	tcase_add_loop_test(tc, hum_free_responses_unchanged, 0, 4);
	tcase_add_loop_test(tc, after_discharges_kept, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}
