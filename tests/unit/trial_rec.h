/* tests/unit/trial_rec.h — the trials a signal path delivers, kept for a
 * test to read back: the lsr_trial_fn that fills a trial_rec (the first
 * TRIAL_REC_MAX kept, all counted). */
#ifndef LSR_TEST_TRIAL_REC_H
#define LSR_TEST_TRIAL_REC_H

#include "trial.h"

#define TRIAL_REC_MAX 512

struct trial_rec {
	int n;
	struct lsr_trial tr[TRIAL_REC_MAX];
};

static inline void trial_rec_keep(void *ctx, const struct lsr_trial *t)
{
	struct trial_rec *r = ctx;
	if (r->n < TRIAL_REC_MAX)
		r->tr[r->n] = *t;
	r->n++;
}

#endif
