/* tests/unit/test_stimfind.c — stimuli and sweeps: sync edges and trains,
 * the artifact detector, auto mode, gaps, overlaps, order, flush, swamping
 * flags, low rates.  Streams from the test's own generator (synth.h). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "signal_path.h"
#include "stimfind.h"
#include "synth.h"
#include "trial_rec.h"



struct fix {
	struct lsr_params p;
	struct syn g;
	struct trial_rec r;
	struct lsr_signal *s;
};

static struct fix *fix_new(int rate, int nch, uint64_t seed)
{
	struct fix *f = calloc(1, sizeof *f);
	ck_assert_ptr_nonnull(f);
	lsr_params_defaults(&f->p);
	syn_init(&f->g, rate, nch, seed);
	for (int c = 0; c < nch; c++)
		f->g.noise_uv[c] = 5;
	return f;
}

static void fix_open(struct fix *f, double full_scale)
{
	struct lsr_stream_config c;
	memset(&c, 0, sizeof c);
	c.rate = f->g.rate;
	c.channels = f->g.nch;
	c.full_scale_uv = full_scale;
	char err[200];
	f->s = lsr_signal_new(&f->p, &c, trial_rec_keep, &f->r, err, sizeof err);
	ck_assert_msg(f->s != NULL, "%s", err);
}

static void fix_free(struct fix *f)
{
	lsr_signal_free(f->s);
	free(f);
}

/* Runs the generator up to sample `until`; samples in [skip_from,
 * skip_to) are generated but not fed (lost). */
static void run_lossy(struct fix *f, int64_t until, int64_t skip_from, int64_t skip_to)
{
	struct lsr_block b;
	while (f->g.next_index < until) {
		int64_t n = until - f->g.next_index;
		if (f->g.next_index < skip_from && f->g.next_index + n > skip_from)
			n = skip_from - f->g.next_index;
		syn_block(&f->g, n > SYN_BLOCK ? SYN_BLOCK : (int)n, &b);
		int64_t at = (int64_t)b.index;
		if (at >= skip_from && at < skip_to) {
			/* Feed only the part after the lost stretch. */
			int64_t cut = skip_to - at;
			if (cut >= b.nsamp)
				continue;
			struct lsr_block t = b;
			t.index = (uint64_t)skip_to;
			t.nsamp = b.nsamp - (int)cut;
			t.samples = b.samples + cut;
			t.marks = b.marks + cut;
			lsr_signal_feed(f->s, skip_to, &t);
			continue;
		}
		lsr_signal_feed(f->s, at, &b);
	}
}

static void run(struct fix *f, int64_t until)
{
	run_lossy(f, until, -1, -1);
}

START_TEST(sync_edges_give_the_stimulus_sample)
{
	struct fix *f = fix_new(20000, 2, 1);
	f->g.sync = true;
	f->p.stim_source = LSR_STIM_SOURCE_SYNC;
	fix_open(f, 0);
	ck_assert_int_eq(lsr_signal_sweep_pre(f->s), 200);
	ck_assert_int_eq(lsr_signal_sweep_len(f->s), 2201);
	run(f, f->g.first + 9 * f->g.period + 1000);
	/* The 10th stimulus's sweep is not complete: 10 stimuli, 9 trials. */
	ck_assert_int_eq(f->r.n, 9);
	ck_assert_int_eq(lsr_signal_stims(f->s), 10);
	for (int i = 0; i < f->r.n; i++) {
		const struct lsr_trial *t = &f->r.tr[i];
		ck_assert_int_eq(t->n, i + 1);
		ck_assert_int_eq(t->stim_index, f->g.index_log[i]);
		ck_assert_double_eq_tol(t->t, f->g.index_log[i] / 20000.0, 1e-9);
		ck_assert_int_eq(t->origin, LSR_STIM_SYNC);
		ck_assert(!t->gap && !t->overlap);
		ck_assert_int_eq(t->sweep_pre, 200);
		ck_assert_int_eq(t->sweep_len, 2201);
		ck_assert_int_eq(t->nch, 2);
	}
	lsr_signal_flush(f->s);
	ck_assert_int_eq(f->r.n, 9);
	ck_assert_int_eq(lsr_signal_stims(f->s), 9);
	fix_free(f);
}
END_TEST

/* Hand-made marks: edges at given sample indices, each 4 samples high. */
static void feed_edges(struct lsr_signal *s, int nch, const int64_t *edges, int ne, int64_t total)
{
	static float zeros[LSR_MAX_BLOCK * 4];
	uint8_t marks[500];
	for (int64_t at = 0; at < total; at += 500) {
		for (int i = 0; i < 500; i++) {
			marks[i] = 0;
			for (int e = 0; e < ne; e++)
				if (at + i >= edges[e] && at + i < edges[e] + 4)
					marks[i] = LSR_MARK_STIM;
		}
		struct lsr_block b = { (uint64_t)at, 500, nch, 500, zeros, marks };
		lsr_signal_feed(s, at, &b);
	}
}

START_TEST(trains_closer_than_train_ms_are_one_stimulus)
{
	struct lsr_params p;
	lsr_params_defaults(&p);
	struct trial_rec *r = calloc(1, sizeof *r);
	struct lsr_stream_config c = { .rate = 20000, .channels = 1 };
	char err[200];
	struct lsr_signal *s = lsr_signal_new(&p, &c, trial_rec_keep, r, err, sizeof err);
	ck_assert_ptr_nonnull(s);
	/* A train of three edges 5 ms apart; one 1 s later; then two exactly
	 * 20 ms apart (not closer than train_ms: two stimuli, overlapping). */
	const int64_t e[] = { 5000, 5100, 5200, 25000, 45000, 45400 };
	feed_edges(s, 1, e, 6, 60000);
	ck_assert_int_eq(r->n, 4);
	ck_assert_int_eq(r->tr[0].stim_index, 5000);
	ck_assert_int_eq(r->tr[1].stim_index, 25000);
	ck_assert_int_eq(r->tr[2].stim_index, 45000);
	ck_assert_int_eq(r->tr[3].stim_index, 45400);
	ck_assert(!r->tr[0].overlap && !r->tr[1].overlap);
	ck_assert(r->tr[2].overlap && r->tr[3].overlap);
	lsr_signal_free(s);
	free(r);
}
END_TEST

/* No sync line: the artifact (5 mV on every lead) gives the stimulus
 * within ±0.5 ms; a 3 mV M wave on one lead is not a stimulus. */
START_TEST(artifact_mode_finds_the_pulse)
{
	struct fix *f = fix_new(20000, 3, 2);
	f->p.stim_source = LSR_STIM_SOURCE_ARTIFACT;
	for (int c = 0; c < 3; c++) {
		f->g.art_uv[c] = c == 1 ? -5000 : 5000;
		f->g.tail_uv[c] = 200;
		f->g.tail_tau_ms[c] = 4;
	}
	f->g.resp[2] = (struct syn_resp){ 3000, 3.5, 400, 4 };
	fix_open(f, 0);
	run(f, f->g.first + 19 * f->g.period + 3000);
	ck_assert_int_eq(f->r.n, 20);
	for (int i = 0; i < f->r.n; i++) {
		ck_assert_int_eq(f->r.tr[i].origin, LSR_STIM_ARTIFACT);
		ck_assert_int_le(llabs(f->r.tr[i].stim_index - f->g.index_log[i]), 10);
		ck_assert(!f->r.tr[i].overlap);
	}
	ck_assert_int_eq(lsr_signal_mode(f->s), LSR_STIM_SOURCE_ARTIFACT);
	fix_free(f);
}
END_TEST

/* A slow (band-limited) 1.5 mV pulse rising over 0.4 ms on three of four
 * leads (the fourth flat: most, not all, is enough): found within 0.2 ms
 * of its first rise, not at its fall. */
START_TEST(artifact_mode_slow_small_pulse)
{
	struct fix *f = fix_new(20000, 4, 12);
	f->p.stim_source = LSR_STIM_SOURCE_ARTIFACT;
	f->g.pulse_ms = 0.6;
	f->g.rise_ms = 0.4;
	for (int c = 0; c < 3; c++)
		f->g.art_uv[c] = 1500;
	fix_open(f, 0);
	run(f, f->g.first + 9 * f->g.period + 3000);
	ck_assert_int_eq(f->r.n, 10);
	for (int i = 0; i < f->r.n; i++) {
		int64_t d = f->r.tr[i].stim_index - f->g.index_log[i];
		ck_assert_msg(d >= 0 && d <= 4, "trial %d: %ld samples off", i, (long)d);
	}
	fix_free(f);
}
END_TEST

START_TEST(artifact_detector_reads_across_blocks_and_rates)
{
	/* 10 kHz, 1-sample blocks now and then: the span reaches back into
	 * the previous block. */
	struct fix *f = fix_new(10000, 2, 3);
	f->p.stim_source = LSR_STIM_SOURCE_ARTIFACT;
	f->g.art_uv[0] = f->g.art_uv[1] = 4000;
	f->g.pulse_ms = 0.5;
	fix_open(f, 0);
	struct lsr_block b;
	while (f->g.next_index < f->g.first + 5 * f->g.period + 2000) {
		int n = f->g.next_index % 3 ? 1 : 37;
		syn_block(&f->g, n, &b);
		lsr_signal_feed(f->s, (int64_t)b.index, &b);
	}
	ck_assert_int_eq(f->r.n, 6);
	for (int i = 0; i < 6; i++)
		ck_assert_int_le(llabs(f->r.tr[i].stim_index - f->g.index_log[i]), 5);
	fix_free(f);
}
END_TEST

START_TEST(auto_switches_after_three_and_keeps_them)
{
	struct fix *f = fix_new(20000, 2, 4);
	f->g.art_uv[0] = f->g.art_uv[1] = 5000;
	fix_open(f, 0);
	ck_assert_int_eq(lsr_signal_mode(f->s), LSR_STIM_SOURCE_AUTO);
	run(f, f->g.first + f->g.period + 3000);
	/* Two candidates with complete sweeps, nothing emitted yet. */
	ck_assert_int_eq(f->r.n, 0);
	ck_assert_int_eq(lsr_signal_mode(f->s), LSR_STIM_SOURCE_AUTO);
	run(f, f->g.first + 8 * f->g.period + 3000);
	ck_assert_int_eq(lsr_signal_mode(f->s), LSR_STIM_SOURCE_ARTIFACT);
	ck_assert_int_eq(f->r.n, 9);
	for (int i = 0; i < f->r.n; i++) {
		ck_assert_int_eq(f->r.tr[i].n, i + 1);
		ck_assert_int_eq(f->r.tr[i].origin, LSR_STIM_ARTIFACT);
		ck_assert_int_le(llabs(f->r.tr[i].stim_index - f->g.index_log[i]), 10);
	}
	fix_free(f);
}
END_TEST

START_TEST(auto_prefers_sync_edges)
{
	/* Sync and artifacts from the start: sync wins, one trial per stimulus. */
	struct fix *f = fix_new(20000, 2, 5);
	f->g.art_uv[0] = f->g.art_uv[1] = 5000;
	f->g.sync = true;
	fix_open(f, 0);
	run(f, f->g.first + 6 * f->g.period + 3000);
	ck_assert_int_eq(lsr_signal_mode(f->s), LSR_STIM_SOURCE_SYNC);
	ck_assert_int_eq(f->r.n, 7);
	for (int i = 0; i < f->r.n; i++) {
		ck_assert_int_eq(f->r.tr[i].origin, LSR_STIM_SYNC);
		ck_assert_int_eq(f->r.tr[i].stim_index, f->g.index_log[i]);
	}
	fix_free(f);
	/* Sync plugged in after two artifacts: those two are dropped. */
	f = fix_new(20000, 2, 6);
	f->g.art_uv[0] = f->g.art_uv[1] = 5000;
	fix_open(f, 0);
	run(f, f->g.first + f->g.period + 3000);
	f->g.sync = true;
	run(f, f->g.first + 5 * f->g.period + 3000);
	ck_assert_int_eq(lsr_signal_mode(f->s), LSR_STIM_SOURCE_SYNC);
	ck_assert_int_eq(f->r.n, 4);
	ck_assert_int_eq(f->r.tr[0].n, 1);
	ck_assert_int_eq(f->r.tr[0].stim_index, f->g.index_log[2]);
	ck_assert_int_eq(f->r.tr[0].origin, LSR_STIM_SYNC);
	fix_free(f);
}
END_TEST

START_TEST(no_edge_at_the_first_sample_after_a_gap)
{
	struct lsr_params p;
	lsr_params_defaults(&p);
	struct trial_rec *r = calloc(1, sizeof *r);
	struct lsr_stream_config c = { .rate = 20000, .channels = 1 };
	char err[200];
	struct lsr_signal *s = lsr_signal_new(&p, &c, trial_rec_keep, r, err, sizeof err);
	ck_assert_ptr_nonnull(s);
	static float zeros[1000];
	uint8_t low[1000] = { 0 }, high[1000];
	memset(high, LSR_MARK_STIM, sizeof high);
	struct lsr_block b = { 0, 1000, 1, 1000, zeros, low };
	lsr_signal_feed(s, 0, &b);
	/* Lost samples 1000..1999; the mark is already high after the gap. */
	b.index = 2000;
	b.marks = high;
	lsr_signal_feed(s, 2000, &b);
	for (int64_t at = 3000; at < 30000; at += 1000) {
		b.index = (uint64_t)at;
		b.marks = at == 10000 ? high : low; /* a real edge at 10000 */
		lsr_signal_feed(s, at, &b);
	}
	ck_assert_int_eq(r->n, 1);
	ck_assert_int_eq(r->tr[0].stim_index, 10000);
	ck_assert(!r->tr[0].gap);
	lsr_signal_free(s);
	free(r);
}
END_TEST

START_TEST(gap_marks_only_the_sweeps_it_touches)
{
	struct fix *f = fix_new(20000, 2, 7);
	f->g.sync = true;
	fix_open(f, 0);
	int64_t s3 = f->g.first + 3 * f->g.period;
	/* Lose 100 samples 50 ms into the 4th sweep. */
	run_lossy(f, f->g.first + 8 * f->g.period + 3000, s3 + 1000, s3 + 1100);
	ck_assert_int_eq(f->r.n, 9);
	for (int i = 0; i < f->r.n; i++) {
		ck_assert_int_eq(f->r.tr[i].n, i + 1);
		ck_assert_int_eq(f->r.tr[i].stim_index, f->g.index_log[i]);
		ck_assert_int_eq(f->r.tr[i].gap, i == 3);
	}
	ck_assert(isnan(f->r.tr[3].ch[0].lsr.p2p_uv));
	ck_assert(!isnan(f->r.tr[4].ch[0].lsr.p2p_uv));
	fix_free(f);

	/* A stimulus 5 ms after the end of a gap: its pre-stimulus part is lost. */
	f = fix_new(20000, 1, 8);
	f->g.sync = true;
	fix_open(f, 0);
	int64_t s2 = f->g.first + 2 * f->g.period;
	run_lossy(f, f->g.first + 4 * f->g.period + 3000, s2 - 2000, s2 - 100);
	ck_assert_int_eq(f->r.n, 5);
	ck_assert(!f->r.tr[1].gap);
	ck_assert(f->r.tr[2].gap);
	ck_assert(!f->r.tr[3].gap);
	fix_free(f);
}
END_TEST

START_TEST(fast_trains_overlap_never_crash)
{
	struct lsr_params p;
	lsr_params_defaults(&p);
	p.train_ms = 1;
	struct trial_rec *r = calloc(1, sizeof *r);
	struct lsr_stream_config c = { .rate = 20000, .channels = 2 };
	char err[200];
	struct lsr_signal *s = lsr_signal_new(&p, &c, trial_rec_keep, r, err, sizeof err);
	ck_assert_ptr_nonnull(s);
	/* An edge every 1.05 ms for 0.5 s: ~95 sweeps waiting at once. */
	static int64_t e[480];
	for (int i = 0; i < 480; i++)
		e[i] = 2000 + 21 * (int64_t)i;
	feed_edges(s, 2, e, 480, 20000);
	ck_assert_int_eq(r->n, 480);
	ck_assert_int_eq(lsr_signal_stims(s), 480);
	for (int i = 0; i < r->n && i < TRIAL_REC_MAX; i++) {
		ck_assert_int_eq(r->tr[i].n, i + 1);
		ck_assert(r->tr[i].overlap);
		if (i > 0)
			ck_assert_int_gt(r->tr[i].stim_index, r->tr[i - 1].stim_index);
	}
	lsr_signal_flush(s);
	lsr_signal_free(s);
	free(r);
}
END_TEST

START_TEST(low_rate_still_finds_stimuli)
{
	struct fix *f = fix_new(2000, 1, 9);
	f->g.sync = true;
	f->g.resp[0] = (struct syn_resp){ 300, 9, 300, 8 };
	fix_open(f, 0);
	run(f, f->g.first + 3 * f->g.period + 300);
	ck_assert_int_eq(f->r.n, 4);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(f->r.tr[i].stim_index, f->g.index_log[i]);
		ck_assert(isnan(f->r.tr[i].ch[0].lsr.p2p_uv));
		ck_assert(isnan(f->r.tr[i].ch[0].lsr.threshold_uv));
		ck_assert(isnan(f->r.tr[i].ch[0].noise_uv));
	}
	fix_free(f);
}
END_TEST

START_TEST(saturation_outside_blanking_only)
{
	struct fix *f = fix_new(20000, 2, 10);
	f->g.sync = true;
	f->g.art_uv[0] = f->g.art_uv[1] = 5995; /* inside blanking: fine */
	f->g.resp[1] = (struct syn_resp){ 6500, 9, 300, 8 }; /* reaches full scale */
	fix_open(f, 6000);
	run(f, f->g.first + 3 * f->g.period + 3000);
	ck_assert_int_eq(f->r.n, 4);
	for (int i = 0; i < 4; i++) {
		ck_assert(!f->r.tr[i].ch[0].saturated);
		ck_assert(f->r.tr[i].ch[1].saturated);
	}
	fix_free(f);
}
END_TEST

/* Adds, to the channels in mask of the sweep of stimulus k (at index s),
 * a burst in [s + from, s + to) samples: broadband (cautery) or 150 Hz
 * (spasm). */
static void run_with_burst_on(struct fix *f, unsigned mask, int k, int from, int to, bool broadband,
                              double uv, int64_t until)
{
	struct lsr_block b;
	int64_t s = f->g.first + k * f->g.period;
	while (f->g.next_index < until) {
		syn_block(&f->g, SYN_BLOCK, &b);
		for (int i = 0; i < b.nsamp; i++) {
			int64_t j = (int64_t)b.index + i - s;
			if (j < from || j >= to)
				continue;
			double v = broadband ? uv * (2 * syn_uniform(&f->g) - 1)
			                     : uv * sin(2 * M_PI * 150.0 * j / f->g.rate);
			for (int c = 0; c < f->g.nch; c++)
				if (mask & (1u << c))
					f->g.buf[c * SYN_BLOCK + i] += (float)v;
		}
		lsr_signal_feed(f->s, (int64_t)b.index, &b);
	}
}

static void run_with_burst(struct fix *f, int k, int from, int to, bool broadband, double uv, int64_t until)
{
	run_with_burst_on(f, 1u, k, from, to, broadband, uv, until);
}

START_TEST(cautery_and_spasm_flags)
{
	struct fix *f = fix_new(20000, 2, 11);
	f->g.sync = true;
	fix_open(f, 0);
	/* Noise 5 µV RMS: median 6 ms p2p ≈ 20 µV.  Stimulus 6: broadband
	 * ±500 µV in 70–95 ms; stimulus 8: a 150 Hz burst of ±60 µV in the
	 * pre-stimulus 10 ms. */
	run_with_burst(f, 6, 1400, 1900, true, 500, f->g.first + 7 * f->g.period);
	run_with_burst(f, 8, -200, 0, false, 60, f->g.first + 10 * f->g.period + 3000);
	ck_assert_int_eq(f->r.n, 11);
	for (int i = 0; i < f->r.n; i++) {
		const struct lsr_channel_measure *m = &f->r.tr[i].ch[0];
		ck_assert_int_eq(m->cautery, i == 6);
		ck_assert_int_eq(m->spasm, i == 8);
		ck_assert(!f->r.tr[i].ch[1].cautery && !f->r.tr[i].ch[1].spasm);
	}
	/* The burst did not raise the threshold (kept out of the noise). */
	ck_assert_double_lt(f->r.tr[10].ch[0].lsr.threshold_uv, 2 * f->r.tr[5].ch[0].lsr.threshold_uv);
	fix_free(f);
}
END_TEST

/* A device restart (index back to 0): stimuli after it are found again,
 * the sweep cut by it is a gap trial. */
START_TEST(index_going_back_is_a_new_segment)
{
	struct fix *f = fix_new(20000, 2, 13);
	f->g.sync = true;
	fix_open(f, 0);
	run(f, f->g.first + 3 * f->g.period + 500); /* mid 4th sweep */
	ck_assert_int_eq(f->r.n, 3);
	struct syn *g2 = calloc(1, sizeof *g2);
	syn_init(g2, 20000, 2, 14);
	g2->sync = true;
	g2->noise_uv[0] = g2->noise_uv[1] = 5;
	struct lsr_block b;
	while (g2->next_index < g2->first + 3 * g2->period + 3000) {
		syn_block(g2, SYN_BLOCK, &b);
		lsr_signal_feed(f->s, (int64_t)b.index, &b);
	}
	ck_assert_int_eq(f->r.n, 3 + 1 + 4);
	ck_assert(f->r.tr[3].gap);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(f->r.tr[4 + i].stim_index, g2->index_log[i]);
		ck_assert(!f->r.tr[4 + i].gap);
	}
	free(g2);
	fix_free(f);
}
END_TEST

/* Hostile blocks: random sizes (some out of range), channel counts,
 * strides, index jumps both ways, non-numbers and huge values, random
 * marks.  Nothing may crash (ASan/UBSan build) and trials stay numbered
 * in order with the configured channel count. */
START_TEST(hostile_blocks_never_crash)
{
	struct lsr_params p;
	lsr_params_defaults(&p);
	p.train_ms = 1;
	struct trial_rec *r = calloc(1, sizeof *r);
	struct lsr_stream_config c = { .rate = 10000, .channels = 3 };
	char err[200];
	struct lsr_signal *s = lsr_signal_new(&p, &c, trial_rec_keep, r, err, sizeof err);
	ck_assert_ptr_nonnull(s);
	enum { CH = 5, N = LSR_MAX_BLOCK + 10 };
	float *buf = calloc((size_t)CH * N, sizeof *buf);
	uint8_t *marks = calloc(N, 1);
	ck_assert(buf && marks);
	struct syn rng;
	syn_init(&rng, 10000, 1, 99);
	int64_t at = 0;
	for (int it = 0; it < 400; it++) {
		int n = 1 + (int)(syn_uniform(&rng) * (N - 1));
		if (syn_uniform(&rng) < 0.5)
			n = 1 + n % 300;
		int ch = (int)(syn_uniform(&rng) * (CH + 1));
		size_t stride = syn_uniform(&rng) < 0.1 ? (size_t)(n / 2) : (size_t)N;
		for (int i = 0; i < CH * N; i++) {
			double u = syn_uniform(&rng);
			buf[i] = u < 0.001 ? NAN : u < 0.002 ? INFINITY : (float)((u - 0.5) * (u < 0.05 ? 1e7 : 100));
		}
		for (int i = 0; i < n; i++)
			marks[i] = syn_uniform(&rng) < 0.02 ? 0xff : 0;
		struct lsr_block b = { (uint64_t)at, n, ch, stride, buf, marks };
		lsr_signal_feed(s, at, &b);
		double j = syn_uniform(&rng);
		at += j < 0.8 ? n : j < 0.9 ? n + (int64_t)(syn_uniform(&rng) * 5000) : -(int64_t)(syn_uniform(&rng) * at);
	}
	lsr_signal_flush(s);
	ck_assert_int_gt(r->n, 0);
	ck_assert_int_gt(lsr_signal_rejected(s), 0);
	for (int i = 0; i < r->n && i < TRIAL_REC_MAX; i++) {
		ck_assert_int_eq(r->tr[i].n, i + 1);
		ck_assert_int_eq(r->tr[i].nch, 3);
	}
	lsr_signal_free(s);
	free(buf);
	free(marks);
	free(r);
}
END_TEST

/* A burst in 75–100 ms after an LSR on the same channel is its
 * after-discharge, not a spasm (nor this sweep's noise level); on the
 * channel without an LSR it is a spasm; before the stimulus it is a spasm
 * on either. */
START_TEST(after_discharge_is_not_a_spasm)
{
	struct fix *f = fix_new(20000, 2, 15);
	f->g.sync = true;
	f->g.resp[0] = (struct syn_resp){ 200, 9, 300, 8 };
	fix_open(f, 0);
	run_with_burst_on(f, 3u, 6, 1500, 2000, false, 60, f->g.first + 7 * f->g.period);
	run_with_burst_on(f, 3u, 8, -200, 0, false, 60, f->g.first + 9 * f->g.period + 3000);
	ck_assert_int_eq(f->r.n, 10);
	ck_assert(f->r.tr[6].ch[0].lsr.p2p_uv > f->r.tr[6].ch[0].lsr.threshold_uv);
	ck_assert(!f->r.tr[6].ch[0].spasm);
	ck_assert(f->r.tr[6].ch[1].spasm);
	ck_assert(f->r.tr[8].ch[0].spasm && f->r.tr[8].ch[1].spasm);
	for (int i = 0; i < f->r.n; i++)
		if (i != 6 && i != 8)
			ck_assert(!f->r.tr[i].ch[0].spasm && !f->r.tr[i].ch[1].spasm);
	/* Nor does it count as this sweep's noise level (the lead check). */
	ck_assert_double_lt(f->r.tr[6].ch[0].noise_uv, 1.5 * f->r.tr[5].ch[0].noise_uv);
	/* Kept out of the noise either way: the threshold did not move. */
	ck_assert_double_lt(f->r.tr[9].ch[0].lsr.threshold_uv, 1.3 * f->r.tr[5].ch[0].lsr.threshold_uv);
	fix_free(f);
}
END_TEST

/* A pulled sync cable: five synced stimuli, then the sync line goes quiet
 * while the artifacts go on.  Auto mode says so (report.sync_lost, with
 * the first stimulus without its edge) and finds every later stimulus
 * from its artifact, at its sample; none is lost or doubled.  With
 * stim_source=sync it is said, and nothing else changes. */
START_TEST(sync_lost_is_said_and_artifacts_take_over)
{
	for (int forced = 0; forced < 2; forced++) {
		struct fix *f = fix_new(10000, 3, 41 + (uint64_t)forced);
		const double art[3] = { 450, -2500, 700 };
		for (int c = 0; c < 3; c++)
			f->g.art_uv[c] = art[c];
		f->g.sync = true;
		struct lsr_signal_report rep;
		memset(&rep, 0, sizeof rep);
		f->p.report = &rep;
		if (forced)
			f->p.stim_source = LSR_STIM_SOURCE_SYNC;
		fix_open(f, 0);
		run(f, f->g.first + 4 * f->g.period + f->g.period / 2);
		ck_assert_int_eq(rep.sync_lost, 0);
		f->g.sync = false;
		run(f, f->g.first + 14 * f->g.period + 3000);
		ck_assert_int_eq(rep.sync_lost, 1);
		ck_assert_double_eq_tol(rep.sync_lost_t, f->g.index_log[5] / 10000.0, 1.5e-4);
		if (forced) {
			ck_assert_int_eq(lsr_signal_mode(f->s), LSR_STIM_SOURCE_SYNC);
			ck_assert_int_eq(f->r.n, 5);
		} else {
			ck_assert_int_eq(lsr_signal_mode(f->s), LSR_STIM_SOURCE_ARTIFACT);
			ck_assert_int_eq(f->r.n, 15);
			for (int i = 0; i < f->r.n; i++) {
				ck_assert_int_eq(f->r.tr[i].n, i + 1);
				ck_assert_int_le(llabs(f->r.tr[i].stim_index - f->g.index_log[i]), 1);
				ck_assert_int_eq(f->r.tr[i].origin, i < 5 ? LSR_STIM_SYNC : LSR_STIM_ARTIFACT);
			}
		}
		fix_free(f);
	}
}
END_TEST

/* Adds to f->g.buf (block b) what is not a stimulus: spasm bursts (1.3 ms
 * biphasic spikes at 300 Hz, one field on every lead, 800 µV) and a
 * saturating cautery (clipped white noise of 6 mV), at stream sample
 * ranges [sp0, sp1) and [ca0, ca1). */
static void add_contamination(struct fix *f, const struct lsr_block *b, int64_t sp0, int64_t sp1,
                              int64_t ca0, int64_t ca1)
{
	static const double gain[4] = { 1.0, 0.8, 0.3, 0.6 };
	int rate = f->g.rate, period = rate / 300;
	for (int i = 0; i < b->nsamp; i++) {
		int64_t k = (int64_t)b->index + i;
		for (int c = 0; c < f->g.nch; c++) {
			double v = 0;
			if (k >= sp0 && k < sp1) {
				double t = (double)((k - sp0) % period) / rate * 1000.0; /* ms into the spike */
				if (t < 0.5)
					v = 500 * sin(M_PI * t / 0.5);
				else if (t < 1.3)
					v = -300 * sin(M_PI * (t - 0.5) / 0.8);
				v *= gain[c % 4];
			}
			if (k >= ca0 && k < ca1) {
				double g = 1.5 * (2 * syn_uniform(&f->g) - 1) * 1.7;
				v += 6000 * (g > 1 ? 1 : g < -1 ? -1 : g);
			}
			f->g.buf[c * SYN_BLOCK + i] += (float)v;
		}
	}
}

/* No stimulation for 20 s — noise, mains, spasm bursts and cautery — then
 * stimuli whose artifacts are 0.3–0.5 mV: none found before, each one
 * after at its sample, and bursts among them are not taken for one. */
START_TEST(nothing_found_without_stimulation)
{
	int rate = _i ? 5000 : 20000;
	struct fix *f = fix_new(rate, 3, 61 + (uint64_t)_i);
	const double art[3] = { -320, 480, 350 };
	for (int c = 0; c < 3; c++) {
		f->g.art_uv[c] = art[c];
		f->g.tail_uv[c] = art[c] / 4;
		f->g.tail_tau_ms[c] = 1;
		f->g.resp[c] = (struct syn_resp){ c == 2 ? 1500 : 150, c == 2 ? 3 : 10, 300, 6 };
	}
	f->g.hum_uv = 60;
	f->g.hum_hz = 60;
	f->g.first = 20 * rate;
	f->g.period = rate * 8 / 10;
	fix_open(f, 0);
	struct lsr_block b;
	int64_t until = f->g.first + 29 * f->g.period + rate / 2;
	while (f->g.next_index < until) {
		syn_block(&f->g, SYN_BLOCK, &b);
		int64_t k = (int64_t)b.index;
		/* Spasm at 3–3.4 s and 30.1–30.5 s (among stimuli), cautery at 8–11 s. */
		add_contamination(f, &b, k < 10 * rate ? 3 * rate : 30 * rate + rate / 10,
		                  k < 10 * rate ? 3 * rate + 2 * rate / 5 : 30 * rate + rate / 2, 8 * rate,
		                  11 * rate);
		lsr_signal_feed(f->s, k, &b);
		if (k + b.nsamp <= f->g.first)
			ck_assert_int_eq(lsr_signal_stims(f->s), 0);
	}
	ck_assert_int_eq(lsr_signal_mode(f->s), LSR_STIM_SOURCE_ARTIFACT);
	ck_assert_int_eq(f->r.n, 30);
	for (int i = 0; i < f->r.n; i++)
		ck_assert_msg(llabs(f->r.tr[i].stim_index - f->g.index_log[i]) <= 1, "stimulus %d at %lld, true %lld", i,
		              (long long)f->r.tr[i].stim_index, (long long)f->g.index_log[i]);
	fix_free(f);
}
END_TEST

Suite *suite_stimfind(void)
{
	Suite *s = suite_create("stimfind");
	TCase *tc = tcase_create("stimuli");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, sync_edges_give_the_stimulus_sample);
	tcase_add_test(tc, trains_closer_than_train_ms_are_one_stimulus);
	tcase_add_test(tc, artifact_mode_finds_the_pulse);
	tcase_add_test(tc, artifact_mode_slow_small_pulse);
	tcase_add_test(tc, artifact_detector_reads_across_blocks_and_rates);
	tcase_add_test(tc, auto_switches_after_three_and_keeps_them);
	tcase_add_test(tc, auto_prefers_sync_edges);
	tcase_add_test(tc, no_edge_at_the_first_sample_after_a_gap);
	tcase_add_test(tc, gap_marks_only_the_sweeps_it_touches);
	tcase_add_test(tc, fast_trains_overlap_never_crash);
	tcase_add_test(tc, low_rate_still_finds_stimuli);
	tcase_add_test(tc, saturation_outside_blanking_only);
	tcase_add_test(tc, cautery_and_spasm_flags);
	tcase_add_test(tc, after_discharge_is_not_a_spasm);
	tcase_add_test(tc, index_going_back_is_a_new_segment);
	tcase_add_test(tc, hostile_blocks_never_crash);
	tcase_add_test(tc, sync_lost_is_said_and_artifacts_take_over);
	tcase_add_loop_test(tc, nothing_found_without_stimulation, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}
