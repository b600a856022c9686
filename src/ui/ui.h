/* src/ui/ui.h — the screen: what the session's poll() loop calls to show the
 * monitor in a terminal.  Everything here lives in the UI thread (the one
 * loop); nothing is printed to stdout/stderr while the screen is up. */
#ifndef LSR_UI_H
#define LSR_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "driver.h"
#include "event.h"

struct lsr_layout;

/* What keys do outside the screen's own model; the session implements
 * these (marks go through its bus so every sink sees them). */
struct lsr_ui_actions {
	void *ctx;
	/* d, o, c, b ("Baseline"), i ("Intensity 3.5" after the prompt),
	 * m (custom label after the prompt), u ("Cancel <id>" after choose +
	 * confirm). */
	void (*mark)(void *ctx, const char *label);
	void (*set_role)(void *ctx, int ch, enum lsr_role role); /* r */
	void (*report)(void *ctx);                                /* R */
	void (*quit)(void *ctx);          /* q (confirmed first while recording) */
	void (*pause)(void *ctx);                    /* replay: p */
	void (*seek)(void *ctx, double delta_s);     /* Left/Right ±10, Down/Up ±60 */
	void (*seek_event)(void *ctx, int direction); /* n (+1) / N (−1) */
	void (*speed)(void *ctx, int direction);     /* > (+1) / < (−1) */
};

/* Status-line facts the session fills and refreshes (lsr_ui_set_info
 * copies them; strings are copied too).  Unknown text: NULL. */
struct lsr_ui_info {
	const char *source;       /* "port", "replay", "sim" */
	const char *driver;
	const char *port;         /* port path or replayed file; NULL for sim */
	int rate, channels;
	bool link_known;
	enum lsr_link_status link;
	struct lsr_driver_stats stats;
	int stims;                /* stimuli so far */
	/* the judge's: a loss not verified by the direct response or the
	 * intensity, and the direct response over its trials / baseline */
	bool unconfirmed;
	double direct_ratio;
	double stim_rate_hz;      /* recent stimulus rate; 0 = unknown */
	const char *stim_settings; /* e.g. "zygomatic right 0.2 ms 3.5 mA" */
	bool recording;
	bool record_fault;        /* the recording failed: a technical alarm */
	bool quiet;               /* a replay seek recomputes the case: no bell */
	const char *record_path;
	uint64_t record_bytes;
	double stream_t;          /* current stream time, s */
	/* Wall clock: seconds since the epoch at stream time 0 (0 = unknown)
	 * and seconds since the session started.  Ignored when frozen_clock:
	 * then (--pause-at) only stream times are shown, so the screen is a
	 * pure function of the stream. */
	double epoch_at_t0;
	double elapsed_s;
	bool frozen_clock;
	bool replay, paused;      /* replay position is stream_t */
	double replay_len_s;      /* 0 = unknown */
	double speed;             /* 0 = as fast as possible */
	const char *message;      /* a status message (an error in words), or NULL */
	/* The mains removed (src/signal/mains.h): frequency (NAN: none found)
	 * and each channel's hum, µV RMS (NAN: none yet). */
	double mains_hz;
	int nhum;
	double hum_uv[LSR_MAX_CHANNELS];
};

struct lsr_ui_opts {
	const struct lsr_layout *layout; /* parsed; must outlive the ui */
	bool no_color;            /* NO_COLOR set (the session reads the env) */
	bool replay, recording;
	const char *log_path;     /* library stderr; NULL = $XDG_STATE_HOME/lsrmon/lsrmon.log (ui.c) */
};

struct lsr_ui;

/* The default log file: $XDG_STATE_HOME/lsrmon/lsrmon.log, else
 * ~/.local/state/lsrmon/lsrmon.log, else /tmp/lsrmon-<uid>.log. */
void lsr_ui_log_path(char *buf, size_t len);

/* Whether $TERM can show the screen (lsr_term_check): 0, or -1 with a
 * message naming --headless. */
int lsr_ui_check_terminal(char *err, size_t errlen);

/* Starts curses; NULL with a message when the terminal cannot be used. */
struct lsr_ui *lsr_ui_new(const struct lsr_ui_opts *opts,
                          const struct lsr_ui_actions *actions,
                          char *err, size_t errlen);
/* Events into the screen's model: sweeps, trend, banner, log. */
const struct lsr_sink *lsr_ui_sink(struct lsr_ui *ui);
/* A (new) stream configuration and the roles in force. */
void lsr_ui_config(struct lsr_ui *ui, const struct lsr_stream_config *cfg,
                   const enum lsr_role *roles);
/* Free-run EMG: cheap (min/max decimation into a bounded ring). */
void lsr_ui_block(struct lsr_ui *ui, int64_t index, const struct lsr_block *blk);
void lsr_ui_set_info(struct lsr_ui *ui, const struct lsr_ui_info *info);
/* A one-line message on the status line (the outcome of an action). */
void lsr_ui_message(struct lsr_ui *ui, const char *text);
int lsr_ui_fd(const struct lsr_ui *ui);
/* True when input must be drained although stdin is not readable (a
 * resize was signalled). */
bool lsr_ui_input_pending(const struct lsr_ui *ui);
/* Drain the keyboard (keys, resize, mouse). */
void lsr_ui_input(struct lsr_ui *ui);
/* Draws when something changed and 1/30 s has passed since the last frame
 * (`now`: monotonic seconds).  Returns ms until it wants to be called
 * again, or -1 when nothing is pending. */
int lsr_ui_render(struct lsr_ui *ui, double now);
/* Forget the case shown (sweeps, trend, log): a replay seek recomputes it
 * from the start.  0, or -1 when out of memory (the old model stays). */
int lsr_ui_restart(struct lsr_ui *ui);
/* Frames drawn so far (for the benchmark). */
uint64_t lsr_ui_frames(const struct lsr_ui *ui);
/* Restores the terminal; NULL is fine. */
void lsr_ui_free(struct lsr_ui *ui);

#endif
