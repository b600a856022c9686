/* src/ui/bigdigits.c — a 3x5 dot font in half blocks: each text cell is one
 * dot wide and two tall, so a glyph is 3 cells by 3 rows (the sixth dot
 * row blank).  Digits, '%', '.', '-' and ' ' only: what the amplitude and
 * latency figures need. */
#include <string.h>

#include "bigdigits.h"

/* Five rows of three bits (4 = left dot) per glyph. */
static const struct { char ch; unsigned char rows[5]; } font[] = {
	{ '0', { 7, 5, 5, 5, 7 } }, { '1', { 2, 6, 2, 2, 7 } }, { '2', { 7, 1, 7, 4, 7 } },
	{ '3', { 7, 1, 7, 1, 7 } }, { '4', { 5, 5, 7, 1, 1 } }, { '5', { 7, 4, 7, 1, 7 } },
	{ '6', { 7, 4, 7, 5, 7 } }, { '7', { 7, 1, 1, 1, 1 } }, { '8', { 7, 5, 7, 5, 7 } },
	{ '9', { 7, 5, 7, 1, 7 } }, { '%', { 5, 1, 2, 4, 5 } }, { '.', { 0, 0, 0, 0, 2 } },
	{ '-', { 0, 0, 7, 0, 0 } }, { ' ', { 0, 0, 0, 0, 0 } },
};
#define NFONT ((int)(sizeof font / sizeof font[0]))

static const unsigned char *glyph(char ch)
{
	for (int i = 0; i < NFONT; i++)
		if (font[i].ch == ch)
			return font[i].rows;
	return NULL;
}

int lsr_bigdigits_width(const char *text)
{
	int n = (int)strlen(text);
	for (int i = 0; i < n; i++)
		if (!glyph(text[i]))
			return -1;
	return n > 0 ? 4 * n - 1 : 0;
}

int lsr_bigdigits_draw(struct lsr_canvas *c, int x, int y, int maxw, const char *text, int color, int attr)
{
	int w = lsr_bigdigits_width(text);
	if (!c->utf8 || w <= 0 || w > maxw)
		return 0;
	for (int i = 0; text[i]; i++) {
		const unsigned char *g = glyph(text[i]);
		for (int row = 0; row < LSR_BIGDIGITS_ROWS; row++) {
			unsigned top = g[2 * row], bottom = 2 * row + 1 < 5 ? g[2 * row + 1] : 0;
			for (int col = 0; col < 3; col++) {
				unsigned bit = 4u >> col;
				bool t = top & bit, b = bottom & bit;
				/* full block, upper half, lower half */
				uint32_t ch = t && b ? 0x2588 : t ? 0x2580 : b ? 0x2584 : ' ';
				lsr_canvas_put(c, x + 4 * i + col, y + row, ch, color, attr);
			}
		}
	}
	return w;
}
