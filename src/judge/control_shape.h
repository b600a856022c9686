/* src/judge/control_shape.h — the control channel's direct response as a
 * shape: the average of its baseline trials, and each trial's latency
 * against it (docs/clinical.md "What makes a trial valid": the direct
 * response at its usual latency, ±control_latency_ms).
 *
 * Why not the onset: a threshold crossing moves by milliseconds with the
 * noise and the artifact's last microvolts at the window's start (half of
 * a patient's trials were thrown out as "no direct response" while their
 * direct responses were whole); the lag that best aligns the whole
 * response with its baseline shape moves only with the response. */
#ifndef LSR_CONTROL_SHAPE_H
#define LSR_CONTROL_SHAPE_H

#include <stdbool.h>

#include "params.h"

struct lsr_control_shape {
	int at, n;       /* the direct window in the sweep: samples [at, at + n) */
	int maxlag;      /* lags searched: ±maxlag samples */
	int rate;
	double *sum;     /* sum of the collected windows (with the lag margin) */
	double *shape;   /* the baseline shape, n samples, zero mean */
	int count;
	bool have;
};

/* For sweeps with the stimulus at sample pre, rate samples/s.  Returns 0
 * (with a window that does not fit, no shape is ever had and the latency
 * is judged by the onset), or -1 when out of memory. */
int lsr_control_shape_init(struct lsr_control_shape *c, const struct lsr_params *p, int rate,
                           int pre, int len);
void lsr_control_shape_free(struct lsr_control_shape *c);
/* Start collecting a new shape (the one in force stays until finished). */
void lsr_control_shape_restart(struct lsr_control_shape *c);
void lsr_control_shape_add(struct lsr_control_shape *c, const float *sweep);
/* The collected trials become the shape in force. */
void lsr_control_shape_finish(struct lsr_control_shape *c);
/* The trial's latency against the shape, ms (positive: later); NAN
 * without a shape or for a flat window. */
double lsr_control_shape_lag_ms(const struct lsr_control_shape *c, const float *sweep);

#endif
