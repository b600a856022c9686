/* src/sink/recorder.h — the --record sink: the session hands it configurations,
 * sample blocks and events; a writer thread behind a bounded queue turns
 * them into EDF+/BDF+ files (edfwrite.h), so that the disk never stalls
 * acquisition or the screen.
 *
 * Threading: every function here is called from the session's thread only.
 * Disk faults and clipping reach the session as alarms: when one is pending,
 * lsr_recorder_alarm_fd() is readable (an eventfd for the poll() loop);
 * lsr_recorder_poll_alarm() takes them one at a time and clears the fd. */
#ifndef LSR_RECORDER_H
#define LSR_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "driver.h"
#include "case_details.h"
#include "event.h"
#include "params.h"

/* Most bytes of copied samples waiting for the writer (about 12 s of 16
 * channels at 20 kHz). */
#define LSR_RECORDER_QUEUE_BYTES (16u << 20)
/* Longest outage stored as padding; a longer one starts the next file. */
#define LSR_RECORDER_MAX_GAP_S 60

struct lsr_recorder;

/* Creates path at once (O_EXCL unless force; mode 0600), so that a bad path
 * fails before the session starts.  .edf (any case) records 16-bit EDF+,
 * anything else ending .bdf 24-bit BDF+.  On failure returns NULL with a
 * message and *exit_code 2 (exists without --force, or not .bdf/.edf) or 1
 * (cannot be created).  Ignores SIGXFSZ for the process, so that an
 * RLIMIT_FSIZE overrun is an EFBIG write error, not death. */
struct lsr_recorder *lsr_recorder_new(const char *path, bool force,
                                      const struct lsr_case_details *case_details,
                                      const char *equipment,
                                      char *err, size_t errlen, int *exit_code);

/* Live ports: a full queue drops the block (counted, alarm "disk") rather
 * than wait.  Otherwise (replay, simulation: the default) the caller waits
 * for room, so nothing is lost. */
void lsr_recorder_set_live(struct lsr_recorder *rec, bool live);

/* A configuration begins at stream time t (the time of the first sample of
 * the next block): the first one goes to path, each later one to
 * <stem>-2.<ext>, -3, ….  Writes the parameters and montage as
 * "lsrmon: params …" and "lsrmon: montage …" annotations.  origin is the
 * wall-clock time (Unix s) of stream time 0 (src/clock.h): each file's
 * header is dated origin + the stream time of its first sample. */
void lsr_recorder_segment(struct lsr_recorder *rec, const struct lsr_stream_config *cfg,
                          const struct lsr_channel_info *ch, int nch,
                          const struct lsr_params *p, double t, double origin);

/* Samples; index is the stream sample index of blk's first sample.  A jump
 * forward is a gap: up to LSR_RECORDER_MAX_GAP_S padded (last value held,
 * Trigger bit 7 set, "lsrmon: Gap <n> samples"), longer continues in the
 * next numbered file.  Samples before the expected index are dropped. */
void lsr_recorder_block(struct lsr_recorder *rec, int64_t index, const struct lsr_block *blk);

/* Free-form annotation at stream time t (plain, as given). */
void lsr_recorder_annotate(struct lsr_recorder *rec, double t, const char *text);

/* The event sink: marks as their labels, lsrmon's own events as
 * "lsrmon: …" (recnotes.h). */
const struct lsr_sink *lsr_recorder_sink(struct lsr_recorder *rec);

int lsr_recorder_alarm_fd(const struct lsr_recorder *rec);
/* Takes the oldest pending alarm; false when none. */
bool lsr_recorder_poll_alarm(struct lsr_recorder *rec, char *what, size_t what_len,
                             char *text, size_t text_len);

struct lsr_recorder_status {
	char path[4096];          /* the file being written */
	int file_no;              /* 1, 2, … */
	uint64_t bytes;           /* on disk, all files */
	uint64_t clipped;         /* samples clipped (16-bit EDF+) */
	uint64_t dropped;         /* samples the queue could not take (live) */
	bool failed;
	char error[256];          /* what failed, "" if nothing */
};
void lsr_recorder_status(struct lsr_recorder *rec, struct lsr_recorder_status *out);
/* True once a write failed or a file could not be created: the recording is
 * incomplete and the session's exit status is 1. */
bool lsr_recorder_failed(struct lsr_recorder *rec);

/* Drains the queue, completes and closes the file, joins the thread, frees.
 * Returns 0, or 1 when the recording is incomplete. */
int lsr_recorder_close(struct lsr_recorder *rec);

#endif
