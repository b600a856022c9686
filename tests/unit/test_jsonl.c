/* tests/unit/test_jsonl.c — the JSON Lines sink: field names and order,
 * null for NaN, escaping and UTF-8 repair, drop counting when live. */
#include <check.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "jsonl.h"

/* Emits ev through a sink writing into a pipe and returns the line. */
static void emit(const struct lsr_event *ev, char *out, size_t len)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	struct lsr_jsonl *j = lsr_jsonl_new(fds[1], false);
	ck_assert_ptr_nonnull(j);
	const struct lsr_sink *s = lsr_jsonl_sink(j);
	s->event(s->ctx, ev);
	ck_assert_int_eq(lsr_jsonl_flush(j, true), 0);
	lsr_jsonl_free(j);
	close(fds[1]);
	ssize_t n = read(fds[0], out, len - 1);
	ck_assert_int_gt(n, 0);
	out[n] = '\0';
	close(fds[0]);
}

START_TEST(response_fields_and_nulls)
{
	struct lsr_event ev = { .type = LSR_EV_RESPONSE, .t = 12.5 };
	ev.response.n = 3;
	ev.response.ch = 1;
	ev.response.role = LSR_ROLE_LSR;
	ev.response.valid = false;
	ev.response.invalid_reason = LSR_INVALID_CAUTERY;
	ev.response.present = LSR_NULL;
	ev.response.p2p_uv = 250.5;
	ev.response.onset_ms = NAN;
	ev.response.area_uv_ms = 1.25;
	ev.response.late_p2p_uv = INFINITY;
	ev.response.noise_uv = 4;
	ev.response.threshold_uv = 20;
	ev.response.amplitude_uv = NAN; /* no baseline shape yet */
	ev.response.trials = 0;         /* an invalid trial decides nothing */
	char line[1024];
	emit(&ev, line, sizeof line);
	ck_assert_str_eq(line,
		"{\"t\":12.5,\"type\":\"response\",\"n\":3,\"ch\":1,\"role\":\"lsr\",\"valid\":false,"
		"\"invalid_reason\":\"cautery\",\"present\":null,\"p2p_uv\":250.5,\"onset_ms\":null,"
		"\"area_uv_ms\":1.25,\"late_p2p_uv\":null,\"noise_uv\":4,\"threshold_uv\":20,"
		"\"amplitude_uv\":null,\"trials\":0}\n");
}
END_TEST

START_TEST(labels_escaped_and_repaired)
{
	struct lsr_event ev = { .type = LSR_EV_MARK, .t = 1 };
	ev.mark.id = 2;
	ev.mark.label = "Dura \"open\"\n\\ \xC3\xA9 bad:\xFF\xC3";
	ev.mark.origin = LSR_ORIGIN_KEY;
	char line[1024];
	emit(&ev, line, sizeof line);
	ck_assert_str_eq(line,
		"{\"t\":1,\"type\":\"mark\",\"id\":2,\"label\":\"Dura \\\"open\\\"\\n\\\\ \xC3\xA9 bad:"
		"\xEF\xBF\xBD\xEF\xBF\xBD\",\"origin\":\"key\"}\n");
}
END_TEST

START_TEST(state_and_phase_null)
{
	struct lsr_event ev = { .type = LSR_EV_STATE, .t = 2 };
	ev.state.state = LSR_STATE_DISAPPEARED;
	ev.state.prev = LSR_STATE_PRESENT;
	ev.state.since = 1.5;
	ev.state.premature = true;
	ev.state.ratio = NAN;
	char line[1024];
	emit(&ev, line, sizeof line);
	ck_assert_ptr_nonnull(strstr(line, "\"state\":\"disappeared\",\"prev\":\"present\",\"since\":1.5,"
	                                   "\"premature\":true,\"after_decompression\":false,\"ratio\":null"));
	struct lsr_stats st = { .drv = { .bytes = 10, .crc_errors = 2 }, .osc_dropped = 1 };
	struct lsr_event end = { .type = LSR_EV_END, .t = 3 };
	end.end.final = LSR_FINAL_INDETERMINATE;
	end.end.final_phase = LSR_PHASE_NONE;
	end.end.stats = &st;
	emit(&end, line, sizeof line);
	ck_assert_ptr_nonnull(strstr(line, "\"final\":\"indeterminate\",\"final_phase\":null,\"stims\":0,"
	                                   "\"stats\":{\"bytes\":10,"));
	ck_assert_ptr_nonnull(strstr(line, "\"crc_errors\":2,"));
	/* Nothing judged: no mains found, no hum levels. */
	ck_assert_ptr_nonnull(strstr(line, "\"osc_dropped\":1,\"mains_hz\":null,\"hum_uv\":[]}}"));
	/* The hum removed per channel, µV RMS (null: none yet). */
	st.nhum = 3;
	st.mains_hz = 60.013;
	st.hum_uv[0] = 12.35;
	st.hum_uv[1] = NAN;
	st.hum_uv[2] = 0;
	emit(&end, line, sizeof line);
	ck_assert_ptr_nonnull(strstr(line, "\"mains_hz\":60.013,\"hum_uv\":[12.35,null,0]}}"));
}
END_TEST

/* A live sink on a pipe nobody reads: never blocks, drops and counts. */
START_TEST(live_output_never_blocks)
{
	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(fcntl(fds[1], F_SETFL, O_NONBLOCK), 0);
	struct lsr_jsonl *j = lsr_jsonl_new(fds[1], true);
	const struct lsr_sink *s = lsr_jsonl_sink(j);
	struct lsr_event ev = { .type = LSR_EV_GAP, .t = 1 };
	ev.gap.samples = 5;
	for (int i = 0; i < 100000; i++) {
		s->event(s->ctx, &ev);
		lsr_jsonl_flush(j, false);
	}
	ck_assert_uint_gt(lsr_jsonl_dropped(j), 0);
	ck_assert(lsr_jsonl_pending(j));
	lsr_jsonl_free(j);
	close(fds[0]);
	close(fds[1]);
}
END_TEST

Suite *suite_jsonl(void)
{
	Suite *s = suite_create("jsonl");
	TCase *tc = tcase_create("format");
	tcase_add_test(tc, response_fields_and_nulls);
	tcase_add_test(tc, labels_escaped_and_repaired);
	tcase_add_test(tc, state_and_phase_null);
	tcase_add_test(tc, live_output_never_blocks);
	suite_add_tcase(s, tc);
	return s;
}
