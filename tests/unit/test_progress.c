/* tests/unit/test_progress.c — the headless replay progress bar: drawn at
 * most 10 times a second, ends at 100 % with a newline, silent when off. */
#include <check.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"

static size_t drain(int fd, char *buf, size_t len)
{
	ssize_t n = read(fd, buf, len - 1);
	buf[n > 0 ? n : 0] = 0;
	return n > 0 ? (size_t)n : 0;
}

START_TEST(bar_frames_and_end)
{
	int pfd[2];
	ck_assert_int_eq(pipe(pfd), 0);
	struct lsr_progress p;
	lsr_progress_init(&p, pfd[1], true);
	char buf[1024];
	lsr_progress_update(&p, 15, 60, 100.0);
	lsr_progress_update(&p, 16, 60, 100.05); /* too soon: not drawn */
	drain(pfd[0], buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, "\r[##########          "));
	ck_assert_ptr_nonnull(strstr(buf, " 25%  15.0 / 60.0 s"));
	ck_assert_ptr_null(strstr(buf, "16.0"));
	lsr_progress_update(&p, 30, 60, 100.2);
	lsr_progress_done(&p, 60);
	drain(pfd[0], buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, " 50%"));
	ck_assert_ptr_nonnull(strstr(buf, "[########################################] 100%  60.0 / 60.0 s\n"));
	close(pfd[0]);
	close(pfd[1]);
}
END_TEST

START_TEST(off_when_not_a_terminal)
{
	int pfd[2];
	ck_assert_int_eq(pipe(pfd), 0);
	struct lsr_progress p;
	lsr_progress_init(&p, pfd[1], false); /* a pipe is no terminal */
	ck_assert_int_eq(p.fd, -1);
	lsr_progress_update(&p, 1, 2, 5.0);
	lsr_progress_done(&p, 2);
	close(pfd[1]);
	char buf[16];
	ck_assert_uint_eq(drain(pfd[0], buf, sizeof buf), 0);
	close(pfd[0]);
}
END_TEST

Suite *suite_progress(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, bar_frames_and_end);
	tcase_add_test(tc, off_when_not_a_terminal);
	suite_add_tcase(s, tc);
	return s;
}
