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

#define LSR_SIM_RATE 10000      /* samples per second per channel */
#define LSR_SIM_CHANNELS 3      /* Mentalis, Orbicularis oris, Orbicularis oculi */
#define LSR_SIM_CONTROL 2       /* the direct-response (control) channel */
#define LSR_SIM_UV_PER_LSB 0.03125 /* 2^-5 µV: every k·LSB, |k| ≤ 2^23, is exact in float */
#define LSR_SIM_FULL_SCALE_UV 262144.0 /* 2^23 LSB */
#define LSR_SIM_MIN_DURATION 60.0
#define LSR_SIM_DEFAULT_DURATION 300.0 /* duration_s 0 means this */
#define LSR_SIM_MAX_DURATION 604800.0 /* one week */

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
};

struct lsr_sim_mark {
	uint64_t index;         /* device sample index */
	char label[32];
};

enum lsr_sim_burst_kind { LSR_SIM_SPASM, LSR_SIM_CAUTERY };

/* A spontaneous spasm burst or an electrocautery burst (noisy scenario). */
struct lsr_sim_burst {
	uint64_t start, end;    /* device sample indices, end excluded */
	enum lsr_sim_burst_kind kind;
	double amp_uv;          /* spasm: spike p2p on LSR channels; cautery: RMS */
	int period;             /* spasm: samples between spikes (250–350 Hz) */
};

#define LSR_SIM_MAX_EVENTS 4

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
 * expected_final: `end.final`; expected_phase: `end.final_phase`, or NULL
 * (JSON null) when the final state is not `disappeared`.
 * All strings are static. */
struct lsr_sim_truth {
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
	struct lsr_sim_burst bursts[2 * LSR_SIM_MAX_EVENTS];
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
 * scenario NULL means classic, duration_s 0 the default; the driver reads
 * struct lsr_driver_opts the same way. */
int lsr_sim_truth(const char *scenario, uint64_t seed, double duration_s,
                  struct lsr_sim_truth *out, char *err, size_t errlen);
void lsr_sim_truth_free(struct lsr_sim_truth *t);

/* The scenario names, NULL-terminated (for --help and tests). */
extern const char *const lsr_sim_scenarios[];

#endif
