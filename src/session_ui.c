/* src/session_ui.c — glue between the session and the screen: the layout
 * and its settings, what keys do (marks go through the detector so every
 * sink sees them), and the status facts handed to the screen. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "judge.h"
#include "layout.h"
#include "session_priv.h"
#include "session_ui.h"
#include "ui.h"

static void act_mark(void *ctx, const char *label)
{
	lsr_session_mark_now(ctx, label, LSR_ORIGIN_KEY);
}

static void act_role(void *ctx, int ch, enum lsr_role role)
{
	struct lsr_session *s = ctx;
	if (ch < 0 || ch >= s->cfg.channels || !s->det)
		return;
	s->roles[ch] = role;
	s->chinfo[ch].role = role;
	lsr_detector_set_role(s->det, ch, role);
	if (s->rec) {
		/* Not a "montage" note: a replay applies those from the start,
		 * and the change holds only from now on. */
		char text[64];
		snprintf(text, sizeof text, "lsrmon: role change %d %s", ch, lsr_role_name(role));
		lsr_recorder_annotate(s->rec, (double)s->stream_next / (s->cfg.rate > 0 ? s->cfg.rate : 1), text);
	}
}

static void act_pause(void *ctx)
{
	struct lsr_session *s = ctx;
	s->paused = !s->paused;
	s->at_seek_target = false;
	lsr_session_apply_pace(s);
	lsr_ui_message(s->ui, s->paused ? "Paused (p resumes)" : "Playing");
}

/* < and >: 0.25 … 64 in powers of two, then as fast as possible. */
static void act_speed(void *ctx, int dir)
{
	struct lsr_session *s = ctx;
	static const double steps[] = { 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 0 };
	int n = (int)(sizeof steps / sizeof steps[0]), i = 0;
	while (i < n - 1 && steps[i] != s->speed && !(s->speed > 0 && steps[i] > s->speed))
		i++;
	i += dir;
	i = i < 0 ? 0 : i >= n ? n - 1 : i;
	s->speed = steps[i];
	lsr_session_apply_pace(s);
	char msg[48];
	if (s->speed > 0)
		snprintf(msg, sizeof msg, "Speed x%g", s->speed);
	else
		snprintf(msg, sizeof msg, "Speed: as fast as possible");
	lsr_ui_message(s->ui, msg);
}

/* R: <base>-<date>-<time>.pdf/.txt, base the --report stem or
 * lsrmon-report beside the recording (else here); never overwrites, so the
 * report written at the end under the plain stem is not disturbed. */
static void act_report(void *ctx)
{
	struct lsr_session *s = ctx;
	char stem[300], err[256], when[32];
	time_t now = (time_t)lsr_clock_wall(); /* when it is written, not the case's time */
	struct tm tm;
	if (!s->report || !localtime_r(&now, &tm) ||
	    strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm) == 0)
		return;
	const char *rec = s->opt->record;
	const char *slash = rec ? strrchr(rec, '/') : NULL;
	if (s->opt->report)
		snprintf(stem, sizeof stem, "%s-%s", s->opt->report, when);
	else
		snprintf(stem, sizeof stem, "%.*slsrmon-report-%s", slash ? (int)(slash - rec + 1) : 0,
		         slash ? rec : "", when);
	if (lsr_report_write(s->report, stem, false, err, sizeof err) == 0)
		snprintf(s->ui_note, sizeof s->ui_note, "Report written: %s.pdf, .txt", stem);
	else
		snprintf(s->ui_note, sizeof s->ui_note, "Report not written: %s", err);
	s->ui_note_until = lsr_clock_mono() + 10;
	/* In place of the key's own "Writing the report..." feedback. */
	lsr_ui_message(s->ui, s->ui_note);
}

static void act_quit(void *ctx)
{
	((struct lsr_session *)ctx)->stop = true;
}

int lsr_session_layout(struct lsr_session *s, char *err, size_t errlen)
{
	const char *name = s->opt->layout;
	int rc = lsr_layout_load(&s->layout, name ? name : "standard", err, errlen);
	if (rc < 0 && !name && strstr(err, "no layout")) {
		/* No standard.ini installed: the built-in copy of it. */
		lsr_layout_defaults(&s->layout);
		rc = 0;
	}
	if (rc < 0)
		return -1;
	return lsr_layout_apply_params(&s->layout, &s->params, err, errlen);
}

int lsr_session_ui_check(char *err, size_t errlen)
{
	return lsr_ui_check_terminal(err, errlen);
}

int lsr_session_ui_open(struct lsr_session *s, char *err, size_t errlen)
{
	const char *nc = getenv("NO_COLOR");
	struct lsr_ui_opts uo = { &s->layout, nc && *nc, s->opt->replay != NULL, s->opt->record != NULL, NULL };
	struct lsr_ui_actions act = { s, act_mark, act_role, act_report, act_quit, act_pause,
	                              lsr_session_seek, lsr_session_seek_event, act_speed };
	s->ui = lsr_ui_new(&uo, &act, err, errlen);
	if (!s->ui)
		return -1;
	if (lsr_bus_add_internal(&s->bus, lsr_ui_sink(s->ui)) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->mono_start = lsr_clock_mono();
	return 0;
}

void lsr_session_ui_config(struct lsr_session *s)
{
	if (s->ui)
		lsr_ui_config(s->ui, &s->cfg, s->roles);
}

void lsr_session_ui_restart(struct lsr_session *s)
{
	if (s->ui && lsr_ui_restart(s->ui) < 0)
		snprintf(s->ui_note, sizeof s->ui_note, "Out of memory: the screen keeps the old case");
}

void lsr_session_ui_block(struct lsr_session *s, int64_t index, const struct lsr_block *blk)
{
	if (s->ui)
		lsr_ui_block(s->ui, index, blk);
}

static void fill_info(struct lsr_session *s, struct lsr_ui_info *in)
{
	memset(in, 0, sizeof *in);
	in->source = s->src->ops->kind;
	in->driver = s->src->ops->driver_name(s->src->st);
	in->port = s->opt->port ? s->opt->port : s->opt->replay;
	in->rate = s->cfg.rate;
	in->channels = s->cfg.channels;
	s->src->ops->stats(s->src->st, &in->stats);
	if (s->det) {
		struct lsr_judge_view v;
		lsr_detector_view(s->det, &v);
		in->stims = v.stims;
		in->unconfirmed = v.unconfirmed;
		in->direct_ratio = v.direct_ratio;
	}
	in->recording = s->opt->record != NULL;
	in->record_path = s->opt->record;
	if (s->rec) { /* the file being written (segments), its size, a fault */
		lsr_recorder_status(s->rec, &s->rec_status);
		in->record_path = s->rec_status.path;
		in->record_bytes = s->rec_status.bytes;
	}
	in->stream_t = s->cfg.rate > 0 ? (double)s->stream_next / s->cfg.rate : 0;
	/* --pause-at: the screen is a function of the stream alone. */
	in->frozen_clock = s->opt->pause_at >= 0;
	in->elapsed_s = lsr_clock_mono() - s->mono_start;
	/* Times of day only while the stream keeps the wall clock's pace,
	 * live or simulated; a replay shows stream time, whatever its speed. */
	if (s->speed == 1.0 && !in->frozen_clock && !s->opt->replay && s->have_origin)
		in->epoch_at_t0 = s->wall_origin;
	in->speed = s->speed;
	in->replay = s->opt->replay != NULL;
	if (s->src->ops->position) { /* position (stream_t) against the recording's length */
		double pos;
		s->src->ops->position(s->src->st, &pos, &in->replay_len_s);
	}
	in->mains_hz = s->det ? s->measured.mains_hz : NAN;
	in->nhum = s->det ? s->measured.nch : 0;
	for (int c = 0; c < in->nhum; c++)
		in->hum_uv[c] = s->measured.hum_uv[c];
	in->paused = s->paused || s->held;
	in->record_fault = s->rec && s->rec_status.failed;
	in->quiet = s->catching_up;
	if (s->rec && s->rec_status.failed)
		in->message = s->rec_status.error;
	else if (s->held)
		in->message = "Held at --pause-at (q quits)";
	else if (s->source_ended)
		in->message = "Source ended (q quits)";
	else if (s->ui_note[0] && lsr_clock_mono() < s->ui_note_until)
		in->message = s->ui_note;
	else if (s->osc && lsr_osc_failing(s->osc)) {
		lsr_osc_status(s->osc, s->osc_note, sizeof s->osc_note);
		in->message = s->osc_note;
	}
}

int lsr_session_ui_poll(struct lsr_session *s, struct pollfd *pfd, int *n, int *timeout)
{
	if (!s->ui)
		return -1;
	struct lsr_ui_info in;
	fill_info(s, &in);
	lsr_ui_set_info(s->ui, &in);
	int w = lsr_ui_render(s->ui, lsr_clock_mono());
	/* While running live the elapsed clock ticks once a second. */
	if (!in.frozen_clock && !s->held && !s->source_ended) {
		int tick = 1000 - (int)((in.elapsed_s - (long)in.elapsed_s) * 1000);
		w = w < 0 || tick < w ? tick : w;
	}
	if (lsr_ui_input_pending(s->ui))
		w = 0;
	if (w >= 0 && (*timeout < 0 || w < *timeout))
		*timeout = w;
	int slot = *n;
	pfd[(*n)++] = (struct pollfd){ lsr_ui_fd(s->ui), POLLIN, 0 };
	return slot;
}

void lsr_session_ui_turn(struct lsr_session *s, bool readable)
{
	if (!s->ui)
		return;
	if (readable || lsr_ui_input_pending(s->ui))
		lsr_ui_input(s->ui);
}

/* LSRMON_UI_STATS=FILE: at exit, the frames drawn and the seconds the
 * screen was up, for the benchmarks (tests/bench/README.md).  Written after
 * the terminal is restored; a failure is only reported, never changes the
 * exit status. */
static void write_ui_stats(uint64_t frames, double seconds)
{
	const char *path = getenv("LSRMON_UI_STATS");
	if (!path || !*path)
		return;
	FILE *f = fopen(path, "w");
	bool bad = !f;
	if (f) {
		bad = fprintf(f, "frames %llu\nseconds %.3f\n", (unsigned long long)frames,
		              seconds) < 0;
		bad = fclose(f) != 0 || bad;
	}
	if (bad)
		fprintf(stderr, "lsrmon: cannot write LSRMON_UI_STATS file %s\n", path);
}

void lsr_session_ui_close(struct lsr_session *s)
{
	if (!s->ui)
		return;
	uint64_t frames = lsr_ui_frames(s->ui);
	double seconds = lsr_clock_mono() - s->mono_start;
	lsr_ui_free(s->ui);
	s->ui = NULL;
	write_ui_stats(frames, seconds);
}
