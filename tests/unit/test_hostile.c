/* tests/unit/test_hostile.c — regressions for what the fuzzers found, and
 * hostile input to the pure parsers that the e2e tests cannot aim at as
 * precisely. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lsrb_build.h"
#include "rec_sink.h"

extern const struct lsr_driver lsr_driver_lsrb, lsr_driver_ascii;

#define LSRB_PAYLOAD_MAX 4096

/* fuzz_cli: a parse that failed inside a cluster of short options ("-xh")
 * left glibc's getopt pointing into that argv; the next parse went on from
 * there (a use after free when that argv was gone) instead of its own. */
START_TEST(cli_parse_starts_afresh)
{
	struct lsr_options o;
	char err[256];
	char a0[] = "lsrmon", a1[] = "-xh";
	char *bad[] = { a0, a1, NULL };
	ck_assert_int_eq(lsr_cli_parse(2, bad, &o, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "-x"));
	lsr_options_free(&o);
	char b0[] = "lsrmon", b1[] = "--headless";
	char *good[] = { b0, b1, NULL };
	ck_assert_int_eq(lsr_cli_parse(2, good, &o, err, sizeof err), 0);
	ck_assert(o.headless);
	ck_assert(!o.help);
	lsr_options_free(&o);
}
END_TEST

/* Sample s of channel c in the frames below: a value that uses the whole
 * signed range of the format, so sign extension and byte order show. */
static int32_t wave(int s, int c, int bytes)
{
	int32_t top = bytes == 2 ? 32767 : 8388607;
	return (int32_t)(((int64_t)(s * 7919 + c * 104729) % (2 * (int64_t)top + 1)) - top);
}

/* For every channel count and sample format, the DATA frame holding the
 * most samples that fits 4096 payload bytes (32 channels of s24: 42
 * samples, 4080 bytes) decodes exactly, fed whole and one byte at a time. */
START_TEST(largest_data_frames_decode)
{
	int ch = _i / 2 + 1, bytes = _i % 2 ? 3 : 2;
	int S = (LSRB_PAYLOAD_MAX - 6) / (1 + ch * bytes);
	if (S > 255)
		S = 255;
	static uint8_t pl[LSRB_PAYLOAD_MAX], wire[2 * (LSRB_PAYLOAD_MAX + 8)];
	char info[1200];
	int k = snprintf(info, sizeof info, "rate=100000\nchannels=%d\nformat=%s\nuv_per_lsb=0.5\nlabels=",
	                 ch, bytes == 2 ? "s16" : "s24");
	for (int c = 0; c < ch; c++)
		k += snprintf(info + k, sizeof info - (size_t)k, "%sch%d", c ? "," : "", c);
	size_t n = lsrb_build(wire, 0x01, 0, info, (size_t)k);
	size_t len = 6 + (size_t)S + (size_t)S * (size_t)ch * (size_t)bytes;
	ck_assert_uint_le(len, LSRB_PAYLOAD_MAX);
	pl[0] = 9, pl[1] = pl[2] = pl[3] = 0, pl[4] = (uint8_t)S, pl[5] = (uint8_t)ch;
	uint8_t *p = pl + 6 + S;
	for (int s = 0; s < S; s++) {
		pl[6 + s] = s == 1 ? 1 : 0;
		for (int c = 0; c < ch; c++) {
			uint32_t v = (uint32_t)wave(s, c, bytes);
			for (int b = 0; b < bytes; b++)
				*p++ = (uint8_t)(v >> (8 * b));
		}
	}
	n += lsrb_build(wire + n, 0x02, 1, pl, len);
	for (int bytewise = 0; bytewise < 2; bytewise++) {
		struct rec r;
		rec_init(&r);
		char err[100];
		void *st = lsr_driver_lsrb.create(&(struct lsr_driver_opts){0}, err, sizeof err);
		ck_assert_ptr_nonnull(st);
		for (size_t i = 0; i < n; i += bytewise ? 1 : n)
			lsr_driver_lsrb.feed(st, wire + i, bytewise ? 1 : n, &r.sink);
		struct lsr_driver_stats stats;
		lsr_driver_lsrb.stats(st, &stats);
		ck_assert_uint_eq(stats.frames, 2);
		ck_assert_uint_eq(stats.crc_errors + stats.format_errors + stats.resyncs, 0);
		ck_assert_uint_eq(r.n, (size_t)S);
		for (int s = 0; s < S; s++) {
			ck_assert_uint_eq(r.rows[s].index, 9 + (uint64_t)s);
			ck_assert_uint_eq(r.rows[s].marks, s == 1 ? 1 : 0);
			for (int c = 0; c < ch; c++)
				ck_assert_float_eq(r.rows[s].v[c], (float)(wave(s, c, bytes) * 0.5));
		}
		lsr_driver_lsrb.destroy(st);
		rec_free(&r);
	}
}
END_TEST

/* A header whose length field claims more than 4096 bytes is corruption:
 * the parser must not wait for (or buffer) 64 kB, and the next good frame
 * right behind it decodes. */
START_TEST(overlong_length_is_corruption)
{
	static uint8_t wire[3 * (LSRB_PAYLOAD_MAX + 8)];
	size_t n = lsrb_build(wire, 0x01, 0, LSRB_TEST_INFO, strlen(LSRB_TEST_INFO));
	const uint8_t bad[] = { 0xA5, 0x5A, 0x02, 1, 0x01, 0x10 }; /* len 4097 */
	memcpy(wire + n, bad, sizeof bad);
	n += sizeof bad;
	n += lsrb_build_data(wire + n, 2, 0, 10, 123, NULL);
	struct rec r;
	rec_init(&r);
	char err[100];
	void *st = lsr_driver_lsrb.create(&(struct lsr_driver_opts){0}, err, sizeof err);
	lsr_driver_lsrb.feed(st, wire, n, &r.sink);
	struct lsr_driver_stats stats;
	lsr_driver_lsrb.stats(st, &stats);
	ck_assert_uint_eq(r.n, 10);
	ck_assert_float_eq(r.rows[9].v[0], 123.0f);
	ck_assert_uint_ge(stats.resyncs + stats.format_errors, 1);
	lsr_driver_lsrb.destroy(st);
	rec_free(&r);
}
END_TEST

/* ASCII: a 10 kB line (digits without end, then a valid tail) and lines of
 * nan, inf and hex are lost instants, counted; the lines around them
 * decode, whatever the chunking. */
START_TEST(ascii_long_and_strange_lines)
{
	size_t cap = 12000 + 200;
	char *text = malloc(cap);
	ck_assert_ptr_nonnull(text);
	int k = snprintf(text, cap, "# rate=1000 channels=2\n0,1,2\n0,");
	memset(text + k, '7', 10240);
	k += 10240;
	k += snprintf(text + k, cap - (size_t)k, ",3\n0,nan,1\n0,1,inf\n0,0x1A,1\n1,4,5\n");
	for (size_t chunk = 1; chunk <= 4096; chunk *= 8) {
		struct rec r;
		rec_init(&r);
		char err[100];
		void *st = lsr_driver_ascii.create(&(struct lsr_driver_opts){0}, err, sizeof err);
		for (size_t i = 0; i < (size_t)k; i += chunk)
			lsr_driver_ascii.feed(st, (const uint8_t *)text + i,
			                      (size_t)k - i < chunk ? (size_t)k - i : chunk, &r.sink);
		struct lsr_driver_stats stats;
		lsr_driver_ascii.stats(st, &stats);
		ck_assert_uint_eq(stats.corrupt_lines, 4);
		ck_assert_uint_eq(r.n, 2);
		ck_assert_float_eq(r.rows[0].v[1], 2.0f);
		ck_assert_uint_eq(r.rows[1].index, 5);   /* four lost instants between */
		ck_assert_float_eq(r.rows[1].v[0], 4.0f);
		ck_assert_uint_eq(r.rows[1].marks, 1);
		lsr_driver_ascii.destroy(st);
		rec_free(&r);
	}
	free(text);
}
END_TEST

Suite *suite_hostile(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("parsers");
	tcase_add_test(tc, cli_parse_starts_afresh);
	tcase_add_loop_test(tc, largest_data_frames_decode, 0, 2 * LSR_MAX_CHANNELS);
	tcase_add_test(tc, overlong_length_is_corruption);
	tcase_add_test(tc, ascii_long_and_strange_lines);
	suite_add_tcase(s, tc);
	return s;
}
