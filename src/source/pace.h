/* src/source/pace.h — how many stream samples are due at a replay/simulation speed. */
#ifndef LSR_PACE_H
#define LSR_PACE_H

#include <stdint.h>

struct lsr_pace {
	double speed;      /* 0 = as fast as possible */
	double t0;         /* monotonic time the pacing (re)started, s */
	uint64_t base;     /* samples delivered when it (re)started */
};

/* Start (or restart after a pause or speed change) at monotonic `now`
 * with `delivered` samples already out. */
void lsr_pace_start(struct lsr_pace *p, double speed, double now, uint64_t delivered);
/* Total samples that should be out by `now` at `rate` (for speed 0:
 * delivered + chunk, a bounded step so the loop stays responsive). */
uint64_t lsr_pace_due(const struct lsr_pace *p, double now, int rate, uint64_t delivered, uint64_t chunk);
/* Milliseconds until the next sample is due (0 when one already is). */
int lsr_pace_wait_ms(const struct lsr_pace *p, double now, int rate, uint64_t delivered);

#endif
