/* src/signal/stimfind.h — finds stimuli in the incoming stream: rising edges of
 * mark bit 0 (a train of edges is one stimulus) or, without a sync line,
 * the stimulus artifact itself, and decides which of the two is in force. */
#ifndef LSR_STIMFIND_H
#define LSR_STIMFIND_H

#include <stdbool.h>
#include <stdint.h>

#include "driver.h"
#include "event.h"
#include "params.h"

/* Artifact detector: a rise or fall of at least this much within
 * LSR_ART_SPAN_MS, on most channels at once (all of them up to 3 channels,
 * otherwise at least three quarters).  A stimulus artifact is millivolts
 * within a fraction of a millisecond on every lead; an M wave is as large
 * but on one muscle only and slower. */
#define LSR_ART_STEP_UV 1000.0
#define LSR_ART_SPAN_MS 0.5

enum lsr_stimfind_what {
	LSR_FOUND_STIM,       /* a stimulus (origin says how it was found) */
	LSR_FOUND_CANDIDATE,  /* auto mode, no sync edge yet: an artifact that
	                         becomes a stimulus only if the mode switches */
	LSR_FOUND_TO_SYNC,    /* auto: first sync edge; drop every candidate */
	LSR_FOUND_TO_ARTIFACT /* auto: 3 candidates without a sync edge; every
	                         candidate so far is a stimulus */
};

typedef void (*lsr_stimfind_fn)(void *ctx, enum lsr_stimfind_what what,
                                int64_t index, enum lsr_stim_origin origin);

struct lsr_stimfind;

struct lsr_stimfind *lsr_stimfind_new(const struct lsr_params *p, int rate,
                                      int nch, char *err, size_t errlen);
void lsr_stimfind_free(struct lsr_stimfind *f);

/* Scans one block whose first sample is stream sample `index`; after_gap
 * says the samples before it are lost, so neither an edge nor an artifact
 * can be inferred from the first samples.  Calls fn in stream order (a
 * mode switch is reported right before the finding that caused it). */
void lsr_stimfind_scan(struct lsr_stimfind *f, int64_t index,
                       const struct lsr_block *blk, bool after_gap,
                       lsr_stimfind_fn fn, void *ctx);

/* The source in force: SYNC or ARTIFACT, or AUTO while still undecided. */
enum lsr_stim_source lsr_stimfind_mode(const struct lsr_stimfind *f);

#endif
