/* tests/unit/test_source_capture.c — raw capture replay: everything at max
 * speed, pacing by the stream's sample clock at 1x and 4x, rewind, and
 * files that are not captures, refused. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lsrb_build.h"
#include "rec_sink.h"
#include "source_capture.h"
#include "source_pump.h"

/* 2 s at 1000 Hz in 100 frames of 20 samples, a stimulus at each 500th. */
static void write_capture(char *path)
{
	int fd = mkstemps(path, 5);
	ck_assert_int_ge(fd, 0);
	uint8_t f[2048];
	size_t n = lsrb_build(f, 0x01, 0, LSRB_TEST_INFO, strlen(LSRB_TEST_INFO));
	ck_assert_int_eq(write(fd, f, n), (ssize_t)n);
	for (int k = 0; k < 100; k++) {
		uint8_t m[20] = {0};
		if ((k * 20) % 500 == 0)
			m[0] = 1;
		n = lsrb_build_data(f, (uint8_t)(k + 1), (uint32_t)(k * 20), 20, (int16_t)k, m);
		ck_assert_int_eq(write(fd, f, n), (ssize_t)n);
	}
	close(fd);
}

static void no_link(void *ctx, enum lsr_link_status st)
{
	(void)ctx, (void)st;
	ck_abort_msg("a replay has no link");
}

static void no_alarm(void *ctx, const char *what, const char *text)
{
	(void)ctx, (void)what, (void)text;
}

START_TEST(max_speed_and_rewind)
{
	char path[] = "/tmp/lsr-capXXXXXX.lsrb";
	write_capture(path);
	char err[256];
	struct lsr_source *src = lsr_source_capture_new(path, lsr_driver_for_capture(path),
	                                                LSR_SPEED_MAX, err, sizeof err);
	ck_assert_msg(src != NULL, "%s", err);
	ck_assert_str_eq(src->ops->kind, "replay");
	ck_assert_int_eq(src->ops->poll_fd(src->st), -1);
	struct rec r;
	rec_init(&r);
	struct lsr_source_env env = {.sink = &r.sink, .ctx = &r, .link = no_link, .alarm = no_alarm};
	for (int pass = 0; pass < 2; pass++) {
		int ret, pumps = 0;
		while ((ret = pump_at(src, 0.0, &env)) != LSR_SOURCE_END) {
			ck_assert_int_eq(ret, 0);
			ck_assert_int_lt(++pumps, 100);
		}
		ck_assert_uint_eq(r.n, 2000 * (size_t)(pass + 1));
		ck_assert_float_eq(r.rows[r.n - 1].v[0], 99.0f);
		ck_assert_int_eq(src->ops->rewind(src->st), 0);
	}
	ck_assert_int_eq(r.ncfg, 2);
	/* Seekable (rewind), but a capture has no header: no length, no start
	 * date, no stored settings (source.h), so the session asks nothing more. */
	ck_assert(src->ops->position == NULL && src->ops->wall_start == NULL &&
	          src->ops->settings == NULL);
	struct lsr_driver_stats st;
	src->ops->stats(src->st, &st);
	ck_assert_uint_eq(st.frames, 0); /* rewound: a fresh driver */
	src->ops->destroy(src->st);
	rec_free(&r);
	unlink(path);
}
END_TEST

/* Delivered samples never run ahead of elapsed × speed × rate by more than
 * one paced chunk, and do keep up with it. */
static void check_pacing(double speed)
{
	char path[] = "/tmp/lsr-capXXXXXX.lsrb";
	write_capture(path);
	char err[256];
	struct lsr_source *src = lsr_source_capture_new(path, lsr_driver_find("lsrb"), speed,
	                                                err, sizeof err);
	ck_assert_msg(src != NULL, "%s", err);
	struct rec r;
	rec_init(&r);
	struct lsr_source_env env = {.sink = &r.sink, .ctx = &r, .link = no_link, .alarm = no_alarm};
	const double t0 = 50.0;
	int ret = 0;
	for (double el = 0; el <= 2.0 / speed + 0.1; el += 0.05) {
		ret = pump_at(src, t0 + el, &env);
		if (ret == LSR_SOURCE_END)
			break;
		double due = el * speed * 1000.0;
		/* handed on a frame (20 samples) at a time */
		ck_assert_msg(r.n <= due + 20 + 1e-6, "%zu samples at %.2f s", r.n, el);
		ck_assert_msg(r.n + 20 >= (due < 2000 ? due : 2000), "%zu at %.2f s", r.n, el);
		ck_assert_int_ge(ret, 0);
		if (r.n < 2000)
			ck_assert_int_gt(ret, 0); /* ahead of time: a timer, no spin */
	}
	ck_assert_uint_eq(r.n, 2000);
	src->ops->destroy(src->st);
	rec_free(&r);
	unlink(path);
}

START_TEST(paced_by_sample_clock)
{
	check_pacing(1.0);
	check_pacing(4.0);
}
END_TEST

START_TEST(pause_and_speed_change_do_not_burst)
{
	char path[] = "/tmp/lsr-capXXXXXX.lsrb";
	write_capture(path);
	char err[256];
	struct lsr_source *src = lsr_source_capture_new(path, lsr_driver_find("lsrb"), 1.0,
	                                                err, sizeof err);
	ck_assert_ptr_nonnull(src);
	struct rec r;
	rec_init(&r);
	struct lsr_source_env env = {.sink = &r.sink, .ctx = &r, .link = no_link, .alarm = no_alarm};
	for (double t = 0; t <= 0.5; t += 0.05)
		pump_at(src, t, &env);
	size_t before = r.n;
	ck_assert_uint_ge(before, 480);
	src->ops->set_speed(src->st, 1.0, true, 0.5);
	ck_assert_int_eq(src->ops->pump(src->st, 5.0, &env), -1);
	ck_assert_uint_eq(r.n, before);
	/* Resumed after 10 s of pause: it goes on where it was. */
	src->ops->set_speed(src->st, 1.0, false, 10.5);
	pump_at(src, 10.5, &env);
	ck_assert_uint_le(r.n, before + 220);
	/* Twice as fast from here: 0.25 s later, ~500 samples more. */
	src->ops->set_speed(src->st, 2.0, false, 10.5);
	pump_at(src, 10.75, &env);
	ck_assert_uint_ge(r.n, before + 480);
	ck_assert_uint_le(r.n, before + 720);
	src->ops->destroy(src->st);
	rec_free(&r);
	unlink(path);
}
END_TEST

START_TEST(not_a_capture)
{
	char err[256];
	ck_assert_ptr_null(lsr_source_capture_new("/nonexistent.lsrb", lsr_driver_find("lsrb"),
	                                          1, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent.lsrb"));
	ck_assert_ptr_null(lsr_source_capture_new("/tmp", lsr_driver_find("lsrb"), 1, err, sizeof err));
	/* Bytes that never make a frame are no capture: refused, naming the
	 * file and what the driver expects (man/lsrmon.1, --replay). */
	char path[] = "/tmp/lsr-capXXXXXX.lsrb";
	int fd = mkstemps(path, 5);
	ck_assert_int_ge(fd, 0);
	uint8_t junk[100000];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (uint8_t)(i * 2654435761u >> 13);
	ck_assert_int_eq(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
	ck_assert_ptr_null(lsr_source_capture_new(path, lsr_driver_find("lsrb"), 1.0, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_ptr_nonnull(strstr(err, "no valid frame"));
	ck_assert_ptr_nonnull(strstr(err, "LSRB frames"));
	/* Garbage before a valid INFO and DATA frame (a capture started
	 * mid-stream) is a capture: it replays to the end, every byte counted. */
	uint8_t f[2048];
	size_t n = lsrb_build(f, 0x01, 0, LSRB_TEST_INFO, strlen(LSRB_TEST_INFO));
	n += lsrb_build_data(f + n, 1, 0, 20, 3, NULL);
	ck_assert_int_eq(write(fd, f, n), (ssize_t)n);
	close(fd);
	struct lsr_source *src = lsr_source_capture_new(path, lsr_driver_find("lsrb"), 1.0,
	                                                err, sizeof err);
	ck_assert_msg(src != NULL, "%s", err);
	struct rec r;
	rec_init(&r);
	struct lsr_source_env env = {.sink = &r.sink, .ctx = &r, .link = no_link, .alarm = no_alarm};
	int pumps = 0;
	while (pump_at(src, 0.0, &env) != LSR_SOURCE_END)
		ck_assert_int_lt(++pumps, 100);
	struct lsr_driver_stats st;
	src->ops->stats(src->st, &st);
	ck_assert_uint_eq(st.bytes, sizeof junk + n);
	ck_assert_uint_eq(r.n, 20);
	src->ops->destroy(src->st);
	rec_free(&r);
	/* An empty file and prose read as ASCII: refused the same way. */
	fd = open(path, O_WRONLY | O_TRUNC);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_ptr_null(lsr_source_capture_new(path, lsr_driver_find("lsrb"), 1.0, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "empty"));
	fd = open(path, O_WRONLY | O_TRUNC);
	static const char prose[] = "# Notes\n\nThe patient was calm; 3, 4 and 5 were fine.\n";
	ck_assert_int_eq(write(fd, prose, sizeof prose - 1), (ssize_t)(sizeof prose - 1));
	close(fd);
	ck_assert_ptr_null(lsr_source_capture_new(path, lsr_driver_find("ascii"), 1.0, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "rate=N channels=N"));
	unlink(path);
}
END_TEST

Suite *suite_source_capture(void)
{
	Suite *s = suite_create("source_capture");
	TCase *tc = tcase_create("replay");
	tcase_add_test(tc, max_speed_and_rewind);
	tcase_add_test(tc, paced_by_sample_clock);
	tcase_add_test(tc, pause_and_speed_change_do_not_burst);
	tcase_add_test(tc, not_a_capture);
	suite_add_tcase(s, tc);
	return s;
}
