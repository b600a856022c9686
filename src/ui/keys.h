/* src/ui/keys.h — the screen's view settings and the one key → action table
 * (shown by `?`, printed for the man page, testable without a terminal). */
#ifndef LSR_KEYS_H
#define LSR_KEYS_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"
#include "ui.h"

/* Function keys, mapped by the terminal module outside Unicode's range. */
enum {
	LSR_KEY_LEFT = 0x110001, LSR_KEY_RIGHT, LSR_KEY_UP, LSR_KEY_DOWN,
	LSR_KEY_PGUP, LSR_KEY_PGDN, LSR_KEY_ENTER, LSR_KEY_BACKSPACE, LSR_KEY_ESC,
	LSR_KEY_TAB,
};

/* What a key asks of the screen (bit flags). */
enum {
	LSR_K_NONE = 0, LSR_K_REDRAW = 1 << 0, LSR_K_QUIT = 1 << 1,
};

enum lsr_prompt {
	LSR_PROMPT_NONE, LSR_PROMPT_INTENSITY, LSR_PROMPT_MARK,
	LSR_PROMPT_CANCEL_ID, LSR_PROMPT_CANCEL_CONFIRM, LSR_PROMPT_QUIT,
};

/* view.average past the 1-4 sweeps of display averaging: the average the
 * detector judged (LSR channels), labelled with its trials. */
#define LSR_AVERAGE_JUDGED 5

struct lsr_view {
	int selected;            /* channel, or -1: none (keys act on every channel) */
	double gain_uv;          /* µV per division: the layout's, for every channel */
	double control_gain_uv;  /* the layout's for control channels */
	double ch_gain[LSR_MAX_CHANNELS]; /* set by +, -, =; 0: the role's default */
	double timebase_ms;      /* ms per division */
	int average, stack;      /* average: 1-4 sweeps, or LSR_AVERAGE_JUDGED */
	bool stacked, frozen, help, replay, recording;
	int log_scroll;
	enum lsr_prompt prompt;
	char input[LSR_LABEL_MAX];
	int cancel_id;
	char message[200]; /* one-line feedback on the status line */
};

struct lsr_keys_ctx {
	struct lsr_view *view;
	struct lsr_model *model;
	const struct lsr_ui_actions *act;
};

/* One key press (a Unicode code point or LSR_KEY_*).  Returns LSR_K_*. */
unsigned lsr_keys_handle(const struct lsr_keys_ctx *k, int key);

struct lsr_key_help {
	const char *keys;        /* as shown: "d", "Left/Right" */
	const char *what;
	bool replay_only;
};
int lsr_keys_count(void);
const struct lsr_key_help *lsr_keys_help(int i);
/* The table as man-page source (.TP entries). */
void lsr_keys_write_man(FILE *f);

/* The prompt's question, for the status line ("" when none). */
const char *lsr_keys_prompt_text(const struct lsr_view *v);

/* Channel ch's gain in µV per division. */
double lsr_keys_gain(const struct lsr_view *v, const struct lsr_model *m, int ch);

/* The gain and timebase steps (1-2-5), nearest index to a value. */
double lsr_keys_gain_step(double uv, int dir);
double lsr_keys_timebase_step(double ms, int dir);

#endif
