/* src/sink/report.h — the case report (--report STEM, key R): a sink that
 * collects what happened during the case, then writes <stem>.txt (key:
 * value lines, keys documented in lsrmon(1)) and <stem>.pdf (A4, cairo).
 * Memory stays bounded over any case length: trends are thinned by halving,
 * lists are capped and count what they leave out. */
#ifndef LSR_REPORT_H
#define LSR_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "case_details.h"
#include "event.h"

struct lsr_report_info {
	double wall_start;    /* wall-clock time (Unix s) of stream time 0 */
	/* --case (and --patient), the recording's, the layout's; NULL: none */
	const struct lsr_case_details *case_details;
	const char *device;   /* the device's own description, or NULL */
	const char *driver;   /* NULL: taken from start */
	const char *source;   /* port or file path, or NULL (simulator) */
	long utc_offset;      /* s east of UTC the times of day are written in */
};

struct lsr_report;

/* NULL when memory runs out.  Strings are copied. */
struct lsr_report *lsr_report_new(const struct lsr_report_info *info);
const struct lsr_sink *lsr_report_sink(struct lsr_report *r);

/* Before the session starts: -1 with a message when <stem>.txt or
 * <stem>.pdf exists and overwrite is false (the CLI exits 2). */
int lsr_report_check(const char *stem, bool overwrite, char *err, size_t errlen);

/* At the first sample: the wall-clock time of stream time 0, the UTC
 * offset (s east) the case's times of day are written in (clock.h), and
 * the device's own description (NULL: keep what info gave). */
void lsr_report_set_origin(struct lsr_report *r, double wall_start, long utc_offset,
                           const char *device);

/* Writes <stem>.txt and <stem>.pdf, both mode 0600 (they carry the patient
 * field, like the recordings).  Unless overwrite, fails when either file
 * exists, before writing anything.  Can be called at any time (key R):
 * without an end event, final is "in_progress" and the report says what
 * the state is now.  Returns 0, or -1 with a
 * message naming the file. */
int lsr_report_write(struct lsr_report *r, const char *stem, bool overwrite,
                     char *err, size_t errlen);

void lsr_report_free(struct lsr_report *r);

#endif
