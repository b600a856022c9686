/* src/signal/stimfind.h — finds stimuli in the incoming stream: rising edges of
 * mark bit 0 (a train of edges is one stimulus) or, without a sync line,
 * the stimulus artifact itself, and decides which of the two is in force.
 *
 * The artifact detector adapts to the patient (docs/clinical.md, "Finding
 * the stimulus without a sync line").  A stimulus artifact is a step of
 * 0.3–8 mV, either polarity per lead, within a fraction of a millisecond
 * and on every lead at once; nothing else in the recording is.  Per
 * channel the detector keeps the median size of the background's steps
 * over LSR_ART_RISE_MS (a running quantile: it rises within a millisecond
 * or two when cautery starts) and learns this patient's artifact — its
 * signed step on each lead — from the first confident one: a step at
 * least LSR_ART_CONF × the background median and LSR_ART_MIN_UV on most
 * channels at once (all of them up to 3 channels, otherwise three
 * quarters), out of a quiet stretch (no step above LSR_ART_QUIET of it in
 * the LSR_ART_QUIET_MS before).  From then on a stimulus is a step on most
 * channels of the learned polarity and LSR_ART_BAND_LO–LSR_ART_BAND_HI ×
 * the learned size, still LSR_ART_BACKGROUND × above the background
 * median.  A spasm burst has one polarity pattern on every lead (one
 * muscle's field), its own size ratios and slower rises; cautery is white,
 * saturating noise whose median step is of the order of its size, so no
 * step in it stands out: its stimuli are not found (they are invalid
 * trials anyway) and none is made up.  Three confident steps that agree
 * with each other but not with what was learned replace it (the first
 * "confident" one was something else).
 *
 * With a sync line in force the detector keeps running: each artifact is
 * paired with its edge (within LSR_ART_AGREE_MS); three artifacts in a row
 * without an edge say the sync line is lost (a pulled cable), and in auto
 * mode artifact detection takes over from those three on. */
#ifndef LSR_STIMFIND_H
#define LSR_STIMFIND_H

#include <stdbool.h>
#include <stdint.h>

#include "driver.h"
#include "event.h"
#include "params.h"

#define LSR_ART_RISE_MS 0.1      /* a step is measured over this span (≥ 1 sample) */
#define LSR_ART_MIN_UV 150.0     /* half the smallest artifact seen in theatre */
#define LSR_ART_CONF 15.0        /* a confident step: × the background median */
#define LSR_ART_BACKGROUND 8.0   /* any accepted step: × the background median */
#define LSR_ART_QUIET 0.3        /* a confident step's prior steps below this fraction */
#define LSR_ART_QUIET_MS 5.0
#define LSR_ART_BAND_LO 0.55     /* learned size × this … */
#define LSR_ART_BAND_HI 1.8      /* … to × this */
#define LSR_ART_AGREE_MS 5.0     /* an artifact and its sync edge, at most */
#define LSR_ART_SYNC_LOST 3      /* artifacts in a row without an edge */

enum lsr_stimfind_what {
	LSR_FOUND_STIM,       /* a stimulus (origin says how it was found) */
	LSR_FOUND_CANDIDATE,  /* an artifact that becomes a stimulus only if
	                         the mode switches to artifact */
	LSR_FOUND_TO_SYNC,    /* auto: a sync edge; drop every candidate */
	LSR_FOUND_DROP,       /* drop every candidate (an edge came after all,
	                         or what was learned was not the artifact) */
	LSR_FOUND_SYNC_LOST,  /* artifacts go on without sync edges (index:
	                         the first of them); in auto mode TO_ARTIFACT
	                         follows */
	LSR_FOUND_TO_ARTIFACT /* auto: every candidate so far is a stimulus */
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

/* The artifact learned on channel c (signed µV step over LSR_ART_RISE_MS),
 * NAN while none is. */
double lsr_stimfind_artifact_uv(const struct lsr_stimfind *f, int c);

#endif
