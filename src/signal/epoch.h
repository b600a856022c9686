/* src/signal/epoch.h — the raw-sample ring every sweep is cut from, and the queue
 * of stimuli whose sweeps are still waiting for samples. */
#ifndef LSR_EPOCH_H
#define LSR_EPOCH_H

#include <stdbool.h>
#include <stdint.h>

#include "driver.h"
#include "event.h"

struct lsr_epoch_stim {
	int64_t index;
	enum lsr_stim_origin origin;
	bool candidate;  /* auto mode: an artifact not yet accepted */
	bool overlap;    /* another stimulus falls inside this sweep */
	bool gap;        /* lost samples inside this sweep */
};

struct lsr_epochs;

/* history: samples per channel the ring must keep behind the newest block
 * (sweep span + filter warm-up); post: samples after the stimulus sample to
 * the sweep's last; cap: most stimuli waiting at once. */
struct lsr_epochs *lsr_epochs_new(int nch, int history, int post, int cap);
void lsr_epochs_free(struct lsr_epochs *e);

/* Stores a block whose first sample is stream sample index.  A jump (or a
 * step back) against the previous block's end starts a new segment: the
 * samples before it are never read as contiguous with it, and every waiting
 * sweep that reaches past the old end is marked gap.  Returns true when
 * this block starts a new segment after an earlier one. */
bool lsr_epochs_put(struct lsr_epochs *e, int64_t index, const struct lsr_block *blk);

/* Queues a stimulus; when it falls inside the sweep of the one queued
 * before, both are marked overlap.  Returns -1 (not queued) when full. */
int lsr_epochs_add(struct lsr_epochs *e, int64_t index, enum lsr_stim_origin origin,
                   bool candidate);
void lsr_epochs_drop_candidates(struct lsr_epochs *e);
void lsr_epochs_accept_candidates(struct lsr_epochs *e);
/* Removes every waiting stimulus; returns how many. */
int lsr_epochs_clear(struct lsr_epochs *e);
int lsr_epochs_waiting(const struct lsr_epochs *e);

/* Pops the oldest stimulus whose last sweep sample has arrived (or that a
 * gap ended).  Returns false when none is ready. */
bool lsr_epochs_ready(struct lsr_epochs *e, struct lsr_epoch_stim *out);

/* Copies channel ch, stream samples [from, from + n), into out.  Samples
 * not held (lost, before the current segment, not yet arrived, or already
 * overwritten) are written as 0 and counted: returns that count. */
int lsr_epochs_copy(const struct lsr_epochs *e, int ch, int64_t from, int n, float *out);

/* First stream index of the current segment; one past the newest sample. */
int64_t lsr_epochs_segment_start(const struct lsr_epochs *e);
int64_t lsr_epochs_end(const struct lsr_epochs *e);

#endif
