/* src/sink/bus.h — one event stream fanned out to every sink. */
#ifndef LSR_BUS_H
#define LSR_BUS_H

#include <stdbool.h>

#include "event.h"

#define LSR_BUS_MAX 8

struct lsr_bus {
	struct lsr_sink as_sink; /* the bus is itself a sink */
	const struct lsr_sink *sinks[LSR_BUS_MAX];
	bool external[LSR_BUS_MAX]; /* leaves the process (file, stdout, network) */
	int n;
	/* A replay seek recomputes from the start: what external sinks already
	 * have is not sent to them again. */
	bool mute_external;
};

void lsr_bus_init(struct lsr_bus *b);
/* An external sink (JSON, OSC, recorder, report).  Returns -1 when full
 * (a programming error: LSR_BUS_MAX sinks exist). */
int lsr_bus_add(struct lsr_bus *b, const struct lsr_sink *s);
/* A sink inside the process that must see every event again after a seek
 * (the screen, the review index). */
int lsr_bus_add_internal(struct lsr_bus *b, const struct lsr_sink *s);
/* Emit one event that is a group of its own. */
void lsr_bus_emit_one(struct lsr_bus *b, const struct lsr_event *ev);

#endif
