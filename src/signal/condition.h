/* src/signal/condition.h — turns a raw sweep into the signal that is measured:
 * blanking over the pulse, removal of the artifact's decay, zero-phase
 * band-pass (+ notch).
 *
 * Why a fitted decay and not a running template: a template of recent
 * sweeps averages the responses too (the direct response and the LSR are
 * stimulus-locked, so they are in the template) and would subtract them;
 * the decay left by the amplifier and the electrode after the pulse is a
 * smooth exponential, while responses are short oscillations whose
 * projection on a smooth decay over 2–62 ms is small.  The fit is least
 * squares of one exponential (τ 0.5–51 ms: a precomputed grid, then a
 * golden-section search between the best grid point's neighbours) or two
 * of one sign with τ at least 4× apart (grid pairs, from precomputed
 * sums), the better of the two, each anchored at the first sample after
 * blanking (offset + decays = that sample), so a millivolt direct response
 * starting 1 ms later is not taken for a fast decay.
 *
 * Why zero phase: forward-backward filtering does not shift the onset the
 * detector reports; the samples before the sweep (warm-up) settle the
 * forward pass and a continuation after the sweep (filter.h) settles the
 * backward pass, so a sweep is emitted as soon as its last sample has arrived. */
#ifndef LSR_CONDITION_H
#define LSR_CONDITION_H

#include "filter.h"
#include "params.h"

struct lsr_condition;

/* post: samples from the stimulus to the sweep's last one. */
struct lsr_condition *lsr_condition_new(const struct lsr_params *p, int rate, int post,
                                        char *err, size_t errlen);
void lsr_condition_free(struct lsr_condition *c);

/* Samples of reflection padding the buffers handed in must have room for
 * after their n samples. */
int lsr_condition_pad(const struct lsr_condition *c);
/* Blanking, in samples: from lead before the stimulus sample to blank
 * after it. */
int lsr_condition_blank(const struct lsr_condition *c);
int lsr_condition_lead(const struct lsr_condition *c);

/* Doubles of working space lsr_condition_sweeps needs: one such buffer
 * per thread conditioning at the same time (c itself is only read). */
size_t lsr_condition_scratch_len(const struct lsr_condition *c);

/* x[k][0..n) for k < nx: raw µV, the stimulus at x[k][stim] and the
 * sweep's last sample at x[k][stim + post] = x[k][n - 1]; each with room
 * for n + pad.  In place.  pre (may be NULL): per x, the npre samples
 * before the stimulus band-passed causally, untouched by what follows
 * them (filter.h, struct lsr_filter_tap). */
void lsr_condition_sweeps(const struct lsr_condition *c, double *scratch, float *const *x,
                          int nx, int n, int stim, float *const *pre, int npre);

/* Stretches without a stimulus (noise windows): band-pass only. */
void lsr_condition_plain(const struct lsr_condition *c, float *const *x, int nx, int n);

#endif
