/* tests/unit/test_openbci.c — Cyton packets: scaling, digital-mode marks,
 * counter gaps, resync over junk, start/stop bytes. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "driver.h"
#include "rec_sink.h"

extern const struct lsr_driver lsr_driver_openbci;

static size_t packet(uint8_t *out, uint8_t counter, const int32_t v[8],
                     bool d17, bool d11, uint8_t stop)
{
	out[0] = 0xA0;
	out[1] = counter;
	for (int c = 0; c < 8; c++) {
		uint32_t u = (uint32_t)v[c];
		out[2 + 3 * c] = (uint8_t)(u >> 16);
		out[3 + 3 * c] = (uint8_t)(u >> 8);
		out[4 + 3 * c] = (uint8_t)u;
	}
	memset(out + 26, 0, 6);
	out[26] = d11;
	out[29] = d17;
	out[32] = stop;
	return 33;
}

/* The Cyton's scale, written the way the OpenBCI documentation states it. */
static double expect_uv(int32_t v)
{
	double volts_per_count = 4.5 / 24.0 / (pow(2, 23) - 1);
	return v * volts_per_count * 1e6;
}

static void check_uv(float got, int32_t raw)
{
	double want = expect_uv(raw);
	ck_assert_msg(fabs(got - want) <= 1e-6 * fabs(want) + 1e-9,
	              "%d counts: got %.9g, want %.9g", raw, (double)got, want);
}

START_TEST(decodes_packets_and_marks)
{
	uint8_t s[33 * 6 + 16];
	size_t n = 0;
	int32_t v[8] = {0, 1, -1, 8388607, -8388608, 0x123456, -0x123456, 42};
	memcpy(s + n, "$$$junk", 7); /* the board's text before streaming */
	n += 7;
	n += packet(s + n, 10, v, false, false, 0xC1);
	n += packet(s + n, 11, v, true, false, 0xC1);
	n += packet(s + n, 12, v, true, true, 0xC1);
	n += packet(s + n, 15, v, false, true, 0xC1); /* 13 and 14 lost */
	n += packet(s + n, 16, v, true, true, 0xC0);  /* not digital mode: no marks */
	struct rec r;
	rec_init(&r);
	char err[64];
	void *st = lsr_driver_openbci.create(&(struct lsr_driver_opts){0}, err, sizeof err);
	ck_assert_ptr_nonnull(st);
	for (size_t i = 0; i < n; i += 5)
		lsr_driver_openbci.feed(st, s + i, n - i < 5 ? n - i : 5, &r.sink);
	struct lsr_driver_stats stats;
	lsr_driver_openbci.stats(st, &stats);

	ck_assert_int_eq(r.ncfg, 1);
	ck_assert_int_eq(r.cfg.rate, 250);
	ck_assert_int_eq(r.cfg.channels, 8);
	ck_assert_int_eq(r.cfg.format_bits, 24);
	ck_assert_double_eq_tol(r.cfg.uv_per_lsb, expect_uv(1), 1e-12);
	ck_assert_uint_eq(r.n, 5);
	static const uint64_t idx[5] = {0, 1, 2, 5, 6};
	static const uint8_t marks[5] = {0, 1, 3, 2, 0};
	for (int i = 0; i < 5; i++) {
		ck_assert_uint_eq(r.rows[i].index, idx[i]);
		ck_assert_uint_eq(r.rows[i].marks, marks[i]);
		for (int c = 0; c < 8; c++)
			check_uv(r.rows[i].v[c], v[c]);
	}
	ck_assert_uint_eq(stats.lost_samples, 2);
	ck_assert_uint_eq(stats.frames, 5);
	ck_assert_uint_eq(stats.bytes, n);
	ck_assert_uint_ge(stats.resyncs, 1);
	lsr_driver_openbci.destroy(st);
	rec_free(&r);
}
END_TEST

START_TEST(false_header_resyncs)
{
	uint8_t s[33 * 3];
	int32_t v[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	size_t n = 0;
	/* A0 inside garbage, then a packet whose stop byte is wrong. */
	n += packet(s + n, 0, v, false, false, 0x00);
	n += packet(s + n, 1, v, true, false, 0xC1);
	n += packet(s + n, 2, v, false, false, 0xC1);
	struct rec r;
	rec_init(&r);
	char err[64];
	void *st = lsr_driver_openbci.create(&(struct lsr_driver_opts){0}, err, sizeof err);
	lsr_driver_openbci.feed(st, s, n, &r.sink);
	struct lsr_driver_stats stats;
	lsr_driver_openbci.stats(st, &stats);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_uint_eq(r.rows[0].marks, 1);
	ck_assert_uint_ge(stats.format_errors, 1);
	lsr_driver_openbci.destroy(st);
	rec_free(&r);
}
END_TEST

START_TEST(start_and_stop_bytes)
{
	ck_assert_uint_eq(lsr_driver_openbci.start_len, 3);
	ck_assert_mem_eq(lsr_driver_openbci.start_bytes, "/3b", 3);
	ck_assert_uint_eq(lsr_driver_openbci.stop_len, 1);
	ck_assert_mem_eq(lsr_driver_openbci.stop_bytes, "s", 1);
	ck_assert_int_eq(lsr_driver_openbci.default_baud, 115200);
}
END_TEST

Suite *suite_openbci(void)
{
	Suite *s = suite_create("openbci");
	TCase *tc = tcase_create("openbci");
	tcase_add_test(tc, decodes_packets_and_marks);
	tcase_add_test(tc, false_header_resyncs);
	tcase_add_test(tc, start_and_stop_bytes);
	suite_add_tcase(s, tc);
	return s;
}
