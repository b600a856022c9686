/* src/judge/detector.c — the signal core as one object: the signal path's trials
 * go to the judge.  Pure glue: no I/O, nothing allocated per sample. */
#include <stdio.h>
#include <stdlib.h>

#include "crew.h"
#include "detector.h"
#include "judge.h"
#include "signal_path.h"

struct lsr_detector {
	struct lsr_params params;
	const struct lsr_sink *out;
	struct lsr_signal *sig;
	struct lsr_judge *judge;
	struct lsr_crew *crew; /* the signal path's and the judge's helper */
};

static void on_trial(void *ctx, const struct lsr_trial *trial)
{
	struct lsr_detector *d = ctx;
	lsr_judge_trial(d->judge, trial);
}

/* A new signal path for every configuration; the judge keeps the case
 * (marks, ids, phase, history) across segments and decides itself what of
 * the baselines still holds. */
static int configure(struct lsr_detector *d, const struct lsr_stream_config *cfg,
                     const enum lsr_role *roles, char *err, size_t errlen)
{
	struct lsr_signal *sig = lsr_signal_new(&d->params, cfg, on_trial, d, err, errlen);
	if (!sig)
		return -1;
	bool judging = cfg->rate >= d->params.min_rate_hz;
	if (!d->judge) {
		const char *labels[LSR_MAX_CHANNELS];
		for (int c = 0; c < cfg->channels; c++)
			labels[c] = cfg->labels[c];
		d->judge = lsr_judge_new(&d->params, cfg->rate, cfg->channels, roles, labels, judging, d->out);
		if (!d->judge) {
			snprintf(err, errlen, "out of memory");
			lsr_signal_free(sig);
			return -1;
		}
	} else if (lsr_judge_segment(d->judge, cfg->rate, cfg->channels, roles, judging) < 0) {
		snprintf(err, errlen, "%d channels: more than %d", cfg->channels, LSR_MAX_CHANNELS);
		lsr_signal_free(sig);
		return -1;
	}
	lsr_signal_use_crew(sig, d->crew);
	lsr_judge_use_crew(d->judge, d->crew);
	lsr_signal_free(d->sig);
	d->sig = sig;
	return 0;
}

struct lsr_detector *lsr_detector_new(const struct lsr_params *p,
                                      const struct lsr_stream_config *cfg,
                                      const enum lsr_role *roles,
                                      const struct lsr_sink *out,
                                      char *err, size_t errlen)
{
	struct lsr_detector *d = calloc(1, sizeof *d);
	if (!d) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	d->params = *p;
	d->out = out;
	d->crew = lsr_crew_new(); /* NULL: one CPU, or no thread; the work is done alone */
	if (configure(d, cfg, roles, err, errlen) < 0) {
		lsr_detector_free(d);
		return NULL;
	}
	return d;
}

void lsr_detector_free(struct lsr_detector *d)
{
	if (!d)
		return;
	lsr_signal_free(d->sig);
	lsr_judge_free(d->judge);
	lsr_crew_free(d->crew);
	free(d);
}

int lsr_detector_segment(struct lsr_detector *d, const struct lsr_stream_config *cfg,
                         const enum lsr_role *roles, char *err, size_t errlen)
{
	return configure(d, cfg, roles, err, errlen);
}

void lsr_detector_feed(struct lsr_detector *d, int64_t index, const struct lsr_block *blk, int rate)
{
	lsr_signal_feed(d->sig, index, blk);
	lsr_judge_time(d->judge, (double)(index + blk->nsamp) / rate);
}

void lsr_detector_time(struct lsr_detector *d, double t) { lsr_judge_time(d->judge, t); }

int lsr_detector_mark(struct lsr_detector *d, double t, const char *label,
                      enum lsr_mark_origin origin)
{
	return lsr_judge_mark(d->judge, t, label, origin);
}

void lsr_detector_set_role(struct lsr_detector *d, int ch, enum lsr_role role)
{
	lsr_judge_set_role(d->judge, ch, role);
}

void lsr_detector_flush(struct lsr_detector *d) { lsr_signal_flush(d->sig); }

void lsr_detector_final(const struct lsr_detector *d, enum lsr_final *final,
                        enum lsr_phase *phase, int *stims)
{
	lsr_judge_final(d->judge, final, phase, stims);
}

int lsr_detector_warnings(const struct lsr_detector *d, const char **w, int max)
{
	return lsr_judge_warnings(d->judge, w, max);
}

void lsr_detector_view(const struct lsr_detector *d, struct lsr_judge_view *v)
{
	lsr_judge_view(d->judge, v);
}
