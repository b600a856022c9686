/* src/ui/bigdigits.h — figures three text rows tall, drawn with half-block
 * characters, for the numbers that must read from across the theatre. */
#ifndef LSR_BIGDIGITS_H
#define LSR_BIGDIGITS_H

#include "canvas.h"

#define LSR_BIGDIGITS_ROWS 3

/* The cells text takes: 4 a glyph (3 and a space), the last without its
 * space; -1 when a character has no big glyph (digits, '%', '.', ' ',
 * '-' have). */
int lsr_bigdigits_width(const char *text);
/* Draws text with its top-left at x, y; nothing when it does not fit in
 * maxw cells or the canvas has no UTF-8 (returns 0 then, else the cells
 * used). */
int lsr_bigdigits_draw(struct lsr_canvas *c, int x, int y, int maxw, const char *text, int color, int attr);

#endif
