/* src/ui/screen.c — one frame: geometry, then each dirty pane into its
 * rectangle, then overlays (help, too small). */
#include <string.h>

#include "screen.h"

/* Where no banner shows it — the too-small notice, the help over
 * everything, a layout without a banner — a simulation says so on the top
 * row of every frame (man/lsrmon.1, SIMULATION). */
static void simulation_tag(struct lsr_screen *s, const struct lsr_model *m)
{
	if (!m->simulation || s->w <= 0 || s->h <= 0)
		return;
	struct lsr_rect r = { 0, 0, s->w, 1 };
	lsr_pane_simulation(&s->canvas, r);
	s->drawn[s->ndrawn++] = r;
}

int lsr_screen_resize(struct lsr_screen *s, int w, int h, bool utf8)
{
	if (lsr_canvas_resize(&s->canvas, w, h) < 0)
		return -1;
	s->canvas.utf8 = utf8;
	s->w = w;
	s->h = h;
	s->too_small = lsr_geometry(s->layout, w, h, s->rects) < 0;
	return 0;
}

void lsr_screen_draw(struct lsr_screen *s, unsigned dirty, const struct lsr_model *m,
                     const struct lsr_view *v, const struct lsr_ui_info *info)
{
	s->ndrawn = 0;
	if (s->too_small) {
		lsr_pane_too_small(&s->canvas, s->w, s->h);
		s->drawn[s->ndrawn++] = (struct lsr_rect){ 0, 0, s->canvas.w, s->canvas.h };
		simulation_tag(s, m);
		return;
	}
	/* The help overlay sits on top of everything: with it up, every pane
	 * is drawn again under it. */
	if (v->help)
		dirty = LSR_DIRTY_ALL;
	const struct lsr_layout *l = s->layout;
	for (int i = 0; i < l->npanes; i++) {
		const struct lsr_layout_pane *pn = &l->panes[i];
		struct lsr_rect r = s->rects[i];
		const struct lsr_pane_class *type = &lsr_pane_types[pn->type];
		if (!(dirty & type->dirty) || r.w <= 0 || r.h <= 0)
			continue;
		lsr_canvas_fill(&s->canvas, r, ' ', LSR_COLOR_TEXT, 0);
		s->drawn[s->ndrawn++] = r;
		/* A blank gutter column between panes side by side. */
		if (r.x + r.w < s->w && !type->full_width && r.w > 2)
			r.w--;
		struct lsr_pane_ctx p = { &s->canvas, m, v, info, pn, l->freerun_s };
		type->draw(&p, r);
	}
	if (v->help) { /* below the SIMULATION row, which stays on top */
		struct lsr_pane_ctx p = { &s->canvas, m, v, info, NULL, l->freerun_s };
		int top = m->simulation && s->h > 1;
		lsr_pane_help(&p, (struct lsr_rect){ 0, top, s->w, s->h - top });
	}
	bool banner = false;
	for (int i = 0; i < l->npanes; i++)
		banner |= l->panes[i].type == LSR_PANE_BANNER && s->rects[i].w > 0 && s->rects[i].h > 0;
	if (v->help || !banner)
		simulation_tag(s, m);
}

int lsr_screen_channel_at(const struct lsr_screen *s, const struct lsr_model *m, int x, int y)
{
	if (s->too_small)
		return -1;
	const struct lsr_layout *l = s->layout;
	for (int i = 0; i < l->npanes; i++) {
		struct lsr_rect r = s->rects[i];
		const struct lsr_layout_pane *pn = &l->panes[i];
		if (x < r.x || y < r.y || x >= r.x + r.w || y >= r.y + r.h)
			continue;
		int list[LSR_MAX_CHANNELS], n = 0;
		for (int c = 0; c < m->nch; c++)
			if (lsr_pane_shows(pn, c))
				list[n++] = c;
		if (n == 0)
			return -1;
		if (pn->type == LSR_PANE_FREERUN) {
			int shown = n < r.h ? n : r.h;
			return list[(y - r.y) * shown / r.h];
		}
		if (pn->type == LSR_PANE_SWEEPS) {
			/* Same grid as the sweeps pane. */
			int cols, rows;
			lsr_pane_sweeps_grid(pn, n, r.h, &cols, &rows);
			int k = (y - r.y) * rows / r.h * cols + (x - r.x) * cols / r.w;
			return k < n ? list[k] : -1;
		}
		return -1;
	}
	return -1;
}

void lsr_screen_free(struct lsr_screen *s)
{
	lsr_canvas_free(&s->canvas);
}
