/* src/ui/canvas.h — a grid of character cells that panes draw into; the
 * terminal module copies it to curses, and tests read it back as text. */
#ifndef LSR_CANVAS_H
#define LSR_CANVAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "geometry.h"

/* No attribute gives a cell a background colour: only reverse video
 * (banner, headers, status) does, never inside a trace. */
enum { LSR_A_BOLD = 1, LSR_A_DIM = 2, LSR_A_REVERSE = 4 };

struct lsr_cell {
	uint32_t ch;     /* Unicode code point */
	uint8_t color;   /* enum lsr_color */
	uint8_t attr;
};

struct lsr_canvas {
	int w, h;
	bool utf8;       /* false: ASCII only (no braille, no box glyphs) */
	struct lsr_cell *cells;
	/* Plot scratch: braille dot bits and colour per cell of one plot. */
	struct lsr_rect plot;
	uint8_t *bits, *bitcolor;
};

int lsr_canvas_resize(struct lsr_canvas *c, int w, int h);
void lsr_canvas_free(struct lsr_canvas *c);
void lsr_canvas_fill(struct lsr_canvas *c, struct lsr_rect r, uint32_t ch, int color, int attr);
void lsr_canvas_put(struct lsr_canvas *c, int x, int y, uint32_t ch, int color, int attr);
/* Writes UTF-8 text clipped to maxw cells; returns the cells used.
 * Without UTF-8, non-ASCII becomes ASCII ('µ' → 'u', others → '?'). */
int lsr_canvas_text(struct lsr_canvas *c, int x, int y, int maxw, const char *s, int color, int attr);
int lsr_canvas_printf(struct lsr_canvas *c, int x, int y, int maxw, int color, int attr,
                      const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* One row as UTF-8 text (trailing blanks kept), for tests and dumps. */
void lsr_canvas_row(const struct lsr_canvas *c, int y, char *buf, size_t len);

/* Dot plotting over a rectangle: 2×4 dots per cell (braille).  Later
 * calls draw on top: a cell takes the colour of the last dot set in it. */
void lsr_plot_begin(struct lsr_canvas *c, struct lsr_rect r);
void lsr_plot_dot(struct lsr_canvas *c, int px, int py, int color);
/* Vertical run of dots from py0 to py1 (either order), clipped. */
void lsr_plot_vline(struct lsr_canvas *c, int px, int py0, int py1, int color);
void lsr_plot_end(struct lsr_canvas *c);

#endif
