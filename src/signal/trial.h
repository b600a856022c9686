/* src/signal/trial.h — one stimulus sweep as measured by the signal path
 * (conditioning, stimulus finder, epochs, measures), handed to the judge
 * (validity, baselines, states).  Every window is measured on every channel
 * so a role can change at any time without re-measuring. */
#ifndef LSR_TRIAL_H
#define LSR_TRIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "driver.h"
#include "event.h"

/* Peak-to-peak and onset in one analysis window of the conditioned sweep. */
struct lsr_window_measure {
	double p2p_uv;
	double onset_ms;      /* ms after the stimulus; NAN when nothing crosses */
	bool onset_at_edge;   /* crossing without a sub-threshold stretch of
	                         onset_quiet_ms before it inside the window */
	double area_uv_ms;    /* rectified area over the window */
	double threshold_uv;  /* presence threshold for a window this long:
	                         max(floor_uv, noise_factor × noise_pct-th
	                         percentile of noise-only p2p); NAN until the
	                         noise distribution has enough windows */
};

struct lsr_channel_measure {
	struct lsr_window_measure direct; /* direct_from_ms … direct_to_ms */
	struct lsr_window_measure lsr;    /* lsr_from_ms … lsr_to_ms */
	double late_p2p_uv;               /* late_from_ms … late_to_ms */
	double noise_uv;     /* this sweep's noise level: median noise-only p2p
	                        of its own noise windows (60–100 ms, pre-stim) */
	bool saturated;      /* any raw sample outside blanking within 0.1 % of
	                        full scale (or beyond saturation_uv) */
	bool cautery;        /* broadband swamping in pre-stimulus or 60–100 ms */
	bool spasm;          /* non-stimulus-locked EMG burst in those segments */
};

struct lsr_trial {
	int n;                       /* stimulus number, from 1 */
	double t;                    /* stream time of the stimulus sample */
	int64_t stim_index;          /* stream sample index of the stimulus */
	enum lsr_stim_origin origin;
	bool gap;                    /* the sweep overlaps lost samples */
	bool overlap;                /* another stimulus fell inside this sweep */
	int nch;
	struct lsr_channel_measure ch[LSR_MAX_CHANNELS];
	/* Sweeps, channel-major (ch * stride + i), −10…+100 ms:
	 * raw = unconditioned µV; conditioned = blanked, artifact-removed and
	 * band-passed µV.  Valid only during the callback. */
	const float *raw, *conditioned;
	size_t stride;
	int sweep_len, sweep_pre;
};

#endif
