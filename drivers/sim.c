/* drivers/sim.c — the simulated patient: three channels of facial EMG at
 * 10 kHz with stimulus artifacts, direct responses and a lateral spread
 * response, following the scripted case of sim_script.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_script.h"

#define OS 10                   /* template oversampling: 0.01 ms steps */
#define RESP_LEN 500            /* samples a stimulus affects (50 ms) */
#define TMPL_MAX (12 * LSR_SIM_RATE / 1000 * OS) /* ≤ 12 ms per template */
#define SPIKE_LEN 14            /* spasm spike, at the sample rate */
#define PULSE_LEN 2             /* 0.2 ms stimulus pulse */
#define NOISE_UV 6.0            /* background RMS */
#define RAMP 500                /* burst envelope ramp (samples) */
#define FULL_LSB 8388607L       /* 2^23 − 1 */
#define AFTER_END_MAX (60 * LSR_SIM_RATE) /* per call, after the case */

/* A template: alternating half-sine lobes (duration ms, peak), so each
 * waveform starts exactly at its onset and is continuous. */
struct lobe {
	double ms, peak;
};

static const struct lobe lsr_lobes[] = {
	{0.8, 0.6}, {1.0, -1.0}, {1.2, 0.8}, {1.4, -0.5}, {1.6, 0.25}};
static const struct lobe late_lobes[] = {
	{1.5, 0.5}, {2.0, -1.0}, {2.0, 0.6}, {2.5, -0.3}};
static const struct lobe direct_lobes[] = {
	{1.2, 1.0}, {2.0, -0.8}, {2.5, 0.15}};
static const struct lobe spike_lobes[] = {{0.5, 1.0}, {0.8, -0.6}};

/* Artifact per channel: pulse µV, then tail µV decaying with tau ms. */
static const double art_pulse[LSR_SIM_CHANNELS] = {4000, -3000, 6000};
static const double art_tail[LSR_SIM_CHANNELS] = {150, -100, 250};
static const double art_tau[LSR_SIM_CHANNELS] = {2.0, 1.5, 2.5};
/* Noisy: mains hum (µV, phase) and baseline wander (µV RMS). */
static const double hum_uv[LSR_SIM_CHANNELS] = {15, 12, 18};
static const double hum_phase[LSR_SIM_CHANNELS] = {0.0, 1.1, 2.3};
#define WANDER_UV 40.0
/* Spasm spike size on each channel relative to the burst's amplitude. */
static const double spasm_gain[LSR_SIM_CHANNELS] = {1.0, 0.8, 0.3};

struct tmpl {
	int len;
	float v[TMPL_MAX];
};

struct sim {
	struct lsr_sim_script sc;
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
	double hum_c, hum_s;    /* 50 Hz phasor advanced by rotation */
	struct tmpl lsr, late, direct;
	float spike[SPIKE_LEN];
	float art[LSR_SIM_CHANNELS][RESP_LEN];
	uint64_t frames;
	float buf[LSR_SIM_CHANNELS * LSR_MAX_BLOCK];
	uint8_t marks[LSR_MAX_BLOCK];
};

/* Fills out[0..max) at `step` ms per sample; returns the length.  The
 * result is scaled to a peak-to-peak of 1. */
static int build_lobes(const struct lobe *l, int nl, double step, float *out,
                       int max)
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

static void build_waveforms(struct sim *s)
{
	double step = 1000.0 / LSR_SIM_RATE / OS;
	s->lsr.len = build_lobes(lsr_lobes, NLOBES(lsr_lobes), step, s->lsr.v,
	                         TMPL_MAX);
	s->late.len = build_lobes(late_lobes, NLOBES(late_lobes), step,
	                          s->late.v, TMPL_MAX);
	s->direct.len = build_lobes(direct_lobes, NLOBES(direct_lobes), step,
	                            s->direct.v, TMPL_MAX);
	build_lobes(spike_lobes, NLOBES(spike_lobes), 1000.0 / LSR_SIM_RATE,
	            s->spike, SPIKE_LEN);
	for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
		double k = exp(-1000.0 / LSR_SIM_RATE / art_tau[c]);
		double v = art_tail[c];
		for (int i = 0; i < RESP_LEN; i++) {
			if (i < PULSE_LEN) {
				s->art[c][i] = (float)art_pulse[c];
			} else {
				s->art[c][i] = (float)v;
				v *= k;
			}
		}
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
	if (lsr_sim_script_init(&s->sc, opts->scenario, opts->seed,
	                        opts->duration_s, err, errlen) < 0) {
		free(s);
		return NULL;
	}
	static const char *const labels[LSR_SIM_CHANNELS] = {
		"Mentalis", "Orbicularis oris", "Orbicularis oculi"};
	struct lsr_stream_config *cfg = &s->cfg;
	cfg->rate = LSR_SIM_RATE;
	cfg->channels = LSR_SIM_CHANNELS;
	for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
		snprintf(cfg->labels[c], sizeof cfg->labels[c], "%s", labels[c]);
		uint64_t k = opts->seed ^ ((uint64_t)c << 56);
		lsr_sim_rng_seed(&s->rng[c], k ^ 0x6e6f697365u);       /* "noise" */
		lsr_sim_rng_seed(&s->wander_rng[c], k ^ 0x77616e64u);  /* "wand" */
		lsr_sim_rng_seed(&s->cautery_rng[c], k ^ 0x63617574u); /* "caut" */
	}
	cfg->uv_per_lsb = LSR_SIM_UV_PER_LSB;
	cfg->full_scale_uv = LSR_SIM_FULL_SCALE_UV;
	cfg->format_bits = 24;
	snprintf(cfg->device, sizeof cfg->device,
	         "lsrmon " LSR_SIMULATION_WORD ": simulated patient (%s, seed %llu, %g s)",
	         lsr_sim_script_name(&s->sc), (unsigned long long)opts->seed,
	         (double)s->sc.end / LSR_SIM_RATE);
	snprintf(cfg->prefilter, sizeof cfg->prefilter, "HP:10Hz LP:5000Hz");
	s->hum_c = 1.0;
	s->have_nxt = lsr_sim_script_next(&s->sc, &s->nxt);
	build_waveforms(s);
	return s;
}

static void sim_destroy(void *st)
{
	free(st);
}

/* Background: white noise through a 1-pole low-pass (~2 kHz) and a 1-pole
 * high-pass (10 Hz), the amplifier's band; noisy adds hum and wander. */
static void render_background(struct sim *s, int n)
{
	const double a = 0.285, hp = 0.99374; /* exp(−2π·2k/10k), 10 Hz */
	const double gain = NOISE_UV / 0.7455; /* LP passes sqrt((1−a)/(1+a)) */
	const double wa = 3.1416e-4;           /* wander: 0.5 Hz low-pass */
	const double wgain = WANDER_UV / 0.012534; /* sqrt(wa / (2 − wa)) */
	for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
		float *o = s->buf + (size_t)c * LSR_MAX_BLOCK;
		struct lsr_sim_rng *r = &s->rng[c];
		double lp = s->lp[c], hx = s->hp_x[c], hy = s->hp_y[c];
		for (int i = 0; i < n; i++) {
			lp = a * lp + (1 - a) * gain * lsr_sim_rng_gauss(r);
			hy = hp * (hy + lp - hx);
			hx = lp;
			o[i] = (float)hy;
		}
		s->lp[c] = lp, s->hp_x[c] = hx, s->hp_y[c] = hy;
		if (!s->sc.noisy)
			continue;
		double w = s->wander[c];
		for (int i = 0; i < n; i++) {
			w += wa * (wgain * lsr_sim_rng_gauss(&s->wander_rng[c]) - w);
			o[i] += (float)w;
		}
		s->wander[c] = w;
	}
	if (!s->sc.noisy)
		return;
	const double rc = cos(2 * M_PI * 50 / LSR_SIM_RATE),
	             rs = sin(2 * M_PI * 50 / LSR_SIM_RATE);
	double hc[LSR_SIM_CHANNELS], hs[LSR_SIM_CHANNELS];
	for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
		hc[c] = hum_uv[c] * cos(hum_phase[c]);
		hs[c] = hum_uv[c] * sin(hum_phase[c]);
	}
	double pc = s->hum_c, ps = s->hum_s;
	for (int i = 0; i < n; i++) {
		for (int c = 0; c < LSR_SIM_CHANNELS; c++)
			s->buf[(size_t)c * LSR_MAX_BLOCK + i] +=
			    (float)(hc[c] * ps + hs[c] * pc);
		double nc = pc * rc - ps * rs, ns = pc * rs + ps * rc;
		double g = 1.5 - 0.5 * (nc * nc + ns * ns); /* keep |phasor| = 1 */
		pc = nc * g, ps = ns * g;
	}
	s->hum_c = pc, s->hum_s = ps;
}

static double envelope(uint64_t i, const struct lsr_sim_burst *b)
{
	uint64_t in = i - b->start, out = b->end - i;
	uint64_t m = in < out ? in : out;
	return m >= RAMP ? 1.0 : (double)m / RAMP;
}

static void render_bursts(struct sim *s, uint64_t a, int n)
{
	uint64_t b_end = a + (uint64_t)n;
	for (int k = 0; k < s->sc.nbursts; k++) {
		const struct lsr_sim_burst *b = &s->sc.bursts[k];
		if (b->end <= a || b->start >= b_end)
			continue;
		uint64_t from = b->start > a ? b->start : a;
		uint64_t to = b->end < b_end ? b->end : b_end;
		for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
			float *o = s->buf + (size_t)c * LSR_MAX_BLOCK;
			for (uint64_t i = from; i < to; i++) {
				double e = envelope(i, b) * b->amp_uv;
				if (b->kind == LSR_SIM_CAUTERY) {
					o[i - a] += (float)(e * lsr_sim_rng_gauss(&s->cautery_rng[c]));
				} else {
					uint64_t ph = (i - b->start) % (uint64_t)b->period;
					if (ph < SPIKE_LEN)
						o[i - a] += (float)(e * spasm_gain[c] * s->spike[ph]);
				}
			}
		}
	}
}

/* Adds A × template started `onset_ms` after the stimulus, for stimulus
 * offsets k in [k0, k1), into o (o[0] is offset k0). */
static void add_tmpl(float *o, int k0, int k1, const struct tmpl *t,
                     double amp, double onset_ms)
{
	if (amp == 0)
		return;
	long off = lround(onset_ms * (LSR_SIM_RATE / 1000.0) * OS);
	for (int k = k0; k < k1; k++) {
		long j = (long)k * OS - off;
		if (j >= 0 && j < t->len)
			o[k - k0] += (float)(amp * t->v[j]);
	}
}

static void render_stim(struct sim *s, const struct lsr_sim_stim *st,
                        uint64_t a, int n)
{
	uint64_t b_end = a + (uint64_t)n;
	if (st->index >= b_end || st->index + RESP_LEN <= a)
		return;
	uint64_t from = st->index > a ? st->index : a;
	uint64_t to = st->index + RESP_LEN < b_end ? st->index + RESP_LEN : b_end;
	int k0 = (int)(from - st->index), k1 = (int)(to - st->index);
	if (s->sc.sync)
		for (int k = k0; k < k1 && k < PULSE_LEN; k++)
			s->marks[st->index + (uint64_t)k - a] |= LSR_MARK_STIM;
	for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
		float *o = s->buf + (size_t)c * LSR_MAX_BLOCK + (from - a);
		for (int k = k0; k < k1; k++)
			o[k - k0] += s->art[c][k];
		add_tmpl(o, k0, k1, &s->lsr, st->lsr_uv[c], st->lsr_onset_ms[c]);
		add_tmpl(o, k0, k1, &s->late, st->late_uv[c], st->late_onset_ms[c]);
	}
	float *o = s->buf + (size_t)LSR_SIM_CONTROL * LSR_MAX_BLOCK + (from - a);
	add_tmpl(o, k0, k1, &s->direct, st->direct_uv, st->direct_onset_ms);
}

/* Rounds to the amplifier's quantum; k × 2^-5 is exact in float for every
 * 24-bit k. */
static void quantise(struct sim *s, int n)
{
	for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
		float *o = s->buf + (size_t)c * LSR_MAX_BLOCK;
		for (int i = 0; i < n; i++) {
			long q = lrint(o[i] * (1.0 / LSR_SIM_UV_PER_LSB));
			q = q > FULL_LSB ? FULL_LSB : q < -FULL_LSB - 1 ? -FULL_LSB - 1 : q;
			o[i] = (float)((double)q * LSR_SIM_UV_PER_LSB);
		}
	}
}

static void render(struct sim *s, uint64_t a, int n)
{
	memset(s->marks, 0, (size_t)n);
	render_background(s, n);
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
		if (until - s->pos > AFTER_END_MAX)
			until = s->pos + AFTER_END_MAX;
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
	           "(--scenario, --seed, --duration)",
	.default_baud = 0,
	.capture_ext = NULL,
	.create = sim_create,
	.destroy = sim_destroy,
	.feed = NULL,
	.generate = sim_generate,
	.resync = sim_resync,
	.stats = sim_stats,
};
