/* src/signal/signal_path.c — the signal path facade: finder → ring → sweeps → measures.
 *
 * Only what is judged is filtered: each sweep with WARM_MS of raw samples
 * before it, and every JOB_EVERY_MS of stimulus-free stream a short noise
 * stretch; the continuous stream is only copied into the ring and scanned
 * by the stimulus finder. */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "condition.h"
#include "crew.h"
#include "epoch.h"
#include "mains.h"
#include "measure.h"
#include "signal_path.h"
#include "stimfind.h"

#define PRE_MS 10.0
#define POST_MS 100.0
/* Raw samples before a sweep that settle the forward pass: over 5 time
 * constants of the 30 Hz high-pass (7.5 ms). */
#define WARM_MS 40.0
#define TAIL_FROM_MS 60.0  /* a sweep's noise-only end */
#define JOB_WARM_MS 40.0   /* warm-up of a noise stretch between sweeps */
#define JOB_EVERY_MS 600.0 /* stimulus-free stream between noise stretches */
#define JOB_WINDOWS 6      /* longest windows per noise stretch */
#define NOISE_CAP 200      /* noise-only p2p values kept per channel and kind */
#define NHELD 3            /* auto mode: candidate trials held until decided */
#define MAX_OWN 64         /* noise windows of one sweep, per kind */
#define GROUP 4            /* channels conditioned together */
#define NRECENT 16         /* stimuli remembered for the mains fit's mask */

struct slot {
	struct lsr_trial tr;
	float *raw, *cond;
};

struct win {
	int at, n; /* first sample (sweep-relative) and length */
};

struct lsr_signal {
	struct lsr_params p;
	lsr_trial_fn fn;
	void *ctx;
	int rate, nch;
	double full_scale;
	bool judge;
	int pre, post, len, warm, lead, blank, quiet;
	struct win direct, lsr, late;
	int tail_at;                    /* first noise-only sample of a sweep */
	int job_warm, job_len, job_every;
	struct lsr_stimfind *sf;
	struct lsr_epochs *ep;
	struct lsr_condition *cond;
	struct lsr_mains *mains;
	struct lsr_noise *noise;
	int fit_pre, fit_max;           /* mains fit: samples before the stimulus, longest stretch */
	float *fitbuf;                  /* nch × fit_max raw stretches for the mains fit */
	int64_t recent[NRECENT];        /* latest stimuli found (a ring) */
	int nrecent, recent_at;
	float *work;                    /* nch × wstride conditioning buffers */
	float *wp[LSR_MAX_CHANNELS];    /* each channel's buffer in work */
	float *causal;                  /* nch × pre: the pre-stimulus segment, band-passed causally */
	float *cp[LSR_MAX_CHANNELS];    /* each channel's in causal */
	struct slot cur, held[NHELD];
	int nheld;
	int emitted;
	uint64_t rejected;              /* malformed blocks ignored */
	int64_t last_found;
	bool have_found;
	int64_t job_at;                 /* analysis start of the next noise stretch */
	/* Sweeps and noise stretches are conditioned and measured by groups
	 * of GROUP channels (the filter's lanes), shared with the crew's
	 * helper thread when there is more than one group (crew.h; the
	 * detector's, borrowed). */
	struct lsr_crew *crew;
	int groups;
	double *scratch[2];             /* lsr_condition_sweeps' space, per thread */
	struct {                        /* what the groups are building */
		enum { JOB_SWEEP, JOB_NOISE } kind;
		bool hum_stage;         /* the mains fit's preparation (hum_group) */
		struct slot *sl;
		int64_t from;
		int warm;
		bool mains;             /* the hum fit is prepared */
		int64_t fit_from;       /* its stretch */
		int fit_n;
	} job;
};

static void sweep_group(struct lsr_signal *s, int who, int lo, int hi);
static void noise_group(struct lsr_signal *s, int who, int lo, int hi);
static void hum_group(struct lsr_signal *s, int group);

/* The crew's item (crew.h): one group of channels of s->job, on either
 * thread.  Groups share only what they read (the ring, the conditioning);
 * each writes its own channels' buffers, measures and noise
 * distributions, and its thread's scratch. */
static void build_group(void *ctx, int who, int group)
{
	struct lsr_signal *s = ctx;
	if (s->job.hum_stage) {
		hum_group(s, group);
		return;
	}
	int lo = group * GROUP, hi = lo + GROUP < s->nch ? lo + GROUP : s->nch;
	if (s->job.kind == JOB_SWEEP)
		sweep_group(s, who, lo, hi);
	else
		noise_group(s, who, lo, hi);
}

/* Items [0, items) of s->job: shared with the helper, or alone. */
static void run_items(struct lsr_signal *s, int items)
{
	if (s->crew)
		lsr_crew_run(s->crew, build_group, s, items);
	else
		for (int g = 0; g < items; g++)
			build_group(s, 0, g);
}

/* All groups of s->job. */
static void build_all(struct lsr_signal *s)
{
	run_items(s, s->groups);
}

static int ms_to_n(const struct lsr_signal *s, double ms)
{
	return (int)lround(ms * s->rate / 1000.0);
}

static struct win window(const struct lsr_signal *s, double from_ms, double to_ms)
{
	struct win w;
	w.at = s->pre + ms_to_n(s, from_ms);
	int last = s->pre + ms_to_n(s, to_ms);
	if (last > s->len - 1)
		last = s->len - 1;
	if (w.at < 0)
		w.at = 0;
	w.n = last - w.at + 1;
	if (w.n < 1)
		w.n = 1;
	return w;
}

static bool slot_init(struct slot *sl, const struct lsr_signal *s)
{
	size_t n = (size_t)s->nch * (size_t)s->len;
	sl->raw = calloc(n, sizeof *sl->raw);
	sl->cond = calloc(n, sizeof *sl->cond);
	sl->tr.raw = sl->raw;
	sl->tr.conditioned = sl->cond;
	sl->tr.stride = (size_t)s->len;
	sl->tr.sweep_len = s->len;
	sl->tr.sweep_pre = s->pre;
	sl->tr.nch = s->nch;
	return sl->raw && sl->cond;
}

static void slot_free(struct slot *sl)
{
	free(sl->raw);
	free(sl->cond);
}

void lsr_signal_free(struct lsr_signal *s)
{
	if (!s)
		return;
	lsr_stimfind_free(s->sf);
	lsr_epochs_free(s->ep);
	lsr_condition_free(s->cond);
	lsr_mains_free(s->mains);
	free(s->fitbuf);
	lsr_noise_free(s->noise);
	free(s->work);
	free(s->causal);
	free(s->scratch[0]);
	free(s->scratch[1]);
	slot_free(&s->cur);
	for (int i = 0; i < NHELD; i++)
		slot_free(&s->held[i]);
	free(s);
}

struct lsr_signal *lsr_signal_new(const struct lsr_params *p, const struct lsr_stream_config *cfg,
                                  lsr_trial_fn on_trial, void *ctx, char *err, size_t errlen)
{
	if (!cfg || cfg->rate < 100 || cfg->rate > 200000 || cfg->channels < 1 ||
	    cfg->channels > LSR_MAX_CHANNELS) {
		snprintf(err, errlen, "signal: cannot take a stream of %d channels at %d Hz (need 1-%d channels, 100-200000 Hz)",
		         cfg ? cfg->channels : 0, cfg ? cfg->rate : 0, LSR_MAX_CHANNELS);
		return NULL;
	}
	struct lsr_signal *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "signal: out of memory");
		return NULL;
	}
	s->p = *p;
	s->fn = on_trial;
	s->ctx = ctx;
	s->rate = cfg->rate;
	s->nch = cfg->channels;
	s->full_scale = cfg->full_scale_uv > 0 && isfinite(cfg->full_scale_uv) ? cfg->full_scale_uv : 0;
	s->judge = cfg->rate >= p->min_rate_hz;
	s->pre = ms_to_n(s, PRE_MS);
	s->post = ms_to_n(s, POST_MS);
	s->len = s->pre + s->post + 1;
	s->warm = ms_to_n(s, WARM_MS);
	s->quiet = ms_to_n(s, p->onset_quiet_ms);
	s->direct = window(s, p->direct_from_ms, p->direct_to_ms);
	s->lsr = window(s, p->lsr_from_ms, p->lsr_to_ms);
	s->late = window(s, p->late_from_ms, p->late_to_ms);
	s->tail_at = s->pre + ms_to_n(s, TAIL_FROM_MS);
	s->job_warm = ms_to_n(s, JOB_WARM_MS);
	s->job_len = JOB_WINDOWS * (s->direct.n > s->lsr.n ? s->direct.n : s->lsr.n);
	s->job_every = ms_to_n(s, JOB_EVERY_MS);
	int train = (int)ceil(p->train_ms * s->rate / 1000.0);
	if (train < 1)
		train = 1;

	s->sf = lsr_stimfind_new(p, s->rate, s->nch, err, errlen);
	if (!s->sf)
		goto fail;
	s->cond = lsr_condition_new(p, s->rate, s->post, err, errlen);
	if (!s->cond)
		goto fail;
	s->blank = lsr_condition_blank(s->cond);
	s->lead = lsr_condition_lead(s->cond);
	int span = s->warm + s->len;
	if (s->job_warm + s->job_len > span)
		span = s->job_warm + s->job_len;
	s->fit_pre = ms_to_n(s, LSR_MAINS_FIT_MS);
	s->fit_max = s->fit_pre + s->post + 1;
	if (s->job_warm + s->job_len > s->fit_max)
		s->fit_max = s->job_warm + s->job_len;
	s->mains = lsr_mains_new(p, s->rate, s->nch, s->fit_max, err, errlen);
	if (!s->mains)
		goto fail;
	if (lsr_mains_on(s->mains)) {
		if (s->fit_max > span)
			span = s->fit_max;
		s->fitbuf = malloc((size_t)s->nch * (size_t)s->fit_max * sizeof *s->fitbuf);
		if (!s->fitbuf) {
			snprintf(err, errlen, "signal: out of memory");
			goto fail;
		}
	}
	if (p->report) {
		p->report->nch = s->nch;
		p->report->mains_hz = NAN;
		for (int c = 0; c < LSR_MAX_CHANNELS; c++)
			p->report->hum_uv[c] = NAN;
	}
	/* Most stimuli waiting at once: a sweep plus a block of them (a block's
	 * stimuli are queued before its completed sweeps leave), edges at
	 * least two samples apart (a mark must fall between two edges). */
	int cap = (s->post + LSR_MAX_BLOCK) / (train > 2 ? train : 2) + 8;
	s->ep = lsr_epochs_new(s->nch, span, s->post, cap);
	s->noise = lsr_noise_new(s->nch, NOISE_CAP);
	size_t wstride = (size_t)span + (size_t)lsr_condition_pad(s->cond);
	s->work = malloc((size_t)s->nch * wstride * sizeof *s->work);
	for (int c = 0; s->work && c < s->nch; c++)
		s->wp[c] = s->work + (size_t)c * wstride;
	s->causal = malloc((size_t)s->nch * (size_t)s->pre * sizeof *s->causal);
	for (int c = 0; s->causal && c < s->nch; c++)
		s->cp[c] = s->causal + (size_t)c * (size_t)s->pre;
	for (int k = 0; k < 2; k++)
		s->scratch[k] = malloc(lsr_condition_scratch_len(s->cond) * sizeof *s->scratch[k]);
	bool ok = s->ep && s->noise && s->work && s->causal && s->scratch[0] && s->scratch[1] &&
	          slot_init(&s->cur, s);
	for (int i = 0; i < NHELD; i++)
		ok = ok && slot_init(&s->held[i], s);
	if (!ok) {
		snprintf(err, errlen, "signal: out of memory");
		goto fail;
	}
	s->job_at = INT64_MIN;
	s->groups = (s->nch + GROUP - 1) / GROUP;
	return s;
fail:
	lsr_signal_free(s);
	return NULL;
}

void lsr_signal_use_crew(struct lsr_signal *s, struct lsr_crew *crew)
{
	/* one group: nothing to share; not judging: nothing conditioned */
	s->crew = s->groups > 1 && s->judge ? crew : NULL;
}

uint64_t lsr_signal_rejected(const struct lsr_signal *s)
{
	return s->rejected;
}

int lsr_signal_sweep_pre(const struct lsr_signal *s)
{
	return s->pre;
}

int lsr_signal_sweep_len(const struct lsr_signal *s)
{
	return s->len;
}

enum lsr_stim_source lsr_signal_mode(const struct lsr_signal *s)
{
	return lsr_stimfind_mode(s->sf);
}

int lsr_signal_stims(const struct lsr_signal *s)
{
	if (lsr_stimfind_mode(s->sf) == LSR_STIM_SOURCE_AUTO)
		return s->emitted;
	return s->emitted + lsr_epochs_waiting(s->ep);
}

static void emit(struct lsr_signal *s, struct slot *sl)
{
	sl->tr.n = ++s->emitted;
	if (s->fn)
		s->fn(s->ctx, &sl->tr);
}

/* Samples that are not numbers (a corrupt decimal line) would poison a
 * whole filtered sweep: they count as saturated (see below) and are
 * filtered as 0. */
static void clean_input(float *x, int n)
{
	/* a select rather than a branch, so that the loop is vectorised: it
	 * runs over every stretch the mains fit and the sweeps copy */
	for (int i = 0; i < n; i++)
		x[i] = fabsf(x[i]) <= FLT_MAX ? x[i] : 0;
}

static bool saturated(const struct lsr_signal *s, const float *raw)
{
	double lim = s->full_scale > 0 ? 0.999 * s->full_scale : s->p.saturation_uv;
	for (int i = 0; i < s->len; i++) {
		if (i >= s->pre - s->lead && i < s->pre + s->blank)
			continue;
		if (!(fabsf(raw[i]) < lim))
			return true;
	}
	return false;
}

/* p2p of the windows of length n packed into x[0..len); returns how many. */
static int pack_windows(const float *x, int len, int n, double *out, int max)
{
	int k = 0;
	for (int at = 0; at + n <= len && k < max; at += n)
		out[k++] = lsr_measure_p2p(x + at, n);
	return k;
}

static double threshold(struct lsr_signal *s, int ch, enum lsr_noise_kind k)
{
	double q = lsr_noise_percentile(s->noise, ch, k, s->p.noise_pct);
	if (isnan(q))
		return NAN;
	double t = s->p.noise_factor * q;
	return t > s->p.floor_uv ? t : s->p.floor_uv;
}

static void measure_nan(struct lsr_channel_measure *m)
{
	struct lsr_window_measure w = { NAN, NAN, false, NAN, NAN };
	m->direct = w;
	m->lsr = w;
	m->late_p2p_uv = NAN;
	m->noise_uv = NAN;
	m->saturated = m->cautery = m->spasm = false;
}

/* Runs on either thread: touches only channel ch's noise distribution.
 * pre: the s->pre samples before the stimulus band-passed causally.  Its
 * zero-phase version (x[0, pre)) is not used for them: the backward pass
 * rings a millivolt LSR back into the pre-stimulus segment at several
 * times the noise, which flagged most trials of a big-LSR patient as
 * spasm once mains removal had lowered the noise they are compared with. */
static void measure_channel(struct lsr_signal *s, int ch, const float *raw, const float *pre,
                            const float *x, struct lsr_channel_measure *m)
{
	double own[MAX_OWN];
	double dt = 1000.0 / s->rate;
	m->saturated = saturated(s, raw);

	/* Swamping of the two segments that carry no response. */
	double med = lsr_noise_percentile(s->noise, ch, LSR_NOISE_DIRECT, 50);
	int tail_n = s->len - s->tail_at;
	enum lsr_swamp a = lsr_measure_swamp(lsr_measure_p2p(pre, s->pre),
	                                     lsr_measure_mean_hz(pre, s->pre, s->rate), med, s->p.floor_uv);
	enum lsr_swamp b = lsr_measure_swamp(lsr_measure_p2p(x + s->tail_at, tail_n),
	                                     lsr_measure_mean_hz(x + s->tail_at, tail_n, s->rate), med,
	                                     s->p.floor_uv);
	/* A burst only in the sweep's end after an LSR on the same channel is
	 * taken for its after-discharge (stimulus-locked), not a spasm:
	 * flagging it would invalidate exactly the trials with an LSR and
	 * leave its dropouts to count as valid absences. */
	double lsr_thr = threshold(s, ch, LSR_NOISE_LSR);
	bool lsr_seen = lsr_measure_p2p(x + s->lsr.at, s->lsr.n) > lsr_thr;
	m->cautery = a == LSR_SWAMP_CAUTERY || b == LSR_SWAMP_CAUTERY;
	m->spasm = !m->cautery && (a == LSR_SWAMP_SPASM || (b == LSR_SWAMP_SPASM && !lsr_seen));
	bool clean = !m->saturated && a == LSR_SWAMP_NONE && b == LSR_SWAMP_NONE;

	/* This sweep's own noise windows: its level, and (when clean) into
	 * the distribution before the threshold is taken. */
	int nd = pack_windows(pre, s->pre, s->direct.n, own, MAX_OWN);
	nd += pack_windows(x + s->tail_at, tail_n, s->direct.n, own + nd, MAX_OWN - nd);
	for (int i = 0; clean && i < nd; i++)
		lsr_noise_add(s->noise, ch, LSR_NOISE_DIRECT, own[i]);
	/* Only noise-only windows count for the level: a window at spasm
	 * level (an LSR's after-discharge in 60–80 ms, say) is not one, and
	 * would make the lead check see a "flat" lead once the LSR is gone.
	 * When every window is that high (a lead off, cautery), all count. */
	int nq = 0;
	double quiet[MAX_OWN];
	for (int i = 0; i < nd; i++)
		if (!(med > 0) || own[i] <= LSR_SPASM_RATIO * med)
			quiet[nq++] = own[i];
	m->noise_uv = nq > 0 ? lsr_median_inplace(quiet, nq) : lsr_median_inplace(own, nd);
	double lv[MAX_OWN];
	int nl = pack_windows(x + s->tail_at, tail_n, s->lsr.n, lv, MAX_OWN);
	for (int i = 0; clean && i < nl; i++)
		lsr_noise_add(s->noise, ch, LSR_NOISE_LSR, lv[i]);

	lsr_measure_window(x + s->direct.at, s->direct.n, (s->direct.at - s->pre) * dt, dt,
	                   threshold(s, ch, LSR_NOISE_DIRECT), s->p.floor_uv, s->quiet, &m->direct);
	lsr_measure_window(x + s->lsr.at, s->lsr.n, (s->lsr.at - s->pre) * dt, dt,
	                   threshold(s, ch, LSR_NOISE_LSR), s->p.floor_uv, s->quiet, &m->lsr);
	m->late_p2p_uv = lsr_measure_p2p(x + s->late.at, s->late.n);
}

/* Channel c's stretch s->job.fit_from… into its fit buffer; samples
 * [at, at + n) of it into the channel's conditioning buffer, the hum
 * fitted on the stretch (outside the stimuli) subtracted. */
static void remove_hum(struct lsr_signal *s, int c, int64_t at, int n)
{
	float *x = s->fitbuf + (size_t)c * (size_t)s->fit_max;
	int y_at = (int)(at - s->job.fit_from);
	memcpy(s->wp[c], x + y_at, (size_t)n * sizeof *x);
	lsr_mains_remove(s->mains, c, x, s->wp[c]);
}

/* The hum fit's preparation, item `group` (the crew's, or alone): a
 * group's channels of the stretch copied into their fit buffers and
 * judged for swamping; the item past the last group, the basis. */
static void hum_group(struct lsr_signal *s, int group)
{
	if (group == s->groups) {
		lsr_mains_basis(s->mains);
		return;
	}
	int lo = group * GROUP, hi = lo + GROUP < s->nch ? lo + GROUP : s->nch;
	const float *x[LSR_MAX_CHANNELS];
	for (int c = lo; c < hi; c++) {
		float *y = s->fitbuf + (size_t)c * (size_t)s->fit_max;
		lsr_epochs_copy(s->ep, c, s->job.fit_from, s->job.fit_n, y);
		clean_input(y, s->job.fit_n);
		x[c] = y;
	}
	lsr_mains_swamp_tv(s->mains, x, lo, hi);
}

/* Prepares the mains fit of the stretch ending at `end` (excluded), to be
 * subtracted from stream samples [sub_from, end). */
static void prepare_hum(struct lsr_signal *s, int64_t origin, int64_t sub_from, int64_t end)
{
	s->job.mains = false;
	if (!lsr_mains_on(s->mains) || !s->judge)
		return;
	int64_t seg = lsr_epochs_segment_start(s->ep);
	int64_t from = end - s->fit_max;
	if (origin - s->fit_pre > from)
		from = origin - s->fit_pre;
	if (from < seg)
		from = seg;
	int n = (int)(end - from);
	s->job.fit_from = from;
	s->job.fit_n = n;
	if (!lsr_mains_begin(s->mains, n, (int)(origin - from), s->recent, s->nrecent, from,
	                     (int)(sub_from - from), (int)(end - sub_from)))
		return;
	s->job.hum_stage = true;
	run_items(s, s->groups + 1);
	s->job.hum_stage = false;
	s->job.mains = lsr_mains_finish(s->mains, s->nch);
}

/* After a stretch's channels: the frequency steered, the hum published. */
static void hum_done(struct lsr_signal *s, bool sweep)
{
	if (!s->job.mains)
		return;
	lsr_mains_update(s->mains, sweep);
	struct lsr_signal_report *r = s->p.report;
	if (!r || !sweep)
		return;
	r->mains_hz = lsr_mains_hz(s->mains);
	for (int c = 0; c < s->nch; c++)
		r->hum_uv[c] = lsr_mains_hum_uv(s->mains, c);
}

/* Warm-up, conditioning and measures of channels [lo, hi) of the sweep
 * in s->job. */
static void sweep_group(struct lsr_signal *s, int who, int lo, int hi)
{
	struct slot *sl = s->job.sl;
	int warm = s->job.warm;
	for (int c = lo; c < hi; c++) {
		float *raw = sl->raw + (size_t)c * (size_t)s->len;
		if (c > 0) /* channel 0's was copied to see whether the ring holds the sweep */
			lsr_epochs_copy(s->ep, c, s->job.from, s->len, raw);
		if (s->job.mains) {
			remove_hum(s, c, s->job.from - warm, warm + s->len);
			continue;
		}
		lsr_epochs_copy(s->ep, c, s->job.from - warm, warm, s->wp[c]);
		memcpy(s->wp[c] + warm, raw, (size_t)s->len * sizeof(float));
		clean_input(s->wp[c], warm + s->len);
	}
	lsr_condition_sweeps(s->cond, s->scratch[who], s->wp + lo, hi - lo, warm + s->len, warm + s->pre,
	                     s->cp + lo, s->pre);
	for (int c = lo; c < hi; c++) {
		float *cond = sl->cond + (size_t)c * (size_t)s->len;
		memcpy(cond, s->wp[c] + warm, (size_t)s->len * sizeof *cond);
		if (s->judge)
			measure_channel(s, c, sl->raw + (size_t)c * (size_t)s->len, s->cp[c], cond,
			                &sl->tr.ch[c]);
		else
			measure_nan(&sl->tr.ch[c]);
	}
}

/* Cuts, conditions and measures one sweep into sl. */
static void build(struct lsr_signal *s, const struct lsr_epoch_stim *st, struct slot *sl)
{
	struct lsr_trial *tr = &sl->tr;
	tr->t = (double)st->index / s->rate;
	tr->stim_index = st->index;
	tr->origin = st->origin;
	tr->overlap = st->overlap;
	int64_t from = st->index - s->pre;
	/* Whether the ring holds the whole sweep is the same for every
	 * channel; the others' samples are copied by their groups. */
	int missing = lsr_epochs_copy(s->ep, 0, from, s->len, sl->raw);
	tr->gap = st->gap || missing > 0;
	if (tr->gap) {
		for (int c = 1; c < s->nch; c++)
			lsr_epochs_copy(s->ep, c, from, s->len, sl->raw + (size_t)c * (size_t)s->len);
		memset(sl->cond, 0, (size_t)s->nch * (size_t)s->len * sizeof *sl->cond);
		for (int c = 0; c < s->nch; c++)
			measure_nan(&tr->ch[c]);
		return;
	}
	int64_t seg = lsr_epochs_segment_start(s->ep);
	int warm = s->warm;
	if (from - warm < seg)
		warm = from - seg > 0 ? (int)(from - seg) : 0;
	s->job.kind = JOB_SWEEP;
	s->job.sl = sl;
	s->job.from = from;
	s->job.warm = warm;
	prepare_hum(s, st->index, from - warm, from + s->len);
	build_all(s);
	hum_done(s, true);
}

static void finish_ready(struct lsr_signal *s)
{
	struct lsr_epoch_stim st;
	while (lsr_epochs_ready(s->ep, &st)) {
		if (st.candidate) {
			if (s->nheld == NHELD)
				continue; /* cannot happen: the third candidate decides */
			build(s, &st, &s->held[s->nheld++]);
		} else {
			build(s, &st, &s->cur);
			emit(s, &s->cur);
		}
	}
}

static void push_job(struct lsr_signal *s, int64_t not_before)
{
	if (s->job_at < not_before)
		s->job_at = not_before;
}

static void on_found(void *ctx, enum lsr_stimfind_what what, int64_t index,
                     enum lsr_stim_origin origin)
{
	struct lsr_signal *s = ctx;
	switch (what) {
	case LSR_FOUND_TO_SYNC:
	case LSR_FOUND_DROP:
		lsr_epochs_drop_candidates(s->ep);
		s->nheld = 0;
		return;
	case LSR_FOUND_SYNC_LOST:
		if (s->p.report) {
			s->p.report->sync_lost++;
			s->p.report->sync_lost_t = (double)index / s->rate;
		}
		return;
	case LSR_FOUND_TO_ARTIFACT:
		lsr_epochs_accept_candidates(s->ep);
		for (int i = 0; i < s->nheld; i++)
			emit(s, &s->held[i]);
		s->nheld = 0;
		return;
	case LSR_FOUND_STIM:
	case LSR_FOUND_CANDIDATE:
		break;
	}
	/* Full only with trains far faster than train_ms allows: the stimulus
	 * is not queued rather than overwrite one waiting. */
	(void)lsr_epochs_add(s->ep, index, origin, what == LSR_FOUND_CANDIDATE);
	s->recent[s->recent_at] = index;
	s->recent_at = (s->recent_at + 1) % NRECENT;
	if (s->nrecent < NRECENT)
		s->nrecent++;
	s->last_found = index;
	s->have_found = true;
	if (index <= s->job_at + s->job_len)
		push_job(s, index + s->post + 1 + s->job_warm);
}

/* A stimulus-free stretch between sweeps: noise windows of both lengths. */
/* Channels [lo, hi) of the noise stretch in s->job. */
static void noise_group(struct lsr_signal *s, int who, int lo, int hi)
{
	(void)who;
	int n = s->job_warm + s->job_len;
	double lim = s->full_scale > 0 ? 0.999 * s->full_scale : s->p.saturation_uv;
	float *keep[LSR_MAX_CHANNELS] = { 0 };
	double own[MAX_OWN];
	int ch[LSR_MAX_CHANNELS], nk = 0;
	for (int c = lo; c < hi; c++) {
		float *w = s->wp[c];
		if (s->job.mains)
			remove_hum(s, c, s->job.from, n);
		else
			lsr_epochs_copy(s->ep, c, s->job.from, n, w);
		bool sat = false;
		for (int i = 0; i < n && !sat; i++)
			sat = !(fabsf(w[i]) < lim);
		if (sat)
			continue;
		keep[nk] = w;
		ch[nk++] = c;
	}
	lsr_condition_plain(s->cond, keep, nk, n);
	const struct win *win[2] = { &s->direct, &s->lsr };
	for (int j = 0; j < nk; j++) {
		int c = ch[j];
		double med = lsr_noise_percentile(s->noise, c, LSR_NOISE_DIRECT, 50);
		const float *x = keep[j] + s->job_warm;
		for (int k = 0; k < LSR_NOISE_KINDS; k++) {
			int m = pack_windows(x, s->job_len, win[k]->n, own, MAX_OWN);
			/* Cautery-level windows would make the threshold useless for
			 * the next NOISE_CAP windows; milder bursts may stay (they
			 * can only make absence harder to call). */
			for (int i = 0; i < m; i++)
				if (!(med > 0) || own[i] <= LSR_CAUTERY_RATIO * med)
					lsr_noise_add(s->noise, c, (enum lsr_noise_kind)k, own[i]);
		}
	}
}

static void noise_job(struct lsr_signal *s)
{
	int n = s->job_warm + s->job_len;
	s->job.kind = JOB_NOISE;
	s->job.from = s->job_at - s->job_warm;
	/* Whether the ring still holds the stretch is the same for every
	 * channel. */
	if (lsr_epochs_copy(s->ep, 0, s->job.from, n, s->wp[0]) > 0)
		return;
	prepare_hum(s, s->job.from + n, s->job.from, s->job.from + n);
	build_all(s);
	hum_done(s, false);
}

static void run_jobs(struct lsr_signal *s)
{
	int64_t seg = lsr_epochs_segment_start(s->ep), end = lsr_epochs_end(s->ep);
	push_job(s, seg + s->job_warm);
	if (s->have_found)
		push_job(s, s->last_found + s->post + 1 + s->job_warm);
	while (s->job_at + s->job_len <= end) {
		noise_job(s); /* skips itself when the ring no longer holds it */
		s->job_at += s->job_len + s->job_every;
	}
}

void lsr_signal_feed(struct lsr_signal *s, int64_t index, const struct lsr_block *blk)
{
	if (!blk || blk->nsamp < 1 || blk->nsamp > LSR_MAX_BLOCK || !blk->samples ||
	    blk->channels < 1 || (blk->channels > 1 && blk->stride < (size_t)blk->nsamp) || index < 0) {
		s->rejected++;
		return;
	}
	int64_t prev_end = lsr_epochs_end(s->ep);
	bool gap = lsr_epochs_put(s->ep, index, blk);
	if (gap) {
		finish_ready(s); /* sweeps cut short by the gap leave first */
		if (index < prev_end) {
			/* Back in time: schedules made on the old indices restart. */
			s->job_at = INT64_MIN;
			s->have_found = false;
		}
	}
	lsr_stimfind_scan(s->sf, index, blk, gap, on_found, s);
	finish_ready(s);
	if (s->judge)
		run_jobs(s);
}

void lsr_signal_flush(struct lsr_signal *s)
{
	lsr_epochs_clear(s->ep);
	s->nheld = 0;
}
