/* src/ui/pane_sweeps.c — per channel: the latest sweep (optionally averaged)
 * over a faint stack of earlier ones and the baseline, the LSR window
 * shaded, onset and peak-to-peak marked; braille with min/max decimation
 * so no peak falls between pixels. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "panes.h"

struct plotspec {
	int pw, ph;           /* dots */
	double t0, t1;        /* ms shown */
	double uv_per_dot;
	int rate, pre, len;
};

static int col_of(const struct plotspec *s, double ms)
{
	return (int)floor((ms - s->t0) / (s->t1 - s->t0) * s->pw);
}

static int sample_of(const struct plotspec *s, double ms)
{
	int i = s->pre + (int)floor(ms * s->rate / 1000.0);
	return i < 0 ? 0 : i > s->len ? s->len : i;
}

static int y_of(const struct plotspec *s, double uv, int center)
{
	double y = center - uv / s->uv_per_dot;
	return y < 0 ? 0 : y > s->ph - 1 ? s->ph - 1 : (int)lround(y);
}

/* One trace: each dot column spans its samples' min..max, joined to the
 * previous column so steep edges stay connected. */
static void trace(struct lsr_canvas *c, const struct plotspec *s, const float *const *sw, int nav,
                  int center, int color)
{
	int prev = -1;
	for (int px = 0; px < s->pw; px++) {
		double a = s->t0 + (s->t1 - s->t0) * px / s->pw, b = s->t0 + (s->t1 - s->t0) * (px + 1) / s->pw;
		int i0 = sample_of(s, a), i1 = sample_of(s, b);
		if (i1 <= i0)
			i1 = i0 + 1;
		if (i1 > s->len)
			break;
		float lo = INFINITY, hi = -INFINITY;
		for (int i = i0; i < i1; i++) {
			float v = 0;
			for (int k = 0; k < nav; k++)
				v += sw[k][i];
			v /= (float)nav;
			lo = v < lo ? v : lo;
			hi = v > hi ? v : hi;
		}
		if (!isfinite(lo) || !isfinite(hi))
			continue;
		int ylo = y_of(s, hi, center), yhi = y_of(s, lo, center);
		if (prev >= 0) {
			ylo = prev < ylo ? prev : ylo;
			yhi = prev > yhi ? prev : yhi;
		}
		lsr_plot_vline(c, px, ylo, yhi, color);
		prev = y_of(s, sw[0][i1 - 1], center);
		if (nav > 1) {
			float v = 0;
			for (int k = 0; k < nav; k++)
				v += sw[k][i1 - 1];
			prev = y_of(s, v / (float)nav, center);
		}
	}
}

static void header(const struct lsr_pane_ctx *p, int ch, struct lsr_rect r)
{
	const struct lsr_model_channel *mc = &p->m->ch[ch];
	char meas[64] = "";
	if (mc->has_resp && !mc->valid)
		snprintf(meas, sizeof meas, "invalid: %s", lsr_invalid_name(mc->why) ? lsr_invalid_name(mc->why) : "?");
	else if (mc->has_resp && isfinite(mc->p2p))
		snprintf(meas, sizeof meas, isfinite(mc->onset) ? "%.0f\u00b5V %.1fms" : "%.0f\u00b5V", mc->p2p, mc->onset);
	bool sel = p->v->selected == ch;
	int attr = sel ? LSR_A_BOLD | LSR_A_REVERSE : LSR_A_BOLD;
	int n = lsr_canvas_printf(p->c, r.x, r.y, r.w, sel ? LSR_COLOR_SELECTED : LSR_COLOR_TEXT, attr,
	                          "%d %s %s", ch, mc->label[0] ? mc->label : "-", lsr_role_name(mc->role));
	char right[160]; /* meas (64) + gain and timebase: never truncated */
	snprintf(right, sizeof right, "%s%s%g\u00b5V/d %gms/d", meas, meas[0] ? "  " : "", p->v->gain_uv,
	         p->v->timebase_ms);
	int rw = 0;
	for (const char *s = right; *s; s++)
		rw += ((unsigned char)*s & 0xC0) != 0x80;
	if (n + 1 + rw <= r.w)
		lsr_canvas_text(p->c, r.x + r.w - rw, r.y, rw, right, LSR_COLOR_TEXT, 0);
	else if (n + 1 < r.w)
		lsr_canvas_text(p->c, r.x + n + 1, r.y, r.w - n - 1, meas, LSR_COLOR_TEXT, 0);
}

static void channel(const struct lsr_pane_ctx *p, int ch, struct lsr_rect r)
{
	const struct lsr_model *m = p->m;
	const struct lsr_model_channel *mc = &m->ch[ch];
	header(p, ch, r);
	struct lsr_rect pr = { r.x, r.y + 1, r.w, r.h - 1 };
	if (pr.h < 1 || pr.w < 2)
		return;
	double tb = p->v->timebase_ms;
	struct plotspec s = { .pw = 2 * pr.w, .ph = 4 * pr.h, .rate = m->rate, .pre = m->sweep_pre, .len = m->sweep_len };
	s.t0 = -(tb < 10 ? tb : 10);
	s.t1 = fmin(100, s.t0 + 11 * tb);
	s.uv_per_dot = p->v->gain_uv / 4; /* one division = one text row */
	/* The LSR window shaded, the direct window on the top row only. */
	int a = col_of(&s, m->lsr_from) / 2, b = (col_of(&s, m->lsr_to) + 1) / 2;
	lsr_canvas_attr(p->c, (struct lsr_rect){ pr.x + a, pr.y, b - a, pr.h }, LSR_A_SHADE);
	a = col_of(&s, m->direct_from) / 2, b = (col_of(&s, m->direct_to) + 1) / 2;
	lsr_canvas_attr(p->c, (struct lsr_rect){ pr.x + a, pr.y, b - a, 1 }, LSR_A_SHADE);
	if (!mc->nsweeps || m->rate <= 0 || m->sweep_len <= 0) {
		lsr_canvas_text(p->c, pr.x + 1, pr.y + pr.h / 2, pr.w - 1, "waiting for stimuli", LSR_COLOR_TEXT, LSR_A_DIM);
		return;
	}
	lsr_plot_begin(p->c, pr);
	int nav = p->v->average < mc->nsweeps ? p->v->average : mc->nsweeps;
	int nstack = p->v->stack < mc->nsweeps ? p->v->stack : mc->nsweeps;
	if (nstack < 1)
		nstack = 1;
	const float *latest[4];
	for (int k = 0; k < nav; k++)
		latest[k] = lsr_model_sweep(m, ch, k);
	if (p->v->stacked) {
		/* Raster: newest on top, each sweep in its own band. */
		for (int k = nstack - 1; k >= 0; k--) {
			const float *one = lsr_model_sweep(m, ch, k);
			int center = (int)((k + 0.5) * s.ph / nstack);
			trace(p->c, &s, k == 0 ? latest : &one, k == 0 ? nav : 1, center,
			      k == 0 ? LSR_COLOR_TRACE : LSR_COLOR_STACK);
		}
	} else {
		int center = s.ph / 2;
		for (int k = nstack - 1; k >= nav; k--) {
			const float *one = lsr_model_sweep(m, ch, k);
			trace(p->c, &s, &one, 1, center, LSR_COLOR_STACK);
		}
		if (mc->base_sweep) {
			const float *bs = mc->base_sweep;
			trace(p->c, &s, &bs, 1, center, LSR_COLOR_BASELINE);
		}
		trace(p->c, &s, latest, nav, center, LSR_COLOR_TRACE);
		/* Peak-to-peak: dotted lines at the extremes inside the LSR window. */
		if (mc->present == LSR_TRUE && nav == 1) {
			int i0 = sample_of(&s, m->lsr_from), i1 = sample_of(&s, m->lsr_to);
			float lo = INFINITY, hi = -INFINITY;
			for (int i = i0; i < i1; i++) {
				lo = latest[0][i] < lo ? latest[0][i] : lo;
				hi = latest[0][i] > hi ? latest[0][i] : hi;
			}
			if (i1 > i0)
				for (int px = col_of(&s, m->lsr_from); px < col_of(&s, m->lsr_to); px += 2) {
					lsr_plot_dot(p->c, px, y_of(&s, hi, center), LSR_COLOR_ONSET);
					lsr_plot_dot(p->c, px, y_of(&s, lo, center), LSR_COLOR_ONSET);
				}
		}
	}
	lsr_plot_end(p->c);
	if (mc->present == LSR_TRUE && isfinite(mc->onset) && mc->onset >= s.t0 && mc->onset < s.t1)
		lsr_canvas_put(p->c, pr.x + col_of(&s, mc->onset) / 2, pr.y, 0x25BC, LSR_COLOR_ONSET, LSR_A_BOLD);
}

void lsr_pane_sweeps_grid(const struct lsr_layout_pane *pane, int n, int h, int *cols, int *rows)
{
	int c = pane && pane->columns ? pane->columns : n <= 4 ? 1 : n <= 8 ? 2 : 4;
	if (c > n)
		c = n;
	int r = (n + c - 1) / c;
	/* Too many rows for the height: fewer, taller channels beat unreadable ones. */
	while (r > 1 && h / r < 2 && c < n) {
		c++;
		r = (n + c - 1) / c;
	}
	*cols = c;
	*rows = r;
}

void lsr_pane_sweeps(const struct lsr_pane_ctx *p, struct lsr_rect r)
{
	int list[LSR_MAX_CHANNELS], n = 0;
	for (int c = 0; c < p->m->nch; c++)
		if (lsr_pane_shows(p->pane, c))
			list[n++] = c;
	if (n == 0) {
		lsr_canvas_text(p->c, r.x + 1, r.y, r.w - 1, "no channels yet", LSR_COLOR_TEXT, LSR_A_DIM);
		return;
	}
	int cols, rows;
	lsr_pane_sweeps_grid(p->pane, n, r.h, &cols, &rows);
	for (int i = 0; i < n; i++) {
		int gx = i % cols, gy = i / cols;
		int x0 = r.x + r.w * gx / cols, x1 = r.x + r.w * (gx + 1) / cols;
		int y0 = r.y + r.h * gy / rows, y1 = r.y + r.h * (gy + 1) / rows;
		if (y1 <= y0 || x1 - x0 < 2)
			continue;
		/* One blank column between grid cells. */
		channel(p, list[i], (struct lsr_rect){ x0, y0, x1 - x0 - (gx < cols - 1), y1 - y0 });
	}
}
