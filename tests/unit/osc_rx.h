/* tests/unit/osc_rx.h — an in-process liblo receiver for the OSC tests: it
 * logs bundle boundaries, time tags and message copies in arrival order. */
#ifndef LSR_TEST_OSC_RX_H
#define LSR_TEST_OSC_RX_H

#include <stdbool.h>

#include <lo/lo.h>

enum rx_kind { RX_BUNDLE = 'B', RX_END = 'E', RX_MSG = 'M' };

struct rx_entry {
	enum rx_kind kind;
	lo_timetag tt;      /* RX_BUNDLE */
	char path[64];      /* RX_MSG */
	lo_message m;       /* RX_MSG: a copy */
};

struct rx {
	lo_server s;
	struct rx_entry *e;
	int n, cap, nmsg;
};

/* proto LO_UDP or LO_TCP; port NULL = a free one. NULL when it cannot bind. */
struct rx *rx_new(int proto, const char *port);
int rx_port(const struct rx *r);
/* Serve the socket until nmsg messages in all have arrived or timeout_ms
 * passes; true when they did. */
bool rx_wait_msgs(struct rx *r, int nmsg, int timeout_ms);
/* Serve for ms, whatever arrives (TCP accepts need serving too). */
void rx_serve(struct rx *r, int ms);
/* The i-th message (0-based, bundle entries skipped), or NULL. */
const struct rx_entry *rx_msg(const struct rx *r, int i);
void rx_free(struct rx *r);

/* A port nobody listens on (bound, read, closed). */
int rx_closed_port(int socktype);

#endif
