/* src/source/port.h — one serial byte stream by name: real serial ports through
 * libserialport, ptys and FIFOs through termios; exclusive, non-blocking. */
#ifndef LSR_PORT_H
#define LSR_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct lsr_port;

/* Opens `name` (links such as /dev/serial/by-id/… are resolved first, on
 * every call) at `baud`, 8N1, no flow control, raw, non-blocking, with
 * exclusive access (TIOCEXCL and flock).  NULL with a message in err;
 * *refused says the file is no port at all (not a tty, pty or FIFO). */
struct lsr_port *lsr_port_open(const char *name, int baud, bool *refused, char *err, size_t errlen);

/* The descriptor to poll for POLLIN. */
int lsr_port_fd(const struct lsr_port *p);

/* Reads what is waiting: > 0 bytes, 0 when nothing is waiting, -1 when the
 * device hung up or failed (the caller closes and reopens). */
ssize_t lsr_port_read(struct lsr_port *p, void *buf, size_t n);

/* Writes n bytes, waiting at most timeout_ms in total; 0 or -1. */
int lsr_port_write(struct lsr_port *p, const void *buf, size_t n, int timeout_ms);

void lsr_port_close(struct lsr_port *p);

/* --list-ports: one line per serial port libserialport sees ("NAME  what
 * it is"), and the /dev/serial/by-id links that name them.  ptys are never
 * listed (pass their path to --port).  0, or -1 with a message in err. */
int lsr_port_list(FILE *out, char *err, size_t errlen);

#endif
