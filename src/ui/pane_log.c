/* src/ui/pane_log.c — the event log, newest first and scrollable: marks with
 * their ids, cancellations, state changes, link, recording and alarms.  An
 * entry too long for the width goes on under its time, so the newest one
 * is always whole; an older one that would be cut at the pane's foot is
 * left out rather than shown as half a sentence. */
#include <stdio.h>
#include <string.h>

#include "panes.h"

/* One line of text from t in room cells, broken after a space where there
 * is one: where the next line starts, and in *keep the bytes drawn (the
 * space broken at is drawn on neither line). */
static const char *line_end(const char *t, int room, int *keep)
{
	int cells = 0, brk = 0;
	const char *q = t;
	while (*q && cells < room) {
		cells++;
		while (((unsigned char)*++q & 0xC0) == 0x80)
			;
		if (*q == ' ')
			brk = cells + 1;
	}
	int k = *q && brk > 0 ? brk : cells;
	const char *end = t;
	for (int c = 0; c < k && *end; c++)
		while (((unsigned char)*++end & 0xC0) == 0x80)
			;
	*keep = (int)(end - t) - (end > t && end[-1] == ' ');
	return end;
}

static int lines_of(const char *t, int room)
{
	int n = 0, keep;
	do {
		t = line_end(t, room, &keep);
		n++;
	} while (*t);
	return n;
}

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
		int n = (int)strlen(when), room = r.w - n - 1;
		if (room < 1) {
			lsr_canvas_text(p->c, r.x, r.y + y++, r.w, when, LSR_COLOR_TEXT, LSR_A_DIM);
			continue;
		}
		if (i > scroll && y + lines_of(e->text, room) > r.h)
			break;
		lsr_canvas_text(p->c, r.x, r.y + y, r.w, when, LSR_COLOR_TEXT, LSR_A_DIM);
		const char *t = e->text;
		do {
			int keep;
			const char *end = line_end(t, room, &keep);
			char line[LSR_MODEL_TEXT];
			snprintf(line, sizeof line, "%.*s", keep, t);
			lsr_canvas_text(p->c, r.x + n + 1, r.y + y, room, line, e->color, 0);
			t = end;
			y++;
		} while (*t && y < r.h);
	}
}
