/* src/ui/pane_banner.c — the state banner, readable across a theatre, and
 * the shared time format of the panes. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "panes.h"

void lsr_pane_time(const struct lsr_ui_info *info, double t, char *buf, size_t len)
{
	if (info && !info->frozen_clock && info->epoch_at_t0 > 0) {
		time_t s = (time_t)floor(info->epoch_at_t0 + t);
		struct tm tm;
		if (localtime_r(&s, &tm)) {
			strftime(buf, len, "%H:%M:%S", &tm);
			return;
		}
	}
	long s = t > 0 ? (long)floor(t) : 0;
	snprintf(buf, len, "+%02ld:%02ld:%02ld", s / 3600 % 100, s / 60 % 60, s % 60);
}

bool lsr_pane_shows(const struct lsr_layout_pane *pane, int c)
{
	return !pane || !pane->channels || (pane->channels >> c & 1u);
}

/* The banner's words for the current state (what the surgeon reads). */
static void banner_text(const struct lsr_model *m, const struct lsr_ui_info *info,
                     char *l1, size_t n1, char *l2, size_t n2, int *color)
{
	char when[16];
	l2[0] = '\0';
	*color = LSR_COLOR_ACQUIRING;
	if (!m->has_state || m->st.state == LSR_STATE_ACQUIRING) {
		snprintf(l1, n1, "ACQUIRING BASELINE%s", m->has_state && m->st.provisional ? " (provisional)" : "");
		return;
	}
	const char *prov = m->st.provisional ? " (provisional)" : "";
	switch (m->st.state) {
	case LSR_STATE_PRESENT:
		snprintf(l1, n1, "LSR PRESENT%s", prov);
		*color = LSR_COLOR_PRESENT;
		break;
	case LSR_STATE_REDUCED:
		if (isfinite(m->st.ratio))
			snprintf(l1, n1, "REDUCED TO %.0f%% OF BASELINE%s", m->st.ratio * 100, prov);
		else
			snprintf(l1, n1, "REDUCED%s", prov);
		*color = LSR_COLOR_REDUCED;
		break;
	case LSR_STATE_DISAPPEARED:
		lsr_pane_time(info, m->st.since, when, sizeof when);
		snprintf(l1, n1, "LSR DISAPPEARED %s \u2014 %s", when,
		         m->st.premature ? "PREMATURE LOSS (BEFORE DECOMPRESSION)"
		         : m->st.after ? "AFTER DECOMPRESSION" : "NO DECOMPRESSION MARK");
		*color = LSR_COLOR_DISAPPEARED;
		break;
	case LSR_STATE_STIMULATION_FAILURE:
		snprintf(l1, n1, "STIMULATION FAILURE \u2014 CHECK STIMULATOR AND ELECTRODES");
		*color = LSR_COLOR_ALARM;
		break;
	case LSR_STATE_NO_STIMULUS:
		if (isfinite(m->last_valid_t) && info)
			snprintf(l1, n1, "NO STIMULUS \u2014 LAST VALID TRIAL %.0f s AGO",
			         fmax(0, floor(info->stream_t - m->last_valid_t)));
		else
			snprintf(l1, n1, "NO STIMULUS");
		*color = LSR_COLOR_ALARM;
		break;
	case LSR_STATE_NOT_DETECTED:
		snprintf(l1, n1, "LSR NOT DETECTED%s", prov);
		*color = LSR_COLOR_ACQUIRING;
		break;
	default:
		snprintf(l1, n1, "%s", lsr_state_name(m->st.state));
		break;
	}
	if (!m->st.verified)
		snprintf(l2, n2, "UNVERIFIED (NO CONTROL CHANNEL)");
}

static int text_cells(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

void lsr_pane_simulation(struct lsr_canvas *c, struct lsr_rect r)
{
	static const char full[] = " " LSR_SIMULATION_TEXT " ", tag[] = " " LSR_SIMULATION_WORD " ";
	const char *s = text_cells(full) <= r.w ? full : tag;
	int w = text_cells(s);
	lsr_canvas_text(c, r.x + (w < r.w ? (r.w - w) / 2 : 0), r.y, r.w, s, LSR_COLOR_ALARM,
	                LSR_A_REVERSE | LSR_A_BOLD);
}

void lsr_pane_banner(const struct lsr_pane_ctx *p, struct lsr_rect r)
{
	char l1[180], l2[80];
	int color;
	banner_text(p->m, p->info, l1, sizeof l1, l2, sizeof l2, &color);
	/* Alarms in reverse video so they read in monochrome too. */
	bool alarm = color == LSR_COLOR_DISAPPEARED || color == LSR_COLOR_ALARM;
	int attr = LSR_A_REVERSE | LSR_A_BOLD;
	lsr_canvas_fill(p->c, r, ' ', color, attr);
	/* A simulation takes the banner's top row; a one-row banner says it
	 * first on its line, where a cut cannot lose it. */
	if (p->m->simulation && r.h >= 2) {
		lsr_pane_simulation(p->c, (struct lsr_rect){ r.x, r.y, r.w, 1 });
		r.y++;
		r.h--;
	} else if (p->m->simulation) {
		char tmp[sizeof l1 + 16];
		snprintf(tmp, sizeof tmp, "%s \u00b7 %s", LSR_SIMULATION_WORD, l1);
		size_t n = strlen(tmp) < sizeof l1 ? strlen(tmp) : sizeof l1 - 1;
		memcpy(l1, tmp, n);
		l1[n] = '\0';
	}
	if (r.h == 1 && l2[0]) {
		size_t n = strlen(l1);
		snprintf(l1 + n, sizeof l1 - n, " \u00b7 %s", l2);
		l2[0] = '\0';
	}
	int y = r.y + (r.h - (l2[0] ? 2 : 1)) / 2;
	int w1 = text_cells(l1), w2 = text_cells(l2);
	lsr_canvas_text(p->c, r.x + (w1 < r.w ? (r.w - w1) / 2 : 0), y, r.w, l1, color, attr);
	if (l2[0] && r.h > 1)
		lsr_canvas_text(p->c, r.x + (w2 < r.w ? (r.w - w2) / 2 : 0), y + 1, r.w, l2, LSR_COLOR_ALARM, attr);
	if (alarm && r.w > 4) {
		/* Markers at both ends, so the alarm shows even if the text is cut. */
		lsr_canvas_text(p->c, r.x, y, 2, "!!", color, attr);
		lsr_canvas_text(p->c, r.x + r.w - 2, y, 2, "!!", color, attr);
	}
}
