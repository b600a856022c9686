/* tests/unit/synth.h — an independent test generator of EMG streams:
 * band-limited Gaussian noise, polyphasic responses of known amplitude and
 * onset, stimulus artifacts with an exponential tail, sync marks.  Written
 * for the tests alone (nothing shared with drivers/sim.c). */
#ifndef LSR_TEST_SYNTH_H
#define LSR_TEST_SYNTH_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "driver.h"

#define SYN_MAXCH 16
#define SYN_BLOCK 997
#define SYN_MAXLOG 2048 /* deliberately not a divisor of anything */

struct syn_resp {
	double amp_uv;   /* peak of the sine before tapering */
	double onset_ms; /* after the stimulus */
	double hz, dur_ms;
};

struct syn {
	int rate, nch;
	uint64_t rng;
	double noise_uv[SYN_MAXCH];
	double noise_gain;           /* makes the shaped noise unit RMS */
	double hpx[SYN_MAXCH], hpy[SYN_MAXCH], lp1[SYN_MAXCH], lp2[SYN_MAXCH];
	double art_uv[SYN_MAXCH];    /* pulse height, 0 = no artifact */
	double tail_uv[SYN_MAXCH];   /* tail at the end of blanking (2 ms) */
	double tail_tau_ms[SYN_MAXCH];
	double tail2_uv, tail2_tau_ms; /* a second, slower decay on every lead */
	double pulse_ms;
	double hum_uv, hum_hz;        /* mains on every lead */
	double hum_h2, hum_h3;        /* its 2nd and 3rd harmonics, relative */
	double hum_drift_hz, hum_drift_s; /* frequency ± drift, over this period */
	double hum_phase;             /* the mains phase, advanced sample by sample */
	double wander_uv, wander_hz;  /* baseline wander on every lead */
	double wander_phase;
	double rise_ms;               /* pulse rise time (anti-aliasing), 0 = a step */
	bool sync;                   /* write mark bit 0 during the pulse */
	struct syn_resp resp[SYN_MAXCH];
	struct syn_resp ad[SYN_MAXCH]; /* an after-discharge train (hz 250–350) */
	double jitter_ms;            /* response onset spread, uniform [0, j) */
	/* stimuli: at first + k * period samples */
	int64_t first, period;
	int64_t next_index;          /* next sample to generate */
	double cur_onset[SYN_MAXCH]; /* onset of the current stimulus's response */
	int64_t cur_stim;
	int nstim;                   /* stimuli generated so far */
	double onset_log[SYN_MAXLOG]; /* channel 0's true onset per stimulus */
	int64_t index_log[SYN_MAXLOG];
	float buf[SYN_MAXCH * SYN_BLOCK];
	uint8_t marks[SYN_BLOCK];
};

static inline double syn_uniform(struct syn *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return ((g->rng * 2685821657736338717ULL) >> 11) * (1.0 / 9007199254740992.0);
}

static inline double syn_gauss(struct syn *g)
{
	double u = syn_uniform(g), v = syn_uniform(g);
	if (u < 1e-300)
		u = 1e-300;
	return sqrt(-2 * log(u)) * cos(2 * M_PI * v);
}

/* White Gaussian → one-pole high-pass at 20 Hz → two one-pole low-passes
 * at 1.5 kHz: noise whose power lies almost all inside 30 Hz – 3 kHz. */
static inline double syn_shape(struct syn *g, int c, double w)
{
	double ah = exp(-2 * M_PI * 20.0 / g->rate), al = 1 - exp(-2 * M_PI * 1500.0 / g->rate);
	g->hpy[c] = ah * (g->hpy[c] + w - g->hpx[c]);
	g->hpx[c] = w;
	g->lp1[c] += al * (g->hpy[c] - g->lp1[c]);
	g->lp2[c] += al * (g->lp1[c] - g->lp2[c]);
	return g->lp2[c];
}

/* The response waveform: a sine starting at 0 with a half-cosine taper,
 * so it leaves the baseline at onset with a finite slope. */
static inline double syn_wave(const struct syn_resp *r, double t_ms)
{
	if (t_ms < 0 || t_ms > r->dur_ms)
		return 0;
	return r->amp_uv * sin(2 * M_PI * r->hz * t_ms / 1000.0) *
	       0.5 * (1 + cos(M_PI * t_ms / r->dur_ms));
}

/* p2p and RMS of the noise-free response, sampled at the stream rate. */
static inline void syn_wave_stats(const struct syn *g, const struct syn_resp *r,
                                  double *p2p, double *rms)
{
	double lo = 0, hi = 0, ss = 0;
	int n = 0;
	for (double t = 0; t <= r->dur_ms; t += 1000.0 / g->rate, n++) {
		double v = syn_wave(r, t);
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		ss += v * v;
	}
	*p2p = hi - lo;
	*rms = sqrt(ss / (n ? n : 1));
}

static inline void syn_init(struct syn *g, int rate, int nch, uint64_t seed)
{
	memset(g, 0, sizeof *g);
	g->rate = rate;
	g->nch = nch < SYN_MAXCH ? nch : SYN_MAXCH;
	g->rng = seed * 0x9E3779B97F4A7C15ULL + 1;
	g->pulse_ms = 0.2;
	g->period = rate / 2;
	g->first = rate / 2;
	/* Unit RMS: measure the shaping on a long run, then reset. */
	double ss = 0;
	int n = 400000;
	for (int i = 0; i < n; i++) {
		double v = syn_shape(g, 0, syn_gauss(g));
		ss += v * v;
	}
	g->noise_gain = 1 / sqrt(ss / n);
	g->hpx[0] = g->hpy[0] = g->lp1[0] = g->lp2[0] = 0;
	g->cur_stim = -1;
}

static inline bool syn_is_stim(const struct syn *g, int64_t i)
{
	return i >= g->first && (i - g->first) % g->period == 0;
}

/* Produces the next n samples (n <= SYN_BLOCK) into g->buf / g->marks. */
static inline void syn_block(struct syn *g, int n, struct lsr_block *blk)
{
	double dt = 1000.0 / g->rate;
	for (int i = 0; i < n; i++) {
		int64_t k = g->next_index + i;
		if (syn_is_stim(g, k)) {
			g->cur_stim = k;
			for (int c = 0; c < g->nch; c++)
				g->cur_onset[c] = g->resp[c].onset_ms + g->jitter_ms * syn_uniform(g);
			if (g->nstim < SYN_MAXLOG) {
				g->onset_log[g->nstim] = g->cur_onset[0];
				g->index_log[g->nstim] = k;
			}
			g->nstim++;
		}
		double ts = g->cur_stim >= 0 ? (k - g->cur_stim) * dt : -1;
		g->marks[i] = g->sync && ts >= 0 && ts < g->pulse_ms ? LSR_MARK_STIM : 0;
		for (int c = 0; c < g->nch; c++) {
			double v = g->noise_uv[c] > 0 ? g->noise_uv[c] * g->noise_gain * syn_shape(g, c, syn_gauss(g)) : 0;
			if (g->hum_uv != 0)
				v += g->hum_uv * (sin(g->hum_phase + c) + g->hum_h2 * sin(2 * (g->hum_phase + c)) +
				                  g->hum_h3 * sin(3 * (g->hum_phase + c)));
			if (ts >= 0) {
				if (ts < g->pulse_ms)
					v += g->art_uv[c] * (g->rise_ms > ts ? ts / g->rise_ms : 1);
				if (g->tail_uv[c] != 0)
					v += g->tail_uv[c] * exp(-(ts - 2.0) / g->tail_tau_ms[c]);
				if (g->tail2_uv != 0)
					v += g->tail2_uv * exp(-(ts - 2.0) / g->tail2_tau_ms);
				if (g->resp[c].amp_uv != 0) {
					struct syn_resp r = g->resp[c];
					v += syn_wave(&r, ts - g->cur_onset[c]);
				}
				if (g->ad[c].amp_uv != 0)
					v += syn_wave(&g->ad[c], ts - g->ad[c].onset_ms);
			}
			g->buf[c * SYN_BLOCK + i] = (float)v;
		}
		if (g->wander_uv != 0)
			for (int c = 0; c < g->nch; c++)
				g->buf[c * SYN_BLOCK + i] += (float)(g->wander_uv * sin(g->wander_phase + 0.7 * c));
		g->wander_phase = fmod(g->wander_phase + 2 * M_PI * g->wander_hz / g->rate, 2 * M_PI);
		double hz = g->hum_hz;
		if (g->hum_drift_hz != 0)
			hz += g->hum_drift_hz * sin(2 * M_PI * (double)k / g->rate / g->hum_drift_s);
		g->hum_phase = fmod(g->hum_phase + 2 * M_PI * hz / g->rate, 2 * M_PI);
	}
	blk->index = (uint64_t)g->next_index;
	blk->nsamp = n;
	blk->channels = g->nch;
	blk->stride = SYN_BLOCK;
	blk->samples = g->buf;
	blk->marks = g->marks;
	g->next_index += n;
}

#endif
