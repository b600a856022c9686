/* src/sink/report_pdf.c — the case report as an A4 PDF drawn with cairo, in
 * black and grey but for the baseline average, which is blue and dashed
 * so it stays apart on a monochrome printer: page 1 the facts (header,
 * verdict, summary, baselines, stimulation, timeline, interpretation and
 * signature), page 2 the trend plots and the snapshots. */
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

/* Wrapped text from x to x + w, lines of size × 1.3; returns the y below. */
static double paragraph(cairo_t *cr, double x, double y, double w, double size, bool bold,
                        const char *s)
{
	char buf[2048], line[2048];
	clean_utf8(s, buf, sizeof buf);
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
	                       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	const char *p = buf;
	while (*p) {
		size_t best = 0, n = 0;
		for (;;) {
			size_t k = n;
			while (p[k] && p[k] != ' ')
				k++;
			memcpy(line, p, k);
			line[k] = '\0';
			cairo_text_extents_t e;
			cairo_text_extents(cr, line, &e);
			if (e.x_advance > w && best > 0)
				break;
			best = k;
			if (!p[k])
				break;
			n = k + 1;
		}
		memcpy(line, p, best);
		line[best] = '\0';
		cairo_move_to(cr, x, y);
		cairo_show_text(cr, line);
		y += size * 1.3;
		p += best;
		while (*p == ' ')
			p++;
	}
	return y;
}

/* "Label: value", or a line to fill in where the case gave no value. */
static void field_at(cairo_t *cr, double x, double y, double w, const char *label, const char *value)
{
	textf(cr, x, y, 9, true, "%s:", label);
	cairo_text_extents_t e;
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, 9);
	cairo_text_extents(cr, label, &e);
	double vx = x + e.x_advance + 8;
	if (value && *value) {
		text_at(cr, vx, y, 9, false, value);
		return;
	}
	cairo_set_line_width(cr, 0.5);
	cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
	cairo_move_to(cr, vx, y + 1.5);
	cairo_line_to(cr, x + w - 10, y + 1.5);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
}

static void upper_words(const char *s, char *out, size_t len)
{
	snprintf(out, len, "%s", s);
	for (char *c = out; *c; c++)
		*c = (char)(*c == '_' ? ' ' : (*c >= 'a' && *c <= 'z') ? *c - 32 : *c);
}

/* ---- page 1 ---- */

static double page1_header(const struct lsr_report *r, cairo_t *cr, double y)
{
	const struct lsr_case_details *c = &r->case_details;
	char a[64], b[64];
	text_at(cr, MARGIN, y, 15, true, "Lateral spread response monitoring");
	const char *kind = r->have_end ? "Case report" : "IN PROGRESS";
	cairo_text_extents_t e;
	cairo_set_font_size(cr, 15);
	cairo_text_extents(cr, kind, &e);
	text_at(cr, PAGE_W - MARGIN - e.x_advance, y, 15, true, kind);
	y += 20;
	lsr_report_wall(r, r->t_first, a, sizeof a);
	lsr_report_clock(r, r->t_last, b, sizeof b);
	textf(cr, MARGIN, y, 9, false, "Monitored %s to %s (%.1f min)", a, b,
	      (r->t_last - r->t_first) / 60.0);
	y += 16;
	double col = (PAGE_W - 2 * MARGIN) / 2;
	const char *patient = c->value[LSR_CASE_PATIENT][0] ? c->value[LSR_CASE_PATIENT] : "anonymous";
	/* Short fields in two columns, the long ones on a line of their own. */
	static const enum lsr_case_field pairs[][2] = {
		{ LSR_CASE_PROCEDURE, LSR_CASE_SIDE }, { LSR_CASE_SURGEON, LSR_CASE_NEUROPHYSIOLOGIST },
	};
	static const enum lsr_case_field rows[] = { LSR_CASE_ANAESTHESIA, LSR_CASE_ELECTRODES,
		                                    LSR_CASE_NOTES };
	field_at(cr, MARGIN, y, 2 * col, "Patient", patient);
	y += 13;
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		field_at(cr, MARGIN, y, col * 1.3, lsr_case_details_label(pairs[i][0]), c->value[pairs[i][0]]);
		field_at(cr, MARGIN + col * 1.3, y, col * 0.7, lsr_case_details_label(pairs[i][1]),
		         c->value[pairs[i][1]]);
		y += 13;
	}
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		field_at(cr, MARGIN, y, 2 * col, lsr_case_details_label(rows[i]), c->value[rows[i]]);
		y += 13;
	}
	return y + 2;
}

/* Which LSR channels the call could not see, and why: "Indeterminate at
 * the call: ch 1 Orbicularis oris (noise)", or that none was. */
static void indeterminate_line(const struct lsr_report *r, const struct rep_state *st, char *buf,
                               size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "Indeterminate at the call:");
	bool any = false;
	for (int ch = 0; ch < r->nch && ch < REP_CH && n < len; ch++) {
		if (!(st->indeterminate >> ch & 1u))
			continue;
		const char *why = lsr_reason_name(lsr_report_indeterminate_at(r, ch, st->t));
		n += (size_t)snprintf(buf + n, len - n, "%s ch %d %s%s%s%s", any ? "," : "", ch,
		                      r->labels[ch], why ? " (" : "", why ? why : "", why ? ")" : "");
		any = true;
	}
	if (!any)
		snprintf(buf, len, "Every LSR channel was judged at the call (none indeterminate).");
	else if (n < len)
		snprintf(buf + n, len - n, "; the call rests on the others.");
}

static double page1_verdict(const struct lsr_report *r, cairo_t *cr, double y)
{
	const struct rep_state *loss = lsr_report_loss(r), *cur = lsr_report_current(r);
	const struct rep_mark *dec = lsr_report_decompression(r), *conf = lsr_report_confirm(r);
	char lines[8][256];
	int n = 0;
	char head[256], up[64], w[64];
	if (r->have_end) {
		upper_words(lsr_report_final_name(r), up, sizeof up);
		const char *phase = lsr_phase_name(r->phase);
		snprintf(head, sizeof head, "Final: %s%s", up,
		         !phase ? "" : strcmp(phase, "premature") == 0 ? " — PREMATURE (before decompression)"
		                                                       : " after decompression");
	} else {
		upper_words(cur ? lsr_state_name(cur->state) : "acquiring", up, sizeof up);
		lsr_report_clock(r, cur ? cur->since : r->t_first, w, sizeof w);
		snprintf(head, sizeof head, "IN PROGRESS — currently %s%s, since %s", up,
		         cur && cur->premature ? " (premature)" : cur && cur->after ? " after decompression" : "", w);
	}
	if (loss) {
		lsr_report_clock(r, loss->since, w, sizeof w);
		char after[64] = "";
		if (dec && loss->after)
			snprintf(after, sizeof after, ", %.1f s after decompression", loss->since - dec->t);
		char avg[48], avgs[56] = "";
		lsr_report_averaged(r, loss, avg, sizeof avg);
		if (avg[0])
			snprintf(avgs, sizeof avgs, " (%s)", avg);
		snprintf(lines[n++], sizeof lines[0], "Loss at %s (t = %.1f s)%s.", w, loss->since, after);
		snprintf(lines[n++], sizeof lines[0], "Judged absent on the last %d valid trials%s%s.",
		         loss->confirm_trials, avgs, loss->verified ? "" : " — UNVERIFIED: the direct "
		         "response does not show that the stimulus reached the nerve");
		indeterminate_line(r, loss, lines[n++], sizeof lines[0]);
		char dp[32] = "no control baseline";
		if (isfinite(loss->direct_pct))
			snprintf(dp, sizeof dp, "%.0f%% of its baseline", loss->direct_pct);
		double base_t = NAN;
		for (int ch = 0; ch < REP_CH && ch < r->nch; ch++)
			if (r->base[ch].have && r->roles[ch] == LSR_ROLE_LSR && !isfinite(base_t))
				base_t = r->base[ch].t;
		double ib = isfinite(base_t) ? lsr_report_intensity_at(r, base_t) : NAN;
		double il = lsr_report_intensity_at(r, loss->t);
		char ibs[24] = "unset", ils[24] = "unset";
		if (isfinite(ib))
			snprintf(ibs, sizeof ibs, "%g mA", ib);
		if (isfinite(il))
			snprintf(ils, sizeof ils, "%g mA", il);
		snprintf(lines[n++], sizeof lines[0], "Direct response at the call: %s.  Intensity at baseline: "
		         "%s; at the loss: %s%s.", dp, ibs, ils,
		         isfinite(ib) || isfinite(il) ? "" : " (no Intensity mark)");
		if (conf) {
			lsr_report_clock(r, conf->t, w, sizeof w);
			snprintf(lines[n++], sizeof lines[0], "Confirmed at raised intensity: yes (Confirm mark %d at %s).",
			         conf->id, w);
		} else {
			snprintf(lines[n++], sizeof lines[0], "Confirmed at raised intensity: no (no Confirm mark after "
			         "the loss).");
		}
	} else if (r->have_end) {
		snprintf(lines[n++], sizeof lines[0], "Stimuli: %d.  Valid channel trials: %llu.", r->stims,
		         (unsigned long long)r->valid_trials);
	}
	if (dec) {
		lsr_report_clock(r, dec->t, w, sizeof w);
		snprintf(lines[n++], sizeof lines[0], "Decompression mark %d at %s (t = %.1f s).", dec->id, w, dec->t);
	} else {
		snprintf(lines[n++], sizeof lines[0], "No Decompression mark.");
	}
	/* The head and the lines wrap (a mid-case head, long channel labels):
	 * the box is drawn round them. */
	double ly = paragraph(cr, MARGIN + 8, y + 18, PAGE_W - 2 * MARGIN - 16, 13, true, head) - 13 * 1.3 + 14;
	for (int i = 0; i < n; i++)
		ly = paragraph(cr, MARGIN + 8, ly, PAGE_W - 2 * MARGIN - 16, 9, false, lines[i]) - 9 * 1.3 + 12;
	cairo_set_line_width(cr, 1.5);
	cairo_rectangle(cr, MARGIN, y, PAGE_W - 2 * MARGIN, ly - y - 4);
	cairo_stroke(cr);
	y = ly + 10;
	char summary[1024];
	lsr_report_summary(r, summary, sizeof summary);
	text_at(cr, MARGIN, y, 10, true, "Summary");
	return paragraph(cr, MARGIN, y + 13, PAGE_W - 2 * MARGIN, 9, false, summary) + 8;
}

static double page1_stimulation(const struct lsr_report *r, cairo_t *cr, double y)
{
	text_at(cr, MARGIN, y, 10, true, "Stimulation and montage");
	y += 13;
	char pulse[32] = "?";
	for (int i = 0; i < lsr_params_count(); i++)
		if (strcmp(lsr_params_key(i), "stim_pulse_ms") == 0)
			lsr_params_format(&r->params, i, pulse, sizeof pulse);
	char ma[32] = "unset";
	if (isfinite(lsr_report_intensity(r)))
		snprintf(ma, sizeof ma, "%g mA", lsr_report_intensity(r));
	textf(cr, MARGIN, y, 8.5, false, "Stimulated: %s branch, side %s, pulse %s ms, intensity now %s",
	      r->params.stim_branch == LSR_BRANCH_MANDIBULAR ? "mandibular" : "zygomatic",
	      r->params.stim_side == LSR_SIDE_LEFT ? "left"
	      : r->params.stim_side == LSR_SIDE_RIGHT ? "right" : "unset",
	      pulse, ma);
	y += 11;
	char dev[600];
	snprintf(dev, sizeof dev, "Device: %s; driver %s; %d Hz; source %s",
	         r->device[0] ? r->device : "-", r->driver ? r->driver : "-", r->rate,
	         r->source[0] ? r->source : "-");
	y = paragraph(cr, MARGIN, y, PAGE_W - 2 * MARGIN, 8.5, false, dev);
	char mont[400] = "";
	for (int i = 0; i < r->nch; i++) {
		size_t l = strlen(mont);
		snprintf(mont + l, sizeof mont - l, "%s%d %s (%s)", i ? ", " : "", i, r->labels[i],
		         lsr_role_name(r->roles[i]));
	}
	y = paragraph(cr, MARGIN, y, PAGE_W - 2 * MARGIN, 8.5, false, mont);
	return y + 8;
}

/* The interpretation field takes what the timeline leaves of the page (at
 * least four lines), so a short case leaves no blank half page; the
 * signature and date lines stay at the foot. */
static void page1_signature(cairo_t *cr, double y)
{
	double sy = PAGE_H - MARGIN - 30;
	text_at(cr, MARGIN, y, 10, true, "Interpretation");
	cairo_set_line_width(cr, 0.5);
	cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
	for (double ly = y + 16; ly <= sy - 30; ly += 16) {
		cairo_move_to(cr, MARGIN, ly);
		cairo_line_to(cr, PAGE_W - MARGIN, ly);
	}
	cairo_move_to(cr, MARGIN + 60, sy);
	cairo_line_to(cr, MARGIN + 300, sy);
	cairo_move_to(cr, MARGIN + 350, sy);
	cairo_line_to(cr, PAGE_W - MARGIN, sy);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	text_at(cr, MARGIN, sy, 9, false, "Signature");
	text_at(cr, MARGIN + 320, sy, 9, false, "Date");
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
	text_at(cr, MARGIN, y, 10, true, "Timeline (stream time, time of day)");
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
			         lsr_mark_origin_name(m->origin), m->cancelled ? "  [CANCELLED]"
			         : lsr_report_mark_ignored(r, m) ? "  [IGNORED: only the first Decompression counts]"
			         : "");
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
		lsr_report_clock(r, t, w, sizeof w);
		textf(cr, MARGIN, y, 8, false, "%9.1f s", t);
		text_at(cr, MARGIN + 50, y, 8, false, w);
		text_at(cr, MARGIN + 130, y, 8, false, what);
		y += 10;
		shown++;
	}
	return y + 6;
}

static void params_table(const struct lsr_report *r, cairo_t *cr, double y)
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

/* A round step (1, 2 or 5 × 10^k) that cuts span into about n parts. */
static double nice_step(double span, int n)
{
	if (!(span > 0))
		return 1;
	double raw = span / n, p = pow(10, floor(log10(raw))), m = raw / p;
	return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

static void right_text(cairo_t *cr, double x, double y, double size, const char *s)
{
	cairo_text_extents_t e;
	cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
	cairo_text_extents(cr, s, &e);
	text_at(cr, x - e.x_advance, y, size, false, s);
}

/* The frame, its title, and a labelled tick at every round value of the
 * y range, so an amplitude can be read off anywhere, not only at the ends. */
static void axes(cairo_t *cr, const struct frame *f, const char *title, const char *ylabel)
{
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.8);
	cairo_set_dash(cr, NULL, 0, 0);
	cairo_rectangle(cr, f->x, f->y, f->w, f->h);
	cairo_stroke(cr);
	text_at(cr, f->x, f->y - 4, 9, true, title);
	double step = nice_step(f->y1 - f->y0, f->h > 60 ? 5 : 3);
	cairo_set_line_width(cr, 0.5);
	for (double v = ceil(f->y0 / step) * step; v <= f->y1 + 1e-9; v += step) {
		char b[32];
		cairo_move_to(cr, f->x - 3, fy(f, v));
		cairo_line_to(cr, f->x, fy(f, v));
		cairo_stroke(cr);
		snprintf(b, sizeof b, "%g", v);
		right_text(cr, f->x - 4, fy(f, v) + 2.5, 6.5, b);
	}
	text_at(cr, f->x - 34, f->y + f->h / 2 + 3, 7, false, ylabel);
}

/* Time ticks under a trend: round stream times, in s or, past ten
 * minutes, in min. */
static void time_ticks(cairo_t *cr, const struct frame *f)
{
	bool minutes = f->x1 - f->x0 > 600;
	double unit = minutes ? 60 : 1, step = nice_step((f->x1 - f->x0) / unit, 10) * unit;
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.5);
	for (double v = ceil(f->x0 / step) * step; v <= f->x1 + 1e-9; v += step) {
		cairo_move_to(cr, fx(f, v), f->y + f->h);
		cairo_line_to(cr, fx(f, v), f->y + f->h + 3);
		cairo_stroke(cr);
		/* the last label carries the unit */
		textf(cr, fx(f, v) - 6, f->y + f->h + 10, 6.5, false, v + step > f->x1 + 1e-9 ?
		      (minutes ? "%g min" : "%g s") : "%g", v / unit);
	}
}

/* Where a channel could not be judged: a light band over its trend. */
static void indeterminate_bands(const struct lsr_report *r, cairo_t *cr, const struct frame *f, int ch)
{
	cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
	for (int i = 0; i < r->nspans; i++) {
		const struct rep_span *sp = &r->spans[i];
		double a = fmax(sp->from, f->x0), b = fmin(isfinite(sp->to) ? sp->to : r->t_last, f->x1);
		if (sp->ch != ch || b < a)
			continue;
		cairo_rectangle(cr, fx(f, a), f->y, fmax(fx(f, b) - fx(f, a), 1), f->h);
		cairo_fill(cr);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
}

/* A loss the direct response did not verify says so where it starts. */
static void unverified_losses(const struct lsr_report *r, cairo_t *cr, const struct frame *f)
{
	for (int i = 0; i < r->nstates; i++) {
		const struct rep_state *s = &r->states[i];
		if (s->state == LSR_STATE_DISAPPEARED && !s->verified && s->since >= f->x0 && s->since <= f->x1)
			text_at(cr, fx(f, s->since) + 2, f->y + 16, 6.5, true, "unverified loss");
	}
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

/* One glyph per kind of mark, on the trend and in its legend. */
static void mark_glyph(cairo_t *cr, enum lsr_mark_kind k, double x, double y)
{
	double s = 3.2;
	cairo_set_dash(cr, NULL, 0, 0);
	cairo_set_line_width(cr, 0.8);
	cairo_new_path(cr);
	switch (k) {
	case LSR_MARK_DURA_OPEN: /* open triangle pointing down */
		cairo_move_to(cr, x - s, y - s);
		cairo_line_to(cr, x + s, y - s);
		cairo_line_to(cr, x, y + s);
		cairo_close_path(cr);
		cairo_stroke(cr);
		break;
	case LSR_MARK_DECOMPRESSION: /* filled diamond */
		cairo_move_to(cr, x, y - s - 0.8);
		cairo_line_to(cr, x + s + 0.8, y);
		cairo_line_to(cr, x, y + s + 0.8);
		cairo_line_to(cr, x - s - 0.8, y);
		cairo_close_path(cr);
		cairo_fill(cr);
		break;
	case LSR_MARK_CLOSURE: /* filled square */
		cairo_rectangle(cr, x - s, y - s, 2 * s, 2 * s);
		cairo_fill(cr);
		break;
	case LSR_MARK_CONFIRM: /* filled circle */
		cairo_arc(cr, x, y, s, 0, 2 * M_PI);
		cairo_fill(cr);
		break;
	case LSR_MARK_INTENSITY: /* open circle */
		cairo_arc(cr, x, y, s, 0, 2 * M_PI);
		cairo_stroke(cr);
		break;
	case LSR_MARK_BASELINE: /* open square */
		cairo_rectangle(cr, x - s, y - s, 2 * s, 2 * s);
		cairo_stroke(cr);
		break;
	default: /* custom: a cross */
		cairo_move_to(cr, x - s, y - s);
		cairo_line_to(cr, x + s, y + s);
		cairo_move_to(cr, x - s, y + s);
		cairo_line_to(cr, x + s, y - s);
		cairo_stroke(cr);
		break;
	}
}

static double mark_legend(cairo_t *cr, double y)
{
	static const struct { enum lsr_mark_kind k; const char *name; } kinds[] = {
		{ LSR_MARK_DURA_OPEN, "Dura open" }, { LSR_MARK_DECOMPRESSION, "Decompression" },
		{ LSR_MARK_CONFIRM, "Confirm" }, { LSR_MARK_INTENSITY, "Intensity" },
		{ LSR_MARK_BASELINE, "Baseline" }, { LSR_MARK_CLOSURE, "Closure" },
		{ LSR_MARK_CUSTOM, "other mark" },
	};
	double x = MARGIN;
	text_at(cr, x, y, 7, false, "Marks:");
	x += 28;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		cairo_text_extents_t e;
		mark_glyph(cr, kinds[i].k, x + 3, y - 2.5);
		text_at(cr, x + 9, y, 7, false, kinds[i].name);
		cairo_text_extents(cr, kinds[i].name, &e);
		x += 9 + e.x_advance + 14; /* each name ends well before the next glyph */
	}
	return y + 10;
}

static void mark_lines(const struct lsr_report *r, cairo_t *cr, const struct frame *f, bool glyphs)
{
	double dash = 2;
	for (int i = 0; i < r->nmarks; i++) {
		const struct rep_mark *m = &r->marks[i];
		if (m->cancelled || lsr_report_mark_ignored(r, m) || m->kind == LSR_MARK_CANCEL ||
		    m->t < f->x0 || m->t > f->x1)
			continue;
		cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
		cairo_set_line_width(cr, 0.6);
		cairo_set_dash(cr, &dash, 1, 0);
		cairo_move_to(cr, fx(f, m->t), f->y);
		cairo_line_to(cr, fx(f, m->t), f->y + f->h);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		cairo_set_source_rgb(cr, 0, 0, 0);
		if (glyphs)
			mark_glyph(cr, m->kind, fx(f, m->t), f->y + 5);
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
	indeterminate_bands(r, cr, f, ch);
	axes(cr, f, title, onset ? "ms" : "µV");
	time_ticks(cr, f);
	if (!onset)
		unverified_losses(r, cr, f);
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

static void trace(cairo_t *cr, const struct frame *f, const float *x, int len)
{
	double ms = 110.0 / len;
	for (int i = 0; i < len; i++) {
		double px = fx(f, i * ms - 10), py = fy(f, fmax(f->y0, fmin(f->y1, x[i])));
		if (i == 0)
			cairo_move_to(cr, px, py);
		else
			cairo_line_to(cr, px, py);
	}
	cairo_stroke(cr);
}

/* The scale of one channel's row: its largest excursion after the
 * stimulus artifact over every snapshot, so the four compare directly. */
static double snap_scale(const struct lsr_report *r, int ch)
{
	double amp = 1;
	for (int m = 0; m < REP_MOMENTS; m++) {
		const struct rep_snapshot *sn = lsr_report_snapshot(r, (enum rep_moment)m, ch);
		for (int i = sn ? sn->pre + sn->pre / 4 : 0; sn && i < sn->len; i++)
			amp = fmax(amp, fabs(sn->avg[i]));
	}
	return amp * 1.1;
}

static void snapshot_panel(const struct lsr_report *r, cairo_t *cr, const struct frame *f,
                           int ch, enum rep_moment m)
{
	static const char *const titles[REP_MOMENTS] = {
		"Baseline", "Before decompression", "At the loss", "At the end",
	};
	const struct rep_snapshot *sn = lsr_report_snapshot(r, m, ch);
	const struct rep_snapshot *base = lsr_report_snapshot(r, REP_AT_BASELINE, ch);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.6);
	cairo_rectangle(cr, f->x, f->y, f->w, f->h);
	cairo_stroke(cr);
	text_at(cr, f->x, f->y - 9, 7, true, titles[m]);
	if (sn) { /* when and over what, above the frame: the trace keeps its room */
		char w[16];
		lsr_report_clock(r, sn->t, w, sizeof w);
		textf(cr, f->x, f->y - 2, 5.5, false, "%s, %d trials", w, sn->trials);
	}
	/* time scale: a tick every 20 ms, the stimulus at 0 */
	for (int ms = 0; ms <= 100; ms += 20) {
		cairo_move_to(cr, fx(f, ms), f->y + f->h);
		cairo_line_to(cr, fx(f, ms), f->y + f->h + 2);
		cairo_stroke(cr);
		/* the unit once per row, where the page margin has room for it */
		textf(cr, fx(f, ms) - 4, f->y + f->h + 8, 5.5, false,
		      ms == 100 && m == REP_MOMENTS - 1 ? "%d ms" : "%d", ms);
	}
	/* amplitude scale: a bar of a round number of µV at the right */
	double bar = nice_step(f->y1, 2);
	char bl[24];
	cairo_set_line_width(cr, 1.2);
	cairo_move_to(cr, f->x + f->w - 3, fy(f, f->y0 * 0.9));
	cairo_line_to(cr, f->x + f->w - 3, fy(f, f->y0 * 0.9 + bar));
	cairo_stroke(cr);
	cairo_set_line_width(cr, 0.6);
	snprintf(bl, sizeof bl, "%g µV", bar);
	right_text(cr, f->x + f->w - 5, fy(f, f->y0 * 0.9) - 1, 5.5, bl);
	double from, to;
	lsr_report_window(r, ch, &from, &to);
	cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
	cairo_rectangle(cr, fx(f, from), f->y + f->h - 2, fx(f, to) - fx(f, from), 2);
	cairo_fill(cr);
	hline(cr, f, 0, 0.8, 0);
	if (!sn) {
		const char *why = m == REP_BEFORE_DECOMPRESSION ? "no Decompression mark"
		                  : m == REP_AT_LOSS ? "no loss" : "no valid trial";
		text_at(cr, f->x + 6, f->y + f->h / 2, 7, false, why);
		return;
	}
	cairo_save(cr);
	cairo_rectangle(cr, f->x, f->y, f->w, f->h);
	cairo_clip(cr);
	if (base && m != REP_AT_BASELINE && base->len == sn->len) { /* baseline: blue, dashed */
		double dash = 2.5;
		cairo_set_source_rgb(cr, 0.15, 0.35, 0.85);
		cairo_set_line_width(cr, 0.9);
		cairo_set_dash(cr, &dash, 1, 0);
		trace(cr, f, base->avg, base->len);
		cairo_set_dash(cr, NULL, 0, 0);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 1.1);
	trace(cr, f, sn->avg, sn->len);
	cairo_restore(cr);
	if (isfinite(sn->mean_p2p))
		textf(cr, f->x, f->y + f->h + 15, 5.5, false, "p-p: trials %.0f, average %.0f µV",
		      sn->mean_p2p, sn->amplitude);
}

static void snapshots(const struct lsr_report *r, cairo_t *cr, double y, double h)
{
	int chans[3], n = 0;
	for (int ch = 0; ch < r->nch && ch < REP_CH && n < 3; ch++)
		if (r->roles[ch] == LSR_ROLE_LSR && r->sweeps[ch].count > 0)
			chans[n++] = ch;
	for (int ch = 0; ch < r->nch && ch < REP_CH && n < 3; ch++)
		if (r->roles[ch] == LSR_ROLE_CONTROL && r->sweeps[ch].count > 0)
			chans[n++] = ch;
	text_at(cr, MARGIN, y, 11, true, "Snapshots (-10 to +100 ms after the stimulus)");
	textf(cr, MARGIN, y + 10, 7, false, "black: the average of up to %d valid trials before the "
	      "moment; blue dashed: the baseline average; grey bar: the window judged; bar: µV scale",
	      REP_SNAP_TRIALS);
	y += 24;
	double gap = 10, lw = 44;
	double w = (PAGE_W - 2 * MARGIN - lw - 3 * gap) / 4;
	double rh = n > 0 ? fmin(120, (h - 24) / n) : 0;
	for (int i = 0; i < n; i++) {
		int ch = chans[i];
		double amp = snap_scale(r, ch);
		double ry = y + i * rh;
		char label[64];
		snprintf(label, sizeof label, "ch %d", ch);
		text_at(cr, MARGIN, ry + 34, 7.5, true, label);
		/* a long label wraps inside its column, never into the first panel */
		double ly = paragraph(cr, MARGIN, ry + 43, lw - 4, 6.5, false, r->labels[ch]);
		text_at(cr, MARGIN, ly, 6.5, false, lsr_role_name(r->roles[ch]));
		for (int m = 0; m < REP_MOMENTS; m++) {
			struct frame f = { MARGIN + lw + m * (w + gap), ry + 14, w, rh - 36, -10, 100, -amp, amp };
			snapshot_panel(r, cr, &f, ch, (enum rep_moment)m);
		}
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
	text_at(cr, MARGIN, MARGIN, 11, true, "Trend over the case (x: stream time)");
	textf(cr, MARGIN, MARGIN + 11, 7, false,
	      "dashed: baseline; dotted: reduced (%.0f%% of baseline); thin grey: each trial's "
	      "presence threshold; grey band: the channel indeterminate", r->params.reduced_pct);
	y = mark_legend(cr, y + 2);
	/* below each panel its time labels, then the next panel's title */
	double ph = n > 2 ? 66 : 88;
	for (int i = 0; i < n; i++) {
		struct frame f = { MARGIN + 36, y + 12, PAGE_W - 2 * MARGIN - 36, ph, t0, t1, 0, 1 };
		trend_panel(r, cr, lsr[i], &f, false);
		y += ph + 32;
	}
	if (n > 0) {
		struct frame f = { MARGIN + 36, y + 12, PAGE_W - 2 * MARGIN - 36, 45, t0, t1, 0, 1 };
		trend_panel(r, cr, lsr[0], &f, true);
		y += 45 + 30;
	}
	int prow = (lsr_params_count() + 3) / 4;
	double params_h = 14 + prow * 8.5;
	snapshots(r, cr, y + 6, PAGE_H - MARGIN - params_h - y - 10);
	params_table(r, cr, PAGE_H - MARGIN - params_h + 10);
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
	y = page1_verdict(r, cr, y);
	y = page1_baselines(r, cr, y);
	y = page1_stimulation(r, cr, y);
	double sign_h = 130;
	y = page1_timeline(r, cr, y, PAGE_H - MARGIN - sign_h);
	page1_signature(cr, fmin(y + 8, PAGE_H - MARGIN - sign_h + 20));
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
