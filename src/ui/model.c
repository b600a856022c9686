/* src/ui/model.c — the screen's model: events and sample blocks in, bounded
 * rings out (sweeps, trend, free-run min/max, marks, log). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "layout.h"
#include "marks.h"
#include "model.h"
#include "params.h"

#define FR_HP_HZ 10.0        /* free-run display high-pass: removes offsets */
#define FR_BURST_FACTOR 4.0f /* bucket p2p over the running level */
#define FR_BURST_MIN_UV 50.0f
#define FR_STIM_QUIET_S 0.12 /* after a stimulus the sweep is no burst */
enum { FR_BURST = 1, FR_AFTER_STIM = 2 }; /* fr_burst values */

struct lsr_model *lsr_model_new(void)
{
	struct lsr_model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->last_stim_t = m->last_valid_t = NAN;
	m->direct_from = 2, m->direct_to = 8, m->lsr_from = 6, m->lsr_to = 20;
	m->late_from = 20, m->late_to = 60;
	m->reduced_pct = 50;
	m->invalid_reset = 10;
	m->alarm_bell = true;
	lsr_alarm_init(&m->alarm);
	m->fr_per_bucket = 1;
	m->fr_next = -1;
	for (int c = 0; c < LSR_MAX_CHANNELS; c++) {
		m->ch[c].role = LSR_ROLE_OTHER;
		m->ch[c].trend_merge = 1;
	}
	m->dirty = LSR_DIRTY_ALL;
	return m;
}

static void free_sweeps(struct lsr_model *m)
{
	for (int c = 0; c < LSR_MAX_CHANNELS; c++) {
		free(m->ch[c].sweeps);
		free(m->ch[c].base_sweep);
		free(m->ch[c].judged);
		m->ch[c].sweeps = m->ch[c].base_sweep = m->ch[c].judged = NULL;
		m->ch[c].nsweeps = 0;
		m->ch[c].judged_k = 0;
	}
}

void lsr_model_free(struct lsr_model *m)
{
	if (!m)
		return;
	free_sweeps(m);
	for (int c = 0; c < LSR_MAX_CHANNELS; c++) {
		free(m->ch[c].trend);
		free(m->ch[c].fr_min);
		free(m->ch[c].fr_max);
		free(m->ch[c].fr_burst);
	}
	free(m);
}

void lsr_model_logf(struct lsr_model *m, double t, int color, const char *fmt, ...)
{
	m->log_head = (m->log_head + 1) % LSR_MODEL_LOG;
	if (m->nlog < LSR_MODEL_LOG)
		m->nlog++;
	struct lsr_model_log *e = &m->log[m->log_head];
	e->t = t;
	e->color = (uint8_t)color;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof e->text, fmt, ap);
	va_end(ap);
	m->dirty |= LSR_DIRTY_LOG;
}

const struct lsr_model_log *lsr_model_log_at(const struct lsr_model *m, int i)
{
	if (i < 0 || i >= m->nlog)
		return NULL;
	return &m->log[((m->log_head - i) % LSR_MODEL_LOG + LSR_MODEL_LOG) % LSR_MODEL_LOG];
}

static int state_color(enum lsr_state s)
{
	switch (s) {
	case LSR_STATE_PRESENT: return LSR_COLOR_PRESENT;
	case LSR_STATE_REDUCED: return LSR_COLOR_REDUCED;
	case LSR_STATE_DISAPPEARED: return LSR_COLOR_DISAPPEARED;
	case LSR_STATE_STIMULATION_FAILURE: case LSR_STATE_NO_STIMULUS: return LSR_COLOR_ALARM;
	default: return LSR_COLOR_ACQUIRING;
	}
}

static void set_channels(struct lsr_model *m, int nch, int rate)
{
	m->nch = nch < LSR_MAX_CHANNELS ? nch : LSR_MAX_CHANNELS;
	m->rate = rate;
	m->fr_per_bucket = rate / LSR_FREERUN_HZ > 0 ? rate / LSR_FREERUN_HZ : 1;
	for (int c = 0; c < m->nch; c++) {
		struct lsr_model_channel *ch = &m->ch[c];
		if (!ch->fr_min) {
			ch->fr_min = calloc(LSR_FREERUN_BUCKETS, sizeof(float));
			ch->fr_max = calloc(LSR_FREERUN_BUCKETS, sizeof(float));
			ch->fr_burst = calloc(LSR_FREERUN_BUCKETS, 1);
			ch->trend = calloc(LSR_MODEL_TREND, sizeof *ch->trend);
			if (!ch->fr_min || !ch->fr_max || !ch->fr_burst || !ch->trend)
				m->oom = true;
		}
	}
	m->dirty = LSR_DIRTY_ALL;
}

void lsr_model_config(struct lsr_model *m, const struct lsr_stream_config *cfg,
                      const enum lsr_role *roles)
{
	set_channels(m, cfg->channels, cfg->rate);
	m->simulation = lsr_stream_config_simulated(cfg);
	for (int c = 0; c < m->nch; c++) {
		snprintf(m->ch[c].label, sizeof m->ch[c].label, "%s", cfg->labels[c]);
		if (roles)
			m->ch[c].role = roles[c];
	}
}

/* Trend: one point per stimulus until full, then neighbours merge so an
 * 8-hour case still fits in LSR_MODEL_TREND points. */
static void trend_push(struct lsr_model_channel *ch)
{
	if (!ch->trend)
		return;
	if (ch->ntrend == LSR_MODEL_TREND) {
		for (int i = 0; i < LSR_MODEL_TREND / 2; i++) {
			struct lsr_trend_point a = ch->trend[2 * i], b = ch->trend[2 * i + 1], o = a;
			o.p2p = isnan(a.p2p) ? b.p2p : isnan(b.p2p) ? a.p2p : (a.p2p + b.p2p) / 2;
			o.onset = isnan(a.onset) ? b.onset : isnan(b.onset) ? a.onset : (a.onset + b.onset) / 2;
			o.flags = a.flags | b.flags;
			ch->trend[i] = o;
		}
		ch->ntrend = LSR_MODEL_TREND / 2;
		ch->trend_merge *= 2;
	}
	struct lsr_trend_point *p = &ch->trend[ch->ntrend++];
	p->t = (float)ch->pend_t;
	p->p2p = ch->pend_valid ? (float)(ch->pend_p2p / ch->pend_valid) : NAN;
	p->onset = ch->pend_onsets ? (float)(ch->pend_onset / ch->pend_onsets) : NAN;
	p->flags = ch->pend_flags;
	ch->pend_n = ch->pend_valid = ch->pend_onsets = 0;
	ch->pend_p2p = ch->pend_onset = 0;
	ch->pend_flags = 0;
}

static void on_response(struct lsr_model *m, const struct lsr_event *ev)
{
	int c = ev->response.ch;
	if (c < 0 || c >= LSR_MAX_CHANNELS)
		return;
	if (c >= m->nch)
		set_channels(m, c + 1, m->rate);
	struct lsr_model_channel *ch = &m->ch[c];
	const float *sw = ev->response.conditioned ? ev->response.conditioned : ev->response.raw;
	int len = ev->response.sweep_len;
	if (ev->response.valid)
		m->last_valid_t = ev->t;
	/* No verdict (invalid, or neither present nor absent) where there
	 * should be one: counted for the alarm when every LSR channel has
	 * none.  A channel still taking its baseline has no verdict yet by
	 * design (the LSR channels' decisions start from their baseline). */
	bool judged = ch->state != LSR_STATE_ACQUIRING && ch->state != LSR_STATE_NOT_DETECTED;
	if (!judged)
		ch->indeterminate = 0;
	else if (!ev->response.valid || ev->response.present == LSR_NULL)
		ch->indeterminate++;
	else
		ch->indeterminate = 0;
	/* Trend, always (it is the case's history). */
	if (ch->pend_n++ == 0)
		ch->pend_t = ev->t;
	if (ev->response.valid && isfinite(ev->response.p2p_uv)) {
		ch->pend_valid++;
		ch->pend_p2p += ev->response.p2p_uv;
		ch->pend_flags |= LSR_TREND_VALID;
	}
	if (ev->response.present == LSR_TRUE) {
		ch->pend_flags |= LSR_TREND_PRESENT;
		if (isfinite(ev->response.onset_ms))
			ch->pend_onset += ev->response.onset_ms, ch->pend_onsets++;
	}
	if (ch->pend_n >= ch->trend_merge)
		trend_push(ch);
	m->dirty |= LSR_DIRTY_TREND;
	if (m->frozen)
		return;
	ch->has_resp = true;
	ch->valid = ev->response.valid;
	ch->why = ev->response.invalid_reason;
	ch->present = ev->response.present;
	ch->p2p = ev->response.p2p_uv;
	ch->amplitude = ev->response.amplitude_uv;
	ch->trials = ev->response.trials;
	ch->onset = ev->response.onset_ms;
	ch->threshold = ev->response.threshold_uv;
	if (!sw || len <= 0 || len > 1 << 20)
		return;
	if (len != m->sweep_len) {
		free_sweeps(m);
		m->sweep_len = len;
	}
	m->sweep_pre = ev->response.sweep_pre;
	if (!ch->sweeps) {
		ch->sweeps = calloc((size_t)LSR_MODEL_STACK * (size_t)len, sizeof(float));
		if (!ch->sweeps) {
			m->oom = true;
			return;
		}
	}
	ch->sweep_head = (ch->sweep_head + 1) % LSR_MODEL_STACK;
	memcpy(ch->sweeps + (size_t)ch->sweep_head * (size_t)len, sw, (size_t)len * sizeof(float));
	if (ch->nsweeps < LSR_MODEL_STACK)
		ch->nsweeps++;
	/* The detector's own average, where this trial's decision had one;
	 * a decision without one leaves none shown (never an older one as
	 * if current). */
	ch->judged_k = 0;
	if (ev->response.average && ev->response.trials > 0) {
		if (!ch->judged && !(ch->judged = malloc((size_t)len * sizeof(float)))) {
			m->oom = true;
			return;
		}
		memcpy(ch->judged, ev->response.average, (size_t)len * sizeof(float));
		ch->judged_k = ev->response.trials;
	}
	m->dirty |= LSR_DIRTY_SWEEPS;
}

const float *lsr_model_sweep(const struct lsr_model *m, int c, int k)
{
	const struct lsr_model_channel *ch = &m->ch[c];
	if (!ch->sweeps || k < 0 || k >= ch->nsweeps)
		return NULL;
	int i = ((ch->sweep_head - k) % LSR_MODEL_STACK + LSR_MODEL_STACK) % LSR_MODEL_STACK;
	return ch->sweeps + (size_t)i * (size_t)m->sweep_len;
}

/* The baseline overlay: mean of the sweeps on screen when the judge
 * reported the baseline (up to the trials it was made from). */
static void snapshot_baseline(struct lsr_model *m, int c, int trials)
{
	struct lsr_model_channel *ch = &m->ch[c];
	int n = ch->nsweeps < trials ? ch->nsweeps : trials;
	if (n <= 0 || m->sweep_len <= 0)
		return;
	if (!ch->base_sweep && !(ch->base_sweep = malloc((size_t)m->sweep_len * sizeof(float)))) {
		m->oom = true;
		return;
	}
	for (int i = 0; i < m->sweep_len; i++) {
		double s = 0;
		for (int k = 0; k < n; k++)
			s += lsr_model_sweep(m, c, k)[i];
		ch->base_sweep[i] = (float)(s / n);
	}
}

static void on_mark(struct lsr_model *m, const struct lsr_event *ev)
{
	const char *label = ev->mark.label ? ev->mark.label : "";
	if (m->nmarks == LSR_MODEL_MARKS) {
		memmove(m->marks, m->marks + 1, sizeof m->marks[0] * (LSR_MODEL_MARKS - 1));
		m->nmarks--;
	}
	struct lsr_model_mark *k = &m->marks[m->nmarks++];
	k->id = ev->mark.id;
	k->t = ev->t;
	k->cancelled = false;
	snprintf(k->label, sizeof k->label, "%s", label);
	/* What a Cancel label names is the judge's and the report's reading
	 * (marks.h), so the screen never strikes out another mark than they do. */
	double target;
	if (lsr_mark_classify(label, &target) == LSR_MARK_CANCEL && isfinite(target))
		for (int i = 0; i < m->nmarks; i++)
			if (m->marks[i].id == target)
				m->marks[i].cancelled = true;
	lsr_model_logf(m, ev->t, LSR_COLOR_MARK, "#%d %c %s (%s)", ev->mark.id, lsr_model_mark_glyph(label),
	               label, lsr_mark_origin_name(ev->mark.origin));
	/* b with every baseline confirmed takes new ones (lsrmon(1), Marks):
	 * the banner says so until each channel's new baseline is in. */
	double value;
	if (lsr_mark_classify(label, &value) == LSR_MARK_BASELINE) {
		bool have = false, provisional = false;
		for (int c = 0; c < m->nch; c++)
			if (m->ch[c].role != LSR_ROLE_OTHER && m->ch[c].has_baseline) {
				have = true;
				provisional |= m->ch[c].base_provisional;
			}
		for (int c = 0; c < m->nch; c++)
			m->ch[c].rebaselining = have && !provisional && m->ch[c].role != LSR_ROLE_OTHER;
		m->dirty |= LSR_DIRTY_BANNER;
	}
	/* The stimulation settings show the intensity last marked (and not
	 * cancelled since). */
	m->intensity[0] = '\0';
	for (int i = m->nmarks - 1; i >= 0; i--)
		if (!m->marks[i].cancelled && !strncasecmp(m->marks[i].label, "intensity ", 10)) {
			snprintf(m->intensity, sizeof m->intensity, "%.16s mA", m->marks[i].label + 10);
			break;
		}
	m->dirty |= LSR_DIRTY_TREND;
}

static void on_start(struct lsr_model *m, const struct lsr_event *ev)
{
	m->segment = ev->start.segment;
	set_channels(m, ev->start.nch, ev->start.rate);
	for (int i = 0; i < ev->start.nch; i++) {
		const struct lsr_channel_info *ci = &ev->start.channels[i];
		if (ci->index < 0 || ci->index >= LSR_MAX_CHANNELS)
			continue;
		snprintf(m->ch[ci->index].label, LSR_LABEL_MAX, "%s", ci->label ? ci->label : "");
		m->ch[ci->index].role = ci->role;
	}
	const struct lsr_params *p = ev->start.params;
	if (p) {
		m->direct_from = p->direct_from_ms, m->direct_to = p->direct_to_ms;
		m->lsr_from = p->lsr_from_ms, m->lsr_to = p->lsr_to_ms;
		m->late_from = p->late_from_ms, m->late_to = p->late_to_ms;
		m->invalid_reset = p->invalid_reset;
		m->alarm_bell = p->alarm_bell != 0;
		m->reduced_pct = p->reduced_pct;
		snprintf(m->stim_settings, sizeof m->stim_settings, "%s%s %gms",
		         p->stim_branch == LSR_BRANCH_MANDIBULAR ? "mandibular" : "zygomatic",
		         p->stim_side == LSR_SIDE_LEFT ? " left" : p->stim_side == LSR_SIDE_RIGHT ? " right" : "",
		         p->stim_pulse_ms);
	}
	lsr_model_logf(m, ev->t, LSR_COLOR_TEXT, "Start segment %d: %s %s, %d Hz, %d ch",
	               ev->start.segment, ev->start.source ? ev->start.source : "?",
	               ev->start.driver ? ev->start.driver : "?", ev->start.rate, ev->start.nch);
	for (int i = 0; i < ev->start.nwarn; i++)
		lsr_model_logf(m, ev->t, LSR_COLOR_ALARM, "Warning: %s", ev->start.warnings[i]);
}

void lsr_model_event(struct lsr_model *m, const struct lsr_event *ev)
{
	switch (ev->type) {
	case LSR_EV_START:
		on_start(m, ev);
		break;
	case LSR_EV_STIM:
		if (isfinite(m->last_stim_t) && ev->t > m->last_stim_t && ev->stim.n == m->stims + 1) {
			double r = 1 / (ev->t - m->last_stim_t);
			m->stim_rate_hz = m->stim_rate_hz > 0 ? m->stim_rate_hz + 0.2 * (r - m->stim_rate_hz) : r;
		}
		m->stims = ev->stim.n;
		m->last_stim_t = ev->t;
		m->dirty |= LSR_DIRTY_STATUS | LSR_DIRTY_BANNER;
		break;
	case LSR_EV_RESPONSE:
		on_response(m, ev);
		break;
	case LSR_EV_BASELINE: {
		int c = ev->baseline.ch;
		if (c < 0 || c >= LSR_MAX_CHANNELS)
			break;
		struct lsr_model_channel *ch = &m->ch[c];
		ch->has_baseline = true;
		ch->rebaselining = false;
		ch->base_provisional = ev->baseline.provisional;
		ch->base_p2p = ev->baseline.p2p_uv;
		ch->base_onset = ev->baseline.onset_ms;
		snapshot_baseline(m, c, ev->baseline.trials);
		/* A baseline made precise or confirmed after the state was
		 * said: "(provisional)" follows the baselines, as the judge's
		 * next state will (any judged channel's still provisional). */
		if (m->has_state) {
			bool any = false;
			for (int k = 0; k < m->nch; k++)
				any |= m->ch[k].role != LSR_ROLE_OTHER && m->ch[k].has_baseline &&
				       m->ch[k].base_provisional;
			m->st.provisional = any;
		}
		lsr_model_logf(m, ev->t, LSR_COLOR_BASELINE, "Baseline ch%d %.0f uV%s", c,
		               ev->baseline.p2p_uv, ev->baseline.provisional ? " (provisional)" : "");
		m->dirty |= LSR_DIRTY_SWEEPS | LSR_DIRTY_TREND | LSR_DIRTY_BANNER;
		break;
	}
	case LSR_EV_CHANNEL_STATE: {
		int c = ev->channel_state.ch;
		if (c < 0 || c >= LSR_MAX_CHANNELS)
			break;
		m->ch[c].state = ev->channel_state.state;
		m->ch[c].reason = ev->channel_state.reason;
		m->ch[c].has_state = true;
		lsr_model_logf(m, ev->t, state_color(ev->channel_state.state), "ch%d %s: %s", c,
		               m->ch[c].label, lsr_state_name(ev->channel_state.state));
		m->dirty |= LSR_DIRTY_SWEEPS;
		break;
	}
	case LSR_EV_STATE:
		m->has_state = true;
		m->st.state = ev->state.state;
		m->st.since = ev->state.since;
		m->st.ratio = ev->state.ratio;
		m->st.t = ev->t;
		m->st.premature = ev->state.premature;
		m->st.after = ev->state.after_decompression;
		m->st.verified = ev->state.verified;
		m->st.provisional = ev->state.provisional;
		m->st.nind = 0;
		for (int i = 0; i < ev->state.nind && i < LSR_MAX_CHANNELS; i++)
			if (ev->state.indeterminate_ch[i] >= 0 && ev->state.indeterminate_ch[i] < LSR_MAX_CHANNELS)
				m->st.ind[m->st.nind++] = ev->state.indeterminate_ch[i];
		/* Reduced, disappeared and a return to present chime once. */
		if (ev->state.state == LSR_STATE_REDUCED || ev->state.state == LSR_STATE_DISAPPEARED ||
		    (ev->state.state == LSR_STATE_PRESENT &&
		     (ev->state.prev == LSR_STATE_REDUCED || ev->state.prev == LSR_STATE_DISAPPEARED)))
			lsr_alarm_chime(&m->alarm);
		lsr_model_logf(m, ev->t, state_color(ev->state.state), "State %s%s", lsr_state_name(ev->state.state),
		               ev->state.premature ? " (premature)" : ev->state.after_decompression ? " (after decompression)" : "");
		m->dirty |= LSR_DIRTY_BANNER;
		break;
	case LSR_EV_MARK:
		on_mark(m, ev);
		break;
	case LSR_EV_LINK:
		m->link_down = ev->link.status == LSR_LINK_DISCONNECTED;
		m->dirty |= LSR_DIRTY_BANNER;
		lsr_model_logf(m, ev->t, ev->link.status == LSR_LINK_CONNECTED ? LSR_COLOR_TEXT : LSR_COLOR_ALARM,
		               "Link %s", lsr_link_name(ev->link.status));
		break;
	case LSR_EV_GAP:
		lsr_model_logf(m, ev->t, LSR_COLOR_ALARM, "Gap %lld samples", (long long)ev->gap.samples);
		break;
	case LSR_EV_ALARM:
		lsr_model_logf(m, ev->t, LSR_COLOR_ALARM, "ALARM %s: %s", ev->alarm.what ? ev->alarm.what : "?",
		               ev->alarm.text ? ev->alarm.text : "");
		break;
	case LSR_EV_END:
		m->ended = true;
		snprintf(m->final, sizeof m->final, "%s", lsr_final_name(ev->end.final));
		lsr_model_logf(m, ev->t, LSR_COLOR_TEXT, "End: %s", m->final);
		m->dirty |= LSR_DIRTY_BANNER;
		break;
	default:
		break;
	}
}

static void commit_bucket(struct lsr_model *m)
{
	size_t i = (size_t)(m->fr_total % LSR_FREERUN_BUCKETS);
	bool quiet = m->fr_total < m->fr_quiet_until;
	for (int c = 0; c < m->nch; c++) {
		struct lsr_model_channel *ch = &m->ch[c];
		float p2p = ch->cur_max - ch->cur_min;
		bool burst = !quiet && p2p > FR_BURST_MIN_UV && p2p > FR_BURST_FACTOR * ch->level;
		/* The level follows the background slowly, not the bursts. */
		if (m->fr_total == 0)
			ch->level = p2p;
		else if (!burst && !quiet)
			ch->level += 0.005f * (p2p - ch->level);
		ch->fr_min[i] = ch->cur_min;
		ch->fr_max[i] = ch->cur_max;
		ch->fr_burst[i] = burst ? FR_BURST : quiet ? FR_AFTER_STIM : 0;
	}
	m->fr_total++;
	m->fr_fill = 0;
	m->dirty |= LSR_DIRTY_FREERUN;
}

/* Lost samples: the bucket in progress ends, then empty ones stand for
 * the gap (at most the whole ring), and the display filter restarts. */
static void gap(struct lsr_model *m, int64_t samples)
{
	if (m->fr_fill > 0)
		commit_bucket(m);
	int64_t n = samples / m->fr_per_bucket;
	if (n > LSR_FREERUN_BUCKETS)
		n = LSR_FREERUN_BUCKETS;
	for (int64_t k = 0; k < n; k++) {
		size_t i = (size_t)(m->fr_total % LSR_FREERUN_BUCKETS);
		for (int c = 0; c < m->nch; c++) {
			m->ch[c].fr_min[i] = m->ch[c].fr_max[i] = NAN;
			m->ch[c].fr_burst[i] = 0;
		}
		m->fr_total++;
	}
	m->fr_total += samples / m->fr_per_bucket - n; /* time still advances */
	for (int c = 0; c < m->nch; c++)
		m->ch[c].hp_x = m->ch[c].hp_y = 0;
	m->dirty |= LSR_DIRTY_FREERUN;
}

void lsr_model_block(struct lsr_model *m, int64_t index, const struct lsr_block *blk)
{
	if (m->oom || m->nch == 0 || m->rate <= 0)
		return;
	bool jump = m->fr_next >= 0 && index > m->fr_next;
	int64_t lost = index - m->fr_next;
	m->fr_next = index + blk->nsamp;
	if (m->frozen)
		return;
	if (jump)
		gap(m, lost);
	int nch = blk->channels < m->nch ? blk->channels : m->nch;
	float a = (float)(1.0 / (1.0 + 2 * M_PI * FR_HP_HZ / m->rate));
	int done = 0;
	while (done < blk->nsamp) {
		int chunk = m->fr_per_bucket - m->fr_fill;
		if (chunk > blk->nsamp - done)
			chunk = blk->nsamp - done;
		for (int c = 0; c < nch; c++) {
			struct lsr_model_channel *ch = &m->ch[c];
			const float *s = blk->samples + (size_t)c * blk->stride + done;
			float x0 = ch->hp_x, y = ch->hp_y, lo = ch->cur_min, hi = ch->cur_max;
			if (m->fr_fill == 0)
				lo = INFINITY, hi = -INFINITY;
			for (int i = 0; i < chunk; i++) {
				float x = isfinite(s[i]) ? s[i] : x0;
				y = a * (y + x - x0);
				x0 = x;
				lo = y < lo ? y : lo;
				hi = y > hi ? y : hi;
			}
			ch->hp_x = x0, ch->hp_y = y, ch->cur_min = lo, ch->cur_max = hi;
		}
		if (blk->marks)
			for (int i = 0; i < chunk; i++)
				if (blk->marks[done + i] & LSR_MARK_STIM)
					m->fr_quiet_until = m->fr_total + (int64_t)(FR_STIM_QUIET_S * LSR_FREERUN_HZ) + 1;
		m->fr_fill += chunk;
		done += chunk;
		if (m->fr_fill >= m->fr_per_bucket)
			commit_bucket(m);
	}
}

bool lsr_model_bucket(const struct lsr_model *m, int c, int64_t i, float *lo, float *hi, bool *burst)
{
	const struct lsr_model_channel *ch = &m->ch[c];
	if (!ch->fr_min || i < 0 || i >= m->fr_total || i < m->fr_total - LSR_FREERUN_BUCKETS)
		return false;
	size_t k = (size_t)(i % LSR_FREERUN_BUCKETS);
	*lo = ch->fr_min[k];
	*hi = ch->fr_max[k];
	*burst = ch->fr_burst[k] == FR_BURST;
	return true;
}

bool lsr_model_bucket_after_stim(const struct lsr_model *m, int c, int64_t i)
{
	const struct lsr_model_channel *ch = &m->ch[c];
	if (!ch->fr_burst || i < 0 || i >= m->fr_total || i < m->fr_total - LSR_FREERUN_BUCKETS)
		return false;
	return ch->fr_burst[i % LSR_FREERUN_BUCKETS] == FR_AFTER_STIM;
}

const struct lsr_model_mark *lsr_model_mark_find(const struct lsr_model *m, int id)
{
	for (int i = m->nmarks - 1; i >= 0; i--)
		if (m->marks[i].id == id)
			return &m->marks[i];
	return NULL;
}

char lsr_model_mark_glyph(const char *label)
{
	double value;
	switch (lsr_mark_classify(label, &value)) {
	case LSR_MARK_DURA_OPEN: return 'O';
	case LSR_MARK_DECOMPRESSION: return 'D';
	case LSR_MARK_CONFIRM: return 'C';
	case LSR_MARK_INTENSITY: return 'I';
	case LSR_MARK_BASELINE: return 'B';
	case LSR_MARK_CLOSURE: return 'Z';
	case LSR_MARK_CANCEL: return 'x';
	default: return '*';
	}
}

unsigned lsr_model_alarms(const struct lsr_model *m, bool recording_fault)
{
	unsigned a = 0;
	if (m->has_state && m->st.state == LSR_STATE_STIMULATION_FAILURE)
		a |= LSR_ALARM_STIM_FAILURE;
	if (m->has_state && m->st.state == LSR_STATE_NO_STIMULUS)
		a |= LSR_ALARM_NO_STIMULUS;
	if (m->link_down)
		a |= LSR_ALARM_LINK;
	if (recording_fault)
		a |= LSR_ALARM_RECORDING;
	int lsr = 0, none = 0;
	for (int c = 0; c < m->nch; c++)
		if (m->ch[c].role == LSR_ROLE_LSR) {
			lsr++;
			none += m->ch[c].indeterminate >= m->invalid_reset;
		}
	/* A stimulation failure or no stimulus already says why no trial
	 * has a verdict: one alarm for one cause. */
	if (lsr > 0 && none == lsr && !(a & (LSR_ALARM_STIM_FAILURE | LSR_ALARM_NO_STIMULUS)))
		a |= LSR_ALARM_INDETERMINATE;
	return a;
}

bool lsr_model_rebaselining(const struct lsr_model *m)
{
	for (int c = 0; c < m->nch; c++)
		if (m->ch[c].rebaselining)
			return true;
	return false;
}

const struct lsr_model_mark *lsr_model_mark_last(const struct lsr_model *m)
{
	for (int i = m->nmarks - 1; i >= 0; i--)
		if (!m->marks[i].cancelled && strncasecmp(m->marks[i].label, "cancel ", 7))
			return &m->marks[i];
	return NULL;
}
