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

/* The Decompression mark that counts: the first not cancelled. */
static const struct lsr_model_mark *decompression(const struct lsr_model *m)
{
	for (int i = 0; i < m->nmarks; i++)
		if (!m->marks[i].cancelled && lsr_model_mark_glyph(m->marks[i].label) == 'D')
			return &m->marks[i];
	return NULL;
}

/* Appends one notice to the banner's second line. */
static void notice(char *l2, size_t n2, const char *text)
{
	size_t n = strlen(l2);
	snprintf(l2 + n, n2 - n, "%s%s", n ? " \u00b7 " : "", text);
}

void lsr_banner_text(const struct lsr_model *m, const struct lsr_ui_info *info,
                     char *l1, size_t n1, char *l2, size_t n2, int *color)
{
	char when[16];
	l2[0] = '\0';
	*color = LSR_COLOR_ACQUIRING;
	/* Notices under the headline, most urgent first: a technical alarm
	 * the headline does not already say, then what the operator started. */
	unsigned alarms = m->alarm.active & ~(LSR_ALARM_STIM_FAILURE | LSR_ALARM_NO_STIMULUS);
	for (unsigned bit = 1; bit & LSR_ALARM_ALL; bit <<= 1)
		if (alarms & bit) {
			char t[120];
			snprintf(t, sizeof t, "ALARM: %s%s", lsr_alarm_text(bit), m->alarm.acked & bit ? " (acknowledged)" : " (k silences)");
			notice(l2, n2, t);
		}
	if (lsr_model_rebaselining(m))
		notice(l2, n2, "RE-BASELINING \u2014 NEW BASELINE BEING TAKEN");
	/* the channels a loss leaves out first: short, and what the loss
	 * does not cover */
	if (m->has_state && m->st.state == LSR_STATE_DISAPPEARED)
		for (int i = 0; i < m->st.nind; i++) {
			char t[LSR_LABEL_MAX + 40];
			int c = m->st.ind[i];
			snprintf(t, sizeof t, "%s INDETERMINATE", c < m->nch ? m->ch[c].label : "?");
			notice(l2, n2, t);
		}
	bool control = false;
	for (int c = 0; c < m->nch; c++)
		control |= m->ch[c].role == LSR_ROLE_CONTROL;
	if (m->has_state && !m->st.verified && m->st.state != LSR_STATE_ACQUIRING) {
		char t[120];
		if (!control)
			snprintf(t, sizeof t, "UNVERIFIED (NO CONTROL CHANNEL)");
		else if (m->st.state != LSR_STATE_DISAPPEARED)
			snprintf(t, sizeof t, "UNVERIFIED");
		/* the false cure (docs/clinical.md "Stimulation settings") */
		else if (info && isfinite(info->direct_ratio) && info->direct_ratio < 0.8)
			snprintf(t, sizeof t,
			         "UNCONFIRMED: DIRECT RESPONSE %.0f%% OF BASELINE \u2014 RAISE INTENSITY",
			         100 * info->direct_ratio);
		else
			snprintf(t, sizeof t,
			         "UNCONFIRMED: INTENSITY BELOW THE BASELINE'S \u2014 RAISE INTENSITY");
		notice(l2, n2, t);
	}
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
	case LSR_STATE_INDETERMINATE: {
		/* no valid trials on any channel says more than noise on one */
		bool none = false;
		for (int c = 0; c < m->nch; c++)
			none |= m->ch[c].role == LSR_ROLE_LSR && m->ch[c].state == LSR_STATE_INDETERMINATE &&
			        m->ch[c].reason == LSR_REASON_NO_VALID_TRIALS;
		snprintf(l1, n1, "INDETERMINATE \u2014 %s",
		         none ? "NO VALID TRIALS" : "NOISE TOO HIGH FOR THIS LSR");
		*color = LSR_COLOR_ACQUIRING;
		break;
	}
	default:
		snprintf(l1, n1, "%s", lsr_state_name(m->st.state));
		break;
	}
}

void lsr_banner_detail(const struct lsr_model *m, const struct lsr_ui_info *info, bool brief,
                       char *buf, size_t len)
{
	char when[16];
	size_t n = 0;
	buf[0] = '\0';
	if (m->has_state && m->st.state != LSR_STATE_ACQUIRING) {
		lsr_pane_time(info, m->st.since, when, sizeof when);
		n += (size_t)snprintf(buf, len, "since %s", when);
	}
	const struct lsr_model_mark *d = decompression(m);
	if (d) {
		lsr_pane_time(info, d->t, when, sizeof when);
		if (n < len && brief)
			n += (size_t)snprintf(buf + n, len - n, "%safter decompression", n ? " \u00b7 " : "");
		else if (n < len)
			n += (size_t)snprintf(buf + n, len - n, "%safter decompression (#%d %s)", n ? " \u00b7 " : "", d->id, when);
	} else if (n < len) {
		n += (size_t)snprintf(buf + n, len - n, "%sbefore decompression", n ? " \u00b7 " : "");
	}
	if (n < len && isfinite(m->last_valid_t) && info)
		snprintf(buf + n, len - n, " \u00b7 last valid trial %.0f s ago", fmax(0, floor(info->stream_t - m->last_valid_t)));
	else if (n < len && m->stims > 0)
		snprintf(buf + n, len - n, " \u00b7 no valid trial yet");
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

/* Cuts l2 at the last notice separator that leaves it at most w cells,
 * moving the rest to rest (empty when no separator fits). */
static void split_notices(char *l2, char *rest, size_t len, int w)
{
	static const char sep[] = " \u00b7 ";
	char *cut = NULL;
	for (char *p = strstr(l2, sep); p; p = strstr(p + 1, sep)) {
		char keep = *p;
		*p = '\0';
		bool fits = text_cells(l2) <= w;
		*p = keep;
		if (!fits)
			break;
		cut = p;
	}
	if (!cut)
		return;
	snprintf(rest, len, "%s", cut + strlen(sep));
	*cut = '\0';
}

static void centred(struct lsr_canvas *c, struct lsr_rect r, int y, const char *text, int color, int attr)
{
	int w = text_cells(text);
	lsr_canvas_text(c, r.x + (w < r.w ? (r.w - w) / 2 : 0), y, r.w, text, color, attr);
}

/* Top to bottom: the headline (state), the notices (alarms, re-baselining,
 * unverified), the detail (since, phase, last valid trial); a short
 * banner keeps the first lines. */
void lsr_pane_banner(const struct lsr_pane_ctx *p, struct lsr_rect r)
{
	char l1[600], l2[400], l3[160];
	int color;
	lsr_banner_text(p->m, p->info, l1, sizeof l1, l2, sizeof l2, &color);
	lsr_banner_detail(p->m, p->info, false, l3, sizeof l3);
	if (text_cells(l3) > r.w) /* whole at 80 columns: without the mark's id and time */
		lsr_banner_detail(p->m, p->info, true, l3, sizeof l3);
	/* Alarms in reverse video so they read in monochrome too. */
	bool alarm = color == LSR_COLOR_DISAPPEARED || color == LSR_COLOR_ALARM || p->m->alarm.active;
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
	}
	/* Notices too wide for one line break at a separator onto a second
	 * line, which takes the detail's place when the banner has no spare:
	 * what the operator must do outranks the detail. */
	char l2b[sizeof l2] = "";
	if (l2[0] && r.h > 2 && text_cells(l2) > r.w)
		split_notices(l2, l2b, sizeof l2b, r.w);
	bool detail = l3[0] && r.h > 1 + (l2[0] != 0) + (l2b[0] != 0);
	int lines = 1 + (l2[0] && r.h > 1) + (l2b[0] != 0) + detail;
	int y = r.y + (r.h - lines) / 2;
	centred(p->c, r, y, l1, color, attr);
	if (l2[0] && r.h > 1)
		centred(p->c, r, ++y, l2, LSR_COLOR_ALARM, attr);
	if (l2b[0])
		centred(p->c, r, ++y, l2b, LSR_COLOR_ALARM, attr);
	if (detail)
		centred(p->c, r, ++y, l3, color, attr);
	if (alarm && r.w > 4) {
		/* Markers at both ends, so the alarm shows even if the text is cut. */
		lsr_canvas_text(p->c, r.x, r.y + (r.h - lines) / 2, 2, "!!", color, attr);
		lsr_canvas_text(p->c, r.x + r.w - 2, r.y + (r.h - lines) / 2, 2, "!!", color, attr);
	}
}
