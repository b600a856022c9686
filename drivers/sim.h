/* drivers/sim.h — the simulated patient: its driver and its ground truth.
 *
 * The truth comes from the same script that drives the generator (see
 * sim_script.c), so tests and tools can judge lsrmon's output against what
 * was really generated without running lsrmon or generating samples.
 */
#ifndef LSR_SIM_H
#define LSR_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "driver.h"

/* generate() returns LSR_GENERATE_END once the samples reach the end of
 * the case (duration × rate, exactly).  A caller that keeps calling (the
 * screen runs until quit) gets more samples in the case's final state —
 * stimuli go on, no more marks; at most 60 s per call — and END every time. */
extern const struct lsr_driver lsr_driver_sim;

#define LSR_SIM_RATE 10000      /* the reference patient's samples per second */
#define LSR_SIM_MAX_RATE 40000  /* the population's fastest */
#define LSR_SIM_CHANNELS 3      /* Mentalis, Orbicularis oris, Orbicularis oculi */
#define LSR_SIM_CONTROL 2       /* the direct-response (control) channel */
#define LSR_SIM_UV_PER_LSB 0.03125 /* 2^-5 µV: every k·LSB, |k| ≤ 2^23, is exact in float */
#define LSR_SIM_FULL_SCALE_UV 262144.0 /* 2^23 LSB */
#define LSR_SIM_MIN_DURATION 60.0
#define LSR_SIM_DEFAULT_DURATION 300.0 /* duration_s 0 means this */
#define LSR_SIM_MAX_DURATION 604800.0 /* one week */

/* One simulated patient: everything that makes one patient differ from
 * another (man/lsrmon.1, SIMULATED PATIENTS, lists each quantity with its range).
 * Patient 0 is the reference patient every fixture was made from; a
 * patient N > 0 is drawn from the population by lsr_sim_patient_draw. */
#define LSR_SIM_MAX_LOBES 5
#define LSR_SIM_MAX_BURSTS 8

struct lsr_sim_lobe {
	double ms, peak;        /* a half-sine lobe: duration, signed peak */
};

struct lsr_sim_shape {
	int nlobes;             /* the phases, 1–5 */
	struct lsr_sim_lobe lobes[LSR_SIM_MAX_LOBES];
};

struct lsr_sim_patient {
	uint64_t id;
	int rate;               /* Hz */
	int format_bits;        /* 16 or 24 */
	double uv_per_lsb;
	/* The LSR at baseline, per LSR channel (0 Mentalis, 1 Orbicularis
	 * oris): peak-to-peak, onset, shape (duration = sum of lobes). */
	double lsr_uv[2], lsr_onset_ms[2];
	struct lsr_sim_shape shape[2];
	bool fade_shape;        /* below half its baseline the LSR loses its later phases */
	double drift_ms;        /* onset drift over the whole case */
	/* Trial-to-trial variation: amplitude factor = clamp(1 + cv_shared·g
	 * + cv_channel·g_c, f_min, f_max); onset = jitter_ms·2(u − ½) +
	 * jitter_ch_ms·g_c, clamped to ±jitter_ms. */
	double cv_shared, cv_channel, f_min, f_max;
	double jitter_ms, jitter_ch_ms;
	double dropout_p;       /* single-trial dropouts */
	double late_fraction, late_onset_ms;
	double direct_uv, direct_onset_ms;
	double noise_uv;        /* background RMS on every channel */
	/* Mains: per channel amplitude and phase of the fundamental; the 2nd
	 * and 3rd harmonics relative to it; the frequency drifts by ±drift
	 * Hz with the given period.  Always on for N > 0; for patient 0 only
	 * in the noisy scenario. */
	double mains_uv, mains_hz, mains_h2, mains_h3, mains_drift_hz,
	    mains_drift_period_s;
	double hum_uv[LSR_SIM_CHANNELS], hum_phase[LSR_SIM_CHANNELS];
	double wander_uv, wander_hz;
	/* Stimulus artifact per channel: the pulse (signed µV), the tail that
	 * follows it (signed µV) and the tail's time constant. */
	double art_pulse_uv[LSR_SIM_CHANNELS], art_tail_uv[LSR_SIM_CHANNELS],
	    art_tau_ms[LSR_SIM_CHANNELS];
	double stim_hz, stim_jitter; /* interval (1 ± jitter) / stim_hz */
	/* Contamination during the case (N > 0; the noisy scenario adds its
	 * own): spasm bursts and electrocautery with its decaying DC offset. */
	int nspasm, ncautery;
	double spasm_ms[LSR_SIM_MAX_BURSTS], spasm_uv[LSR_SIM_MAX_BURSTS];
	double cautery_s[LSR_SIM_MAX_BURSTS], cautery_uv[LSR_SIM_MAX_BURSTS],
	    cautery_offset[LSR_SIM_MAX_BURSTS], cautery_tau_s[LSR_SIM_MAX_BURSTS];
};

/* Fills *p with patient n: 0 the reference patient, n > 0 a deterministic
 * draw from the population. */
void lsr_sim_patient_draw(uint64_t n, struct lsr_sim_patient *p);

/* Why a true stimulus cannot count as a trial (lsr_sim_why_name: NULL
 * when usable). */
enum lsr_sim_why {
	LSR_SIM_USABLE = 0, LSR_SIM_NO_NERVE, LSR_SIM_NO_DIRECT, LSR_SIM_WHY_SPASM,
	LSR_SIM_WHY_CAUTERY, LSR_SIM_WHY_OFFSET,
};
const char *lsr_sim_why_name(enum lsr_sim_why w);

/* One true stimulus. */
struct lsr_sim_stim {
	int n;                  /* 1, 2, … */
	uint64_t index;         /* device sample index of the pulse's first sample */
	bool reaches_nerve;     /* false: artifact only (stimulation failure) */
	bool contaminated;      /* a spasm or cautery burst overlaps −10…+100 ms */
	/* Peak-to-peak µV of the LSR as generated on each channel (0 on the
	 * control channel, on a dropout, after a loss, or without nerve). */
	double lsr_uv[LSR_SIM_CHANNELS];
	/* Onset (ms after index) where the LSR waveform starts; meaningful when
	 * lsr_uv > 0.  Quantised to 0.01 ms, as generated. */
	double lsr_onset_ms[LSR_SIM_CHANNELS];
	double late_uv[LSR_SIM_CHANNELS];       /* late component p2p (~35 ms) */
	double late_onset_ms[LSR_SIM_CHANNELS];
	double direct_uv;       /* p2p of the direct response on the control channel */
	double direct_onset_ms;
	bool dropout;           /* a single-trial dropout of an otherwise present LSR */
	double factor;          /* the course's LSR factor (1 = baseline) */
	double direct_factor;   /* the course's direct-response factor */
	double trial_f[2];      /* this trial's amplitude variation per LSR channel */
	double noise_uv[LSR_SIM_CHANNELS]; /* true background RMS */
	enum lsr_sim_why why;   /* usable, or why not */
};

struct lsr_sim_mark {
	uint64_t index;         /* device sample index */
	char label[32];
};

enum lsr_sim_burst_kind { LSR_SIM_SPASM, LSR_SIM_CAUTERY };

/* A spontaneous spasm burst or an electrocautery burst (the noisy
 * scenario's, and a drawn patient's own). */
struct lsr_sim_burst {
	uint64_t start, end;    /* device sample indices, end excluded */
	enum lsr_sim_burst_kind kind;
	double amp_uv;          /* spasm: spike p2p on LSR channels; cautery: RMS */
	int period;             /* spasm: samples between spikes (250–350 Hz) */
	double offset_uv;       /* cautery: DC offset left when it ends */
	double offset_tau_s;    /* … decaying with this time constant */
	bool clip;              /* cautery: saturating at ±amp_uv */
};

#define LSR_SIM_MAX_EVENTS 6
#define LSR_SIM_NBURSTS (5 + 2 * LSR_SIM_MAX_BURSTS)

/* The scripted case.  Times in seconds of stream time (index / rate; the
 * simulator's first sample has index 0).
 *
 * loss_t: the stimulus time of the first stimulus whose LSR the script has
 * switched off (not counting single-trial dropouts); return_t: the first
 * stimulus with the LSR back after such a loss.
 *
 * expected_states: the overall `state` sequence (docs/interface.md names), comma
 * separated, starting with "acquiring".  A name followed by '?' is allowed
 * but not required: an abrupt, complete loss legitimately crosses the
 * `reduced` rule (median of the last 5 valid trials < 50%) on its third
 * absent trial, before 10 absent trials confirm `disappeared`.  No other
 * state may appear.
 * expected_final: `end.final` (NULL where the outcome depends on how far
 * the course got: blockade); expected_phase: `end.final_phase`, or NULL
 * (JSON null) when the final state is not `disappeared`.  These are the
 * reference patient's; a drawn patient is scored by make evaluate.
 * All strings are static. */
struct lsr_sim_truth {
	struct lsr_sim_patient patient;
	const char *scenario;
	int rate;
	int channels;
	const char *labels[LSR_SIM_CHANNELS];
	uint64_t end_index;     /* the generator stops here (duration × rate) */
	bool sync;              /* false: no sync marks (no-sync) */
	int nstims;
	struct lsr_sim_stim *stims;
	int nmarks;
	struct lsr_sim_mark marks[LSR_SIM_MAX_EVENTS];
	int nbursts;
	struct lsr_sim_burst bursts[LSR_SIM_NBURSTS];
	int nloss;
	double loss_t[LSR_SIM_MAX_EVENTS];
	int nreturn;
	double return_t[LSR_SIM_MAX_EVENTS];
	const char *expected_states;
	const char *expected_final;
	const char *expected_phase;
};

/* Runs the scenario's script (cheap: no samples) and fills *out.  Returns 0,
 * or -1 with a message in err (unknown scenario, bad duration, no memory).
 * The options are the driver's own (scenario NULL means classic,
 * duration_s 0 the default, sim_patient 0 the reference patient). */
int lsr_sim_truth(const struct lsr_driver_opts *opts,
                  struct lsr_sim_truth *out, char *err, size_t errlen);
void lsr_sim_truth_free(struct lsr_sim_truth *t);

/* The scenario names, NULL-terminated (for --help and tests). */
extern const char *const lsr_sim_scenarios[];

#endif
