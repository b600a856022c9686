/* src/signal/filter.h — biquad cascades for the sweep conditioning: a band-pass
 * (Butterworth high-pass and low-pass sections) and an optional mains notch,
 * run forward and backward over a buffer for zero phase. */
#ifndef LSR_FILTER_H
#define LSR_FILTER_H

#include <stddef.h>

#define LSR_FILTER_MAX_SECTIONS 3
/* A narrow notch (Q 30) rings for ~0.2 s: longer than a sweep and its
 * warm-up.  Q 2 settles in ~13 ms (time constant Q / π f0) and still
 * passes 200 Hz at 98 %; below 100 Hz the 30 Hz high-pass already cuts. */
#define LSR_NOTCH_Q 2.0

struct lsr_biquad {
	double b0, b1, b2, a1, a2; /* a0 normalised to 1 */
};

struct lsr_filter {
	int nsec;
	struct lsr_biquad sec[LSR_FILTER_MAX_SECTIONS];
	double lp_hz;  /* the low-pass corner in force after clamping, 0 = none */
	size_t period; /* samples per mains period when the notch is on, else 0 */
};

/* Designs hp_hz high-pass, lp_hz low-pass (clamped below 0.45 × rate, left
 * out when that falls below 2 × hp_hz) and, when notch_hz is 50 or 60, a
 * notch of Q LSR_NOTCH_Q.  Returns 0, or -1 when the rate cannot carry the high-pass. */
int lsr_filter_design(struct lsr_filter *f, double rate, double hp_hz,
                      double lp_hz, double notch_hz);

/* One forward pass of the cascade over x[0..n) in place, from rest.  The
 * first sample is subtracted first: a high-pass output starts at 0
 * instead of ringing on the step from rest to x[0]. */
void lsr_filter_forward(const struct lsr_filter *f, float *x, size_t n);

/* Zero-phase band-pass of x[0..n): pads x[n..n+pad) with a continuation
 * of the last samples (so x must have room for n + pad and n > pad + 1),
 * runs forward over n + pad and backward over the same, leaving the result
 * in x[0..n).  Zero phase keeps response onsets where they are. */
void lsr_filter_zerophase(const struct lsr_filter *f, float *x, size_t n, size_t pad);
/* What the forward pass alone gives over x[from, from + len): causal, so
 * nothing after `from + len` reaches it (the zero-phase result before a
 * stimulus carries the backward pass's ringing of the responses after it). */
struct lsr_filter_tap {
	size_t from, len;
	float *const *out; /* one buffer of len per x */
};
/* The same over nx buffers of the same length (faster than one by one);
 * tap (may be NULL) receives each buffer's forward pass over its span. */
void lsr_filter_zerophase_n(const struct lsr_filter *f, float *const *x, int nx,
                            size_t n, size_t pad, const struct lsr_filter_tap *tap);

#endif
