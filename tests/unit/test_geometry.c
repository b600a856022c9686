/* tests/unit/test_geometry.c — pane rectangles: inside the screen, never
 * overlapping, every pane visible, for every shipped layout at every size
 * from 80x24 to 300x100; "too small" below that. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "geometry.h"

static const char *const shipped[] = { "standard", "compact", "wide" };

START_TEST(every_size)
{
	struct lsr_layout l;
	char err[300];
	ck_assert_msg(lsr_layout_load(&l, shipped[_i], err, sizeof err) == 0, "%s", err);
	struct lsr_rect r[LSR_LAYOUT_MAX_PANES];
	for (int w = 80; w <= 300; w++)
		for (int h = 24; h <= 100; h++) {
			ck_assert_int_eq(lsr_geometry(&l, w, h, r), 0);
			long area = 0;
			for (int i = 0; i < l.npanes; i++) {
				if (r[i].w <= 0 || r[i].h <= 0 || r[i].x < 0 || r[i].y < 0 ||
				    r[i].x + r[i].w > w || r[i].y + r[i].h > h)
					ck_abort_msg("%s %dx%d: pane %s at %d,%d %dx%d", shipped[_i], w, h,
					             l.panes[i].name, r[i].x, r[i].y, r[i].w, r[i].h);
				for (int j = 0; j < i; j++)
					if (r[i].x < r[j].x + r[j].w && r[j].x < r[i].x + r[i].w &&
					    r[i].y < r[j].y + r[j].h && r[j].y < r[i].y + r[i].h)
						ck_abort_msg("%s %dx%d: %s overlaps %s", shipped[_i], w, h,
						             l.panes[i].name, l.panes[j].name);
				area += (long)r[i].w * r[i].h;
			}
			/* The shipped layouts leave no cell unused. */
			ck_assert_int_eq(area, (long)w * h);
		}
}
END_TEST

START_TEST(too_small)
{
	struct lsr_layout l;
	char err[300];
	ck_assert_int_eq(lsr_layout_load(&l, "standard", err, sizeof err), 0);
	struct lsr_rect r[LSR_LAYOUT_MAX_PANES];
	ck_assert_int_eq(lsr_geometry(&l, 79, 24, r), -1);
	ck_assert_int_eq(lsr_geometry(&l, 80, 23, r), -1);
	ck_assert_int_eq(lsr_geometry(&l, 0, 0, r), -1);
	for (int i = 0; i < l.npanes; i++)
		ck_assert_int_eq(r[i].w * r[i].h, 0);
}
END_TEST

START_TEST(split_rules)
{
	int out[4];
	/* 3 fixed, 50% of 40 = 20, the rest (17) to the single "*". */
	struct lsr_size a[] = { { LSR_SIZE_FIXED, 3 }, { LSR_SIZE_PERCENT, 50 }, { LSR_SIZE_FILL, 0 } };
	lsr_geometry_split(a, 3, 40, out);
	ck_assert_int_eq(out[0], 3);
	ck_assert_int_eq(out[1], 20);
	ck_assert_int_eq(out[2], 17);
	/* Two fills share 11 as 6 + 5. */
	struct lsr_size b[] = { { LSR_SIZE_FILL, 0 }, { LSR_SIZE_FILL, 0 } };
	lsr_geometry_split(b, 2, 11, out);
	ck_assert_int_eq(out[0], 6);
	ck_assert_int_eq(out[1], 5);
	/* No fill: the last item takes what percentages leave. */
	struct lsr_size c[] = { { LSR_SIZE_PERCENT, 30 }, { LSR_SIZE_PERCENT, 30 } };
	lsr_geometry_split(c, 2, 10, out);
	ck_assert_int_eq(out[0], 3);
	ck_assert_int_eq(out[1], 7);
	/* Fixed sizes larger than the total shrink; nothing goes negative. */
	struct lsr_size d[] = { { LSR_SIZE_FIXED, 8 }, { LSR_SIZE_FIXED, 8 }, { LSR_SIZE_FILL, 0 } };
	lsr_geometry_split(d, 3, 10, out);
	ck_assert_int_eq(out[0], 8);
	ck_assert_int_eq(out[1], 2);
	ck_assert_int_eq(out[2], 0);
}
END_TEST

Suite *suite_geometry(void)
{
	Suite *s = suite_create("geometry");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, every_size, 0, 3);
	tcase_add_test(tc, too_small);
	tcase_add_test(tc, split_rules);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
