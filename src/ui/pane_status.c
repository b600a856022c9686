/* src/ui/pane_status.c — the status line (source, rate, stimuli, counters,
 * link, recording, clock or replay position), the prompt when one is
 * open, the key help overlay and the "terminal too small" screen. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "panes.h"

static void hms(double s, char *buf, size_t len)
{
	long x = s > 0 ? (long)floor(s) : 0;
	snprintf(buf, len, "%02ld:%02ld:%02ld", x / 3600 % 100, x / 60 % 60, x % 60);
}

/* The facts: the driver when it is not the source's name, and only the
 * damage counters that are not zero (a clean stream says "clean").  Brief
 * (beside a message on a narrow line): without the stimulation rate and
 * settings, and without "clean". */
static void facts(const struct lsr_pane_ctx *p, bool brief, char *out, size_t len)
{
	const struct lsr_ui_info *in = p->info;
	const struct lsr_model *m = p->m;
	size_t n = 0;
#define ADD(...) do { if (n < len) n += (size_t)snprintf(out + n, len - n, __VA_ARGS__); } while (0)
	ADD("%s", in->source ? in->source : "-");
	if (in->driver && (!in->source || strcmp(in->driver, in->source)))
		ADD(" %s", in->driver);
	if (in->port)
		ADD(" %s", in->port);
	ADD(" %dHz %dch", in->rate ? in->rate : m->rate, in->channels ? in->channels : m->nch);
	ADD(" | stim %d", in->stims ? in->stims : m->stims);
	double rate = in->stim_rate_hz > 0 ? in->stim_rate_hz : m->stim_rate_hz;
	if (rate > 0 && !brief)
		ADD(" @%.1fHz", rate);
	/* Brief: the stimulation settings are in the report and the recording. */
	if (!brief && in->stim_settings)
		ADD(" %s", in->stim_settings);
	else if (!brief && m->stim_settings[0])
		ADD(" %s", m->stim_settings);
	if (m->intensity[0])
		ADD(" %s", m->intensity);
	if (in->link_known)
		ADD(" | link %s", lsr_link_name(in->link));
	const struct lsr_driver_stats *s = &in->stats;
	if (s->crc_errors || s->dropped || s->lost_samples) {
		ADD(" |");
		if (s->crc_errors)
			ADD(" crc %llu", (unsigned long long)s->crc_errors);
		if (s->dropped)
			ADD(" drop %llu", (unsigned long long)s->dropped);
		if (s->lost_samples)
			ADD(" lost %llu", (unsigned long long)s->lost_samples);
	} else if (s->frames && !brief) {
		ADD(" | clean");
	}
	/* The hum removed, µV RMS per channel, once some was found. */
	if (!brief && isfinite(in->mains_hz) && in->nhum > 0) {
		ADD(" | hum %.0fHz", in->mains_hz);
		for (int c = 0; c < in->nhum; c++)
			ADD(isfinite(in->hum_uv[c]) ? "%s%.0f" : "%s-", c ? "/" : " ", in->hum_uv[c]);
		ADD("uV");
	}
	if (in->recording && in->record_path)
		ADD(" | REC %s %.1fMB", in->record_path, in->record_bytes / 1e6);
	char a[16], b[16];
	if (in->replay) {
		hms(in->stream_t, a, sizeof a);
		ADD(" | replay %s", a);
		if (in->replay_len_s > 0) {
			hms(in->replay_len_s, b, sizeof b);
			ADD("/%s", b);
		}
		if (in->speed > 0)
			ADD(" x%g", in->speed);
		else
			ADD(" max");
		if (in->paused)
			ADD(" PAUSED");
	} else if (in->frozen_clock) {
		hms(in->stream_t, a, sizeof a);
		ADD(" | t %s", a);
	} else {
		hms(in->elapsed_s, a, sizeof a);
		ADD(" | %s", a);
	}
	if (p->v->frozen)
		ADD(" | FROZEN");
#undef ADD
}

void lsr_pane_status(const struct lsr_pane_ctx *p, struct lsr_rect r)
{
	const struct lsr_view *v = p->v;
	if (v->prompt != LSR_PROMPT_NONE) {
		int n = lsr_canvas_text(p->c, r.x, r.y, r.w, lsr_keys_prompt_text(v), LSR_COLOR_SELECTED,
		                        LSR_A_BOLD | LSR_A_REVERSE);
		const char *what = v->prompt == LSR_PROMPT_CANCEL_CONFIRM ? v->message : v->input;
		lsr_canvas_text(p->c, r.x + n, r.y, r.w - n, what, LSR_COLOR_TEXT, LSR_A_BOLD);
		return;
	}
	char line[512];
	/* A message (key feedback, an error in words) takes the second line,
	 * or the end of the only one: then the facts are the brief ones. */
	const char *msg = v->message[0] ? v->message : p->info->message;
	facts(p, false, line, sizeof line);
	if (r.h == 1 && msg && *msg && (int)(strlen(line) + strlen(msg)) + 3 > r.w)
		facts(p, true, line, sizeof line);
	lsr_canvas_text(p->c, r.x, r.y, r.w, line, LSR_COLOR_TEXT, LSR_A_REVERSE);
	if (!msg || !*msg) {
		if (r.h > 1)
			lsr_canvas_text(p->c, r.x, r.y + 1, r.w, "? help", LSR_COLOR_TEXT, LSR_A_DIM);
		return;
	}
	int len = (int)strlen(msg) + 2;
	if (r.h > 1)
		lsr_canvas_text(p->c, r.x, r.y + 1, r.w, msg, LSR_COLOR_SELECTED, LSR_A_BOLD);
	else if (len < r.w)
		lsr_canvas_printf(p->c, r.x + r.w - len, r.y, len, LSR_COLOR_SELECTED, LSR_A_BOLD | LSR_A_REVERSE, " %s ", msg);
}

/* What the colours and marks mean, above the keys. */
static const struct { const char *what; int color, attr; } legend[] = {
	{ "Colours: bright = latest sweep, dim = earlier sweeps,", LSR_COLOR_TRACE, LSR_A_BOLD },
	{ "  baseline average, dotted edges = LSR/late or direct window,", LSR_COLOR_BASELINE, 0 },
	{ "  grid dots = divisions (gain, timebase), \u2514 = 1 division, \u25bc onset", LSR_COLOR_TEXT, 0 },
	{ "Marks: O Dura open  D Decompression  C Confirm  I Intensity", LSR_COLOR_MARK, LSR_A_BOLD },
	{ "  B Baseline  Z Closure  * custom  x cancel", LSR_COLOR_MARK, LSR_A_BOLD },
};
#define NLEGEND ((int)(sizeof legend / sizeof legend[0]))

void lsr_pane_help(const struct lsr_pane_ctx *p, struct lsr_rect s)
{
	int n = 0;
	for (int i = 0; i < lsr_keys_count(); i++)
		n += !lsr_keys_help(i)->replay_only || p->v->replay;
	/* Over everything but the status line, which keeps saying what holds. */
	int w = s.w < 76 ? s.w : 76, h = n + NLEGEND + 4 < s.h - 1 ? n + NLEGEND + 4 : s.h - 1;
	struct lsr_rect r = { s.x + (s.w - w) / 2, s.y + (s.h - 1 - h) / 2, w, h };
	lsr_canvas_fill(p->c, r, ' ', LSR_COLOR_TEXT, LSR_A_REVERSE);
	lsr_canvas_text(p->c, r.x + 2, r.y, w - 4, "Keys (any key closes this help)", LSR_COLOR_TEXT,
	                LSR_A_REVERSE | LSR_A_BOLD);
	int y = r.y + 1;
	for (int i = 0; i < NLEGEND && y < r.y + r.h - 1; i++, y++)
		lsr_canvas_text(p->c, r.x + 2, y, w - 4, legend[i].what, legend[i].color, LSR_A_REVERSE | legend[i].attr);
	y++;
	for (int i = 0; i < lsr_keys_count() && y < r.y + r.h - 1; i++) {
		const struct lsr_key_help *k = lsr_keys_help(i);
		if (k->replay_only && !p->v->replay)
			continue;
		lsr_canvas_text(p->c, r.x + 2, y, 12, k->keys, LSR_COLOR_TEXT, LSR_A_REVERSE | LSR_A_BOLD);
		lsr_canvas_text(p->c, r.x + 14, y, w - 16, k->what, LSR_COLOR_TEXT, LSR_A_REVERSE);
		y++;
	}
}

void lsr_pane_too_small(struct lsr_canvas *c, int w, int h)
{
	lsr_canvas_fill(c, (struct lsr_rect){ 0, 0, c->w, c->h }, ' ', LSR_COLOR_TEXT, 0);
	char msg[96];
	snprintf(msg, sizeof msg, "Terminal too small: %dx%d, need at least %dx%d", w, h, LSR_MIN_COLS, LSR_MIN_LINES);
	int n = (int)strlen(msg);
	lsr_canvas_text(c, n < c->w ? (c->w - n) / 2 : 0, c->h / 2, c->w, msg, LSR_COLOR_ALARM, LSR_A_BOLD);
}
