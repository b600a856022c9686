/* src/judge/judge_channel.h — one channel as the judge follows it: its baseline
 * (docs/interface.md "Baseline": the median of the first baseline_trials valid
 * trials, provisional until confirmed or stable, re-taken on request while
 * the old one stays in force) and, for LSR channels, the state machine
 * present / reduced / disappeared with the counters docs/clinical.md defines. */
#ifndef LSR_CHANNEL_H
#define LSR_CHANNEL_H

#include <stdbool.h>

#include "event.h"
#include "params.h"

#define LSR_BASELINE_MAX 20 /* upper end of baseline_trials' range */

struct lsr_baseline {
	/* The baseline in force. */
	bool have;
	bool provisional;
	double p2p_uv;     /* median peak-to-peak */
	double onset_ms;   /* median onset of the present trials; NAN if none */
	double noise_uv;   /* median noise level, for the lead check */
	double cv;         /* coefficient of variation of the p2p values */
	int trials;
	int present;       /* how many of them were present */
	bool has_lsr;      /* present on at least half of them */
	double t_first;    /* stream time of its first trial */

	/* Collection of the next one (the first, or a re-baseline). */
	bool collecting;
	bool confirm_on_completion; /* `b` arrived before it was complete */
	double from_t;              /* only trials at or after this time */
	int n;
	double c_p2p[LSR_BASELINE_MAX], c_onset[LSR_BASELINE_MAX],
	    c_noise[LSR_BASELINE_MAX];
	bool c_present[LSR_BASELINE_MAX];
	double c_t_first;
};

/* No baseline; collecting the first from any time. */
void lsr_baseline_reset(struct lsr_baseline *b);

/* One valid trial with a determinate presence.  Returns true when it
 * completes a baseline, which then replaces the one in force. */
bool lsr_baseline_add(struct lsr_baseline *b, const struct lsr_params *p, double t,
                      double p2p_uv, double onset_ms, double noise_uv, bool present);

/* Operator's `b`: confirms a provisional baseline in force (returns true),
 * or, with none in force yet, confirms the one being collected when it
 * completes (returns false). */
bool lsr_baseline_confirm(struct lsr_baseline *b);

/* Operator's `b` on a confirmed baseline: collect a new one from trials at
 * or after from_t; the old one stays in force until then. */
void lsr_baseline_retake(struct lsr_baseline *b, double from_t);

/* Median of n values (n ≤ 32), NANs skipped; NAN when none. */
double lsr_judge_channel_median_of(const double *v, int n);

#define LSR_CHAN_RING_MAX 20 /* upper end of reduced_trials' range */

struct lsr_judge_channel {
	enum lsr_state state;  /* acquiring, not_detected, present, reduced, disappeared */
	double since;          /* t of the first trial of the current condition */
	int absent_run, present_run, exit_run;
	double absent_since, present_since, exit_since;
	int bad_run;           /* consecutive invalid or indeterminate trials */
	/* p2p of the last reduced_trials valid determinate trials */
	double ring[LSR_CHAN_RING_MAX], ring_t[LSR_CHAN_RING_MAX];
	int ring_n, ring_head;
};

/* Acquiring, counters cleared. */
void lsr_judge_channel_init(struct lsr_judge_channel *c);
void lsr_judge_channel_reset_counters(struct lsr_judge_channel *c);

/* A baseline came into force: present when the channel has an LSR, else
 * not_detected, since t_first; counters cleared. */
void lsr_judge_channel_start(struct lsr_judge_channel *c, bool has_lsr, double t_first);

/* A valid trial with a determinate presence.  Returns true when the state
 * changed. */
bool lsr_judge_channel_trial(struct lsr_judge_channel *c, const struct lsr_params *p, double base_p2p,
                    double t, double p2p_uv, bool present);

/* An invalid or indeterminate trial: advances nothing, but more than
 * invalid_reset in a row clear the counters. */
void lsr_judge_channel_skip(struct lsr_judge_channel *c, const struct lsr_params *p);

/* Median p2p of the ring; NAN when empty. */
double lsr_judge_channel_median(const struct lsr_judge_channel *c);

#endif
