/* src/signal/mains.h — automatic mains removal: the hum around each sweep (and
 * each noise stretch) fitted from the raw signal *outside* the stimulus-
 * locked windows and subtracted before conditioning (docs/clinical.md,
 * "Mains removal", gives the clinical side and what was measured).
 *
 * Why a fit and not a notch: a notch takes one frequency, leaves the
 * harmonics and a drifting mains, and rings into the sweep after the
 * blanked pulse.  Here each channel's stretch (LSR_MAINS_FIT_MS before the
 * stimulus to the sweep's end) is fitted by least squares with the
 * fundamental and LSR_MAINS_HARMONICS − 1 harmonics (cosine and sine),
 * their first-order frequency terms (t·cos, t·sin: what a small
 * frequency error looks like), and a cubic for baseline wander;
 * every sample within LSR_MAINS_MASK_FROM_MS … LSR_MAINS_MASK_TO_MS of a
 * stimulus is left out of the fit, so the artifact, the direct response,
 * the LSR, its late component and after-discharges are not fitted.  Only
 * the hum terms are subtracted.  Fixed-frequency sinusoids over hundreds
 * of milliseconds cannot take a 250–350 Hz after-discharge (the third
 * harmonic is 150 or 180 Hz, and the response windows are not in the
 * fit), nor shift an onset: the subtraction is a smooth periodic signal.
 *
 * The frequency: with `mains=auto` both 50 and 60 Hz are fitted until the
 * hum of LSR_MAINS_DECIDE stretches says which it is; the fundamental's
 * frequency terms then give its error (ε = Im(Q·P̄)/|P|² across
 * channels), which steers the frequency (±LSR_MAINS_TRACK_HZ around
 * nominal), so a ±0.1 Hz drift is followed sweep by sweep.
 * Everything is allocated in lsr_mains_new; fitting is O(n) per stretch. */
#ifndef LSR_MAINS_H
#define LSR_MAINS_H

#include <stdbool.h>
#include <stdint.h>

#include "driver.h"
#include "params.h"

#define LSR_MAINS_FIT_MS 300.0      /* fitted before the stimulus */
#define LSR_MAINS_MASK_FROM_MS -1.0 /* left out around each stimulus */
#define LSR_MAINS_MASK_TO_MS 60.0
#define LSR_MAINS_HARMONICS 3       /* fundamental, 2nd, 3rd */
#define LSR_MAINS_DECIDE 3
#define LSR_MAINS_TRACK_HZ 0.5

struct lsr_mains;

/* maxlen: the longest stretch ever fitted.  NULL on failure (err). */
struct lsr_mains *lsr_mains_new(const struct lsr_params *p, int rate, int nch, int maxlen,
                                char *err, size_t errlen);
void lsr_mains_free(struct lsr_mains *m);
bool lsr_mains_on(const struct lsr_mains *m);

/* Sets up the fit of a stretch x[c][0..n) (c < nch, raw µV) whose sample
 * `origin` is time 0; stims: stream indices of stimuli (any number, any of
 * them outside the stretch), stretch_from: the stream index of x[c][0];
 * the hum will be subtracted from stretch samples [y_at, y_at + ny).
 * Left out of the fit: around each stimulus, and any 5 ms in which some
 * channel is swamped (cautery, a burst).  False when too little is left
 * (nothing is then removed). */
bool lsr_mains_prepare(struct lsr_mains *m, const float *const *x, int nch, int n, int origin,
                       const int64_t *stims, int nstims, int64_t stretch_from, int y_at, int ny);

/* lsr_mains_prepare in its stages, for channels shared between threads:
 * begin (the stretch and its stimuli: false when it cannot be fitted,
 * and then nothing else is called), then — in any order, at once on
 * different threads — swamp_tv for disjoint ranges of channels [lo, hi)
 * covering them all, and basis; then finish, which
 * returns what lsr_mains_prepare would. */
bool lsr_mains_begin(struct lsr_mains *m, int n, int origin, const int64_t *stims, int nstims,
                     int64_t stretch_from, int y_at, int ny);
void lsr_mains_swamp_tv(struct lsr_mains *m, const float *const *x, int lo, int hi);
void lsr_mains_basis(struct lsr_mains *m);
bool lsr_mains_finish(struct lsr_mains *m, int nch);

/* Channel c: fits x[0..n), the prepared stretch's, and subtracts the hum
 * from y[0..ny), which holds stretch samples [y_at, y_at + ny).  Channels
 * may be done on different threads at once. */
void lsr_mains_remove(struct lsr_mains *m, int c, const float *x, float *y);

/* After every channel of a stretch: steers the frequency, decides 50 or
 * 60 Hz.  with_hum: the stretch counts for the hum level reported. */
void lsr_mains_update(struct lsr_mains *m, bool with_hum);

/* The frequency in force (NAN while undecided or off) and channel c's hum,
 * µV RMS (median of the latest stretches; NAN until there is one). */
double lsr_mains_hz(const struct lsr_mains *m);
double lsr_mains_hum_uv(const struct lsr_mains *m, int c);

#endif
