/* src/ui/canvas.c — character-cell drawing and braille dot plotting into a
 * plain memory grid (no curses here, so panes are testable). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canvas.h"

int lsr_canvas_resize(struct lsr_canvas *c, int w, int h)
{
	if (w < 1 || h < 1)
		w = h = 1;
	size_t n = (size_t)w * (size_t)h;
	struct lsr_cell *cells = calloc(n, sizeof *cells);
	uint8_t *bits = calloc(n, 1), *bc = calloc(n, 1);
	if (!cells || !bits || !bc) {
		free(cells);
		free(bits);
		free(bc);
		return -1;
	}
	free(c->cells);
	free(c->bits);
	free(c->bitcolor);
	c->cells = cells;
	c->bits = bits;
	c->bitcolor = bc;
	c->w = w;
	c->h = h;
	for (size_t i = 0; i < n; i++)
		cells[i].ch = ' ';
	return 0;
}

void lsr_canvas_free(struct lsr_canvas *c)
{
	free(c->cells);
	free(c->bits);
	free(c->bitcolor);
	memset(c, 0, sizeof *c);
}

void lsr_canvas_put(struct lsr_canvas *c, int x, int y, uint32_t ch, int color, int attr)
{
	if (x < 0 || y < 0 || x >= c->w || y >= c->h)
		return;
	struct lsr_cell *cell = &c->cells[y * c->w + x];
	if (!c->utf8 && ch > 0x7e)
		ch = ch == 0xB5 ? 'u' : ch == 0x2502 ? '|' : ch == 0x2500 || ch == 0x2014 ? '-' : ch == 0x25BC ? 'v' : ch == 0xB7 ? '.' : ch == 0x2514 ? 'L' : '?';
	cell->ch = ch;
	cell->color = (uint8_t)color;
	cell->attr = (uint8_t)attr;
}

void lsr_canvas_fill(struct lsr_canvas *c, struct lsr_rect r, uint32_t ch, int color, int attr)
{
	for (int y = r.y; y < r.y + r.h; y++)
		for (int x = r.x; x < r.x + r.w; x++)
			lsr_canvas_put(c, x, y, ch, color, attr);
}

/* Next code point of UTF-8 text; invalid bytes give U+FFFD. */
static uint32_t next_cp(const unsigned char **sp)
{
	const unsigned char *s = *sp;
	uint32_t cp = *s++;
	int k = cp < 0x80 ? 0 : (cp & 0xE0) == 0xC0 ? 1 : (cp & 0xF0) == 0xE0 ? 2 : (cp & 0xF8) == 0xF0 ? 3 : -1;
	if (k < 0) {
		*sp = s;
		return 0xFFFD;
	}
	cp &= k ? 0x3Fu >> k : 0x7Fu;
	for (int i = 0; i < k; i++) {
		if ((*s & 0xC0) != 0x80) {
			*sp = s;
			return 0xFFFD;
		}
		cp = cp << 6 | (*s++ & 0x3Fu);
	}
	*sp = s;
	return cp;
}

int lsr_canvas_text(struct lsr_canvas *c, int x, int y, int maxw, const char *s, int color, int attr)
{
	const unsigned char *p = (const unsigned char *)s;
	int n = 0;
	while (*p && n < maxw) {
		uint32_t cp = next_cp(&p);
		if (cp < 0x20 || cp == 0x7f)
			cp = '?';
		lsr_canvas_put(c, x + n, y, cp, color, attr);
		n++;
	}
	return n;
}

int lsr_canvas_printf(struct lsr_canvas *c, int x, int y, int maxw, int color, int attr,
                      const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return lsr_canvas_text(c, x, y, maxw, buf, color, attr);
}

void lsr_canvas_row(const struct lsr_canvas *c, int y, char *buf, size_t len)
{
	size_t o = 0;
	for (int x = 0; x < c->w && y >= 0 && y < c->h; x++) {
		uint32_t cp = c->cells[y * c->w + x].ch;
		char u[4];
		size_t k;
		if (cp < 0x80)
			u[0] = (char)cp, k = 1;
		else if (cp < 0x800)
			u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)), k = 2;
		else if (cp < 0x10000)
			u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 0x3F)),
			u[2] = (char)(0x80 | (cp & 0x3F)), k = 3;
		else
			u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | (cp >> 12 & 0x3F)),
			u[2] = (char)(0x80 | (cp >> 6 & 0x3F)), u[3] = (char)(0x80 | (cp & 0x3F)), k = 4;
		if (o + k + 1 > len)
			break;
		memcpy(buf + o, u, k);
		o += k;
	}
	if (len)
		buf[o] = '\0';
}

void lsr_plot_begin(struct lsr_canvas *c, struct lsr_rect r)
{
	if (r.x < 0)
		r.w += r.x, r.x = 0;
	if (r.y < 0)
		r.h += r.y, r.y = 0;
	if (r.x + r.w > c->w)
		r.w = c->w - r.x;
	if (r.y + r.h > c->h)
		r.h = c->h - r.y;
	if (r.w < 0 || r.h < 0)
		r.w = r.h = 0;
	c->plot = r;
	memset(c->bits, 0, (size_t)r.w * (size_t)r.h);
}

/* Braille dot numbering: left column rows 0-3 are bits 0,1,2,6; right
 * column rows 0-3 are bits 3,4,5,7 (Unicode's U+2800 block). */
static const uint8_t dotbit[2][4] = { { 0x01, 0x02, 0x04, 0x40 }, { 0x08, 0x10, 0x20, 0x80 } };

void lsr_plot_dot(struct lsr_canvas *c, int px, int py, int color)
{
	struct lsr_rect r = c->plot;
	if (px < 0 || py < 0 || px >= 2 * r.w || py >= 4 * r.h)
		return;
	size_t i = (size_t)(py / 4) * (size_t)r.w + (size_t)(px / 2);
	c->bits[i] |= dotbit[px & 1][py & 3];
	c->bitcolor[i] = (uint8_t)color;
}

void lsr_plot_vline(struct lsr_canvas *c, int px, int py0, int py1, int color)
{
	if (py0 > py1) {
		int t = py0;
		py0 = py1;
		py1 = t;
	}
	if (py0 < 0)
		py0 = 0;
	if (py1 >= 4 * c->plot.h)
		py1 = 4 * c->plot.h - 1;
	for (int y = py0; y <= py1; y++)
		lsr_plot_dot(c, px, y, color);
}

/* ASCII stand-in for a cell's dots: by the rows they occupy. */
static uint32_t ascii_dots(uint8_t b)
{
	int rows = 0;
	for (int y = 0; y < 4; y++)
		if (b & (dotbit[0][y] | dotbit[1][y]))
			rows |= 1 << y;
	switch (rows) {
	case 1: return '\'';
	case 2: case 4: case 6: return '-';
	case 8: case 12: return '.';
	case 3: return '\'';
	default: return '|';
	}
}

void lsr_plot_end(struct lsr_canvas *c)
{
	struct lsr_rect r = c->plot;
	for (int y = 0; y < r.h; y++)
		for (int x = 0; x < r.w; x++) {
			size_t i = (size_t)y * (size_t)r.w + (size_t)x;
			if (!c->bits[i])
				continue;
			struct lsr_cell *cell = &c->cells[(r.y + y) * c->w + r.x + x];
			cell->ch = c->utf8 ? 0x2800u + c->bits[i] : ascii_dots(c->bits[i]);
			cell->color = c->bitcolor[i];
			cell->attr = 0;
		}
}
