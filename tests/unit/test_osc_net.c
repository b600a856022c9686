/* tests/unit/test_osc_net.c — OSC delivery under failure (UDP to nobody,
 * TCP refused, a TCP receiver that dies and returns, back-pressure) and
 * remote marks in through --osc-listen. */
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "osc.h"
#include "osc_rx.h"

/* liblo's argument pointers are only 4-byte aligned: read through memcpy. */
static int32_t ai(const lo_arg *a)
{
	int32_t v;
	memcpy(&v, a, sizeof v);
	return v;
}

#define WAIT_S 5.0

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct lsr_osc *osc_to(const char *proto, int port, bool sweeps, bool live)
{
	char url[64], err[200] = "";
	snprintf(url, sizeof url, "osc.%s://127.0.0.1:%d/", proto, port);
	const char *u[] = { url };
	struct lsr_osc *o = lsr_osc_new(u, 1, sweeps, false, live, err, sizeof err);
	ck_assert_msg(o != NULL, "%s", err);
	return o;
}

static void push_stim(struct lsr_osc *o, int n)
{
	const struct lsr_sink *s = lsr_osc_sink(o);
	struct lsr_event e = { .type = LSR_EV_STIM, .t = n * 0.5 };
	e.stim.n = n;
	s->event(s->ctx, &e);
	s->group_end(s->ctx);
}

/* Waits for the next alarm; its text, or NULL after WAIT_S. */
static const char *next_alarm(struct lsr_osc *o, struct rx *serve)
{
	static char what[16], text[256];
	double until = mono() + WAIT_S;
	while (mono() < until) {
		if (lsr_osc_poll_alarm(o, what, sizeof what, text, sizeof text)) {
			ck_assert_str_eq(what, "osc");
			return text;
		}
		if (serve)
			rx_serve(serve, 10);
		else
			usleep(5000);
	}
	return NULL;
}

START_TEST(udp_to_nobody_keeps_going)
{
	struct lsr_osc *o = osc_to("udp", rx_closed_port(SOCK_DGRAM), false, false);
	for (int n = 1; n <= 50; n++)
		push_stim(o, n);
	double until = mono() + WAIT_S;
	while (lsr_osc_sent(o) < 50 && mono() < until)
		usleep(2000);
	ck_assert_uint_eq(lsr_osc_sent(o), 50);
	ck_assert_uint_eq(lsr_osc_dropped(o), 0);
	char what[16], text[256];
	ck_assert(!lsr_osc_poll_alarm(o, what, sizeof what, text, sizeof text));
	lsr_osc_free(o);
}
END_TEST

/* A refusing TCP destination is reported, never holds the source, and its
 * full queue drops (and counts) the oldest bundles. */
START_TEST(tcp_refused_reported)
{
	struct lsr_osc *o = osc_to("tcp", rx_closed_port(SOCK_STREAM), false, false);
	push_stim(o, 1);
	const char *a = next_alarm(o, NULL);
	ck_assert_ptr_nonnull(a);
	ck_assert_msg(strstr(a, "refused") != NULL, "%s", a);
	ck_assert(lsr_osc_failing(o));
	for (int n = 2; n <= 700; n++) {
		push_stim(o, n);
		ck_assert(!lsr_osc_busy(o));
	}
	ck_assert_uint_ge(lsr_osc_dropped(o), 700 - 512 - 1);
	char status[256];
	lsr_osc_status(o, status, sizeof status);
	ck_assert_msg(strstr(status, "FAILING") && strstr(status, "refused"), "%s", status);
	lsr_osc_free(o);
}
END_TEST

/* The receiver dies mid-session and comes back on the same port: the
 * failure is reported, delivery resumes in order, recovery is reported. */
START_TEST(tcp_receiver_returns)
{
	struct rx *r = rx_new(LO_TCP, NULL);
	ck_assert_ptr_nonnull(r);
	int port = rx_port(r);
	char portstr[16];
	snprintf(portstr, sizeof portstr, "%d", port);
	struct lsr_osc *o = osc_to("tcp", port, false, false);
	int n = 0;
	while (n < 5)
		push_stim(o, ++n);
	ck_assert(rx_wait_msgs(r, 5, 5000));
	rx_free(r);

	const char *a = NULL;
	double until = mono() + WAIT_S;
	char what[16], text[256];
	while (!a && mono() < until) {
		push_stim(o, ++n);
		usleep(20000);
		if (lsr_osc_poll_alarm(o, what, sizeof what, text, sizeof text))
			a = text;
	}
	ck_assert_msg(a != NULL, "no failure reported");
	ck_assert_msg(strstr(a, "retrying") != NULL, "%s", a);
	ck_assert(lsr_osc_failing(o));
	int last_before = n;

	r = rx_new(LO_TCP, portstr);
	ck_assert_msg(r != NULL, "cannot listen again on %s", portstr);
	a = next_alarm(o, r);
	ck_assert_msg(a && strstr(a, "delivering again"), "%s", a ? a : "no recovery");
	push_stim(o, ++n);
	/* Everything from the retried bundle on arrives, in order. */
	until = mono() + WAIT_S;
	int last = 0;
	while (last != n && mono() < until) {
		rx_serve(r, 10);
		for (int i = 0; rx_msg(r, i); i++) {
			int got = ai(lo_message_get_argv(rx_msg(r, i)->m)[1]);
			ck_assert_int_gt(got, i ? ai(lo_message_get_argv(rx_msg(r, i - 1)->m)[1]) : 5);
			last = got;
		}
	}
	ck_assert_int_eq(last, n);
	ck_assert_int_le(rx_msg(r, 0) ? ai(lo_message_get_argv(rx_msg(r, 0)->m)[1]) : 0, last_before);
	ck_assert(!lsr_osc_failing(o));
	lsr_osc_free(o);
	rx_free(r);
}
END_TEST

/* Freeing the sink delivers what is still queued (the end event). */
START_TEST(free_flushes_queue)
{
	struct rx *r = rx_new(LO_TCP, NULL);
	ck_assert_ptr_nonnull(r);
	struct lsr_osc *o = osc_to("tcp", rx_port(r), false, false);
	for (int n = 1; n <= 300; n++)
		push_stim(o, n);
	lsr_osc_free(o);
	ck_assert(rx_wait_msgs(r, 300, 5000));
	ck_assert_int_eq(ai(lo_message_get_argv(rx_msg(r, 299)->m)[1]), 300);
	rx_free(r);
}
END_TEST

/* A TCP receiver that accepts but does not read: back-pressure. */
static int stuck_listener(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int small = 4096;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t l = sizeof a;
	ck_assert(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && listen(fd, 4) == 0 &&
	          getsockname(fd, (struct sockaddr *)&a, &l) == 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static void push_sweep_group(struct lsr_osc *o, int n, const float *raw, int len)
{
	const struct lsr_sink *s = lsr_osc_sink(o);
	struct lsr_event e = { .type = LSR_EV_RESPONSE, .t = n };
	e.response.n = n;
	e.response.raw = raw;
	e.response.sweep_len = len;
	s->event(s->ctx, &e);
	s->group_end(s->ctx);
}

enum { BIG = 10000 };
static float big[BIG];

/* Replay/simulation: a receiver that lags makes the sink busy (the session
 * holds the source) and nothing is dropped; reading again clears it. */
START_TEST(backpressure_holds_source)
{
	int port, lfd = stuck_listener(&port);
	struct lsr_osc *o = osc_to("tcp", port, true, false);
	int n = 0;
	while (!lsr_osc_busy(o) && n < 5000)
		push_sweep_group(o, ++n, big, BIG);
	ck_assert_msg(lsr_osc_busy(o), "never busy after %d groups", n);
	int cfd = accept(lfd, NULL, NULL);
	ck_assert_int_ge(cfd, 0);
	static char sink[65536];
	double until = mono() + WAIT_S;
	while (lsr_osc_busy(o) && mono() < until) {
		struct pollfd p = { cfd, POLLIN, 0 };
		if (poll(&p, 1, 10) > 0 && read(cfd, sink, sizeof sink) <= 0)
			break;
	}
	ck_assert(!lsr_osc_busy(o));
	ck_assert_uint_eq(lsr_osc_dropped(o), 0);
	close(cfd);
	close(lfd);
	lsr_osc_free(o);
}
END_TEST

/* Replay/simulation: a receiver that stops reading for good holds the
 * source only until its send has been blocked for a while; then it is
 * reported, no longer holds the source, and its queue drops. */
START_TEST(stuck_receiver_released)
{
	int port, lfd = stuck_listener(&port);
	struct lsr_osc *o = osc_to("tcp", port, true, false);
	int n = 0;
	while (!lsr_osc_busy(o) && n < 5000)
		push_sweep_group(o, ++n, big, BIG);
	ck_assert(lsr_osc_busy(o));
	/* Keep producing, as a source would, until the kernel's buffers are
	 * full and the send blocks long enough to be reported. */
	const char *a = NULL;
	char what[16], text[256];
	double until = mono() + WAIT_S;
	while (!a && mono() < until) {
		push_sweep_group(o, ++n, big, BIG);
		if (lsr_osc_poll_alarm(o, what, sizeof what, text, sizeof text))
			a = text;
		else
			usleep(1000);
	}
	ck_assert_msg(a && strstr(a, "blocked"), "%s", a ? a : "no alarm");
	ck_assert(!lsr_osc_busy(o));
	ck_assert(lsr_osc_failing(o));
	for (int k = 0; k < 600; k++)
		push_sweep_group(o, ++n, big, BIG);
	ck_assert_uint_gt(lsr_osc_dropped(o), 0);
	lsr_osc_free(o); /* gives up on the blocked send within its bound */
	close(lfd);
}
END_TEST

/* Live: never busy; the oldest bundles go and are counted.  Freeing gives
 * up on the stuck send within its bound. */
START_TEST(live_drops_oldest)
{
	int port, lfd = stuck_listener(&port);
	struct lsr_osc *o = osc_to("tcp", port, true, true);
	for (int n = 1; n <= 1200; n++) {
		push_sweep_group(o, n, big, BIG);
		ck_assert(!lsr_osc_busy(o));
	}
	ck_assert_uint_gt(lsr_osc_dropped(o), 0);
	lsr_osc_free(o);
	close(lfd);
}
END_TEST

/* ---- --osc-listen ---- */

struct marks {
	int n;
	char label[8][80];
};

static void on_mark(void *ctx, const char *label)
{
	struct marks *m = ctx;
	if (m->n < 8)
		snprintf(m->label[m->n], sizeof m->label[0], "%s", label);
	m->n++;
}

static void read_until_accepted(struct lsr_osc_listen *l, struct marks *m, uint64_t want)
{
	double until = mono() + WAIT_S;
	while (lsr_osc_listen_accepted(l) < want && mono() < until) {
		struct pollfd p = { lsr_osc_listen_fd(l), POLLIN, 0 };
		if (poll(&p, 1, 50) > 0)
			lsr_osc_listen_read(l, on_mark, m);
	}
}

static void send_msg(lo_address a, const char *path, const char *type, const char *s, int i)
{
	lo_message m = lo_message_new();
	for (const char *t = type; *t; t++)
		if (*t == 's')
			lo_message_add_string(m, s);
		else
			lo_message_add_int32(m, i);
	ck_assert_int_ge(lo_send_message(a, path, m), 0);
	lo_message_free(m);
}

START_TEST(listen_accepts_marks)
{
	char err[200] = "";
	struct lsr_osc_listen *l = lsr_osc_listen_new("127.0.0.1:0", err, sizeof err);
	ck_assert_msg(l != NULL, "%s", err);
	char port[16];
	snprintf(port, sizeof port, "%d", lsr_osc_listen_port(l));
	lo_address a = lo_address_new("127.0.0.1", port);
	struct marks m = { 0 };
	send_msg(a, "/lsrmon/mark", "s", "Decompression", 0);
	/* Inside a bundle, as TouchOSC and SuperCollider may send it. */
	lo_bundle b = lo_bundle_new(LO_TT_IMMEDIATE);
	lo_message msg = lo_message_new();
	lo_message_add_string(msg, "Dura open \xc3\xa9");
	lo_bundle_add_message(b, "/lsrmon/mark", msg);
	ck_assert_int_ge(lo_send_bundle(a, b), 0);
	lo_bundle_free_recursive(b);
	read_until_accepted(l, &m, 2);
	ck_assert_int_eq(m.n, 2);
	ck_assert_str_eq(m.label[0], "Decompression");
	ck_assert_str_eq(m.label[1], "Dura open \xc3\xa9");
	ck_assert_uint_eq(lsr_osc_listen_ignored(l), 0);
	lo_address_free(a);
	lsr_osc_listen_free(l);
}
END_TEST

START_TEST(listen_ignores_malformed)
{
	char err[200] = "";
	struct lsr_osc_listen *l = lsr_osc_listen_new("0", err, sizeof err);
	ck_assert_msg(l != NULL, "%s", err);
	char port[16];
	snprintf(port, sizeof port, "%d", lsr_osc_listen_port(l));
	lo_address a = lo_address_new("127.0.0.1", port);
	char longlabel[LSR_OSC_LABEL_MAX + 2];
	memset(longlabel, 'x', sizeof longlabel - 1);
	longlabel[sizeof longlabel - 1] = '\0';
	send_msg(a, "/lsrmon/mark", "i", NULL, 3);
	send_msg(a, "/lsrmon/mark", "ss", "a", 0);
	send_msg(a, "/lsrmon/marks", "s", "a", 0);
	send_msg(a, "/lsrmon/mark", "s", "", 0);
	send_msg(a, "/lsrmon/mark", "s", longlabel, 0);
	send_msg(a, "/lsrmon/mark", "s", "bad \xff utf8", 0);
	send_msg(a, "/lsrmon/mark", "s", "two\nlines", 0);
	/* Raw garbage and a bundle whose element size lies. */
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
		                  .sin_port = htons((uint16_t)lsr_osc_listen_port(l)) };
	static const char garbage[] = "hello world";
	static const unsigned char liar[20] = "#bundle\0\0\0\0\0\0\0\0\1\0\0\1\0";
	ck_assert(sendto(fd, garbage, sizeof garbage, 0, (struct sockaddr *)&to, sizeof to) > 0);
	ck_assert(sendto(fd, liar, sizeof liar, 0, (struct sockaddr *)&to, sizeof to) > 0);
	close(fd);
	send_msg(a, "/lsrmon/mark", "s", "Closure", 0); /* the sentinel */
	struct marks m = { 0 };
	read_until_accepted(l, &m, 1);
	ck_assert_int_eq(m.n, 1);
	ck_assert_str_eq(m.label[0], "Closure");
	ck_assert_uint_eq(lsr_osc_listen_ignored(l), 9);
	lo_address_free(a);
	lsr_osc_listen_free(l);
}
END_TEST

START_TEST(listen_specs)
{
	static const char *bad[] = { "", "abc", "70000", "-1", "localhost:9000", "1.2.3:9",
		                     "127.0.0.1:", ":9000", "[::1]", "0x50", "+80", "127.0.0.1:8e1" };
	char err[200];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		ck_assert_msg(lsr_osc_listen_new(bad[i], err, sizeof err) == NULL, "%s accepted", bad[i]);
		ck_assert_msg(strstr(err, "--osc-listen") != NULL, "%s: %s", bad[i], err);
	}
	/* The default address is loopback. */
	struct lsr_osc_listen *l = lsr_osc_listen_new("0", err, sizeof err);
	ck_assert_ptr_nonnull(l);
	struct sockaddr_in got;
	socklen_t gl = sizeof got;
	ck_assert_int_eq(getsockname(lsr_osc_listen_fd(l), (struct sockaddr *)&got, &gl), 0);
	ck_assert_uint_eq(ntohl(got.sin_addr.s_addr), INADDR_LOOPBACK);
	lsr_osc_listen_free(l);
}
END_TEST

Suite *suite_osc_net(void)
{
	Suite *s = suite_create("osc_net");
	TCase *tc = tcase_create("delivery");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, udp_to_nobody_keeps_going);
	tcase_add_test(tc, tcp_refused_reported);
	tcase_add_test(tc, tcp_receiver_returns);
	tcase_add_test(tc, free_flushes_queue);
	tcase_add_test(tc, backpressure_holds_source);
	tcase_add_test(tc, stuck_receiver_released);
	tcase_add_test(tc, live_drops_oldest);
	suite_add_tcase(s, tc);
	tc = tcase_create("listen");
	tcase_add_test(tc, listen_accepts_marks);
	tcase_add_test(tc, listen_ignores_malformed);
	tcase_add_test(tc, listen_specs);
	suite_add_tcase(s, tc);
	return s;
}
