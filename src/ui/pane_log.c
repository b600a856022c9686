/* src/ui/pane_log.c — the event log, newest first and scrollable: marks with
 * their ids, cancellations, state changes, link, recording and alarms. */
#include <stdio.h>

#include "panes.h"

void lsr_pane_log(const struct lsr_pane_ctx *p, struct lsr_rect r)
{
	int scroll = p->v->log_scroll;
	if (scroll > 0)
		lsr_canvas_printf(p->c, r.x, r.y, r.w, LSR_COLOR_TEXT, LSR_A_BOLD,
		                  "Events (%d newer above, PgUp)", scroll);
	else
		lsr_canvas_text(p->c, r.x, r.y, r.w, "Events", LSR_COLOR_TEXT, LSR_A_BOLD);
	for (int y = 1; y < r.h; y++) {
		const struct lsr_model_log *e = lsr_model_log_at(p->m, scroll + y - 1);
		if (!e)
			break;
		char when[16];
		lsr_pane_time(p->info, e->t, when, sizeof when);
		int n = lsr_canvas_text(p->c, r.x, r.y + y, r.w, when, LSR_COLOR_TEXT, LSR_A_DIM);
		if (n + 1 < r.w)
			lsr_canvas_text(p->c, r.x + n + 1, r.y + y, r.w - n - 1, e->text, e->color, 0);
	}
}
