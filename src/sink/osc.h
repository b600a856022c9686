/* src/sink/osc.h — events out as OSC (docs/interface.md "OSC") and remote marks in
 * (--osc-listen).  Sending never blocks the caller: each destination has its
 * own sender thread and bounded queue; name resolution and TCP connects
 * happen only there. */
#ifndef LSR_OSC_H
#define LSR_OSC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

struct lsr_osc;

/* One destination per URL: osc.udp://HOST:PORT/ or osc.tcp://HOST:PORT/
 * (a 224.0.0.0/4 host is a multicast group: TTL 1).
 * sweeps: also /lsrmon/sweep bundles after each stimulus.
 * realtime: bundle time tags are the wall-clock time of the group's latest
 * sample (taken when the group closes, which is when that sample has just
 * been processed); otherwise "immediately".
 * live: under back-pressure the oldest queued bundle is dropped and counted;
 * otherwise lsr_osc_busy() tells the session to hold the source.
 * Every URL is checked here: on a bad one, NULL and a message naming it. */
struct lsr_osc *lsr_osc_new(const char *const *urls, int nurls, bool sweeps,
                            bool realtime, bool live, char *err, size_t errlen);

/* The sink to register with the event bus; valid until lsr_osc_free. */
const struct lsr_sink *lsr_osc_sink(struct lsr_osc *osc);

/* Replay/simulation: true while a delivering destination's queue is above
 * its high-water mark; the session stops pumping the source until false.
 * A destination that is failing never holds the source (its queue drops the
 * oldest instead), so a dead receiver cannot stop monitoring. */
bool lsr_osc_busy(struct lsr_osc *osc);

/* Bundles not delivered, over all destinations (end.stats.osc_dropped). */
uint64_t lsr_osc_dropped(struct lsr_osc *osc);
/* Bundles delivered to the socket, over all destinations. */
uint64_t lsr_osc_sent(struct lsr_osc *osc);

/* True while some destination is failing; the status line shows text. */
bool lsr_osc_failing(struct lsr_osc *osc);
void lsr_osc_status(struct lsr_osc *osc, char *buf, size_t len);

/* The loop polls this each turn: returns true and fills what ("osc") and
 * text for each failure or recovery of a destination, oldest first. */
bool lsr_osc_poll_alarm(struct lsr_osc *osc, char *what, size_t whatlen,
                        char *text, size_t textlen);

/* Flushes what is queued to delivering destinations (waits at most about
 * two seconds), stops the threads and frees everything.  NULL is a no-op. */
void lsr_osc_free(struct lsr_osc *osc);

/* --osc-listen [ADDR:]PORT: a UDP socket (127.0.0.1 unless ADDR is given;
 * ADDR numeric, IPv6 in brackets; PORT 0 picks a free port). */
struct lsr_osc_listen;

#define LSR_OSC_LABEL_MAX 63 /* bytes of a remote mark label */

/* NULL with a message; errno EINVAL when spec itself is wrong (bad usage),
 * else why the socket could not be bound. */
struct lsr_osc_listen *lsr_osc_listen_new(const char *spec, char *err, size_t errlen);
int lsr_osc_listen_fd(const struct lsr_osc_listen *l);
int lsr_osc_listen_port(const struct lsr_osc_listen *l);
/* Reads every datagram waiting (never blocks): each /lsrmon/mark s with a
 * valid label (UTF-8, 1…LSR_OSC_LABEL_MAX bytes, no control characters)
 * calls mark(ctx, label); the session gives it stream time, id and origin
 * osc.  Anything else is counted and ignored. */
void lsr_osc_listen_read(struct lsr_osc_listen *l,
                         void (*mark)(void *ctx, const char *label), void *ctx);
/* One datagram as lsr_osc_listen_read handles it (the fuzzer's entry). */
void lsr_osc_listen_handle(struct lsr_osc_listen *l, unsigned char *data, size_t size,
                           void (*mark)(void *ctx, const char *label), void *ctx);
uint64_t lsr_osc_listen_accepted(const struct lsr_osc_listen *l);
uint64_t lsr_osc_listen_ignored(const struct lsr_osc_listen *l);
void lsr_osc_listen_free(struct lsr_osc_listen *l);

#endif
