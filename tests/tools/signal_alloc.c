/* tests/tools/signal_alloc.c — proves the signal path allocates nothing
 * per sample, block, stimulus or noise stretch after lsr_signal_new:
 * counts allocations (alloc_count.h) while streams with every path in them
 * run (auto mode deciding both ways, artifacts, sync trains, fast trains,
 * gaps, a restart, the notch, non-numbers), exits 1 on any by lsrmon's
 * code or more than a one-time setup inside the C library. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signal_path.h"
#include "../unit/synth.h"

#include "alloc_count.h"

static unsigned long trials;
static void on_trial(void *ctx, const struct lsr_trial *t)
{
	(void)ctx;
	(void)t;
	trials++;
}

/* One stream of secs seconds: `sync_after` stimuli without sync, then
 * with it; a fast train from the 60th stimulus to the 140th. */
static int run(int nch, int rate, double notch, int sync_after, uint64_t seed, int secs)
{
	struct lsr_params p;
	lsr_params_defaults(&p);
	p.notch_hz = notch;
	struct lsr_stream_config c;
	memset(&c, 0, sizeof c);
	c.rate = rate;
	c.channels = nch;
	char err[200];
	struct lsr_signal *s = lsr_signal_new(&p, &c, on_trial, NULL, err, sizeof err);
	static struct syn g;
	syn_init(&g, rate, nch, seed);
	if (!s) {
		fprintf(stderr, "signal_alloc: %s\n", err);
		return 1;
	}
	for (int k = 0; k < nch; k++) {
		g.noise_uv[k] = 10;
		g.art_uv[k] = 5000;
		g.tail_uv[k] = 200;
		g.tail_tau_ms[k] = 4;
		g.resp[k] = (struct syn_resp){ 200, 9, 300, 8 };
	}
	g.hum_uv = 30;
	g.hum_hz = 50;
	counting = 1;
	struct lsr_block b;
	int64_t shift = 0;
	for (int blk = 0; g.next_index < (int64_t)secs * rate; blk++) {
		if (g.nstim == sync_after)
			g.sync = true;
		if (g.nstim == 60)
			g.period = rate / 40; /* a fast train: sweeps overlap */
		if (g.nstim == 140)
			g.period = rate / 2;
		syn_block(&g, 1 + blk % SYN_BLOCK, &b);
		if (blk % 97 == 0)
			g.buf[blk % b.nsamp] = NAN;
		if (blk % 353 == 0)
			shift += 777; /* lost samples: a gap */
		if (blk == 5000)
			shift -= (int64_t)b.index + shift; /* a restart at 0 */
		lsr_signal_feed(s, (int64_t)b.index + shift, &b);
	}
	lsr_signal_flush(s);
	counting = 0;
	lsr_signal_free(s);
	return 0;
}

int main(void)
{
	count_allocations();
	if (run(4, 20000, 50, 5, 1, 120) || run(3, 10000, 0, 1000000, 2, 120) || run(16, 20000, 0, 0, 3, 20))
		return 1;
	if (allocation_verdict("signal_alloc"))
		return 1;
	if (trials < 300) {
		fprintf(stderr, "signal_alloc: only %lu trials: the streams did not run\n", trials);
		return 1;
	}
	printf("signal_alloc: %lu trials, %lu allocations\n", trials, (unsigned long)allocations);
	return 0;
}
