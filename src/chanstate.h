/* src/chanstate.h — one LSR channel's state machine against its baseline:
 * present, reduced, disappeared, with the counters clinical.md defines. */
#ifndef LSR_CHANSTATE_H
#define LSR_CHANSTATE_H

#include <stdbool.h>

#include "event.h"
#include "params.h"

#define LSR_CHAN_RING_MAX 20 /* upper end of reduced_trials' range */

struct lsr_chan {
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
void lsr_chan_init(struct lsr_chan *c);
void lsr_chan_reset_counters(struct lsr_chan *c);

/* A baseline came into force: present when the channel has an LSR, else
 * not_detected, since t_first; counters cleared. */
void lsr_chan_start(struct lsr_chan *c, bool has_lsr, double t_first);

/* A valid trial with a determinate presence.  Returns true when the state
 * changed. */
bool lsr_chan_trial(struct lsr_chan *c, const struct lsr_params *p, double base_p2p,
                    double t, double p2p_uv, bool present);

/* An invalid or indeterminate trial: advances nothing, but more than
 * invalid_reset in a row clear the counters. */
void lsr_chan_skip(struct lsr_chan *c, const struct lsr_params *p);

/* Median p2p of the ring; NAN when empty. */
double lsr_chan_median(const struct lsr_chan *c);

#endif
