/* src/signal/stimfind.c — stimulus finder: sync edges, the adaptive artifact
 * detector (stimfind.h says how it decides), auto mode, a lost sync line. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simd.h"
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
	/* Samples interleaved, `lanes` floats per sample (the channels, then
	 * zeros up to a whole vector): the steps of four channels at one
	 * sample are then one load. */
	int lanes;
	float *hist;          /* the last hist_len samples, oldest first */
	float *buf;           /* hist, then the block */
	/* Per channel, in arrays so that four channels are one vector: */
	double bg[LSR_MAX_CHANNELS]; /* running median of |step| */
	double pk[LSR_MAX_CHANNELS]; /* decaying peak of the steps before the current span */
	struct chan ch[LSR_MAX_CHANNELS];
};
_Static_assert(LSR_MAX_CHANNELS % LSR_D4_LANES == 0, "channels are whole vectors");

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
	for (int c = 0; c < LSR_MAX_CHANNELS; c++)
		f->bg[c] = 1.0;
	f->lanes = (nch + LSR_D4_LANES - 1) / LSR_D4_LANES * LSR_D4_LANES;
	f->hist = calloc((size_t)f->lanes * (size_t)f->hist_len, sizeof *f->hist);
	f->buf = calloc((size_t)f->lanes * ((size_t)f->hist_len + LSR_MAX_BLOCK), sizeof *f->buf);
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
/* Channel c's sample at buffer index j. */
static inline float sample(const struct lsr_stimfind *f, int c, int j)
{
	return f->buf[(size_t)j * (size_t)f->lanes + (size_t)c];
}

static int onset_of(const struct lsr_stimfind *f, int nch, int i)
{
	int best = 0;
	float big = -1;
	for (int c = 0; c < nch; c++) {
		float d = fabsf(sample(f, c, i) - sample(f, c, i - f->span));
		if (d > big) {
			big = d;
			best = c;
		}
	}
	float ref = sample(f, best, i - f->span);
	for (int j = i - f->span + 1; j < i; j++)
		if (fabsf(sample(f, best, j) - ref) >= big / 4)
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
		f->cand.base[c] = sample(f, c, on - 1);
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

typedef long long lsr_l4 __attribute__((vector_size(LSR_D4_LANES * sizeof(long long))));

/* m ? x : y lane by lane, without a branch: the same value, bit for bit
 * (results through pointers: vector arguments and return values would
 * differ in ABI between the plain and the AVX2 copies). */
static inline __attribute__((always_inline)) void select4(lsr_d4 *out, const lsr_l4 *m,
                                                          const lsr_d4 *x, const lsr_d4 *y)
{
	*out = (lsr_d4)(((lsr_l4)*x & *m) | ((lsr_l4)*y & ~*m));
}

static inline __attribute__((always_inline)) void abs4(lsr_d4 *out, const lsr_d4 *x)
{
	const lsr_l4 magnitude = { INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX };
	*out = (lsr_d4)((lsr_l4)*x & magnitude);
}

/* Channels c … c + 3 at buffer index j. */
static inline __attribute__((always_inline)) void at4(lsr_d4 *out, const struct lsr_stimfind *f,
                                                      int c, int j)
{
	lsr_d4_from_floats(out, f->buf + (size_t)j * (size_t)f->lanes + (size_t)c);
}

/* The steps ending at buffer index j on every channel (d), how many
 * could be an artifact's (at least `look`: the cheap first look), and
 * the background and recent peak moved on, their values before this
 * sample kept for the decision (bg, pk).  Four channels are one vector,
 * each lane the scalar arithmetic of its channel: the finder runs over
 * every sample of every channel, and one channel at a time it was the
 * largest share of a replay's loop thread. */
static inline __attribute__((always_inline)) int
steps(struct lsr_stimfind *f, int j, double look, double *d, double *bg, double *pk)
{
	int s = f->span, big = 0;
	const lsr_d4 up = { f->bg_up, f->bg_up, f->bg_up, f->bg_up };
	const lsr_d4 down = { f->bg_down, f->bg_down, f->bg_down, f->bg_down };
	const lsr_d4 decay = { f->pk_decay, f->pk_decay, f->pk_decay, f->pk_decay };
	const lsr_d4 least = { BG_MIN_UV, BG_MIN_UV, BG_MIN_UV, BG_MIN_UV };
	const lsr_d4 lookv = { look, look, look, look };
	for (int c = 0; c < f->lanes; c += LSR_D4_LANES) {
		lsr_d4 now, one, two, a, b, k, nb, nk, before, kd, up_b, down_b;
		at4(&now, f, c, j);
		at4(&one, f, c, j - s);
		at4(&two, f, c, j - 2 * s);
		lsr_d4 dv = now - one, back = one - two;
		abs4(&a, &dv);
		lsr_d4_load(&b, f->bg + c);
		lsr_d4_load(&k, f->pk + c);
		memcpy(d + c, &dv, sizeof dv);
		memcpy(bg + c, &b, sizeof b);
		memcpy(pk + c, &k, sizeof k);
		lsr_l4 hit = (lsr_l4)(a >= lookv), rise = (lsr_l4)(a > b), low, more;
		big -= (int)(hit[0] + hit[1] + hit[2] + hit[3]);
		up_b = b * up;
		down_b = b * down;
		select4(&nb, &rise, &up_b, &down_b);
		low = (lsr_l4)(nb < least);
		select4(&nb, &low, &least, &nb);
		abs4(&before, &back);
		kd = k * decay;
		more = (lsr_l4)(before > kd);
		select4(&nk, &more, &before, &kd);
		memcpy(f->bg + c, &nb, sizeof nb);
		memcpy(f->pk + c, &nk, sizeof nk);
	}
	return big;
}

/* The block's samples, buffer indices h … h + n − 1 (see below). */
static inline __attribute__((always_inline)) void
scan_body(struct lsr_stimfind *f, int64_t index, const struct lsr_block *blk, int nch, int need,
          lsr_stimfind_fn fn, void *ctx)
{
	int n = blk->nsamp, h = f->hist_len, s = f->span;
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
		int big = steps(f, j, look, d, bg, pk);
		if (f->cand.on) {
			if (at <= f->cand.at + f->confirm) {
				check_candidate(f, d, nch, need, at);
			} else {
				int held = 0;
				for (int c = 0; c < nch; c++) {
					double lv = sample(f, c, j) - f->cand.base[c];
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
}

LSR_TARGET_AVX2 static void scan_avx2(struct lsr_stimfind *f, int64_t index,
                                      const struct lsr_block *blk, int nch, int need,
                                      lsr_stimfind_fn fn, void *ctx)
{
	scan_body(f, index, blk, nch, need, fn, ctx);
}

static void scan_plain(struct lsr_stimfind *f, int64_t index, const struct lsr_block *blk,
                       int nch, int need, lsr_stimfind_fn fn, void *ctx)
{
	scan_body(f, index, blk, nch, need, fn, ctx);
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
	int n = blk->nsamp, h = f->hist_len;
	size_t lanes = (size_t)f->lanes;
	memcpy(f->buf, f->hist, (size_t)h * lanes * sizeof *f->buf);
	/* The block interleaved; lanes past nch stay zero (a zero lane's step
	 * never reaches the first look, and d, bg, pk past nch are read by
	 * nothing). */
	float *to = f->buf + (size_t)h * lanes;
	for (int c = nch; c < f->lanes; c++)
		for (int i = -h; i < n; i++)
			to[(ptrdiff_t)i * (ptrdiff_t)lanes + c] = 0;
	/* a sample of every channel at a time: the writes run on in order,
	 * the reads are nch streams in order */
	const float *from[LSR_MAX_CHANNELS];
	for (int c = 0; c < nch; c++)
		from[c] = blk->samples + (size_t)c * blk->stride;
	for (int i = 0; i < n; i++, to += lanes)
		for (int c = 0; c < nch; c++)
			to[c] = from[c][i];
	if (lsr_cpu_has_avx2())
		scan_avx2(f, index, blk, nch, need, fn, ctx);
	else
		scan_plain(f, index, blk, nch, need, fn, ctx);
	/* Keep the last h samples (of the block, then older history). */
	memcpy(f->hist, f->buf + (size_t)n * lanes, (size_t)h * lanes * sizeof *f->hist);
	f->hist_n = f->hist_n + n > h ? h : f->hist_n + n;
}
