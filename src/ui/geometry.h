/* src/ui/geometry.h — where each pane of a layout goes on a terminal of a
 * given size: a pure function, so it is unit-tested at every size. */
#ifndef LSR_GEOMETRY_H
#define LSR_GEOMETRY_H

#include "layout.h"

#define LSR_MIN_COLS 80
#define LSR_MIN_LINES 24

struct lsr_rect {
	int x, y, w, h; /* w or h 0: the pane is hidden at this size */
};

/* Fills rects[0 .. l->npanes-1].  Returns 0, or -1 when the terminal is
 * smaller than 80×24 (every rect then empty). */
int lsr_geometry(const struct lsr_layout *l, int cols, int lines, struct lsr_rect *rects);

/* Splits total cells among n sizes: fixed first, then percentages of the
 * total, then the rest in equal shares to "*" (or to the last item when
 * there is none).  The results always add up to total exactly. */
void lsr_geometry_split(const struct lsr_size *sizes, int n, int total, int *out);

#endif
