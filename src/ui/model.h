/* src/ui/model.h — what the screen shows, kept in bounded memory: sweeps,
 * baselines, the trend, free-run EMG, marks, states and the event log.
 * Fed by events and blocks; panes only read it.  No curses here. */
#ifndef LSR_MODEL_H
#define LSR_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "alarm.h"
#include "driver.h"
#include "event.h"

#define LSR_MODEL_STACK 16         /* sweeps kept per channel */
#define LSR_MODEL_TREND 2048       /* trend points per channel (pairs merge when full) */
#define LSR_MODEL_LOG 256          /* log lines kept (the recording has all) */
#define LSR_MODEL_MARKS 256
#define LSR_MODEL_TEXT 96
#define LSR_FREERUN_HZ 200         /* free-run min/max buckets per second */
#define LSR_FREERUN_BUCKETS (LSR_FREERUN_HZ * 60)

/* Dirty bits: which panes need drawing again. */
enum {
	LSR_DIRTY_BANNER = 1 << 0, LSR_DIRTY_SWEEPS = 1 << 1, LSR_DIRTY_FREERUN = 1 << 2,
	LSR_DIRTY_TREND = 1 << 3, LSR_DIRTY_LOG = 1 << 4, LSR_DIRTY_STATUS = 1 << 5,
	LSR_DIRTY_ALL = 0x3f,
};

enum { LSR_TREND_VALID = 1, LSR_TREND_PRESENT = 2 };

struct lsr_trend_point {
	float t, p2p, onset; /* onset NAN when absent */
	uint8_t flags;
};

struct lsr_model_channel {
	char label[LSR_LABEL_MAX];
	enum lsr_role role;
	enum lsr_state state;
	enum lsr_reason reason;  /* why indeterminate */
	bool has_state;
	/* Baseline as the judge reported it, and the mean of the sweeps that
	 * were on screen then (the overlay). */
	bool has_baseline, base_provisional;
	double base_p2p, base_onset;
	float *base_sweep;
	/* Latest response. */
	bool has_resp, valid;
	enum lsr_invalid why;
	enum lsr_tristate present;
	double p2p, onset, threshold;
	double amplitude;    /* matched amplitude (NAN: none yet) */
	int trials;          /* trials the latest decision used */
	/* The average the detector judged at its latest decision (sweep_len
	 * samples; judged_k its trials, 0: no decision averaged yet), shown
	 * by `a` as "avg k=N". */
	float *judged;
	int judged_k;
	int indeterminate;   /* consecutive trials without a verdict */
	bool rebaselining;   /* a new baseline is being taken (after b) */
	/* Sweep ring: LSR_MODEL_STACK × sweep_len, newest at sweep_head. */
	float *sweeps;
	int nsweeps, sweep_head;
	/* Trend: points, each merging trend_merge stimuli. */
	struct lsr_trend_point *trend;
	int ntrend, trend_merge, pend_n, pend_valid, pend_onsets;
	double pend_t, pend_p2p, pend_onset;
	uint8_t pend_flags;
	/* Free-run: high-passed, min/max per bucket, burst flag. */
	float *fr_min, *fr_max;
	uint8_t *fr_burst;   /* per bucket: a burst, or inside a stimulus's sweep */
	float hp_x, hp_y, cur_min, cur_max, level;
};

struct lsr_model_mark {
	int id;
	double t;
	char label[LSR_LABEL_MAX];
	bool cancelled;
};

struct lsr_model_log {
	double t;
	char text[LSR_MODEL_TEXT];
	uint8_t color;
};

struct lsr_model {
	int rate, nch, segment;
	bool simulation;                  /* the stream is the simulated patient */
	int sweep_len, sweep_pre;
	struct lsr_model_channel ch[LSR_MAX_CHANNELS];
	/* Windows and thresholds from start.params. */
	double direct_from, direct_to, lsr_from, lsr_to, late_from, late_to, reduced_pct;
	int invalid_reset;                /* indeterminate trials that make a channel's alarm */
	bool alarm_bell;                  /* start.params alarm_bell */
	bool link_down;                   /* the last link event said disconnected */
	struct lsr_alarm alarm;
	/* Overall state. */
	bool has_state;
	struct {
		enum lsr_state state;
		double since, ratio, t;
		bool premature, after, verified, provisional;
		int nind, ind[LSR_MAX_CHANNELS]; /* LSR channels not judged */
	} st;
	int stims;
	double now_t;                     /* current stream time (the session's clock) */
	double last_stim_t, last_valid_t; /* NAN: none yet */
	double stim_rate_hz;              /* smoothed from stimulus intervals; 0 = unknown */
	char stim_settings[LSR_MODEL_TEXT]; /* branch, side, pulse; the last intensity mark */
	char intensity[24];
	bool ended;
	char final[32];
	/* Free-run ring: fr_total buckets written; per-bucket sample count. */
	int64_t fr_total;
	int64_t fr_next;        /* stream index expected next; -1 before the first block */
	int fr_per_bucket, fr_fill;
	int64_t fr_quiet_until; /* buckets after a stimulus: artifact, not a burst */
	struct lsr_model_mark marks[LSR_MODEL_MARKS];
	int nmarks;
	struct lsr_model_log log[LSR_MODEL_LOG];
	int log_head, nlog; /* newest at log_head */
	bool frozen;        /* the display rings keep what is on screen */
	unsigned dirty;
	bool oom;           /* an allocation failed: sweeps/free-run not shown */
};

struct lsr_model *lsr_model_new(void);
void lsr_model_free(struct lsr_model *m);
void lsr_model_event(struct lsr_model *m, const struct lsr_event *ev);
void lsr_model_config(struct lsr_model *m, const struct lsr_stream_config *cfg,
                      const enum lsr_role *roles);
/* index: the stream index of the block's first sample; a jump forward
 * (lost samples, an outage) leaves empty buckets (NAN) in the free-run. */
void lsr_model_block(struct lsr_model *m, int64_t index, const struct lsr_block *blk);
void lsr_model_logf(struct lsr_model *m, double t, int color, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* i-th newest log line (0 = newest), NULL past the end. */
const struct lsr_model_log *lsr_model_log_at(const struct lsr_model *m, int i);
/* k-th newest sweep of channel ch (0 = newest), NULL if none. */
const float *lsr_model_sweep(const struct lsr_model *m, int ch, int k);
/* Bucket i of the free-run ring (absolute index), false if gone; NAN
 * values where samples were lost. */
bool lsr_model_bucket(const struct lsr_model *m, int ch, int64_t i, float *lo, float *hi, bool *burst);
/* Bucket i falls in a stimulus's sweep (its artifact and responses). */
bool lsr_model_bucket_after_stim(const struct lsr_model *m, int ch, int64_t i);
/* Newest mark with this id, or NULL; the newest mark not cancelled. */
const struct lsr_model_mark *lsr_model_mark_find(const struct lsr_model *m, int id);
const struct lsr_model_mark *lsr_model_mark_last(const struct lsr_model *m);
/* The one-character glyph of a mark's kind on the trend and in the log:
 * O Dura open, D Decompression, C Confirm, I Intensity, B Baseline,
 * Z Closure, x a cancellation, * any other label. */
char lsr_model_mark_glyph(const char *label);
/* The technical alarm conditions in force (LSR_ALARM_* bits). */
unsigned lsr_model_alarms(const struct lsr_model *m, bool recording_fault);
/* A new baseline is being taken after b. */
bool lsr_model_rebaselining(const struct lsr_model *m);

#endif
