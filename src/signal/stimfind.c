/* src/signal/stimfind.c — stimulus finder: sync edges, artifact detector, auto mode. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "stimfind.h"

#define AUTO_SWITCH_AFTER 3

struct lsr_stimfind {
	enum lsr_stim_source mode;
	int nch, need;        /* channels, how many must step at once */
	int span;             /* artifact step measured over this many samples */
	int64_t train;        /* samples: edges closer are one stimulus */
	int64_t refractory;   /* samples after an artifact without another */
	bool have_mark;       /* prev_mark is the mark of the sample before */
	bool prev_mark;
	int64_t last_edge;    /* last rising edge seen (any of a train) */
	bool have_edge;
	int64_t last_art;
	bool have_art;
	int candidates;       /* auto, undecided: artifacts so far */
	int hist_n;           /* valid samples in hist (up to span) */
	float *hist;          /* last `span` samples per channel, oldest first */
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
	f->nch = nch;
	f->need = nch <= 3 ? nch : (3 * nch + 3) / 4;
	f->span = (int)lround(LSR_ART_SPAN_MS * rate / 1000.0);
	if (f->span < 1)
		f->span = 1;
	f->train = (int64_t)ceil(p->train_ms * rate / 1000.0);
	f->refractory = f->train;
	f->hist = calloc((size_t)nch * (size_t)f->span, sizeof *f->hist);
	if (!f->hist) {
		free(f);
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
	free(f);
}

enum lsr_stim_source lsr_stimfind_mode(const struct lsr_stimfind *f)
{
	return f->mode;
}

static void sync_edge(struct lsr_stimfind *f, int64_t i, lsr_stimfind_fn fn, void *ctx)
{
	bool same_train = f->have_edge && i - f->last_edge < f->train;
	f->last_edge = i;
	f->have_edge = true;
	if (same_train || f->mode == LSR_STIM_SOURCE_ARTIFACT)
		return;
	if (f->mode == LSR_STIM_SOURCE_AUTO) {
		f->mode = LSR_STIM_SOURCE_SYNC;
		f->candidates = 0;
		fn(ctx, LSR_FOUND_TO_SYNC, i, LSR_STIM_SYNC);
	}
	fn(ctx, LSR_FOUND_STIM, i, LSR_STIM_SYNC);
}

static void artifact(struct lsr_stimfind *f, int64_t i, lsr_stimfind_fn fn, void *ctx)
{
	if (f->have_art && i - f->last_art < f->refractory)
		return;
	f->last_art = i;
	f->have_art = true;
	if (f->mode == LSR_STIM_SOURCE_ARTIFACT) {
		fn(ctx, LSR_FOUND_STIM, i, LSR_STIM_ARTIFACT);
		return;
	}
	fn(ctx, LSR_FOUND_CANDIDATE, i, LSR_STIM_ARTIFACT);
	if (++f->candidates >= AUTO_SWITCH_AFTER) {
		f->mode = LSR_STIM_SOURCE_ARTIFACT;
		fn(ctx, LSR_FOUND_TO_ARTIFACT, i, LSR_STIM_ARTIFACT);
	}
}

/* Sample i of channel c, i >= -span: from the block or the history. */
static float sample_at(const struct lsr_stimfind *f, const struct lsr_block *blk, int c, int i)
{
	if (i >= 0)
		return blk->samples[(size_t)c * blk->stride + (size_t)i];
	return f->hist[(size_t)c * (size_t)f->span + (size_t)(f->span + i)];
}

/* The step was seen at i over the span before it; the pulse began where
 * the steepest channel first moved a quarter of the threshold away from
 * its level a span earlier (a band-limited pulse takes a few samples). */
static int onset_of(const struct lsr_stimfind *f, const struct lsr_block *blk, int nch, int i)
{
	int best = 0;
	float big = -1;
	for (int c = 0; c < nch; c++) {
		float d = fabsf(sample_at(f, blk, c, i) - sample_at(f, blk, c, i - f->span));
		if (d > big) {
			big = d;
			best = c;
		}
	}
	float ref = sample_at(f, blk, best, i - f->span);
	for (int j = i - f->span + 1; j < i; j++)
		if (fabsf(sample_at(f, blk, best, j) - ref) >= LSR_ART_STEP_UV / 4)
			return j;
	return i;
}

/* True when most channels step by LSR_ART_STEP_UV over the span ending at i. */
static bool steps_at(const struct lsr_stimfind *f, const struct lsr_block *blk, int nch, int need, int i)
{
	int hits = 0;
	for (int c = 0; c < nch && hits + (nch - c) >= need; c++) {
		float d = sample_at(f, blk, c, i) - sample_at(f, blk, c, i - f->span);
		if (fabsf(d) >= LSR_ART_STEP_UV)
			hits++;
	}
	return hits >= need;
}

/* Keeps the last span samples (of the block, then older history). */
static void keep_history(struct lsr_stimfind *f, const struct lsr_block *blk, int nch)
{
	int n = blk->nsamp;
	for (int c = 0; c < nch; c++) {
		float *h = f->hist + (size_t)c * (size_t)f->span;
		for (int k = 0; k < f->span; k++) {
			int j = n - f->span + k;
			h[k] = j >= 0 ? blk->samples[(size_t)c * blk->stride + (size_t)j] : h[k + n];
		}
	}
	f->hist_n = f->hist_n + n > f->span ? f->span : f->hist_n + n;
}

void lsr_stimfind_scan(struct lsr_stimfind *f, int64_t index,
                       const struct lsr_block *blk, bool after_gap,
                       lsr_stimfind_fn fn, void *ctx)
{
	if (after_gap) {
		f->have_mark = false;
		f->hist_n = 0;
		/* The stream went back (a device restart): what came before
		 * cannot merge with or shadow what comes now. */
		if (f->have_edge && index <= f->last_edge)
			f->have_edge = false;
		if (f->have_art && index <= f->last_art)
			f->have_art = false;
	}
	int nch = blk->channels < f->nch ? blk->channels : f->nch;
	int need = f->need > nch ? nch : f->need;
	/* Samples whose span reaches before the first usable one are skipped. */
	int first_art = f->hist_n >= f->span ? 0 : f->span - f->hist_n;
	for (int i = 0; i < blk->nsamp; i++) {
		bool m = blk->marks && (blk->marks[i] & LSR_MARK_STIM);
		if (m && f->have_mark && !f->prev_mark)
			sync_edge(f, index + i, fn, ctx);
		f->prev_mark = m;
		f->have_mark = true;
		if (f->mode != LSR_STIM_SOURCE_SYNC && i >= first_art && need > 0 &&
		    steps_at(f, blk, nch, need, i))
			artifact(f, index + onset_of(f, blk, nch, i), fn, ctx);
	}
	if (f->mode != LSR_STIM_SOURCE_SYNC)
		keep_history(f, blk, nch);
}
