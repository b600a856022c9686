/* src/ui/pane_trend.c — LSR peak-to-peak per stimulus over the whole case as
 * a percentage of baseline, with the reduced and presence thresholds and
 * the operator's marks as vertical ticks. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "panes.h"

/* The channel the trend follows: the selected one if it judges the LSR,
 * else the first LSR channel. */
static int trend_channel(const struct lsr_pane_ctx *p)
{
	const struct lsr_model *m = p->m;
	int sel = p->v->selected;
	if (sel >= 0 && sel < m->nch && m->ch[sel].role == LSR_ROLE_LSR)
		return sel;
	for (int c = 0; c < m->nch; c++)
		if (m->ch[c].role == LSR_ROLE_LSR)
			return c;
	return m->nch > 0 ? 0 : -1;
}

static void hline(struct lsr_canvas *c, int pw, int y, int color)
{
	for (int x = 0; x < pw; x += 3)
		lsr_plot_dot(c, x, y, color);
}

void lsr_pane_trend(const struct lsr_pane_ctx *p, struct lsr_rect r)
{
	const struct lsr_model *m = p->m;
	int ch = trend_channel(p);
	if (ch < 0) {
		lsr_canvas_text(p->c, r.x + 1, r.y, r.w - 1, "Trend", LSR_COLOR_TEXT, LSR_A_BOLD);
		return;
	}
	const struct lsr_model_channel *mc = &m->ch[ch];
	bool base = mc->has_baseline && mc->base_p2p > 0;
	char head[160];
	int n = snprintf(head, sizeof head, "Trend ch%d %s", ch, mc->label);
	if (base)
		n += snprintf(head + n, sizeof head - (size_t)n, "  base %.0f\u00b5V%s", mc->base_p2p,
		              mc->base_provisional ? "?" : "");
	if (base && isfinite(mc->base_onset))
		snprintf(head + n, sizeof head - (size_t)n, " %.1fms", mc->base_onset);
	lsr_canvas_text(p->c, r.x, r.y, r.w, head, LSR_COLOR_TEXT, LSR_A_BOLD);
	struct lsr_rect pr = { r.x + 4, r.y + 1, r.w - 4, r.h - 2 };
	if (pr.h < 2 || pr.w < 4)
		return;
	/* Scale: 0-150 % of baseline, or 0-max µV before there is one. */
	double top = 150;
	if (!base) {
		top = 1;
		for (int i = 0; i < mc->ntrend; i++)
			if (isfinite(mc->trend[i].p2p) && mc->trend[i].p2p > top)
				top = mc->trend[i].p2p;
		top *= 1.2;
	}
	double scale = base ? 100.0 / mc->base_p2p : 1;
	lsr_canvas_printf(p->c, r.x, pr.y, 4, LSR_COLOR_TEXT, LSR_A_DIM, base ? "150%%" : "%.0f", top);
	lsr_canvas_text(p->c, r.x, pr.y + pr.h - 1, 4, base ? "  0%" : "   0", LSR_COLOR_TEXT, LSR_A_DIM);
	int pw = 2 * pr.w, ph = 4 * pr.h;
	double t0 = mc->ntrend ? mc->trend[0].t : 0;
	double t1 = fmax(p->info ? p->info->stream_t : 0, mc->ntrend ? mc->trend[mc->ntrend - 1].t : 0);
	if (t1 - t0 < 60)
		t1 = t0 + 60;
#define X(t) ((int)floor(((t) - t0) / (t1 - t0) * (pw - 1)))
#define Y(v) ((int)lround((ph - 1) * (1 - (v) / top)))
	lsr_plot_begin(p->c, pr);
	if (base) {
		hline(p->c, pw, Y(100), LSR_COLOR_BASELINE);
		hline(p->c, pw, Y(m->reduced_pct), LSR_COLOR_REDUCED);
		if (mc->has_resp && isfinite(mc->threshold) && mc->threshold * scale < top)
			hline(p->c, pw, Y(mc->threshold * scale), LSR_COLOR_DISAPPEARED);
	}
	for (int i = 0; i < m->nmarks; i++)
		if (!m->marks[i].cancelled && m->marks[i].t >= t0 && strncmp(m->marks[i].label, "Cancel ", 7))
			for (int y = 0; y < ph; y += 2)
				lsr_plot_dot(p->c, X(m->marks[i].t), y, LSR_COLOR_MARK);
	for (int i = 0; i < mc->ntrend; i++) {
		const struct lsr_trend_point *tp = &mc->trend[i];
		if (!isfinite(tp->p2p))
			continue;
		double v = fmin(top, tp->p2p * scale);
		lsr_plot_dot(p->c, X(tp->t), Y(v), tp->flags & LSR_TREND_PRESENT ? LSR_COLOR_PRESENT : LSR_COLOR_DISAPPEARED);
	}
	lsr_plot_end(p->c);
	/* Each mark's glyph on the top row: one per kind (the legend in ?). */
	for (int i = 0; i < m->nmarks; i++)
		if (!m->marks[i].cancelled && m->marks[i].t >= t0 && strncmp(m->marks[i].label, "Cancel ", 7))
			lsr_canvas_put(p->c, pr.x + X(m->marks[i].t) / 2, pr.y,
			               (unsigned char)lsr_model_mark_glyph(m->marks[i].label), LSR_COLOR_MARK, LSR_A_BOLD);
#undef X
#undef Y
	/* Bottom row: the time span and the latest value. */
	char a[16], b[16], last[48] = "";
	lsr_pane_time(p->info, t0, a, sizeof a);
	lsr_pane_time(p->info, t1, b, sizeof b);
	if (mc->ntrend && isfinite(mc->trend[mc->ntrend - 1].p2p)) {
		const struct lsr_trend_point *tp = &mc->trend[mc->ntrend - 1];
		int k = snprintf(last, sizeof last, base ? "%.0f%%" : "%.0f\u00b5V", tp->p2p * scale);
		if (isfinite(tp->onset))
			snprintf(last + k, sizeof last - (size_t)k, " %.1fms", tp->onset);
	}
	int y = r.y + r.h - 1;
	lsr_canvas_text(p->c, pr.x, y, pr.w, a, LSR_COLOR_TEXT, LSR_A_DIM);
	int lw = (int)strlen(b);
	if (pr.w > 2 * lw + 2)
		lsr_canvas_text(p->c, pr.x + pr.w - lw, y, lw, b, LSR_COLOR_TEXT, LSR_A_DIM);
	int ll = (int)strlen(last);
	if (pr.w > 2 * lw + ll + 4)
		lsr_canvas_text(p->c, pr.x + (pr.w - ll) / 2, y, ll, last, LSR_COLOR_TEXT, LSR_A_BOLD);
}
