/* tests/unit/test_screen.c — whole frames drawn into a canvas (no
 * terminal): banner words for each state, sweep headers, log order,
 * braille traces, ASCII fallback, help, too small. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen.h"

#define RATE 20000
#define PRE 200   /* 10 ms */
#define LEN 2200  /* -10 … +100 ms */

static struct lsr_layout layout;
static struct lsr_model *model;
static struct lsr_view view;
static struct lsr_ui_info info;
static struct lsr_screen scr;
static float sweep[LEN];

static void ev_response(double t, int n, int ch, double amp)
{
	/* A biphasic wave centred on 10 ms after the stimulus. */
	for (int i = 0; i < LEN; i++) {
		double ms = (i - PRE) * 1000.0 / RATE;
		sweep[i] = (float)(amp * sin(2 * M_PI * (ms - 8) / 4) * (ms > 8 && ms < 12));
	}
	struct lsr_event ev = { .type = LSR_EV_RESPONSE, .t = t };
	ev.response.n = n;
	ev.response.ch = ch;
	ev.response.valid = true;
	ev.response.present = amp > 50 ? LSR_TRUE : LSR_FALSE;
	ev.response.p2p_uv = 2 * amp;
	ev.response.onset_ms = amp > 50 ? 8.1 : NAN;
	ev.response.threshold_uv = 40;
	ev.response.conditioned = sweep;
	ev.response.sweep_len = LEN;
	ev.response.sweep_pre = PRE;
	lsr_model_event(model, &ev);
}

static void ev_state(double t, enum lsr_state s, double since, bool premature, bool after, bool verified)
{
	struct lsr_event ev = { .type = LSR_EV_STATE, .t = t };
	ev.state.state = s;
	ev.state.since = since;
	ev.state.premature = premature;
	ev.state.after_decompression = after;
	ev.state.ratio = 0.35;
	ev.state.verified = verified;
	lsr_model_event(model, &ev);
}

static void ev_mark(double t, int id, const char *label)
{
	struct lsr_event ev = { .type = LSR_EV_MARK, .t = t };
	ev.mark.id = id;
	ev.mark.label = label;
	lsr_model_event(model, &ev);
}

static void setup(void)
{
	char err[300];
	ck_assert_int_eq(lsr_layout_load(&layout, "standard", err, sizeof err), 0);
	model = lsr_model_new();
	ck_assert_ptr_nonnull(model);
	memset(&view, 0, sizeof view);
	view.gain_uv = 100;
	view.timebase_ms = 10;
	view.average = 1;
	view.stack = 10;
	memset(&info, 0, sizeof info);
	info.source = "sim";
	info.driver = "sim";
	info.frozen_clock = true;
	info.stream_t = 200;
	struct lsr_stream_config cfg = { .rate = RATE, .channels = 3 };
	strcpy(cfg.labels[0], "Mentalis");
	strcpy(cfg.labels[1], "Oris");
	strcpy(cfg.labels[2], "Oculi");
	enum lsr_role roles[3] = { LSR_ROLE_LSR, LSR_ROLE_LSR, LSR_ROLE_CONTROL };
	lsr_model_config(model, &cfg, roles);
	memset(&scr, 0, sizeof scr);
	scr.layout = &layout;
	ck_assert_int_eq(lsr_screen_resize(&scr, 80, 24, true), 0);
}

static void teardown(void)
{
	lsr_screen_free(&scr);
	lsr_model_free(model);
}

/* The whole canvas as text, one line per row. */
static char *frame(void)
{
	static char buf[100 * 4 * 310];
	size_t n = 0;
	lsr_screen_draw(&scr, LSR_DIRTY_ALL, model, &view, &info);
	for (int y = 0; y < scr.h; y++) {
		lsr_canvas_row(&scr.canvas, y, buf + n, sizeof buf - n - 2);
		n += strlen(buf + n);
		buf[n++] = '\n';
		buf[n] = '\0';
	}
	if (getenv("LSR_DUMP"))
		fputs(buf, stderr);
	return buf;
}

#define HAS(text) ck_assert_msg(strstr(frame(), text) != NULL, "missing '%s' in\n%s", text, frame())

START_TEST(banner_words)
{
	HAS("ACQUIRING BASELINE");
	ev_state(100, LSR_STATE_PRESENT, 90, false, false, true);
	HAS("LSR PRESENT");
	ev_state(120, LSR_STATE_REDUCED, 110, false, false, true);
	HAS("REDUCED TO 35% OF BASELINE");
	ev_state(152, LSR_STATE_DISAPPEARED, 152.5, false, true, true);
	HAS("LSR DISAPPEARED +00:02:32 \u2014 AFTER DECOMPRESSION");
	ev_state(152, LSR_STATE_DISAPPEARED, 152.5, true, false, true);
	HAS("PREMATURE LOSS (BEFORE DECOMPRESSION)");
	ev_state(160, LSR_STATE_STIMULATION_FAILURE, 160, false, false, true);
	HAS("STIMULATION FAILURE \u2014 CHECK STIMULATOR AND ELECTRODES");
	ev_response(188, 1, 0, 100);
	ev_state(195, LSR_STATE_NO_STIMULUS, 195, false, false, true);
	HAS("NO STIMULUS \u2014 LAST VALID TRIAL 12 s AGO");
	ev_state(196, LSR_STATE_NOT_DETECTED, 196, false, false, false);
	HAS("LSR NOT DETECTED");
	HAS("UNVERIFIED (NO CONTROL CHANNEL)");
}
END_TEST

START_TEST(sweeps_and_log)
{
	for (int n = 1; n <= 12; n++)
		for (int c = 0; c < 3; c++)
			ev_response(n * 0.5, n, c, 100);
	ev_mark(3, 1, "Dura open");
	ev_mark(4, 2, "Decompression");
	ev_mark(5, 3, "Cancel 2");
	char *f = frame();
	ck_assert_ptr_nonnull(strstr(f, "0 Mentalis lsr"));
	ck_assert_ptr_nonnull(strstr(f, "2 Oculi control"));
	ck_assert_ptr_nonnull(strstr(f, "200\u00b5V 8.1ms"));
	ck_assert_ptr_nonnull(strstr(f, "100\u00b5V/d 10ms/d"));
	/* Log: newest first. */
	char *c3 = strstr(f, "#3 x Cancel 2"), *c2 = strstr(f, "#2 D Decompression");
	ck_assert_ptr_nonnull(c3);
	ck_assert_ptr_nonnull(c2);
	ck_assert(c3 < c2);
	ck_assert_ptr_nonnull(strstr(f, "+00:00:05"));
	/* Braille dots are drawn for the traces, and onset is marked. */
	bool braille = false;
	for (int i = 0; i < scr.canvas.w * scr.canvas.h; i++)
		braille |= scr.canvas.cells[i].ch > 0x2800 && scr.canvas.cells[i].ch <= 0x28FF;
	ck_assert(braille);
	ck_assert_ptr_nonnull(strstr(f, "\u25bc"));
	/* Gain shows in the header after + (fewer µV per division). */
	view.gain_uv = 50;
	HAS("50\u00b5V/d");
}
END_TEST

START_TEST(trace_peak_not_lost)
{
	/* A one-sample spike must reach the top of the plot at any width:
	 * min/max decimation keeps it. */
	memset(sweep, 0, sizeof sweep);
	sweep[PRE + 201] = 5000; /* at 10.05 ms, far above full scale */
	struct lsr_event ev = { .type = LSR_EV_RESPONSE, .t = 1 };
	ev.response.ch = 0;
	ev.response.valid = true;
	ev.response.present = LSR_FALSE;
	ev.response.p2p_uv = 5000;
	ev.response.onset_ms = NAN;
	ev.response.conditioned = sweep;
	ev.response.sweep_len = LEN;
	ev.response.sweep_pre = PRE;
	lsr_model_event(model, &ev);
	frame();
	struct lsr_rect r = scr.rects[1]; /* sweeps pane */
	/* Channel 0's plot starts one row under its header. */
	bool top = false;
	for (int x = r.x; x < r.x + r.w; x++) {
		uint32_t ch = scr.canvas.cells[(r.y + 1) * scr.canvas.w + x].ch;
		top |= ch >= 0x2801 && ch <= 0x28FF && (ch & 0x09);
	}
	ck_assert(top);
}
END_TEST

START_TEST(ascii_fallback)
{
	ck_assert_int_eq(lsr_screen_resize(&scr, 80, 24, false), 0);
	for (int n = 1; n <= 3; n++)
		ev_response(n, n, 0, 100);
	ev_state(152, LSR_STATE_DISAPPEARED, 152.5, false, true, true);
	char *f = frame();
	for (const unsigned char *p = (const unsigned char *)f; *p; p++)
		ck_assert_msg(*p < 0x80, "non-ASCII byte in\n%s", f);
	ck_assert_ptr_nonnull(strstr(f, "LSR DISAPPEARED +00:02:32 - AFTER DECOMPRESSION"));
	ck_assert_ptr_nonnull(strstr(f, "100uV/d"));
}
END_TEST

START_TEST(help_and_too_small)
{
	view.help = true;
	HAS("Keys (any key closes this help)");
	HAS("mark Decompression");
	view.help = false;
	ck_assert_int_eq(lsr_screen_resize(&scr, 60, 20, true), 0);
	HAS("Terminal too small: 60x20, need at least 80x24");
	ck_assert_int_eq(lsr_screen_resize(&scr, 160, 48, true), 0);
	HAS("ACQUIRING BASELINE");
}
END_TEST

START_TEST(click_selects_channel)
{
	frame();
	struct lsr_rect r = scr.rects[1]; /* sweeps: three channels stacked */
	ck_assert_int_eq(lsr_screen_channel_at(&scr, model, r.x + 2, r.y), 0);
	ck_assert_int_eq(lsr_screen_channel_at(&scr, model, r.x + 2, r.y + r.h - 1), 2);
	ck_assert_int_eq(lsr_screen_channel_at(&scr, model, 0, 0), -1); /* banner */
}
END_TEST

START_TEST(status_stimulation)
{
	/* Stimuli every 0.5 s: 2.0 Hz; the last intensity mark until it is
	 * cancelled. */
	for (int n = 1; n <= 6; n++) {
		struct lsr_event ev = { .type = LSR_EV_STIM, .t = n * 0.5 };
		ev.stim.n = n;
		lsr_model_event(model, &ev);
	}
	ev_mark(3, 1, "Intensity 3.5");
	info.frozen_clock = true;
	HAS("stim 6 @2.0Hz 3.5 mA");
	ev_mark(4, 2, "Cancel 1");
	ck_assert_ptr_null(strstr(frame(), "3.5 mA"));
}
END_TEST

/* Feeds `secs` of channel 0 flat, with a 120 Hz burst of 400 µV between
 * burst_from and burst_to seconds, other channels flat; marks the stimulus
 * bit at stim_at seconds (negative: none). */
static int64_t next_index;

static void feed(double secs, double burst_from, double burst_to, double stim_at)
{
	static float s[3 * 100];
	static uint8_t mk[100];
	for (int64_t i0 = 0; i0 < (int64_t)(secs * RATE); i0 += 100) {
		memset(s, 0, sizeof s);
		memset(mk, 0, sizeof mk);
		for (int i = 0; i < 100; i++) {
			double t = (double)(i0 + i) / RATE;
			if (t >= burst_from && t < burst_to)
				s[i] = (float)(400 * sin(2 * M_PI * 120 * t));
			if (stim_at >= 0 && fabs(t - stim_at) < 0.5 / RATE)
				mk[i] = LSR_MARK_STIM;
		}
		struct lsr_block b = { (uint64_t)i0, 100, 3, 100, s, mk };
		lsr_model_block(model, next_index + i0, &b);
	}
	next_index += (int64_t)(secs * RATE);
}

START_TEST(freerun_buckets_and_bursts)
{
	/* 2 s flat, a burst from 1.0 to 1.2 s: 200 buckets per second. */
	feed(2, 1.0, 1.2, -1);
	ck_assert_int_eq(model->fr_total, 2 * LSR_FREERUN_HZ);
	float lo, hi;
	bool burst;
	ck_assert(lsr_model_bucket(model, 0, LSR_FREERUN_HZ + 20, &lo, &hi, &burst));
	ck_assert(burst);
	ck_assert_float_gt(hi - lo, 500); /* the peaks survive decimation */
	ck_assert(lsr_model_bucket(model, 0, LSR_FREERUN_HZ / 2, &lo, &hi, &burst));
	ck_assert(!burst);
	ck_assert(lsr_model_bucket(model, 1, LSR_FREERUN_HZ + 20, &lo, &hi, &burst));
	ck_assert(!burst); /* a quiet channel is not flagged with the busy one */
	ck_assert(!lsr_model_bucket(model, 0, model->fr_total, &lo, &hi, &burst));
	/* One second lost: 200 empty buckets, then data again. */
	int64_t before_gap = model->fr_total;
	next_index += RATE;
	feed(0.5, -1, -1, -1);
	ck_assert_int_eq(model->fr_total, before_gap + LSR_FREERUN_HZ + LSR_FREERUN_HZ / 2);
	ck_assert(lsr_model_bucket(model, 0, before_gap + 10, &lo, &hi, &burst));
	ck_assert(isnan(lo) && isnan(hi));
	ck_assert(lsr_model_bucket(model, 0, before_gap + LSR_FREERUN_HZ + 10, &lo, &hi, &burst));
	ck_assert(!isnan(lo));
	frame(); /* the pane draws across the gap */
	/* The same activity right after a stimulus is its response, not a burst. */
	next_index = 0;
	lsr_model_free(model);
	model = lsr_model_new();
	struct lsr_stream_config cfg = { .rate = RATE, .channels = 3 };
	lsr_model_config(model, &cfg, NULL);
	feed(2, 1.0, 1.05, 0.99);
	ck_assert(lsr_model_bucket(model, 0, LSR_FREERUN_HZ + 5, &lo, &hi, &burst));
	ck_assert(!burst);
	/* Frozen: the free-run ring stands still. */
	model->frozen = true;
	int64_t before = model->fr_total;
	feed(1, -1, -1, -1);
	ck_assert_int_eq(model->fr_total, before);
}
END_TEST

START_TEST(freeze_keeps_sweeps_not_trend)
{
	ev_response(1, 1, 0, 100);
	model->frozen = true;
	ev_response(2, 2, 0, 20);
	ck_assert_int_eq(model->ch[0].nsweeps, 1);
	ck_assert_double_eq(model->ch[0].p2p, 200); /* what is on screen stays */
	ck_assert_int_eq(model->ch[0].ntrend, 2);  /* the case's history goes on */
	model->frozen = false;
	ev_response(3, 3, 0, 30);
	ck_assert_int_eq(model->ch[0].nsweeps, 2);
	ck_assert_double_eq(model->ch[0].p2p, 60);
}
END_TEST

START_TEST(trend_bounded)
{
	/* Eight hours at 4 Hz: the trend stays within its bound and keeps the
	 * whole span. */
	for (int n = 0; n < 8 * 3600 * 4; n++) {
		struct lsr_event ev = { .type = LSR_EV_RESPONSE, .t = n * 0.25 };
		ev.response.ch = 0;
		ev.response.valid = true;
		ev.response.present = LSR_TRUE;
		ev.response.p2p_uv = 100;
		ev.response.onset_ms = 8;
		lsr_model_event(model, &ev);
	}
	ck_assert_int_le(model->ch[0].ntrend, LSR_MODEL_TREND);
	ck_assert_int_gt(model->ch[0].ntrend, LSR_MODEL_TREND / 2 - 1);
	ck_assert_double_eq_tol(model->ch[0].trend[0].t, 0, 1e-9);
	ck_assert_double_gt(model->ch[0].trend[model->ch[0].ntrend - 1].t, 8 * 3600 - 60);
	ck_assert_double_eq_tol(model->ch[0].trend[10].p2p, 100, 1e-3);
}
END_TEST

Suite *suite_screen(void)
{
	Suite *s = suite_create("screen");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, banner_words);
	tcase_add_test(tc, sweeps_and_log);
	tcase_add_test(tc, trace_peak_not_lost);
	tcase_add_test(tc, ascii_fallback);
	tcase_add_test(tc, help_and_too_small);
	tcase_add_test(tc, click_selects_channel);
	tcase_add_test(tc, status_stimulation);
	tcase_add_test(tc, freerun_buckets_and_bursts);
	tcase_add_test(tc, freeze_keeps_sweeps_not_trend);
	tcase_add_test(tc, trend_bounded);
	suite_add_tcase(s, tc);
	return s;
}
