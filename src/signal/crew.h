/* src/signal/crew.h — a second pair of hands for the detector: a job of
 * independent items that the caller and one helper thread share.
 *
 * Why: a 16-channel sweep's conditioning (decay fit and zero-phase
 * band-pass) and measurement are independent per group of channels and
 * take most of the detector's time; sharing the groups between two cores
 * shortens the time from a sweep's last sample to its trial, live, and
 * the time of a replay.  Items are claimed one at a time by whichever
 * thread is free, so the caller never waits for a helper that the system
 * has not scheduled: at worst it does every item itself.  Items must
 * touch disjoint data; lsr_crew_run returns when all are done, so the
 * caller sees all their writes.
 *
 * One crew serves every job of a detector (the signal path's and the
 * judge's, which follow each other on the same thread): a helper per
 * module was two threads spinning for work on two cores, each taking
 * the core the other's job, or the decoder, needed. */
#ifndef LSR_CREW_H
#define LSR_CREW_H

struct lsr_crew;

/* who: 0 for the caller, 1 for the helper (for per-thread scratch). */
typedef void (*lsr_crew_fn)(void *ctx, int who, int item);

/* NULL when the process may run on one CPU only, or no thread can be
 * started: the caller then runs the items itself (nothing is lost but
 * time, and on one CPU not even that). */
struct lsr_crew *lsr_crew_new(void);
/* fn(ctx, who, item) once for each item in [0, items), items < 65536.
 * From one thread at a time, never from inside an item. */
void lsr_crew_run(struct lsr_crew *w, lsr_crew_fn fn, void *ctx, int items);
void lsr_crew_free(struct lsr_crew *w);

#endif
