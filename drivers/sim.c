/* drivers/sim.c — the simulated patient: three channels of facial EMG at
 * the patient's rate with stimulus artifacts, direct responses and a
 * lateral spread response, following the scripted case of sim_script.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_script.h"

#define STEPS_PER_MS 100         /* templates in 0.01 ms steps */
#define RESP_MS 50               /* a stimulus affects 50 ms */
#define RESP_MAX (RESP_MS * LSR_SIM_MAX_RATE / 1000)
#define TMPL_MAX (16 * STEPS_PER_MS) /* ≤ 16 ms per template */
#define SPIKE_MAX (LSR_SIM_MAX_RATE * 14 / 10000) /* a 1.3 ms spike, and a sample */
#define RAMP_MS 50               /* burst envelope ramp */
#define HUM_STEP 1024            /* mains frequency updated every so many samples */
#define MAX_PULSE 8              /* 0.2 ms stimulus pulse at ≤ 40 kHz */

/* A template: alternating half-sine lobes (duration ms, peak), so each
 * waveform starts exactly at its onset and is continuous. */
static const struct lsr_sim_lobe late_lobes[] = {
	{1.5, 0.5}, {2.0, -1.0}, {2.0, 0.6}, {2.5, -0.3}};
static const struct lsr_sim_lobe direct_lobes[] = {
	{1.2, 1.0}, {2.0, -0.8}, {2.5, 0.15}};
static const struct lsr_sim_lobe spike_lobes[] = {{0.5, 1.0}, {0.8, -0.6}};

/* Spasm spike size on each channel relative to the burst's amplitude. */
static const double spasm_gain[LSR_SIM_CHANNELS] = {1.0, 0.8, 0.3};

struct tmpl {
	int len;
	float v[TMPL_MAX];
};

struct sim {
	struct lsr_sim_script sc;
	const struct lsr_sim_patient *p; /* the script's patient */
	int rate;
	struct lsr_stream_config cfg;
	bool configured;
	uint64_t pos;
	int next_mark;
	bool have_cur, have_nxt;
	struct lsr_sim_stim cur, nxt;
	/* One stream per process and channel: each advances once per sample
	 * it shapes, so the samples do not depend on how calls are chunked. */
	struct lsr_sim_rng rng[LSR_SIM_CHANNELS], wander_rng[LSR_SIM_CHANNELS],
	    cautery_rng[LSR_SIM_CHANNELS];
	double lp[LSR_SIM_CHANNELS], hp_x[LSR_SIM_CHANNELS],
	    hp_y[LSR_SIM_CHANNELS], wander[LSR_SIM_CHANNELS];
	/* Background filters and gains at this rate (render_background). */
	double noise_a, noise_hp, noise_gain, wander_a, wander_gain;
	double hum_c[3], hum_s[3];   /* mains phasors: fundamental, 2nd, 3rd */
	double hum_rc[3], hum_rs[3]; /* their rotation per sample */
	uint64_t spike_len, pulse_len, resp_len, ramp;
	long full_lsb;
	struct tmpl lsr[2], faded[2], late, direct;
	float spike[SPIKE_MAX];
	float art[LSR_SIM_CHANNELS][RESP_MAX];
	uint64_t frames;
	float buf[LSR_SIM_CHANNELS * LSR_MAX_BLOCK];
	uint8_t marks[LSR_MAX_BLOCK];
};

/* Fills out[0..max) at `step` ms per sample; returns the length.  The
 * result is scaled to a peak-to-peak of 1. */
static int build_lobes(const struct lsr_sim_lobe *l, int nl, double step,
                       float *out, int max)
{
	int n = 0;
	double start = 0, hi = 0, lo = 0;
	for (int i = 0; i < nl; i++) {
		for (; n < max && n * step < start + l[i].ms; n++) {
			out[n] = (float)(l[i].peak *
			                 sin(M_PI * (n * step - start) / l[i].ms));
			hi = fmax(hi, out[n]);
			lo = fmin(lo, out[n]);
		}
		start += l[i].ms;
	}
	for (int i = 0; i < n; i++)
		out[i] = (float)(out[i] / (hi - lo));
	return n;
}

#define NLOBES(a) ((int)(sizeof(a) / sizeof((a)[0])))

static void build_tmpl(struct tmpl *t, const struct lsr_sim_lobe *l, int nl)
{
	t->len = build_lobes(l, nl, 1.0 / STEPS_PER_MS, t->v, TMPL_MAX);
}

/* The mains phasors' rotation at the drifting frequency for the samples
 * from `index` on (the same for every chunking: set at fixed indices). */
static void hum_rotation(struct sim *s, int h, uint64_t index)
{
	const struct lsr_sim_patient *p = s->p;
	double f = p->mains_hz;
	if (p->mains_drift_hz != 0)
		f += p->mains_drift_hz *
		     sin(2 * M_PI * (double)index / s->rate / p->mains_drift_period_s);
	s->hum_rc[h] = cos(2 * M_PI * f * (h + 1) / s->rate);
	s->hum_rs[h] = sin(2 * M_PI * f * (h + 1) / s->rate);
}

static void build_waveforms(struct sim *s)
{
	const struct lsr_sim_patient *p = s->p;
	for (int c = 0; c < 2; c++) {
		const struct lsr_sim_shape *sh = &p->shape[c];
		build_tmpl(&s->lsr[c], sh->lobes, sh->nlobes);
		/* Fading, the LSR keeps its first phases (at least one). */
		build_tmpl(&s->faded[c], sh->lobes, (sh->nlobes + 1) / 2);
	}
	build_tmpl(&s->late, late_lobes, NLOBES(late_lobes));
	build_tmpl(&s->direct, direct_lobes, NLOBES(direct_lobes));
	s->spike_len = (uint64_t)(s->rate * 14 / 10000);
	build_lobes(spike_lobes, NLOBES(spike_lobes), 1000.0 / s->rate, s->spike,
	            (int)s->spike_len);
	for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
		double k = exp(-1000.0 / s->rate / p->art_tau_ms[c]);
		double v = p->art_tail_uv[c];
		for (uint64_t i = 0; i < s->resp_len; i++) {
			if (i < s->pulse_len) {
				s->art[c][i] = (float)p->art_pulse_uv[c];
			} else {
				s->art[c][i] = (float)v;
				v *= k;
			}
		}
	}
}

/* The background's filters at this rate.  The reference patient keeps the
 * constants it was made with, so that every fixture stays the same. */
static void background_coefficients(struct sim *s)
{
	const struct lsr_sim_patient *p = s->p;
	if (p->id == 0) {
		s->noise_a = 0.285;      /* exp(−2π·2k/10k) */
		s->noise_hp = 0.99374;   /* 10 Hz */
		s->noise_gain = p->noise_uv / 0.7455; /* LP passes sqrt((1−a)/(1+a)) */
		s->wander_a = 3.1416e-4; /* 0.5 Hz low-pass */
		s->wander_gain = p->wander_uv / 0.012534; /* sqrt(wa / (2 − wa)) */
	} else {
		double a = exp(-2 * M_PI * 2000.0 / s->rate);
		double wa = 2 * M_PI * p->wander_hz / s->rate;
		s->noise_a = a;
		s->noise_hp = exp(-2 * M_PI * 10.0 / s->rate);
		s->noise_gain = p->noise_uv / sqrt((1 - a) / (1 + a));
		s->wander_a = wa;
		s->wander_gain = p->wander_uv / sqrt(wa / (2 - wa));
	}
	for (int h = 0; h < 3; h++) {
		s->hum_c[h] = 1.0, s->hum_s[h] = 0.0;
		hum_rotation(s, h, 0);
	}
}

static void *sim_create(const struct lsr_driver_opts *opts, char *err,
                        size_t errlen)
{
	struct sim *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "sim: out of memory");
		return NULL;
	}
	if (lsr_sim_script_init(&s->sc, opts, err, errlen) < 0) {
		free(s);
		return NULL;
	}
	s->p = &s->sc.pat;
	s->rate = s->p->rate;
	static const char *const labels[LSR_SIM_CHANNELS] = {
		"Mentalis", "Orbicularis oris", "Orbicularis oculi"};
	struct lsr_stream_config *cfg = &s->cfg;
	cfg->rate = s->rate;
	cfg->channels = LSR_SIM_CHANNELS;
	for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
		snprintf(cfg->labels[c], sizeof cfg->labels[c], "%s", labels[c]);
		uint64_t k = opts->seed ^ ((uint64_t)c << 56) ^
		             (s->p->id * 0x9e3779b97f4a7c15u);
		lsr_sim_rng_seed(&s->rng[c], k ^ 0x6e6f697365u);       /* "noise" */
		lsr_sim_rng_seed(&s->wander_rng[c], k ^ 0x77616e64u);  /* "wand" */
		lsr_sim_rng_seed(&s->cautery_rng[c], k ^ 0x63617574u); /* "caut" */
	}
	int bits = s->p->format_bits;
	s->full_lsb = (1L << (bits - 1)) - 1;
	cfg->uv_per_lsb = s->p->uv_per_lsb;
	cfg->full_scale_uv = s->p->uv_per_lsb * (double)(s->full_lsb + 1);
	cfg->format_bits = bits;
	if (s->p->id == 0)
		snprintf(cfg->device, sizeof cfg->device,
		         "lsrmon " LSR_SIMULATION_WORD ": simulated patient (%s, seed %llu, %g s)",
		         lsr_sim_script_name(&s->sc), (unsigned long long)opts->seed,
		         (double)s->sc.end / s->rate);
	else
		snprintf(cfg->device, sizeof cfg->device,
		         "lsrmon " LSR_SIMULATION_WORD ": simulated patient %llu (%s, seed %llu, %g s)",
		         (unsigned long long)s->p->id, lsr_sim_script_name(&s->sc),
		         (unsigned long long)opts->seed, (double)s->sc.end / s->rate);
	snprintf(cfg->prefilter, sizeof cfg->prefilter, "HP:10Hz LP:%dHz",
	         s->rate / 2 < 5000 ? s->rate / 2 : 5000);
	s->pulse_len = (uint64_t)lround(0.2 * s->rate / 1000);
	s->resp_len = (uint64_t)(RESP_MS * s->rate / 1000);
	s->ramp = (uint64_t)(RAMP_MS * s->rate / 1000);
	background_coefficients(s);
	s->have_nxt = lsr_sim_script_next(&s->sc, &s->nxt);
	build_waveforms(s);
	return s;
}

static void sim_destroy(void *st)
{
	free(st);
}

/* Background: white noise through a 1-pole low-pass (~2 kHz) and a 1-pole
 * high-pass (10 Hz), the amplifier's band (its level following the
 * noise course); then wander and mains where the patient has them. */
static void render_background(struct sim *s, uint64_t a0, int n)
{
	const double a = s->noise_a, hp = s->noise_hp, gain = s->noise_gain;
	const double wa = s->wander_a, wgain = s->wander_gain;
	const struct lsr_sim_course *nc = &s->sc.noise;
	for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
		float *o = s->buf + (size_t)c * LSR_MAX_BLOCK;
		struct lsr_sim_rng *r = &s->rng[c];
		double lp = s->lp[c], hx = s->hp_x[c], hy = s->hp_y[c];
		for (int i = 0; i < n; i++) {
			double g = lsr_sim_rng_gauss(r);
			if (nc->n)
				g *= lsr_sim_course_at(nc, a0 + (uint64_t)i);
			lp = a * lp + (1 - a) * gain * g;
			hy = hp * (hy + lp - hx);
			hx = lp;
			o[i] = (float)hy;
		}
		s->lp[c] = lp, s->hp_x[c] = hx, s->hp_y[c] = hy;
		if (!s->sc.wander)
			continue;
		double w = s->wander[c];
		for (int i = 0; i < n; i++) {
			w += wa * (wgain * lsr_sim_rng_gauss(&s->wander_rng[c]) - w);
			o[i] += (float)w;
		}
		s->wander[c] = w;
	}
	if (!s->sc.hum)
		return;
	const struct lsr_sim_patient *p = s->p;
	const double hrel[3] = {1.0, p->mains_h2, p->mains_h3};
	for (int h = 0; h < 3; h++) {
		if (hrel[h] == 0)
			continue;
		double hc[LSR_SIM_CHANNELS], hs[LSR_SIM_CHANNELS];
		for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
			double amp = h ? p->hum_uv[c] * hrel[h] : p->hum_uv[c];
			hc[c] = amp * cos(p->hum_phase[c] * (h + 1));
			hs[c] = amp * sin(p->hum_phase[c] * (h + 1));
		}
		double pc = s->hum_c[h], ps = s->hum_s[h];
		for (int i = 0; i < n; i++) {
			uint64_t at = a0 + (uint64_t)i;
			if (at % HUM_STEP == 0 && p->mains_drift_hz != 0)
				hum_rotation(s, h, at);
			for (int c = 0; c < LSR_SIM_CHANNELS; c++)
				s->buf[(size_t)c * LSR_MAX_BLOCK + i] +=
				    (float)(hc[c] * ps + hs[c] * pc);
			double rc = s->hum_rc[h], rs = s->hum_rs[h];
			double nc2 = pc * rc - ps * rs, ns = pc * rs + ps * rc;
			double g = 1.5 - 0.5 * (nc2 * nc2 + ns * ns); /* keep |phasor| = 1 */
			pc = nc2 * g, ps = ns * g;
		}
		s->hum_c[h] = pc, s->hum_s[h] = ps;
	}
}

static double envelope(const struct sim *s, uint64_t i,
                       const struct lsr_sim_burst *b)
{
	uint64_t in = i - b->start, out = b->end - i;
	uint64_t m = in < out ? in : out;
	return m >= s->ramp ? 1.0 : (double)m / (double)s->ramp;
}

/* Cautery: noise of amp_uv RMS, or for a drawn patient a saturating one
 * (clipped at ±amp_uv), and after it its DC offset decaying. */
static void render_cautery(struct sim *s, const struct lsr_sim_burst *b,
                           uint64_t a, uint64_t from, uint64_t to)
{
	for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
		float *o = s->buf + (size_t)c * LSR_MAX_BLOCK;
		for (uint64_t i = from; i < to && i < b->end; i++) {
			double e = envelope(s, i, b) * b->amp_uv;
			double g = lsr_sim_rng_gauss(&s->cautery_rng[c]);
			if (b->clip) {
				double v = 1.5 * g;
				o[i - a] += (float)(e * (v > 1 ? 1 : v < -1 ? -1 : v));
			} else {
				o[i - a] += (float)(e * g);
			}
		}
		if (b->offset_uv == 0)
			continue;
		uint64_t i = from > b->end ? from : b->end;
		if (i >= to)
			continue;
		double v = b->offset_uv * exp(-(double)(i - b->end) / (b->offset_tau_s * s->rate));
		double k = exp(-1.0 / (b->offset_tau_s * s->rate));
		for (; i < to; i++, v *= k)
			o[i - a] += (float)v;
	}
}

static void render_bursts(struct sim *s, uint64_t a, int n)
{
	uint64_t b_end = a + (uint64_t)n;
	for (int k = 0; k < s->sc.nbursts; k++) {
		const struct lsr_sim_burst *b = &s->sc.bursts[k];
		/* A cautery's offset lasts ten time constants after it. */
		uint64_t last = b->end;
		if (b->kind == LSR_SIM_CAUTERY && b->offset_uv != 0)
			last += (uint64_t)(10 * b->offset_tau_s * s->rate);
		if (last <= a || b->start >= b_end)
			continue;
		uint64_t from = b->start > a ? b->start : a;
		uint64_t to = last < b_end ? last : b_end;
		if (b->kind == LSR_SIM_CAUTERY) {
			render_cautery(s, b, a, from, to);
			continue;
		}
		for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
			float *o = s->buf + (size_t)c * LSR_MAX_BLOCK;
			for (uint64_t i = from; i < to; i++) {
				double e = envelope(s, i, b) * b->amp_uv;
				uint64_t ph = (i - b->start) % (uint64_t)b->period;
				if (ph < s->spike_len)
					o[i - a] += (float)(e * spasm_gain[c] * s->spike[ph]);
			}
		}
	}
}

/* Adds A × template started `onset_ms` after the stimulus, for stimulus
 * offsets k in [k0, k1), into o (o[0] is offset k0). */
static void add_tmpl(const struct sim *s, float *o, int k0, int k1,
                     const struct tmpl *t, double amp, double onset_ms)
{
	if (amp == 0)
		return;
	long off = lround(onset_ms * STEPS_PER_MS);
	long per_s = 1000L * STEPS_PER_MS, rate = s->rate;
	for (int k = k0; k < k1; k++) {
		long j = ((long)k * per_s + rate / 2) / rate - off;
		if (j >= 0 && j < t->len)
			o[k - k0] += (float)(amp * t->v[j]);
	}
}

static void render_stim(struct sim *s, const struct lsr_sim_stim *st,
                        uint64_t a, int n)
{
	uint64_t b_end = a + (uint64_t)n;
	uint64_t rl = s->resp_len;
	if (st->index >= b_end || st->index + rl <= a)
		return;
	uint64_t from = st->index > a ? st->index : a;
	uint64_t to = st->index + rl < b_end ? st->index + rl : b_end;
	int k0 = (int)(from - st->index), k1 = (int)(to - st->index);
	if (s->sc.sync)
		for (int k = k0; k < k1 && (uint64_t)k < s->pulse_len; k++)
			s->marks[st->index + (uint64_t)k - a] |= LSR_MARK_STIM;
	bool faded = s->p->fade_shape && st->factor < 0.5;
	for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
		float *o = s->buf + (size_t)c * LSR_MAX_BLOCK + (from - a);
		for (int k = k0; k < k1; k++)
			o[k - k0] += s->art[c][k];
		if (c < 2)
			add_tmpl(s, o, k0, k1, faded ? &s->faded[c] : &s->lsr[c],
			         st->lsr_uv[c], st->lsr_onset_ms[c]);
		add_tmpl(s, o, k0, k1, &s->late, st->late_uv[c], st->late_onset_ms[c]);
	}
	float *o = s->buf + (size_t)LSR_SIM_CONTROL * LSR_MAX_BLOCK + (from - a);
	add_tmpl(s, o, k0, k1, &s->direct, st->direct_uv, st->direct_onset_ms);
}

/* Rounds to the amplifier's quantum and clips at its full scale; k × 2^-5
 * is exact in float for every 24-bit k. */
static void quantise(struct sim *s, int n)
{
	const long full = s->full_lsb;
	const double lsb = s->p->uv_per_lsb;
	for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
		float *o = s->buf + (size_t)c * LSR_MAX_BLOCK;
		for (int i = 0; i < n; i++) {
			long q = lrint(o[i] * (1.0 / lsb));
			q = q > full ? full : q < -full - 1 ? -full - 1 : q;
			o[i] = (float)((double)q * lsb);
		}
	}
}

static void render(struct sim *s, uint64_t a, int n)
{
	memset(s->marks, 0, (size_t)n);
	render_background(s, a, n);
	render_bursts(s, a, n);
	if (s->have_cur)
		render_stim(s, &s->cur, a, n);
	while (s->have_nxt && s->nxt.index < a + (uint64_t)n) {
		render_stim(s, &s->nxt, a, n);
		s->cur = s->nxt;
		s->have_cur = true;
		s->have_nxt = lsr_sim_script_next(&s->sc, &s->nxt);
	}
	quantise(s, n);
}

static enum lsr_generate_status sim_generate(void *st, uint64_t until,
                                             const struct lsr_source_sink *sink)
{
	struct sim *s = st;
	if (!s->configured) {
		sink->config(sink->ctx, &s->cfg, LSR_SEGMENT_FIRST);
		s->configured = true;
	}
	if (s->pos < s->sc.end && until > s->sc.end) {
		until = s->sc.end; /* the case ends exactly at its duration */
	} else if (s->pos >= s->sc.end && until > s->pos) {
		/* Called again after the end (the screen runs until quit): go
		 * on in the case's final state. */
		lsr_sim_script_extend(&s->sc);
		if (!s->have_nxt)
			s->have_nxt = lsr_sim_script_next(&s->sc, &s->nxt);
		/* Bounded, so that "everything" (UINT64_MAX) cannot run forever. */
		uint64_t max = 60 * (uint64_t)s->rate; /* 60 s per call */
		if (until - s->pos > max)
			until = s->pos + max;
	}
	while (s->pos < until) {
		uint64_t left = until - s->pos;
		int n = left < LSR_MAX_BLOCK ? (int)left : LSR_MAX_BLOCK;
		for (; s->next_mark < s->sc.nmarks &&
		       s->sc.marks[s->next_mark].index < s->pos + (uint64_t)n;
		     s->next_mark++)
			if (sink->label)
				sink->label(sink->ctx, s->sc.marks[s->next_mark].index,
				            s->sc.marks[s->next_mark].label);
		render(s, s->pos, n);
		struct lsr_block blk = {
			.index = s->pos, .nsamp = n, .channels = LSR_SIM_CHANNELS,
			.stride = LSR_MAX_BLOCK, .samples = s->buf, .marks = s->marks,
		};
		sink->block(sink->ctx, &blk);
		s->frames++;
		s->pos += (uint64_t)n;
	}
	return s->pos >= s->sc.end ? LSR_GENERATE_END : LSR_GENERATE_MORE;
}

/* A generator has no partial frame to drop: every call starts where the
 * previous one ended. */
static void sim_resync(void *st)
{
	(void)st;
}

static void sim_stats(const void *st, struct lsr_driver_stats *out)
{
	const struct sim *s = st;
	memset(out, 0, sizeof *out);
	out->frames = s->frames;
}

const struct lsr_driver lsr_driver_sim = {
	.name = "sim",
	.summary = "simulated patient: facial EMG with a scripted LSR case "
	           "(--scenario, --seed, --duration, --sim-patient)",
	.default_baud = 0,
	.capture_ext = NULL,
	.create = sim_create,
	.destroy = sim_destroy,
	.feed = NULL,
	.generate = sim_generate,
	.resync = sim_resync,
	.stats = sim_stats,
};
