/* tests/unit/test_source_edf.c — replay of a recording made by the
 * recorder: configuration, exact samples, padding as a gap, annotations as
 * marks, stored settings, pacing, rewind, and a crashed file refused with
 * the --repair hint. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "recorder.h"
#include "source_edf.h"
#include "source_pump.h"

#define Q (400000.0 / 8388608.0)

static char dir[64];

static void rm_dir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static float val(int c, int64_t i) { return (float)(((i * 29 + c * 700) % 3001 - 1500) * Q); }

/* 1.5 s at 1 kHz, 2 channels, samples 700..729 lost, marks and settings. */
/* The case's wall clock when the recording was made (src/clock.h):
 * 2023-11-14 22:13:20 UTC; its header holds it, in whole seconds. */
#define ORIGIN 1700000000.0

static void make_recording(const char *path)
{
	char err[256];
	int code;
	struct lsr_recorder *r = lsr_recorder_new(path, false, NULL, NULL, err, sizeof err, &code);
	ck_assert_msg(r != NULL, "%s", err);
	struct lsr_stream_config c = { .rate = 1000, .channels = 2, .uv_per_lsb = Q,
		.full_scale_uv = 400000, .format_bits = 24, .prefilter = "HP:3Hz LP:5000Hz" };
	strcpy(c.labels[0], "L Mentalis");
	strcpy(c.labels[1], "L Orb oculi");
	struct lsr_channel_info ch[2] = { { 0, c.labels[0], LSR_ROLE_LSR }, { 1, c.labels[1], LSR_ROLE_CONTROL } };
	struct lsr_params p;
	lsr_params_defaults(&p);
	ck_assert_int_eq(lsr_params_set_kv(&p, "disappear_trials=7", err, sizeof err), 0);
	ck_assert_int_eq(lsr_params_set_kv(&p, "stim_branch=mandibular", err, sizeof err), 0);
	lsr_recorder_segment(r, &c, ch, 2, &p, 0, ORIGIN);
	static float s[2 * 1500];
	static uint8_t m[1500];
	for (int i = 0; i < 1500; i++) {
		s[i] = val(0, i);
		s[1500 + i] = val(1, i);
		m[i] = i % 100 == 3 ? LSR_MARK_STIM : i == 50 ? LSR_MARK_BUTTON : 0;
	}
	struct lsr_block b = { .index = 0, .nsamp = 700, .channels = 2, .stride = 1500,
		.samples = s, .marks = m };
	lsr_recorder_block(r, 0, &b);
	b = (struct lsr_block){ .index = 730, .nsamp = 770, .channels = 2, .stride = 1500,
		.samples = s + 730, .marks = m + 730 };
	lsr_recorder_block(r, 730, &b);
	lsr_recorder_annotate(r, 0.25, "Dura open");
	struct lsr_event ev = { .type = LSR_EV_MARK, .t = 1.2, .mark = { 2, "Decompression", LSR_ORIGIN_KEY } };
	lsr_recorder_sink(r)->event(r, &ev);
	ev = (struct lsr_event){ .type = LSR_EV_LINK, .t = 1.3, .link = { LSR_LINK_STALLED } };
	lsr_recorder_sink(r)->event(r, &ev);
	ck_assert_int_eq(lsr_recorder_close(r), 0);
}

struct got {
	struct lsr_stream_config cfg;
	int configs;
	int64_t next;          /* expected index */
	int64_t samples, jumps, jump_from, jump_to;
	int stims, buttons, bad;
	int nlabels;
	uint64_t label_index[4];
	char label[4][32];
};

static void on_config(void *ctx, const struct lsr_stream_config *cfg, enum lsr_segment_reason why)
{
	struct got *g = ctx;
	g->cfg = *cfg;
	g->configs++;
	ck_assert_int_eq(why, LSR_SEGMENT_FIRST);
}

static void on_block(void *ctx, const struct lsr_block *b)
{
	struct got *g = ctx;
	if ((int64_t)b->index != g->next) {
		g->jumps++;
		g->jump_from = g->next;
		g->jump_to = (int64_t)b->index;
	}
	for (int i = 0; i < b->nsamp; i++) {
		int64_t k = (int64_t)b->index + i;
		for (int c = 0; c < 2; c++)
			if (fabs(b->samples[c * b->stride + i] - val(c, k)) > Q * 1e-3)
				g->bad++;
		g->stims += b->marks[i] & LSR_MARK_STIM;
		g->buttons += (b->marks[i] & LSR_MARK_BUTTON) != 0;
	}
	g->samples += b->nsamp;
	g->next = (int64_t)b->index + b->nsamp;
}

static void on_label(void *ctx, uint64_t index, const char *label)
{
	struct got *g = ctx;
	ck_assert_int_lt(g->nlabels, 4);
	g->label_index[g->nlabels] = index;
	snprintf(g->label[g->nlabels++], 32, "%s", label);
}

static void run_max(struct lsr_source *src, struct got *g)
{
	memset(g, 0, sizeof *g);
	struct lsr_source_sink sink = { g, on_config, on_block, on_label };
	struct lsr_source_env env = { .sink = &sink };
	int rc, pumps = 0;
	while ((rc = pump_at(src, 0, &env)) != LSR_SOURCE_END) {
		ck_assert_int_eq(rc, 0);
		ck_assert_int_lt(++pumps, 1000);
	}
}

START_TEST(replays_what_was_recorded)
{
	snprintf(dir, sizeof dir, "/tmp/lsr-srcedf-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char path[128], err[256];
	snprintf(path, sizeof path, "%s/case.bdf", dir);
	/* Recorded in India (UTC+05:30), replayed in New York: the stored
	 * offset dates the start, not the replaying machine's zone. */
	setenv("TZ", "Asia/Kolkata", 1);
	tzset();
	make_recording(path);
	setenv("TZ", "America/New_York", 1);
	tzset();
	int code = 0;
	struct lsr_source *src = lsr_source_edf_new(path, 0, err, sizeof err, &code);
	ck_assert_msg(src != NULL, "%s", err);
	ck_assert_double_eq(src->ops->wall_start(src->st), ORIGIN);
	ck_assert_str_eq(src->ops->kind, "replay");
	ck_assert_str_eq(src->ops->driver_name(src->st), "bdf");
	ck_assert_int_eq(src->ops->poll_fd(src->st), -1);
	struct got g;
	for (int pass = 0; pass < 2; pass++) { /* the second after a rewind */
		run_max(src, &g);
		ck_assert_int_eq(g.configs, 1);
		ck_assert_int_eq(g.cfg.rate, 1000);
		ck_assert_int_eq(g.cfg.channels, 2);
		ck_assert_str_eq(g.cfg.labels[1], "L Orb oculi"); /* the full label, not the EDF one */
		ck_assert_double_eq(g.cfg.uv_per_lsb, Q);
		ck_assert_int_eq(g.cfg.format_bits, 24);
		ck_assert_str_eq(g.cfg.prefilter, "HP:3Hz LP:5000Hz");
		ck_assert_int_eq(g.bad, 0);
		ck_assert_int_eq(g.samples, 1470);
		ck_assert_int_eq(g.jumps, 1);
		ck_assert_int_eq(g.jump_from, 700);
		ck_assert_int_eq(g.jump_to, 730);
		ck_assert_int_eq(g.stims, 14); /* 703 fell in the gap */
		ck_assert_int_eq(g.buttons, 0);
		ck_assert_int_eq(g.nlabels, 2);
		ck_assert_str_eq(g.label[0], "Dura open");
		ck_assert_int_eq(g.label_index[0], 250);
		ck_assert_str_eq(g.label[1], "Decompression");
		ck_assert_int_eq(g.label_index[1], 1200);
		ck_assert_int_eq(src->ops->rewind(src->st), 0);
	}
	struct lsr_params p;
	lsr_params_defaults(&p);
	char montage[64] = "";
	ck_assert_int_ge(src->ops->settings(src->st, &p, montage, sizeof montage), 2);
	ck_assert_int_eq(p.disappear_trials, 7);
	ck_assert_int_eq(p.stim_branch, LSR_BRANCH_MANDIBULAR);
	ck_assert_str_eq(montage, "0:lsr,1:control");
	ck_assert_double_eq(src->ops->wall_start(src->st), ORIGIN);
	struct lsr_driver_stats st;
	src->ops->stats(src->st, &st);
	/* The gap once: the second pass (a seek) reads it again but loses
	 * nothing more; no padding at the end (docs/interface.md "Recordings"). */
	ck_assert_uint_eq(st.lost_samples, 30);
	ck_assert_uint_eq(st.bytes, 2 * 1500 * 3 * 3); /* two passes, padding read too */

	/* Paused: nothing.  Then paced at 2×: 0.1 s of wall clock brings 200
	 * samples, not more. */
	ck_assert(src->ops->button_from_annotations);
	memset(&g, 0, sizeof g);
	struct lsr_source_sink sink = { &g, on_config, on_block, on_label };
	struct lsr_source_env env = { .sink = &sink };
	src->ops->set_speed(src->st, 2, true, 99.0);
	ck_assert_int_eq(src->ops->pump(src->st, 99.5, &env), -1);
	ck_assert_int_eq(src->ops->poll_fd(src->st), -1); /* nothing to wake it but set_speed */
	ck_assert_int_eq(g.samples, 0);
	src->ops->set_speed(src->st, 2, false, 99.9);
	int ms = pump_at(src, 100.0, &env);
	ck_assert_int_ge(ms, 1);
	ck_assert_int_le(ms, 10);
	pump_at(src, 100.1, &env);
	ck_assert_int_ge(g.samples, 199);
	ck_assert_int_le(g.samples, 201);
	double pos, len;
	src->ops->position(src->st, &pos, &len);
	ck_assert_double_eq_tol(pos, 0.2, 0.0011);
	ck_assert_double_eq_tol(len, 1.5, 1e-9);
	src->ops->destroy(src->st);

	/* The same file crashed (count -1): refused, with the --repair hint. */
	FILE *f = fopen(path, "r+");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, 236, SEEK_SET), 0);
	fputs("-1      ", f);
	fclose(f);
	ck_assert_ptr_null(lsr_source_edf_new(path, 0, err, sizeof err, &code));
	ck_assert_int_eq(code, 2);
	ck_assert_ptr_nonnull(strstr(err, "--repair"));
	snprintf(path, sizeof path, "%s/none.edf", dir);
	ck_assert_ptr_null(lsr_source_edf_new(path, 0, err, sizeof err, &code));
	ck_assert_int_eq(code, 2);
	rm_dir();
}
END_TEST

Suite *suite_source_edf(void)
{
	Suite *s = suite_create("source_edf");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, replays_what_was_recorded);
	suite_add_tcase(s, tc);
	return s;
}
