/* tests/bench/benchgen.c — writes the benchmarks' input: a deterministic LSRB
 * v1 capture of C channels at R Hz with stimuli, direct responses and lateral
 * spread responses (which disappear at 60 % of the case), so replaying it
 * runs the whole detector, state changes included.
 *
 *   benchgen OUT CHANNELS RATE SECONDS STIM_HZ [field]
 *
 * Channels cycle Mentalis, Orbicularis oris (lsr), Orbicularis oculi
 * (control); repeats are numbered ("Mentalis 2") and keep their role.
 *
 * field: the role mix of a field montage instead — the first half of the
 * channels lsr (Mentalis, Orbicularis oris), the next quarter control
 * (Orbicularis oculi), the rest other (Frontalis: shown, never judged) —
 * and the simulated patient's contamination: the spasm and cautery bursts
 * of its noisy scenario (drivers/sim.h, seed 1, same length), spasm spike
 * trains on the lsr channels, cautery noise on every channel. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc16.h"
#include "driver.h"
#include "sim.h"

#define GEN_UV_PER_LSB 0.03125
#define GEN_MAX_PAYLOAD 4096

struct gen {
	FILE *out;
	int nch, rate;
	double stim_hz;
	uint64_t total, period, gone_at;
	uint8_t seq;
	uint64_t rng;
	bool field;
	struct lsr_sim_truth sim;   /* field: its bursts, at the simulator's rate */
	char labels[LSR_MAX_CHANNELS * LSR_LABEL_MAX];
};

static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Roughly Gaussian, unit variance: the sum of four uniforms. */
static double noise(uint64_t *s)
{
	double v = 0;
	for (int k = 0; k < 4; k++)
		v += (double)(xorshift(s) >> 11) / 9007199254740992.0 - 0.5;
	return v * 1.7320508;
}

/* One biphasic wave of amplitude a µV and length len ms starting at t0 ms. */
static double wave(double t_ms, double t0, double len, double a)
{
	if (t_ms < t0 || t_ms >= t0 + len)
		return 0;
	return a * sin(2 * M_PI * (t_ms - t0) / len);
}

enum role { ROLE_LSR, ROLE_CONTROL, ROLE_OTHER };

static enum role role_of(const struct gen *g, int c)
{
	if (!g->field)
		return c % 3 == 2 ? ROLE_CONTROL : ROLE_LSR;
	return c < g->nch / 2 ? ROLE_LSR : c < g->nch * 3 / 4 ? ROLE_CONTROL : ROLE_OTHER;
}

/* The simulator's bursts at sample i of channel c, as its driver shapes
 * them (drivers/sim.c): a linear ramp of 50 ms at both ends, spasm
 * spikes of 1.4 ms every period on the lsr channels, cautery Gaussian. */
static double burst_uv(struct gen *g, uint64_t i, int c)
{
	double s = (double)i / g->rate, v = 0;
	for (int k = 0; k < g->sim.nbursts; k++) {
		const struct lsr_sim_burst *b = &g->sim.bursts[k];
		double from = (double)b->start / LSR_SIM_RATE, to = (double)b->end / LSR_SIM_RATE;
		if (s < from || s >= to)
			continue;
		double ramp = fmin(s - from, to - s) / 0.05;
		double e = (ramp < 1 ? ramp : 1) * b->amp_uv;
		if (b->kind == LSR_SIM_CAUTERY) {
			v += e * noise(&g->rng);
		} else if (role_of(g, c) == ROLE_LSR) {
			double period_ms = b->period * 1000.0 / LSR_SIM_RATE;
			v += wave(fmod((s - from) * 1000.0, period_ms), 0.0, 1.4, e / 2);
		}
	}
	return v;
}

static double sample_uv(struct gen *g, uint64_t i, int c)
{
	double v = 3.0 * noise(&g->rng);
	uint64_t ph = (i + g->period / 2) % g->period;
	uint64_t stim = i - ph;
	double t = (double)ph * 1000.0 / g->rate; /* ms since the stimulus */
	if (t < 120.0) {
		v += 2000.0 * exp(-t / 0.15); /* stimulus artefact */
		enum role role = role_of(g, c);
		if (role == ROLE_CONTROL)
			v += wave(t, 3.0, 2.0, 300.0);
		else if (role == ROLE_LSR && stim < g->gone_at)
			v += wave(t, 10.0, 4.0, 150.0 - 30.0 * (g->field ? c % 2 : c % 3));
	}
	if (g->field)
		v += burst_uv(g, i, c);
	return v;
}

static int frame(struct gen *g, uint8_t type, const uint8_t *pl, size_t len)
{
	uint8_t f[8 + GEN_MAX_PAYLOAD];
	f[0] = 0xA5, f[1] = 0x5A, f[2] = type, f[3] = g->seq++;
	f[4] = (uint8_t)len, f[5] = (uint8_t)(len >> 8);
	memcpy(f + 6, pl, len);
	uint16_t crc = lsr_crc16(LSR_CRC16_INIT, f + 2, len + 4);
	f[6 + len] = (uint8_t)crc, f[7 + len] = (uint8_t)(crc >> 8);
	return fwrite(f, 1, len + 8, g->out) == len + 8 ? 0 : -1;
}

static int info(struct gen *g)
{
	char t[GEN_MAX_PAYLOAD];
	int n = snprintf(t, sizeof t,
	                 "rate=%d\nchannels=%d\nformat=s24\nuv_per_lsb=%.17g\n"
	                 "labels=%s\ndevice=benchgen\nprefilter=HP:10Hz LP:5000Hz",
	                 g->rate, g->nch, GEN_UV_PER_LSB, g->labels);
	if (n < 0 || (size_t)n >= sizeof t)
		return -1;
	return frame(g, 0x01, (const uint8_t *)t, (size_t)n);
}

static int run(struct gen *g)
{
	int S = g->rate / 200;
	if (6 + S + S * g->nch * 3 > GEN_MAX_PAYLOAD)
		S = (GEN_MAX_PAYLOAD - 6) / (g->nch * 3 + 1);
	if (S > 255)
		S = 255;
	int pulse = g->rate / 5000 > 0 ? g->rate / 5000 : 1; /* 0.2 ms */
	uint64_t next_info = 0;
	for (uint64_t idx = 0; idx + (uint64_t)S <= g->total; idx += (uint64_t)S) {
		if (idx >= next_info) {
			if (info(g) < 0)
				return -1;
			next_info += (uint64_t)g->rate;
		}
		uint8_t pl[GEN_MAX_PAYLOAD];
		uint32_t first = (uint32_t)idx;
		pl[0] = (uint8_t)first, pl[1] = (uint8_t)(first >> 8);
		pl[2] = (uint8_t)(first >> 16), pl[3] = (uint8_t)(first >> 24);
		pl[4] = (uint8_t)S, pl[5] = (uint8_t)g->nch;
		uint8_t *p = pl + 6 + S;
		for (int k = 0; k < S; k++) {
			uint64_t i = idx + (uint64_t)k;
			uint64_t ph = (i + g->period / 2) % g->period;
			pl[6 + k] = ph < (uint64_t)pulse ? LSR_MARK_STIM : 0;
			for (int c = 0; c < g->nch; c++) {
				int32_t v = (int32_t)lround(sample_uv(g, i, c) / GEN_UV_PER_LSB);
				*p++ = (uint8_t)v, *p++ = (uint8_t)(v >> 8), *p++ = (uint8_t)(v >> 16);
			}
		}
		if (frame(g, 0x02, pl, (size_t)(p - pl)) < 0)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 6 && !(argc == 7 && !strcmp(argv[6], "field"))) {
		fprintf(stderr, "usage: benchgen OUT CHANNELS RATE SECONDS STIM_HZ [field]\n");
		return 2;
	}
	struct gen g = {.nch = atoi(argv[2]), .rate = atoi(argv[3]),
	                .stim_hz = atof(argv[5]), .rng = 88172645463325252ull};
	double secs = atof(argv[4]);
	if (g.nch < 1 || g.nch > LSR_MAX_CHANNELS || g.rate < 1000 || g.rate > 100000 ||
	    !(secs > 0) || !(g.stim_hz > 0.1) || g.stim_hz > 20) {
		fprintf(stderr, "benchgen: bad arguments\n");
		return 2;
	}
	g.field = argc == 7;
	char err[160];
	const struct lsr_driver_opts noisy = {.scenario = "noisy", .seed = 1, .duration_s = secs};
	if (g.field && lsr_sim_truth(&noisy, &g.sim, err, sizeof err) < 0) {
		fprintf(stderr, "benchgen: %s\n", err);
		return 2;
	}
	g.total = (uint64_t)llround(secs * g.rate);
	g.period = (uint64_t)llround(g.rate / g.stim_hz);
	g.gone_at = g.total * 6 / 10;
	static const char *const names[3] = {"Mentalis", "Orbicularis oris",
	                                     "Orbicularis oculi"};
	size_t off = 0;
	int seen[4] = { 0 }; /* labels so far: Mentalis, Orbicularis oris, oculi, Frontalis */
	for (int c = 0; c < g.nch; c++) {
		enum role r = role_of(&g, c);
		int which = r == ROLE_OTHER ? 3 : r == ROLE_CONTROL ? 2 : g.field ? c % 2 : c % 3;
		const char *name = which == 3 ? "Frontalis" : names[which];
		int k = ++seen[which];
		int n = k == 1 ? snprintf(g.labels + off, sizeof g.labels - off, "%s%s", c ? "," : "", name)
		               : snprintf(g.labels + off, sizeof g.labels - off, ",%s %d", name, k);
		off += (size_t)n;
	}
	g.out = fopen(argv[1], "wb");
	if (!g.out) {
		perror(argv[1]);
		if (g.field)
			lsr_sim_truth_free(&g.sim);
		return 1;
	}
	int rc = run(&g);
	if (g.field)
		lsr_sim_truth_free(&g.sim);
	if (fclose(g.out) != 0 || rc < 0) {
		fprintf(stderr, "benchgen: cannot write %s\n", argv[1]);
		return 1;
	}
	return 0;
}
