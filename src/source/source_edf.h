/* src/source/source_edf.h — replay of an EDF+/BDF+ recording (kind "replay"):
 * opened, validated and its annotations read by EDFlib, the strict
 * reader; its samples read by edfdata.c. */
#ifndef LSR_SOURCE_EDF_H
#define LSR_SOURCE_EDF_H

#include <stdbool.h>
#include <stddef.h>

#include "source.h"

/* speed: 1 = the recording's own clock, 0 (LSR_SPEED_MAX) = as fast as
 * possible (a bounded chunk per pump).  NULL with a message and *exit_code 2
 * when the file cannot be replayed; a crashed recording EDFlib refuses gets
 * a message that says to run `lsrmon --repair FILE`.  ops->destroy(st)
 * frees everything, the returned struct included.  Its ops have position,
 * wall_start, settings and case_details (source.h). */
struct lsr_source *lsr_source_edf_new(const char *path, double speed,
                                      char *err, size_t errlen, int *exit_code);

#endif
