/* tests/unit/test_sim.c — the simulated patient: options, determinism,
 * quantisation, and that the samples really carry what the truth says
 * (measured here on the raw samples, independently of the generator). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define DUR 60.0
#define NSAMP ((size_t)(DUR * LSR_SIM_RATE))
#define AFTER 30000 /* samples asked for after the end of the case */
#define CAP (NSAMP + 2 * AFTER)

/* Everything one run delivered. */
struct capture {
	struct lsr_stream_config cfg;
	int nconfig;
	enum lsr_segment_reason why;
	uint64_t delivered;       /* samples so far */
	int nblocks;
	bool broken;              /* a block out of order or oversized */
	float *x[LSR_SIM_CHANNELS];
	uint8_t *marks;
	int nlabels;
	struct lsr_sim_mark labels[8];
	bool label_late;          /* a label after its sample was delivered */
};

static void cap_config(void *ctx, const struct lsr_stream_config *cfg,
                       enum lsr_segment_reason why)
{
	struct capture *c = ctx;
	c->cfg = *cfg;
	c->why = why;
	c->nconfig++;
}

static void cap_block(void *ctx, const struct lsr_block *b)
{
	struct capture *c = ctx;
	if (b->index != c->delivered || b->nsamp < 1 ||
	    b->nsamp > LSR_MAX_BLOCK || b->channels != LSR_SIM_CHANNELS ||
	    b->index + (uint64_t)b->nsamp > CAP) {
		c->broken = true;
		return;
	}
	for (int ch = 0; ch < b->channels; ch++)
		memcpy(c->x[ch] + b->index, b->samples + (size_t)ch * b->stride,
		       (size_t)b->nsamp * sizeof(float));
	memcpy(c->marks + b->index, b->marks, (size_t)b->nsamp);
	c->delivered += (uint64_t)b->nsamp;
	c->nblocks++;
}

static void cap_label(void *ctx, uint64_t index, const char *label)
{
	struct capture *c = ctx;
	if (index < c->delivered)
		c->label_late = true;
	if (c->nlabels < 8) {
		c->labels[c->nlabels].index = index;
		strncpy(c->labels[c->nlabels].label, label,
		        sizeof c->labels[0].label - 1);
		c->nlabels++;
	}
}

static struct capture *cap_new(void)
{
	struct capture *c = calloc(1, sizeof *c);
	ck_assert_ptr_nonnull(c);
	for (int ch = 0; ch < LSR_SIM_CHANNELS; ch++) {
		c->x[ch] = calloc(CAP, sizeof(float));
		ck_assert_ptr_nonnull(c->x[ch]);
	}
	c->marks = calloc(CAP, 1);
	ck_assert_ptr_nonnull(c->marks);
	return c;
}

static void cap_free(struct capture *c)
{
	for (int ch = 0; ch < LSR_SIM_CHANNELS; ch++)
		free(c->x[ch]);
	free(c->marks);
	free(c);
}

/* Runs a whole DUR-second case; `chunk` samples per generate() call, or
 * irregular chunks when chunk is 0. */
static struct capture *run(const char *scenario, uint64_t seed, int chunk)
{
	struct lsr_driver_opts o = {scenario, seed, DUR, 0, false};
	char err[200];
	void *st = lsr_driver_sim.create(&o, err, sizeof err);
	ck_assert_msg(st != NULL, "%s", err);
	struct capture *c = cap_new();
	struct lsr_source_sink sink = {c, cap_config, cap_block, cap_label};
	uint64_t until = 0, step = 1;
	enum lsr_generate_status r = LSR_GENERATE_MORE;
	for (int guard = 0; r == LSR_GENERATE_MORE && guard < 10000000; guard++) {
		step = chunk ? (uint64_t)chunk : (step * 7919 + 13) % 9000 + 1;
		until += step;
		r = lsr_driver_sim.generate(st, until, &sink);
	}
	ck_assert_int_eq(r, LSR_GENERATE_END);
	ck_assert(!c->broken);
	ck_assert_uint_eq(c->delivered, NSAMP);
	struct lsr_driver_stats s;
	lsr_driver_sim.stats(st, &s);
	ck_assert_uint_eq(s.frames, (uint64_t)c->nblocks);
	ck_assert_uint_eq(s.bytes + s.crc_errors + s.dropped + s.lost_samples, 0);
	lsr_driver_sim.destroy(st);
	return c;
}

static struct lsr_sim_truth truth(const char *scenario, uint64_t seed)
{
	struct lsr_sim_truth t;
	char err[200];
	ck_assert_msg(lsr_sim_truth(&(struct lsr_driver_opts){scenario, seed, DUR, 0, false}, &t, err, sizeof err) == 0,
	              "%s", err);
	return t;
}

static double p2p(const float *x, uint64_t from, uint64_t to)
{
	double hi = x[from], lo = x[from];
	for (uint64_t i = from; i < to; i++) {
		hi = fmax(hi, x[i]);
		lo = fmin(lo, x[i]);
	}
	return hi - lo;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double percentile(double *v, int n, double pct)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	int k = (int)(pct / 100.0 * (n - 1) + 0.5);
	return v[k];
}

#define MS(x) ((uint64_t)((x) * LSR_SIM_RATE / 1000))

START_TEST(rejects_bad_options)
{
	char err[200];
	ck_assert_ptr_eq(lsr_driver_find("sim"), &lsr_driver_sim);
	ck_assert(lsr_driver_sim.generate != NULL);
	ck_assert(lsr_driver_sim.feed == NULL);
	struct lsr_driver_opts o = {"nope", 1, 300, 0, false};
	err[0] = 0;
	ck_assert_ptr_null(lsr_driver_sim.create(&o, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "nope"));
	const double bad[] = {59.9, -1, NAN, INFINITY, 1e9};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct lsr_driver_opts b = {"classic", 1, bad[i], 0, false};
		err[0] = 0;
		ck_assert_ptr_null(lsr_driver_sim.create(&b, err, sizeof err));
		ck_assert_ptr_nonnull(strstr(err, "duration"));
		struct lsr_sim_truth t;
		ck_assert_int_eq(lsr_sim_truth(&(struct lsr_driver_opts){"classic", 1, bad[i], 0, false}, &t, err,
		                               sizeof err), -1);
	}
	struct lsr_sim_truth t;
	ck_assert_int_eq(lsr_sim_truth(&(struct lsr_driver_opts){"bogus", 1, 60, 0, false}, &t, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "bogus"));
	/* NULL scenario is classic; 0 duration is the default 300 s. */
	struct lsr_driver_opts d = {NULL, 1, 0, 0, false};
	void *st = lsr_driver_sim.create(&d, err, sizeof err);
	ck_assert_ptr_nonnull(st);
	lsr_driver_sim.destroy(st);
	ck_assert_int_eq(lsr_sim_truth(&(struct lsr_driver_opts){NULL, 1, 0, 0, false}, &t, err, sizeof err), 0);
	ck_assert_uint_eq(t.end_index, 300 * LSR_SIM_RATE);
	ck_assert_str_eq(t.expected_final, "disappeared");
	lsr_sim_truth_free(&t);
	for (int i = 0; lsr_sim_scenarios[i]; i++) {
		struct lsr_driver_opts s = {lsr_sim_scenarios[i], 1, 60, 0, false};
		st = lsr_driver_sim.create(&s, err, sizeof err);
		ck_assert_msg(st != NULL, "%s: %s", lsr_sim_scenarios[i], err);
		lsr_driver_sim.destroy(st);
	}
}
END_TEST

/* Same seed: the same bytes whatever the chunking; another seed differs. */
START_TEST(deterministic)
{
	struct capture *a = run("noisy", 5, 1000), *b = run("noisy", 5, 0);
	struct capture *c = run("noisy", 6, 1000);
	bool differs = false;
	for (int ch = 0; ch < LSR_SIM_CHANNELS; ch++) {
		ck_assert(memcmp(a->x[ch], b->x[ch], NSAMP * sizeof(float)) == 0);
		differs |= memcmp(a->x[ch], c->x[ch], NSAMP * sizeof(float)) != 0;
	}
	ck_assert(memcmp(a->marks, b->marks, NSAMP) == 0);
	ck_assert(differs);
	ck_assert(memcmp(a->marks, c->marks, NSAMP) != 0);
	cap_free(a);
	cap_free(b);
	cap_free(c);
}
END_TEST

START_TEST(config_and_quantisation)
{
	struct capture *c = run("noisy", 3, 4096);
	ck_assert_int_eq(c->nconfig, 1);
	ck_assert_int_eq(c->why, LSR_SEGMENT_FIRST);
	ck_assert_int_eq(c->cfg.rate, 10000);
	ck_assert_int_eq(c->cfg.channels, 3);
	ck_assert_str_eq(c->cfg.labels[0], "Mentalis");
	ck_assert_str_eq(c->cfg.labels[1], "Orbicularis oris");
	ck_assert_str_eq(c->cfg.labels[2], "Orbicularis oculi");
	ck_assert_int_eq(c->cfg.format_bits, 24);
	ck_assert_str_eq(c->cfg.prefilter, "HP:10Hz LP:5000Hz");
	double q = c->cfg.uv_per_lsb;
	ck_assert(q > 0 && q < 0.1);
	ck_assert_double_eq(c->cfg.full_scale_uv, q * 8388608.0);
	/* Check marks a point per assertion: count, then assert once. */
	size_t bad = 0, first = 0;
	for (int ch = 0; ch < LSR_SIM_CHANNELS; ch++)
		for (size_t i = 0; i < NSAMP; i++) {
			double k = c->x[ch][i] / q;
			if (!(k == floor(k) && fabs(k) <= 8388608.0) && !bad++)
				first = i;
		}
	ck_assert_msg(bad == 0, "%zu samples off the quantum, first at %zu", bad,
	              first);
	cap_free(c);
}
END_TEST

/* Loop test over every scenario: sync edges exactly at the true stimuli,
 * nothing else in the marks byte, labels at their scripted samples. */
START_TEST(stims_and_marks_match_truth)
{
	const char *scn = lsr_sim_scenarios[_i];
	struct lsr_sim_truth t = truth(scn, 11);
	struct capture *c = run(scn, 11, 0);
	ck_assert_int_gt(t.nstims, 45);
	int k = 0, other_bits = 0;
	for (size_t i = 0; i < NSAMP; i++) {
		other_bits += (c->marks[i] & ~LSR_MARK_STIM) != 0;
		bool rise = (c->marks[i] & 1) && (i == 0 || !(c->marks[i - 1] & 1));
		if (!rise)
			continue;
		ck_assert_msg(t.sync, "%s has a sync mark at %zu", scn, i);
		ck_assert_int_lt(k, t.nstims);
		ck_assert_uint_eq(t.stims[k].index, i);
		k++;
	}
	ck_assert_int_eq(k, t.sync ? t.nstims : 0);
	ck_assert_int_eq(other_bits, 0);
	/* Without sync the stimuli still show, as artifacts of several mV
	 * (cautery may swamp one). */
	for (int s = 0; s < t.nstims; s++)
		if (!t.stims[s].contaminated)
			ck_assert(fabs(c->x[2][t.stims[s].index]) > 3000);
	ck_assert(!c->label_late);
	ck_assert_int_eq(c->nlabels, t.nmarks);
	ck_assert_int_ge(t.nmarks, 1);
	for (int m = 0; m < t.nmarks; m++) {
		ck_assert_uint_eq(c->labels[m].index, t.marks[m].index);
		ck_assert_str_eq(c->labels[m].label, t.marks[m].label);
	}
	lsr_sim_truth_free(&t);
	cap_free(c);
}
END_TEST

/* Measured on the raw samples: the LSR's peak-to-peak in its window tracks
 * the truth, is gone when the truth says so, and a detector's presence
 * threshold (max(20 µV, 1.5 × p95 of noise-only p2p over 14 ms)) separates
 * the two.  The control channel's direct response follows reaches_nerve. */
static const char *const signal_scenarios[] = {
	"classic", "premature", "partial", "persistent", "stim-failure"};

START_TEST(responses_match_truth)
{
	const char *scn = signal_scenarios[_i];
	struct lsr_sim_truth t = truth(scn, 21);
	struct capture *c = run(scn, 21, 4096);
	int n = t.nstims, npres = 0, nabs = 0, nnoise = 0;
	double *ratio = calloc((size_t)n * 2, sizeof(double));
	double *pres = calloc((size_t)n * 2, sizeof(double));
	double *abs_ = calloc((size_t)n * 2, sizeof(double));
	double *noise = calloc((size_t)n * 6, sizeof(double));
	ck_assert(ratio && pres && abs_ && noise);
	for (int s = 0; s < n; s++) {
		const struct lsr_sim_stim *st = &t.stims[s];
		uint64_t i = st->index;
		for (int ch = 0; ch < 2; ch++) {
			double m = p2p(c->x[ch], i + MS(6), i + MS(20));
			if (st->lsr_uv[ch] > 0) {
				ratio[npres] = m / st->lsr_uv[ch];
				pres[npres++] = m;
			} else {
				ck_assert_msg(m < 70, "%s stim %d ch %d: %.1f µV without LSR",
				              scn, st->n, ch, m);
				abs_[nabs++] = m;
			}
			for (int w = 0; w < 3; w++)
				noise[nnoise++] = p2p(c->x[ch], i + MS(58 + 14 * w),
				                      i + MS(72 + 14 * w));
		}
		double d = p2p(c->x[2], i + MS(2), i + MS(8));
		if (st->reaches_nerve)
			ck_assert_msg(d > 1200 && d < 2000, "%s stim %d direct %.1f",
			              scn, st->n, d);
		else
			ck_assert_msg(d < 400, "%s stim %d no nerve, direct %.1f", scn,
			              st->n, d);
	}
	ck_assert_int_gt(npres, 20);
	double thr = fmax(20, 1.5 * percentile(noise, nnoise, 95));
	int missed = 0, false_pos = 0;
	for (int k = 0; k < npres; k++) {
		missed += pres[k] <= thr;
		ck_assert_msg(ratio[k] > 0.6 && ratio[k] < 1.8, "%s ratio %.2f", scn,
		              ratio[k]);
	}
	for (int k = 0; k < nabs; k++)
		false_pos += abs_[k] > thr;
	double med = percentile(ratio, npres, 50);
	ck_assert_msg(med > 0.85 && med < 1.3, "%s median ratio %.2f", scn, med);
	ck_assert_msg(missed <= npres / 100, "%s: %d of %d present trials under "
	              "threshold %.1f", scn, missed, npres, thr);
	ck_assert_msg(false_pos <= nabs / 20 + 1, "%s: %d of %d absent over %.1f",
	              scn, false_pos, nabs, thr);
	free(ratio);
	free(pres);
	free(abs_);
	free(noise);
	lsr_sim_truth_free(&t);
	cap_free(c);
}
END_TEST

/* Background RMS between stimuli (200–800 ms after each) is 5–10 µV. */
START_TEST(background_noise_level)
{
	struct lsr_sim_truth t = truth("classic", 4);
	struct capture *c = run("classic", 4, 4096);
	for (int ch = 0; ch < LSR_SIM_CHANNELS; ch++) {
		double sum = 0, mean = 0;
		size_t cnt = 0;
		for (int s = 0; s < t.nstims; s++)
			for (uint64_t i = t.stims[s].index + MS(200);
			     i < t.stims[s].index + MS(800); i++, cnt++)
				mean += c->x[ch][i];
		mean /= (double)cnt;
		for (int s = 0; s < t.nstims; s++)
			for (uint64_t i = t.stims[s].index + MS(200);
			     i < t.stims[s].index + MS(800); i++)
				sum += (c->x[ch][i] - mean) * (c->x[ch][i] - mean);
		double rms = sqrt(sum / (double)cnt);
		ck_assert_msg(rms > 5 && rms < 10, "ch %d rms %.2f", ch, rms);
	}
	lsr_sim_truth_free(&t);
	cap_free(c);
}
END_TEST

/* Amplitude of the 50 Hz component of x[from, from + 10 s). */
static double hum_amplitude(const float *x, uint64_t from)
{
	double re = 0, im = 0;
	size_t n = 10 * LSR_SIM_RATE;
	for (size_t i = 0; i < n; i++) {
		double ph = 2 * M_PI * 50.0 * (double)i / LSR_SIM_RATE;
		re += x[from + i] * cos(ph);
		im += x[from + i] * sin(ph);
	}
	return 2 * hypot(re, im) / (double)n;
}

/* Noisy: hum, cautery (mV on every channel) and spasm bursts are there;
 * the quiet scenarios have no hum. */
START_TEST(noisy_has_its_noises)
{
	struct lsr_sim_truth t = truth("noisy", 8);
	struct capture *c = run("noisy", 8, 4096), *q = run("classic", 8, 4096);
	double h = hum_amplitude(c->x[0], 0), hq = hum_amplitude(q->x[0], 0);
	ck_assert_msg(h > 10 && h < 20, "hum %.2f", h);
	ck_assert_msg(hq < 3, "classic hum %.2f", hq);
	int ncaut = 0, nspasm = 0;
	for (int b = 0; b < t.nbursts; b++) {
		const struct lsr_sim_burst *br = &t.bursts[b];
		uint64_t mid0 = br->start + MS(60), mid1 = br->end - MS(60);
		ck_assert(br->end > br->start + MS(199));
		if (br->kind == LSR_SIM_CAUTERY) {
			ncaut++;
			ck_assert(br->end - br->start >= MS(1000) &&
			          br->end - br->start <= MS(3000));
			for (int ch = 0; ch < LSR_SIM_CHANNELS; ch++) {
				double ss = 0;
				for (uint64_t i = mid0; i < mid1; i++)
					ss += (double)c->x[ch][i] * c->x[ch][i];
				double rms = sqrt(ss / (double)(mid1 - mid0));
				ck_assert_msg(rms > 1000, "cautery ch %d rms %.1f", ch, rms);
			}
		} else {
			nspasm++;
			ck_assert(br->end - br->start <= MS(1000));
			ck_assert(br->period >= 28 && br->period <= 40);
			ck_assert(p2p(c->x[0], mid0, mid0 + MS(10)) > 200);
		}
	}
	ck_assert_int_ge(ncaut, 2);
	ck_assert_int_ge(nspasm, 2);
	lsr_sim_truth_free(&t);
	cap_free(c);
	cap_free(q);
}
END_TEST

START_TEST(ends_at_duration)
{
	struct lsr_driver_opts o = {"classic", 2, DUR, 0, false};
	char err[200];
	void *st = lsr_driver_sim.create(&o, err, sizeof err);
	ck_assert_ptr_nonnull(st);
	struct capture *c = cap_new();
	struct lsr_source_sink sink = {c, cap_config, cap_block, NULL};
	ck_assert_int_eq(lsr_driver_sim.generate(st, 1000, &sink),
	                 LSR_GENERATE_MORE);
	ck_assert_int_eq(c->nconfig, 1);
	ck_assert_uint_eq(c->delivered, 1000);
	ck_assert_int_eq(lsr_driver_sim.generate(st, 500, &sink),
	                 LSR_GENERATE_MORE);
	ck_assert_uint_eq(c->delivered, 1000);
	ck_assert_int_eq(lsr_driver_sim.generate(st, UINT64_MAX, &sink),
	                 LSR_GENERATE_END);
	ck_assert(!c->broken);
	ck_assert_uint_eq(c->delivered, NSAMP);
	ck_assert_int_ge(c->nblocks, (int)(NSAMP / LSR_MAX_BLOCK));
	ck_assert_int_eq(lsr_driver_sim.generate(st, NSAMP, &sink),
	                 LSR_GENERATE_END);
	ck_assert_uint_eq(c->delivered, NSAMP);

	/* Asked for more, it goes on in the final state: stimuli every ~1 s
	 * (none within 0.5 s of the end), the LSR still gone. */
	ck_assert_int_eq(lsr_driver_sim.generate(st, NSAMP + AFTER, &sink),
	                 LSR_GENERATE_END);
	ck_assert(!c->broken);
	ck_assert_uint_eq(c->delivered, NSAMP + AFTER);
	ck_assert_int_eq(c->nconfig, 1);
	int edges = 0;
	for (size_t i = NSAMP - MS(200); i < NSAMP + AFTER; i++) {
		if (!(c->marks[i] & 1) || (c->marks[i - 1] & 1))
			continue;
		ck_assert_uint_ge(i, NSAMP + MS(500));
		edges++;
		ck_assert(p2p(c->x[0], i + MS(6), i + MS(20)) < 70);
		ck_assert(p2p(c->x[2], i + MS(2), i + MS(8)) > 1200);
	}
	ck_assert(edges >= 2 && edges <= 3);
	lsr_driver_sim.destroy(st);
	cap_free(c);
}
END_TEST

static void count_config(void *ctx, const struct lsr_stream_config *cfg,
                         enum lsr_segment_reason why)
{
	(void)ctx, (void)cfg, (void)why;
}

static void count_block(void *ctx, const struct lsr_block *b)
{
	*(uint64_t *)ctx += (uint64_t)b->nsamp;
}

/* After the end, "everything" is bounded per call, never endless. */
START_TEST(after_end_is_bounded)
{
	struct lsr_driver_opts o = {"persistent", 2, DUR, 0, false};
	char err[200];
	void *st = lsr_driver_sim.create(&o, err, sizeof err);
	ck_assert_ptr_nonnull(st);
	uint64_t total = 0;
	struct lsr_source_sink sink = {&total, count_config, count_block, NULL};
	ck_assert_int_eq(lsr_driver_sim.generate(st, UINT64_MAX, &sink),
	                 LSR_GENERATE_END);
	ck_assert_uint_eq(total, NSAMP);
	ck_assert_int_eq(lsr_driver_sim.generate(st, UINT64_MAX, &sink),
	                 LSR_GENERATE_END);
	ck_assert_uint_gt(total, NSAMP);
	ck_assert_uint_le(total, NSAMP + 60 * LSR_SIM_RATE);
	lsr_driver_sim.destroy(st);
}
END_TEST

Suite *suite_sim(void)
{
	Suite *s = suite_create("sim");
	TCase *tc = tcase_create("sim");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, rejects_bad_options);
	tcase_add_test(tc, deterministic);
	tcase_add_test(tc, config_and_quantisation);
	tcase_add_loop_test(tc, stims_and_marks_match_truth, 0, 7);
	tcase_add_loop_test(tc, responses_match_truth, 0,
	                    (int)(sizeof signal_scenarios / sizeof signal_scenarios[0]));
	tcase_add_test(tc, background_noise_level);
	tcase_add_test(tc, noisy_has_its_noises);
	tcase_add_test(tc, ends_at_duration);
	tcase_add_test(tc, after_end_is_bounded);
	suite_add_tcase(s, tc);
	return s;
}
