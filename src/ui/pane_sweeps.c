/* src/ui/pane_sweeps.c — per channel: the latest sweep (optionally averaged)
 * in its own bright colour over dim earlier ones and the baseline average
 * in a second colour, on a dotted graticule of the divisions the gain and
 * timebase name, with a calibration bar; the analysis windows as thin
 * dotted edges (never a background behind the trace), onset and
 * peak-to-peak marked; beside it the numbers that decide (% of baseline,
 * latency), in figures three rows tall where there is room.  Braille with
 * min/max decimation so no peak falls between pixels. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bigdigits.h"
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

#define NUM_W 8 /* the numbers column beside the plot */
/* ... in big figures ("100%" is 15 cells), on a sweep at least BIG_MIN_W
 * wide: the plot keeps 74 columns, 148 dots over the 110 ms */
#define BIG_W 16
#define BIG_MIN_W 90

static int state_color(const struct lsr_model_channel *mc)
{
	if (!mc->has_state)
		return LSR_COLOR_TEXT;
	switch (mc->state) {
	case LSR_STATE_PRESENT: return LSR_COLOR_PRESENT;
	case LSR_STATE_REDUCED: return LSR_COLOR_REDUCED;
	case LSR_STATE_DISAPPEARED: return LSR_COLOR_DISAPPEARED;
	case LSR_STATE_STIMULATION_FAILURE: case LSR_STATE_NO_STIMULUS: return LSR_COLOR_ALARM;
	default: return LSR_COLOR_TEXT;
	}
}

/* Beside the sweep: the latest amplitude as % of baseline (the control's
 * direct response likewise) and the latency, bold in the channel's state
 * colour: the figures read from across the room. */
static void numbers(const struct lsr_pane_ctx *p, int ch, struct lsr_rect r)
{
	const struct lsr_model_channel *mc = &p->m->ch[ch];
	if (r.h < 1 || !mc->has_resp)
		return;
	bool control = mc->role == LSR_ROLE_CONTROL;
	int color = control ? LSR_COLOR_TEXT : state_color(mc);
	char a[16], b[16];
	if (!mc->valid) {
		snprintf(a, sizeof a, "invalid");
		snprintf(b, sizeof b, "%.8s", lsr_invalid_name(mc->why) ? lsr_invalid_name(mc->why) : "?");
		color = LSR_COLOR_ALARM;
	} else {
		if (mc->has_baseline && mc->base_p2p > 0 && isfinite(mc->p2p))
			snprintf(a, sizeof a, "%s%.0f%%", control ? "D " : "", 100 * mc->p2p / mc->base_p2p);
		else if (isfinite(mc->p2p))
			snprintf(a, sizeof a, "%.0f\u00b5V", mc->p2p);
		else
			snprintf(a, sizeof a, "--");
		if (isfinite(mc->onset))
			snprintf(b, sizeof b, "%.1fms", mc->onset);
		else
			snprintf(b, sizeof b, "--ms");
	}
	/* Where the column is wide and tall enough, the % of baseline in
	 * figures three rows tall, the latency under it ("direct" says whose
	 * on a control channel). */
	if (r.w >= BIG_W && r.h > LSR_BIGDIGITS_ROWS && mc->valid && mc->has_baseline && mc->base_p2p > 0 &&
	    isfinite(mc->p2p)) {
		char fig[16];
		snprintf(fig, sizeof fig, "%.0f%%", 100 * mc->p2p / mc->base_p2p);
		if (lsr_bigdigits_draw(p->c, r.x + 1, r.y, r.w - 1, fig, color, LSR_A_BOLD)) {
			lsr_canvas_printf(p->c, r.x + 1, r.y + LSR_BIGDIGITS_ROWS, r.w - 1, color, LSR_A_BOLD, "%s%s",
			                  control ? "direct " : "", b);
			return;
		}
	}
	lsr_canvas_text(p->c, r.x + 1, r.y, r.w - 1, a, color, LSR_A_BOLD);
	if (r.h > 1)
		lsr_canvas_text(p->c, r.x + 1, r.y + 1, r.w - 1, b, color, LSR_A_BOLD);
}

/* Dotted graticule: a dot at every division crossing (one division is one
 * text row of gain µV and one timebase of ms), the stimulus as a dotted
 * line, and the channel's analysis windows as dotted edges. */
static void graticule(const struct lsr_pane_ctx *p, const struct plotspec *s, int center, enum lsr_role role)
{
	const struct lsr_model *m = p->m;
	double tb = p->v->timebase_ms;
	for (double t = ceil(s->t0 / tb) * tb; t < s->t1; t += tb)
		for (int y = center % 4; y < s->ph; y += 4)
			lsr_plot_dot(p->c, col_of(s, t), y, LSR_COLOR_GRID);
	for (int y = 0; y < s->ph; y += 2)
		lsr_plot_dot(p->c, col_of(s, 0), y, LSR_COLOR_GRID);
	double edges[3];
	int n = 0;
	if (role == LSR_ROLE_LSR) {
		edges[n++] = m->lsr_from, edges[n++] = m->lsr_to;
		if (m->late_to > m->lsr_to)
			edges[n++] = m->late_to;
	} else if (role == LSR_ROLE_CONTROL) {
		edges[n++] = m->direct_from, edges[n++] = m->direct_to;
	}
	for (int i = 0; i < n; i++)
		if (edges[i] > s->t0 && edges[i] < s->t1)
			for (int y = 1; y < s->ph; y += 2)
				lsr_plot_dot(p->c, col_of(s, edges[i]), y, LSR_COLOR_WINDOW);
}

/* One division each way in the corner before the stimulus, where the
 * sweep is blanked and flat. */
static void calibration_bar(const struct lsr_pane_ctx *p, const struct plotspec *s)
{
	int dw = col_of(s, s->t0 + p->v->timebase_ms) - col_of(s, s->t0);
	for (int x = 0; x <= dw && x < s->pw; x++)
		lsr_plot_dot(p->c, x, s->ph - 1, LSR_COLOR_TEXT);
	lsr_plot_vline(p->c, 0, s->ph - 5, s->ph - 1, LSR_COLOR_TEXT);
}

/* What the bright trace is when it is not the latest sweep alone: "avg 3"
 * (display averaging), "avg k=12" (the detector's average and its trials),
 * "avg k=-" (an LSR channel whose latest decision averaged none); "" for
 * a single sweep. */
static void average_label(const struct lsr_pane_ctx *p, const struct lsr_model_channel *mc,
                          int nav, char *buf, size_t len)
{
	buf[0] = '\0';
	if (p->v->average == LSR_AVERAGE_JUDGED && mc->role == LSR_ROLE_LSR) {
		if (mc->judged && mc->judged_k > 0)
			snprintf(buf, len, "avg k=%d", mc->judged_k);
		else
			snprintf(buf, len, "avg k=-");
	} else if (nav > 1) {
		snprintf(buf, len, "avg %d", nav);
	}
}

/* Label and role; what the trace averages, the measures (as % of baseline
 * where the numbers column does not fit), gain and timebase.  Where the
 * line is short the average's label and the measures stay. */
static void header(const struct lsr_pane_ctx *p, int ch, struct lsr_rect r, bool pct, const char *avg)
{
	const struct lsr_model_channel *mc = &p->m->ch[ch];
	char meas[64] = "";
	size_t o = avg[0] ? (size_t)snprintf(meas, sizeof meas, "%s ", avg) : 0;
	if (mc->has_resp && !mc->valid)
		snprintf(meas + o, sizeof meas - o, "invalid: %s", lsr_invalid_name(mc->why) ? lsr_invalid_name(mc->why) : "?");
	else if (mc->has_resp && isfinite(mc->p2p))
		snprintf(meas + o, sizeof meas - o, isfinite(mc->onset) ? "%.0f\u00b5V %.1fms" : "%.0f\u00b5V", mc->p2p, mc->onset);
	if (pct && mc->has_resp && mc->valid && isfinite(mc->p2p) && mc->has_baseline && mc->base_p2p > 0)
		snprintf(meas + o, sizeof meas - o, isfinite(mc->onset) ? "%s%.0f%% %.1fms" : "%s%.0f%%",
		         mc->role == LSR_ROLE_CONTROL ? "D " : "", 100 * mc->p2p / mc->base_p2p, mc->onset);
	bool sel = p->v->selected == ch;
	int attr = sel ? LSR_A_BOLD | LSR_A_REVERSE : LSR_A_BOLD;
	int n = lsr_canvas_printf(p->c, r.x, r.y, r.w, sel ? LSR_COLOR_SELECTED : LSR_COLOR_TEXT, attr,
	                          "%d %s %s", ch, mc->label[0] ? mc->label : "-", lsr_role_name(mc->role));
	char right[160]; /* meas (64) + gain and timebase: never truncated */
	snprintf(right, sizeof right, "%s%s%g\u00b5V/d %gms/d", meas, meas[0] ? "  " : "",
	         lsr_keys_gain(p->v, p->m, ch), p->v->timebase_ms);
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
	int numw = r.w >= BIG_MIN_W && r.h - 1 > LSR_BIGDIGITS_ROWS && p->c->utf8 ? BIG_W
	           : r.w >= 5 * NUM_W ? NUM_W : 0;
	/* The detector's average replaces the latest sweep on LSR channels
	 * (the others have none: their latest sweep stays). */
	bool judged = p->v->average == LSR_AVERAGE_JUDGED && mc->role == LSR_ROLE_LSR;
	int nav = p->v->average >= LSR_AVERAGE_JUDGED ? 1
	          : p->v->average < mc->nsweeps ? p->v->average : mc->nsweeps;
	char avg[24];
	average_label(p, mc, nav, avg, sizeof avg);
	header(p, ch, r, numw == 0, avg);
	struct lsr_rect pr = { r.x, r.y + 1, r.w - numw, r.h - 1 };
	if (pr.h < 1 || pr.w < 2)
		return;
	numbers(p, ch, (struct lsr_rect){ pr.x + pr.w, pr.y, numw, pr.h });
	double tb = p->v->timebase_ms;
	struct plotspec s = { .pw = 2 * pr.w, .ph = 4 * pr.h, .rate = m->rate, .pre = m->sweep_pre, .len = m->sweep_len };
	s.t0 = -(tb < 10 ? tb : 10);
	s.t1 = fmin(100, s.t0 + 11 * tb);
	s.uv_per_dot = lsr_keys_gain(p->v, m, ch) / 4; /* one division = one text row */
	if (!mc->nsweeps || m->rate <= 0 || m->sweep_len <= 0) {
		lsr_canvas_text(p->c, pr.x + 1, pr.y + pr.h / 2, pr.w - 1, "waiting for stimuli", LSR_COLOR_TEXT, LSR_A_DIM);
		return;
	}
	lsr_plot_begin(p->c, pr);
	if (!p->v->stacked)
		graticule(p, &s, s.ph / 2, mc->role);
	if (pr.h >= 3)
		calibration_bar(p, &s);
	int nstack = p->v->stack < mc->nsweeps ? p->v->stack : mc->nsweeps;
	if (nstack < 1)
		nstack = 1;
	const float *latest[LSR_AVERAGE_JUDGED - 1] = { NULL }; /* up to 4 sweeps */
	for (int k = 0; k < nav; k++)
		latest[k] = lsr_model_sweep(m, ch, k);
	if (judged && mc->judged && mc->judged_k > 0)
		latest[0] = mc->judged;
	bool drawn = !judged || (mc->judged && mc->judged_k > 0);
	if (p->v->stacked) {
		/* Raster: newest on top, each sweep in its own band. */
		for (int k = nstack - 1; k >= 0; k--) {
			const float *one = lsr_model_sweep(m, ch, k);
			int center = (int)((k + 0.5) * s.ph / nstack);
			if (k > 0 || drawn)
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
		if (drawn)
			trace(p->c, &s, latest, nav, center, LSR_COLOR_TRACE);
		/* Peak-to-peak: dotted lines at the extremes of the latest
		 * sweep inside the LSR window (the numbers beside it are its). */
		if (mc->present == LSR_TRUE && nav == 1 && !judged) {
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
