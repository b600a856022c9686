/* tests/unit/test_source_port.c — the live port source over a pty the test
 * owns: exclusive open, missing port, data, stall, garbage alarm, hang-up
 * and reopening behind the same link.  Time is the test's own (`now`). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lsrb_build.h"
#include "port.h"
#include "rec_sink.h"
#include "source_port.h"

struct env_rec {
	struct rec rec;
	int links[32];
	int nlinks;
	int alarms;
	char alarm_what[64];
	size_t raw;
};

static void on_link(void *ctx, enum lsr_link_status st)
{
	struct env_rec *e = ctx;
	if (e->nlinks < 32)
		e->links[e->nlinks++] = (int)st;
}

static void on_alarm(void *ctx, const char *what, const char *text)
{
	struct env_rec *e = ctx;
	ck_assert_ptr_nonnull(text);
	e->alarms++;
	snprintf(e->alarm_what, sizeof e->alarm_what, "%s", what);
}

static void on_raw(void *ctx, const uint8_t *buf, size_t n)
{
	(void)buf;
	((struct env_rec *)ctx)->raw += n;
}

/* A new pty master; the link points at its slave. */
static int new_pty(const char *link)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
	ck_assert_int_ge(m, 0);
	ck_assert_int_eq(grantpt(m), 0);
	ck_assert_int_eq(unlockpt(m), 0);
	char tmp[256];
	snprintf(tmp, sizeof tmp, "%s.new", link);
	unlink(tmp);
	ck_assert_int_eq(symlink(ptsname(m), tmp), 0);
	ck_assert_int_eq(rename(tmp, link), 0);
	return m;
}

static void write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EAGAIN) {
			struct pollfd pfd = {.fd = fd, .events = POLLOUT};
			poll(&pfd, 1, 100);
			continue;
		}
		ck_assert_int_gt(w, 0);
		p += w;
		n -= (size_t)w;
	}
}

/* Pumps (at time `now`) until the sink holds `rows` samples. */
static void pump_until_rows(struct lsr_source *src, const struct lsr_source_env *env,
                            struct env_rec *e, double now, size_t rows)
{
	for (int tries = 0; tries < 200 && e->rec.n < rows; tries++) {
		int fd = src->ops->poll_fd(src->st);
		ck_assert_int_ge(fd, 0);
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		poll(&pfd, 1, 50);
		src->ops->pump(src->st, now, env);
	}
	ck_assert_uint_eq(e->rec.n, rows);
}

START_TEST(missing_and_busy_ports)
{
	char err[512];
	bool refused = true;
	struct lsr_source *s = lsr_source_port_new("/dev/does-not-exist", lsr_driver_find("lsrb"),
	                                           0, &refused, err, sizeof err);
	ck_assert_ptr_null(s);
	ck_assert(!refused); /* missing: a runtime failure, not bad input */
	ck_assert_ptr_nonnull(strstr(err, "/dev/does-not-exist"));
	ck_assert_ptr_nonnull(strstr(err, "No such file"));

	char dir[] = "/tmp/lsr-port-XXXXXX", link[300];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(link, sizeof link, "%s/amp", dir);
	int m = new_pty(link);
	struct lsr_source *a = lsr_source_port_new(link, lsr_driver_find("lsrb"), 0, &refused, err, sizeof err);
	ck_assert_msg(a != NULL, "%s", err);
	struct lsr_source *b = lsr_source_port_new(link, lsr_driver_find("lsrb"), 0, &refused, err, sizeof err);
	ck_assert_ptr_null(b);
	ck_assert_ptr_nonnull(strstr(err, "busy"));
	a->ops->destroy(a->st);
	/* Released on close: a new console can take it. */
	b = lsr_source_port_new(link, lsr_driver_find("lsrb"), 0, &refused, err, sizeof err);
	ck_assert_msg(b != NULL, "%s", err);
	b->ops->destroy(b->st);
	close(m);
	unlink(link);
	rmdir(dir);
}
END_TEST

/* A pty behind dir/amp (dir a mkdtemp template) and the port source on it;
 * e is cleared for the source's events. */
static struct lsr_source *pty_source(char *dir, char *link, size_t len, int *m, struct env_rec *e)
{
	char err[512];
	bool refused;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(link, len, "%s/amp", dir);
	*m = new_pty(link);
	memset(e, 0, sizeof *e);
	rec_init(&e->rec);
	struct lsr_source *src = lsr_source_port_new(link, lsr_driver_find("lsrb"), 0, &refused,
	                                             err, sizeof err);
	ck_assert_msg(src != NULL, "%s", err);
	return src;
}

static void pty_source_free(struct lsr_source *src, const char *dir, const char *link, int m,
                            struct env_rec *e)
{
	src->ops->destroy(src->st);
	close(m);
	unlink(link);
	rmdir(dir);
	rec_free(&e->rec);
}

START_TEST(data_stall_garbage_hangup_reconnect)
{
	char dir[] = "/tmp/lsr-port-XXXXXX", link[300];
	int m;
	struct env_rec e;
	struct lsr_source *src = pty_source(dir, link, sizeof link, &m, &e);
	struct lsr_source_env env = {
		.sink = &e.rec.sink, .ctx = &e, .link = on_link, .alarm = on_alarm, .raw = on_raw,
	};
	ck_assert_str_eq(src->ops->kind, "port");
	ck_assert_str_eq(src->ops->driver_name(src->st), "lsrb");

	uint8_t f[2048];
	size_t n = lsrb_build(f, 0x01, 0, LSRB_TEST_INFO, strlen(LSRB_TEST_INFO));
	n += lsrb_build_data(f + n, 1, 0, 10, 5, NULL);
	write_all(m, f, n);
	double now = 100.0;
	pump_until_rows(src, &env, &e, now, 10);
	ck_assert_int_eq(e.nlinks, 1);
	ck_assert_int_eq(e.links[0], LSR_LINK_CONNECTED);
	ck_assert_uint_eq(e.raw, n);

	/* Silence for 2 s: stalled; bytes again: connected. */
	int ms = src->ops->pump(src->st, now + 1.0, &env);
	ck_assert_int_gt(ms, 0);
	ck_assert_int_le(ms, 1000);
	src->ops->pump(src->st, now + 2.1, &env);
	ck_assert_int_eq(e.nlinks, 2);
	ck_assert_int_eq(e.links[1], LSR_LINK_STALLED);
	n = lsrb_build_data(f, 2, 10, 10, 6, NULL);
	write_all(m, f, n);
	now += 3;
	pump_until_rows(src, &env, &e, now, 20);
	ck_assert_int_eq(e.links[2], LSR_LINK_CONNECTED);

	/* Garbage only for 2 s: no_valid_frames, once. */
	memset(f, 0x33, 500);
	size_t raw0 = e.raw;
	write_all(m, f, 500);
	for (int i = 0; i < 40 && e.raw < raw0 + 500; i++) {
		struct pollfd pfd = {.fd = src->ops->poll_fd(src->st), .events = POLLIN};
		poll(&pfd, 1, 50);
		src->ops->pump(src->st, now + 0.5, &env);
	}
	ck_assert_int_eq(e.alarms, 0);
	write_all(m, f, 10);
	struct pollfd pfd = {.fd = src->ops->poll_fd(src->st), .events = POLLIN};
	poll(&pfd, 1, 1000);
	src->ops->pump(src->st, now + 2.5, &env);
	ck_assert_int_eq(e.alarms, 1);
	ck_assert_str_eq(e.alarm_what, "no_valid_frames");
	src->ops->pump(src->st, now + 3.0, &env);
	ck_assert_int_eq(e.alarms, 1);

	/* Hang-up: disconnected, no fd, a timer instead of spinning. */
	close(m);
	unlink(link);
	now += 4;
	ms = src->ops->pump(src->st, now, &env);
	ck_assert_int_eq(e.links[e.nlinks - 1], LSR_LINK_DISCONNECTED);
	int ndisc = e.nlinks;
	ck_assert_int_eq(src->ops->poll_fd(src->st), -1);
	ck_assert_int_gt(ms, 0);
	ck_assert_int_le(ms, 1000);
	/* Still gone: retries back off, never beyond 1 s. */
	for (int i = 0; i < 8; i++) {
		now += ms / 1000.0;
		ms = src->ops->pump(src->st, now, &env);
		ck_assert_int_gt(ms, 0);
		ck_assert_int_le(ms, 1000);
	}
	ck_assert_int_eq(e.nlinks, ndisc);
	/* Back on a new pty behind the same link: reconnected within 1 s. */
	m = new_pty(link);
	now += 1.0;
	src->ops->pump(src->st, now, &env);
	ck_assert_int_eq(e.links[e.nlinks - 1], LSR_LINK_CONNECTED);
	ck_assert_int_ge(src->ops->poll_fd(src->st), 0);
	n = lsrb_build_data(f, 9, 20, 10, 7, NULL);
	write_all(m, f, n);
	pump_until_rows(src, &env, &e, now, 30);
	ck_assert_float_eq(e.rec.rows[29].v[0], 7.0f);
	ck_assert_int_eq(e.rec.ncfg, 1);
	/* It came back configured differently: a new segment. */
	static const char info2[] = "rate=2000\nchannels=1\nformat=s16\nuv_per_lsb=1\nlabels=A";
	n = lsrb_build(f, 0x01, 10, info2, strlen(info2));
	n += lsrb_build_data(f + n, 11, 0, 10, 8, NULL);
	write_all(m, f, n);
	pump_until_rows(src, &env, &e, now, 40);
	ck_assert_int_eq(e.rec.ncfg, 2);
	ck_assert_int_eq(e.rec.why[1], LSR_SEGMENT_CHANGED);
	ck_assert_int_eq(e.rec.cfg.rate, 2000);
	pty_source_free(src, dir, link, m, &e);
}
END_TEST

/* What is no port is refused as bad input, naming the path; a FIFO is a
 * port (a stand-in for a device, man/lsrmon.1 "--port"). */
START_TEST(not_a_port_refused)
{
	char err[512], dir[] = "/tmp/lsr-port-XXXXXX", fifo[300];
	bool refused = false;
	static const char *const bad[] = { "/etc/passwd", "/dev/null", "/tmp" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		refused = false;
		ck_assert_ptr_null(lsr_source_port_new(bad[i], lsr_driver_find("lsrb"), 0, &refused,
		                                       err, sizeof err));
		ck_assert_msg(refused, "%s not refused: %s", bad[i], err);
		ck_assert_ptr_nonnull(strstr(err, bad[i]));
		ck_assert_ptr_nonnull(strstr(err, "tty, a pty or a FIFO"));
	}
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(fifo, sizeof fifo, "%s/amp", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	struct lsr_source *src = lsr_source_port_new(fifo, lsr_driver_find("lsrb"), 0, &refused,
	                                             err, sizeof err);
	ck_assert_msg(src != NULL && !refused, "%s", err);
	src->ops->destroy(src->st);
	unlink(fifo);
	rmdir(dir);
}
END_TEST

/* A pty that hangs up as soon as it is opened, over and over: each reopen
 * comes no sooner than a second after the last open, so at most two link
 * events a second; a device that delivered a frame is looked for again at
 * once.  Counted on the test's own clock. */
START_TEST(flapping_port_backs_off)
{
	char dir[] = "/tmp/lsr-port-XXXXXX", link[300];
	int m;
	struct env_rec e;
	struct lsr_source *src = pty_source(dir, link, sizeof link, &m, &e);
	struct lsr_source_env env = { .sink = &e.rec.sink, .ctx = &e, .link = on_link, .alarm = on_alarm };
	double now = 50.0, last_open = now;
	int opens = 1;
	for (int flap = 0; flap < 10; flap++) {
		close(m);            /* hung up at once: the slave reads end of file */
		m = new_pty(link);   /* and back at once, behind the same link */
		int before = e.nlinks;
		/* pump every 10 ms of the test's clock for 3 s */
		for (int k = 0; k < 300; k++, now += 0.01) {
			src->ops->pump(src->st, now, &env);
			if (e.nlinks > before && e.links[e.nlinks - 1] == LSR_LINK_CONNECTED &&
			    src->ops->poll_fd(src->st) >= 0)
				break;
		}
		ck_assert_int_eq(e.links[e.nlinks - 1], LSR_LINK_CONNECTED);
		ck_assert_msg(now - last_open >= 1.0 - 1e-9, "reopened %.2f s after the last open",
		              now - last_open);
		last_open = now;
		opens++;
	}
	/* connected at the first pump, then disconnected + connected per flap */
	ck_assert_int_eq(e.nlinks, 1 + 2 * 10);
	ck_assert_int_eq(opens, 11);
	/* A device that streamed a frame and went away: looked for at once. */
	uint8_t f[512];
	size_t n = lsrb_build(f, 0x01, 0, LSRB_TEST_INFO, strlen(LSRB_TEST_INFO));
	write_all(m, f, n);
	for (int k = 0; k < 100 && e.rec.ncfg == 0; k++) {
		struct pollfd pfd = {.fd = src->ops->poll_fd(src->st), .events = POLLIN};
		poll(&pfd, 1, 20);
		src->ops->pump(src->st, now, &env);
	}
	ck_assert_int_eq(e.rec.ncfg, 1);
	close(m);
	m = new_pty(link);
	src->ops->pump(src->st, now, &env);
	ck_assert_int_eq(e.links[e.nlinks - 1], LSR_LINK_DISCONNECTED);
	now += 0.2;
	src->ops->pump(src->st, now, &env);
	ck_assert_int_eq(e.links[e.nlinks - 1], LSR_LINK_CONNECTED);
	pty_source_free(src, dir, link, m, &e);
}
END_TEST

START_TEST(list_ports_names_devices)
{
	char *text = NULL, err[256];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(lsr_port_list(f, err, sizeof err), 0);
	fclose(f);
	/* Every line names a device node; ptys never appear. */
	for (char *line = text; line && *line;) {
		ck_assert_msg(strncmp(line, "/dev/", 5) == 0, "line: %s", line);
		ck_assert_msg(strncmp(line, "/dev/pts/", 9) != 0, "line: %s", line);
		char *nl = strchr(line, '\n');
		ck_assert_ptr_nonnull(nl);
		line = nl + 1;
	}
	free(text);
}
END_TEST

Suite *suite_source_port(void)
{
	Suite *s = suite_create("source_port");
	TCase *tc = tcase_create("pty");
	tcase_add_test(tc, missing_and_busy_ports);
	tcase_add_test(tc, list_ports_names_devices);
	tcase_add_test(tc, not_a_port_refused);
	tcase_add_test(tc, flapping_port_backs_off);
	tcase_add_test(tc, data_stall_garbage_hangup_reconnect);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
