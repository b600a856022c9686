/* src/sink/edfwrite.h — a small streaming EDF+/BDF+ writer that keeps the file
 * valid at every moment: each data record is written as soon as it is
 * complete, the header's record count follows it, annotations land in the
 * record that covers their onset, and the data reach the disk at least once
 * a second.  Single-threaded: the recorder's writer thread owns it. */
#ifndef LSR_EDFWRITE_H
#define LSR_EDFWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "driver.h"

/* Bytes of the "EDF Annotations" signal per data record: room for eight
 * of EDFlib's 114-byte slots, divisible by 2 (EDF) and 3 (BDF). */
#define LSR_EDFW_ANNOT_BYTES 912
/* Longest annotation text kept (bytes, UTF-8); EDFlib reads up to 512. */
#define LSR_EDFW_TEXT_MAX 400
/* Past records whose annotation slot can still take a late annotation. */
#define LSR_EDFW_LATE_RECORDS 64

struct lsr_edfw_opts {
	bool bdf;                 /* 24-bit BDF+, else 16-bit EDF+ */
	int rate, channels;
	const char (*labels)[LSR_LABEL_MAX];
	double uv_per_lsb;        /* > 0: samples are multiples of it (stored exactly in BDF) */
	double full_scale_uv;     /* 0 = unknown */
	double edf_range_uv;      /* EDF+ physical range ± */
	const char *prefilter;    /* "" or NULL: none */
	const char *patient;      /* NULL or "": anonymous "X X X X" */
	const char *technician;   /* NULL or "": "X" */
	const char *equipment;    /* NULL: "lsrmon" */
	time_t start;             /* wall-clock start (local time in the header) */
};

struct lsr_edfw;

/* Takes ownership of fd (an empty file opened for writing) and writes the
 * header with a record count of 0.  NULL on error (message in err; fd is
 * closed). */
struct lsr_edfw *lsr_edfw_open(int fd, const struct lsr_edfw_opts *o,
                               char *err, size_t errlen);
/* Append n samples per channel (channel-major: samples[c * stride + i]) with
 * their marks bytes (NULL: 0).  Returns 0, or -1 after a write error (errno
 * kept in lsr_edfw_errno; the file stays valid up to the last record). */
int lsr_edfw_write(struct lsr_edfw *w, const float *samples, size_t stride,
                   const uint8_t *marks, int n);
/* Append n samples of padding: each channel's last value held, marks bit 7
 * ("not acquired") set. */
int lsr_edfw_pad(struct lsr_edfw *w, int64_t n);
/* An annotation at `onset` seconds from the file's start (clamped to 0).
 * Placed in the record that covers it — a record already written is
 * rewritten in place if it is among the last LSR_EDFW_LATE_RECORDS and its
 * slot has room; otherwise the next record with room takes it, with its true
 * onset.  Texts are cut at LSR_EDFW_TEXT_MAX bytes; bytes 0x14, 0x15 and
 * control characters become spaces. */
int lsr_edfw_annotate(struct lsr_edfw *w, double onset, const char *text);
/* fdatasync if anything was written since the last sync. */
int lsr_edfw_sync(struct lsr_edfw *w);
/* Complete a partial last record with padding, place any annotation still
 * pending, sync and close.  Frees w.  Returns 0 or -1 (errno set). */
int lsr_edfw_close(struct lsr_edfw *w);

uint64_t lsr_edfw_bytes(const struct lsr_edfw *w);
uint64_t lsr_edfw_clipped(const struct lsr_edfw *w);
int64_t lsr_edfw_samples(const struct lsr_edfw *w); /* per channel, written or held */
int lsr_edfw_errno(const struct lsr_edfw *w);       /* 0 while healthy */
double lsr_edfw_record_s(const struct lsr_edfw *w);

/* Shared by the writer and --repair: format a TAL onset ("+12.3456"),
 * the shortest exact decimal of 10 µs resolution.  Returns its length. */
int lsr_edfw_format_onset(char *buf, size_t len, double onset);

#endif
