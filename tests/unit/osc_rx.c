/* tests/unit/osc_rx.c — the in-process liblo receiver of the OSC tests. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "osc_rx.h"

static struct rx_entry *grow(struct rx *r)
{
	if (r->n == r->cap) {
		int cap = r->cap ? r->cap * 2 : 256;
		struct rx_entry *e = realloc(r->e, (size_t)cap * sizeof *e);
		if (!e)
			abort();
		r->e = e;
		r->cap = cap;
	}
	struct rx_entry *e = &r->e[r->n++];
	memset(e, 0, sizeof *e);
	return e;
}

static int on_msg(const char *path, const char *types, lo_arg **argv, int argc,
                  lo_message m, void *user)
{
	(void)types;
	(void)argv;
	(void)argc;
	struct rx *r = user;
	struct rx_entry *e = grow(r);
	e->kind = RX_MSG;
	snprintf(e->path, sizeof e->path, "%s", path);
	e->m = lo_message_clone(m);
	r->nmsg++;
	return 0;
}

static int on_bundle(lo_timetag tt, void *user)
{
	struct rx_entry *e = grow(user);
	e->kind = RX_BUNDLE;
	e->tt = tt;
	return 0;
}

static int on_end(void *user)
{
	grow(user)->kind = RX_END;
	return 0;
}

static void on_error(int num, const char *msg, const char *where)
{
	(void)num;
	(void)msg;
	(void)where;
}

struct rx *rx_new(int proto, const char *port)
{
	struct rx *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->s = lo_server_new_with_proto(port, proto, on_error);
	if (!r->s) {
		free(r);
		return NULL;
	}
	lo_server_add_method(r->s, NULL, NULL, on_msg, r);
	lo_server_add_bundle_handlers(r->s, on_bundle, on_end, r);
	return r;
}

int rx_port(const struct rx *r) { return lo_server_get_port(r->s); }

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

bool rx_wait_msgs(struct rx *r, int nmsg, int timeout_ms)
{
	double until = mono() + timeout_ms / 1000.0;
	while (r->nmsg < nmsg && mono() < until)
		lo_server_recv_noblock(r->s, 20);
	return r->nmsg >= nmsg;
}

void rx_serve(struct rx *r, int ms)
{
	double until = mono() + ms / 1000.0;
	while (mono() < until)
		lo_server_recv_noblock(r->s, 10);
}

const struct rx_entry *rx_msg(const struct rx *r, int i)
{
	for (int k = 0; k < r->n; k++)
		if (r->e[k].kind == RX_MSG && i-- == 0)
			return &r->e[k];
	return NULL;
}

void rx_free(struct rx *r)
{
	if (!r)
		return;
	for (int k = 0; k < r->n; k++)
		if (r->e[k].kind == RX_MSG)
			lo_message_free(r->e[k].m);
	free(r->e);
	lo_server_free(r->s);
	free(r);
}

int rx_closed_port(int socktype)
{
	int fd = socket(AF_INET, socktype, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t l = sizeof a;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &l) != 0)
		abort();
	close(fd);
	return ntohs(a.sin_port);
}
