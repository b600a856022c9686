/* src/sink/bus.c — fan-out of the event stream to the sinks, in order. */
#include "bus.h"

static void bus_event(void *ctx, const struct lsr_event *ev)
{
	struct lsr_bus *b = ctx;
	for (int i = 0; i < b->n; i++)
		if (!(b->mute_external && b->external[i]))
			b->sinks[i]->event(b->sinks[i]->ctx, ev);
}

/* Asked at every decision: a sink added later counts from then on. */
static bool bus_wants_average(void *ctx)
{
	struct lsr_bus *b = ctx;
	for (int i = 0; i < b->n; i++)
		if (b->sinks[i]->wants_average && !(b->mute_external && b->external[i]) &&
		    b->sinks[i]->wants_average(b->sinks[i]->ctx))
			return true;
	return false;
}

static void bus_group_end(void *ctx)
{
	struct lsr_bus *b = ctx;
	for (int i = 0; i < b->n; i++)
		if (b->sinks[i]->group_end && !(b->mute_external && b->external[i]))
			b->sinks[i]->group_end(b->sinks[i]->ctx);
}

void lsr_bus_init(struct lsr_bus *b)
{
	b->n = 0;
	b->mute_external = false;
	b->as_sink = (struct lsr_sink){ b, bus_event, bus_group_end, bus_wants_average };
}

static int add(struct lsr_bus *b, const struct lsr_sink *s, bool external)
{
	if (b->n >= LSR_BUS_MAX)
		return -1;
	b->external[b->n] = external;
	b->sinks[b->n++] = s;
	return 0;
}

int lsr_bus_add(struct lsr_bus *b, const struct lsr_sink *s) { return add(b, s, true); }
int lsr_bus_add_internal(struct lsr_bus *b, const struct lsr_sink *s) { return add(b, s, false); }

void lsr_bus_emit_one(struct lsr_bus *b, const struct lsr_event *ev)
{
	bus_event(b, ev);
	bus_group_end(b);
}
