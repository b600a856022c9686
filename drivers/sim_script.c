/* drivers/sim_script.c — the simulated patient's scripted cases: which
 * stimuli, responses, marks and bursts happen when, and the ground truth
 * read from that very script. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_script.h"

/* Samples in x ms at the patient's rate. */
static uint64_t ms_at(int rate, double x)
{
	return (uint64_t)(x * (rate / 1000.0) + 0.5);
}

#define DROPOUT_GAP 5 /* dropouts are single trials: never two within 5 */

struct frac_mark {
	double frac;
	const char *label;
};
struct frac_step {
	double frac, delay_s, scale; /* LSR × scale from frac + delay_s on */
};

/* What a course does, for the population's own draws (lay_out_course). */
enum course {
	C_CURE, C_PREMATURE, C_PERSISTENT, C_PARTIAL, C_FAILURE, C_NOISY,
	C_INTENSITY, C_BLOCKADE, C_NOISE_RISE, C_NO_LSR,
};

/* Every mark sits at a fixed fraction of the duration; a loss follows its
 * mark by a few seconds whatever the duration.  Fractions are chosen so
 * that even the 60 s minimum keeps ≥ 20 s of clean baseline and each loss
 * lasts ≥ 13 s (10 absent trials at ≤ 1.1 s plus the sweep).  The steps
 * and the failure span are the reference patient's course; a drawn
 * patient draws its own from the ranges of its course (lay_out_course). */
struct lsr_sim_scenario {
	const char *name;
	enum course course;
	bool sync, noisy;
	int nmarks;
	struct frac_mark marks[LSR_SIM_MAX_EVENTS];
	int nsteps;
	struct frac_step steps[LSR_SIM_MAX_EVENTS];
	double fail_from, fail_to; /* stimulus misses the nerve (0, 0: never) */
	const char *states, *final, *phase;
};

static const struct lsr_sim_scenario scenarios[] = {
	{"classic", C_CURE, true, false, 1, {{0.50, "Decompression"}}, 1,
	 {{0.50, 4, 0}}, 0, 0, "acquiring,present,reduced?,disappeared",
	 "disappeared", "after_decompression"},
	{"premature", C_PREMATURE, true, false, 2,
	 {{0.35, "Dura open"}, {0.70, "Decompression"}}, 3,
	 {{0.35, 3, 0}, {0.62, 0, 1}, {0.70, 4, 0}}, 0, 0,
	 "acquiring,present,reduced?,disappeared,present,reduced?,disappeared",
	 "disappeared", "after_decompression"},
	{"persistent", C_PERSISTENT, true, false, 1, {{0.50, "Decompression"}}, 1,
	 {{0.50, 4, 0.8}}, 0, 0, "acquiring,present", "persistent", NULL},
	{"partial", C_PARTIAL, true, false, 1, {{0.50, "Decompression"}}, 1,
	 {{0.50, 4, 0.35}}, 0, 0, "acquiring,present,reduced", "partial", NULL},
	{"stim-failure", C_FAILURE, true, false, 1, {{0.80, "Decompression"}}, 0,
	 {{0, 0, 0}}, 0.40, 0.55, "acquiring,present,stimulation_failure,present",
	 "persistent", NULL},
	{"noisy", C_NOISY, true, true, 1, {{0.65, "Decompression"}}, 0,
	 {{0, 0, 0}}, 0, 0, "acquiring,present", "persistent", NULL},
	{"no-sync", C_CURE, false, false, 1, {{0.50, "Decompression"}}, 1,
	 {{0.50, 4, 0}}, 0, 0, "acquiring,present,reduced?,disappeared",
	 "disappeared", "after_decompression"},
	/* The false cures: the LSR falls with the direct response.  The
	 * reference patient's residual (15%: 60 and 45 µV) is still detected. */
	{"intensity", C_INTENSITY, true, false, 1, {{0.50, "Decompression"}}, 1,
	 {{0.55, 0, 0.15}}, 0, 0, "acquiring,present,reduced", "partial", NULL},
	{"blockade", C_BLOCKADE, true, false, 1, {{0.50, "Decompression"}}, 1,
	 {{0.45, 0, 0.15}}, 0, 0, "acquiring,present,reduced?", NULL, NULL},
	{"noise-rise", C_NOISE_RISE, true, false, 1, {{0.50, "Decompression"}}, 0,
	 {{0, 0, 0}}, 0, 0, "acquiring,present", "persistent", NULL},
	{"no-lsr", C_NO_LSR, true, false, 1, {{0.50, "Decompression"}}, 0,
	 {{0, 0, 0}}, 0, 0, "acquiring,not_detected", "not_detected", NULL},
};
#define NSCENARIOS (sizeof scenarios / sizeof scenarios[0])

const char *const lsr_sim_scenarios[] = {
	"classic", "premature", "persistent", "partial", "stim-failure",
	"noisy", "no-sync", "intensity", "blockade", "noise-rise", "no-lsr", NULL,
};

const char *lsr_sim_why_name(enum lsr_sim_why w)
{
	switch (w) {
	case LSR_SIM_USABLE: return NULL;
	case LSR_SIM_NO_NERVE: return "no_nerve";
	case LSR_SIM_NO_DIRECT: return "no_direct";
	case LSR_SIM_WHY_SPASM: return "spasm";
	case LSR_SIM_WHY_CAUTERY: return "cautery";
	case LSR_SIM_WHY_OFFSET: return "cautery_offset";
	}
	return NULL;
}

double lsr_sim_course_at(const struct lsr_sim_course *c, uint64_t index)
{
	double v = 1.0;
	for (int i = 0; i < c->n; i++) {
		if (index < c->at[i])
			break;
		if (index >= c->at[i] + c->ramp[i])
			v = c->to[i];
		else
			v += (c->to[i] - v) * (double)(index - c->at[i]) / (double)c->ramp[i];
	}
	return v;
}

static void course_add(struct lsr_sim_course *c, uint64_t at, uint64_t ramp,
                       double to)
{
	if (c->n < LSR_SIM_MAX_EVENTS) {
		c->at[c->n] = at;
		c->ramp[c->n] = ramp;
		c->to[c->n++] = to;
	}
}

/* Noisy: spasm bursts at 38, 58, 88% and cautery at 45, 72% of the case. */
static const double spasm_at[] = {0.38, 0.58, 0.88};
static const double cautery_at[] = {0.45, 0.72};

static int burst_cmp(const void *a, const void *b)
{
	const struct lsr_sim_burst *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

static double uni(struct lsr_sim_rng *r, double lo, double hi)
{
	return lo + (hi - lo) * lsr_sim_rng_uniform(r);
}

static void add_spasm(struct lsr_sim_script *s, uint64_t start, double ms,
                      double uv, struct lsr_sim_rng *r)
{
	struct lsr_sim_burst *b = &s->bursts[s->nbursts++];
	b->kind = LSR_SIM_SPASM;
	b->start = start;
	b->end = b->start + ms_at(s->pat.rate, ms);
	/* 250–345 Hz at every rate; the reference rate's own expression. */
	b->period = s->pat.rate == LSR_SIM_RATE
	                ? 29 + (int)(12 * lsr_sim_rng_uniform(r))
	                : (int)(s->pat.rate / uni(r, 250, 345));
	b->amp_uv = uv;
}

static void add_cautery(struct lsr_sim_script *s, uint64_t start, double ms,
                        double uv, double offset, double tau_s, bool clip)
{
	struct lsr_sim_burst *b = &s->bursts[s->nbursts++];
	b->kind = LSR_SIM_CAUTERY;
	b->start = start;
	b->end = b->start + ms_at(s->pat.rate, ms);
	b->period = 0;
	b->amp_uv = uv;
	b->offset_uv = offset * uv;
	b->offset_tau_s = tau_s;
	b->clip = clip;
}

static void lay_out_bursts(struct lsr_sim_script *s, uint64_t seed, bool noisy)
{
	struct lsr_sim_rng r;
	lsr_sim_rng_seed(&r, seed ^ 0x6275727374u); /* own stream: "burst" */
	double d = (double)s->end;
	bool ref = s->pat.id == 0;
	if (noisy) {
		for (size_t i = 0; i < sizeof spasm_at / sizeof spasm_at[0]; i++) {
			uint64_t at = (uint64_t)(spasm_at[i] * d);
			double ms = ref ? 200 + 800 * lsr_sim_rng_uniform(&r) : uni(&r, 50, 400);
			add_spasm(s, at, ms, 0, &r);
			s->bursts[s->nbursts - 1].amp_uv =
			    ref ? 300 + 300 * lsr_sim_rng_uniform(&r) : uni(&r, 50, 800);
		}
		for (size_t i = 0; i < sizeof cautery_at / sizeof cautery_at[0]; i++) {
			uint64_t at = (uint64_t)(cautery_at[i] * d);
			double ms = ref ? 1000 + 2000 * lsr_sim_rng_uniform(&r) : uni(&r, 1000, 4000);
			double uv = ref ? 1500 + 1500 * lsr_sim_rng_uniform(&r) : uni(&r, 1000, 10000);
			add_cautery(s, at, ms, uv, ref ? 0 : uni(&r, -0.5, 0.5),
			            ref ? 1 : uni(&r, 0.3, 1.5), !ref);
		}
	}
	/* A drawn patient's own bursts, anywhere after the first 15%. */
	const struct lsr_sim_patient *p = &s->pat;
	for (int i = 0; i < p->nspasm; i++)
		add_spasm(s, (uint64_t)(uni(&r, 0.15, 0.95) * d), p->spasm_ms[i],
		          p->spasm_uv[i], &r);
	for (int i = 0; i < p->ncautery; i++)
		add_cautery(s, (uint64_t)(uni(&r, 0.15, 0.95) * d),
		            1000 * p->cautery_s[i], p->cautery_uv[i],
		            p->cautery_offset[i], p->cautery_tau_s[i], true);
	qsort(s->bursts, (size_t)s->nbursts, sizeof s->bursts[0], burst_cmp);
}

static uint64_t at_s(const struct lsr_sim_script *s, uint64_t from, double sec)
{
	double x = (double)from + sec * s->pat.rate;
	return x <= 0 ? 0 : (uint64_t)x;
}

/* The reference patient follows the scenario's table; a drawn patient
 * draws the timing and depth of its course from the ranges of
 * man/lsrmon.1, SIMULATED PATIENTS. */
static void lay_out_course(struct lsr_sim_script *s, uint64_t seed)
{
	const struct lsr_sim_scenario *c = s->scn;
	double d = (double)s->end;
	int rate = s->pat.rate;
	s->fail_from = (uint64_t)(c->fail_from * d);
	s->fail_to = (uint64_t)(c->fail_to * d);
	s->has_lsr = c->course != C_NO_LSR;
	uint64_t dec = s->nmarks ? s->marks[s->nmarks - 1].index : 0;
	if (s->pat.id == 0) {
		for (int i = 0; i < c->nsteps; i++)
			course_add(&s->lsr, (uint64_t)(c->steps[i].frac * d +
			                               c->steps[i].delay_s * rate),
			           0, c->steps[i].scale);
		if (c->course == C_INTENSITY)
			course_add(&s->direct, s->lsr.at[0], 0, 0.55);
		if (c->course == C_BLOCKADE) {
			s->lsr.ramp[0] = (uint64_t)(120 * rate);
			course_add(&s->direct, s->lsr.at[0], s->lsr.ramp[0], 0.5);
		}
		if (c->course == C_NOISE_RISE)
			course_add(&s->noise, dec, (uint64_t)(30 * rate), 2.5);
		return;
	}
	struct lsr_sim_rng r;
	lsr_sim_rng_seed(&r, seed ^ (s->pat.id * 0x9e3779b97f4a7c15u) ^ 0x636f75727365u); /* "course" */
	uint64_t cure_at = at_s(s, dec, uni(&r, 0, 4));
	uint64_t cure_ramp = at_s(s, 0, uni(&r, 0, 20));
	switch (c->course) {
	case C_CURE:
		course_add(&s->lsr, cure_at, cure_ramp, 0);
		break;
	case C_PREMATURE: {
		uint64_t dura = s->marks[0].index;
		uint64_t at = at_s(s, dura, uni(&r, 0, 5)), ramp = at_s(s, 0, uni(&r, 0, 5));
		uint64_t back = at_s(s, at + ramp, uni(&r, 10, 60));
		uint64_t latest = (uint64_t)(0.66 * d); /* before the Decompression mark */
		course_add(&s->lsr, at, ramp, 0);
		course_add(&s->lsr, back < latest ? back : latest, 0, 1);
		course_add(&s->lsr, cure_at, cure_ramp, 0);
		break;
	}
	case C_PERSISTENT:
		course_add(&s->lsr, cure_at, cure_ramp, uni(&r, 0.6, 1.0));
		break;
	case C_PARTIAL:
		course_add(&s->lsr, cure_at, cure_ramp, uni(&r, 0.1, 0.4));
		break;
	case C_FAILURE: {
		uint64_t to = at_s(s, s->fail_from, uni(&r, 20, 120));
		uint64_t latest = (uint64_t)(0.78 * d); /* before the Decompression mark */
		s->fail_to = to < latest ? to : latest;
		break;
	}
	case C_INTENSITY: {
		uint64_t at = at_s(s, dec, uni(&r, 5, 30));
		course_add(&s->direct, at, 0, uni(&r, 0.4, 0.7));
		course_add(&s->lsr, at, 0, uni(&r, 0, 0.3));
		break;
	}
	case C_BLOCKADE: {
		uint64_t at = at_s(s, dec, uni(&r, -30, 30)), ramp = at_s(s, 0, uni(&r, 60, 300));
		course_add(&s->direct, at, ramp, 0.5);
		course_add(&s->lsr, at, ramp, uni(&r, 0, 0.3));
		break;
	}
	case C_NOISE_RISE:
		course_add(&s->noise, at_s(s, dec, uni(&r, 0, 10)),
		           at_s(s, 0, uni(&r, 10, 60)), uni(&r, 2, 3));
		break;
	case C_NOISY:
	case C_NO_LSR:
		break;
	}
}

int lsr_sim_script_init(struct lsr_sim_script *s,
                        const struct lsr_driver_opts *opts, char *err,
                        size_t errlen)
{
	memset(s, 0, sizeof *s);
	const char *scenario = opts->scenario ? opts->scenario : "classic";
	double duration_s = opts->duration_s;
	uint64_t seed = opts->seed;
	if (duration_s == 0) /* unset options are zero */
		duration_s = LSR_SIM_DEFAULT_DURATION;
	for (size_t i = 0; i < NSCENARIOS; i++)
		if (strcmp(scenarios[i].name, scenario) == 0)
			s->scn = &scenarios[i];
	if (!s->scn) {
		snprintf(err, errlen,
		         "unknown scenario '%s' (classic, premature, persistent, "
		         "partial, stim-failure, noisy, no-sync, intensity, "
		         "blockade, noise-rise, no-lsr)", scenario);
		return -1;
	}
	if (!(duration_s >= LSR_SIM_MIN_DURATION &&
	      duration_s <= LSR_SIM_MAX_DURATION)) {
		snprintf(err, errlen, "duration %g s out of range (%g to %g s)",
		         duration_s, LSR_SIM_MIN_DURATION, LSR_SIM_MAX_DURATION);
		return -1;
	}
	lsr_sim_patient_draw(opts->sim_patient, &s->pat);
	const struct lsr_sim_patient *p = &s->pat;
	const struct lsr_sim_scenario *c = s->scn;
	int rate = p->rate;
	s->end = (uint64_t)llround(duration_s * rate);
	s->limit = s->end;
	double d = (double)s->end;
	s->sync = c->sync;
	/* Mains and wander are traits of a drawn patient; the reference
	 * patient has them only in the noisy scenario. */
	s->wander = c->noisy || p->id != 0;
	s->hum = s->wander && !opts->sim_no_hum;
	/* Another patient, another train; patient 0 keeps the seed's own. */
	lsr_sim_rng_seed(&s->rng, seed ^ (p->id * 0x9e3779b97f4a7c15u));
	s->since_dropout = DROPOUT_GAP;
	/* First stimulus 0.5–0.7 s in: a full pre-stimulus segment exists. */
	s->next = (uint64_t)(rate / 2) +
	          (uint64_t)(lsr_sim_rng_uniform(&s->rng) * rate / 5);
	if (p->id == 0) {
		s->isi_min = (uint64_t)(9 * rate / 10);
		s->isi_mul = rate;
		s->isi_div = 5;
	} else {
		double isi = rate / p->stim_hz;
		s->isi_min = (uint64_t)((1 - p->stim_jitter) * isi);
		s->isi_mul = 2 * p->stim_jitter * isi;
		s->isi_div = 1;
	}
	s->nmarks = c->nmarks;
	for (int i = 0; i < c->nmarks; i++) {
		s->marks[i].index = (uint64_t)(c->marks[i].frac * d);
		snprintf(s->marks[i].label, sizeof s->marks[i].label, "%s",
		         c->marks[i].label);
	}
	lay_out_course(s, seed);
	lay_out_bursts(s, seed, c->noisy);
	return 0;
}

void lsr_sim_script_extend(struct lsr_sim_script *s)
{
	if (s->limit != s->end)
		return;
	s->limit = UINT64_MAX / 2;
	/* The stimulus the case could not fit would now fall before the
	 * first sample generated after the end: move it after it, ≥ 0.7 s
	 * from the case's last stimulus. */
	uint64_t half = (uint64_t)(s->pat.rate / 2);
	if (s->next < s->end + half)
		s->next = s->end + half;
}

const char *lsr_sim_script_name(const struct lsr_sim_script *s)
{
	return s->scn->name;
}

static double clampd(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* Latencies are kept on the generator's 0.01 ms grid so the truth is
 * exactly what was generated. */
static double grid_ms(double ms)
{
	return round(ms * 100.0) / 100.0;
}

/* The course's LSR factor at a sample (1 = baseline). */
static double scale_at(const struct lsr_sim_script *s, uint64_t index)
{
	return s->has_lsr ? lsr_sim_course_at(&s->lsr, index) : 0.0;
}

/* Why the stimulus's sweep is spoiled by a burst, if it is: the burst
 * overlaps −10…+100 ms, or a cautery's DC offset is still within two time
 * constants of its end. */
static enum lsr_sim_why contamination(const struct lsr_sim_script *s,
                                      uint64_t index)
{
	int rate = s->pat.rate;
	for (int i = 0; i < s->nbursts; i++) {
		const struct lsr_sim_burst *b = &s->bursts[i];
		if (b->end + ms_at(rate, 10) > index && b->start < index + ms_at(rate, 100))
			return b->kind == LSR_SIM_SPASM ? LSR_SIM_WHY_SPASM : LSR_SIM_WHY_CAUTERY;
	}
	for (int i = 0; i < s->nbursts; i++) {
		const struct lsr_sim_burst *b = &s->bursts[i];
		if (b->kind == LSR_SIM_CAUTERY && b->offset_uv != 0 && index >= b->end &&
		    (double)(index - b->end) < 2 * b->offset_tau_s * rate)
			return LSR_SIM_WHY_OFFSET;
	}
	return LSR_SIM_USABLE;
}

bool lsr_sim_script_next(struct lsr_sim_script *s, struct lsr_sim_stim *o)
{
	const struct lsr_sim_patient *p = &s->pat;
	/* Every stimulus's sweep (+100 ms) ends well inside the case. */
	if (s->next + (uint64_t)(p->rate / 5) > s->limit)
		return false;
	struct lsr_sim_rng *r = &s->rng;
	memset(o, 0, sizeof *o);
	o->n = ++s->n;
	o->index = s->next;
	/* Draw the same numbers for every stimulus whatever the scenario, so
	 * all scenarios with one seed share their stimulus train. */
	double shared = 1.0 + p->cv_shared * lsr_sim_rng_gauss(r);
	double jitter = (lsr_sim_rng_uniform(r) - 0.5) * (2 * p->jitter_ms);
	double drop_draw = lsr_sim_rng_uniform(r);
	double ch_amp[2], ch_lat[2];
	for (int c = 0; c < 2; c++) {
		ch_amp[c] = p->cv_channel * lsr_sim_rng_gauss(r);
		ch_lat[c] = p->jitter_ch_ms * lsr_sim_rng_gauss(r);
	}
	double direct_amp = 1.0 + 0.05 * lsr_sim_rng_gauss(r);
	double direct_lat = 0.08 * lsr_sim_rng_gauss(r);
	s->next += s->isi_min +
	           (uint64_t)(lsr_sim_rng_uniform(r) * s->isi_mul / s->isi_div);

	double scale = scale_at(s, o->index);
	o->factor = scale;
	o->direct_factor = lsr_sim_course_at(&s->direct, o->index);
	o->reaches_nerve = !(o->index >= s->fail_from && o->index < s->fail_to);
	if (drop_draw < p->dropout_p && s->since_dropout >= DROPOUT_GAP) {
		o->dropout = scale > 0 && o->reaches_nerve;
		s->since_dropout = 0;
	} else {
		s->since_dropout++;
	}
	double drift = p->drift_ms * (double)o->index / (double)s->end;
	for (int c = 0; c < 2; c++) {
		double f = clampd(shared + ch_amp[c], p->f_min, p->f_max);
		double lat = clampd(jitter + ch_lat[c], -p->jitter_ms, p->jitter_ms);
		o->trial_f[c] = f;
		o->lsr_onset_ms[c] = grid_ms(p->lsr_onset_ms[c] + lat + drift);
		o->late_onset_ms[c] = grid_ms(p->late_onset_ms + lat + drift);
		if (o->reaches_nerve && !o->dropout && scale > 0) {
			o->lsr_uv[c] = p->lsr_uv[c] * f * scale;
			o->late_uv[c] = o->lsr_uv[c] * p->late_fraction;
		}
	}
	o->direct_onset_ms = grid_ms(p->direct_onset_ms + clampd(direct_lat, -0.3, 0.3));
	if (o->reaches_nerve)
		o->direct_uv = p->direct_uv * clampd(direct_amp, 0.85, 1.15) *
		               o->direct_factor;
	double ng = lsr_sim_course_at(&s->noise, o->index);
	for (int c = 0; c < LSR_SIM_CHANNELS; c++)
		o->noise_uv[c] = p->noise_uv * ng;
	enum lsr_sim_why w = contamination(s, o->index);
	o->contaminated = w != LSR_SIM_USABLE;
	if (!o->reaches_nerve)
		w = LSR_SIM_NO_NERVE;
	else if (o->direct_factor < 0.5)
		w = LSR_SIM_NO_DIRECT;
	o->why = w;
	return true;
}

int lsr_sim_truth(const struct lsr_driver_opts *opts,
                  struct lsr_sim_truth *out, char *err, size_t errlen)
{
	static const char *const labels[LSR_SIM_CHANNELS] = {
		"Mentalis", "Orbicularis oris", "Orbicularis oculi"};
	struct lsr_sim_script s;
	memset(out, 0, sizeof *out);
	if (lsr_sim_script_init(&s, opts, err, errlen) < 0)
		return -1;
	size_t cap = (size_t)(s.end / s.isi_min) + 2;
	out->stims = calloc(cap, sizeof *out->stims);
	if (!out->stims) {
		snprintf(err, errlen, "out of memory for %zu stimuli", cap);
		return -1;
	}
	out->patient = s.pat;
	out->scenario = s.scn->name;
	out->rate = s.pat.rate;
	out->channels = LSR_SIM_CHANNELS;
	for (int c = 0; c < LSR_SIM_CHANNELS; c++)
		out->labels[c] = labels[c];
	out->end_index = s.end;
	out->sync = s.sync;
	out->nmarks = s.nmarks;
	memcpy(out->marks, s.marks, sizeof s.marks);
	out->nbursts = s.nbursts;
	memcpy(out->bursts, s.bursts, sizeof s.bursts);
	out->expected_states = s.scn->states;
	out->expected_final = s.scn->final;
	out->expected_phase = s.scn->phase;

	/* Loss and return follow the course, read on the stimuli themselves:
	 * lost while the factor is ≤ 0.05 (the definition of a true loss). */
	bool on = s.has_lsr;
	struct lsr_sim_stim st;
	while ((size_t)out->nstims < cap && lsr_sim_script_next(&s, &st)) {
		double t = (double)st.index / s.pat.rate;
		bool now = st.factor > 0.05;
		if (on && !now && out->nloss < LSR_SIM_MAX_EVENTS)
			out->loss_t[out->nloss++] = t;
		else if (!on && now && out->nreturn < LSR_SIM_MAX_EVENTS)
			out->return_t[out->nreturn++] = t;
		on = now;
		out->stims[out->nstims++] = st;
	}
	return 0;
}

void lsr_sim_truth_free(struct lsr_sim_truth *t)
{
	free(t->stims);
	t->stims = NULL;
	t->nstims = 0;
}
