/* tests/unit/test_byte_drivers.c — generic tests over every byte-parsing
 * driver in lsr_drivers[]: random garbage never crashes and is counted. */
#include <check.h>
#include <stdlib.h>

#include "driver.h"
#include "rec_sink.h"

static uint64_t rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

START_TEST(garbage_is_counted_not_fatal)
{
	enum { N = 1 << 20 };
	uint8_t *buf = malloc(N);
	ck_assert_ptr_nonnull(buf);
	int tested = 0;
	for (int d = 0; lsr_drivers[d]; d++) {
		const struct lsr_driver *drv = lsr_drivers[d];
		if (!drv->feed)
			continue;
		tested++;
		uint64_t seed = 0x1234567ull + (uint64_t)d;
		for (size_t i = 0; i < N; i++) {
			uint64_t r = rng(&seed);
			/* Mostly random bytes, with the characters and sync bytes a
			 * parser keys on sprinkled in to reach deeper states. */
			static const uint8_t keys[] = {0xA5, 0x5A, 0xA0, 0xC1, '\n', '#', ',', '=', '1'};
			buf[i] = (r & 0xF00) == 0 ? keys[(r >> 16) % sizeof keys] : (uint8_t)r;
		}
		char err[128];
		void *st = drv->create(&(struct lsr_driver_opts){0}, err, sizeof err);
		ck_assert_msg(st != NULL, "%s: %s", drv->name, err);
		struct rec r;
		rec_init(&r);
		size_t pos = 0;
		while (pos < N) {
			size_t n = 1 + rng(&seed) % 3000;
			if (n > N - pos)
				n = N - pos;
			drv->feed(st, buf + pos, n, &r.sink);
			pos += n;
			if (rng(&seed) % 50 == 0)
				drv->resync(st);
		}
		struct lsr_driver_stats s;
		drv->stats(st, &s);
		ck_assert_uint_eq(s.bytes, N);
		ck_assert_msg(s.resyncs + s.crc_errors + s.format_errors + s.corrupt_lines > 0,
		              "%s counted nothing", drv->name);
		drv->destroy(st);
		rec_free(&r);
	}
	ck_assert_int_ge(tested, 3);
	free(buf);
}
END_TEST

START_TEST(table_lookups)
{
	ck_assert_ptr_nonnull(lsr_driver_find("lsrb"));
	ck_assert_ptr_null(lsr_driver_find("nope"));
	ck_assert_str_eq(lsr_driver_for_capture("a/b.lsrb")->name, "lsrb");
	ck_assert_str_eq(lsr_driver_for_capture("x.txt")->name, "ascii");
	ck_assert_str_eq(lsr_driver_for_capture("x.obci")->name, "openbci");
	ck_assert_ptr_null(lsr_driver_for_capture(".lsrb.bdf"));
}
END_TEST

Suite *suite_byte_drivers(void)
{
	Suite *s = suite_create("byte_drivers");
	TCase *tc = tcase_create("garbage");
	tcase_add_test(tc, garbage_is_counted_not_fatal);
	tcase_add_test(tc, table_lookups);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
