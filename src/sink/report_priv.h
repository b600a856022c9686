/* src/sink/report_priv.h — what the case report collects, shared by the
 * collector (report.c) and the two writers (report_txt.c, report_pdf.c). */
#ifndef LSR_REPORT_INT_H
#define LSR_REPORT_INT_H

#include <stdint.h>
#include <stdio.h>

#include "marks.h"
#include "params.h"
#include "report.h"

#define REP_CH 8              /* channels with trends and sweeps */
#define REP_TREND_MAX 16384   /* points per channel before thinning */
#define REP_SWEEPS 40         /* recent valid sweeps kept per channel: the longest
                               * baseline (baseline_max), so its snapshot is all of it */
#define REP_LAST_SWEEPS 5     /* of them, drawn as "last valid" */
#define REP_MARKS 512
#define REP_STATES 512
#define REP_NOTES 256
#define REP_STIM_RING 1024
#define REP_TEXT 96
#define REP_RECENT 32         /* recent trials per channel, for the facts at a call */
#define REP_SNAP_TRIALS 10    /* valid sweeps a snapshot averages */
#define REP_DECOMP_SNAPS 4    /* Decompression marks with a snapshot each */
#define REP_SPANS 256         /* indeterminate spans kept */

struct rep_point {
	float t, p2p, onset, threshold; /* NAN when null */
	bool valid, present;
};

struct rep_trend {
	struct rep_point *p;
	int n;
	int stride, skip; /* keep one point of every stride */
};

struct rep_sweeps {
	int len, pre;       /* samples; samples before the stimulus */
	float *ring;        /* REP_SWEEPS × len, valid trials */
	double ring_t[REP_SWEEPS]; /* their stimuli */
	double ring_p2p[REP_SWEEPS]; /* and their p2p in the channel's window */
	int head, count;
	float *base;        /* average of the baseline's trials, or NULL */
	double base_p2p;    /* the baseline p2p it was taken for */
};

/* A snapshot: the average of the valid sweeps nearest a moment of the case
 * (up to REP_SNAP_TRIALS, the latest before it), per channel. */
enum rep_moment { REP_AT_BASELINE, REP_BEFORE_DECOMPRESSION, REP_AT_LOSS, REP_AT_END,
	          REP_MOMENTS };

struct rep_snapshot {
	bool have;
	double t;           /* the moment (stream time) */
	double first_t, last_t; /* the stimuli of the first and last sweep averaged */
	int trials;
	int len, pre;       /* samples of avg; of them before the stimulus */
	float *avg;         /* len samples, or NULL */
	double amplitude;   /* p2p of the average over the channel's window, µV */
	double mean_p2p;    /* the mean of the trials' own p2p in that window, µV */
	int mark_id;        /* before decompression: the mark it belongs to */
};

/* The last trials of a channel: what a call rests on. */
struct rep_recent {
	double t, p2p;
	bool valid;
};

struct rep_baseline {
	bool have, provisional;
	double t, p2p, onset;
	int trials, count;
};

struct rep_mark {
	int id;
	double t;
	char label[REP_TEXT];
	enum lsr_mark_origin origin;
	enum lsr_mark_kind kind;
	double value; /* Intensity: mA; Cancel: the id; else NAN */
	bool cancelled;
};

struct rep_state {
	double t, since, ratio;
	enum lsr_state state, prev;
	bool premature, after, verified, provisional;
	int confirm_trials; /* valid trials from since to t */
	double direct_pct;  /* the control's median p2p over those trials, % of its
	                     * baseline; NAN without a control baseline */
	/* What each LSR channel's decision averaged at the confirming trial
	 * (response.trials; -1: no response of it at that trial). */
	int avg_trials[REP_CH];
	uint32_t indeterminate; /* state.indeterminate_ch, one bit per channel */
};

/* A channel that could not be judged (channel_state indeterminate), from
 * the trial that said so to the one that judged it again (NAN: still). */
struct rep_span {
	int ch;
	double from, to;
	enum lsr_reason reason;
};

struct rep_note { /* link, gap and alarm events */
	double t;
	enum lsr_event_type type;
	char text[REP_TEXT];
};

struct lsr_report {
	struct lsr_sink sink;
	double wall_start;
	long utc_offset;
	struct lsr_case_details case_details;
	char *device, *driver, *source;

	bool have_start;
	int segments, rate, nch;
	char labels[LSR_MAX_CHANNELS][REP_TEXT];
	enum lsr_role roles[LSR_MAX_CHANNELS];
	struct lsr_params params;
	char warnings[9][REP_TEXT];
	int nwarn;
	bool simulation;          /* any segment came from the simulated patient */
	double t_first, t_last;

	int stims;
	struct { double t; bool valid; } stim_ring[REP_STIM_RING];
	int stim_head, stim_count;
	int cur_stim;

	struct rep_trend trend[REP_CH];
	struct rep_sweeps sweeps[REP_CH];
	struct rep_recent recent[REP_CH][REP_RECENT];
	int recent_head[REP_CH], recent_count[REP_CH];
	/* snapshots: [moment][channel]; before decompression one set per mark */
	struct rep_snapshot snap[REP_MOMENTS][REP_CH];
	struct rep_snapshot decomp_snap[REP_DECOMP_SNAPS][REP_CH];
	int ndecomp_snaps;
	struct rep_baseline base[REP_CH];
	uint64_t invalid[LSR_INVALID_COUNT];
	uint64_t valid_trials;

	struct rep_mark marks[REP_MARKS];
	int nmarks, marks_left_out;
	struct rep_state states[REP_STATES];
	int nstates, states_left_out;
	struct rep_note notes[REP_NOTES];
	int nnotes, notes_left_out;
	struct rep_span spans[REP_SPANS];
	int nspans, spans_left_out;
	int open_span[REP_CH];   /* index into spans of ch's open span, or -1 */
	int last_stim[REP_CH], last_trials[REP_CH]; /* ch's latest response */
	int link_losses, stalls, gaps, alarms;
	int64_t gap_samples;

	bool have_end;
	enum lsr_final final;
	enum lsr_phase phase;
	struct lsr_stats stats;
	bool have_stats;
};

/* Wall-clock time of stream time t, at the case's UTC offset and saying
 * which, as a person reads it: "1 Dec 2026 21:57:24 UTC",
 * "1 Dec 2026 22:57:24 UTC+01:00". */
void lsr_report_wall(const struct lsr_report *r, double t, char *buf, size_t len);
/* The same as one word, for "key=value" items: "2026-12-01T22:57:24+0100". */
void lsr_report_iso(const struct lsr_report *r, double t, char *buf, size_t len);
/* The time of day alone: "21:57:24". */
void lsr_report_clock(const struct lsr_report *r, double t, char *buf, size_t len);
/* The last state change (the current state), or NULL before any. */
const struct rep_state *lsr_report_current(const struct lsr_report *r);
/* The Decompression mark that counts (the first not cancelled), or NULL. */
const struct rep_mark *lsr_report_decompression(const struct lsr_report *r);
/* A Decompression mark after the one that counts has no effect. */
bool lsr_report_mark_ignored(const struct lsr_report *r, const struct rep_mark *m);
/* The stimulation current in force at stream time t (the last Intensity
 * mark at or before t, not cancelled), or NAN. */
double lsr_report_intensity_at(const struct lsr_report *r, double t);
/* The Confirm mark after the loss that counts, or NULL. */
const struct rep_mark *lsr_report_confirm(const struct lsr_report *r);
/* The snapshot of ch at a moment, or NULL when the case has no such
 * moment (no Decompression mark, no loss) or no valid sweep for it. */
const struct rep_snapshot *lsr_report_snapshot(const struct lsr_report *r, enum rep_moment m, int ch);
const char *lsr_report_moment_name(enum rep_moment m);
/* The window ch's amplitude is read in (ms): LSR, or direct for the control. */
void lsr_report_window(const struct lsr_report *r, int ch, double *from, double *to);
/* The reason ch was indeterminate at stream time t, or LSR_REASON_NONE. */
enum lsr_reason lsr_report_indeterminate_at(const struct lsr_report *r, int ch, double t);
/* "average of 10", "averages of 10 to 16": what the call's decisions
 * averaged (st->avg_trials of the channels that decided); "" when none. */
void lsr_report_averaged(const struct lsr_report *r, const struct rep_state *st, char *buf,
                         size_t len);
/* The plain-language summary of the case, one paragraph. */
void lsr_report_summary(const struct lsr_report *r, char *buf, size_t len);
/* The state entry that gives the final status's loss (the last change to
 * disappeared while the case ended disappeared), or NULL. */
const struct rep_state *lsr_report_loss(const struct lsr_report *r);
/* "in_progress" before the end event, else the final's wire name. */
const char *lsr_report_final_name(const struct lsr_report *r);
/* The stimulation current in force (the last Intensity mark not cancelled,
 * in mA), or NAN. */
double lsr_report_intensity(const struct lsr_report *r);
/* The most recent valid sweeps of ch, oldest first: *n of them (≤ max). */
int lsr_report_last_sweeps(const struct lsr_report *r, int ch, const float **out, int max);

int lsr_report_write_txt(const struct lsr_report *r, FILE *f);
int lsr_report_write_pdf(const struct lsr_report *r, FILE *f, char *err, size_t errlen);

#endif
