/* src/judge/judge.h — the judge: trial validity, baselines, per-channel and
 * overall states, marks and the final status (docs/clinical.md, docs/interface.md
 * "Marks", "Baseline", "Events", "States").  It consumes measured trials
 * (trial.h) and emits stim/response/baseline/channel_state/state/mark
 * events; it does no signal processing and no I/O. */
#ifndef LSR_JUDGE_H
#define LSR_JUDGE_H

#include <stdbool.h>

#include "driver.h"
#include "event.h"
#include "params.h"
#include "trial.h"

struct lsr_judge;

/* roles[ch] and labels[ch] (labels may be NULL) for nch channels at
 * rate samples/s (the sweeps' geometry).  judging is false when the rate
 * is below min_rate_hz: then only stim and mark events, and the final
 * status is indeterminate.  out may be NULL.  Returns NULL when out of
 * memory or nch is outside 1…LSR_MAX_CHANNELS. */
struct lsr_judge *lsr_judge_new(const struct lsr_params *p, int rate, int nch,
                                const enum lsr_role *roles, const char *const *labels,
                                bool judging, const struct lsr_sink *out);
void lsr_judge_free(struct lsr_judge *j);

struct lsr_crew;
/* A helper thread to share a trial's LSR channels with
 * (src/signal/crew.h), borrowed until lsr_judge_free; NULL (the
 * default): none. */
void lsr_judge_use_crew(struct lsr_judge *j, struct lsr_crew *crew);

/* One measured trial: stim, one response per channel, then the baseline,
 * channel_state and state events it causes, then out->group_end(). */
void lsr_judge_trial(struct lsr_judge *j, const struct lsr_trial *trial);

/* An operator mark at stream time t: takes the next id, emits the mark,
 * applies it (with any baseline or corrected state events it causes in
 * the same group), then group_end.  Returns the id.  Decompression and
 * Cancel of a Decompression change phases (past disappearances whose phase
 * changes are emitted again with their own t and since); Baseline confirms
 * or re-takes baselines; Intensity sets the view's current (a Cancel
 * restores the one before); the others are recorded only, and cancelling
 * them (or a Baseline) undoes nothing. */
int lsr_judge_mark(struct lsr_judge *j, double t, const char *label, enum lsr_mark_origin origin);

/* Stream time advanced to t (per block and during outages): starts
 * no_stimulus when no stimulus came for no_stim_factor × the median
 * interval (at least no_stim_min_s); the next stimulus ends it. */
void lsr_judge_time(struct lsr_judge *j, double t);

/* Change one channel's role: its baseline and state start afresh; the
 * change shows in the next events. */
void lsr_judge_set_role(struct lsr_judge *j, int ch, enum lsr_role role);

/* A new segment (detector.h): marks, mark ids, the stimulus count, the
 * remembered state changes and the final status carry over.  With the same
 * channels, roles and judging (a device restart) the baselines and states
 * carry over too; otherwise every channel starts afresh and a stimulation
 * failure in progress is forgotten.  Returns 0, or -1 (nothing changed)
 * when nch is outside 1…LSR_MAX_CHANNELS or memory runs out. */
int lsr_judge_segment(struct lsr_judge *j, int rate, int nch, const enum lsr_role *roles,
                      bool judging);

/* The case's end: final status, its phase and the number of stimuli. */
void lsr_judge_final(const struct lsr_judge *j, enum lsr_final *final, enum lsr_phase *phase,
                     int *stims);

/* start.warnings the judge knows (no control channel, rate too low, no LSR
 * channel).  Fills up to max pointers (valid until the next call or
 * lsr_judge_free); returns how many. */
int lsr_judge_warnings(const struct lsr_judge *j, const char **w, int max);

/* Read-only snapshot for the screen and the report. */
struct lsr_judge_channel_view {
	enum lsr_role role;
	enum lsr_state state;       /* LSR channels; acquiring otherwise */
	double since;
	bool has_baseline, provisional, has_lsr;
	double base_p2p_uv, base_onset_ms, base_noise_uv;
	int base_trials;            /* trials in the baseline in force */
	int collecting;             /* trials gathered toward the next one */
	bool rebaselining;          /* a new one is being taken */
	enum lsr_reason reason;     /* why indeterminate */
	double ratio;               /* amplitude over the last decision's
	                               trials / baseline; NAN = none */
	double amplitude_uv;        /* that × the baseline's p2p */
	int trials;                 /* the last decision's trials; 0 = none */
	int k, w;                   /* the short and long decision windows */
	double sigma;               /* one trial's noise σ / baseline */
};

struct lsr_judge_view {
	bool judging, verified, provisional;
	bool unconfirmed;           /* disappeared, not verified by the
	                               direct response or the intensity */
	double direct_ratio;        /* control's direct response over the
	                               last decision's trials / baseline */
	int nind;                   /* LSR channels indeterminate */
	int ind[LSR_MAX_CHANNELS];
	enum lsr_state state;
	double since, ratio;        /* ratio NAN = none */
	bool premature, after_decompression;
	int stims;
	double last_stim_t, last_valid_t; /* NAN until there is one */
	int invalid[LSR_INVALID_COUNT];   /* invalid trials by reason */
	int decompression_id;             /* 0 = none counts */
	double decompression_t;
	double intensity_ma;              /* last Intensity mark not cancelled;
	                                     NAN = none */
	int nch;
	struct lsr_judge_channel_view ch[LSR_MAX_CHANNELS];
};

void lsr_judge_view(const struct lsr_judge *j, struct lsr_judge_view *v);

#endif
