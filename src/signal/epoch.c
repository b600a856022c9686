/* src/signal/epoch.c — raw ring buffer per channel and the queue of waiting sweeps. */
#include <stdlib.h>
#include <string.h>

#include "epoch.h"

struct lsr_epochs {
	int nch, post, cap;
	int64_t len, mask;     /* ring length per channel, a power of two */
	float *ring;           /* channel-major, nch × len */
	bool started;
	int64_t seg_start, end;
	struct lsr_epoch_stim *q;
	int head, count;
};

struct lsr_epochs *lsr_epochs_new(int nch, int history, int post, int cap)
{
	if (nch < 1 || history < 1 || post < 0 || cap < 1)
		return NULL;
	struct lsr_epochs *e = calloc(1, sizeof *e);
	if (!e)
		return NULL;
	int64_t want = (int64_t)history + LSR_MAX_BLOCK + 1;
	e->len = 1;
	while (e->len < want)
		e->len <<= 1;
	e->mask = e->len - 1;
	e->nch = nch;
	e->post = post;
	e->cap = cap;
	e->ring = calloc((size_t)nch * (size_t)e->len, sizeof *e->ring);
	e->q = calloc((size_t)cap, sizeof *e->q);
	if (!e->ring || !e->q) {
		lsr_epochs_free(e);
		return NULL;
	}
	return e;
}

void lsr_epochs_free(struct lsr_epochs *e)
{
	if (!e)
		return;
	free(e->ring);
	free(e->q);
	free(e);
}

static struct lsr_epoch_stim *at(struct lsr_epochs *e, int k)
{
	return &e->q[(e->head + k) % e->cap];
}

bool lsr_epochs_put(struct lsr_epochs *e, int64_t index, const struct lsr_block *blk)
{
	bool gap = false;
	if (!e->started || index != e->end) {
		gap = e->started;
		/* Waiting sweeps that needed samples from the lost stretch. */
		for (int k = 0; k < e->count; k++)
			if (at(e, k)->index + e->post >= e->end)
				at(e, k)->gap = true;
		e->seg_start = index;
		e->started = true;
	}
	int nch = blk->channels < e->nch ? blk->channels : e->nch;
	int64_t pos = index & e->mask;
	int64_t first = blk->nsamp < e->len - pos ? blk->nsamp : e->len - pos;
	for (int c = 0; c < e->nch; c++) {
		float *r = e->ring + (size_t)c * (size_t)e->len;
		if (c >= nch) {
			/* A block with fewer channels than configured: zeros, never
			 * stale samples of another time. */
			memset(r + pos, 0, (size_t)first * sizeof *r);
			memset(r, 0, (size_t)(blk->nsamp - first) * sizeof *r);
			continue;
		}
		const float *src = blk->samples + (size_t)c * blk->stride;
		memcpy(r + pos, src, (size_t)first * sizeof *r);
		memcpy(r, src + first, (size_t)(blk->nsamp - first) * sizeof *r);
	}
	e->end = index + blk->nsamp;
	return gap;
}

int lsr_epochs_add(struct lsr_epochs *e, int64_t index, enum lsr_stim_origin origin,
                   bool candidate)
{
	if (e->count == e->cap)
		return -1;
	struct lsr_epoch_stim s = { index, origin, candidate, false, false };
	if (e->count > 0) {
		struct lsr_epoch_stim *prev = at(e, e->count - 1);
		if (index - prev->index <= e->post) {
			prev->overlap = true;
			s.overlap = true;
		}
	}
	*at(e, e->count) = s;
	e->count++;
	return 0;
}

void lsr_epochs_drop_candidates(struct lsr_epochs *e)
{
	int kept = 0;
	for (int k = 0; k < e->count; k++) {
		struct lsr_epoch_stim s = *at(e, k);
		if (!s.candidate)
			*at(e, kept++) = s;
	}
	e->count = kept;
}

void lsr_epochs_accept_candidates(struct lsr_epochs *e)
{
	for (int k = 0; k < e->count; k++)
		at(e, k)->candidate = false;
}

int lsr_epochs_clear(struct lsr_epochs *e)
{
	int n = e->count;
	e->count = 0;
	return n;
}

int lsr_epochs_waiting(const struct lsr_epochs *e)
{
	return e->count;
}

bool lsr_epochs_ready(struct lsr_epochs *e, struct lsr_epoch_stim *out)
{
	if (e->count == 0)
		return false;
	struct lsr_epoch_stim *s = at(e, 0);
	if (!s->gap && s->index + e->post >= e->end)
		return false;
	*out = *s;
	e->head = (e->head + 1) % e->cap;
	e->count--;
	return true;
}

int lsr_epochs_copy(const struct lsr_epochs *e, int ch, int64_t from, int n, float *out)
{
	const float *r = e->ring + (size_t)ch * (size_t)e->len;
	int64_t lo = e->seg_start;
	if (e->end - e->len + 1 > lo)
		lo = e->end - e->len + 1;
	/* out[a, b) is held (stream indices lo … end − 1), the rest zeros */
	int64_t a = lo - from, b = e->end - from;
	if (a < 0)
		a = 0;
	if (b > n)
		b = n;
	if (a >= b) {
		a = b = 0;
	} else {
		/* the ring's part from position p on, then its start */
		int64_t p = (from + a) & e->mask, run = b - a;
		int64_t first = run < e->len - p ? run : e->len - p;
		memcpy(out + a, r + p, (size_t)first * sizeof *out);
		memcpy(out + a + first, r, (size_t)(run - first) * sizeof *out);
	}
	for (int64_t i = 0; i < a; i++)
		out[i] = 0;
	for (int64_t i = b; i < n; i++)
		out[i] = 0;
	return n - (int)(b - a);
}

int64_t lsr_epochs_segment_start(const struct lsr_epochs *e)
{
	return e->seg_start;
}

int64_t lsr_epochs_end(const struct lsr_epochs *e)
{
	return e->end;
}
