/* src/source/source_gen.c — drives a generator driver (the simulated patient) at a
 * replay speed on its own sample clock: no fd, only timers. */
#include <stdio.h>
#include <stdlib.h>

#include "pace.h"
#include "source_gen.h"

struct gen {
	struct lsr_source src;
	const struct lsr_driver *drv;
	void *st;
	struct lsr_pace pace;
	bool paused;
	int rate;                   /* 0 until the generator's first config */
	uint64_t delivered;         /* device samples produced so far */
	const struct lsr_source_sink *outer;
	struct lsr_source_sink inner;
};

/* The generator's config passes through; we only learn the rate. */
static void on_config(void *ctx, const struct lsr_stream_config *cfg, enum lsr_segment_reason why)
{
	struct gen *g = ctx;
	g->rate = cfg->rate;
	g->outer->config(g->outer->ctx, cfg, why);
}

static void on_block(void *ctx, const struct lsr_block *blk)
{
	struct gen *g = ctx;
	g->outer->block(g->outer->ctx, blk);
}

static void on_label(void *ctx, uint64_t index, const char *label)
{
	struct gen *g = ctx;
	if (g->outer->label)
		g->outer->label(g->outer->ctx, index, label);
}

static const char *driver_name(void *st) { return ((struct gen *)st)->drv->name; }
static int poll_fd(void *st) { (void)st; return -1; }

static int pump(void *st, double now, const struct lsr_source_env *env)
{
	struct gen *g = st;
	if (g->paused)
		return -1;
	g->outer = env->sink;
	int rate = g->rate ? g->rate : 10000;
	uint64_t until = lsr_pace_due(&g->pace, now, rate, g->delivered, (uint64_t)rate / 4);
	if (until > g->delivered) {
		enum lsr_generate_status r = g->drv->generate(g->st, until, &g->inner);
		g->delivered = until;
		if (r == LSR_GENERATE_END)
			return LSR_SOURCE_END;
	}
	return lsr_pace_wait_ms(&g->pace, now, g->rate ? g->rate : rate, g->delivered);
}

static void set_speed(void *st, double speed, bool paused, double now)
{
	struct gen *g = st;
	g->paused = paused;
	lsr_pace_start(&g->pace, speed, now, g->delivered);
}

static void stats(const void *st, struct lsr_driver_stats *out)
{
	const struct gen *g = st;
	g->drv->stats(g->st, out);
}

static void destroy(void *st)
{
	struct gen *g = st;
	g->drv->destroy(g->st);
	free(g);
}

static const struct lsr_source_ops gen_ops = {
	.kind = "sim",
	.driver_name = driver_name,
	.poll_fd = poll_fd,
	.pump = pump,
	.rewind = NULL,
	.set_speed = set_speed,
	.stats = stats,
	.destroy = destroy,
};

struct lsr_source *lsr_source_gen_new(const struct lsr_driver *drv,
                                      const struct lsr_driver_opts *opts,
                                      double speed, double now,
                                      char *err, size_t errlen)
{
	struct gen *g = calloc(1, sizeof *g);
	if (!g) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	g->drv = drv;
	g->st = drv->create(opts, err, errlen);
	if (!g->st) {
		free(g);
		return NULL;
	}
	g->inner = (struct lsr_source_sink){ g, on_config, on_block, on_label };
	lsr_pace_start(&g->pace, speed, now, 0);
	g->src = (struct lsr_source){ &gen_ops, g };
	return &g->src;
}
