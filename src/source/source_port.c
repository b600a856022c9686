/* src/source/source_port.c — the live serial source: reads the port into the
 * driver, reports link changes (disconnected, stalled, connected), reopens
 * the user's port name after an unplug without spinning, and raises
 * no_valid_frames when only garbage arrives. */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "port.h"
#include "source.h"
#include "source_port.h"

#define PORT_STALL_S 2.0        /* no bytes this long without a hang-up */
#define PORT_NO_FRAMES_S 2.0    /* bytes but no valid frame this long */
#define PORT_BACKOFF_MIN_S 0.1
#define PORT_BACKOFF_MAX_S 0.5   /* a returning device is seen within 0.5 s */
#define PORT_FLAP_S 1.0         /* a port that ends without a frame: the next open
                                   no sooner than this after the last (≤ 2 link
                                   events a second, man/lsrmon.1 "--port") */
#define PORT_READ_CHUNK 65536
#define PORT_MAX_READS 16       /* per pump: keeps the loop responsive */
#define PORT_WRITE_TIMEOUT_MS 200

struct port_source {
	char *name;
	int baud;
	const struct lsr_driver *drv;
	void *drv_st;
	struct lsr_port *port;      /* NULL while disconnected */
	bool started;               /* the first pump has reported the link */
	bool stalled;
	bool alarmed;
	double last_byte;           /* monotonic time of the last byte read */
	double last_frame;          /* ... of the last growth of frames */
	uint64_t frames_seen;
	uint64_t bytes_at_frame;    /* driver byte count at last_frame */
	double retry_at;
	double backoff;
	double opened_at;           /* monotonic time of the last open */
	uint64_t frames_at_open;    /* driver frame count then */
	struct lsr_source src;      /* handed out; destroy frees it with us */
	uint8_t buf[PORT_READ_CHUNK];
};

static const char *port_driver_name(void *st)
{
	return ((struct port_source *)st)->drv->name;
}

static int port_poll_fd(void *st)
{
	struct port_source *s = st;
	return s->port ? lsr_port_fd(s->port) : -1;
}

static void start_device(struct port_source *s)
{
	/* Only drivers that need it (openbci) have start bytes; a failed
	 * write shows up as a stream without frames, which is alarmed. */
	if (s->drv->start_len)
		(void)lsr_port_write(s->port, s->drv->start_bytes, s->drv->start_len,
		                     PORT_WRITE_TIMEOUT_MS);
}

static void stop_device(struct port_source *s)
{
	if (s->port && s->drv->stop_len)
		(void)lsr_port_write(s->port, s->drv->stop_bytes, s->drv->stop_len,
		                     PORT_WRITE_TIMEOUT_MS);
}

static void mark_alive(struct port_source *s, double now)
{
	s->last_byte = now;
	s->last_frame = now;
	struct lsr_driver_stats st;
	s->drv->stats(s->drv_st, &st);
	s->frames_seen = st.frames;
	s->bytes_at_frame = st.bytes;
	s->stalled = false;
	s->alarmed = false;
}

static void opened(struct port_source *s, double now)
{
	struct lsr_driver_stats st;
	s->drv->stats(s->drv_st, &st);
	s->opened_at = now;
	s->frames_at_open = st.frames;
}

/* A device that streamed and went away is looked for again at once; a port
 * that opened and ended without one valid frame (a flapping link, a device
 * that hangs up on open) backs off like a missing one, and is opened no
 * sooner than PORT_FLAP_S after the last time. */
static void disconnect(struct port_source *s, double now, const struct lsr_source_env *env)
{
	struct lsr_driver_stats st;
	s->drv->stats(s->drv_st, &st);
	lsr_port_close(s->port);
	s->port = NULL;
	if (st.frames > s->frames_at_open) {
		s->backoff = PORT_BACKOFF_MIN_S;
		s->retry_at = now + s->backoff;
	} else {
		s->backoff = fmin(s->backoff * 2, PORT_BACKOFF_MAX_S);
		s->retry_at = fmax(now + s->backoff, s->opened_at + PORT_FLAP_S);
	}
	env->link(env->ctx, LSR_LINK_DISCONNECTED);
}

static int ms_until(double now, double when)
{
	double ms = ceil((when - now) * 1000.0);
	if (ms < 1)
		return 1;
	return ms > 60000 ? 60000 : (int)ms;
}

static int try_reopen(struct port_source *s, double now, const struct lsr_source_env *env)
{
	if (now < s->retry_at)
		return ms_until(now, s->retry_at);
	char err[512];
	bool refused;
	s->port = lsr_port_open(s->name, s->baud, &refused, err, sizeof err);
	if (!s->port) {
		s->backoff = fmin(s->backoff * 2, PORT_BACKOFF_MAX_S);
		s->retry_at = now + s->backoff;
		return ms_until(now, s->retry_at);
	}
	s->drv->resync(s->drv_st);
	opened(s, now);
	start_device(s);
	mark_alive(s, now);
	env->link(env->ctx, LSR_LINK_CONNECTED);
	return 0; /* read what is already waiting at once */
}

/* Reads what the port holds; false when the device went away. */
static bool read_port(struct port_source *s, double now, const struct lsr_source_env *env)
{
	struct pollfd pfd = {.fd = lsr_port_fd(s->port), .events = POLLIN};
	if (poll(&pfd, 1, 0) < 0)
		return errno == EINTR;
	bool hangup = pfd.revents & (POLLHUP | POLLERR | POLLNVAL);
	if (!(pfd.revents & POLLIN))
		return !hangup;
	for (int i = 0; i < PORT_MAX_READS; i++) {
		ssize_t n = lsr_port_read(s->port, s->buf, sizeof s->buf);
		if (n < 0)
			return false;
		if (n == 0)
			break; /* emptied (a read of 0 bytes, end of file, is n < 0) */
		if (s->stalled) {
			s->stalled = false;
			env->link(env->ctx, LSR_LINK_CONNECTED);
		}
		s->last_byte = now;
		if (env->raw)
			env->raw(env->ctx, s->buf, (size_t)n);
		s->drv->feed(s->drv_st, s->buf, (size_t)n, env->sink);
		if ((size_t)n < sizeof s->buf)
			break;
	}
	return !hangup;
}

static void check_frames(struct port_source *s, double now, const struct lsr_source_env *env)
{
	struct lsr_driver_stats st;
	s->drv->stats(s->drv_st, &st);
	if (st.frames != s->frames_seen) {
		s->frames_seen = st.frames;
		s->bytes_at_frame = st.bytes;
		s->last_frame = now;
		s->alarmed = false;
		return;
	}
	/* Bytes keep coming but none makes a frame: wrong driver, wrong baud
	 * rate or a broken device.  A silent port is a stall, not this. */
	if (!s->alarmed && st.bytes > s->bytes_at_frame &&
	    now - s->last_frame >= PORT_NO_FRAMES_S) {
		char text[256];
		snprintf(text, sizeof text, "no valid %s frame for %.0f s from %s "
		         "(%llu bytes): wrong driver or baud rate?", s->drv->name,
		         now - s->last_frame, s->name,
		         (unsigned long long)(st.bytes - s->bytes_at_frame));
		env->alarm(env->ctx, "no_valid_frames", text);
		s->alarmed = true;
	}
}

static int port_pump(void *st, double now, const struct lsr_source_env *env)
{
	struct port_source *s = st;
	if (!s->started) {
		s->started = true;
		opened(s, now);
		mark_alive(s, now);
		env->link(env->ctx, LSR_LINK_CONNECTED);
	}
	if (!s->port)
		return try_reopen(s, now, env);
	if (!read_port(s, now, env)) {
		disconnect(s, now, env);
		return ms_until(now, s->retry_at);
	}
	check_frames(s, now, env);
	if (!s->stalled && now - s->last_byte >= PORT_STALL_S) {
		s->stalled = true;
		env->link(env->ctx, LSR_LINK_STALLED);
	}
	double next = INFINITY;
	if (!s->stalled)
		next = s->last_byte + PORT_STALL_S;
	/* The no-frames alarm can only fire once bytes came without a frame;
	 * a silent port must not ask to be woken at a deadline already past
	 * (that was a wake-up every millisecond for as long as it stayed
	 * silent).  New bytes wake the loop through the descriptor anyway. */
	struct lsr_driver_stats ds;
	s->drv->stats(s->drv_st, &ds);
	if (!s->alarmed && ds.bytes > s->bytes_at_frame)
		next = fmin(next, s->last_frame + PORT_NO_FRAMES_S);
	return isinf(next) ? -1 : ms_until(now, next);
}

static void port_stats(const void *st, struct lsr_driver_stats *out)
{
	const struct port_source *s = st;
	s->drv->stats(s->drv_st, out);
}

static void port_destroy(void *st)
{
	struct port_source *s = st;
	if (!s)
		return;
	stop_device(s);
	lsr_port_close(s->port);
	if (s->drv_st)
		s->drv->destroy(s->drv_st);
	free(s->name);
	free(s);
}

static const struct lsr_source_ops port_ops = {
	.kind = "port",
	.driver_name = port_driver_name,
	.poll_fd = port_poll_fd,
	.pump = port_pump,
	.rewind = NULL,
	.stats = port_stats,
	.destroy = port_destroy,
};

struct lsr_source *lsr_source_port_new(const char *name, const struct lsr_driver *drv,
                                       int baud, bool *refused, char *err, size_t errlen)
{
	*refused = false;
	if (!drv->feed) {
		snprintf(err, errlen, "driver %s does not read a port", drv->name);
		return NULL;
	}
	struct port_source *s = calloc(1, sizeof *s);
	if (!s || !(s->name = strdup(name))) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	s->drv = drv;
	s->baud = baud > 0 ? baud : drv->default_baud;
	s->drv_st = drv->create(&(struct lsr_driver_opts){0}, err, errlen);
	if (!s->drv_st)
		goto fail;
	s->port = lsr_port_open(name, s->baud, refused, err, errlen);
	if (!s->port)
		goto fail;
	s->backoff = PORT_BACKOFF_MIN_S;
	start_device(s);
	s->src = (struct lsr_source){&port_ops, s};
	return &s->src;
fail:
	port_destroy(s);
	return NULL;
}
