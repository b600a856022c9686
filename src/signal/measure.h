/* src/signal/measure.h — what is measured on a conditioned sweep: peak-to-peak,
 * onset, area per window; the running distribution of noise-only
 * peak-to-peak the presence threshold comes from; swamping (cautery,
 * spasm) of the segments that carry no response.
 *
 * Onset: the first sample whose |x| exceeds half the presence threshold
 * (any response with p2p above the threshold reaches it; 10 % of the
 * window's p2p when that is higher) after at least
 * onset_quiet_ms of samples below it inside the window; the reported
 * latency is the foot of that excursion: walking back from the crossing
 * while |x| keeps falling and the sign stays, never past the quiet stretch.
 * The crossing level depends on the noise and the amplitude, the foot
 * does not (median error 0.04 ms at SNR 10, 0.07 ms at SNR 5 in the
 * tests' synthetic sweeps).  A crossing with no such quiet stretch before it is
 * reported with onset_at_edge.
 *
 * Swamping: a segment (−10…0 ms band-passed causally, 60…100 ms) whose p2p is above LSR_CAUTERY_RATIO × the channel's median noise-only p2p
 * and whose mean frequency (rate/2π × rms of the first difference / rms)
 * is above LSR_CAUTERY_HZ is cautery (diathermy is broadband); above
 * LSR_SPASM_RATIO otherwise, a spasm burst (EMG lives below a few hundred
 * Hz); in the 60…100 ms segment only while the channel shows no LSR in
 * the same sweep (else it is the LSR's after-discharge).  Swamped
 * segments of either kind stay out of the noise distribution.  Without a
 * noise distribution yet, or when the segment's p2p is
 * below floor_uv (nothing that small swamps a response), nothing is
 * flagged. */
#ifndef LSR_MEASURE_H
#define LSR_MEASURE_H

#include <stdbool.h>

#include "trial.h"

#define LSR_CAUTERY_RATIO 10.0
#define LSR_CAUTERY_HZ 700.0
#define LSR_SPASM_RATIO 4.0
#define LSR_NOISE_MIN 10 /* noise windows before a threshold exists */

enum lsr_noise_kind { LSR_NOISE_DIRECT, LSR_NOISE_LSR, LSR_NOISE_KINDS };
enum lsr_swamp { LSR_SWAMP_NONE, LSR_SWAMP_SPASM, LSR_SWAMP_CAUTERY };

double lsr_measure_p2p(const float *x, int n);

/* One window: x[0..n) conditioned, x[0] at ms0 after the stimulus,
 * dt_ms per sample; threshold may be NAN (then floor_uv sets the onset
 * level); quiet: onset_quiet_ms in samples. */
void lsr_measure_window(const float *x, int n, double ms0, double dt_ms,
                        double threshold, double floor_uv, int quiet,
                        struct lsr_window_measure *m);

/* Mean frequency (Hz) of x[0..n): rate/2π × rms(diff) / rms(x − mean). */
double lsr_measure_mean_hz(const float *x, int n, double rate);

/* Classifies a segment from its p2p and mean frequency against the median
 * noise-only p2p of the short (direct-length) windows (NAN: unknown). */
enum lsr_swamp lsr_measure_swamp(double seg_p2p, double mean_hz, double noise_median,
                                 double floor_uv);

/* Running distribution of the last cap noise-only p2p values per channel
 * and window kind. */
struct lsr_noise;
struct lsr_noise *lsr_noise_new(int nch, int cap);
void lsr_noise_free(struct lsr_noise *z);
void lsr_noise_add(struct lsr_noise *z, int ch, enum lsr_noise_kind k, double p2p);
int lsr_noise_count(const struct lsr_noise *z, int ch, enum lsr_noise_kind k);
/* pct-th percentile (linear interpolation), NAN below LSR_NOISE_MIN values. */
double lsr_noise_percentile(const struct lsr_noise *z, int ch, enum lsr_noise_kind k, double pct);

/* Median of v[0..n) (reorders v); NAN when n == 0. */
double lsr_median_inplace(double *v, int n);
/* The k-th smallest of v[0..n) (k from 0; no NaN among them), reordering
 * v; NaN when k is out of range.  Linear on average, where a sort to read
 * one quantile is n log n or, by insertion, n²; in place, as qsort may
 * allocate and the judge allocates nothing per trial. */
double lsr_select_inplace(double *v, int n, int k);

#endif
