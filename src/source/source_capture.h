/* src/source/source_capture.h — replay of a raw capture (.lsrb, .txt, .obci)
 * through its driver (kind "replay"). */
#ifndef LSR_SOURCE_CAPTURE_H
#define LSR_SOURCE_CAPTURE_H

#include <stddef.h>

#include "driver.h"
#include "source.h"

/* speed: 1 = the stream's own sample clock, 0 (LSR_SPEED_MAX) = as fast as
 * possible.  NULL with a message when the file cannot be opened, or when
 * its first bytes give no configuration and no valid frame of `drv` (an
 * empty file, text read as LSRB, prose read as ASCII): the message names
 * the file and what the driver expected.
 * ops->destroy(st) frees everything, the returned source included. */
struct lsr_source *lsr_source_capture_new(const char *path, const struct lsr_driver *drv,
                                          double speed, char *err, size_t errlen);

#endif
