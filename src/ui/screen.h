/* src/ui/screen.h — composes one frame: layout geometry + panes → canvas.
 * No curses: the UI copies the changed rectangles to the terminal, tests
 * read the canvas. */
#ifndef LSR_SCREEN_H
#define LSR_SCREEN_H

#include "panes.h"

struct lsr_screen {
	const struct lsr_layout *layout;
	struct lsr_canvas canvas;
	struct lsr_rect rects[LSR_LAYOUT_MAX_PANES];
	int w, h;
	bool too_small;
	/* Rectangles drawn by the last lsr_screen_draw, for the blit. */
	int ndrawn;
	struct lsr_rect drawn[LSR_LAYOUT_MAX_PANES + 2];
};

/* Sets the size (and recomputes geometry).  0, or -1 out of memory. */
int lsr_screen_resize(struct lsr_screen *s, int w, int h, bool utf8);
/* Draws the panes whose dirty bits are set (LSR_DIRTY_*; the help overlay
 * and prompts are included in LSR_DIRTY_ALL). */
void lsr_screen_draw(struct lsr_screen *s, unsigned dirty, const struct lsr_model *m,
                     const struct lsr_view *v, const struct lsr_ui_info *info);
/* The channel under a cell (for mouse clicks), or -1. */
int lsr_screen_channel_at(const struct lsr_screen *s, const struct lsr_model *m, int x, int y);
void lsr_screen_free(struct lsr_screen *s);

#endif
