/* src/judge/control_shape.c — the direct response's baseline shape and a
 * trial's latency against it (control_shape.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "control_shape.h"

/* Latencies searched around the baseline's: beyond the ±1 ms a trial may
 * differ by, so that a trial 1.5 ms late reads as late, not as the best
 * lag at the search's edge. */
#define SEARCH_MS 2.0

static int ms_n(int rate, double ms)
{
	return (int)lround(ms * rate / 1000.0);
}

int lsr_control_shape_init(struct lsr_control_shape *c, const struct lsr_params *p, int rate,
                           int pre, int len)
{
	memset(c, 0, sizeof *c);
	c->rate = rate;
	c->at = pre + ms_n(rate, p->direct_from_ms);
	c->n = ms_n(rate, p->direct_to_ms - p->direct_from_ms);
	c->maxlag = ms_n(rate, SEARCH_MS);
	if (c->n < 4 || c->at - c->maxlag < 0 || c->at + c->n + c->maxlag > len) {
		c->n = 0;
		return 0;
	}
	c->sum = calloc((size_t)c->n, sizeof *c->sum);
	c->shape = calloc((size_t)c->n, sizeof *c->shape);
	if (!c->sum || !c->shape) {
		lsr_control_shape_free(c);
		return -1;
	}
	return 0;
}

void lsr_control_shape_free(struct lsr_control_shape *c)
{
	free(c->sum);
	free(c->shape);
	c->sum = c->shape = NULL;
	c->n = 0;
	c->have = false;
}

void lsr_control_shape_restart(struct lsr_control_shape *c)
{
	if (!c->sum)
		return;
	memset(c->sum, 0, sizeof *c->sum * (size_t)c->n);
	c->count = 0;
}

void lsr_control_shape_add(struct lsr_control_shape *c, const float *sweep)
{
	if (!c->sum)
		return;
	for (int i = 0; i < c->n; i++)
		c->sum[i] += sweep[c->at + i];
	c->count++;
}

void lsr_control_shape_finish(struct lsr_control_shape *c)
{
	if (!c->sum || c->count < 1)
		return;
	double m = 0, q = 0;
	for (int i = 0; i < c->n; i++)
		m += c->sum[i];
	m /= c->n;
	for (int i = 0; i < c->n; i++) {
		c->shape[i] = c->sum[i] - m;
		q += c->shape[i] * c->shape[i];
	}
	c->have = q > 0;
	lsr_control_shape_restart(c);
}

double lsr_control_shape_lag_ms(const struct lsr_control_shape *c, const float *sweep)
{
	if (!c->have)
		return NAN;
	double best = -INFINITY;
	int lag = 0;
	for (int l = -c->maxlag; l <= c->maxlag; l++) {
		const float *x = sweep + c->at + l;
		double s = 0;
		for (int i = 0; i < c->n; i++)
			s += x[i] * c->shape[i];
		if (s > best) {
			best = s;
			lag = l;
		}
	}
	return best > 0 ? 1000.0 * lag / c->rate : NAN;
}
