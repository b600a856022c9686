/* src/ui/term.h — the one terminal module: curses start and stop, colour
 * roles with a monochrome fallback, UTF-8 detection, keys, and the
 * terminal restored on fatal signals. */
#ifndef LSR_TERM_H
#define LSR_TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "canvas.h"
#include "layout.h"

#define LSR_TERM_NONE (-1)
#define LSR_TERM_RESIZE 0x110100
#define LSR_TERM_CLICK 0x110101

struct lsr_term;

/* Whether $TERM can show the screen at all: a terminal without cursor
 * addressing (TERM=dumb, a terminfo entry without cup) or unknown to
 * terminfo cannot, and gets a message pointing to --headless.  0 or -1;
 * needs no terminal on stdout, so it runs before anything is opened. */
int lsr_term_check(char *err, size_t errlen);
/* Starts curses on the controlling terminal; library stderr goes to
 * log_path from now on.  NULL with a message if impossible. */
struct lsr_term *lsr_term_open(const short *fg, bool no_color, const char *log_path,
                               char *err, size_t errlen);
void lsr_term_size(const struct lsr_term *t, int *w, int *h);
bool lsr_term_utf8(const struct lsr_term *t);
/* Copies a rectangle of the canvas to the screen buffer (no output yet). */
void lsr_term_blit(struct lsr_term *t, const struct lsr_canvas *c, struct lsr_rect r);
/* Sends what changed to the terminal: one doupdate. */
void lsr_term_flush(struct lsr_term *t);
/* Next key (code point or LSR_KEY_*), LSR_TERM_RESIZE, LSR_TERM_CLICK
 * (cell in *x, *y), or LSR_TERM_NONE when nothing is pending. */
int lsr_term_key(struct lsr_term *t, int *x, int *y);
/* A resize was signalled and not yet read as LSR_TERM_RESIZE. */
bool lsr_term_resize_pending(void);
/* The alarm: the terminal bell, and a visual flash where the terminal
 * has one (ncurses' flash() alone would ring instead where it has not). */
void lsr_term_bell(struct lsr_term *t);
/* Ends curses and gives stderr back; NULL is fine. */
void lsr_term_close(struct lsr_term *t);

#endif
