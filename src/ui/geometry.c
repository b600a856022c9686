/* src/ui/geometry.c — layout + terminal size → pane rectangles (pure). */
#include <string.h>

#include "geometry.h"

void lsr_geometry_split(const struct lsr_size *sizes, int n, int total, int *out)
{
	if (n <= 0)
		return;
	if (total < 0)
		total = 0;
	int nfill = 0;
	for (int i = 0; i < n; i++) {
		out[i] = 0;
		if (sizes[i].kind == LSR_SIZE_FILL)
			nfill++;
	}
	int left = total;
	/* Fixed sizes first; if they alone do not fit, they shrink in order
	 * of appearance (later items lose first). */
	for (int i = 0; i < n; i++)
		if (sizes[i].kind == LSR_SIZE_FIXED) {
			out[i] = sizes[i].value < left ? sizes[i].value : left;
			left -= out[i];
		}
	for (int i = 0; i < n; i++)
		if (sizes[i].kind == LSR_SIZE_PERCENT) {
			int want = (int)((long)sizes[i].value * total / 100);
			out[i] = want < left ? want : left;
			left -= out[i];
		}
	if (nfill) {
		int share = left / nfill, extra = left % nfill;
		for (int i = 0; i < n; i++)
			if (sizes[i].kind == LSR_SIZE_FILL) {
				out[i] = share + (extra > 0);
				if (extra > 0)
					extra--;
			}
	} else {
		out[n - 1] += left;
	}
}

int lsr_geometry(const struct lsr_layout *l, int cols, int lines, struct lsr_rect *rects)
{
	memset(rects, 0, sizeof *rects * (size_t)l->npanes);
	if (cols < LSR_MIN_COLS || lines < LSR_MIN_LINES)
		return -1;
	int heights[LSR_LAYOUT_MAX_ROWS];
	lsr_geometry_split(l->rows, l->nrows, lines, heights);
	int y = 0;
	for (int r = 0; r < l->nrows; r++) {
		int idx[LSR_LAYOUT_MAX_PANES], widths[LSR_LAYOUT_MAX_PANES], n = 0;
		struct lsr_size sz[LSR_LAYOUT_MAX_PANES];
		for (int i = 0; i < l->npanes; i++)
			if (l->panes[i].row == r) {
				idx[n] = i;
				sz[n++] = l->panes[i].width;
			}
		lsr_geometry_split(sz, n, cols, widths);
		int x = 0;
		for (int k = 0; k < n; k++) {
			struct lsr_rect *rc = &rects[idx[k]];
			if (widths[k] > 0 && heights[r] > 0)
				*rc = (struct lsr_rect){ x, y, widths[k], heights[r] };
			x += widths[k];
		}
		y += heights[r];
	}
	return 0;
}
