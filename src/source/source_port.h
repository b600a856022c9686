/* src/source/source_port.h — the live serial-port source (kind "port"). */
#ifndef LSR_SOURCE_PORT_H
#define LSR_SOURCE_PORT_H

#include <stdbool.h>
#include <stddef.h>

#include "driver.h"
#include "source.h"

/* Opens `name` for `drv` (baud <= 0: the driver's default) and writes the
 * driver's start bytes.  NULL when the port is missing or busy, with a
 * message for the user in err (the caller exits 1), or with *refused set
 * when `name` is no port at all — not a tty, pty or FIFO (exit 2).  Later
 * losses of the port are reported through env->link and retried, never
 * fatal; a port that ends at once is retried no sooner than a second after
 * it opened.  ops->destroy(st) frees everything, the returned source
 * included. */
struct lsr_source *lsr_source_port_new(const char *name, const struct lsr_driver *drv,
                                       int baud, bool *refused, char *err, size_t errlen);

#endif
