/* src/source/pace.c — replay/simulation pacing on the stream's own sample clock. */
#include <math.h>

#include "pace.h"

void lsr_pace_start(struct lsr_pace *p, double speed, double now, uint64_t delivered)
{
	p->speed = speed;
	p->t0 = now;
	p->base = delivered;
}

uint64_t lsr_pace_due(const struct lsr_pace *p, double now, int rate, uint64_t delivered, uint64_t chunk)
{
	if (p->speed <= 0)
		return delivered + chunk;
	double elapsed = now - p->t0;
	if (elapsed < 0)
		elapsed = 0;
	return p->base + (uint64_t)floor(elapsed * p->speed * rate);
}

int lsr_pace_wait_ms(const struct lsr_pace *p, double now, int rate, uint64_t delivered)
{
	if (p->speed <= 0)
		return 0;
	double due_at = p->t0 + (double)(delivered + 1 - p->base) / (p->speed * rate);
	double ms = (due_at - now) * 1000.0;
	if (ms <= 0)
		return 0;
	/* Deliver in blocks of ~10 ms of stream: finer pacing only costs
	 * wake-ups, and a sweep needs +100 ms anyway. */
	return ms < 10 ? 10 : (int)ceil(ms);
}
