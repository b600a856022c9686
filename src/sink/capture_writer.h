/* src/sink/capture_writer.h — --capture: keeps the exact bytes read from the port in a
 * file that --replay can feed through the same driver again. */
#ifndef LSR_CAPTURE_H
#define LSR_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lsr_capture_writer;

/* Creates path (an existing file only with force).  NULL with a message
 * and *exit_code: 2 when the file exists, 1 when it cannot be created. */
struct lsr_capture_writer *lsr_capture_writer_open(const char *path, bool force, char *err,
                                     size_t errlen, int *exit_code);

/* Appends n bytes.  Returns -1 at the first failure only (with a message
 * in err); later bytes are dropped silently: the capture is incomplete. */
int lsr_capture_writer_write(struct lsr_capture_writer *c, const uint8_t *buf, size_t n,
                      char *err, size_t errlen);

/* Closes; -1 if any write or the close failed. */
int lsr_capture_writer_close(struct lsr_capture_writer *c);

#endif
