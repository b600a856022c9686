/* src/judge/judge_priv.h — the judge's state, shared by judge.c (overall state,
 * views), judge_trial.c (one trial) and marks.c (marks, phases).  Everything is
 * preallocated: nothing is allocated per trial. */
#ifndef LSR_JUDGE_PRIV_H
#define LSR_JUDGE_PRIV_H

#include "control_shape.h"
#include "crew.h"
#include "judge_channel.h"
#include "judge.h"
#include "marks.h"

/* Disappeared state changes remembered for phase corrections after a
 * cancelled or late Decompression mark; older ones are forgotten. */
#define LSR_JUDGE_HIST_MAX 64
/* Stimulus intervals behind the no_stimulus median. */
#define LSR_JUDGE_INTERVALS 16
/* Stimuli that reached the nerve, remembered for how old a verdict is:
 * at least disappear_trials' largest value (params.c). */
#define LSR_JUDGE_NERVE 20
/* A loss is verified only while the direct response over the same trials
 * is at least this fraction of its baseline (docs/clinical.md
 * "Stimulation settings", E). */
#define LSR_JUDGE_VERIFY_DIRECT 0.8
/* A stimulus reaches the judge only once its sweep (+100 ms) is complete. */
#define LSR_JUDGE_SWEEP_POST_S 0.1

struct lsr_judge_hist {
	double t, since, ratio;
	enum lsr_state prev;
	bool verified, provisional, premature, after_decompression;
};

struct lsr_judge_ch {
	enum lsr_role role;
	struct lsr_baseline base;
	struct lsr_judge_channel st;
	struct lsr_evidence ev; /* LSR channels' recent sweeps and shape */
	struct lsr_control_shape cs; /* control channels' direct response */
	bool changed; /* channel state changed on the current trial */
	/* LSR channels: the times of the latest stimuli that reached the
	 * nerve with nothing else wrong on this channel — its valid trials,
	 * and trials invalid only for a direct response under
	 * control_min_pct that is there all the same */
	double nerve_t[LSR_JUDGE_NERVE];
	int nerve_n, nerve_head;
};

struct lsr_judge {
	struct lsr_params p;
	int nch;
	bool judging;
	int rate;
	bool geometry_ok;  /* the windows fit a sweep at this rate */
	struct lsr_evidence_geometry geom;
	struct lsr_sink out;
	struct lsr_judge_ch ch[LSR_MAX_CHANNELS];
	struct lsr_marks marks;
	int stims;
	/* A trial's LSR channels are weighed (their evidence pushed and
	 * decided) independently of each other: shared with a helper thread
	 * (src/signal/crew.h; the detector's, borrowed), NULL when there is
	 * none.  weigh: the trial being weighed (judge_trial.c's). */
	struct lsr_crew *crew;
	void *weigh;

	/* overall state as last emitted */
	enum lsr_state state;
	double since, ratio;
	bool premature, after_decompression, verified;
	int ind[LSR_MAX_CHANNELS], nind; /* indeterminate LSR channels */
	double direct_ratio;             /* over the last decision's trials */

	bool failure;
	int fail_run;
	double fail_since;

	bool no_stim, time_seen;
	double last_stim_t;
	double intervals[LSR_JUDGE_INTERVALS];
	int nint, int_head;

	/* the last judged state: present, reduced, disappeared, not_detected */
	bool judged;
	enum lsr_state last_judged;
	double last_judged_since;

	struct lsr_judge_hist hist[LSR_JUDGE_HIST_MAX];
	int nhist, hist_head;

	double last_valid_t;
	int invalid[LSR_INVALID_COUNT];
	char rate_warning[160];
};

void lsr_judge_emit(struct lsr_judge *j, const struct lsr_event *ev);
void lsr_judge_group_end(struct lsr_judge *j);
/* premature / after_decompression for a state with this since. */
void lsr_judge_phase(const struct lsr_judge *j, enum lsr_state state, double since,
                     bool *premature, bool *after);
/* Baseline event for channel c at time t. */
void lsr_judge_emit_baseline(struct lsr_judge *j, int c, double t);
int lsr_judge_count_role(const struct lsr_judge *j, enum lsr_role r);
void lsr_judge_emit_channel_state(struct lsr_judge *j, int c, double t, enum lsr_state prev);
/* Recompute the overall state after a trial at t and emit it if it
 * changed; resumed: a stimulation failure or no_stimulus ended on it. */
void lsr_judge_update_overall(struct lsr_judge *j, double t, bool resumed);

/* Roles whose channels are judged (baselines, validity flags). */
static inline bool lsr_judge_judged_role(enum lsr_role r)
{
	return r == LSR_ROLE_LSR || r == LSR_ROLE_CONTROL;
}

/* The crew's item: the item-th LSR channel of the trial in j->weigh. */
void lsr_judge_weigh_item(void *ctx, int who, int item);

#endif
