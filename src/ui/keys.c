/* src/ui/keys.c — the one key → action table (htop style: actions return
 * what to redraw or quit) and the prompts for intensity, custom marks,
 * cancelling a mark and quitting while recording. */
#include <ctype.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "number.h"
#include "layout.h"

typedef unsigned (*key_fn)(const struct lsr_keys_ctx *k, int key);

struct key_entry {
	int key, key2;
	struct lsr_key_help help;
	key_fn fn;
};

static void say(struct lsr_view *v, const char *text)
{
	snprintf(v->message, sizeof v->message, "%s", text);
}

static void mark(const struct lsr_keys_ctx *k, const char *label)
{
	if (k->act && k->act->mark)
		k->act->mark(k->act->ctx, label);
	snprintf(k->view->message, sizeof k->view->message, "Mark: %s", label);
}

static unsigned k_decompression(const struct lsr_keys_ctx *k, int key) { (void)key; mark(k, "Decompression"); return LSR_K_REDRAW; }
static unsigned k_dura(const struct lsr_keys_ctx *k, int key) { (void)key; mark(k, "Dura open"); return LSR_K_REDRAW; }
static unsigned k_confirm(const struct lsr_keys_ctx *k, int key) { (void)key; mark(k, "Confirm"); return LSR_K_REDRAW; }
static unsigned k_baseline(const struct lsr_keys_ctx *k, int key) { (void)key; mark(k, "Baseline"); return LSR_K_REDRAW; }

static unsigned open_prompt(const struct lsr_keys_ctx *k, enum lsr_prompt p)
{
	k->view->prompt = p;
	k->view->input[0] = '\0';
	k->view->message[0] = '\0';
	return LSR_K_REDRAW;
}

static unsigned k_intensity(const struct lsr_keys_ctx *k, int key) { (void)key; return open_prompt(k, LSR_PROMPT_INTENSITY); }
static unsigned k_custom(const struct lsr_keys_ctx *k, int key) { (void)key; return open_prompt(k, LSR_PROMPT_MARK); }

static unsigned k_cancel(const struct lsr_keys_ctx *k, int key)
{
	(void)key;
	const struct lsr_model_mark *last = k->model ? lsr_model_mark_last(k->model) : NULL;
	if (!last) {
		say(k->view, "No mark to cancel");
		return LSR_K_REDRAW;
	}
	open_prompt(k, LSR_PROMPT_CANCEL_ID);
	snprintf(k->view->input, sizeof k->view->input, "%d", last->id);
	return LSR_K_REDRAW;
}

static int nchannels(const struct lsr_keys_ctx *k)
{
	return k->model && k->model->nch > 0 ? k->model->nch : 1;
}

static unsigned k_role(const struct lsr_keys_ctx *k, int key)
{
	(void)key;
	int c = k->view->selected;
	if (!k->model || c >= k->model->nch)
		return LSR_K_NONE;
	if (c < 0) {
		say(k->view, "Select a channel first (Tab)");
		return LSR_K_REDRAW;
	}
	/* lsr → control → other → lsr */
	enum lsr_role r = (enum lsr_role)((k->model->ch[c].role + 1) % 3);
	k->model->ch[c].role = r;
	k->model->dirty |= LSR_DIRTY_ALL;
	if (k->act && k->act->set_role)
		k->act->set_role(k->act->ctx, c, r);
	snprintf(k->view->message, sizeof k->view->message, "Channel %d role: %s", c, lsr_role_name(r));
	lsr_model_logf(k->model, k->model->now_t, LSR_COLOR_TEXT, "Role ch%d %s: %s (key)", c, k->model->ch[c].label, lsr_role_name(r));
	return LSR_K_REDRAW;
}

/* Tab: 0, 1, … the last channel, then none (keys act on all). */
static unsigned k_select(const struct lsr_keys_ctx *k, int key)
{
	(void)key;
	int next = k->view->selected + 1;
	k->view->selected = next >= nchannels(k) ? -1 : next;
	if (k->view->selected < 0)
		say(k->view, "No channel selected: + - act on every channel");
	return LSR_K_REDRAW;
}

static unsigned k_freeze(const struct lsr_keys_ctx *k, int key)
{
	(void)key;
	k->view->frozen = !k->view->frozen;
	if (k->model)
		k->model->frozen = k->view->frozen;
	say(k->view, k->view->frozen ? "Display frozen (space resumes)" : "Display live");
	return LSR_K_REDRAW;
}

static const double gains[] = { 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000 };
static const double timebases[] = { 1, 2, 5, 10, 20 };

/* The gain and timebase steps (1-2-5): dir steps from the nearest to v. */
static double step(const double *t, int n, double v, int dir)
{
	int best = 0;
	for (int i = 1; i < n; i++)
		if (fabs(log(t[i] / v)) < fabs(log(t[best] / v)))
			best = i;
	best += dir;
	return t[best < 0 ? 0 : best >= n ? n - 1 : best];
}

double lsr_keys_gain_step(double uv, int dir) { return step(gains, 12, uv, dir); }
double lsr_keys_timebase_step(double ms, int dir) { return step(timebases, 5, ms, dir); }

double lsr_keys_gain(const struct lsr_view *v, const struct lsr_model *m, int ch)
{
	if (ch >= 0 && ch < LSR_MAX_CHANNELS && v->ch_gain[ch] > 0)
		return v->ch_gain[ch];
	bool control = m && ch >= 0 && ch < m->nch && m->ch[ch].role == LSR_ROLE_CONTROL;
	return control && v->control_gain_uv > 0 ? v->control_gain_uv : v->gain_uv;
}

/* + magnifies: fewer µV per division; the selected channel, or each. */
static unsigned k_gain(const struct lsr_keys_ctx *k, int key)
{
	struct lsr_view *v = k->view;
	int dir = key == '-' ? 1 : -1, n = nchannels(k), sel = v->selected;
	for (int c = 0; c < n; c++)
		if (sel < 0 || c == sel)
			v->ch_gain[c] = lsr_keys_gain_step(lsr_keys_gain(v, k->model, c), dir);
	if (sel >= 0 && sel < n)
		snprintf(v->message, sizeof v->message, "Gain ch%d %g uV/div", sel, v->ch_gain[sel]);
	else
		snprintf(v->message, sizeof v->message, "Gain %g uV/div, every channel", v->ch_gain[0]);
	return LSR_K_REDRAW;
}

/* =: each channel with a baseline at the step nearest a third of its
 * baseline peak to peak, so its response spans about three divisions. */
static unsigned k_autogain(const struct lsr_keys_ctx *k, int key)
{
	(void)key;
	struct lsr_view *v = k->view;
	int n = nchannels(k), done = 0;
	size_t o = (size_t)snprintf(v->message, sizeof v->message, "Automatic gain:");
	for (int c = 0; c < n && k->model; c++) {
		const struct lsr_model_channel *mc = &k->model->ch[c];
		if (!mc->has_baseline || !(mc->base_p2p > 0))
			continue;
		v->ch_gain[c] = lsr_keys_gain_step(mc->base_p2p / 3, 0);
		done++;
		if (o < sizeof v->message)
			o += (size_t)snprintf(v->message + o, sizeof v->message - o, " ch%d %g", c, v->ch_gain[c]);
	}
	if (!done)
		say(v, "Automatic gain needs a baseline");
	else if (o < sizeof v->message)
		snprintf(v->message + o, sizeof v->message - o, " uV/div");
	return LSR_K_REDRAW;
}

static unsigned k_ack(const struct lsr_keys_ctx *k, int key)
{
	(void)key;
	if (!k->model || !(k->model->alarm.active & ~k->model->alarm.acked)) {
		say(k->view, "No alarm to acknowledge");
		return LSR_K_REDRAW;
	}
	lsr_alarm_ack(&k->model->alarm);
	k->model->dirty |= LSR_DIRTY_BANNER;
	say(k->view, "Alarm acknowledged: silent while it holds");
	return LSR_K_REDRAW;
}

static unsigned k_timebase(const struct lsr_keys_ctx *k, int key)
{
	k->view->timebase_ms = step(timebases, 5, k->view->timebase_ms, key == '[' ? -1 : 1);
	snprintf(k->view->message, sizeof k->view->message, "Timebase %g ms/div", k->view->timebase_ms);
	return LSR_K_REDRAW;
}

static unsigned k_average(const struct lsr_keys_ctx *k, int key)
{
	(void)key;
	/* 1, 2, 3, 4 sweeps, then the detector's own average, then 1 again */
	k->view->average = k->view->average % LSR_AVERAGE_JUDGED + 1;
	if (k->view->average == LSR_AVERAGE_JUDGED)
		say(k->view, "Display: the average the detector judged (avg k=trials)");
	else
		snprintf(k->view->message, sizeof k->view->message, "Display averaging: %d", k->view->average);
	return LSR_K_REDRAW;
}

static unsigned k_stack(const struct lsr_keys_ctx *k, int key)
{
	(void)key;
	k->view->stacked = !k->view->stacked;
	say(k->view, k->view->stacked ? "Sweeps stacked" : "Sweeps overlaid");
	return LSR_K_REDRAW;
}

static unsigned k_report(const struct lsr_keys_ctx *k, int key)
{
	(void)key;
	say(k->view, "Writing the report...");
	if (k->act && k->act->report)
		k->act->report(k->act->ctx); /* may replace the message with the outcome */
	return LSR_K_REDRAW;
}

static unsigned k_help(const struct lsr_keys_ctx *k, int key)
{
	(void)key;
	k->view->help = !k->view->help;
	return LSR_K_REDRAW;
}

static unsigned do_quit(const struct lsr_keys_ctx *k)
{
	if (k->act && k->act->quit)
		k->act->quit(k->act->ctx);
	return LSR_K_QUIT;
}

static unsigned k_quit(const struct lsr_keys_ctx *k, int key)
{
	(void)key;
	if (k->view->recording)
		return open_prompt(k, LSR_PROMPT_QUIT);
	return do_quit(k);
}

static unsigned k_scroll(const struct lsr_keys_ctx *k, int key)
{
	int max = k->model ? k->model->nlog - 1 : 0;
	k->view->log_scroll += key == LSR_KEY_PGUP ? -5 : 5;
	if (k->view->log_scroll > max)
		k->view->log_scroll = max;
	if (k->view->log_scroll < 0)
		k->view->log_scroll = 0;
	if (k->model)
		k->model->dirty |= LSR_DIRTY_LOG;
	return LSR_K_REDRAW;
}

static unsigned k_pause(const struct lsr_keys_ctx *k, int key)
{
	(void)key;
	if (k->act && k->act->pause)
		k->act->pause(k->act->ctx);
	return LSR_K_REDRAW;
}

static unsigned k_seek(const struct lsr_keys_ctx *k, int key)
{
	double d = key == LSR_KEY_LEFT ? -10 : key == LSR_KEY_RIGHT ? 10 : key == LSR_KEY_DOWN ? -60 : 60;
	if (k->act && k->act->seek)
		k->act->seek(k->act->ctx, d);
	else
		say(k->view, "Seeking is not available for this source");
	return LSR_K_REDRAW;
}

static unsigned k_seek_event(const struct lsr_keys_ctx *k, int key)
{
	if (k->act && k->act->seek_event)
		k->act->seek_event(k->act->ctx, key == 'n' ? 1 : -1);
	else
		say(k->view, "Seeking is not available for this source");
	return LSR_K_REDRAW;
}

static unsigned k_speed(const struct lsr_keys_ctx *k, int key)
{
	if (k->act && k->act->speed)
		k->act->speed(k->act->ctx, key == '>' ? 1 : -1);
	return LSR_K_REDRAW;
}

#define E(k1, k2, keys, what, replay, fn) { k1, k2, { keys, what, replay }, fn }
static const struct key_entry table[] = {
	E('d', 0, "d", "mark Decompression", false, k_decompression),
	E('o', 0, "o", "mark Dura open", false, k_dura),
	E('c', 0, "c", "mark Confirm (intensity raised to confirm a loss)", false, k_confirm),
	E('i', 0, "i", "mark Intensity: asks for the mA", false, k_intensity),
	E('m', 0, "m", "custom mark: asks for the label", false, k_custom),
	E('u', 0, "u", "cancel a mark: choose its id, confirm", false, k_cancel),
	E('b', 0, "b", "baseline: confirm provisional / take a new one", false, k_baseline),
	E('r', 0, "r", "role of the selected channel: lsr, control, other", false, k_role),
	E(LSR_KEY_TAB, 0, "Tab", "select the next channel, then none (or click one)", false, k_select),
	E(' ', 0, "Space", "freeze / unfreeze the traces", false, k_freeze),
	E('+', '-', "+ -", "gain of the selected channel (all if none): fewer / more uV/div", false, k_gain),
	E('=', 0, "=", "automatic gain: each channel from its baseline", false, k_autogain),
	E('k', 0, "k", "acknowledge the alarm: the bell stops, the alarm stays shown", false, k_ack),
	E('[', ']', "[ ]", "timebase: shorter / longer ms per division", false, k_timebase),
	E('a', 0, "a", "averaging: 1-4 sweeps, then the detector's own (avg k=N)", false, k_average),
	E('s', 0, "s", "sweeps stacked / overlaid", false, k_stack),
	E('R', 0, "R", "write a case report now", false, k_report),
	E('?', 0, "?", "this help", false, k_help),
	E('q', 0, "q", "quit (asks first while recording)", false, k_quit),
	E(LSR_KEY_PGUP, LSR_KEY_PGDN, "PgUp PgDn", "scroll the event log", false, k_scroll),
	E('p', 0, "p", "replay: pause / resume", true, k_pause),
	E(LSR_KEY_LEFT, LSR_KEY_RIGHT, "Left Right", "replay: back / forward 10 s", true, k_seek),
	E(LSR_KEY_DOWN, LSR_KEY_UP, "Down Up", "replay: back / forward 60 s", true, k_seek),
	E('n', 'N', "n N", "replay: next / previous mark or state change", true, k_seek_event),
	E('<', '>', "< >", "replay: slower / faster", true, k_speed),
};
#define NKEYS ((int)(sizeof table / sizeof table[0]))

int lsr_keys_count(void) { return NKEYS; }
const struct lsr_key_help *lsr_keys_help(int i) { return i >= 0 && i < NKEYS ? &table[i].help : NULL; }

void lsr_keys_write_man(FILE *f)
{
	for (int i = 0; i < NKEYS; i++) {
		fprintf(f, ".TP\n.B ");
		for (const char *s = table[i].help.keys; *s; s++)
			fputs(*s == '-' ? "\\-" : *s == '\\' ? "\\e" : (char[2]){ *s, 0 }, f);
		fprintf(f, "\n%s\n", table[i].help.what);
	}
}

const char *lsr_keys_prompt_text(const struct lsr_view *v)
{
	switch (v->prompt) {
	case LSR_PROMPT_INTENSITY: return "Intensity (mA), Enter to mark, Esc to cancel: ";
	case LSR_PROMPT_MARK: return "Mark label, Enter to mark, Esc to cancel: ";
	case LSR_PROMPT_CANCEL_ID: return "Cancel mark id: ";
	case LSR_PROMPT_CANCEL_CONFIRM: return "Cancel this mark? (y/n) ";
	case LSR_PROMPT_QUIT: return "Recording: quit and close it? (y/n) ";
	default: return "";
	}
}

/* Appends one code point as UTF-8 if it fits. */
static void input_add(struct lsr_view *v, int cp)
{
	size_t n = strlen(v->input), k = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
	if (n + k >= sizeof v->input)
		return;
	char *o = v->input + n;
	if (k == 1)
		o[0] = (char)cp;
	else if (k == 2)
		o[0] = (char)(0xC0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3F));
	else if (k == 3)
		o[0] = (char)(0xE0 | cp >> 12), o[1] = (char)(0x80 | (cp >> 6 & 0x3F)), o[2] = (char)(0x80 | (cp & 0x3F));
	else
		o[0] = (char)(0xF0 | cp >> 18), o[1] = (char)(0x80 | (cp >> 12 & 0x3F)),
		o[2] = (char)(0x80 | (cp >> 6 & 0x3F)), o[3] = (char)(0x80 | (cp & 0x3F));
	o[k] = '\0';
}

static void input_backspace(struct lsr_view *v)
{
	size_t n = strlen(v->input);
	while (n > 0 && ((unsigned char)v->input[n - 1] & 0xC0) == 0x80)
		n--;
	if (n > 0)
		n--;
	v->input[n] = '\0';
}

static unsigned prompt_enter(const struct lsr_keys_ctx *k)
{
	struct lsr_view *v = k->view;
	enum lsr_prompt p = v->prompt;
	v->prompt = LSR_PROMPT_NONE;
	char label[LSR_LABEL_MAX + 16];
	if (p == LSR_PROMPT_INTENSITY) {
		double mA;
		if (lsr_number_real(v->input, DBL_MIN, 100, &mA) != LSR_NUMBER_OK) {
			say(v, "Intensity not marked: give mA between 0 and 100");
			return LSR_K_REDRAW;
		}
		snprintf(label, sizeof label, "Intensity %g", mA);
		mark(k, label);
	} else if (p == LSR_PROMPT_MARK) {
		char *s = v->input;
		while (*s == ' ')
			s++;
		for (size_t n = strlen(s); n && s[n - 1] == ' '; n--)
			s[n - 1] = '\0';
		if (!*s)
			say(v, "No label: nothing marked");
		else
			mark(k, s);
	} else if (p == LSR_PROMPT_CANCEL_ID) {
		int id;
		const struct lsr_model_mark *mk =
			lsr_number_int(v->input, 0, INT_MAX, &id) == LSR_NUMBER_OK && k->model
			? lsr_model_mark_find(k->model, id) : NULL;
		if (!mk || mk->cancelled) {
			say(v, mk ? "That mark is already cancelled" : "No mark with that id");
			return LSR_K_REDRAW;
		}
		v->cancel_id = mk->id;
		v->prompt = LSR_PROMPT_CANCEL_CONFIRM;
		snprintf(v->message, sizeof v->message, "#%d %s", mk->id, mk->label);
	}
	return LSR_K_REDRAW;
}

static unsigned prompt_key(const struct lsr_keys_ctx *k, int key)
{
	struct lsr_view *v = k->view;
	if (key == LSR_KEY_ESC) {
		v->prompt = LSR_PROMPT_NONE;
		say(v, "Cancelled");
		return LSR_K_REDRAW;
	}
	if (v->prompt == LSR_PROMPT_CANCEL_CONFIRM || v->prompt == LSR_PROMPT_QUIT) {
		enum lsr_prompt p = v->prompt;
		v->prompt = LSR_PROMPT_NONE;
		if (key != 'y' && key != 'Y') {
			say(v, "Cancelled");
			return LSR_K_REDRAW;
		}
		if (p == LSR_PROMPT_QUIT)
			return do_quit(k);
		char label[32];
		snprintf(label, sizeof label, "Cancel %d", v->cancel_id);
		mark(k, label);
		return LSR_K_REDRAW;
	}
	if (key == LSR_KEY_ENTER || key == '\n' || key == '\r')
		return prompt_enter(k);
	if (key == LSR_KEY_BACKSPACE || key == 0x7f || key == 0x08)
		input_backspace(v);
	else if (v->prompt == LSR_PROMPT_MARK ? key >= 0x20 && key < 0x110000 && key != 0x7f
	                                      : key < 0x80 && (isdigit(key) || (key == '.' && v->prompt == LSR_PROMPT_INTENSITY)))
		input_add(v, key);
	return LSR_K_REDRAW;
}

unsigned lsr_keys_handle(const struct lsr_keys_ctx *k, int key)
{
	struct lsr_view *v = k->view;
	if (v->prompt != LSR_PROMPT_NONE)
		return prompt_key(k, key);
	/* Any key closes the help; ? and Esc only close it. */
	if (v->help && (key == '?' || key == LSR_KEY_ESC)) {
		v->help = false;
		return LSR_K_REDRAW;
	}
	v->help = false;
	for (int i = 0; i < NKEYS; i++)
		if (table[i].key == key || (table[i].key2 && table[i].key2 == key)) {
			if (table[i].help.replay_only && !v->replay)
				return LSR_K_NONE;
			v->message[0] = '\0';
			return table[i].fn(k, key);
		}
	return LSR_K_NONE;
}
