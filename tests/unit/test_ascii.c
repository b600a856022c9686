/* tests/unit/test_ascii.c — the text line protocol: settings split over
 * lines, separators, CRLF, strict decimals, corrupt lines as lost instants. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "driver.h"
#include "rec_sink.h"

extern const struct lsr_driver lsr_driver_ascii;

struct drv {
	void *st;
	struct rec rec;
	struct lsr_driver_stats stats;
};

static void run(struct drv *d, const char *text, size_t chunk)
{
	char err[128];
	rec_init(&d->rec);
	d->st = lsr_driver_ascii.create(&(struct lsr_driver_opts){0}, err, sizeof err);
	ck_assert_ptr_nonnull(d->st);
	size_t n = strlen(text);
	for (size_t i = 0; i < n; i += chunk)
		lsr_driver_ascii.feed(d->st, (const uint8_t *)text + i,
		                      n - i < chunk ? n - i : chunk, &d->rec.sink);
	lsr_driver_ascii.stats(d->st, &d->stats);
}

static void done(struct drv *d)
{
	lsr_driver_ascii.destroy(d->st);
	rec_free(&d->rec);
}

static const char split_header[] =
	"# rate=10000\r\n"
	"#\tchannels=3  labels=Mentalis,Orbicularis_oris,Orbicularis_oculi\r\n"
	"# device=bench_rig prefilter=HP:10Hz\r\n"
	"1,12.5,-3.25,0\r\n"
	"0\t-1.5e2\t\t+7 , 0.1\r\n"
	"2 , 1E1,.5,-0.\r\n"
	"0, 3, 4, 5\n";

START_TEST(decodes_split_header_tabs_crlf)
{
	static const float want[4][3] = {
		{12.5f, -3.25f, 0.0f}, {-150.0f, 7.0f, 0.1f}, {10.0f, 0.5f, -0.0f}, {3, 4, 5},
	};
	static const uint8_t marks[4] = {1, 0, 2, 0};
	for (size_t chunk = 1; chunk <= sizeof split_header; chunk += 7) {
		struct drv d;
		run(&d, split_header, chunk);
		ck_assert_int_eq(d.rec.ncfg, 1);
		ck_assert_int_eq(d.rec.why[0], LSR_SEGMENT_FIRST);
		ck_assert_int_eq(d.rec.cfg.rate, 10000);
		ck_assert_int_eq(d.rec.cfg.channels, 3);
		ck_assert_str_eq(d.rec.cfg.labels[1], "Orbicularis oris");
		ck_assert_str_eq(d.rec.cfg.device, "bench_rig"); /* _ is a space only in labels */
		ck_assert_str_eq(d.rec.cfg.prefilter, "HP:10Hz");
		ck_assert_double_eq(d.rec.cfg.uv_per_lsb, 0);
		ck_assert_uint_eq(d.rec.n, 4);
		for (int i = 0; i < 4; i++) {
			ck_assert_uint_eq(d.rec.rows[i].index, (uint64_t)i);
			ck_assert_uint_eq(d.rec.rows[i].marks, marks[i]);
			for (int c = 0; c < 3; c++)
				ck_assert_float_eq(d.rec.rows[i].v[c], want[i][c]);
		}
		ck_assert_uint_eq(d.stats.frames, 4);
		ck_assert_uint_eq(d.stats.corrupt_lines + d.stats.info_invalid, 0);
		done(&d);
	}
}
END_TEST

START_TEST(corrupt_lines_are_lost_instants)
{
	char overlong[1200];
	memset(overlong, '1', sizeof overlong);
	overlong[0] = '0', overlong[1] = ',';
	overlong[sizeof overlong - 1] = '\0';
	char text[4096];
	snprintf(text, sizeof text,
	         "# rate=1000 channels=2\n"
	         "0,1,2\n"      /* index 0 */
	         "0,nan,2\n"    /* 1: corrupt */
	         "0,inf,2\n"    /* 2 */
	         "0,0x10,2\n"   /* 3 */
	         "256,1,2\n"    /* 4: marks out of range */
	         "0,1\n"        /* 5: too few */
	         "0,1,2,3\n"    /* 6: too many */
	         "0,,2\n"       /* 7: empty field */
	         "0,1,2,\n"     /* 8: trailing comma */
	         "0,1e999,2\n"  /* 9: not finite */
	         "0,1e39,2\n"   /* 10: too large for a sample (a float) */
	         "%s\n"         /* 11: overlong */
	         "1,3,4\n",     /* 12 */
	         overlong);
	struct drv d;
	run(&d, text, 64);
	ck_assert_uint_eq(d.stats.corrupt_lines, 11);
	ck_assert_uint_eq(d.rec.n, 2);
	ck_assert_uint_eq(d.rec.rows[0].index, 0);
	ck_assert_uint_eq(d.rec.rows[1].index, 12);
	ck_assert_uint_eq(d.rec.rows[1].marks, 1);
	ck_assert_float_eq(d.rec.rows[1].v[1], 4.0f);
	done(&d);
}
END_TEST

START_TEST(line_of_exactly_1024_bytes_is_accepted)
{
	char text[2200];
	char line[1025];
	memset(line, '0', 1024);
	memcpy(line, "0,1,", 4);
	line[1024] = '\0'; /* "0,1,000…0": 1024 bytes */
	snprintf(text, sizeof text, "# rate=1000 channels=2\n%s\r\n", line);
	struct drv d;
	run(&d, text, 100);
	ck_assert_uint_eq(d.stats.corrupt_lines, 0);
	ck_assert_uint_eq(d.rec.n, 1);
	done(&d);
}
END_TEST

START_TEST(data_before_settings_and_changes)
{
	const char *text =
		"0,1\n"                          /* before any settings */
		"# rate=1000\n"
		"0,1\n"                          /* channels still missing */
		"# channels=1 labels=A\n"
		"0,1\n"
		"# rate=1000 channels=1 labels=A\n" /* repeated: no change */
		"0,2\n"
		"# rate=99999999\n"              /* invalid: line ignored */
		"0,3\n"
		"# rate=2000\n"
		"0,4\n"
		"# channels=2 labels=A,B,C\n"    /* label count wrong: default names */
		"0,5,6\n";
	struct drv d;
	run(&d, text, 5);
	ck_assert_uint_eq(d.stats.data_before_info, 2);
	ck_assert_uint_eq(d.stats.info_invalid, 2);
	ck_assert_int_eq(d.rec.ncfg, 3);
	ck_assert_int_eq(d.rec.why[1], LSR_SEGMENT_CHANGED);
	ck_assert_int_eq(d.rec.why[2], LSR_SEGMENT_CHANGED);
	ck_assert_int_eq(d.rec.cfg.channels, 2);
	ck_assert_str_eq(d.rec.cfg.labels[1], "Ch1");
	ck_assert_uint_eq(d.rec.n, 5);
	ck_assert_float_eq(d.rec.rows[4].v[1], 6.0f);
	ck_assert_uint_eq(d.rec.rows[4].index, 4);
	done(&d);
}
END_TEST

START_TEST(resync_skips_partial_line)
{
	struct drv d;
	run(&d, "# rate=1000 channels=1\n0,1\n1,2", 100);
	lsr_driver_ascii.resync(d.st);
	const char *more = "5.5\n0,7\n";
	lsr_driver_ascii.feed(d.st, (const uint8_t *)more, strlen(more), &d.rec.sink);
	lsr_driver_ascii.stats(d.st, &d.stats);
	ck_assert_uint_eq(d.rec.n, 2);
	ck_assert_float_eq(d.rec.rows[1].v[0], 7.0f);
	ck_assert_uint_eq(d.stats.corrupt_lines, 0);
	done(&d);
}
END_TEST

Suite *suite_ascii(void)
{
	Suite *s = suite_create("ascii");
	TCase *tc = tcase_create("ascii");
	tcase_add_test(tc, decodes_split_header_tabs_crlf);
	tcase_add_test(tc, corrupt_lines_are_lost_instants);
	tcase_add_test(tc, line_of_exactly_1024_bytes_is_accepted);
	tcase_add_test(tc, data_before_settings_and_changes);
	tcase_add_test(tc, resync_skips_partial_line);
	suite_add_tcase(s, tc);
	return s;
}
