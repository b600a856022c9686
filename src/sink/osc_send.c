/* src/sink/osc_send.c — one OSC destination: its URL checks, its bounded queue
 * of bundles and the sender thread that alone touches liblo's blocking
 * calls (name resolution, TCP connect, send), with retry and backoff. */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "number.h"
#include "osc_send.h"
#include "thread.h"

/* Hard bounds per destination (a full queue drops its oldest bundle), and
 * the high-water mark above which replay and simulation hold the source. */
#define QUEUE_MAX_ITEMS 512
#define QUEUE_MAX_BYTES ((size_t)8 << 20)
#define HIGH_ITEMS 32
#define HIGH_BYTES ((size_t)1 << 20)
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 2000
/* A send blocked this long (a receiver that stopped reading, a connect to
 * a host that never answers) counts as a failure: the destination stops
 * holding replay/simulation and its queue drops instead. */
#define STUCK_S 1.0

struct item {
	struct item *next;
	lo_bundle b;
	size_t bytes;
};

struct lsr_osc_dest {
	char *url, *host, *port;
	int proto;
	bool multicast;
	struct lsr_osc_alarms *alarms;

	pthread_mutex_t mu;
	pthread_cond_t wake; /* the thread: work or stop */
	pthread_cond_t done; /* the owner: the thread has exited */
	pthread_t thread;
	bool started, stop, exited, failing;
	bool abandoned; /* the owner gave up waiting: the thread frees d */
	struct item *head, *tail;
	size_t n, bytes;
	uint64_t sent, dropped, failures;
	char err[160];

	/* Used by the thread only; cur and send_since under mu. */
	lo_address addr;
	struct item *cur;
	double send_since; /* monotonic s at which cur's send began */
};

/* ---- alarms (any thread pushes, the loop pops) ---- */

void lsr_osc_alarms_init(struct lsr_osc_alarms *a)
{
	memset(a, 0, sizeof *a);
	pthread_mutex_init(&a->mu, NULL);
}

void lsr_osc_alarms_destroy(struct lsr_osc_alarms *a) { pthread_mutex_destroy(&a->mu); }

static void alarm_push(struct lsr_osc_alarms *a, const char *text)
{
	pthread_mutex_lock(&a->mu);
	if (a->count == LSR_OSC_ALARMS) { /* keep the newest */
		a->first = (a->first + 1) % LSR_OSC_ALARMS;
		a->count--;
	}
	int i = (a->first + a->count) % LSR_OSC_ALARMS;
	snprintf(a->text[i], sizeof a->text[i], "%s", text);
	a->count++;
	pthread_mutex_unlock(&a->mu);
}

bool lsr_osc_alarms_pop(struct lsr_osc_alarms *a, char *text, size_t len)
{
	pthread_mutex_lock(&a->mu);
	bool any = a->count > 0;
	if (any) {
		snprintf(text, len, "%s", a->text[a->first]);
		a->first = (a->first + 1) % LSR_OSC_ALARMS;
		a->count--;
	}
	pthread_mutex_unlock(&a->mu);
	return any;
}

/* ---- URL checks ---- */

/* An IPv4 group (224.0.0.0/4): liblo's TTL applies to IPv4 sockets. */
static bool is_multicast(const char *host)
{
	unsigned char buf[4];
	return inet_pton(AF_INET, host, buf) == 1 && buf[0] >= 224 && buf[0] <= 239;
}

static bool valid_host(const char *h)
{
	if (!*h || strlen(h) > 253)
		return false;
	for (const char *c = h; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' || *c == ':'))
			return false;
	return true;
}

static bool valid_port(const char *p)
{
	int v;
	return p && lsr_number_int(p, 1, 65535, &v) == LSR_NUMBER_OK;
}

/* liblo's own path parser misreads bracketed IPv6 hosts. */
static bool no_path(const char *url)
{
	const char *p = strstr(url, "://");
	if (!p)
		return false;
	p += 3;
	if (*p == '[' && !(p = strchr(p, ']')))
		return false;
	p = strchr(p, '/');
	return !p || strcmp(p, "/") == 0;
}

static void item_free(struct item *it)
{
	if (it) {
		lo_bundle_free_recursive(it->b);
		free(it);
	}
}

void lsr_osc_dest_free(struct lsr_osc_dest *d)
{
	if (!d)
		return;
	while (d->head) {
		struct item *it = d->head;
		d->head = it->next;
		item_free(it);
	}
	item_free(d->cur);
	if (d->addr)
		lo_address_free(d->addr);
	pthread_cond_destroy(&d->wake);
	pthread_cond_destroy(&d->done);
	pthread_mutex_destroy(&d->mu);
	free(d->url);
	free(d->host);
	free(d->port);
	free(d);
}

struct lsr_osc_dest *lsr_osc_dest_new(const char *url, struct lsr_osc_alarms *alarms,
                                      char *err, size_t errlen)
{
	int proto = lo_url_get_protocol_id(url);
	if (proto != LO_UDP && proto != LO_TCP) {
		snprintf(err, errlen, "--osc %s: not an osc.udp:// or osc.tcp:// URL", url);
		return NULL;
	}
	char *host = lo_url_get_hostname(url), *port = lo_url_get_port(url);
	const char *why = NULL;
	if (!host || !valid_host(host))
		why = "needs a host (a name or a numeric address)";
	else if (!valid_port(port))
		why = "needs a port 1-65535";
	else if (!no_path(url))
		why = "takes no path (messages go to /lsrmon/...)";
	struct lsr_osc_dest *d = why ? NULL : calloc(1, sizeof *d);
	if (d) {
		d->url = strdup(url);
		if (!d->url) {
			free(d);
			d = NULL;
		}
	}
	if (!d) {
		if (!why)
			why = "out of memory";
		snprintf(err, errlen, "--osc %s: %s", url, why);
		free(host);
		free(port);
		return NULL;
	}
	d->host = host;
	d->port = port;
	d->proto = proto;
	d->multicast = proto == LO_UDP && is_multicast(host);
	d->alarms = alarms;
	/* Backoff and flush deadlines on the monotonic clock: a wall-clock step
	 * must not stretch them. */
	pthread_mutex_init(&d->mu, NULL);
	lsr_clock_cond_init(&d->wake);
	lsr_clock_cond_init(&d->done);
	return d;
}

const char *lsr_osc_dest_url(const struct lsr_osc_dest *d) { return d->url; }
bool lsr_osc_dest_multicast(const struct lsr_osc_dest *d) { return d->multicast; }

/* ---- the sender thread ---- */

static void set_failing(struct lsr_osc_dest *d, bool failing, const char *why)
{
	char text[LSR_OSC_ALARM_TEXT];
	if (failing) {
		snprintf(d->err, sizeof d->err, "%s", why);
		if (d->failing)
			return;
		snprintf(text, sizeof text, "OSC %s: %s; retrying", d->url, why);
	} else {
		if (!d->failing)
			return;
		snprintf(text, sizeof text, "OSC %s: delivering again", d->url);
		d->err[0] = '\0';
	}
	d->failing = failing;
	if (!d->abandoned) /* else the alarm queue is gone */
		alarm_push(d->alarms, text);
}

/* With d->mu held. */
static void check_stuck(struct lsr_osc_dest *d)
{
	if (d->cur && !d->failing && lsr_clock_mono() - d->send_since > STUCK_S)
		set_failing(d, true, "a send has been blocked for over 1 s "
		            "(receiver not reading, or not answering)");
}

/* Called with d->mu held; returns with it held.  False if stopping. */
static bool backoff_wait(struct lsr_osc_dest *d, long ms)
{
	struct timespec until;
	lsr_clock_deadline(&until, (double)ms / 1000);
	while (!d->stop)
		if (pthread_cond_timedwait(&d->wake, &d->mu, &until) == ETIMEDOUT)
			break;
	return !d->stop;
}

static void drop_all(struct lsr_osc_dest *d)
{
	while (d->head) {
		struct item *it = d->head;
		d->head = it->next;
		item_free(it);
		d->dropped++;
	}
	d->tail = NULL;
	d->n = 0;
	d->bytes = 0;
}

static lo_address make_address(struct lsr_osc_dest *d)
{
	lo_address a = lo_address_new_with_proto(d->proto, d->host, d->port);
	if (a && d->multicast)
		lo_address_set_ttl(a, 1);
	if (a && d->proto == LO_TCP)
		lo_address_set_tcp_nodelay(a, 1);
	return a;
}

static void *dest_run(void *arg)
{
	struct lsr_osc_dest *d = arg;
	long backoff = 0;
	pthread_mutex_lock(&d->mu);
	for (;;) {
		while (!d->head && !d->stop)
			pthread_cond_wait(&d->wake, &d->mu);
		if (!d->head || (d->stop && (d->failing || d->abandoned)))
			break;
		d->cur = d->head;
		d->head = d->cur->next;
		if (!d->head)
			d->tail = NULL;
		d->n--;
		d->bytes -= d->cur->bytes;
		d->send_since = lsr_clock_mono();
		pthread_mutex_unlock(&d->mu);

		if (!d->addr)
			d->addr = make_address(d);
		int r = d->addr ? lo_send_bundle(d->addr, d->cur->b) : -1;
		char why[128];
		const char *es = d->addr ? lo_address_errstr(d->addr) : "out of memory";
		snprintf(why, sizeof why, "%s", es ? es : "send failed");

		pthread_mutex_lock(&d->mu);
		struct item *it = d->cur;
		d->cur = NULL;
		if (r >= 0) {
			d->sent++;
			item_free(it);
			backoff = 0;
			set_failing(d, false, NULL);
			continue;
		}
		d->failures++;
		/* liblo's errno for an oversize message collides with
		 * EADDRNOTAVAIL; its text does not (docs/api-notes.md, B2). */
		bool oversize = strstr(why, "maximum message size") != NULL;
		if (oversize || d->proto == LO_UDP) {
			item_free(it);
			d->dropped++;
		} else { /* TCP: the same bundle again after the backoff */
			it->next = d->head;
			d->head = it;
			if (!d->tail)
				d->tail = it;
			d->n++;
			d->bytes += it->bytes;
		}
		set_failing(d, true, why);
		if (oversize)
			continue;
		backoff = backoff ? backoff * 2 : BACKOFF_MIN_MS;
		if (backoff > BACKOFF_MAX_MS)
			backoff = BACKOFF_MAX_MS;
		backoff_wait(d, backoff);
	}
	drop_all(d);
	d->exited = true;
	bool abandoned = d->abandoned;
	pthread_cond_broadcast(&d->done);
	pthread_mutex_unlock(&d->mu);
	if (abandoned)
		lsr_osc_dest_free(d);
	return NULL;
}

int lsr_osc_dest_start(struct lsr_osc_dest *d)
{
	if (lsr_thread_start(&d->thread, dest_run, d) != 0)
		return -1;
	d->started = true;
	return 0;
}

void lsr_osc_dest_push(struct lsr_osc_dest *d, lo_bundle b)
{
	struct item *it = malloc(sizeof *it);
	pthread_mutex_lock(&d->mu);
	if (!it) {
		lo_bundle_free_recursive(b);
		d->dropped++;
		pthread_mutex_unlock(&d->mu);
		return;
	}
	it->next = NULL;
	it->b = b;
	it->bytes = lo_bundle_length(b);
	while (d->head && (d->n >= QUEUE_MAX_ITEMS || d->bytes + it->bytes > QUEUE_MAX_BYTES)) {
		struct item *old = d->head;
		d->head = old->next;
		if (!d->head)
			d->tail = NULL;
		d->n--;
		d->bytes -= old->bytes;
		item_free(old);
		d->dropped++;
	}
	if (d->tail)
		d->tail->next = it;
	else
		d->head = it;
	d->tail = it;
	d->n++;
	d->bytes += it->bytes;
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->mu);
}

bool lsr_osc_dest_busy(struct lsr_osc_dest *d)
{
	pthread_mutex_lock(&d->mu);
	check_stuck(d);
	bool busy = !d->failing && (d->n >= HIGH_ITEMS || d->bytes >= HIGH_BYTES);
	pthread_mutex_unlock(&d->mu);
	return busy;
}

void lsr_osc_dest_counts(struct lsr_osc_dest *d, struct lsr_osc_dest_counts *c)
{
	pthread_mutex_lock(&d->mu);
	check_stuck(d);
	c->sent = d->sent;
	c->dropped = d->dropped;
	c->failures = d->failures;
	c->queued = d->n + (d->cur ? 1 : 0);
	c->failing = d->failing;
	snprintf(c->err, sizeof c->err, "%s", d->err);
	pthread_mutex_unlock(&d->mu);
}

void lsr_osc_dest_request_stop(struct lsr_osc_dest *d)
{
	pthread_mutex_lock(&d->mu);
	d->stop = true;
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->mu);
}

bool lsr_osc_dest_join(struct lsr_osc_dest *d, const struct timespec *deadline)
{
	if (!d->started)
		return true;
	pthread_mutex_lock(&d->mu);
	while (!d->exited)
		if (pthread_cond_timedwait(&d->done, &d->mu, deadline) == ETIMEDOUT)
			break;
	bool exited = d->exited;
	/* Still inside a send (a connect that hangs, or a receiver that stopped
	 * reading): leave the thread to finish and free d itself rather than
	 * hold the exit.  Cancelling it inside liblo would leave liblo's state
	 * undefined. */
	if (!exited)
		d->abandoned = true;
	pthread_mutex_unlock(&d->mu);
	if (exited)
		pthread_join(d->thread, NULL);
	else
		pthread_detach(d->thread);
	return exited;
}
