/* src/ui/pane_log.c — the event log, newest first and scrollable: marks with
 * their ids, cancellations, state changes, link, recording and alarms.  An
 * entry too long for the width goes on under its time, so the newest one
 * is always whole. */
#include <stdio.h>
#include <string.h>

#include "panes.h"

void lsr_pane_log(const struct lsr_pane_ctx *p, struct lsr_rect r)
{
	int scroll = p->v->log_scroll;
	if (scroll > 0)
		lsr_canvas_printf(p->c, r.x, r.y, r.w, LSR_COLOR_TEXT, LSR_A_BOLD,
		                  "Events (%d newer above, PgUp)", scroll);
	else
		lsr_canvas_text(p->c, r.x, r.y, r.w, "Events", LSR_COLOR_TEXT, LSR_A_BOLD);
	int y = 1;
	for (int i = scroll; y < r.h; i++) {
		const struct lsr_model_log *e = lsr_model_log_at(p->m, i);
		if (!e)
			break;
		char when[16];
		lsr_pane_time(p->info, e->t, when, sizeof when);
		int n = lsr_canvas_text(p->c, r.x, r.y + y, r.w, when, LSR_COLOR_TEXT, LSR_A_DIM);
		if (n + 1 >= r.w) {
			y++;
			continue;
		}
		const char *t = e->text;
		do {
			int k = lsr_canvas_text(p->c, r.x + n + 1, r.y + y, r.w - n - 1, t, e->color, 0);
			/* On to the next code point boundary after k cells. */
			while (k > 0 && *t)
				if (((unsigned char)*++t & 0xC0) != 0x80)
					k--;
			y++;
		} while (*t && y < r.h);
	}
}
