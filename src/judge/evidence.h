/* src/judge/evidence.h — one LSR channel's evidence: its recent valid
 * sweeps, its baseline shape, and the decision present / absent /
 * indeterminate over the recent trials (docs/clinical.md "How presence is
 * judged", docs/detector.md for the reasoning and the measured rates).
 *
 * The amplitude of a trial is matched to this patient's own LSR: the
 * baseline average, built split-half (the odd trials' shape measures the
 * even trials and the reverse), so the template never fits the noise of
 * what it measures, and a ratio to baseline is free of the noise bias of
 * peak-to-peak.  The noise a decision must beat is measured, not assumed:
 * the same matched filter over noise-only windows (60–100 ms of every
 * sweep) gives the spread of a single trial's amplitude, σ; an average of
 * n independent trials has σ/√n.  A decision over n trials:
 *   detected — the matched amplitude (best lag within ±track of the
 *              tracked latency) is above z·σ/√n, or the average's energy in
 *              the LSR window is above what noise gives and at least
 *              shape_pct of the baseline's (a shape-free test: an LSR that
 *              drifted or changed shape is not called absent);
 *   absent   — not detected, and the 99% upper bound of the amplitude is
 *              below absent_pct of baseline, for the baseline's shape and
 *              for each shape it may fade to: its first phases alone,
 *              read as a peak-to-peak (a residual that keeps only its
 *              first phases can project onto the whole shape at a third
 *              of its size: docs/detector.md "Fading shapes");
 *   otherwise indeterminate.
 * Everything is allocated by lsr_evidence_init; nothing per trial. */
#ifndef LSR_EVIDENCE_H
#define LSR_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "params.h"

/* Up to this many valid trials are kept: a baseline of at most 40, and
 * decisions over at most 16 (docs/clinical.md "Defaults"). */
#define LSR_EVIDENCE_RING 40
#define LSR_EVIDENCE_MAX_K 16
#define LSR_EVIDENCE_NOISE_WINDOWS 12
/* Shapes an LSR may fade to: its first phases, from half of them up (of
 * at most eight counted), so at most four. */
#define LSR_EVIDENCE_PREFIXES 4

/* Where things are in a sweep, in samples from its first sample. */
struct lsr_evidence_geometry {
	int rate, pre, len;      /* the sweep: −10…+100 ms, stimulus at pre */
	int lsr0, lsr_n;         /* the LSR window */
	int lag_min, lag_max;    /* the latency may drift within these lags */
	int track, lag_step;     /* search ± track around the tracked lag */
	int noise0[LSR_EVIDENCE_NOISE_WINDOWS];
	int nnoise;
};

/* Fills g for a sweep of −10…+100 ms at rate; false when the windows do
 * not fit (a rate too low to judge). */
bool lsr_evidence_geometry(struct lsr_evidence_geometry *g, const struct lsr_params *p, int rate);

enum lsr_baseline_verdict {
	LSR_BASE_MORE,      /* not precise yet: collect more trials */
	LSR_BASE_EARLY,     /* not precise yet, but the first baseline_trials
	                       show an LSR beyond doubt: a provisional
	                       template is in force while collection goes on */
	LSR_BASE_LSR,       /* done: the channel has an LSR */
	LSR_BASE_NONE       /* done at the most trials: no LSR in the average */
};

struct lsr_decision {
	bool made;          /* there were trials since the baseline */
	bool full;          /* over as many trials as the short window holds */
	bool whole;         /* and as the long window holds */
	int trials;         /* trials the decision used */
	double first_t;     /* the oldest of them */
	bool detected;      /* at the decision's z */
	bool strong;        /* over the short window, at the stricter z a
	                       return from absence needs */
	bool recent;        /* detected over the last disappear_trials trials
	                       alone (matched, at the decision's z), fewer when
	                       stimuli on the nerve were invalid between them:
	                       what a present verdict may be shown on
	                       (docs/clinical.md: a verdict older than 10 valid
	                       trials is never shown as current) */
	bool absent;
	double ratio;       /* amplitude over the trials / baseline; NAN none */
	double lo95, hi95;  /* its 95% bounds (noise and trial variation) */
	double hi99;        /* its 99% upper bound (noise): the largest over
	                       the baseline's shape and its faded ones */
	double trial_ratio; /* this trial alone, at the decision's lag */
	double direct_ratio;/* control's direct response over the same
	                       trials / its baseline; NAN without one */
};

struct lsr_evidence {
	/* g: the windows in force, g0 the configured ones; the baseline may
	 * lengthen the LSR window for an LSR that runs past its end */
	struct lsr_evidence_geometry g, g0;
	float *ring;        /* LSR_EVIDENCE_RING sweeps of g.len */
	double t[LSR_EVIDENCE_RING], direct[LSR_EVIDENCE_RING];
	int head, n;        /* next slot; trials held */
	bool collecting;    /* a baseline is being taken */
	int collected;      /* trials pushed toward it */
	bool early;         /* the template is the first trials' (EARLY) */
	int measured;       /* trials pushed since the template was set (or
	                       the window restarted): the ones decisions use */

	/* baseline, once taken */
	bool have;
	double *v;          /* template: <x, v> is the ratio to baseline */
	double base_ms;     /* the baseline's own mean square (noise removed) */
	double base_trial_ms; /* its trials' mean square, less the noise's */
	double base_p2p_uv; /* the baseline average's p2p, noise removed */
	double base_onset_ms;
	double base_cv;     /* of the baseline trials' matched amplitudes */
	int base_trials;
	int lag;            /* tracked latency shift, samples */
	int k, w;           /* short and long decision windows */
	double sigma0;      /* σ at baseline (k and w come from it) */
	/* the faded shapes: the first phases of the baseline, each a
	 * filter whose output is the peak-to-peak of that shape over the
	 * baseline's; filter j has prefix_n[j] samples from the window's start */
	double *prefix[LSR_EVIDENCE_PREFIXES];
	int prefix_n[LSR_EVIDENCE_PREFIXES];
	/* each faded shape as a unit shape over the template's window
	 * (nothing after its phases, less the window's line), and its
	 * correlation with the template's unit shape v / v_norm */
	double *prefix_whole[LSR_EVIDENCE_PREFIXES];
	double prefix_rho[LSR_EVIDENCE_PREFIXES];
	double v_norm;
	int nprefix;

	/* noise-only windows: matched amplitudes and mean squares */
	double null_a[LSR_EVIDENCE_RING * LSR_EVIDENCE_NOISE_WINDOWS];
	double null_ms[LSR_EVIDENCE_RING * LSR_EVIDENCE_NOISE_WINDOWS];
	double null_p[LSR_EVIDENCE_PREFIXES][LSR_EVIDENCE_RING * LSR_EVIDENCE_NOISE_WINDOWS];
	int null_head, null_n;
	double null_sigma;  /* robust σ of null_a, kept as it changes */

	/* scratch */
	double *avg_k, *avg_w, *avg_a, *avg_b, *work; /* g.len each */
	float *shown;       /* the decision's average, g.len, for the screen
	                       (lsr_evidence_show) */
	int shown_trials;   /* the trials of the latest decision */
};

/* Allocates for geometry g.  Returns 0, or -1 when out of memory (then
 * lsr_evidence_free is still safe). */
int lsr_evidence_init(struct lsr_evidence *e, const struct lsr_evidence_geometry *g);
void lsr_evidence_free(struct lsr_evidence *e);
/* Forget the trials held (the baseline stays). */
void lsr_evidence_clear(struct lsr_evidence *e);
/* Forget everything: a new baseline will be taken. */
void lsr_evidence_reset(struct lsr_evidence *e);
/* Take a new baseline from the next trials; the one in force stays until
 * then. */
void lsr_evidence_retake(struct lsr_evidence *e);

/* Ends an early baseline's collection where it is: its template stays
 * (the LSR changed, or the operator confirmed it). */
void lsr_evidence_end_collection(struct lsr_evidence *e);
/* Decisions from now on use at most the latest `trials` trials (a return
 * from absence: the trials before it say nothing of the LSR now). */
void lsr_evidence_keep_last(struct lsr_evidence *e, int trials);

/* One valid trial's conditioned sweep (g.len samples), its time, and the
 * control's direct response / its baseline (NAN when unknown). */
void lsr_evidence_push(struct lsr_evidence *e, const float *sweep, double t, double direct_ratio);

/* The baseline from the trials held (pushed since the last clear):
 * LSR_BASE_MORE until they are at least baseline_trials and their 90%
 * interval is within ±baseline_precision_pct — or baseline_max of them.
 * LSR_BASE_EARLY once, at baseline_trials, when no baseline is in force
 * and the LSR is beyond doubt but not yet precise.  On LSR_BASE_LSR the
 * template is set and the trials are cleared, so later decisions measure
 * trials the template was not built on (an early template stays if the
 * whole collection no longer shows the LSR). */
enum lsr_baseline_verdict lsr_evidence_baseline(struct lsr_evidence *e, const struct lsr_params *p);

/* The decision after the latest push (a baseline must exist).  Its
 * `recent` rests on the trials at or after recent_from (at most
 * disappear_trials of them): the judge's disappear_trials-th last stimulus
 * that reached the nerve, so that trials invalid only for a weak direct
 * response age a verdict as valid ones do; -INFINITY for no limit. */
void lsr_evidence_decide(struct lsr_evidence *e, const struct lsr_params *p, double recent_from,
                         struct lsr_decision *d);
/* The same decision over the same trials, its `recent` from a later
 * recent_from (stimuli reached the nerve since, on invalid trials), the
 * tracked latency left where it is. */
void lsr_evidence_recheck(struct lsr_evidence *e, const struct lsr_params *p, double recent_from,
                          struct lsr_decision *d);

/* shown: the average of the latest decision's trials over the whole
 * sweep, for a screen (a decision averages only the part it reads).
 * Before the next push. */
void lsr_evidence_show(struct lsr_evidence *e);

/* Single-trial noise σ of the ratio now (NAN before a baseline). */
double lsr_evidence_sigma(const struct lsr_evidence *e);

#endif
