/* src/sink/report.c — the case report's collector: a sink that keeps, within
 * fixed memory, what the report shows (header, baselines, trends, sweeps,
 * marks, states, link/gap/alarm notes, the end), and writes both files. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report_priv.h"
#include "text.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static char *dup_or(const char *s, const char *fallback)
{
	return strdup(s ? s : fallback);
}

static void on_start(struct lsr_report *r, const struct lsr_event *ev)
{
	if (!r->have_start)
		r->t_first = ev->t;
	r->have_start = true;
	r->segments = ev->start.segment;
	r->rate = ev->start.rate;
	r->nch = ev->start.nch < LSR_MAX_CHANNELS ? ev->start.nch : LSR_MAX_CHANNELS;
	for (int i = 0; i < r->nch; i++) {
		lsr_text_copy(r->labels[i], REP_TEXT, ev->start.channels[i].label);
		r->roles[i] = ev->start.channels[i].role;
	}
	if (ev->start.params)
		r->params = *ev->start.params;
	if (!r->driver)
		r->driver = dup_or(ev->start.driver, "");
	r->simulation |= ev->start.simulation;
	r->nwarn = 0;
	for (int i = 0; i < ev->start.nwarn && r->nwarn < 9; i++)
		lsr_text_copy(r->warnings[r->nwarn++], REP_TEXT, ev->start.warnings[i]);
}

/* Thinning: when full, keep every other point and from then on one point
 * of every (doubled) stride, so 8 h or 80 h fit the same memory. */
static void trend_add(struct rep_trend *tr, const struct rep_point *pt)
{
	if (!tr->p) {
		tr->p = malloc(REP_TREND_MAX * sizeof *tr->p);
		if (!tr->p)
			return;
		tr->stride = 1;
	}
	if (tr->skip > 0) {
		tr->skip--;
		return;
	}
	if (tr->n == REP_TREND_MAX) {
		for (int i = 0; i < REP_TREND_MAX / 2; i++)
			tr->p[i] = tr->p[2 * i];
		tr->n = REP_TREND_MAX / 2;
		tr->stride *= 2;
	}
	tr->p[tr->n++] = *pt;
	tr->skip = tr->stride - 1;
}

static void sweep_add(struct rep_sweeps *sw, const struct lsr_event *ev)
{
	const float *x = ev->response.conditioned ? ev->response.conditioned : ev->response.raw;
	int len = ev->response.sweep_len;
	if (!x || len <= 0)
		return;
	if (sw->len != len) { /* a new rate: earlier sweeps no longer compare */
		free(sw->ring);
		free(sw->base);
		memset(sw, 0, sizeof *sw);
		sw->ring = malloc((size_t)len * REP_SWEEPS * sizeof *sw->ring);
		if (!sw->ring)
			return;
		sw->len = len;
	}
	if (!sw->ring)
		return;
	sw->pre = ev->response.sweep_pre;
	memcpy(sw->ring + (size_t)sw->head * (size_t)len, x, (size_t)len * sizeof *x);
	sw->ring_t[sw->head] = ev->t;
	sw->ring_p2p[sw->head] = ev->response.p2p_uv;
	sw->head = (sw->head + 1) % REP_SWEEPS;
	if (sw->count < REP_SWEEPS)
		sw->count++;
}

int lsr_report_last_sweeps(const struct lsr_report *r, int ch, const float **out, int max)
{
	const struct rep_sweeps *sw = &r->sweeps[ch];
	int n = sw->count < max ? sw->count : max;
	for (int i = 0; i < n; i++) {
		int k = (sw->head - n + i + REP_SWEEPS) % REP_SWEEPS;
		out[i] = sw->ring + (size_t)k * (size_t)sw->len;
	}
	return n;
}

/* The baseline's representative sweep: the average of the valid sweeps it
 * was taken from (the most recent `trials` of them). */
static void baseline_sweep(struct lsr_report *r, int ch, const struct lsr_event *ev)
{
	struct rep_sweeps *sw = &r->sweeps[ch];
	if (!sw->ring || sw->count == 0 || (sw->base && sw->base_p2p == ev->baseline.p2p_uv))
		return;
	const float *src[REP_SWEEPS];
	int want = ev->baseline.trials > 0 ? ev->baseline.trials : 1;
	int n = lsr_report_last_sweeps(r, ch, src, want < REP_SWEEPS ? want : REP_SWEEPS);
	if (!sw->base)
		sw->base = malloc((size_t)sw->len * sizeof *sw->base);
	if (!sw->base)
		return;
	for (int i = 0; i < sw->len; i++) {
		double acc = 0;
		for (int k = 0; k < n; k++)
			acc += src[k][i];
		sw->base[i] = (float)(acc / n);
	}
	sw->base_p2p = ev->baseline.p2p_uv;
}

/* The window a channel's amplitude is read in: the LSR window for LSR
 * channels, the direct-response window for the control. */
void lsr_report_window(const struct lsr_report *r, int ch, double *from, double *to)
{
	bool control = ch < r->nch && r->roles[ch] == LSR_ROLE_CONTROL;
	*from = control ? r->params.direct_from_ms : r->params.lsr_from_ms;
	*to = control ? r->params.direct_to_ms : r->params.lsr_to_ms;
}

static double window_p2p(const struct lsr_report *r, int ch, const float *x, int len, int pre)
{
	double from, to, lo = INFINITY, hi = -INFINITY;
	lsr_report_window(r, ch, &from, &to);
	double per_ms = len / 110.0;
	int a = pre + (int)ceil(from * per_ms), b = pre + (int)floor(to * per_ms);
	for (int i = a < 0 ? 0 : a; i <= b && i < len; i++) {
		lo = fmin(lo, x[i]);
		hi = fmax(hi, x[i]);
	}
	return hi >= lo ? hi - lo : NAN;
}

/* The mean of the newest n sweeps' own p2p (NAN ones left out). */
static double mean_p2p(const struct rep_sweeps *sw, int n)
{
	double acc = 0;
	int k = 0;
	for (int i = 0; i < n; i++) {
		double v = sw->ring_p2p[(sw->head - 1 - i + 2 * REP_SWEEPS) % REP_SWEEPS];
		if (isfinite(v)) {
			acc += v;
			k++;
		}
	}
	return k ? acc / k : NAN;
}

/* Room in sn for one sweep of sw's length. */
static bool snapshot_room(struct rep_snapshot *sn, const struct rep_sweeps *sw)
{
	if (!sn->avg || sn->len != sw->len) {
		free(sn->avg);
		sn->avg = malloc((size_t)sw->len * sizeof *sn->avg);
		sn->have = false;
		if (!sn->avg)
			return false;
	}
	sn->len = sw->len;
	sn->pre = sw->pre;
	return true;
}

/* Snapshot of ch now: the average of its latest valid sweeps (at most
 * REP_SNAP_TRIALS) at stream time t, none of them before `from` (the loss's
 * snapshot shows the loss, not the trials before it). */
static void take_snapshot(struct lsr_report *r, int ch, double t, double from,
                          struct rep_snapshot *sn)
{
	struct rep_sweeps *sw = &r->sweeps[ch];
	if (!sw->ring || sw->count == 0)
		return;
	const float *src[REP_SNAP_TRIALS];
	int n = lsr_report_last_sweeps(r, ch, src, REP_SNAP_TRIALS);
	while (n > 0 && sw->ring_t[(sw->head - n + REP_SWEEPS) % REP_SWEEPS] < from - 1e-9)
		n--;
	if (n == 0 || !snapshot_room(sn, sw))
		return;
	lsr_report_last_sweeps(r, ch, src, n);
	for (int i = 0; i < sw->len; i++) {
		double acc = 0;
		for (int k = 0; k < n; k++)
			acc += src[k][i];
		sn->avg[i] = (float)(acc / n);
	}
	int newest = (sw->head - 1 + REP_SWEEPS) % REP_SWEEPS;
	sn->have = true;
	sn->t = t;
	sn->trials = n;
	sn->last_t = sw->ring_t[newest];
	sn->first_t = sw->ring_t[(newest - (n - 1) + 2 * REP_SWEEPS) % REP_SWEEPS];
	sn->amplitude = window_p2p(r, ch, sn->avg, sw->len, sw->pre);
	sn->mean_p2p = mean_p2p(sw, n);
}

/* A snapshot's waveform is only comparable with the sweeps it was taken
 * beside: a change of rate frees them all (sweep_add). */
static void snapshot_set(struct lsr_report *r, struct rep_snapshot *set, double t, double from,
                         int mark_id)
{
	for (int ch = 0; ch < REP_CH && ch < r->nch; ch++)
		if (r->roles[ch] != LSR_ROLE_OTHER) {
			take_snapshot(r, ch, t, from, &set[ch]);
			set[ch].mark_id = mark_id;
		}
}

static void recent_add(struct lsr_report *r, int ch, const struct lsr_event *ev)
{
	struct rep_recent *rc = &r->recent[ch][r->recent_head[ch]];
	*rc = (struct rep_recent){ ev->t, ev->response.p2p_uv, ev->response.valid };
	r->recent_head[ch] = (r->recent_head[ch] + 1) % REP_RECENT;
	if (r->recent_count[ch] < REP_RECENT)
		r->recent_count[ch]++;
}

/* The control's direct response over the valid trials from since to t, as
 * % of its baseline (the median, so one odd trial does not decide). */
static double direct_pct(const struct lsr_report *r, double since, double t)
{
	for (int ch = 0; ch < r->nch && ch < REP_CH; ch++) {
		if (r->roles[ch] != LSR_ROLE_CONTROL || !r->base[ch].have || !(r->base[ch].p2p > 0))
			continue;
		double v[REP_RECENT];
		int n = 0;
		for (int i = 0; i < r->recent_count[ch]; i++) {
			const struct rep_recent *rc = &r->recent[ch][(r->recent_head[ch] - 1 - i + 2 * REP_RECENT) % REP_RECENT];
			if (rc->t >= since - 1e-9 && rc->t <= t + 1e-9 && rc->valid && isfinite(rc->p2p))
				v[n++] = rc->p2p;
		}
		if (n == 0)
			return NAN;
		qsort(v, (size_t)n, sizeof v[0], cmp_double);
		double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
		return 100.0 * med / r->base[ch].p2p;
	}
	return NAN;
}

/* The baseline snapshot is the baseline's own average (baseline_sweep). */
static void baseline_snapshot(struct lsr_report *r, int ch, const struct lsr_event *ev)
{
	struct rep_sweeps *sw = &r->sweeps[ch];
	struct rep_snapshot *sn = &r->snap[REP_AT_BASELINE][ch];
	if (!sw->base)
		return;
	if (!snapshot_room(sn, sw))
		return;
	memcpy(sn->avg, sw->base, (size_t)sw->len * sizeof *sn->avg);
	int n = ev->baseline.trials < sw->count ? ev->baseline.trials : sw->count;
	int newest = (sw->head - 1 + REP_SWEEPS) % REP_SWEEPS;
	sn->have = true;
	sn->t = ev->t;
	sn->trials = n > 0 ? n : 1;
	sn->last_t = sw->ring_t[newest];
	sn->first_t = sw->ring_t[(newest - (sn->trials - 1) + 2 * REP_SWEEPS) % REP_SWEEPS];
	sn->amplitude = window_p2p(r, ch, sn->avg, sw->len, sw->pre);
	sn->mean_p2p = mean_p2p(sw, sn->trials);
}

static void on_response(struct lsr_report *r, const struct lsr_event *ev)
{
	int ch = ev->response.ch;
	if (ev->response.role == LSR_ROLE_OTHER || ch < 0)
		return;
	if (ev->response.valid)
		r->valid_trials++;
	else if ((unsigned)ev->response.invalid_reason < LSR_INVALID_COUNT)
		r->invalid[ev->response.invalid_reason]++;
	if (ev->response.valid && ev->response.role == LSR_ROLE_LSR && r->stim_count > 0 &&
	    ev->response.n == r->cur_stim)
		r->stim_ring[(r->stim_head + REP_STIM_RING - 1) % REP_STIM_RING].valid = true;
	if (ch >= REP_CH)
		return;
	r->last_stim[ch] = ev->response.n;
	r->last_trials[ch] = ev->response.trials;
	struct rep_point pt = {
		(float)ev->t, (float)ev->response.p2p_uv, (float)ev->response.onset_ms,
		(float)ev->response.threshold_uv, ev->response.valid,
		ev->response.present == LSR_TRUE,
	};
	trend_add(&r->trend[ch], &pt);
	recent_add(r, ch, ev);
	if (ev->response.valid)
		sweep_add(&r->sweeps[ch], ev);
}

static void on_state(struct lsr_report *r, const struct lsr_event *ev)
{
	/* A cancelled mark re-emits a past state change with corrected flags
	 * (same t, since and state): the report corrects its entry. */
	for (int i = r->nstates - 1; i >= 0; i--) {
		struct rep_state *p = &r->states[i];
		if (p->t == ev->t && p->since == ev->state.since && p->state == ev->state.state) {
			p->premature = ev->state.premature;
			p->after = ev->state.after_decompression;
			return;
		}
	}
	struct rep_state st = {
		.t = ev->t, .since = ev->state.since, .ratio = ev->state.ratio,
		.state = ev->state.state, .prev = ev->state.prev, .premature = ev->state.premature,
		.after = ev->state.after_decompression, .verified = ev->state.verified,
		.provisional = ev->state.provisional, .direct_pct = NAN,
	};
	for (int i = 0; i < r->stim_count; i++) {
		int k = (r->stim_head - 1 - i + 2 * REP_STIM_RING) % REP_STIM_RING;
		if (r->stim_ring[k].t < ev->state.since - 1e-9)
			break;
		if (r->stim_ring[k].t <= ev->t + 1e-9 && r->stim_ring[k].valid)
			st.confirm_trials++;
	}
	st.direct_pct = direct_pct(r, ev->state.since, ev->t);
	for (int ch = 0; ch < REP_CH; ch++)
		st.avg_trials[ch] = ch < r->nch && r->roles[ch] == LSR_ROLE_LSR &&
		                    r->last_stim[ch] == r->cur_stim ? r->last_trials[ch] : -1;
	for (int i = 0; i < ev->state.nind; i++)
		if (ev->state.indeterminate_ch[i] >= 0 && ev->state.indeterminate_ch[i] < 32)
			st.indeterminate |= 1u << ev->state.indeterminate_ch[i];
	if (st.state == LSR_STATE_DISAPPEARED)
		snapshot_set(r, r->snap[REP_AT_LOSS], ev->t, ev->state.since, 0);
	/* Keep the first and the latest changes: drop from the middle. */
	if (r->nstates == REP_STATES) {
		memmove(&r->states[REP_STATES / 2], &r->states[REP_STATES / 2 + 1],
		        (REP_STATES / 2 - 1) * sizeof r->states[0]);
		r->nstates--;
		r->states_left_out++;
	}
	r->states[r->nstates++] = st;
}

static void on_mark(struct lsr_report *r, const struct lsr_event *ev)
{
	const char *label = ev->mark.label ? ev->mark.label : "";
	double value = NAN;
	enum lsr_mark_kind kind = lsr_mark_classify(label, &value);
	if (kind == LSR_MARK_CANCEL && isfinite(value))
		for (int i = 0; i < r->nmarks; i++)
			if (r->marks[i].id == value)
				r->marks[i].cancelled = true;
	if (r->nmarks == REP_MARKS) {
		r->marks_left_out++;
		return;
	}
	struct rep_mark *m = &r->marks[r->nmarks++];
	m->id = ev->mark.id;
	m->t = ev->t;
	lsr_text_copy(m->label, sizeof m->label, label);
	m->origin = ev->mark.origin;
	m->kind = kind;
	m->value = kind == LSR_MARK_INTENSITY || kind == LSR_MARK_CANCEL ? value : NAN;
	m->cancelled = false;
	if (kind == LSR_MARK_DECOMPRESSION && r->ndecomp_snaps < REP_DECOMP_SNAPS)
		snapshot_set(r, r->decomp_snap[r->ndecomp_snaps++], ev->t, -INFINITY, m->id);
}

/* Indeterminate spans per channel: opened when the channel becomes
 * indeterminate, closed when it is judged again. */
static void on_channel_state(struct lsr_report *r, const struct lsr_event *ev)
{
	int ch = ev->channel_state.ch;
	if (ch < 0 || ch >= REP_CH)
		return;
	bool ind = ev->channel_state.state == LSR_STATE_INDETERMINATE;
	if (!ind && r->open_span[ch] >= 0) {
		r->spans[r->open_span[ch]].to = ev->t;
		r->open_span[ch] = -1;
	} else if (ind && r->open_span[ch] < 0) {
		if (r->nspans == REP_SPANS) {
			r->spans_left_out++;
			return;
		}
		r->spans[r->nspans] = (struct rep_span){ ch, ev->t, NAN, ev->channel_state.reason };
		r->open_span[ch] = r->nspans++;
	}
}

enum lsr_reason lsr_report_indeterminate_at(const struct lsr_report *r, int ch, double t)
{
	for (int i = 0; i < r->nspans; i++) {
		const struct rep_span *sp = &r->spans[i];
		if (sp->ch == ch && sp->from <= t + 1e-9 && (!isfinite(sp->to) || t < sp->to - 1e-9))
			return sp->reason;
	}
	return LSR_REASON_NONE;
}

void lsr_report_averaged(const struct lsr_report *r, const struct rep_state *st, char *buf,
                         size_t len)
{
	int lo = -1, hi = -1;
	for (int ch = 0; ch < REP_CH && ch < r->nch; ch++) {
		int k = st->avg_trials[ch];
		if (k <= 0) /* 0: the channel made no decision (indeterminate) */
			continue;
		lo = lo < 0 || k < lo ? k : lo;
		hi = k > hi ? k : hi;
	}
	if (lo < 0)
		snprintf(buf, len, "%s", "");
	else if (lo == hi)
		snprintf(buf, len, "average of %d", lo);
	else
		snprintf(buf, len, "averages of %d to %d", lo, hi);
}

static void add_note(struct lsr_report *r, const struct lsr_event *ev, const char *text)
{
	if (r->nnotes == REP_NOTES) {
		r->notes_left_out++;
		return;
	}
	struct rep_note *n = &r->notes[r->nnotes++];
	n->t = ev->t;
	n->type = ev->type;
	lsr_text_copy(n->text, sizeof n->text, text);
}

static void on_event(void *ctx, const struct lsr_event *ev)
{
	struct lsr_report *r = ctx;
	char text[REP_TEXT];
	if (ev->t > r->t_last || ev->type == LSR_EV_END)
		r->t_last = ev->t;
	switch (ev->type) {
	case LSR_EV_START:
		on_start(r, ev);
		break;
	case LSR_EV_STIM:
		r->stims++;
		r->cur_stim = ev->stim.n;
		r->stim_ring[r->stim_head].t = ev->t;
		r->stim_ring[r->stim_head].valid = false;
		r->stim_head = (r->stim_head + 1) % REP_STIM_RING;
		if (r->stim_count < REP_STIM_RING)
			r->stim_count++;
		break;
	case LSR_EV_RESPONSE:
		on_response(r, ev);
		break;
	case LSR_EV_BASELINE:
		if (ev->baseline.ch >= 0 && ev->baseline.ch < REP_CH) {
			struct rep_baseline *b = &r->base[ev->baseline.ch];
			baseline_sweep(r, ev->baseline.ch, ev);
			baseline_snapshot(r, ev->baseline.ch, ev);
			*b = (struct rep_baseline){ true, ev->baseline.provisional, ev->t,
				                    ev->baseline.p2p_uv, ev->baseline.onset_ms,
				                    ev->baseline.trials, b->count + 1 };
		}
		break;
	case LSR_EV_CHANNEL_STATE:
		on_channel_state(r, ev);
		break;
	case LSR_EV_STATE:
		on_state(r, ev);
		break;
	case LSR_EV_MARK:
		on_mark(r, ev);
		break;
	case LSR_EV_LINK:
		if (ev->link.status == LSR_LINK_DISCONNECTED)
			r->link_losses++;
		if (ev->link.status == LSR_LINK_STALLED)
			r->stalls++;
		add_note(r, ev, lsr_link_name(ev->link.status));
		break;
	case LSR_EV_GAP:
		r->gaps++;
		r->gap_samples += ev->gap.samples;
		snprintf(text, sizeof text, "%lld samples lost", (long long)ev->gap.samples);
		add_note(r, ev, text);
		break;
	case LSR_EV_ALARM:
		r->alarms++;
		snprintf(text, sizeof text, "%s: %s", ev->alarm.what ? ev->alarm.what : "",
		         ev->alarm.text ? ev->alarm.text : "");
		add_note(r, ev, text);
		break;
	case LSR_EV_END:
		r->have_end = true;
		r->final = ev->end.final;
		r->phase = ev->end.final_phase;
		r->stims = ev->end.stims > r->stims ? ev->end.stims : r->stims;
		if (ev->end.stats) {
			r->stats = *ev->end.stats;
			r->have_stats = true;
		}
		break;
	case LSR_EV_COUNT:
		break;
	}
}

static void on_group_end(void *ctx) { (void)ctx; }

struct lsr_report *lsr_report_new(const struct lsr_report_info *info)
{
	struct lsr_report *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->sink = (struct lsr_sink){ .ctx = r, .event = on_event, .group_end = on_group_end };
	r->wall_start = info->wall_start;
	r->utc_offset = info->utc_offset;
	if (info->case_details)
		r->case_details = *info->case_details;
	r->device = dup_or(info->device, "");
	r->source = dup_or(info->source, "");
	r->driver = info->driver ? strdup(info->driver) : NULL;
	lsr_params_defaults(&r->params);
	for (int ch = 0; ch < REP_CH; ch++)
		r->open_span[ch] = r->last_stim[ch] = -1;
	if (!r->device || !r->source || (info->driver && !r->driver)) {
		lsr_report_free(r);
		return NULL;
	}
	return r;
}

const struct lsr_sink *lsr_report_sink(struct lsr_report *r) { return &r->sink; }

/* The case's one offset, not the zone of the machine writing the report:
 * a recording replayed elsewhere reads as it did in theatre. */
static bool local_tm(const struct lsr_report *r, double t, struct tm *tm)
{
	double w = r->wall_start + (isfinite(t) ? t : 0);
	time_t s = (time_t)floor(w) + (time_t)r->utc_offset;
	return gmtime_r(&s, tm) != NULL;
}

/* "UTC", or "UTC+01:00" east of it, "UTC-05:00" west. */
static void zone_name(long off, char *buf, size_t len)
{
	long a = off < 0 ? -off : off;
	if (off == 0)
		snprintf(buf, len, "UTC");
	else
		snprintf(buf, len, "UTC%c%02ld:%02ld", off < 0 ? '-' : '+', a / 3600 % 100, a / 60 % 60);
}

void lsr_report_wall(const struct lsr_report *r, double t, char *buf, size_t len)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;
	char zone[24];
	if (!local_tm(r, t, &tm)) {
		snprintf(buf, len, "?");
		return;
	}
	zone_name(r->utc_offset, zone, sizeof zone);
	snprintf(buf, len, "%d %s %04d %02d:%02d:%02d %s", tm.tm_mday, mon[tm.tm_mon],
	         tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, zone);
}

void lsr_report_iso(const struct lsr_report *r, double t, char *buf, size_t len)
{
	struct tm tm;
	long a = r->utc_offset < 0 ? -r->utc_offset : r->utc_offset;
	if (!local_tm(r, t, &tm))
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld%02ld", tm.tm_year + 1900,
		         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		         r->utc_offset < 0 ? '-' : '+', a / 3600 % 100, a / 60 % 60);
}

void lsr_report_clock(const struct lsr_report *r, double t, char *buf, size_t len)
{
	struct tm tm;
	if (!local_tm(r, t, &tm))
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

const struct rep_state *lsr_report_loss(const struct lsr_report *r)
{
	if (r->have_end ? r->final != LSR_FINAL_DISAPPEARED
	                : !lsr_report_current(r) || lsr_report_current(r)->state != LSR_STATE_DISAPPEARED)
		return NULL;
	for (int i = r->nstates - 1; i >= 0; i--)
		if (r->states[i].state == LSR_STATE_DISAPPEARED)
			return &r->states[i];
	return NULL;
}

double lsr_report_intensity(const struct lsr_report *r)
{
	for (int i = r->nmarks - 1; i >= 0; i--)
		if (r->marks[i].kind == LSR_MARK_INTENSITY && !r->marks[i].cancelled &&
		    isfinite(r->marks[i].value))
			return r->marks[i].value;
	return NAN;
}

double lsr_report_intensity_at(const struct lsr_report *r, double t)
{
	for (int i = r->nmarks - 1; i >= 0; i--)
		if (r->marks[i].kind == LSR_MARK_INTENSITY && !r->marks[i].cancelled &&
		    isfinite(r->marks[i].value) && r->marks[i].t <= t + 1e-9)
			return r->marks[i].value;
	return NAN;
}

const struct rep_state *lsr_report_current(const struct lsr_report *r)
{
	return r->nstates > 0 ? &r->states[r->nstates - 1] : NULL;
}

const struct rep_mark *lsr_report_decompression(const struct lsr_report *r)
{
	for (int i = 0; i < r->nmarks; i++)
		if (r->marks[i].kind == LSR_MARK_DECOMPRESSION && !r->marks[i].cancelled)
			return &r->marks[i];
	return NULL;
}

bool lsr_report_mark_ignored(const struct lsr_report *r, const struct rep_mark *m)
{
	const struct rep_mark *d = lsr_report_decompression(r);
	return m->kind == LSR_MARK_DECOMPRESSION && !m->cancelled && d && d != m;
}

const struct rep_mark *lsr_report_confirm(const struct lsr_report *r)
{
	const struct rep_state *loss = lsr_report_loss(r);
	for (int i = 0; loss && i < r->nmarks; i++)
		if (r->marks[i].kind == LSR_MARK_CONFIRM && !r->marks[i].cancelled &&
		    r->marks[i].t >= loss->since - 1e-9)
			return &r->marks[i];
	return NULL;
}

const char *lsr_report_moment_name(enum rep_moment m)
{
	static const char *const names[REP_MOMENTS] = {
		"baseline", "before_decompression", "at_loss", "end",
	};
	return names[m];
}

const struct rep_snapshot *lsr_report_snapshot(const struct lsr_report *r, enum rep_moment m, int ch)
{
	if (ch < 0 || ch >= REP_CH)
		return NULL;
	const struct rep_snapshot *sn = &r->snap[m][ch];
	if (m == REP_BEFORE_DECOMPRESSION) {
		const struct rep_mark *d = lsr_report_decompression(r);
		sn = NULL;
		for (int k = 0; d && k < r->ndecomp_snaps; k++)
			if (r->decomp_snap[k][ch].mark_id == d->id)
				sn = &r->decomp_snap[k][ch];
	} else if (m == REP_AT_LOSS && !lsr_report_loss(r)) {
		sn = NULL;
	}
	return sn && sn->have ? sn : NULL;
}

const char *lsr_report_final_name(const struct lsr_report *r)
{
	return r->have_end ? lsr_final_name(r->final) : "in_progress";
}

static FILE *open_out(const char *path, bool overwrite, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL), 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

int lsr_report_check(const char *stem, bool overwrite, char *err, size_t errlen)
{
	const char *ext[] = { ".txt", ".pdf" };
	for (int i = 0; i < 2 && !overwrite; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s%s", stem, ext[i]);
		if (access(path, F_OK) == 0) {
			snprintf(err, errlen, "--report: %s exists (use --force to replace it)", path);
			return -1;
		}
	}
	return 0;
}

void lsr_report_set_origin(struct lsr_report *r, double wall_start, long utc_offset,
                           const char *device)
{
	r->wall_start = wall_start;
	r->utc_offset = utc_offset;
	if (device && device[0]) {
		char *d = strdup(device);
		if (d) {
			free(r->device);
			r->device = d;
		}
	}
}

int lsr_report_write(struct lsr_report *r, const char *stem, bool overwrite,
                     char *err, size_t errlen)
{
	size_t n = strlen(stem) + 5;
	char *txt = malloc(n), *pdf = malloc(n);
	int rc = -1;
	if (!txt || !pdf) {
		snprintf(err, errlen, "%s: out of memory", stem);
		goto out;
	}
	snprintf(txt, n, "%s.txt", stem);
	snprintf(pdf, n, "%s.pdf", stem);
	/* Both or neither: check the pair before creating either. */
	if (lsr_report_check(stem, overwrite, err, errlen) != 0)
		goto out;
	snapshot_set(r, r->snap[REP_AT_END], r->t_last, -INFINITY, 0);
	FILE *f = open_out(txt, overwrite, err, errlen);
	if (!f)
		goto out;
	int w = lsr_report_write_txt(r, f);
	if ((fclose(f) != 0) | (w != 0)) {
		snprintf(err, errlen, "%s: %s", txt, strerror(errno ? errno : EIO));
		goto out;
	}
	f = open_out(pdf, overwrite, err, errlen);
	if (!f)
		goto out;
	w = lsr_report_write_pdf(r, f, err, errlen);
	if ((fclose(f) != 0) | (w != 0)) {
		if (w == 0)
			snprintf(err, errlen, "%s: %s", pdf, strerror(errno ? errno : EIO));
		goto out;
	}
	rc = 0;
out:
	free(txt);
	free(pdf);
	return rc;
}

void lsr_report_free(struct lsr_report *r)
{
	if (!r)
		return;
	for (int i = 0; i < REP_CH; i++) {
		free(r->trend[i].p);
		free(r->sweeps[i].ring);
		free(r->sweeps[i].base);
	}
	for (int ch = 0; ch < REP_CH; ch++) {
		for (int m = 0; m < REP_MOMENTS; m++)
			free(r->snap[m][ch].avg);
		for (int k = 0; k < REP_DECOMP_SNAPS; k++)
			free(r->decomp_snap[k][ch].avg);
	}
	free(r->device);
	free(r->driver);
	free(r->source);
	free(r);
}
