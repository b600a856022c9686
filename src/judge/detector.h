/* src/judge/detector.h — the signal core as one object: the signal path (artifact,
 * conditioning, stimulus finder, sweeps, measures) feeding the judge
 * (validity, baselines, states, marks).  Pure: no I/O of any kind. */
#ifndef LSR_DETECTOR_H
#define LSR_DETECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "driver.h"
#include "event.h"
#include "params.h"

struct lsr_detector;

/* Events go to out.  NULL with a message in err. */
struct lsr_detector *lsr_detector_new(const struct lsr_params *p,
                                      const struct lsr_stream_config *cfg,
                                      const enum lsr_role *roles,
                                      const struct lsr_sink *out,
                                      char *err, size_t errlen);
void lsr_detector_free(struct lsr_detector *d);
/* A new segment (configuration change or device restart): sweeps in flight
 * are dropped; marks, mark ids and the case's history carry over. */
int lsr_detector_segment(struct lsr_detector *d, const struct lsr_stream_config *cfg,
                         const enum lsr_role *roles, char *err, size_t errlen);
/* Samples from stream index `index` (t = index / rate); a jump forward
 * from the previous block's end is lost samples. */
void lsr_detector_feed(struct lsr_detector *d, int64_t index, const struct lsr_block *blk, int rate);
/* Stream time advanced without samples (an outage). */
void lsr_detector_time(struct lsr_detector *d, double t);
/* An operator mark at stream time t; returns its id. */
int lsr_detector_mark(struct lsr_detector *d, double t, const char *label,
                      enum lsr_mark_origin origin);
void lsr_detector_set_role(struct lsr_detector *d, int ch, enum lsr_role role);
/* End of the source: sweeps still waiting for samples are dropped. */
void lsr_detector_flush(struct lsr_detector *d);
void lsr_detector_final(const struct lsr_detector *d, enum lsr_final *final,
                        enum lsr_phase *phase, int *stims);
/* start.warnings the detector knows of (no control channel, rate too low). */
int lsr_detector_warnings(const struct lsr_detector *d, const char **w, int max);
/* What the screen and the report show: the judge's view. */
struct lsr_judge_view;
void lsr_detector_view(const struct lsr_detector *d, struct lsr_judge_view *v);

#endif
