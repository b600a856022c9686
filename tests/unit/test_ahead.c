/* tests/unit/test_ahead.c — the replay decoder's ring: many times its size
 * of blocks of every size, with configurations and labels between them,
 * come out whole and in order however the consumer drains, whether the
 * decoder hands them to the sink or writes them into the ring's own room
 * (and rooms taken back unfilled never come out); a full ring holds the
 * decoder, and stopping it then does not hang. */
#include <check.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ahead.h"

enum { CH = 32 };

/* The decoder's side: block k has nsamp 1 + (k × 7919) mod LSR_MAX_BLOCK
 * instants of CH channels, each sample a function of its index and
 * channel; every 97th step also a label, every 1000th a configuration.
 * Odd blocks are written into lsr_ahead_block_room, except every tenth
 * from 1, whose room is taken back and which then goes to the sink. */
struct gen {
	int steps, k;
	int rooms;          /* blocks written in the ring's room */
	bool room_refused;  /* a room was NULL while not stopping */
	uint64_t index;
	float samples[CH * LSR_MAX_BLOCK];
	uint8_t marks[LSR_MAX_BLOCK];
};

static float value(uint64_t index, int c)
{
	return (float)((index * 31 + (uint64_t)c * 7) % 100003);
}

static bool step(void *ctx, const struct lsr_source_sink *sink, struct lsr_driver_stats *st)
{
	struct gen *g = ctx;
	if (g->k == g->steps)
		return false;
	if (g->k % 1000 == 0) {
		struct lsr_stream_config cfg = { .rate = 20000 + g->k, .channels = CH };
		sink->config(sink->ctx, &cfg, LSR_SEGMENT_CHANGED);
	}
	int n = 1 + (int)(((uint64_t)g->k * 7919u) % LSR_MAX_BLOCK);
	uint8_t *marks = NULL;
	float *room = g->k % 2 ? lsr_ahead_block_room(sink, g->index, n, CH, &marks) : NULL;
	if (g->k % 2 && !room)
		g->room_refused = true;
	if (room && g->k % 10 == 1) {
		for (int i = 0; i < n; i++) /* what must never come out */
			room[i] = -1;
		lsr_ahead_block_drop(sink);
		room = NULL;
	}
	float *dst = room ? room : g->samples;
	size_t stride = room ? (size_t)n : LSR_MAX_BLOCK;
	for (int c = 0; c < CH; c++)
		for (int i = 0; i < n; i++)
			dst[(size_t)c * stride + (size_t)i] = value(g->index + (uint64_t)i, c);
	uint8_t *m = room ? marks : g->marks;
	for (int i = 0; i < n; i++)
		m[i] = (uint8_t)(g->index + (uint64_t)i);
	if (room) {
		g->rooms++;
	} else {
		struct lsr_block b = { g->index, n, CH, LSR_MAX_BLOCK, g->samples, g->marks };
		sink->block(sink->ctx, &b);
	}
	if (g->k % 97 == 0) {
		char text[32];
		snprintf(text, sizeof text, "label %d", g->k);
		sink->label(sink->ctx, g->index, text);
	}
	g->index += (uint64_t)n;
	g->k++;
	memset(st, 0, sizeof *st);
	st->frames = (uint64_t)g->k;
	return true;
}

/* The loop's side: checks everything as it comes. */
struct seen {
	uint64_t index, bytes;
	int blocks, labels, configs;
	bool bad;
};

static void on_config(void *ctx, const struct lsr_stream_config *cfg, enum lsr_segment_reason why)
{
	struct seen *s = ctx;
	if (cfg->rate != 20000 + s->blocks || cfg->channels != CH || why != LSR_SEGMENT_CHANGED)
		s->bad = true;
	s->configs++;
}

static void on_block(void *ctx, const struct lsr_block *b)
{
	struct seen *s = ctx;
	if (b->index != s->index || b->channels != CH)
		s->bad = true;
	for (int c = 0; c < b->channels && !s->bad; c++)
		for (int i = 0; i < b->nsamp; i++)
			if (b->samples[(size_t)c * b->stride + (size_t)i] != value(b->index + (uint64_t)i, c) ||
			    b->marks[i] != (uint8_t)(b->index + (uint64_t)i))
				s->bad = true;
	s->index += (uint64_t)b->nsamp;
	s->bytes += (uint64_t)b->nsamp * CH * sizeof(float);
	s->blocks++;
}

static void on_label(void *ctx, uint64_t index, const char *label)
{
	struct seen *s = ctx;
	char want[32];
	snprintf(want, sizeof want, "label %d", s->blocks - 1);
	if (index >= s->index || strcmp(label, want) != 0)
		s->bad = true;
	s->labels++;
}

static void wait_fd(struct lsr_ahead *a)
{
	struct pollfd p = { lsr_ahead_fd(a), POLLIN, 0 };
	ck_assert_int_eq(poll(&p, 1, 10000), 1);
}

START_TEST(everything_in_order_through_many_wraps)
{
	static struct gen g;
	memset(&g, 0, sizeof g);
	g.steps = 600; /* ~150 MB of samples: the 8 MB ring wraps many times */
	char err[128];
	struct lsr_ahead *a = lsr_ahead_start(step, &g, err, sizeof err);
	ck_assert_msg(a != NULL, "%s", err);
	struct seen s = { 0 };
	struct lsr_source_sink sink = { &s, on_config, on_block, on_label };
	struct lsr_driver_stats st = { 0 };
	enum lsr_ahead_status status;
	size_t budget = 1;
	while ((status = lsr_ahead_drain(a, &sink, NULL, NULL, budget, &st)) != LSR_AHEAD_END) {
		if (status == LSR_AHEAD_EMPTY)
			wait_fd(a);
		budget = budget * 3 % 1000003 + 1; /* from one record to about a megabyte */
	}
	ck_assert(!s.bad);
	ck_assert(!g.room_refused);
	ck_assert_int_eq(g.rooms, 240); /* 300 odd blocks, 60 of them taken back */
	ck_assert_int_eq(s.blocks, 600);
	ck_assert_int_eq(s.configs, 1);
	ck_assert_int_eq(s.labels, (600 + 96) / 97);
	ck_assert_uint_gt(s.bytes, (uint64_t)10 << 23);
	ck_assert_uint_eq(st.frames, 600);
	ck_assert_int_eq(lsr_ahead_drain(a, &sink, NULL, NULL, 1000, &st), LSR_AHEAD_END);
	lsr_ahead_stop(a);
}
END_TEST

/* go_on holds the consumer after a given block: nothing is handed on
 * beyond it until go_on allows it again. */
static bool before_100(void *ctx)
{
	return ((struct seen *)ctx)->blocks < 100;
}

START_TEST(pacing_holds_and_stop_while_full)
{
	static struct gen g;
	memset(&g, 0, sizeof g);
	g.steps = 100000; /* far more than the ring holds */
	char err[128];
	struct lsr_ahead *a = lsr_ahead_start(step, &g, err, sizeof err);
	ck_assert_msg(a != NULL, "%s", err);
	struct seen s = { 0 };
	struct lsr_source_sink sink = { &s, on_config, on_block, on_label };
	struct lsr_driver_stats st = { 0 };
	for (int turns = 0; s.blocks < 100; turns++) {
		ck_assert_int_lt(turns, 100000);
		if (lsr_ahead_drain(a, &sink, before_100, &s, (size_t)1 << 20, &st) == LSR_AHEAD_EMPTY)
			wait_fd(a);
	}
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(lsr_ahead_drain(a, &sink, before_100, &s, (size_t)1 << 20, &st),
		                 LSR_AHEAD_MORE);
	ck_assert_int_eq(s.blocks, 100);
	ck_assert(!s.bad);
	/* The decoder is held by the full ring by now, or soon: stop returns. */
	lsr_ahead_stop(a);
	ck_assert_int_lt(g.k, 100000);
}
END_TEST

/* A sink that is not a decoder's has no room: the caller uses block(). */
START_TEST(no_room_outside_a_decoder)
{
	struct seen s = { 0 };
	struct lsr_source_sink sink = { &s, on_config, on_block, on_label };
	uint8_t *marks = NULL;
	ck_assert_ptr_null(lsr_ahead_block_room(&sink, 0, 10, CH, &marks));
}
END_TEST

Suite *suite_ahead(void)
{
	Suite *s = suite_create("ahead");
	TCase *tc = tcase_create("ring");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, everything_in_order_through_many_wraps);
	tcase_add_test(tc, pacing_holds_and_stop_while_full);
	tcase_add_test(tc, no_room_outside_a_decoder);
	suite_add_tcase(s, tc);
	return s;
}
