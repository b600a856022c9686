/* src/sink/osc_listen.c — --osc-listen: a non-blocking UDP socket the poll loop
 * watches; /lsrmon/mark s becomes an operator mark, anything else is counted
 * and ignored. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "number.h"
#include "osc.h"
#include "osc_priv.h"

#define DGRAM_MAX 65536
#define BUNDLE_DEPTH_MAX 4

struct lsr_osc_listen {
	int fd, port;
	uint64_t accepted, ignored;
	unsigned char buf[DGRAM_MAX];
};

/* "[ADDR:]PORT": ADDR numeric IPv4, or IPv6 in brackets. */
static int parse_spec(const char *spec, struct sockaddr_storage *ss, socklen_t *sl,
                      char *err, size_t errlen)
{
	char host[64] = "127.0.0.1";
	const char *portstr = spec;
	const char *colon = strrchr(spec, ':');
	if (colon) {
		size_t hl = (size_t)(colon - spec);
		const char *h = spec;
		if (hl >= 2 && spec[0] == '[' && spec[hl - 1] == ']') {
			h++;
			hl -= 2;
		}
		if (hl == 0 || hl >= sizeof host) {
			snprintf(err, errlen, "--osc-listen %s: bad address", spec);
			return -1;
		}
		memcpy(host, h, hl);
		host[hl] = '\0';
		portstr = colon + 1;
	}
	int port;
	int r = lsr_number_int(portstr, 0, 65535, &port);
	if (r < 0) {
		lsr_number_explain(err, errlen, "--osc-listen PORT", portstr, r, "0-65535");
		return -1;
	}
	memset(ss, 0, sizeof *ss);
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
		*sl = sizeof *in4;
	} else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*sl = sizeof *in6;
	} else {
		snprintf(err, errlen, "--osc-listen %s: ADDR must be a numeric address "
		         "(IPv6 in brackets)", spec);
		return -1;
	}
	return 0;
}

struct lsr_osc_listen *lsr_osc_listen_new(const char *spec, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	if (parse_spec(spec, &ss, &sl, err, errlen) != 0) {
		errno = EINVAL;
		return NULL;
	}
	struct lsr_osc_listen *l = calloc(1, sizeof *l);
	if (!l) {
		snprintf(err, errlen, "--osc-listen: out of memory");
		return NULL;
	}
	l->fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (l->fd < 0 || bind(l->fd, (struct sockaddr *)&ss, sl) != 0) {
		int e = errno;
		snprintf(err, errlen, "--osc-listen %s: %s", spec, strerror(e));
		if (l->fd >= 0)
			close(l->fd);
		free(l);
		errno = e == EINVAL ? EADDRNOTAVAIL : e;
		return NULL;
	}
	struct sockaddr_storage got;
	socklen_t gl = sizeof got;
	if (getsockname(l->fd, (struct sockaddr *)&got, &gl) == 0)
		l->port = ntohs(got.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&got)->sin6_port
		                                          : ((struct sockaddr_in *)&got)->sin_port);
	return l;
}

int lsr_osc_listen_fd(const struct lsr_osc_listen *l) { return l->fd; }
int lsr_osc_listen_port(const struct lsr_osc_listen *l) { return l->port; }
uint64_t lsr_osc_listen_accepted(const struct lsr_osc_listen *l) { return l->accepted; }
uint64_t lsr_osc_listen_ignored(const struct lsr_osc_listen *l) { return l->ignored; }

static bool label_ok(const char *s)
{
	size_t len = strlen(s);
	if (len == 0 || len > LSR_OSC_LABEL_MAX)
		return false;
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < len;) {
		if (u[i] < 0x20 || u[i] == 0x7f)
			return false;
		size_t k = lsr_osc_utf8_len(u + i, len - i);
		if (k == 0)
			return false;
		i += k;
	}
	return true;
}

static void handle_message(struct lsr_osc_listen *l, unsigned char *data, size_t size,
                           void (*mark)(void *, const char *), void *ctx)
{
	int result = 0;
	lo_message m = lo_message_deserialise(data, size, &result);
	if (!m) {
		l->ignored++;
		return;
	}
	/* Deserialisation checked that the path and the string argument are
	 * terminated; liblo's lo_arg pointers are only 4-byte aligned, so read
	 * the string through a char pointer. */
	const char *path = (const char *)data;
	const char *types = lo_message_get_types(m);
	lo_arg **argv = lo_message_get_argv(m);
	if (strcmp(path, "/lsrmon/mark") == 0 && types && strcmp(types, "s") == 0 &&
	    argv && label_ok((const char *)argv[0])) {
		l->accepted++;
		mark(ctx, (const char *)argv[0]);
	} else {
		l->ignored++;
	}
	lo_message_free(m);
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A bundle: "#bundle\0", a time tag (ignored: a mark is taken when it
 * arrives), then elements each preceded by its big-endian size. */
static void handle_packet(struct lsr_osc_listen *l, unsigned char *data, size_t size, int depth,
                          void (*mark)(void *, const char *), void *ctx)
{
	if (size >= 16 && memcmp(data, "#bundle", 8) == 0) {
		if (depth >= BUNDLE_DEPTH_MAX) {
			l->ignored++;
			return;
		}
		size_t off = 16;
		while (off < size) {
			if (size - off < 4) {
				l->ignored++;
				return;
			}
			uint32_t n = be32(data + off);
			off += 4;
			if (n == 0 || n % 4 || n > size - off) {
				l->ignored++;
				return;
			}
			handle_packet(l, data + off, n, depth + 1, mark, ctx);
			off += n;
		}
		return;
	}
	handle_message(l, data, size, mark, ctx);
}

void lsr_osc_listen_handle(struct lsr_osc_listen *l, unsigned char *data, size_t size,
                           void (*mark)(void *ctx, const char *label), void *ctx)
{
	handle_packet(l, data, size, 0, mark, ctx);
}

void lsr_osc_listen_read(struct lsr_osc_listen *l,
                         void (*mark)(void *ctx, const char *label), void *ctx)
{
	for (;;) {
		ssize_t n = recv(l->fd, l->buf, sizeof l->buf, MSG_TRUNC);
		if (n < 0) {
			/* EAGAIN: drained.  Anything else (an ICMP error queued on
			 * the socket) is not ours to act on: stop for this turn. */
			return;
		}
		if ((size_t)n > sizeof l->buf || n == 0) {
			l->ignored++;
			continue;
		}
		lsr_osc_listen_handle(l, l->buf, (size_t)n, mark, ctx);
	}
}

void lsr_osc_listen_free(struct lsr_osc_listen *l)
{
	if (!l)
		return;
	close(l->fd);
	free(l);
}
