/* src/signal/stimfind.c — stimulus finder: sync edges, the adaptive artifact
 * detector (stimfind.h says how it decides), auto mode, a lost sync line. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stimfind.h"

#define AUTO_SWITCH_AFTER 3
#define BG_RATE_PER_MS 1.5 /* the background median moves e^1.5 per ms at most */
#define BG_MIN_UV 0.01
#define LEARN_RATE 0.1     /* the learned size follows accepted steps this fast */
/* A step is a stimulus only once the CONFIRM_MS after it are not swamped:
 * from CONFIRM_SKIP_MS on (past the pulse's end) no step on most channels
 * of CONFIRM_REJECT × its own size.  The onset of cautery is such a
 * step on every lead; an artifact's tail decays smoothly. */
#define CONFIRM_MS 3.0
#define CONFIRM_SKIP_MS 1.0
#define CONFIRM_REJECT 0.5
/* … and by then the pulse is over: a level still CONFIRM_STEP × the step
 * from where it started, on most channels, is a DC step (the offset
 * cautery leaves), not a pulse with its tail. */
#define CONFIRM_STEP 0.85

enum cand_kind { CAND_ACCEPT, CAND_LEARN, CAND_RIVAL };

struct chan {
	double bg;        /* running median of |step| */
	double pk;        /* decaying peak of the steps before the current span */
	double art;       /* learned signed step; 0 = none on this channel */
	double rival;     /* a confident step that disagrees with art */
};

struct lsr_stimfind {
	enum lsr_stim_source mode;
	bool auto_origin;     /* started in auto: may switch either way */
	int nch, need;        /* channels, how many must step at once */
	int span;             /* a step is x[i] − x[i − span] */
	int hist_len;         /* 2 × span samples kept between blocks */
	int64_t train;        /* samples: edges closer are one stimulus */
	int64_t refractory;   /* samples after an artifact without another */
	int64_t agree;        /* samples between an artifact and its edge */
	double bg_up, bg_down, pk_decay;
	bool have_mark;       /* prev_mark is the mark of the sample before */
	bool prev_mark;
	int64_t last_edge;    /* last rising edge seen (any of a train) */
	int64_t train_edge;   /* the first edge of the latest train: the stimulus */
	bool have_edge;
	int64_t last_art;
	bool have_art;
	bool learned;
	int rivals;           /* confident steps in a row agreeing with rival */
	int64_t last_rival;
	int candidates;       /* auto, undecided: artifacts so far */
	/* Sync in force: an artifact waiting for its edge, and how many in a
	 * row had none. */
	bool pending;
	int64_t pend_at;
	int unpaired;
	int64_t first_unpaired;
	bool lost_said;
	int64_t confirm, confirm_skip;
	struct {               /* a step waiting for its confirmation */
		bool on;
		enum cand_kind kind;
		int64_t at;        /* its onset */
		double d[LSR_MAX_CHANNELS];
		double base[LSR_MAX_CHANNELS]; /* the level before it */
	} cand;
	int hist_n;           /* valid samples in hist (up to hist_len) */
	float *hist;          /* last hist_len samples per channel, oldest first */
	float *buf;           /* per channel: hist then the block */
	size_t buf_stride;
	struct chan ch[LSR_MAX_CHANNELS];
};

struct lsr_stimfind *lsr_stimfind_new(const struct lsr_params *p, int rate,
                                      int nch, char *err, size_t errlen)
{
	if (rate <= 0 || nch < 1 || nch > LSR_MAX_CHANNELS) {
		snprintf(err, errlen, "stimulus finder: bad stream (rate %d, %d channels)", rate, nch);
		return NULL;
	}
	struct lsr_stimfind *f = calloc(1, sizeof *f);
	if (!f) {
		snprintf(err, errlen, "stimulus finder: out of memory");
		return NULL;
	}
	f->mode = p->stim_source;
	f->auto_origin = p->stim_source == LSR_STIM_SOURCE_AUTO;
	f->nch = nch;
	f->need = nch <= 3 ? nch : (3 * nch + 3) / 4;
	f->span = (int)lround(LSR_ART_RISE_MS * rate / 1000.0);
	if (f->span < 1)
		f->span = 1;
	f->hist_len = 2 * f->span;
	f->train = (int64_t)ceil(p->train_ms * rate / 1000.0);
	f->refractory = f->train;
	f->agree = (int64_t)lround(LSR_ART_AGREE_MS * rate / 1000.0);
	if (f->agree < 1)
		f->agree = 1;
	f->confirm = (int64_t)lround(CONFIRM_MS * rate / 1000.0);
	f->confirm_skip = (int64_t)lround(CONFIRM_SKIP_MS * rate / 1000.0);
	double lam = BG_RATE_PER_MS * 1000.0 / rate;
	f->bg_up = exp(lam);
	f->bg_down = exp(-lam);
	f->pk_decay = exp(-1000.0 / (LSR_ART_QUIET_MS * rate));
	for (int c = 0; c < nch; c++)
		f->ch[c].bg = 1.0;
	f->buf_stride = (size_t)f->hist_len + LSR_MAX_BLOCK;
	f->hist = calloc((size_t)nch * (size_t)f->hist_len, sizeof *f->hist);
	f->buf = calloc((size_t)nch * f->buf_stride, sizeof *f->buf);
	if (!f->hist || !f->buf) {
		lsr_stimfind_free(f);
		snprintf(err, errlen, "stimulus finder: out of memory");
		return NULL;
	}
	return f;
}

void lsr_stimfind_free(struct lsr_stimfind *f)
{
	if (!f)
		return;
	free(f->hist);
	free(f->buf);
	free(f);
}

enum lsr_stim_source lsr_stimfind_mode(const struct lsr_stimfind *f)
{
	return f->mode;
}

double lsr_stimfind_artifact_uv(const struct lsr_stimfind *f, int c)
{
	if (c < 0 || c >= f->nch || !f->learned || f->ch[c].art == 0)
		return NAN;
	return f->ch[c].art;
}

static void sync_edge(struct lsr_stimfind *f, int64_t i, lsr_stimfind_fn fn, void *ctx)
{
	bool same_train = f->have_edge && i - f->last_edge < f->train;
	f->last_edge = i;
	f->have_edge = true;
	if (same_train)
		return;
	f->train_edge = i;
	/* The artifact that came first was this edge's: paired. */
	if (f->pending && i - f->pend_at <= f->agree)
		f->pending = false;
	if (f->mode == LSR_STIM_SOURCE_ARTIFACT && !f->auto_origin)
		return;
	if (f->mode == LSR_STIM_SOURCE_SYNC && f->unpaired > 0 && f->auto_origin)
		fn(ctx, LSR_FOUND_DROP, i, LSR_STIM_SYNC);
	f->unpaired = 0;
	f->lost_said = false;
	if (f->mode != LSR_STIM_SOURCE_SYNC) {
		/* Auto: the sync line (first, or back after it was lost). */
		f->mode = LSR_STIM_SOURCE_SYNC;
		f->candidates = 0;
		f->pending = false;
		fn(ctx, LSR_FOUND_TO_SYNC, i, LSR_STIM_SYNC);
		/* The artifact of this very stimulus, found first, is this
		 * stimulus: it is not a second one. */
	}
	fn(ctx, LSR_FOUND_STIM, i, LSR_STIM_SYNC);
}

/* Sync in force: an artifact that found no edge within f->agree. */
static void unpaired(struct lsr_stimfind *f, int64_t i, lsr_stimfind_fn fn, void *ctx)
{
	if (f->unpaired++ == 0)
		f->first_unpaired = i;
	if (f->auto_origin)
		fn(ctx, LSR_FOUND_CANDIDATE, i, LSR_STIM_ARTIFACT);
	if (f->unpaired < LSR_ART_SYNC_LOST || f->lost_said)
		return;
	f->lost_said = true;
	fn(ctx, LSR_FOUND_SYNC_LOST, f->first_unpaired, LSR_STIM_ARTIFACT);
	if (f->auto_origin) {
		f->mode = LSR_STIM_SOURCE_ARTIFACT;
		f->unpaired = 0;
		fn(ctx, LSR_FOUND_TO_ARTIFACT, i, LSR_STIM_ARTIFACT);
	}
}

static void artifact(struct lsr_stimfind *f, int64_t i, lsr_stimfind_fn fn, void *ctx)
{
	f->last_art = i;
	f->have_art = true;
	switch (f->mode) {
	case LSR_STIM_SOURCE_ARTIFACT:
		fn(ctx, LSR_FOUND_STIM, i, LSR_STIM_ARTIFACT);
		return;
	case LSR_STIM_SOURCE_SYNC:
		if (f->have_edge && llabs(i - f->train_edge) <= f->agree) {
			f->unpaired = 0;
			return;
		}
		f->pending = true;
		f->pend_at = i;
		return;
	case LSR_STIM_SOURCE_AUTO:
		break;
	}
	fn(ctx, LSR_FOUND_CANDIDATE, i, LSR_STIM_ARTIFACT);
	if (++f->candidates >= AUTO_SWITCH_AFTER) {
		f->mode = LSR_STIM_SOURCE_ARTIFACT;
		fn(ctx, LSR_FOUND_TO_ARTIFACT, i, LSR_STIM_ARTIFACT);
	}
}

/* The step was seen at i (an index into the channel buffers) over the
 * span before it; the pulse began where the steepest channel first moved
 * a quarter of its step away from its level a span earlier (a
 * band-limited pulse takes a few samples). */
static int onset_of(const struct lsr_stimfind *f, int nch, int i)
{
	int best = 0;
	float big = -1;
	for (int c = 0; c < nch; c++) {
		const float *x = f->buf + (size_t)c * f->buf_stride;
		float d = fabsf(x[i] - x[i - f->span]);
		if (d > big) {
			big = d;
			best = c;
		}
	}
	const float *x = f->buf + (size_t)best * f->buf_stride;
	float ref = x[i - f->span];
	for (int j = i - f->span + 1; j < i; j++)
		if (fabsf(x[j] - ref) >= big / 4)
			return j;
	return i;
}

/* A confident step d: far above the background bg and out of a quiet
 * stretch (pk, the steps before it). */
static bool confident(double bg, double pk, double d)
{
	double a = fabs(d);
	return a >= LSR_ART_MIN_UV && a >= LSR_ART_CONF * bg && pk < LSR_ART_QUIET * a;
}

/* d is of ref's polarity and size. */
static bool matches(double d, double ref)
{
	if (ref == 0 || (d > 0) != (ref > 0))
		return false;
	double r = d / ref;
	return r >= LSR_ART_BAND_LO && r <= LSR_ART_BAND_HI;
}

/* yes ? x : y without a branch (the compiler turns a plain ?: on doubles
 * back into one): the same value, bit for bit. */
static inline double pick(bool yes, double x, double y)
{
	uint64_t a, b, m = -(uint64_t)yes;
	memcpy(&a, &x, sizeof a);
	memcpy(&b, &y, sizeof b);
	a = (a & m) | (b & ~m);
	memcpy(&x, &a, sizeof x);
	return x;
}

/* Decides on the steps d[c] ending at buffer index i (stream index at),
 * against each channel's background bg[c] and recent peak pk[c] before
 * that sample: a candidate, confirmed or dropped CONFIRM_MS later. */
static void decide(struct lsr_stimfind *f, const double *d, const double *bg, const double *pk,
                   int nch, int need, int i, int64_t at)
{
	int hits = 0, conf = 0;
	for (int c = 0; c < nch; c++) {
		const struct chan *k = &f->ch[c];
		if (f->learned && matches(d[c], k->art) && fabs(d[c]) >= LSR_ART_BACKGROUND * bg[c])
			hits++;
		if (confident(bg[c], pk[c], d[c]))
			conf++;
	}
	enum cand_kind kind;
	if (f->learned && hits >= need)
		kind = CAND_ACCEPT;
	else if (conf < need)
		return;
	else if (!f->learned)
		kind = CAND_LEARN;
	else if (f->rivals > 0 && at - f->last_rival < f->refractory)
		return;
	else
		kind = CAND_RIVAL;
	f->cand.on = true;
	f->cand.kind = kind;
	int on = onset_of(f, nch, i);
	f->cand.at = at - i + on;
	for (int c = 0; c < nch; c++) {
		f->cand.d[c] = kind == CAND_ACCEPT || confident(bg[c], pk[c], d[c]) ? d[c] : 0;
		f->cand.base[c] = f->buf[(size_t)c * f->buf_stride + (size_t)(on - 1)];
	}
}

/* While a candidate waits: swamped after its pulse, it was no artifact. */
static void check_candidate(struct lsr_stimfind *f, const double *d, int nch, int need, int64_t at)
{
	if (at < f->cand.at + f->confirm_skip)
		return;
	int big = 0;
	for (int c = 0; c < nch; c++)
		big += fabs(d[c]) > CONFIRM_REJECT * fabs(f->cand.d[c]) && f->cand.d[c] != 0;
	if (big >= need)
		f->cand.on = false;
}

static void confirmed(struct lsr_stimfind *f, int nch, int need, lsr_stimfind_fn fn, void *ctx)
{
	const double *d = f->cand.d;
	int64_t at = f->cand.at;
	f->cand.on = false;
	switch (f->cand.kind) {
	case CAND_ACCEPT:
		for (int c = 0; c < nch; c++)
			if (matches(d[c], f->ch[c].art))
				f->ch[c].art += LEARN_RATE * (d[c] - f->ch[c].art);
		f->rivals = 0;
		artifact(f, at, fn, ctx);
		return;
	case CAND_LEARN:
		for (int c = 0; c < nch; c++)
			f->ch[c].art = d[c];
		f->learned = true;
		f->rivals = 0;
		artifact(f, at, fn, ctx);
		return;
	case CAND_RIVAL:
		break;
	}
	/* Confident but not what was learned. */
	int agree = 0;
	for (int c = 0; c < nch; c++)
		agree += matches(d[c], f->ch[c].rival);
	if (f->rivals > 0 && agree >= need) {
		f->rivals++;
		for (int c = 0; c < nch; c++)
			f->ch[c].rival = (f->ch[c].rival + d[c]) / 2;
	} else {
		f->rivals = 1;
		for (int c = 0; c < nch; c++)
			f->ch[c].rival = d[c];
	}
	f->last_rival = at;
	if (f->rivals < AUTO_SWITCH_AFTER)
		return;
	/* What was learned was not this patient's artifact. */
	for (int c = 0; c < nch; c++)
		f->ch[c].art = f->ch[c].rival;
	f->rivals = 0;
	if (f->mode == LSR_STIM_SOURCE_AUTO && f->candidates > 0) {
		f->candidates = 0;
		fn(ctx, LSR_FOUND_DROP, at, LSR_STIM_ARTIFACT);
	}
}

void lsr_stimfind_scan(struct lsr_stimfind *f, int64_t index,
                       const struct lsr_block *blk, bool after_gap,
                       lsr_stimfind_fn fn, void *ctx)
{
	if (after_gap) {
		f->have_mark = false;
		f->hist_n = 0;
		f->pending = false;
		/* The stream went back (a device restart): what came before
		 * cannot merge with or shadow what comes now. */
		if (f->have_edge && index <= f->last_edge)
			f->have_edge = false;
		if (f->have_art && index <= f->last_art)
			f->have_art = false;
		if (f->rivals > 0 && index <= f->last_rival)
			f->rivals = 0;
		f->cand.on = false;
	}
	int nch = blk->channels < f->nch ? blk->channels : f->nch;
	int need = f->need > nch ? nch : f->need;
	int n = blk->nsamp, h = f->hist_len, s = f->span;
	for (int c = 0; c < nch; c++) {
		float *x = f->buf + (size_t)c * f->buf_stride;
		memcpy(x, f->hist + (size_t)c * (size_t)h, (size_t)h * sizeof *x);
		memcpy(x + h, blk->samples + (size_t)c * blk->stride, (size_t)n * sizeof *x);
	}
	/* Buffer index j = h + i holds block sample i; the step at j needs
	 * j − 2s (the step before it) to be a real sample. */
	int first = h - f->hist_n;
	double d[LSR_MAX_CHANNELS], bg[LSR_MAX_CHANNELS], pk[LSR_MAX_CHANNELS];
	const double look = LSR_ART_BAND_LO * LSR_ART_MIN_UV * 0.5;
	for (int i = 0; i < n; i++) {
		int64_t at = index + i;
		bool m = blk->marks && (blk->marks[i] & LSR_MARK_STIM);
		if (m && f->have_mark && !f->prev_mark)
			sync_edge(f, at, fn, ctx);
		f->prev_mark = m;
		f->have_mark = true;
		if (f->pending && at - f->pend_at > f->agree) {
			f->pending = false;
			if (f->mode == LSR_STIM_SOURCE_SYNC)
				unpaired(f, f->pend_at, fn, ctx);
		}
		int j = h + i;
		if (j - 2 * s < first || need < 1)
			continue;
		/* In one pass over the channels: the steps, how many could be
		 * an artifact's (the cheap first look: the smallest size
		 * anything could be accepted at), and the background and
		 * recent peak moved on — their values before this sample
		 * kept for the decision. */
		int big = 0;
		for (int c = 0; c < nch; c++) {
			struct chan *k = &f->ch[c];
			const float *x = f->buf + (size_t)c * f->buf_stride;
			d[c] = (double)x[j] - x[j - s];
			double a = fabs(d[c]);
			big += a >= look;
			bg[c] = k->bg;
			pk[c] = k->pk;
			/* Both products, then a select: the median tracker's
			 * comparison goes either way half the time, and as a
			 * branch it was mispredicted on every other sample of
			 * every channel (most of the finder's time). */
			k->bg = pick(a > k->bg, k->bg * f->bg_up, k->bg * f->bg_down);
			if (k->bg < BG_MIN_UV)
				k->bg = BG_MIN_UV;
			double before = fabs((double)x[j - s] - x[j - 2 * s]);
			k->pk = before > k->pk * f->pk_decay ? before : k->pk * f->pk_decay;
		}
		if (f->cand.on) {
			if (at <= f->cand.at + f->confirm) {
				check_candidate(f, d, nch, need, at);
			} else {
				int held = 0;
				for (int c = 0; c < nch; c++) {
					double lv = f->buf[(size_t)c * f->buf_stride + (size_t)j] - f->cand.base[c];
					held += f->cand.d[c] != 0 && lv / f->cand.d[c] >= CONFIRM_STEP;
				}
				if (held >= need)
					f->cand.on = false;
				else
					confirmed(f, nch, need, fn, ctx);
			}
		}
		bool quiet = f->cand.on || (f->have_art && at - f->last_art < f->refractory);
		if (!quiet && big >= need)
			decide(f, d, bg, pk, nch, need, j, at);
	}
	/* Keep the last h samples (of the block, then older history). */
	for (int c = 0; c < nch; c++) {
		const float *x = f->buf + (size_t)c * f->buf_stride;
		memcpy(f->hist + (size_t)c * (size_t)h, x + n, (size_t)h * sizeof *x);
	}
	f->hist_n = f->hist_n + n > h ? h : f->hist_n + n;
}
