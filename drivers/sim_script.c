/* drivers/sim_script.c — the simulated patient's scripted cases: which
 * stimuli, responses, marks and bursts happen when, and the ground truth
 * read from that very script. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_script.h"

#define MS(x) ((uint64_t)((x) * (LSR_SIM_RATE / 1000.0) + 0.5))

/* Nominal responses; each trial varies around them. */
static const double lsr_p2p_uv[LSR_SIM_CHANNELS] = {400, 300, 0};
static const double lsr_onset_base_ms[LSR_SIM_CHANNELS] = {9.8, 10.2, 0};
#define LATE_FRACTION 0.3
#define LATE_ONSET_MS 35.0
#define DIRECT_P2P_UV 1500.0
#define DIRECT_ONSET_MS 3.5
#define DROPOUT_P 0.06
#define DROPOUT_GAP 5 /* dropouts are single trials: never two within 5 */

struct frac_mark {
	double frac;
	const char *label;
};
struct frac_step {
	double frac, delay_s, scale; /* LSR × scale from frac + delay_s on */
};

/* Every mark sits at a fixed fraction of the duration; a loss follows its
 * mark by a few seconds whatever the duration.  Fractions are chosen so
 * that even the 60 s minimum keeps ≥ 20 s of clean baseline and each loss
 * lasts ≥ 13 s (10 absent trials at ≤ 1.1 s plus the sweep). */
struct lsr_sim_scenario {
	const char *name;
	bool sync, noisy;
	int nmarks;
	struct frac_mark marks[LSR_SIM_MAX_EVENTS];
	int nsteps;
	struct frac_step steps[LSR_SIM_MAX_EVENTS];
	double fail_from, fail_to; /* stimulus misses the nerve (0, 0: never) */
	const char *states, *final, *phase;
};

static const struct lsr_sim_scenario scenarios[] = {
	{"classic", true, false, 1, {{0.50, "Decompression"}}, 1, {{0.50, 4, 0}},
	 0, 0, "acquiring,present,reduced?,disappeared", "disappeared",
	 "after_decompression"},
	{"premature", true, false, 2,
	 {{0.35, "Dura open"}, {0.70, "Decompression"}}, 3,
	 {{0.35, 3, 0}, {0.62, 0, 1}, {0.70, 4, 0}}, 0, 0,
	 "acquiring,present,reduced?,disappeared,present,reduced?,disappeared",
	 "disappeared", "after_decompression"},
	{"persistent", true, false, 1, {{0.50, "Decompression"}}, 1,
	 {{0.50, 4, 0.8}}, 0, 0, "acquiring,present", "persistent", NULL},
	{"partial", true, false, 1, {{0.50, "Decompression"}}, 1,
	 {{0.50, 4, 0.35}}, 0, 0, "acquiring,present,reduced", "partial", NULL},
	{"stim-failure", true, false, 1, {{0.80, "Decompression"}}, 0, {{0, 0, 0}},
	 0.40, 0.55, "acquiring,present,stimulation_failure,present",
	 "persistent", NULL},
	{"noisy", true, true, 1, {{0.65, "Decompression"}}, 0, {{0, 0, 0}}, 0, 0,
	 "acquiring,present", "persistent", NULL},
	{"no-sync", false, false, 1, {{0.50, "Decompression"}}, 1, {{0.50, 4, 0}},
	 0, 0, "acquiring,present,reduced?,disappeared", "disappeared",
	 "after_decompression"},
};
#define NSCENARIOS (sizeof scenarios / sizeof scenarios[0])

const char *const lsr_sim_scenarios[] = {
	"classic", "premature", "persistent", "partial", "stim-failure",
	"noisy", "no-sync", NULL,
};

/* Noisy: spasm bursts at 38, 58, 88% and cautery at 45, 72% of the case. */
static const double spasm_at[] = {0.38, 0.58, 0.88};
static const double cautery_at[] = {0.45, 0.72};

static int burst_cmp(const void *a, const void *b)
{
	const struct lsr_sim_burst *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

static void lay_out_bursts(struct lsr_sim_script *s, uint64_t seed)
{
	struct lsr_sim_rng r;
	lsr_sim_rng_seed(&r, seed ^ 0x6275727374u); /* own stream: "burst" */
	double d = (double)s->end;
	for (size_t i = 0; i < sizeof spasm_at / sizeof spasm_at[0]; i++) {
		struct lsr_sim_burst *b = &s->bursts[s->nbursts++];
		b->kind = LSR_SIM_SPASM;
		b->start = (uint64_t)(spasm_at[i] * d);
		b->end = b->start + MS(200 + 800 * lsr_sim_rng_uniform(&r));
		b->period = 29 + (int)(12 * lsr_sim_rng_uniform(&r)); /* 250–345 Hz */
		b->amp_uv = 300 + 300 * lsr_sim_rng_uniform(&r);
	}
	for (size_t i = 0; i < sizeof cautery_at / sizeof cautery_at[0]; i++) {
		struct lsr_sim_burst *b = &s->bursts[s->nbursts++];
		b->kind = LSR_SIM_CAUTERY;
		b->start = (uint64_t)(cautery_at[i] * d);
		b->end = b->start + MS(1000 + 2000 * lsr_sim_rng_uniform(&r));
		b->period = 0;
		b->amp_uv = 1500 + 1500 * lsr_sim_rng_uniform(&r);
	}
	qsort(s->bursts, (size_t)s->nbursts, sizeof s->bursts[0], burst_cmp);
}

int lsr_sim_script_init(struct lsr_sim_script *s, const char *scenario,
                        uint64_t seed, double duration_s, char *err,
                        size_t errlen)
{
	memset(s, 0, sizeof *s);
	if (!scenario)
		scenario = "classic";
	if (duration_s == 0) /* unset options are zero */
		duration_s = LSR_SIM_DEFAULT_DURATION;
	for (size_t i = 0; i < NSCENARIOS; i++)
		if (strcmp(scenarios[i].name, scenario) == 0)
			s->scn = &scenarios[i];
	if (!s->scn) {
		snprintf(err, errlen,
		         "unknown scenario '%s' (classic, premature, persistent, "
		         "partial, stim-failure, noisy, no-sync)", scenario);
		return -1;
	}
	if (!(duration_s >= LSR_SIM_MIN_DURATION &&
	      duration_s <= LSR_SIM_MAX_DURATION)) {
		snprintf(err, errlen, "duration %g s out of range (%g to %g s)",
		         duration_s, LSR_SIM_MIN_DURATION, LSR_SIM_MAX_DURATION);
		return -1;
	}
	const struct lsr_sim_scenario *c = s->scn;
	s->end = (uint64_t)llround(duration_s * LSR_SIM_RATE);
	s->limit = s->end;
	double d = (double)s->end;
	s->sync = c->sync;
	s->noisy = c->noisy;
	lsr_sim_rng_seed(&s->rng, seed);
	s->since_dropout = DROPOUT_GAP;
	/* First stimulus 0.5–0.7 s in: a full pre-stimulus segment exists. */
	s->next = LSR_SIM_RATE / 2 +
	          (uint64_t)(lsr_sim_rng_uniform(&s->rng) * LSR_SIM_RATE / 5);
	s->nsteps = c->nsteps;
	for (int i = 0; i < c->nsteps; i++) {
		s->step_at[i] = (uint64_t)(c->steps[i].frac * d +
		                           c->steps[i].delay_s * LSR_SIM_RATE);
		s->step_scale[i] = c->steps[i].scale;
	}
	s->fail_from = (uint64_t)(c->fail_from * d);
	s->fail_to = (uint64_t)(c->fail_to * d);
	s->nmarks = c->nmarks;
	for (int i = 0; i < c->nmarks; i++) {
		s->marks[i].index = (uint64_t)(c->marks[i].frac * d);
		snprintf(s->marks[i].label, sizeof s->marks[i].label, "%s",
		         c->marks[i].label);
	}
	if (c->noisy)
		lay_out_bursts(s, seed);
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
	if (s->next < s->end + LSR_SIM_RATE / 2)
		s->next = s->end + LSR_SIM_RATE / 2;
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

/* The LSR's scripted amplitude factor at a sample (1 = baseline). */
static double scale_at(const struct lsr_sim_script *s, uint64_t index)
{
	double scale = 1.0;
	for (int i = 0; i < s->nsteps; i++)
		if (index >= s->step_at[i])
			scale = s->step_scale[i];
	return scale;
}

bool lsr_sim_script_next(struct lsr_sim_script *s, struct lsr_sim_stim *o)
{
	/* Every stimulus's sweep (+100 ms) ends well inside the case. */
	if (s->next + LSR_SIM_RATE / 5 > s->limit)
		return false;
	struct lsr_sim_rng *r = &s->rng;
	memset(o, 0, sizeof *o);
	o->n = ++s->n;
	o->index = s->next;
	/* Draw the same numbers for every stimulus whatever the scenario, so
	 * all scenarios with one seed share their stimulus train. */
	double shared = 1.0 + 0.12 * lsr_sim_rng_gauss(r);
	double jitter = lsr_sim_rng_uniform(r) - 0.5; /* ± 0.5 ms */
	double drop_draw = lsr_sim_rng_uniform(r);
	double ch_amp[2], ch_lat[2];
	for (int c = 0; c < 2; c++) {
		ch_amp[c] = 0.08 * lsr_sim_rng_gauss(r);
		ch_lat[c] = 0.1 * lsr_sim_rng_gauss(r);
	}
	double direct_amp = 1.0 + 0.05 * lsr_sim_rng_gauss(r);
	double direct_lat = 0.08 * lsr_sim_rng_gauss(r);
	s->next += 9 * LSR_SIM_RATE / 10 +
	           (uint64_t)(lsr_sim_rng_uniform(r) * LSR_SIM_RATE / 5);

	double scale = scale_at(s, o->index);
	o->reaches_nerve = !(o->index >= s->fail_from && o->index < s->fail_to);
	if (drop_draw < DROPOUT_P && s->since_dropout >= DROPOUT_GAP) {
		o->dropout = scale > 0 && o->reaches_nerve;
		s->since_dropout = 0;
	} else {
		s->since_dropout++;
	}
	for (int c = 0; c < 2; c++) {
		double f = clampd(shared + ch_amp[c], 0.6, 1.4);
		double lat = clampd(jitter + ch_lat[c], -0.5, 0.5);
		o->lsr_onset_ms[c] = grid_ms(lsr_onset_base_ms[c] + lat);
		o->late_onset_ms[c] = grid_ms(LATE_ONSET_MS + lat);
		if (o->reaches_nerve && !o->dropout && scale > 0) {
			o->lsr_uv[c] = lsr_p2p_uv[c] * f * scale;
			o->late_uv[c] = o->lsr_uv[c] * LATE_FRACTION;
		}
	}
	o->direct_onset_ms = grid_ms(DIRECT_ONSET_MS + clampd(direct_lat, -0.3, 0.3));
	if (o->reaches_nerve)
		o->direct_uv = DIRECT_P2P_UV * clampd(direct_amp, 0.85, 1.15);
	for (int i = 0; i < s->nbursts; i++)
		if (s->bursts[i].end + MS(10) > o->index &&
		    s->bursts[i].start < o->index + MS(100))
			o->contaminated = true;
	return true;
}

int lsr_sim_truth(const char *scenario, uint64_t seed, double duration_s,
                  struct lsr_sim_truth *out, char *err, size_t errlen)
{
	static const char *const labels[LSR_SIM_CHANNELS] = {
		"Mentalis", "Orbicularis oris", "Orbicularis oculi"};
	struct lsr_sim_script s;
	memset(out, 0, sizeof *out);
	if (lsr_sim_script_init(&s, scenario, seed, duration_s, err, errlen) < 0)
		return -1;
	/* Stimuli are ≥ 0.9 s apart. */
	size_t cap = (size_t)(s.end / (9 * LSR_SIM_RATE / 10)) + 2;
	out->stims = calloc(cap, sizeof *out->stims);
	if (!out->stims) {
		snprintf(err, errlen, "out of memory for %zu stimuli", cap);
		return -1;
	}
	out->rate = LSR_SIM_RATE;
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

	/* Loss and return follow the script's amplitude steps, read on the
	 * stimuli themselves. */
	bool on = true;
	struct lsr_sim_stim st;
	while ((size_t)out->nstims < cap && lsr_sim_script_next(&s, &st)) {
		double scale = scale_at(&s, st.index);
		double t = (double)st.index / LSR_SIM_RATE;
		if (on && scale == 0 && out->nloss < LSR_SIM_MAX_EVENTS)
			out->loss_t[out->nloss++] = t;
		else if (!on && scale > 0 && out->nreturn < LSR_SIM_MAX_EVENTS)
			out->return_t[out->nreturn++] = t;
		on = scale > 0;
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
