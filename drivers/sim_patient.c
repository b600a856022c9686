/* drivers/sim_patient.c — the simulated patients: the reference patient
 * every fixture was made from, and a deterministic draw of any other from
 * the ranges seen in theatre (man/lsrmon.1, SIMULATED PATIENTS). */
#include <math.h>
#include <string.h>

#include "sim_script.h"

/* The reference patient: LSR 400 and 300 µV with one five-phase shape,
 * 6 µV noise, mains and wander only in the noisy scenario. */
static const struct lsr_sim_patient reference = {
	.id = 0, .rate = LSR_SIM_RATE, .format_bits = 24,
	.uv_per_lsb = LSR_SIM_UV_PER_LSB,
	.lsr_uv = {400, 300}, .lsr_onset_ms = {9.8, 10.2},
	.shape = {{5, {{0.8, 0.6}, {1.0, -1.0}, {1.2, 0.8}, {1.4, -0.5}, {1.6, 0.25}}},
	          {5, {{0.8, 0.6}, {1.0, -1.0}, {1.2, 0.8}, {1.4, -0.5}, {1.6, 0.25}}}},
	.fade_shape = false, .drift_ms = 0,
	.cv_shared = 0.12, .cv_channel = 0.08, .f_min = 0.6, .f_max = 1.4,
	.jitter_ms = 0.5, .jitter_ch_ms = 0.1,
	.dropout_p = 0.06,
	.late_fraction = 0.3, .late_onset_ms = 35.0,
	.direct_uv = 1500.0, .direct_onset_ms = 3.5,
	.noise_uv = 6.0,
	.mains_uv = 18, .mains_hz = 50, .mains_h2 = 0, .mains_h3 = 0,
	.mains_drift_hz = 0, .mains_drift_period_s = 60,
	.hum_uv = {15, 12, 18}, .hum_phase = {0.0, 1.1, 2.3},
	.wander_uv = 40.0, .wander_hz = 0.5,
	.art_pulse_uv = {4000, -3000, 6000}, .art_tail_uv = {150, -100, 250},
	.art_tau_ms = {2.0, 1.5, 2.5},
	.stim_hz = 1.0, .stim_jitter = 0.1,
	.nspasm = 0, .ncautery = 0,
};

/* Sampling rates of real amplifiers, 5–40 kHz. */
static const int rates[] = {5000, 8000, 10000, 12000, 16000, 20000, 25000,
                            32000, 40000};

static double uni(struct lsr_sim_rng *r, double lo, double hi)
{
	return lo + (hi - lo) * lsr_sim_rng_uniform(r);
}

/* Log-uniform: as many patients between 20 and 200 µV as between 100 and
 * 1000 µV, which puts most of them at 50–200 µV. */
static double logu(struct lsr_sim_rng *r, double lo, double hi)
{
	return lo * exp(log(hi / lo) * lsr_sim_rng_uniform(r));
}

static double sign(struct lsr_sim_rng *r)
{
	return lsr_sim_rng_uniform(r) < 0.5 ? -1.0 : 1.0;
}

/* 1–5 alternating half-sine phases over 4–15 ms, unequal in length and
 * size, starting with either polarity. */
static void draw_shape(struct lsr_sim_rng *r, struct lsr_sim_shape *sh)
{
	sh->nlobes = 1 + (int)(5 * lsr_sim_rng_uniform(r));
	double dur = uni(r, 4, 15), w[LSR_SIM_MAX_LOBES], sum = 0;
	for (int i = 0; i < sh->nlobes; i++)
		sum += w[i] = uni(r, 0.5, 1.5);
	double pol = sign(r);
	for (int i = 0; i < sh->nlobes; i++) {
		sh->lobes[i].ms = dur * w[i] / sum;
		sh->lobes[i].peak = pol * (i % 2 ? -1 : 1) * uni(r, 0.3, 1.0);
	}
}

void lsr_sim_patient_draw(uint64_t n, struct lsr_sim_patient *p)
{
	*p = reference;
	if (n == 0)
		return;
	struct lsr_sim_rng r;
	lsr_sim_rng_seed(&r, n ^ 0x70617469656e74u); /* "patient" */
	p->id = n;
	p->rate = rates[(int)(lsr_sim_rng_uniform(&r) * (sizeof rates / sizeof rates[0]))];
	p->format_bits = lsr_sim_rng_uniform(&r) < 0.5 ? 16 : 24;
	/* 16 bit: ±16 mV at 0.5 µV (cautery saturates it); 24 bit as the
	 * reference patient. */
	p->uv_per_lsb = p->format_bits == 16 ? 0.5 : LSR_SIM_UV_PER_LSB;
	p->lsr_uv[0] = logu(&r, 20, 1000);
	p->lsr_uv[1] = p->lsr_uv[0] * uni(&r, 0.2, 1.2);
	for (int c = 0; c < 2; c++) {
		p->lsr_onset_ms[c] = uni(&r, 8, 13);
		draw_shape(&r, &p->shape[c]);
	}
	p->fade_shape = lsr_sim_rng_uniform(&r) < 0.5;
	p->drift_ms = uni(&r, 0, 2);
	/* The two terms together give a coefficient of variation cv. */
	double cv = uni(&r, 0.1, 0.5);
	p->cv_shared = 0.8 * cv;
	p->cv_channel = 0.6 * cv;
	p->f_min = 0.05;
	p->f_max = 1 + 3.5 * cv;
	p->jitter_ms = uni(&r, 0.1, 0.6);
	p->jitter_ch_ms = 0.2 * p->jitter_ms;
	p->dropout_p = uni(&r, 0, 0.1);
	p->late_fraction = uni(&r, 0, 0.4);
	p->late_onset_ms = uni(&r, 25, 45);
	p->direct_uv = logu(&r, 200, 3000);
	p->direct_onset_ms = uni(&r, 2.5, 5);
	p->noise_uv = logu(&r, 2, 15);
	p->mains_uv = uni(&r, 0, 80);
	p->mains_hz = lsr_sim_rng_uniform(&r) < 0.5 ? 50 : 60;
	p->mains_h2 = uni(&r, 0, 0.3);
	p->mains_h3 = uni(&r, 0, 0.3);
	p->mains_drift_hz = uni(&r, 0, 0.1);
	p->mains_drift_period_s = uni(&r, 20, 120);
	for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
		p->hum_uv[c] = p->mains_uv * (c == 0 ? 1.0 : uni(&r, 0.6, 1.0));
		p->hum_phase[c] = uni(&r, 0, 2 * M_PI);
	}
	p->wander_uv = uni(&r, 0, 200);
	p->wander_hz = uni(&r, 0.1, 1);
	for (int c = 0; c < LSR_SIM_CHANNELS; c++) {
		p->art_pulse_uv[c] = sign(&r) * logu(&r, 300, 8000);
		p->art_tail_uv[c] = p->art_pulse_uv[c] * uni(&r, 0.2, 0.8);
		p->art_tau_ms[c] = uni(&r, 0.2, 2);
	}
	p->stim_hz = uni(&r, 0.5, 2);
	p->stim_jitter = 0.05;
	p->nspasm = (int)(4 * lsr_sim_rng_uniform(&r));   /* 0–3 */
	p->ncautery = (int)(3 * lsr_sim_rng_uniform(&r)); /* 0–2 */
	for (int i = 0; i < LSR_SIM_MAX_BURSTS; i++) {
		p->spasm_ms[i] = uni(&r, 50, 400);
		p->spasm_uv[i] = uni(&r, 50, 800);
		p->cautery_s[i] = uni(&r, 1, 4);
		p->cautery_uv[i] = logu(&r, 1000, 10000);
		p->cautery_offset[i] = sign(&r) * uni(&r, 0.1, 0.5);
		p->cautery_tau_s[i] = uni(&r, 0.3, 1.5);
	}
}
