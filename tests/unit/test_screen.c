/* tests/unit/test_screen.c — whole frames drawn into a canvas (no
 * terminal): banner words for each state, sweep headers, log order,
 * braille traces, ASCII fallback, help, too small. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
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
	view.selected = -1;
	view.gain_uv = 100;
	view.control_gain_uv = 500;
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
	HAS("UNVERIFIED");
}
END_TEST

static void ev_channel(double t, int ch, enum lsr_state s, enum lsr_reason why)
{
	struct lsr_event ev = { .type = LSR_EV_CHANNEL_STATE, .t = t };
	ev.channel_state.ch = ch;
	ev.channel_state.state = s;
	ev.channel_state.reason = why;
	lsr_model_event(model, &ev);
}

/* The evidence detector's banners (docs/interface.md "States"): why it
 * cannot judge, which channel a loss leaves out, and the false cure. */
START_TEST(banner_evidence)
{
	ev_channel(100, 0, LSR_STATE_INDETERMINATE, LSR_REASON_NOISE);
	ev_channel(100, 1, LSR_STATE_INDETERMINATE, LSR_REASON_NOISE);
	ev_state(100, LSR_STATE_INDETERMINATE, 90, false, false, true);
	HAS("INDETERMINATE \u2014 NOISE TOO HIGH FOR THIS LSR");
	ev_channel(101, 1, LSR_STATE_INDETERMINATE, LSR_REASON_NO_VALID_TRIALS);
	ev_state(101, LSR_STATE_INDETERMINATE, 90, false, false, true);
	HAS("INDETERMINATE \u2014 NO VALID TRIALS");

	ev_channel(150, 0, LSR_STATE_DISAPPEARED, LSR_REASON_NONE);
	static const int oris[] = { 1 };
	struct lsr_event ev = { .type = LSR_EV_STATE, .t = 150 };
	ev.state.state = LSR_STATE_DISAPPEARED;
	ev.state.since = 140;
	ev.state.after_decompression = true;
	ev.state.ratio = 0.05;
	ev.state.verified = false;
	ev.state.indeterminate_ch = oris;
	ev.state.nind = 1;
	lsr_model_event(model, &ev);
	info.direct_ratio = 0.45;
	HAS("Oris INDETERMINATE");
	HAS("UNCONFIRMED: DIRECT RESPONSE 45% OF BASELINE \u2014 RAISE INTENSITY");
	info.direct_ratio = 0.95; /* the direct response is fine: the intensity was lowered */
	HAS("UNCONFIRMED: INTENSITY BELOW THE BASELINE'S \u2014 RAISE INTENSITY");
	ev.state.verified = true;
	lsr_model_event(model, &ev);
	ck_assert_ptr_null(strstr(frame(), "UNCONFIRMED"));
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
	/* Beside the sweep: % of baseline once there is one (200 of 400 µV),
	 * and the latency. */
	struct lsr_event ev = { .type = LSR_EV_BASELINE, .t = 6 };
	ev.baseline.ch = 0;
	ev.baseline.p2p_uv = 400;
	ev.baseline.trials = 10;
	lsr_model_event(model, &ev);
	HAS(" 50%");
	HAS(" 8.1ms");
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

/* The row of the canvas that holds text, or -1. */
static int row_with(const char *text)
{
	char buf[4 * 320];
	for (int y = 0; y < scr.h; y++) {
		lsr_canvas_row(&scr.canvas, y, buf, sizeof buf);
		if (strstr(buf, text))
			return y;
	}
	return -1;
}

START_TEST(tab_minus_changes_one_gain)
{
	for (int n = 1; n <= 3; n++)
		for (int c = 0; c < 3; c++)
			ev_response(n * 0.5, n, c, 100);
	struct lsr_keys_ctx k = { &view, model, NULL };
	frame();
	/* The control channel starts at its own gain, the others at 100. */
	ck_assert_int_ge(row_with("0 Mentalis lsr"), 0);
	ck_assert_int_eq(row_with("0 Mentalis lsr"), row_with("100\u00b5V/d"));
	ck_assert_int_eq(row_with("2 Oculi control"), row_with("500\u00b5V/d"));
	/* Tab selects channel 0; - changes its label only. */
	lsr_keys_handle(&k, LSR_KEY_TAB);
	lsr_keys_handle(&k, '-');
	frame();
	ck_assert_int_eq(row_with("0 Mentalis lsr"), row_with("200\u00b5V/d"));
	ck_assert_int_eq(row_with("1 Oris lsr"), row_with("100\u00b5V/d"));
	ck_assert_int_eq(row_with("2 Oculi control"), row_with("500\u00b5V/d"));
}
END_TEST

/* Rows of channel 0's sweep (under its header, above channel 1's) holding
 * a braille cell drawn in the latest-trace colour. */
static int trace_rows(void)
{
	frame();
	int rows = 0;
	for (int y = row_with("0 Mentalis lsr") + 1; y < row_with("1 Oris lsr"); y++)
		for (int x = 0; x < scr.w; x++) {
			const struct lsr_cell *cell = &scr.canvas.cells[y * scr.canvas.w + x];
			if (cell->color == LSR_COLOR_TRACE && cell->ch > 0x2800 && cell->ch <= 0x28FF) {
				rows++;
				break;
			}
		}
	return rows;
}

START_TEST(judged_average_on_a)
{
	/* Channel 0's sweeps are flat; the detector judged an average of 12
	 * trials holding a 300 uV LSR (3 divisions at 100 uV/d).  a steps
	 * 1, 2, 3, 4 sweeps, then that average, labelled with its k. */
	static float avg[LEN];
	for (int i = 0; i < LEN; i++) {
		double ms = (i - PRE) * 1000.0 / RATE;
		avg[i] = (float)(150 * sin(2 * M_PI * (ms - 8) / 4) * (ms > 8 && ms < 12));
	}
	struct lsr_event ev = { .type = LSR_EV_RESPONSE };
	ev.response.ch = 0;
	ev.response.role = LSR_ROLE_LSR;
	ev.response.valid = true;
	ev.response.present = LSR_TRUE;
	ev.response.p2p_uv = 0;
	ev.response.onset_ms = NAN;
	ev.response.conditioned = sweep;
	ev.response.sweep_len = LEN;
	ev.response.sweep_pre = PRE;
	ev.response.average = avg;
	ev.response.trials = 12;
	memset(sweep, 0, sizeof sweep);
	for (int n = 1; n <= 4; n++) {
		ev.t = n, ev.response.n = n;
		lsr_model_event(model, &ev);
	}
	/* the control: its own sweeps (more than 4 sweeps of display
	 * averaging hold), no average */
	for (int n = 1; n <= 6; n++)
		ev_response(n, n, 2, 100);
	struct lsr_keys_ctx k = { &view, model, NULL };
	ck_assert_ptr_null(strstr(frame(), "avg"));
	ck_assert_int_eq(trace_rows(), 1); /* the latest sweep: flat */
	lsr_keys_handle(&k, 'a');
	HAS("avg 2");
	ck_assert_int_eq(trace_rows(), 1);
	lsr_keys_handle(&k, 'a');
	lsr_keys_handle(&k, 'a');
	HAS("avg 4");
	lsr_keys_handle(&k, 'a');
	HAS("avg k=12");
	char row[4 * 320];
	lsr_canvas_row(&scr.canvas, row_with("2 Oculi control"), row, sizeof row);
	ck_assert_msg(!strstr(row, "avg"), "the control keeps its latest sweep: %s", row);
	ck_assert_int_ge(trace_rows(), 3); /* the judged LSR, not the flat sweep */
	/* A trial whose decision averaged nothing: no older average shown
	 * as if it were current. */
	ev.response.average = NULL;
	ev.response.trials = 0;
	ev.t = 5, ev.response.n = 5;
	lsr_model_event(model, &ev);
	HAS("avg k=-");
	ck_assert_int_eq(trace_rows(), 0);
	lsr_keys_handle(&k, 'a');
	ck_assert_ptr_null(strstr(frame(), "avg"));
	ck_assert_int_gt(trace_rows(), 0);
}
END_TEST

START_TEST(log_entries_whole)
{
	/* Entries that each wrap onto a second line under their time: every
	 * one the 80x24 log shows is whole (its last word with it), the
	 * newest first, none cut at the pane's foot; and the log is full. */
	for (int k = 1; k <= 30; k++)
		lsr_model_logf(model, k, LSR_COLOR_TEXT, "entry %02d: the channel state changed here end%02d", k, k);
	frame();
	struct lsr_rect r = { 0, 0, 0, 0 };
	for (int i = 0; i < layout.npanes; i++)
		if (layout.panes[i].type == LSR_PANE_LOG)
			r = scr.rects[i];
	ck_assert_int_gt(r.h, 2);
	char text[24 * 4 * 320] = "", row[4 * 320];
	for (int y = r.y; y < r.y + r.h; y++) {
		lsr_canvas_row(&scr.canvas, y, row, sizeof row);
		strcat(text, row);
		strcat(text, "\n");
	}
	ck_assert_ptr_nonnull(strstr(text, "entry 30:"));
	int shown = 0;
	for (int k = 1; k <= 30; k++) {
		char head[32], tail[32];
		snprintf(head, sizeof head, "entry %02d:", k);
		snprintf(tail, sizeof tail, "end%02d", k);
		if (!strstr(text, head))
			continue;
		shown++;
		ck_assert_msg(strstr(text, tail) != NULL, "entry %d cut:\n%s", k, text);
	}
	ck_assert_int_ge(shown, 1);
}
END_TEST

START_TEST(no_background_in_traces)
{
	/* Every layout and size: no cell of a sweep's plot (under its header
	 * row) is in reverse video, the one attribute that paints a
	 * background; the colour roles have none (term.c). */
	static const char *const layouts[] = { "standard", "compact", "wide" };
	static const int sizes[][2] = { { 80, 24 }, { 160, 48 }, { 220, 60 } };
	for (int n = 1; n <= 12; n++)
		for (int c = 0; c < 3; c++)
			ev_response(n * 0.5, n, c, 100);
	view.selected = 0; /* a selected header is reversed, its plot is not */
	for (size_t l = 0; l < 3; l++)
		for (size_t z = 0; z < 3; z++) {
			char err[300];
			ck_assert_int_eq(lsr_layout_load(&layout, layouts[l], err, sizeof err), 0);
			ck_assert_int_eq(lsr_screen_resize(&scr, sizes[z][0], sizes[z][1], true), 0);
			frame();
			for (int i = 0; i < layout.npanes; i++) {
				if (layout.panes[i].type != LSR_PANE_SWEEPS)
					continue;
				struct lsr_rect r = scr.rects[i];
				int plotted = 0;
				for (int y = r.y; y < r.y + r.h; y++) {
					char buf[4 * 320];
					lsr_canvas_row(&scr.canvas, y, buf, sizeof buf);
					const struct lsr_cell *first = &scr.canvas.cells[y * scr.canvas.w + r.x];
					if (first->ch >= '0' && first->ch <= '9')
						continue; /* a channel's header row */
					for (int x = r.x; x < r.x + r.w; x++) {
						const struct lsr_cell *cell = &scr.canvas.cells[y * scr.canvas.w + x];
						plotted += cell->ch >= 0x2800 && cell->ch <= 0x28FF;
						ck_assert_msg(!(cell->attr & LSR_A_REVERSE), "%s %dx%d: background at %d,%d",
						              layouts[l], sizes[z][0], sizes[z][1], x, y);
					}
				}
				ck_assert_int_gt(plotted, 0);
			}
		}
}
END_TEST

START_TEST(narrow_sweeps_say_percent)
{
	/* The wide layout's 4-column grid at 160 columns has no room for the
	 * numbers column: the header says the % (200 of 400 µV) instead. */
	char err[300];
	ck_assert_int_eq(lsr_layout_load(&layout, "wide", err, sizeof err), 0);
	ck_assert_int_eq(lsr_screen_resize(&scr, 160, 48, true), 0);
	ev_response(1, 1, 0, 100);
	struct lsr_event ev = { .type = LSR_EV_BASELINE, .t = 1 };
	ev.baseline.p2p_uv = 400;
	ev.baseline.trials = 10;
	lsr_model_event(model, &ev);
	HAS("50% 8.1ms");
}
END_TEST

START_TEST(mark_glyphs_differ)
{
	/* o then d: Dura open and Decompression get their own glyphs. */
	for (int n = 1; n <= 200; n++)
		ev_response(n, n, 0, 100);
	ev_mark(50, 1, "Dura open");
	ev_mark(150, 2, "Decompression");
	frame();
	struct lsr_rect r = scr.rects[2]; /* trend */
	int o = -1, d = -1;
	for (int x = r.x; x < r.x + r.w; x++) {
		uint32_t ch = scr.canvas.cells[(r.y + 1) * scr.canvas.w + x].ch;
		o = ch == 'O' ? x : o;
		d = ch == 'D' ? x : d;
	}
	ck_assert_int_ge(o, 0);
	ck_assert_int_gt(d, o);
	HAS("#1 O Dura open");
	HAS("#2 D Decompression");
	view.help = true;
	HAS("O Dura open  D Decompression");
}
END_TEST

START_TEST(rebaselining_banner)
{
	struct lsr_event ev = { .type = LSR_EV_BASELINE, .t = 10 };
	ev.baseline.p2p_uv = 300;
	ev.baseline.trials = 10;
	for (int c = 0; c < 3; c++) {
		ev.baseline.ch = c;
		lsr_model_event(model, &ev);
	}
	ev_state(11, LSR_STATE_PRESENT, 10, false, false, true);
	ck_assert_ptr_null(strstr(frame(), "RE-BASELINING"));
	ev_mark(20, 1, "Baseline"); /* b with every baseline confirmed */
	HAS("RE-BASELINING");
	HAS("LSR PRESENT");
	for (int c = 0; c < 3; c++) {
		ev.baseline.ch = c;
		ev.t = 31;
		lsr_model_event(model, &ev);
	}
	ck_assert_ptr_null(strstr(frame(), "RE-BASELINING"));
	/* b on a provisional baseline confirms it: no new one is taken. */
	ev.baseline.provisional = true;
	lsr_model_event(model, &ev);
	ev_mark(40, 2, "Baseline");
	ck_assert_ptr_null(strstr(frame(), "RE-BASELINING"));
}
END_TEST

START_TEST(banner_detail_and_alarm)
{
	ev_response(90, 1, 0, 100);
	ev_state(100, LSR_STATE_PRESENT, 90, false, false, true);
	HAS("since +00:01:30 \u00b7 before decompression \u00b7 last valid trial 110 s ago");
	ev_mark(150, 1, "Decompression");
	HAS("\u00b7 after decompression \u00b7"); /* 80 columns: without the mark */
	ck_assert_int_eq(lsr_screen_resize(&scr, 160, 48, true), 0);
	HAS("after decompression (#1 +00:02:30)");
	/* A lost link is alarmed under the headline until it comes back. */
	struct lsr_event ev = { .type = LSR_EV_LINK, .t = 160 };
	ev.link.status = LSR_LINK_DISCONNECTED;
	lsr_model_event(model, &ev);
	lsr_alarm_step(&model->alarm, lsr_model_alarms(model, false), 160);
	HAS("ALARM: LINK LOST");
	HAS("(k silences)");
	lsr_alarm_ack(&model->alarm);
	HAS("(acknowledged)");
	ev.link.status = LSR_LINK_CONNECTED;
	lsr_model_event(model, &ev);
	lsr_alarm_step(&model->alarm, lsr_model_alarms(model, false), 161);
	ck_assert_ptr_null(strstr(frame(), "ALARM:"));
}
END_TEST

START_TEST(big_figures_beside_wide_sweeps)
{
	/* 160 columns: channel 0 at 200 of its 400 uV baseline reads "50%"
	 * in figures three rows tall (half blocks, 3x5 dots a glyph), the
	 * latency under it; in ASCII, or at 80 columns, the plain "50%". */
	ck_assert_int_eq(lsr_screen_resize(&scr, 160, 48, true), 0);
	ev_response(1, 1, 0, 100);
	struct lsr_event ev = { .type = LSR_EV_BASELINE, .t = 1 };
	ev.baseline.p2p_uv = 400;
	ev.baseline.trials = 10;
	lsr_model_event(model, &ev);
	frame();
	int y = row_with("\u2588\u2580\u2580 \u2588\u2580\u2588 \u2580 \u2588");
	ck_assert_int_ge(y, 0);
	ck_assert_int_eq(row_with("\u2580\u2580\u2588 \u2588 \u2588 \u2584\u2580"), y + 1);
	ck_assert_int_eq(row_with("\u2580\u2580\u2580 \u2580\u2580\u2580 \u2580 \u2580"), y + 2);
	char row[4 * 320];
	lsr_canvas_row(&scr.canvas, y + 3, row, sizeof row);
	ck_assert_msg(strstr(row, " 8.1ms"), "no latency under the figures: %s", row);
	ck_assert_int_eq(lsr_screen_resize(&scr, 160, 48, false), 0);
	HAS(" 50%");
	ck_assert_int_eq(lsr_screen_resize(&scr, 80, 24, true), 0);
	HAS(" 50%");
	ck_assert_int_lt(row_with("\u2588\u2580\u2580 \u2588\u2580\u2588"), 0);
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
	tcase_add_test(tc, banner_evidence);
	tcase_add_test(tc, sweeps_and_log);
	tcase_add_test(tc, trace_peak_not_lost);
	tcase_add_test(tc, ascii_fallback);
	tcase_add_test(tc, big_figures_beside_wide_sweeps);
	tcase_add_test(tc, tab_minus_changes_one_gain);
	tcase_add_test(tc, no_background_in_traces);
	tcase_add_test(tc, judged_average_on_a);
	tcase_add_test(tc, log_entries_whole);
	tcase_add_test(tc, narrow_sweeps_say_percent);
	tcase_add_test(tc, mark_glyphs_differ);
	tcase_add_test(tc, rebaselining_banner);
	tcase_add_test(tc, banner_detail_and_alarm);
	tcase_add_test(tc, help_and_too_small);
	tcase_add_test(tc, click_selects_channel);
	tcase_add_test(tc, status_stimulation);
	tcase_add_test(tc, freerun_buckets_and_bursts);
	tcase_add_test(tc, freeze_keeps_sweeps_not_trend);
	tcase_add_test(tc, trend_bounded);
	suite_add_tcase(s, tc);
	return s;
}
