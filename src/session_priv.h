/* src/session_priv.h — the session's state, shared by the data path
 * (session.c) and the poll() loop (loop.c) only. */
#ifndef LSR_SESSION_PRIV_H
#define LSR_SESSION_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "bus.h"
#include "capture_writer.h"
#include "cli.h"
#include "detector.h"
#include "jsonl.h"
#include "layout.h"
#include "montage.h"
#include "osc.h"
#include "report.h"
#include "params.h"
#include "progress.h"
#include "recorder.h"
#include "session.h"
#include "signal_path.h"
#include "source.h"

struct lsr_session {
	const struct lsr_options *opt;
	struct lsr_params params;        /* in force */
	struct lsr_signal_report measured; /* what the signal path measures (params.report) */
	int sync_lost_said;              /* report.sync_lost already alarmed */
	struct lsr_source *src;
	struct lsr_source_sink dsink;    /* what the source's driver feeds */
	struct lsr_source_env env;
	bool live;                       /* a real port: never block on output */
	double speed;                    /* 0 = max */
	bool paused;                     /* replay/sim paused by the user */

	/* stream clock: t = stream index / current rate */
	bool have_config;
	struct lsr_stream_config cfg;
	int segment;
	bool seg_has_block;
	uint64_t dev_next;               /* device index expected next */
	int64_t stream_next;             /* stream index of the next sample */
	uint8_t last_marks;              /* marks byte of the previous sample */
	bool outage;                     /* disconnected: time keeps running */
	double outage_since;             /* monotonic s */

	struct lsr_montage montage;      /* --montage, applied at each segment */
	enum lsr_role roles[LSR_MAX_CHANNELS];
	struct lsr_channel_info chinfo[LSR_MAX_CHANNELS];
	struct lsr_detector *det;

	struct lsr_bus bus;
	struct lsr_jsonl *json;
	struct lsr_recorder *rec;        /* --record, or NULL */
	struct lsr_recorder_status rec_status; /* for the screen's status line */
	struct lsr_progress progress;    /* headless max-speed replay, on a tty */
	struct lsr_capture_writer *capture;     /* --capture, or NULL */
	struct lsr_osc *osc;             /* --osc, or NULL */
	struct lsr_osc_listen *osc_in;   /* --osc-listen, or NULL */
	struct lsr_report *report;       /* --report or on screen, else NULL */
	char ui_note[400];               /* key R's outcome, for the status line */
	char osc_note[256];              /* the OSC senders' trouble, for the status line */
	double ui_note_until;            /* monotonic s */
	struct lsr_layout layout;        /* --layout, or standard */
	struct lsr_case_details case_details; /* --case, the recording's, the layout's */
	struct lsr_ui *ui;               /* the screen; NULL when headless */
	bool have_origin;                /* wall_origin is set (at the first configuration) */
	double wall_origin;              /* wall-clock time of stream time 0 (clock.h) */
	double mono_start;               /* the screen's elapsed time */

	int next_cli_mark;               /* opt->marks, sorted by t */
	double pause_at;                 /* < 0: none */
	bool held;                       /* reached --pause-at */
	bool source_ended, stop;
	bool finished;                   /* end emitted */

	/* replay review (session_replay.c) */
	bool catching_up;                /* recomputing from the start after a seek */
	/* Paused where a seek landed: the review's position is the seek's
	 * target, though blocks already decoded may carry the stream a little
	 * past it. */
	bool at_seek_target;
	double seek_target;              /* stream time the recomputation runs to */
	double high_water_t;             /* furthest stream time external sinks have */
	int64_t rec_next;                /* stream index the recorder takes next */
	struct lsr_sink review_sink;
#define LSR_REVIEW_MAX 4096
	double review[LSR_REVIEW_MAX];   /* times of marks and state changes */
	int nreview;
#define LSR_OP_MARKS_MAX 256
	struct {
		double t;
		enum lsr_mark_origin origin;
		char label[LSR_MARK_LABEL_MAX];
	} op_marks[LSR_OP_MARKS_MAX];    /* key and OSC marks, by stream time */
	int nop_marks, next_op_mark;
	int exit_code;
};

/* The source has ended or the user stopped: flush the detector, emit end. */
void lsr_session_finish(struct lsr_session *s);
/* OSC each loop turn: remote marks in, sender alarms out. */
void lsr_session_osc_turn(struct lsr_session *s, bool listen_ready);
/* Replay review: what the keys Left/Right/Up/Down and n/N do, and the
 * pace that p and </> set. */
int lsr_session_replay_init(struct lsr_session *s);
void lsr_session_apply_pace(struct lsr_session *s);
void lsr_session_seek(void *ctx, double delta_s);
void lsr_session_seek_event(void *ctx, int direction);
void lsr_session_seek_progress(struct lsr_session *s);
void lsr_session_remember_mark(struct lsr_session *s, double t, const char *label,
                               enum lsr_mark_origin origin);
/* A mark from a key or OSC at the current stream time. */
void lsr_session_mark_now(struct lsr_session *s, const char *label, enum lsr_mark_origin origin);

#endif
