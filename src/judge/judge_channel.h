/* src/judge/judge_channel.h — one channel as the judge follows it: the
 * numbers of its baseline (docs/interface.md "Baseline": provisional until
 * confirmed or stable, re-taken on request while the old one stays in
 * force) and, for LSR channels, the state machine present / reduced /
 * disappeared / indeterminate over the decisions of evidence.h
 * (docs/clinical.md, docs/detector.md). */
#ifndef LSR_CHANNEL_H
#define LSR_CHANNEL_H

#include <stdbool.h>

#include "event.h"
#include "evidence.h"
#include "params.h"

#define LSR_BASELINE_MAX LSR_EVIDENCE_RING /* upper end of baseline_max */

struct lsr_baseline {
	/* The baseline in force. */
	bool have;
	bool provisional;
	double p2p_uv;     /* control: median direct p2p; LSR: the baseline
	                      average's p2p with the noise removed */
	double onset_ms;   /* median onset of the trials with one; NAN if none */
	double noise_uv;   /* median noise level, for the lead check */
	double cv;         /* trial-to-trial coefficient of variation */
	int trials;
	bool has_lsr;      /* LSR channels: the averaged baseline shows one */
	double t_first;    /* stream time of its first trial */
	double intensity_ma; /* the Intensity mark in force when taken; NAN */

	/* Collection of the next one (the first, or a re-baseline). */
	bool collecting;
	bool refining;              /* an early baseline in force: its trials'
	                               numbers still collected (evidence.h) */
	bool confirm_on_completion; /* `b` arrived before it was complete */
	double from_t;              /* only trials at or after this time */
	int n;
	double c_p2p[LSR_BASELINE_MAX], c_onset[LSR_BASELINE_MAX],
	    c_noise[LSR_BASELINE_MAX];
	double c_t_first;
};

/* No baseline; collecting the first from any time. */
void lsr_baseline_reset(struct lsr_baseline *b);

/* The single-trial amplitude a neurophysiologist reads off the collected
 * sweeps: the mean of the middle half of their peak-to-peak values, with
 * the noise's (median) taken out in quadrature; NAN where it is not three times the noise (there an
 * average shows the LSR better than single sweeps: the caller's). */
double lsr_baseline_trial_p2p(const struct lsr_baseline *b);
/* An early baseline made precise by the rest of its collection: the
 * amplitude (NAN: the early one stays), variation and trial count;
 * provisional stays unless it is now stable (or was confirmed). */
void lsr_baseline_refine(struct lsr_baseline *b, const struct lsr_params *p, double p2p_uv,
                         double cv, int trials);
/* An early baseline's collection ended where it was (evidence.h). */
void lsr_baseline_stop_refining(struct lsr_baseline *b);

/* Keep one valid trial's numbers toward the baseline being collected;
 * false when none is (or the trial is before from_t). */
bool lsr_baseline_store(struct lsr_baseline *b, double t, double p2p_uv, double onset_ms,
                        double noise_uv);
/* The collected trials become the baseline in force: medians, and p2p_uv,
 * cv and has_lsr as given (NAN p2p/cv: from the collected p2p). */
void lsr_baseline_finish(struct lsr_baseline *b, const struct lsr_params *p, double p2p_uv,
                         double cv, bool has_lsr, double intensity_ma);
/* Trials collected so far. */
int lsr_baseline_collected(const struct lsr_baseline *b);

/* Operator's `b`: confirms a provisional baseline in force (returns true),
 * or, with none in force yet, confirms the one being collected when it
 * completes (returns false). */
bool lsr_baseline_confirm(struct lsr_baseline *b);

/* Operator's `b` on a confirmed baseline: collect a new one from trials at
 * or after from_t; the old one stays in force until then. */
void lsr_baseline_retake(struct lsr_baseline *b, double from_t);

/* Median of n values (n ≤ 64), NANs skipped; NAN when none. */
double lsr_judge_channel_median_of(const double *v, int n);

struct lsr_judge_channel {
	enum lsr_state state;  /* acquiring, not_detected, present, reduced,
	                          disappeared, indeterminate */
	double since;          /* t of the first trial of the current condition */
	enum lsr_reason reason;/* why indeterminate */
	bool fresh;            /* the evidence was cleared: the next decision
	                          decides alone */
	bool was_absent;       /* the last judged state was disappeared */
	int strong_run;        /* decisions strong enough to return, in a run
	                          that one weaker decision inside does not end */
	bool strong_missed;    /* the run has had its one weaker decision */
	double strong_since;
	int unsupported;       /* decisions since disappeared was last shown */
	int contradicted;      /* of them, those that detected the LSR */
	int bad_run;           /* consecutive invalid trials */
	struct lsr_decision last; /* the latest decision (made = false: none) */
};

/* Acquiring, counters cleared. */
void lsr_judge_channel_init(struct lsr_judge_channel *c);

/* A baseline came into force: present when the channel has an LSR, else
 * not_detected, since t_first. */
void lsr_judge_channel_start(struct lsr_judge_channel *c, bool has_lsr, double t_first);

/* A valid trial's decision at t.  Returns true when the state changed. */
bool lsr_judge_channel_decide(struct lsr_judge_channel *c, const struct lsr_params *p,
                              const struct lsr_decision *d, double t);

/* A stimulus reached the nerve on an invalid trial, and d is the last
 * decision again with its `recent` over the stimuli since: present or
 * reduced that it no longer shows in them become indeterminate (a
 * verdict older than disappear_trials of them is never shown).  Returns
 * true when the state changed. */
bool lsr_judge_channel_age(struct lsr_judge_channel *c, const struct lsr_decision *d, double t);

/* A return: from disappeared or indeterminate to present or reduced. */
bool lsr_judge_channel_returned(enum lsr_state prev, enum lsr_state now);
/* After a return, present or reduced by the decision d over the trials
 * of the return alone (the window before it held the absence). */
void lsr_judge_channel_settle(struct lsr_judge_channel *c, const struct lsr_params *p,
                              const struct lsr_decision *d);

/* An invalid trial: more than invalid_reset in a row make a judged
 * channel indeterminate (no valid trials) — unless they are trials the
 * stimulus did not reach the nerve on (no_stimulus: a stimulation
 * failure, shown as such); returns true then, and the caller clears the
 * channel's evidence, so the next valid trials decide afresh. */
bool lsr_judge_channel_skip(struct lsr_judge_channel *c, const struct lsr_params *p, double t,
                            bool no_stimulus);

/* A state that judges the LSR (present, reduced, disappeared). */
bool lsr_judge_channel_judged(enum lsr_state s);

#endif
