/* src/ui/pane_freerun.c — the continuous EMG of each channel scrolling in
 * real time (what the surgeon's manipulation provokes) as a min/max
 * envelope per dot column, scaled to the channel's own background so a
 * spontaneous burst stands out as a burst (highlighted), and the
 * stimulus artifacts faint. */
#include <math.h>
#include <stdio.h>

#include "panes.h"

#define LABEL_W 6
#define FLOOR_UV 5.0 /* the scale of a channel with no background yet */

static void channel(const struct lsr_pane_ctx *p, int ch, struct lsr_rect r, double seconds)
{
	const struct lsr_model *m = p->m;
	lsr_canvas_printf(p->c, r.x, r.y + (r.h - 1) / 2, LABEL_W - 1,
	                  p->v->selected == ch ? LSR_COLOR_SELECTED : LSR_COLOR_TEXT,
	                  p->v->selected == ch ? LSR_A_BOLD : 0, "%d %s", ch, m->ch[ch].label);
	struct lsr_rect pr = { r.x + LABEL_W, r.y, r.w - LABEL_W, r.h };
	if (pr.w < 1)
		return;
	int pw = 2 * pr.w, ph = 4 * pr.h, center = ph / 2;
	double per = seconds * LSR_FREERUN_HZ / pw; /* buckets per dot column */
	/* A bucket's background peak to peak is one dot (a column of several
	 * buckets spans about two): a burst, several times it, fills the row. */
	double uv_per_dot = fmax(m->ch[ch].level, FLOOR_UV);
	int64_t newest = m->fr_total - 1;
	lsr_plot_begin(p->c, pr);
	for (int px = pw - 1; px >= 0; px--) {
		int64_t b1 = newest - (int64_t)floor((pw - 1 - px) * per);
		int64_t b0 = newest - (int64_t)floor((pw - px) * per) + 1;
		if (b0 > b1)
			b0 = b1;
		float lo = INFINITY, hi = -INFINITY, l, h;
		bool burst = false, kept = false, artifact = false, bb;
		for (int64_t b = b0; b <= b1; b++)
			if (lsr_model_bucket(m, ch, b, &l, &h, &bb)) {
				kept = true;
				if (isnan(l))
					continue; /* lost samples: left blank */
				lo = l < lo ? l : lo;
				hi = h > hi ? h : hi;
				burst |= bb;
				artifact |= lsr_model_bucket_after_stim(m, ch, b);
			}
		if (!kept)
			break; /* older than the ring */
		if (!isfinite(lo))
			continue;
		int y0 = (int)lround(center - hi / uv_per_dot), y1 = (int)lround(center - lo / uv_per_dot);
		lsr_plot_vline(p->c, px, y0 < 0 ? 0 : y0, y1 > ph - 1 ? ph - 1 : y1,
		               burst ? LSR_COLOR_BURST : artifact ? LSR_COLOR_GRID : LSR_COLOR_TRACE);
	}
	lsr_plot_end(p->c);
}

void lsr_pane_freerun(const struct lsr_pane_ctx *p, struct lsr_rect r)
{
	double seconds = p->freerun_s;
	int list[LSR_MAX_CHANNELS], n = 0;
	for (int c = 0; c < p->m->nch; c++)
		if (lsr_pane_shows(p->pane, c))
			list[n++] = c;
	if (n == 0 || r.h < 1)
		return;
	/* One row per channel at least; those that do not fit are left out
	 * and said so. */
	int shown = n < r.h ? n : r.h;
	for (int i = 0; i < shown; i++) {
		int y0 = r.y + r.h * i / shown, y1 = r.y + r.h * (i + 1) / shown;
		channel(p, list[i], (struct lsr_rect){ r.x, y0, r.w, y1 - y0 }, seconds);
	}
	if (shown < n)
		lsr_canvas_printf(p->c, r.x + r.w - 12, r.y + r.h - 1, 12, LSR_COLOR_TEXT, LSR_A_DIM,
		                  "+%d more ch", n - shown);
}
