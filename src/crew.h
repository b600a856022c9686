/* src/crew.h — a second pair of hands for the signal path: one helper
 * thread that runs part 1 of a job while the caller runs part 0.
 *
 * Why: a 16-channel sweep's conditioning (decay fit and zero-phase
 * band-pass) and measurement are independent per channel and take most
 * of the detector's time; splitting the channels between two cores halves
 * the time from a sweep's last sample to its trial, live, and the time of
 * a replay.  The parts must touch disjoint data; lsr_crew_run returns only
 * when both have finished, so the caller sees all their writes. */
#ifndef LSR_CREW_H
#define LSR_CREW_H

struct lsr_crew;

typedef void (*lsr_crew_fn)(void *ctx, int part);

/* NULL when no thread can be started (the caller then runs both parts
 * itself: nothing is lost but time). */
struct lsr_crew *lsr_crew_new(lsr_crew_fn fn, void *ctx);
/* fn(ctx, 1) on the helper and fn(ctx, 0) on the caller, at once. */
void lsr_crew_run(struct lsr_crew *w);
void lsr_crew_free(struct lsr_crew *w);

#endif
