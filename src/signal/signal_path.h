/* src/signal/signal_path.h — the signal path as one object: stimulus finder, sweeps,
 * conditioning and measures.  Samples in, one struct lsr_trial per
 * stimulus out (in stimulus order, once its sweep's last sample has
 * arrived).  No I/O; everything is allocated in lsr_signal_new. */
#ifndef LSR_SIGNAL_H
#define LSR_SIGNAL_H

#include <stddef.h>
#include <stdint.h>

#include "driver.h"
#include "params.h"
#include "trial.h"

struct lsr_signal;

/* What the signal path measures of the stream itself, written where
 * lsr_params.report points (after each lsr_signal_feed). */
struct lsr_signal_report {
	int nch;
	double mains_hz;                  /* the mains frequency removed; NAN: none */
	double hum_uv[LSR_MAX_CHANNELS];  /* RMS of the hum removed around the
	                                     latest sweep, per channel; NAN: none */
	int sync_lost;                    /* times the sync line went quiet while
	                                     artifacts went on */
	double sync_lost_t;               /* stream time of the first stimulus
	                                     without its edge, the latest time */
};

typedef void (*lsr_trial_fn)(void *ctx, const struct lsr_trial *trial);

/* NULL on failure (message in err).  cfg->rate below p->min_rate_hz: still
 * finds stimuli and emits trials with NAN measures (the judge then emits
 * stim events only). */
struct lsr_signal *lsr_signal_new(const struct lsr_params *p, const struct lsr_stream_config *cfg,
                                  lsr_trial_fn on_trial, void *ctx, char *err, size_t errlen);
void lsr_signal_free(struct lsr_signal *s);

struct lsr_crew;
/* A helper thread to share a sweep's channel groups with (crew.h),
 * borrowed until lsr_signal_free; NULL (the default): none. */
void lsr_signal_use_crew(struct lsr_signal *s, struct lsr_crew *crew);

/* A block whose first sample is stream sample `index` (t = index / rate).
 * A jump forward in index vs the previous block's end = lost samples:
 * sweeps overlapping it get trial.gap = true; never join the two sides.
 * No stimulus edge is inferred at the first sample after a gap. */
void lsr_signal_feed(struct lsr_signal *s, int64_t index, const struct lsr_block *blk);

/* End of stream: sweeps still waiting for samples are dropped (not emitted). */
void lsr_signal_flush(struct lsr_signal *s);

/* Stimuli found so far (emitted, or accepted and waiting for samples). */
int lsr_signal_stims(const struct lsr_signal *s);

/* The detection mode now in force: LSR_STIM_SOURCE_SYNC or _ARTIFACT, or
 * _AUTO while auto mode has decided neither yet. */
enum lsr_stim_source lsr_signal_mode(const struct lsr_signal *s);

/* Blocks ignored as malformed (no samples, more than LSR_MAX_BLOCK,
 * a stride shorter than the block, a negative index). */
uint64_t lsr_signal_rejected(const struct lsr_signal *s);

/* Sweep geometry: samples before the stimulus and in the whole sweep. */
int lsr_signal_sweep_pre(const struct lsr_signal *s);
int lsr_signal_sweep_len(const struct lsr_signal *s);

#endif
