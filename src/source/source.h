/* src/source/source.h — what the poll() loop drives: a live port, a replayed file
 * (raw capture or EDF+/BDF+) or the simulated patient.  A source owns its
 * file descriptor and its pacing; it hands decoded data to the session
 * through the driver sink and reports link changes and alarms through the
 * environment.  It never blocks: pump() does what is due and returns. */
#ifndef LSR_SOURCE_H
#define LSR_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case_details.h"
#include "driver.h"
#include "event.h"
#include "params.h"

#define LSR_SOURCE_END (-2)

/* What the session offers a source besides the data sink. */
struct lsr_source_env {
	const struct lsr_source_sink *sink;
	void *ctx;
	void (*link)(void *ctx, enum lsr_link_status status);
	void (*alarm)(void *ctx, const char *what, const char *text);
	/* Bytes exactly as read (for --capture); may be NULL. */
	void (*raw)(void *ctx, const uint8_t *buf, size_t n);
};

struct lsr_source_ops {
	const char *kind; /* start.source: "port", "replay" or "sim" */
	/* Recordings: marks come back as annotations (sink->label), so the
	 * marks byte's button bit is ignored (docs/interface.md "Recordings"). */
	bool button_from_annotations;
	/* The driver name for start.driver. */
	const char *(*driver_name)(void *st);
	/* The fd to poll for POLLIN, or -1 (none now, e.g. while reconnecting). */
	int (*poll_fd)(void *st);
	/* Do what is due at monotonic time `now` (seconds): read what the fd
	 * holds, produce paced samples, retry a lost port.  Returns the ms until
	 * it next needs a call without input (-1: only when poll_fd is readable,
	 * 0: at once), or LSR_SOURCE_END when the source has ended. */
	int (*pump)(void *st, double now, const struct lsr_source_env *env);
	/* Replay only (NULL otherwise): start again from the first byte or
	 * record, so that a seek can recompute the detector by a linear pass.
	 * Returns 0 or -1. */
	int (*rewind)(void *st);
	/* Replay and sim (NULL otherwise): change the pace (0 = max), or pause
	 * (paused = true: pump produces nothing until resumed). */
	void (*set_speed)(void *st, double speed, bool paused, double now);
	void (*stats)(const void *st, struct lsr_driver_stats *out);
	/* Recordings (NULL otherwise): where the replay is and how long the
	 * recording is, in seconds of stream time (the screen's position, the
	 * progress bar). */
	void (*position)(const void *st, double *pos_s, double *len_s);
	/* Recordings (NULL otherwise): wall-clock time (Unix s) of the first
	 * sample, from the header; 0 when its date is unusable. */
	double (*wall_start)(const void *st);
	/* Recordings (NULL otherwise): the UTC offset (s east) its local start
	 * time was written in, as it stored it; false when it stored none. */
	bool (*utc_offset)(const void *st, long *out);
	/* Recordings (NULL otherwise): apply the stored settings ("lsrmon:
	 * params …" and "lsrmon: montage …" annotations, in file order) on top
	 * of what p_out holds; montage_out gets the stored montage or stays
	 * untouched.  Returns how many settings annotations applied (0: none). */
	int (*settings)(const void *st, struct lsr_params *p_out, char *montage_out, size_t len);
	/* Recordings (NULL otherwise): fill the case details out does not give
	 * yet from the recording ("lsrmon: case …" annotations; the patient
	 * from the header's own field when none is stored), so a report made
	 * from a replay names the patient and the team the live one named. */
	void (*case_details)(const void *st, struct lsr_case_details *out);
	/* Recordings (NULL otherwise): the i-th annotation (from 0, in time
	 * order), its stream time and text; false past the last. */
	bool (*annotation)(const void *st, size_t i, double *t, const char **text);
	/* Write the driver's stop bytes, close everything. */
	void (*destroy)(void *st);
};

struct lsr_source {
	const struct lsr_source_ops *ops;
	void *st;
};

/* Pace: samples due after `elapsed` seconds at `speed` (0 = as fast as
 * possible: the caller produces a bounded chunk per pump). */
#define LSR_SPEED_MAX 0.0

#endif
