/* src/sink/report_pdf.c — the case report as an A4 PDF drawn with cairo, in
 * black and grey only so it survives a monochrome printer: page 1 the
 * facts (header, outcome, baselines, timeline, parameters), page 2 the
 * trend plot and the representative sweeps. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report_priv.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN 40.0
#define PLOT_LSR_MAX 3

/* cairo refuses invalid UTF-8 (and the surface would stay in error):
 * anything that is not a valid sequence becomes '?'. */
static void clean_utf8(const char *s, char *out, size_t len)
{
	size_t o = 0;
	const unsigned char *u = (const unsigned char *)s;
	while (*u && o + 5 < len) {
		size_t n = *u < 0x80 ? 1 : (*u & 0xe0) == 0xc0 ? 2 : (*u & 0xf0) == 0xe0 ? 3
		           : (*u & 0xf8) == 0xf0 ? 4 : 0;
		size_t k = 1;
		while (n > 1 && k < n && (u[k] & 0xc0) == 0x80)
			k++;
		if (n == 0 || k < n || (n == 2 && *u < 0xc2) || *u < 0x20) {
			out[o++] = '?';
			u++;
			continue;
		}
		memcpy(out + o, u, n);
		o += n;
		u += n;
	}
	out[o] = '\0';
}

static void text_at(cairo_t *cr, double x, double y, double size, bool bold, const char *s)
{
	char buf[512];
	clean_utf8(s, buf, sizeof buf);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
	                       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, buf);
}

static void textf(cairo_t *cr, double x, double y, double size, bool bold, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void textf(cairo_t *cr, double x, double y, double size, bool bold, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	text_at(cr, x, y, size, bold, buf);
}

static double fmt_or_dash(char *buf, size_t len, double v, int prec)
{
	if (isfinite(v))
		snprintf(buf, len, "%.*f", prec, v);
	else
		snprintf(buf, len, "-");
	return v;
}

/* A simulated case says so at the top and the foot of every page, so no
 * page of it can be filed as a patient's (man/lsrmon.1, SIMULATION). */
static void simulation_banner(const struct lsr_report *r, cairo_t *cr)
{
	if (!r->simulation)
		return;
	for (int k = 0; k < 2; k++) {
		double y = k ? PAGE_H - 22 : 12;
		cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
		cairo_rectangle(cr, MARGIN, y, PAGE_W - 2 * MARGIN, 14);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		text_at(cr, MARGIN + 6, y + 11, 10, true, LSR_SIMULATION_TEXT " record");
	}
}

/* ---- page 1 ---- */

static double page1_header(const struct lsr_report *r, cairo_t *cr, double y)
{
	char a[64], b[64];
	text_at(cr, MARGIN, y, 16, true, "lsrmon case report: lateral spread response");
	y += 22;
	lsr_report_wall(r, r->t_first, a, sizeof a);
	lsr_report_wall(r, r->t_last, b, sizeof b);
	textf(cr, MARGIN, y, 9, false, "Case: %s  to  %s   (%.1f min)", a, b,
	      (r->t_last - r->t_first) / 60.0);
	y += 12;
	textf(cr, MARGIN, y, 9, false, "Patient: %s", r->patient);
	y += 12;
	textf(cr, MARGIN, y, 9, false, "Device: %s   Driver: %s   Rate: %d Hz   Source: %s",
	      r->device[0] ? r->device : "-", r->driver ? r->driver : "-", r->rate,
	      r->source[0] ? r->source : "-");
	y += 12;
	char mont[400] = "";
	for (int i = 0; i < r->nch; i++) {
		size_t l = strlen(mont);
		snprintf(mont + l, sizeof mont - l, "%s%d %s (%s)", i ? ", " : "", i, r->labels[i],
		         lsr_role_name(r->roles[i]));
	}
	textf(cr, MARGIN, y, 9, false, "Montage: %s", mont);
	y += 12;
	char pulse[32] = "?";
	for (int i = 0; i < lsr_params_count(); i++)
		if (strcmp(lsr_params_key(i), "stim_pulse_ms") == 0)
			lsr_params_format(&r->params, i, pulse, sizeof pulse);
	char ma[32] = "unset";
	if (isfinite(lsr_report_intensity(r)))
		snprintf(ma, sizeof ma, "%g mA", lsr_report_intensity(r));
	textf(cr, MARGIN, y, 9, false, "Stimulation: %s branch, side %s, pulse %s ms, intensity %s",
	      r->params.stim_branch == LSR_BRANCH_MANDIBULAR ? "mandibular" : "zygomatic",
	      r->params.stim_side == LSR_SIDE_LEFT ? "left"
	      : r->params.stim_side == LSR_SIDE_RIGHT ? "right" : "unset",
	      pulse, ma);
	return y + 18;
}

static double page1_outcome(const struct lsr_report *r, cairo_t *cr, double y)
{
	const char *phase = r->have_end ? lsr_phase_name(r->phase) : NULL;
	cairo_set_line_width(cr, 1.5);
	cairo_rectangle(cr, MARGIN, y, PAGE_W - 2 * MARGIN, 44);
	cairo_stroke(cr);
	char up[64];
	snprintf(up, sizeof up, "%s", lsr_report_final_name(r));
	for (char *c = up; *c; c++)
		*c = (char)(*c == '_' ? ' ' : (*c >= 'a' && *c <= 'z') ? *c - 32 : *c);
	textf(cr, MARGIN + 8, y + 18, 14, true, "Final: %s%s%s", up,
	      phase ? (strcmp(phase, "premature") == 0 ? "  (PREMATURE: before decompression)"
	                                               : "  (after decompression)") : "",
	      "");
	const struct rep_state *loss = lsr_report_loss(r);
	if (loss) {
		char w[64];
		lsr_report_wall(r, loss->since, w, sizeof w);
		textf(cr, MARGIN + 8, y + 34, 9, false,
		      "Loss at t = %.1f s (%s), confirmed by %d valid trials at t = %.1f s", loss->since,
		      w, loss->confirm_trials, loss->t);
	} else {
		textf(cr, MARGIN + 8, y + 34, 9, false, "Stimuli: %d   Valid channel trials: %llu",
		      r->stims, (unsigned long long)r->valid_trials);
	}
	return y + 60;
}

static double page1_baselines(const struct lsr_report *r, cairo_t *cr, double y)
{
	static const double col[] = { 0, 30, 150, 210, 275, 340, 400 };
	static const char *head[] = { "Ch", "Label", "Role", "p2p (µV)", "onset (ms)", "trials", "confirmed" };
	text_at(cr, MARGIN, y, 11, true, "Baselines");
	y += 14;
	for (int i = 0; i < 7; i++)
		text_at(cr, MARGIN + col[i], y, 8, true, head[i]);
	y += 11;
	for (int ch = 0; ch < r->nch && ch < REP_CH; ch++) {
		const struct rep_baseline *b = &r->base[ch];
		if (!b->have)
			continue;
		char p[32], o[32];
		fmt_or_dash(p, sizeof p, b->p2p, 1);
		fmt_or_dash(o, sizeof o, b->onset, 2);
		textf(cr, MARGIN + col[0], y, 8, false, "%d", ch);
		text_at(cr, MARGIN + col[1], y, 8, false, r->labels[ch]);
		text_at(cr, MARGIN + col[2], y, 8, false, lsr_role_name(r->roles[ch]));
		text_at(cr, MARGIN + col[3], y, 8, false, p);
		text_at(cr, MARGIN + col[4], y, 8, false, o);
		textf(cr, MARGIN + col[5], y, 8, false, "%d", b->trials);
		text_at(cr, MARGIN + col[6], y, 8, false, b->provisional ? "no (provisional)" : "yes");
		y += 10;
	}
	char inv[256] = "Invalid channel trials:";
	for (int i = 1; i < LSR_INVALID_COUNT; i++) {
		size_t l = strlen(inv);
		snprintf(inv + l, sizeof inv - l, " %s %llu", lsr_invalid_name((enum lsr_invalid)i),
		         (unsigned long long)r->invalid[i]);
	}
	text_at(cr, MARGIN, y + 4, 8, false, inv);
	textf(cr, MARGIN, y + 15, 8, false,
	      "Link losses %d, stalls %d, gaps %d (%lld samples), alarms %d", r->link_losses,
	      r->stalls, r->gaps, (long long)r->gap_samples, r->alarms);
	return y + 32;
}

/* Marks, state changes and notes merged by time, as far as the page goes. */
static double page1_timeline(const struct lsr_report *r, cairo_t *cr, double y, double bottom)
{
	text_at(cr, MARGIN, y, 11, true, "Timeline (stream time, wall clock)");
	y += 13;
	int im = 0, is = 0, in = 0, shown = 0;
	int total = r->nmarks + r->nstates + r->nnotes;
	while (im < r->nmarks || is < r->nstates || in < r->nnotes) {
		double tm = im < r->nmarks ? r->marks[im].t : INFINITY;
		double ts = is < r->nstates ? r->states[is].t : INFINITY;
		double tn = in < r->nnotes ? r->notes[in].t : INFINITY;
		if (y > bottom - 10) {
			textf(cr, MARGIN, y, 8, false, "... %d more entries: see the text report",
			      total - shown);
			return y + 12;
		}
		char w[64], what[200];
		double t;
		if (tm <= ts && tm <= tn) {
			const struct rep_mark *m = &r->marks[im++];
			t = m->t;
			snprintf(what, sizeof what, "mark %d: %s (%s)%s", m->id, m->label,
			         lsr_mark_origin_name(m->origin), m->cancelled ? "  [CANCELLED]" : "");
		} else if (ts <= tn) {
			const struct rep_state *s = &r->states[is++];
			t = s->t;
			snprintf(what, sizeof what, "state %s -> %s (since %.1f s)%s%s%s",
			         lsr_state_name(s->prev), lsr_state_name(s->state), s->since,
			         s->premature ? ", PREMATURE" : "", s->after ? ", after decompression" : "",
			         s->verified ? "" : ", unverified");
		} else {
			const struct rep_note *n = &r->notes[in++];
			t = n->t;
			snprintf(what, sizeof what, "%s: %s", lsr_event_type_name(n->type), n->text);
		}
		lsr_report_wall(r, t, w, sizeof w);
		textf(cr, MARGIN, y, 8, false, "%9.1f s", t);
		text_at(cr, MARGIN + 50, y, 8, false, w + 11); /* the time of day */
		text_at(cr, MARGIN + 130, y, 8, false, what);
		y += 10;
		shown++;
	}
	return y + 6;
}

static void page1_params(const struct lsr_report *r, cairo_t *cr, double y)
{
	text_at(cr, MARGIN, y, 9, true, "Detector parameters in force");
	y += 10;
	int n = lsr_params_count(), rows = (n + 3) / 4;
	for (int i = 0; i < n; i++) {
		char v[80];
		lsr_params_format(&r->params, i, v, sizeof v);
		textf(cr, MARGIN + (i / rows) * 130.0, y + (i % rows) * 8.5, 6.5, false, "%s = %s",
		      lsr_params_key(i), v);
	}
}

/* ---- page 2 ---- */

struct frame {
	double x, y, w, h;       /* on the page */
	double x0, x1, y0, y1;   /* data range */
};

static double fx(const struct frame *f, double v) { return f->x + (v - f->x0) / (f->x1 - f->x0) * f->w; }
static double fy(const struct frame *f, double v) { return f->y + f->h - (v - f->y0) / (f->y1 - f->y0) * f->h; }

static void axes(cairo_t *cr, const struct frame *f, const char *title, const char *ylabel)
{
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.8);
	cairo_set_dash(cr, NULL, 0, 0);
	cairo_rectangle(cr, f->x, f->y, f->w, f->h);
	cairo_stroke(cr);
	text_at(cr, f->x, f->y - 4, 9, true, title);
	textf(cr, f->x - 34, f->y + 8, 7, false, "%.0f", f->y1);
	textf(cr, f->x - 34, f->y + f->h, 7, false, "%.0f", f->y0);
	text_at(cr, f->x - 34, f->y + f->h / 2, 7, false, ylabel);
}

static void hline(cairo_t *cr, const struct frame *f, double v, double gray, double dash)
{
	if (!isfinite(v) || v < f->y0 || v > f->y1)
		return;
	cairo_set_source_rgb(cr, gray, gray, gray);
	cairo_set_dash(cr, &dash, dash > 0 ? 1 : 0, 0);
	cairo_move_to(cr, f->x, fy(f, v));
	cairo_line_to(cr, f->x + f->w, fy(f, v));
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
	cairo_set_source_rgb(cr, 0, 0, 0);
}

static void mark_lines(const struct lsr_report *r, cairo_t *cr, const struct frame *f, bool labels)
{
	double dash = 2;
	for (int i = 0; i < r->nmarks; i++) {
		const struct rep_mark *m = &r->marks[i];
		if (m->cancelled || m->kind == LSR_MARK_CANCEL || m->t < f->x0 || m->t > f->x1)
			continue;
		cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
		cairo_set_dash(cr, &dash, 1, 0);
		cairo_move_to(cr, fx(f, m->t), f->y);
		cairo_line_to(cr, fx(f, m->t), f->y + f->h);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		cairo_set_source_rgb(cr, 0, 0, 0);
		if (labels) {
			cairo_save(cr);
			cairo_translate(cr, fx(f, m->t) + 2, f->y + 3);
			cairo_rotate(cr, M_PI / 2);
			text_at(cr, 0, 0, 6, false, m->label);
			cairo_restore(cr);
		}
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
}

static void trend_panel(const struct lsr_report *r, cairo_t *cr, int ch, struct frame *f, bool onset)
{
	const struct rep_trend *tr = &r->trend[ch];
	const struct rep_baseline *b = &r->base[ch];
	double ymax = onset ? r->params.lsr_to_ms + 5 : (b->have && isfinite(b->p2p) ? b->p2p * 1.5 : 50);
	for (int i = 0; !onset && i < tr->n; i++)
		if (isfinite(tr->p[i].p2p) && tr->p[i].p2p > ymax)
			ymax = tr->p[i].p2p;
	f->y0 = 0;
	f->y1 = ymax * 1.05;
	char title[160];
	snprintf(title, sizeof title, onset ? "LSR onset latency, ch %d %s" : "LSR peak-to-peak, ch %d %s "
	         "(filled: present, open: absent, x: invalid)", ch, r->labels[ch]);
	axes(cr, f, title, onset ? "ms" : "µV");
	if (b->have) {
		hline(cr, f, onset ? b->onset : b->p2p, 0, 5);
		if (!onset)
			hline(cr, f, b->p2p * r->params.reduced_pct / 100.0, 0.4, 1.5);
	}
	mark_lines(r, cr, f, !onset);
	if (!onset) { /* each trial's presence threshold, as a thin grey line */
		bool pen = false;
		cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
		cairo_set_line_width(cr, 0.4);
		for (int i = 0; i < tr->n; i++) {
			double v = tr->p[i].threshold;
			if (!isfinite(v)) {
				pen = false;
				continue;
			}
			double x = fx(f, tr->p[i].t), y = fy(f, fmin(v, f->y1));
			if (pen)
				cairo_line_to(cr, x, y);
			else
				cairo_move_to(cr, x, y);
			pen = true;
		}
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
	}
	cairo_set_line_width(cr, 0.6);
	for (int i = 0; i < tr->n; i++) {
		const struct rep_point *p = &tr->p[i];
		double v = onset ? p->onset : p->p2p;
		if (!isfinite(v) || (onset && !p->present))
			continue;
		double x = fx(f, p->t), y = fy(f, v > f->y1 ? f->y1 : v);
		if (!p->valid) {
			cairo_move_to(cr, x - 1.2, y - 1.2);
			cairo_line_to(cr, x + 1.2, y + 1.2);
			cairo_move_to(cr, x - 1.2, y + 1.2);
			cairo_line_to(cr, x + 1.2, y - 1.2);
			cairo_stroke(cr);
			continue;
		}
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, y, 1.2, 0, 2 * M_PI);
		if (p->present)
			cairo_fill(cr);
		else
			cairo_stroke(cr);
	}
}

/* The scale of one channel's panel: its largest excursion after the
 * stimulus artifact, over the baseline and the last valid sweeps, so the
 * two compare directly. */
static double sweep_scale(const struct lsr_report *r, int ch)
{
	const struct rep_sweeps *sw = &r->sweeps[ch];
	const float *last[REP_LAST_SWEEPS];
	int k = lsr_report_last_sweeps(r, ch, last, REP_LAST_SWEEPS);
	double amp = 1;
	for (int i = sw->pre + sw->pre / 4; i < sw->len; i++) {
		for (int j = 0; j < k; j++)
			amp = fmax(amp, fabs(last[j][i]));
		if (sw->base)
			amp = fmax(amp, fabs(sw->base[i]));
	}
	return amp * 1.05;
}

static void sweep_trace(cairo_t *cr, const struct frame *f, const float *const *src, int k,
                        int len, double gray, double width, bool dashed)
{
	double dash = 3, ms = 110.0 / len;
	cairo_set_source_rgb(cr, gray, gray, gray);
	cairo_set_line_width(cr, width);
	cairo_set_dash(cr, &dash, dashed ? 1 : 0, 0);
	for (int i = 0; i < len; i++) {
		double v = 0;
		for (int j = 0; j < k; j++) /* k > 1: their average */
			v += src[j][i] / k;
		double px = fx(f, i * ms - 10), py = fy(f, fmax(f->y0, fmin(f->y1, v)));
		if (i == 0)
			cairo_move_to(cr, px, py);
		else
			cairo_line_to(cr, px, py);
	}
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
	cairo_set_source_rgb(cr, 0, 0, 0);
}

static void sweeps_panels(const struct lsr_report *r, cairo_t *cr, double y, double h)
{
	int chans[REP_CH], n = 0;
	for (int ch = 0; ch < r->nch && ch < REP_CH && n < 4; ch++)
		if (r->roles[ch] != LSR_ROLE_OTHER && r->sweeps[ch].count > 0)
			chans[n++] = ch;
	text_at(cr, MARGIN, y - 16, 11, true, "Representative sweeps (-10 to +100 ms)");
	text_at(cr, MARGIN, y - 6, 7, false,
	        "thick black: baseline average; grey: last valid trials; dashed: their average");
	if (h > 220)
		h = 220;
	double gap = 44, w = (PAGE_W - 2 * MARGIN - 36 - gap * (n > 0 ? n - 1 : 0)) / (n > 0 ? n : 1);
	for (int c = 0; c < n; c++) {
		const struct rep_sweeps *sw = &r->sweeps[chans[c]];
		double amp = sweep_scale(r, chans[c]);
		struct frame f = { MARGIN + 36 + c * (w + gap), y + 10, w, h - 10, -10, 100, -amp, amp };
		char title[128];
		snprintf(title, sizeof title, "ch %d %s (%s)", chans[c], r->labels[chans[c]],
		         lsr_role_name(r->roles[chans[c]]));
		axes(cr, &f, title, "µV");
		hline(cr, &f, 0, 0.7, 0);
		const float *last[REP_LAST_SWEEPS];
		int k = lsr_report_last_sweeps(r, chans[c], last, REP_LAST_SWEEPS);
		cairo_save(cr);
		cairo_rectangle(cr, f.x, f.y, f.w, f.h);
		cairo_clip(cr);
		for (int j = 0; j < k; j++)
			sweep_trace(cr, &f, &last[j], 1, sw->len, 0.6, 0.5, false);
		if (k > 1)
			sweep_trace(cr, &f, last, k, sw->len, 0, 0.8, true);
		if (sw->base) {
			const float *b = sw->base;
			sweep_trace(cr, &f, &b, 1, sw->len, 0, 1.4, false);
		}
		cairo_restore(cr);
		text_at(cr, f.x, f.y + f.h + 9, 7, false, "-10 ms");
		text_at(cr, f.x + f.w - 28, f.y + f.h + 9, 7, false, "100 ms");
	}
}

static void page2(const struct lsr_report *r, cairo_t *cr)
{
	int lsr[PLOT_LSR_MAX], n = 0;
	for (int ch = 0; ch < r->nch && ch < REP_CH && n < PLOT_LSR_MAX; ch++)
		if (r->roles[ch] == LSR_ROLE_LSR)
			lsr[n++] = ch;
	double t0 = r->t_first, t1 = r->t_last > t0 ? r->t_last : t0 + 1;
	double y = MARGIN + 20;
	text_at(cr, MARGIN, MARGIN, 11, true, "Trend over the case (x: stream time, s)");
	textf(cr, MARGIN, MARGIN + 11, 7, false,
	      "dashed: baseline; dotted: reduced (%.0f%% of baseline); thin grey: each trial's "
	      "presence threshold; vertical dashed: marks", r->params.reduced_pct);
	double ph = n > 2 ? 110 : 150;
	for (int i = 0; i < n; i++) {
		struct frame f = { MARGIN + 36, y + 10, PAGE_W - 2 * MARGIN - 36, ph, t0, t1, 0, 1 };
		trend_panel(r, cr, lsr[i], &f, false);
		y += ph + 26;
	}
	if (n > 0) {
		struct frame f = { MARGIN + 36, y + 10, PAGE_W - 2 * MARGIN - 36, 70, t0, t1, 0, 1 };
		trend_panel(r, cr, lsr[0], &f, true);
		textf(cr, f.x, f.y + f.h + 9, 7, false, "%.0f s", t0);
		textf(cr, f.x + f.w - 30, f.y + f.h + 9, 7, false, "%.0f s", t1);
		y += 70 + 30;
	}
	sweeps_panels(r, cr, y + 20, PAGE_H - MARGIN - y - 40);
}

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int lsr_report_write_pdf(const struct lsr_report *r, FILE *f, char *err, size_t errlen)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_cb, f, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "lsrmon case report");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "lsrmon");
	cairo_t *cr = cairo_create(s);
	cairo_set_source_rgb(cr, 0, 0, 0);
	simulation_banner(r, cr);
	double y = page1_header(r, cr, MARGIN + 10);
	y = page1_outcome(r, cr, y);
	y = page1_baselines(r, cr, y);
	int prow = (lsr_params_count() + 3) / 4;
	double params_h = 20 + prow * 8.5;
	page1_timeline(r, cr, y, PAGE_H - MARGIN - params_h);
	page1_params(r, cr, PAGE_H - MARGIN - params_h + 10);
	cairo_show_page(cr);
	simulation_banner(r, cr);
	page2(r, cr);
	cairo_show_page(cr);
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "PDF: %s", cairo_status_to_string(st));
		return -1;
	}
	return 0;
}
