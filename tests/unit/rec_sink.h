/* tests/unit/rec_sink.h — a driver sink for the driver tests that keeps
 * every sample it is handed, flattened to one row per sample instant. */
#ifndef LSR_TEST_REC_SINK_H
#define LSR_TEST_REC_SINK_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"

#define REC_MAX_CFG 64

struct rec_row {
	uint64_t index;
	uint8_t marks;
	bool block_start;
	float v[LSR_MAX_CHANNELS];
};

struct rec {
	struct rec_row *rows;
	size_t n, cap;
	size_t blocks;
	int ncfg;
	enum lsr_segment_reason why[REC_MAX_CFG];
	struct lsr_stream_config cfg;
	struct lsr_source_sink sink;
};

static inline void rec_config(void *ctx, const struct lsr_stream_config *cfg,
                              enum lsr_segment_reason why)
{
	struct rec *r = ctx;
	if (r->ncfg < REC_MAX_CFG)
		r->why[r->ncfg] = why;
	r->ncfg++;
	r->cfg = *cfg;
}

static inline void rec_block(void *ctx, const struct lsr_block *b)
{
	struct rec *r = ctx;
	ck_assert_int_ge(b->nsamp, 1);
	ck_assert_int_le(b->nsamp, LSR_MAX_BLOCK);
	ck_assert_int_ge(b->channels, 1);
	ck_assert_int_le(b->channels, LSR_MAX_CHANNELS);
	ck_assert_uint_ge(b->stride, (size_t)b->nsamp);
	r->blocks++;
	for (int i = 0; i < b->nsamp; i++) {
		if (r->n == r->cap) {
			r->cap = r->cap ? 2 * r->cap : 1024;
			r->rows = realloc(r->rows, r->cap * sizeof *r->rows);
			ck_assert_ptr_nonnull(r->rows);
		}
		struct rec_row *row = &r->rows[r->n++];
		memset(row, 0, sizeof *row);
		row->index = b->index + (uint64_t)i;
		row->marks = b->marks[i];
		row->block_start = i == 0;
		for (int c = 0; c < b->channels; c++)
			row->v[c] = b->samples[(size_t)c * b->stride + (size_t)i];
	}
}

static inline void rec_init(struct rec *r)
{
	memset(r, 0, sizeof *r);
	r->sink.ctx = r;
	r->sink.config = rec_config;
	r->sink.block = rec_block;
}

static inline void rec_free(struct rec *r)
{
	free(r->rows);
	r->rows = NULL;
}

#endif
