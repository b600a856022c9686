/* src/ui/ui.c — the screen facade the poll() loop drives: events and blocks
 * into the model, keys through the action table, frames at most ~30 per
 * second and only when something changed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "screen.h"
#include "term.h"
#include "text.h"
#include "ui.h"

#define FRAME_S (1.0 / 30)

struct lsr_ui {
	const struct lsr_layout *layout;
	struct lsr_ui_actions act;
	struct lsr_term *term;
	struct lsr_model *model;
	struct lsr_view view;
	struct lsr_screen screen;
	struct lsr_sink sink;
	struct lsr_ui_info info;
	/* Owned copies of the info strings. */
	char s_source[16], s_driver[32], s_port[200], s_stim[96], s_rec[200], s_msg[160];
	unsigned dirty;
	double last_frame;
	uint64_t frames;
};

/* The default log file: $XDG_STATE_HOME/lsrmon/lsrmon.log, else
 * ~/.local/state/lsrmon/lsrmon.log, else /tmp/lsrmon-<uid>.log. */
static void log_path(char *buf, size_t len)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char dir[400];
	if (state && *state)
		snprintf(dir, sizeof dir, "%.380s/lsrmon", state);
	else if (home && *home)
		snprintf(dir, sizeof dir, "%.360s/.local/state/lsrmon", home);
	else
		dir[0] = '\0';
	if (dir[0]) {
		/* mkdir -p of the last three levels is enough for XDG paths. */
		char tmp[400];
		snprintf(tmp, sizeof tmp, "%s", dir);
		for (char *p = tmp + 1; *p; p++)
			if (*p == '/') {
				*p = '\0';
				mkdir(tmp, 0700);
				*p = '/';
			}
		if (mkdir(tmp, 0700) == 0 || access(tmp, W_OK) == 0) {
			snprintf(buf, len, "%s/lsrmon.log", dir);
			return;
		}
	}
	snprintf(buf, len, "/tmp/lsrmon-%u.log", (unsigned)getuid());
}

static void on_event(void *ctx, const struct lsr_event *ev)
{
	struct lsr_ui *ui = ctx;
	lsr_model_event(ui->model, ev);
}

static void on_group_end(void *ctx) { (void)ctx; }

/* The sweeps pane draws the detector's average (LSR_AVERAGE_JUDGED), and
 * the view may switch to it at any key: always wanted. */
static bool wants_average(void *ctx)
{
	(void)ctx;
	return true;
}

static void view_defaults(struct lsr_view *v, const struct lsr_layout *l, const struct lsr_ui_opts *o)
{
	*v = (struct lsr_view){
		.selected = -1, .gain_uv = l->gain_uv, .control_gain_uv = l->control_gain_uv,
		.timebase_ms = l->timebase_ms, .average = l->average, .stack = l->stack,
		.stacked = l->stacked, .replay = o->replay, .recording = o->recording,
	};
}

static int resize(struct lsr_ui *ui)
{
	int w, h;
	lsr_term_size(ui->term, &w, &h);
	ui->dirty = LSR_DIRTY_ALL;
	return lsr_screen_resize(&ui->screen, w, h, lsr_term_utf8(ui->term));
}

int lsr_ui_check_terminal(char *err, size_t errlen)
{
	return lsr_term_check(err, errlen);
}

struct lsr_ui *lsr_ui_new(const struct lsr_ui_opts *opts, const struct lsr_ui_actions *actions,
                          char *err, size_t errlen)
{
	struct lsr_ui *ui = calloc(1, sizeof *ui);
	if (!ui || !(ui->model = lsr_model_new())) {
		free(ui);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ui->layout = opts->layout;
	if (actions)
		ui->act = *actions;
	view_defaults(&ui->view, opts->layout, opts);
	ui->screen.layout = opts->layout;
	ui->sink = (struct lsr_sink){ ui, on_event, on_group_end, wants_average };
	ui->last_frame = -1;
	char log[512];
	if (opts->log_path)
		snprintf(log, sizeof log, "%s", opts->log_path);
	else
		log_path(log, sizeof log);
	ui->term = lsr_term_open(opts->layout->fg, opts->no_color, log, err, errlen);
	if (!ui->term) {
		lsr_model_free(ui->model);
		free(ui);
		return NULL;
	}
	if (resize(ui) < 0) {
		lsr_ui_free(ui);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return ui;
}

const struct lsr_sink *lsr_ui_sink(struct lsr_ui *ui) { return &ui->sink; }

void lsr_ui_config(struct lsr_ui *ui, const struct lsr_stream_config *cfg, const enum lsr_role *roles)
{
	bool was_sim = ui->model->simulation;
	lsr_model_config(ui->model, cfg, roles);
	if (ui->model->simulation != was_sim)
		ui->dirty = LSR_DIRTY_ALL; /* the SIMULATION tag comes or goes */
	if (ui->view.selected >= ui->model->nch)
		ui->view.selected = -1;
}

void lsr_ui_block(struct lsr_ui *ui, int64_t index, const struct lsr_block *blk)
{
	lsr_model_block(ui->model, index, blk);
}

/* The info's texts are the caller's: the screen keeps its own copy. */
static void keep(char *dst, size_t len, const char **field, const char *src)
{
	if (!src) {
		*field = NULL;
		return;
	}
	lsr_text_copy(dst, len, src);
	*field = dst;
}

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The alarm's clock is the session's (stream time under --pause-at, so
 * a test hears the same bells on every run); the bell rings at most once
 * a turn, never while a seek recomputes the case, not at all with
 * alarm_bell=off. */
static void sound(struct lsr_ui *ui)
{
	struct lsr_model *m = ui->model;
	unsigned before = m->alarm.active;
	double clock = ui->info.frozen_clock ? ui->info.stream_t : ui->info.elapsed_s;
	int rings = lsr_alarm_step(&m->alarm, lsr_model_alarms(m, ui->info.record_fault), clock);
	if (rings && m->alarm_bell && !ui->info.quiet)
		lsr_term_bell(ui->term);
	if (m->alarm.active != before)
		ui->dirty |= LSR_DIRTY_BANNER;
}

void lsr_ui_set_info(struct lsr_ui *ui, const struct lsr_ui_info *in)
{
	struct lsr_ui_info *o = &ui->info;
	/* Only a change makes a frame: an idle source costs nothing. */
	bool status = memcmp(&o->stats, &in->stats, sizeof in->stats) || o->rate != in->rate ||
	    o->channels != in->channels || o->link_known != in->link_known || o->link != in->link ||
	    o->stims != in->stims || o->stim_rate_hz != in->stim_rate_hz || o->recording != in->recording ||
	    o->record_bytes != in->record_bytes || o->replay != in->replay || o->paused != in->paused ||
	    o->replay_len_s != in->replay_len_s || o->speed != in->speed || o->frozen_clock != in->frozen_clock ||
	    floor(o->elapsed_s) != floor(in->elapsed_s) || floor(o->stream_t) != floor(in->stream_t) ||
	    !same_text(o->source, in->source) || !same_text(o->driver, in->driver) ||
	    !same_text(o->port, in->port) || !same_text(o->stim_settings, in->stim_settings) ||
	    !same_text(o->record_path, in->record_path) || !same_text(o->message, in->message);
	/* Banner ("… s AGO") and trend's time axis follow stream seconds. */
	bool clock = floor(o->stream_t) != floor(in->stream_t) || o->epoch_at_t0 != in->epoch_at_t0;
	*o = *in;
	ui->model->now_t = in->stream_t;
	keep(ui->s_source, sizeof ui->s_source, &o->source, in->source);
	keep(ui->s_driver, sizeof ui->s_driver, &o->driver, in->driver);
	keep(ui->s_port, sizeof ui->s_port, &o->port, in->port);
	keep(ui->s_stim, sizeof ui->s_stim, &o->stim_settings, in->stim_settings);
	keep(ui->s_rec, sizeof ui->s_rec, &o->record_path, in->record_path);
	keep(ui->s_msg, sizeof ui->s_msg, &o->message, in->message);
	if (status)
		ui->dirty |= LSR_DIRTY_STATUS;
	if (clock)
		ui->dirty |= LSR_DIRTY_BANNER | LSR_DIRTY_TREND | LSR_DIRTY_LOG;
	sound(ui);
}

void lsr_ui_message(struct lsr_ui *ui, const char *text)
{
	if (!ui)
		return;
	snprintf(ui->view.message, sizeof ui->view.message, "%s", text);
	ui->dirty |= LSR_DIRTY_STATUS;
}

int lsr_ui_fd(const struct lsr_ui *ui)
{
	(void)ui;
	return STDIN_FILENO;
}

bool lsr_ui_input_pending(const struct lsr_ui *ui)
{
	(void)ui;
	return lsr_term_resize_pending();
}

void lsr_ui_input(struct lsr_ui *ui)
{
	struct lsr_keys_ctx k = { &ui->view, ui->model, &ui->act };
	int x = 0, y = 0, key;
	while ((key = lsr_term_key(ui->term, &x, &y)) != LSR_TERM_NONE) {
		if (key == LSR_TERM_RESIZE) {
			resize(ui);
		} else if (key == LSR_TERM_CLICK) {
			int ch = lsr_screen_channel_at(&ui->screen, ui->model, x, y);
			if (ch >= 0) {
				ui->view.selected = ch;
				ui->dirty = LSR_DIRTY_ALL;
			}
		} else {
			unsigned r = lsr_keys_handle(&k, key);
			if (r & LSR_K_REDRAW)
				ui->dirty = LSR_DIRTY_ALL;
			if (r & LSR_K_QUIT)
				return;
		}
	}
}

int lsr_ui_render(struct lsr_ui *ui, double now)
{
	unsigned dirty = ui->dirty | ui->model->dirty;
	if (!dirty)
		return -1;
	double wait = ui->last_frame + FRAME_S - now;
	if (ui->last_frame >= 0 && wait > 0)
		return (int)ceil(wait * 1000);
	lsr_screen_draw(&ui->screen, dirty, ui->model, &ui->view, &ui->info);
	if (ui->view.help || ui->screen.too_small) {
		lsr_term_blit(ui->term, &ui->screen.canvas, (struct lsr_rect){ 0, 0, ui->screen.w, ui->screen.h });
	} else {
		for (int i = 0; i < ui->screen.ndrawn; i++)
			lsr_term_blit(ui->term, &ui->screen.canvas, ui->screen.drawn[i]);
	}
	lsr_term_flush(ui->term);
	ui->dirty = 0;
	ui->model->dirty = 0;
	ui->last_frame = now;
	ui->frames++;
	return -1;
}

uint64_t lsr_ui_frames(const struct lsr_ui *ui) { return ui->frames; }

void lsr_ui_free(struct lsr_ui *ui)
{
	if (!ui)
		return;
	lsr_term_close(ui->term);
	lsr_screen_free(&ui->screen);
	lsr_model_free(ui->model);
	free(ui);
}

int lsr_ui_restart(struct lsr_ui *ui)
{
	struct lsr_model *m = lsr_model_new();
	if (!m)
		return -1;
	lsr_model_free(ui->model);
	ui->model = m;
	ui->dirty = LSR_DIRTY_ALL;
	return 0;
}
