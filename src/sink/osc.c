/* src/sink/osc.c — the OSC sink: collects a group's events as messages, closes
 * it into one bundle per destination (plus the sweep bundles), time-tags it
 * and hands it to the destinations' sender threads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "osc.h"
#include "osc_priv.h"
#include "osc_send.h"

/* A group larger than this (a session that forgot group_end) is closed
 * early rather than grown without bound. */
#define GROUP_MAX 256
#define FLUSH_WAIT_MS 2000

struct pending_msg {
	const char *path;
	lo_message m;
};

struct pending_sweep {
	int n, ch, len;
	float *raw;
};

struct lsr_osc {
	struct lsr_sink sink;
	struct lsr_osc_dest **dests;
	int ndest;
	struct lsr_osc_alarms alarms;
	bool sweeps, realtime, live;
	double rate; /* from the latest start event, for /lsrmon/sweep */

	struct pending_msg msgs[GROUP_MAX];
	int nmsg;
	struct pending_sweep sw[GROUP_MAX];
	int nsw;
	uint64_t lost; /* events that could not be encoded (memory) */
};

static void group_end(void *ctx);

static void clear_group(struct lsr_osc *o)
{
	for (int i = 0; i < o->nmsg; i++)
		lo_message_free(o->msgs[i].m);
	for (int i = 0; i < o->nsw; i++)
		free(o->sw[i].raw);
	o->nmsg = o->nsw = 0;
}

static void keep_sweep(struct lsr_osc *o, const struct lsr_event *ev)
{
	if (!ev->response.raw || ev->response.sweep_len <= 0)
		return;
	if (o->nsw == GROUP_MAX) {
		o->lost++;
		return;
	}
	size_t len = (size_t)ev->response.sweep_len;
	float *copy = malloc(len * sizeof *copy);
	if (!copy) {
		o->lost++;
		return;
	}
	memcpy(copy, ev->response.raw, len * sizeof *copy);
	o->sw[o->nsw++] = (struct pending_sweep){ ev->response.n, ev->response.ch,
		                                  ev->response.sweep_len, copy };
}

static void on_event(void *ctx, const struct lsr_event *ev)
{
	struct lsr_osc *o = ctx;
	if (o->nmsg == GROUP_MAX)
		group_end(o);
	if (ev->type == LSR_EV_START)
		o->rate = ev->start.rate;
	lo_message m = lsr_osc_encode(ev);
	if (!m) {
		o->lost++;
		return;
	}
	o->msgs[o->nmsg++] = (struct pending_msg){ lsr_osc_path(ev->type), m };
	if (o->sweeps && ev->type == LSR_EV_RESPONSE)
		keep_sweep(o, ev);
}

/* One bundle of copies of the group's messages (each destination's thread
 * serialises its own), or NULL when memory runs out. */
static lo_bundle make_bundle(struct lsr_osc *o, lo_timetag tt)
{
	lo_bundle b = lo_bundle_new(tt);
	if (!b)
		return NULL;
	for (int i = 0; i < o->nmsg; i++) {
		lo_message m = lo_message_clone(o->msgs[i].m);
		if (!m || lo_bundle_add_message(b, o->msgs[i].path, m) != 0) {
			if (m)
				lo_message_free(m);
			lo_bundle_free_recursive(b);
			return NULL;
		}
	}
	return b;
}

static lo_bundle make_sweep_bundle(struct lsr_osc *o, lo_timetag tt, const struct pending_sweep *s)
{
	lo_message m = lsr_osc_encode_sweep(s->n, s->ch, o->rate, s->raw, s->len);
	lo_bundle b = m ? lo_bundle_new(tt) : NULL;
	if (!b || lo_bundle_add_message(b, "/lsrmon/sweep", m) != 0) {
		if (b)
			lo_bundle_free_recursive(b);
		else if (m)
			lo_message_free(m);
		return NULL;
	}
	return b;
}

static void group_end(void *ctx)
{
	struct lsr_osc *o = ctx;
	if (o->nmsg == 0 && o->nsw == 0)
		return;
	lo_timetag tt = LO_TT_IMMEDIATE;
	if (o->realtime)
		lo_timetag_now(&tt);
	for (int d = 0; d < o->ndest; d++) {
		if (o->nmsg > 0) {
			lo_bundle b = make_bundle(o, tt);
			if (b)
				lsr_osc_dest_push(o->dests[d], b);
			else
				o->lost++;
		}
		for (int i = 0; i < o->nsw; i++) {
			lo_bundle b = make_sweep_bundle(o, tt, &o->sw[i]);
			if (b)
				lsr_osc_dest_push(o->dests[d], b);
			else
				o->lost++;
		}
	}
	clear_group(o);
}

struct lsr_osc *lsr_osc_new(const char *const *urls, int nurls, bool sweeps,
                            bool realtime, bool live, char *err, size_t errlen)
{
	if (nurls <= 0) {
		snprintf(err, errlen, "--osc: no destination");
		return NULL;
	}
	struct lsr_osc *o = calloc(1, sizeof *o);
	if (o)
		o->dests = calloc((size_t)nurls, sizeof *o->dests);
	if (!o || !o->dests) {
		free(o);
		snprintf(err, errlen, "--osc: out of memory");
		return NULL;
	}
	lsr_osc_alarms_init(&o->alarms);
	o->sweeps = sweeps;
	o->realtime = realtime;
	o->live = live;
	o->sink = (struct lsr_sink){ .ctx = o, .event = on_event, .group_end = group_end };
	for (int i = 0; i < nurls; i++) {
		o->dests[i] = lsr_osc_dest_new(urls[i], &o->alarms, err, errlen);
		if (!o->dests[i]) {
			lsr_osc_free(o);
			return NULL;
		}
		o->ndest++;
	}
	for (int i = 0; i < o->ndest; i++) {
		if (lsr_osc_dest_start(o->dests[i]) != 0) {
			snprintf(err, errlen, "--osc %s: cannot start a sender thread",
			         lsr_osc_dest_url(o->dests[i]));
			lsr_osc_free(o);
			return NULL;
		}
	}
	return o;
}

const struct lsr_sink *lsr_osc_sink(struct lsr_osc *osc) { return &osc->sink; }

bool lsr_osc_busy(struct lsr_osc *osc)
{
	if (osc->live)
		return false;
	for (int i = 0; i < osc->ndest; i++)
		if (lsr_osc_dest_busy(osc->dests[i]))
			return true;
	return false;
}

uint64_t lsr_osc_dropped(struct lsr_osc *osc)
{
	uint64_t n = osc->lost;
	for (int i = 0; i < osc->ndest; i++) {
		struct lsr_osc_dest_counts c;
		lsr_osc_dest_counts(osc->dests[i], &c);
		n += c.dropped;
	}
	return n;
}

uint64_t lsr_osc_sent(struct lsr_osc *osc)
{
	uint64_t n = 0;
	for (int i = 0; i < osc->ndest; i++) {
		struct lsr_osc_dest_counts c;
		lsr_osc_dest_counts(osc->dests[i], &c);
		n += c.sent;
	}
	return n;
}

bool lsr_osc_failing(struct lsr_osc *osc)
{
	for (int i = 0; i < osc->ndest; i++) {
		struct lsr_osc_dest_counts c;
		lsr_osc_dest_counts(osc->dests[i], &c);
		if (c.failing)
			return true;
	}
	return false;
}

void lsr_osc_status(struct lsr_osc *osc, char *buf, size_t len)
{
	uint64_t sent = 0, dropped = osc->lost;
	int failing = 0;
	char first[200] = "";
	for (int i = 0; i < osc->ndest; i++) {
		struct lsr_osc_dest_counts c;
		lsr_osc_dest_counts(osc->dests[i], &c);
		sent += c.sent;
		dropped += c.dropped;
		if (c.failing && failing++ == 0)
			snprintf(first, sizeof first, "%s: %s", lsr_osc_dest_url(osc->dests[i]), c.err);
	}
	if (failing)
		snprintf(buf, len, "OSC FAILING %s%s, %llu dropped", first,
		         failing > 1 ? " (and others)" : "", (unsigned long long)dropped);
	else if (dropped)
		snprintf(buf, len, "OSC ok, %llu sent, %llu dropped", (unsigned long long)sent,
		         (unsigned long long)dropped);
	else
		snprintf(buf, len, "OSC ok, %llu sent", (unsigned long long)sent);
}

bool lsr_osc_poll_alarm(struct lsr_osc *osc, char *what, size_t whatlen,
                        char *text, size_t textlen)
{
	lsr_osc_failing(osc); /* notices a send that has been blocked too long */
	if (!lsr_osc_alarms_pop(&osc->alarms, text, textlen))
		return false;
	snprintf(what, whatlen, "osc");
	return true;
}

void lsr_osc_free(struct lsr_osc *osc)
{
	if (!osc)
		return;
	group_end(osc);
	struct timespec deadline;
	lsr_clock_deadline(&deadline, FLUSH_WAIT_MS / 1000.0);
	for (int i = 0; i < osc->ndest; i++)
		lsr_osc_dest_request_stop(osc->dests[i]);
	for (int i = 0; i < osc->ndest; i++)
		if (lsr_osc_dest_join(osc->dests[i], &deadline))
			lsr_osc_dest_free(osc->dests[i]);
	clear_group(osc);
	lsr_osc_alarms_destroy(&osc->alarms);
	free(osc->dests);
	free(osc);
}
