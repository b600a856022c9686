/* tests/tools/judge_alloc.c — proves the judge allocates nothing per
 * trial, mark or time step after lsr_judge_new: counts allocations while a
 * long synthetic case runs and exits 1 on any by lsrmon's code, or on more
 * than a one-time setup inside the C library (alloc_count.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge.h"

#include "alloc_count.h"

/* Sweeps as the signal path cuts them at this rate: −10…+100 ms. */
#define RATE 20000
#define PRE 200
#define LEN (PRE + 2000 + 1)

static unsigned long events, averages;
static void on_event(void *ctx, const struct lsr_event *ev)
{
	(void)ctx;
	events++;
	averages += ev->type == LSR_EV_RESPONSE && ev->response.average;
}

/* As the screen's sink: the averages it draws are made too. */
static bool wants_average(void *ctx)
{
	(void)ctx;
	return true;
}

int main(void)
{
	count_allocations();
	struct lsr_params p;
	lsr_params_defaults(&p);
	enum lsr_role roles[4] = { LSR_ROLE_LSR, LSR_ROLE_LSR, LSR_ROLE_CONTROL, LSR_ROLE_OTHER };
	struct lsr_sink sink = { .event = on_event, .wants_average = wants_average };
	struct lsr_judge *j = lsr_judge_new(&p, RATE, 4, roles, NULL, true, &sink);
	if (!j) {
		fputs("judge_alloc: lsr_judge_new failed\n", stderr);
		return 1;
	}
	static struct lsr_trial tr;
	static float sweeps[4 * LEN];
	unsigned seed = 1;
	counting = 1;
	/* 20000 stimuli: baseline, losses and returns, failures, cautery, gaps,
	 * pauses and marks, so every path runs many times over */
	for (int n = 1; n <= 20000; n++) {
		memset(&tr, 0, sizeof tr);
		tr.n = n;
		tr.t = n;
		tr.nch = 4;
		tr.raw = tr.conditioned = sweeps;
		tr.stride = LEN;
		tr.sweep_len = LEN;
		tr.sweep_pre = PRE;
		int phase = (n / 37) % 6;
		/* noise, and the LSR (10–16 ms) where the phase has one: every
		 * decision — present, reduced, absent, indeterminate — comes up */
		for (int c = 0; c < 4; c++)
			for (int i = 0; i < LEN; i++) {
				seed = seed * 1103515245u + 12345u;
				double noise = ((seed >> 16) & 0x7fff) / 32768.0 - 0.5;
				double lsr = phase == 2 || phase == 3 ? 0 : phase == 1 ? 40 : 150;
				double ms = (i - PRE) * 1000.0 / RATE;
				double wave = ms >= 10 && ms < 16 ? lsr / 2 * sin(2 * M_PI * (ms - 10) / 6) : 0;
				if (c == 2)
					wave = ms >= 3 && ms < 5 ? 250 * sin(2 * M_PI * (ms - 3) / 2) : 0;
				sweeps[(size_t)c * LEN + (size_t)i] = (float)(wave + noise * (n % 300 < 40 ? 80 : 8));
			}
		for (int c = 0; c < 4; c++) {
			struct lsr_channel_measure *m = &tr.ch[c];
			m->direct = (struct lsr_window_measure){ phase == 4 ? 0 : 500, 4, false, 900, 30 };
			double lsr = phase == 2 || phase == 3 ? 10 : 150 + (n % 7) * 20;
			m->lsr = (struct lsr_window_measure){ lsr, lsr > 30 ? 10 : NAN, false, lsr, 30 };
			m->noise_uv = 10;
			m->cautery = phase == 5 && n % 3 == 0;
		}
		tr.gap = n % 101 == 0;
		lsr_judge_trial(j, &tr);
		lsr_judge_time(j, n + 0.5);
		if (n % 500 == 0)
			lsr_judge_time(j, n + 0.9);
		if (n % 997 == 0) {
			int id = lsr_judge_mark(j, n + 0.6, "Decompression", LSR_ORIGIN_KEY);
			char label[32];
			snprintf(label, sizeof label, "Cancel %d", id);
			lsr_judge_mark(j, n + 0.7, label, LSR_ORIGIN_OSC);
			lsr_judge_mark(j, n + 0.8, "Baseline", LSR_ORIGIN_KEY);
		}
	}
	struct lsr_judge_view v;
	lsr_judge_view(j, &v);
	counting = 0;
	lsr_judge_free(j);
	printf("judge_alloc: %lu events (%lu responses with their average), %lu allocations "
	       "after lsr_judge_new\n", events, averages, (unsigned long)allocations);
	if (events <= 20000 || averages == 0) {
		fputs("judge_alloc: the case did not run\n", stderr);
		return 1;
	}
	return allocation_verdict("judge_alloc");
}
