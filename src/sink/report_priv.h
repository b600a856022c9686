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
#define REP_SWEEPS 20         /* recent valid sweeps kept per channel */
#define REP_LAST_SWEEPS 5     /* of them, drawn as "last valid" */
#define REP_MARKS 512
#define REP_STATES 512
#define REP_NOTES 256
#define REP_STIM_RING 1024
#define REP_TEXT 96

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
	int head, count;
	float *base;        /* average of the baseline's trials, or NULL */
	double base_p2p;    /* the baseline p2p it was taken for */
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
};

struct rep_note { /* link, gap and alarm events */
	double t;
	enum lsr_event_type type;
	char text[REP_TEXT];
};

struct lsr_report {
	struct lsr_sink sink;
	double wall_start;
	char *patient, *device, *driver, *source;

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
	struct rep_baseline base[REP_CH];
	uint64_t invalid[LSR_INVALID_COUNT];
	uint64_t valid_trials;

	struct rep_mark marks[REP_MARKS];
	int nmarks, marks_left_out;
	struct rep_state states[REP_STATES];
	int nstates, states_left_out;
	struct rep_note notes[REP_NOTES];
	int nnotes, notes_left_out;
	int link_losses, stalls, gaps, alarms;
	int64_t gap_samples;

	bool have_end;
	enum lsr_final final;
	enum lsr_phase phase;
	struct lsr_stats stats;
	bool have_stats;
};

/* Wall-clock time of stream time t, local, ISO 8601 with the UTC offset:
 * "2026-11-24T07:20:00+0100". */
void lsr_report_wall(const struct lsr_report *r, double t, char *buf, size_t len);
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
