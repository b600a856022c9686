/* src/source/source_edf.h — replay of an EDF+/BDF+ recording (kind "replay"):
 * opened, validated and its annotations read by EDFlib, the strict
 * reader; its samples read by edfdata.c. */
#ifndef LSR_SOURCE_EDF_H
#define LSR_SOURCE_EDF_H

#include <stdbool.h>
#include <stddef.h>

#include "params.h"
#include "source.h"

/* speed: 1 = the recording's own clock, 0 (LSR_SPEED_MAX) = as fast as
 * possible (a bounded chunk per pump).  NULL with a message and *exit_code 2
 * when the file cannot be replayed; a crashed recording EDFlib refuses gets
 * a message that says to run `lsrmon --repair FILE`.  ops->destroy(st)
 * frees everything, the returned struct included. */
struct lsr_source *lsr_source_edf_new(const char *path, double speed,
                                      char *err, size_t errlen, int *exit_code);

/* Apply the recording's stored settings ("lsrmon: params …" and
 * "lsrmon: montage …" annotations, in file order) on top of what p_out
 * holds; montage_out gets the stored montage or stays untouched.  The
 * session calls it with defaults (+ the default layout), then applies
 * --layout and the command line over the result.  Returns the number of
 * settings annotations applied (0: none stored). */
int lsr_source_edf_settings(const struct lsr_source *src, struct lsr_params *p_out,
                            char *montage_out, size_t len);

/* Where the replay is and how long the recording is, in seconds of stream
 * time (position shown on screen, progress bar). */
/* Wall-clock time (epoch seconds) of the recording's first sample, from its
 * header; 0 when the header's date is unusable. */
double lsr_source_edf_start(const struct lsr_source *src);
void lsr_source_edf_position(const struct lsr_source *src, double *pos_s, double *len_s);
/* The recording's i-th annotation (from 0, in time order): its stream time
 * and text; false past the last. */
bool lsr_source_edf_label(const struct lsr_source *src, size_t i, double *t, const char **text);

#endif
