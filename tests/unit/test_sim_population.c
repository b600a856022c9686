/* tests/unit/test_sim_population.c — the simulated population covers the
 * patients seen in theatre: over 1000 drawn patients every quantity stays
 * inside its range and reaches within 10% (of the range's width) of both
 * ends.  The ranges are written here from the clinical table (man/lsrmon.1,
 * SIMULATED PATIENTS), not read back from the generator. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define NPAT 1000

/* One quantity: its range, and up to LSR_SIM_CHANNELS values per patient
 * (a value per channel, per burst, …); n < 0 means "none for this one". */
struct quantity {
	const char *name;
	double lo, hi;
	int (*get)(const struct lsr_sim_patient *p, double *v);
};

static int larger_lsr(const struct lsr_sim_patient *p, double *v) { v[0] = p->lsr_uv[0]; return 1; }
static int second_ratio(const struct lsr_sim_patient *p, double *v) { v[0] = p->lsr_uv[1] / p->lsr_uv[0]; return 1; }
static int onset(const struct lsr_sim_patient *p, double *v) { v[0] = p->lsr_onset_ms[0]; v[1] = p->lsr_onset_ms[1]; return 2; }

static int duration(const struct lsr_sim_patient *p, double *v)
{
	for (int c = 0; c < 2; c++) {
		v[c] = 0;
		for (int i = 0; i < p->shape[c].nlobes; i++)
			v[c] += p->shape[c].lobes[i].ms;
	}
	return 2;
}

static int phases(const struct lsr_sim_patient *p, double *v) { v[0] = p->shape[0].nlobes; v[1] = p->shape[1].nlobes; return 2; }
static int trial_cv(const struct lsr_sim_patient *p, double *v) { v[0] = hypot(p->cv_shared, p->cv_channel); return 1; }
static int jitter(const struct lsr_sim_patient *p, double *v) { v[0] = p->jitter_ms; return 1; }
static int dropouts(const struct lsr_sim_patient *p, double *v) { v[0] = p->dropout_p; return 1; }
static int late_frac(const struct lsr_sim_patient *p, double *v) { v[0] = p->late_fraction; return 1; }
static int late_onset(const struct lsr_sim_patient *p, double *v) { v[0] = p->late_onset_ms; return 1; }
static int direct(const struct lsr_sim_patient *p, double *v) { v[0] = p->direct_uv; return 1; }
static int direct_onset(const struct lsr_sim_patient *p, double *v) { v[0] = p->direct_onset_ms; return 1; }
static int noise(const struct lsr_sim_patient *p, double *v) { v[0] = p->noise_uv; return 1; }
static int mains(const struct lsr_sim_patient *p, double *v) { v[0] = p->mains_uv; return 1; }
static int mains_hz(const struct lsr_sim_patient *p, double *v) { v[0] = p->mains_hz; return 1; }
static int harmonics(const struct lsr_sim_patient *p, double *v) { v[0] = p->mains_h2; v[1] = p->mains_h3; return 2; }
static int mains_drift(const struct lsr_sim_patient *p, double *v) { v[0] = p->mains_drift_hz; return 1; }
static int wander(const struct lsr_sim_patient *p, double *v) { v[0] = p->wander_uv; return 1; }
static int wander_hz(const struct lsr_sim_patient *p, double *v) { v[0] = p->wander_hz; return 1; }

static int artifact(const struct lsr_sim_patient *p, double *v)
{
	for (int c = 0; c < LSR_SIM_CHANNELS; c++)
		v[c] = fabs(p->art_pulse_uv[c]);
	return LSR_SIM_CHANNELS;
}

static int tail_frac(const struct lsr_sim_patient *p, double *v)
{
	for (int c = 0; c < LSR_SIM_CHANNELS; c++)
		v[c] = p->art_tail_uv[c] / p->art_pulse_uv[c];
	return LSR_SIM_CHANNELS;
}

static int tail_tau(const struct lsr_sim_patient *p, double *v)
{
	for (int c = 0; c < LSR_SIM_CHANNELS; c++)
		v[c] = p->art_tau_ms[c];
	return LSR_SIM_CHANNELS;
}

/* Polarity per channel: +1 or −1, so both ends are reached on each. */
static int polarity0(const struct lsr_sim_patient *p, double *v) { v[0] = p->art_pulse_uv[0] > 0 ? 1 : -1; return 1; }
static int polarity1(const struct lsr_sim_patient *p, double *v) { v[0] = p->art_pulse_uv[1] > 0 ? 1 : -1; return 1; }
static int polarity2(const struct lsr_sim_patient *p, double *v) { v[0] = p->art_pulse_uv[2] > 0 ? 1 : -1; return 1; }
static int stim_hz(const struct lsr_sim_patient *p, double *v) { v[0] = p->stim_hz; return 1; }
static int stim_jitter(const struct lsr_sim_patient *p, double *v) { v[0] = p->stim_jitter; return 1; }
static int rate(const struct lsr_sim_patient *p, double *v) { v[0] = p->rate; return 1; }
static int bits(const struct lsr_sim_patient *p, double *v) { v[0] = p->format_bits; return 1; }
static int drift(const struct lsr_sim_patient *p, double *v) { v[0] = p->drift_ms; return 1; }

static int spasm_ms(const struct lsr_sim_patient *p, double *v)
{
	memcpy(v, p->spasm_ms, (size_t)p->nspasm * sizeof *v);
	return p->nspasm;
}

static int spasm_uv(const struct lsr_sim_patient *p, double *v)
{
	memcpy(v, p->spasm_uv, (size_t)p->nspasm * sizeof *v);
	return p->nspasm;
}

static int cautery_s(const struct lsr_sim_patient *p, double *v)
{
	memcpy(v, p->cautery_s, (size_t)p->ncautery * sizeof *v);
	return p->ncautery;
}

static int cautery_uv(const struct lsr_sim_patient *p, double *v)
{
	memcpy(v, p->cautery_uv, (size_t)p->ncautery * sizeof *v);
	return p->ncautery;
}

/* The clinical table, "The patients differ". */
static const struct quantity table[] = {
	{"LSR p2p, larger channel (µV)", 20, 1000, larger_lsr},
	{"second LSR channel (fraction of the first)", 0.2, 1.2, second_ratio},
	{"LSR onset (ms)", 8, 13, onset},
	{"LSR duration (ms)", 4, 15, duration},
	{"LSR phases", 1, 5, phases},
	{"trial amplitude CV", 0.1, 0.5, trial_cv},
	{"latency jitter (ms)", 0.1, 0.6, jitter},
	{"single-trial dropouts (fraction)", 0, 0.1, dropouts},
	{"late component (fraction of the LSR)", 0, 0.4, late_frac},
	{"late component latency (ms)", 25, 45, late_onset},
	{"direct response (µV)", 200, 3000, direct},
	{"direct response onset (ms)", 2.5, 5, direct_onset},
	{"background noise (µV RMS)", 2, 15, noise},
	{"mains (µV)", 0, 80, mains},
	{"mains frequency (Hz)", 50, 60, mains_hz},
	{"mains harmonics (fraction)", 0, 0.3, harmonics},
	{"mains drift (Hz)", 0, 0.1, mains_drift},
	{"baseline wander (µV)", 0, 200, wander},
	{"baseline wander frequency (Hz)", 0.1, 1, wander_hz},
	{"stimulus artifact (µV)", 300, 8000, artifact},
	{"artifact tail (fraction of the pulse)", 0.2, 0.8, tail_frac},
	{"artifact tail tau (ms)", 0.2, 2, tail_tau},
	{"artifact polarity, ch 0", -1, 1, polarity0},
	{"artifact polarity, ch 1", -1, 1, polarity1},
	{"artifact polarity, ch 2", -1, 1, polarity2},
	{"stimulus rate (Hz)", 0.5, 2, stim_hz},
	{"stimulus jitter (fraction)", 0.05, 0.05, stim_jitter},
	{"sampling rate (Hz)", 5000, 40000, rate},
	{"sample format (bits)", 16, 24, bits},
	{"LSR latency drift over the case (ms)", 0, 2, drift},
	{"spasm burst (ms)", 50, 400, spasm_ms},
	{"spasm burst (µV)", 50, 800, spasm_uv},
	{"cautery (s)", 1, 4, cautery_s},
	{"cautery (µV)", 1000, 10000, cautery_uv},
};
#define NQ ((int)(sizeof table / sizeof table[0]))

START_TEST(population_covers_clinical_ranges)
{
	const struct quantity *q = &table[_i];
	double lo = INFINITY, hi = -INFINITY;
	int nvalues = 0;
	for (uint64_t n = 1; n <= NPAT; n++) {
		struct lsr_sim_patient p;
		lsr_sim_patient_draw(n, &p);
		double v[LSR_SIM_MAX_BURSTS];
		int k = q->get(&p, v);
		for (int i = 0; i < k; i++) {
			lo = fmin(lo, v[i]);
			hi = fmax(hi, v[i]);
			nvalues++;
		}
	}
	double tol = 0.1 * (q->hi - q->lo);
	ck_assert_msg(nvalues >= NPAT / 2, "%s: only %d values", q->name, nvalues);
	ck_assert_msg(lo >= q->lo - 1e-9 && hi <= q->hi + 1e-9,
	              "%s: %g–%g outside %g–%g", q->name, lo, hi, q->lo, q->hi);
	ck_assert_msg(lo <= q->lo + tol && hi >= q->hi - tol,
	              "%s: %g–%g does not span %g–%g", q->name, lo, hi, q->lo, q->hi);
}
END_TEST

/* Patient 0 is the reference patient; the same n draws the same patient;
 * another n another one. */
START_TEST(draws_are_deterministic)
{
	struct lsr_sim_patient a, b, c, r;
	lsr_sim_patient_draw(17, &a);
	lsr_sim_patient_draw(17, &b);
	lsr_sim_patient_draw(18, &c);
	ck_assert(memcmp(&a, &b, sizeof a) == 0);
	ck_assert(memcmp(&a, &c, sizeof a) != 0);
	lsr_sim_patient_draw(0, &r);
	ck_assert_int_eq(r.rate, LSR_SIM_RATE);
	ck_assert_double_eq(r.lsr_uv[0], 400);
	ck_assert_double_eq(r.lsr_uv[1], 300);
	ck_assert_double_eq(r.noise_uv, 6);
}
END_TEST

/* What a drawn patient's generator delivers: its rate and format, every
 * sample on its quantum, sync edges exactly at the true stimuli, and the
 * same samples whatever the chunking. */
struct run {
	struct lsr_stream_config cfg;
	size_t n, cap;
	float *x;       /* channel 0 */
	uint8_t *marks;
	bool off_quantum;
};

static void run_config(void *ctx, const struct lsr_stream_config *cfg,
                       enum lsr_segment_reason why)
{
	(void)why;
	((struct run *)ctx)->cfg = *cfg;
}

static void run_block(void *ctx, const struct lsr_block *b)
{
	struct run *r = ctx;
	for (int i = 0; i < b->nsamp && r->n < r->cap; i++, r->n++) {
		for (int c = 0; c < b->channels; c++) {
			double k = b->samples[(size_t)c * b->stride + (size_t)i] / r->cfg.uv_per_lsb;
			r->off_quantum |= k != floor(k);
		}
		r->x[r->n] = b->samples[i];
		r->marks[r->n] = b->marks[i];
	}
}

static void generate(uint64_t patient, int chunk, struct run *r)
{
	struct lsr_driver_opts o = {"classic", 4, 60, patient, false};
	char err[200];
	void *st = lsr_driver_sim.create(&o, err, sizeof err);
	ck_assert_msg(st != NULL, "%s", err);
	r->cap = 60 * LSR_SIM_MAX_RATE;
	r->x = calloc(r->cap, sizeof *r->x);
	r->marks = calloc(r->cap, 1);
	ck_assert(r->x && r->marks);
	struct lsr_source_sink sink = {r, run_config, run_block, NULL};
	uint64_t until = 0;
	while (lsr_driver_sim.generate(st, until += (uint64_t)chunk, &sink) ==
	       LSR_GENERATE_MORE)
		;
	lsr_driver_sim.destroy(st);
}

START_TEST(drawn_patient_generates_its_truth)
{
	uint64_t patient = 1 + (uint64_t)_i;
	struct lsr_sim_truth t;
	char err[200];
	struct lsr_driver_opts o = {"classic", 4, 60, patient, false};
	ck_assert_int_eq(lsr_sim_truth(&o, &t, err, sizeof err), 0);
	struct run a = {0}, b = {0};
	generate(patient, 4096, &a);
	generate(patient, 777, &b);
	ck_assert_int_eq(a.cfg.rate, t.patient.rate);
	ck_assert_int_eq(a.cfg.format_bits, t.patient.format_bits);
	ck_assert_uint_eq(a.n, t.end_index);
	ck_assert_uint_eq(b.n, a.n);
	ck_assert(!a.off_quantum);
	ck_assert(memcmp(a.x, b.x, a.n * sizeof *a.x) == 0);
	int k = 0;
	for (size_t i = 0; i < a.n; i++) {
		if (!(a.marks[i] & LSR_MARK_STIM) || (i && (a.marks[i - 1] & LSR_MARK_STIM)))
			continue;
		ck_assert_int_lt(k, t.nstims);
		ck_assert_uint_eq(t.stims[k++].index, i);
	}
	ck_assert_int_eq(k, t.nstims);
	/* The stimulus rate is the patient's, within its ±5%. */
	double isi = (double)(t.stims[t.nstims - 1].index - t.stims[0].index) /
	             (t.nstims - 1) / t.rate;
	ck_assert_msg(fabs(isi * t.patient.stim_hz - 1) < 0.05, "isi %.3f s", isi);
	free(a.x), free(a.marks), free(b.x), free(b.marks);
	lsr_sim_truth_free(&t);
}
END_TEST

Suite *suite_sim_population(void)
{
	Suite *s = suite_create("sim_population");
	TCase *tc = tcase_create("sim_population");
	tcase_add_loop_test(tc, population_covers_clinical_ranges, 0, NQ);
	tcase_add_test(tc, draws_are_deterministic);
	tcase_add_loop_test(tc, drawn_patient_generates_its_truth, 0, 6);
	suite_add_tcase(s, tc);
	return s;
}
