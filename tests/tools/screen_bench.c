/* tests/tools/screen_bench.c — benchmark of the screen (not a test): a
 * synthetic 16-channel 20 kHz stream in real time with a stimulus every
 * 0.5 s, drawn with a layout (default wide), then the same time silent.
 * Reports frames drawn per second and whole-process CPU for both phases.
 * Needs a terminal: tests/bench/screen.sh runs it inside tmux.
 * Usage: screen_bench [SECONDS [LAYOUT [RESULT_FILE]]] */
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "layout.h"
#include "ui.h"

#define NCH 16
#define RATE 20000
#define BLOCK 200 /* 10 ms */
#define PRE 200
#define LEN 2200

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
}

static void quit(void *ctx) { *(int *)ctx = 1; }

/* Runs the loop for `secs`; with data, feeds blocks and stimuli on time. */
static void phase(struct lsr_ui *ui, double secs, bool data, int64_t *index, int *stop)
{
	static float samples[NCH * BLOCK], sweep[LEN];
	static uint8_t marks[BLOCK];
	double t0 = now(), next = t0;
	unsigned seed = 1;
	while (!*stop && now() - t0 < secs) {
		double tnow = now();
		if (data && tnow >= next) {
			double t = (double)*index / RATE;
			for (int c = 0; c < NCH; c++)
				for (int i = 0; i < BLOCK; i++) {
					seed = seed * 1103515245u + 12345u;
					double burst = fmod(t + i / (double)RATE, 3.0) < 0.3 ? 300 : 0;
					samples[c * BLOCK + i] = (float)(((seed >> 16) % 2000) / 50.0 - 20 +
					                                 burst * sin(2 * M_PI * 120 * (t + i / (double)RATE)));
				}
			memset(marks, 0, sizeof marks);
			bool stim = *index % (RATE / 2) == 0;
			if (stim)
				marks[0] = LSR_MARK_STIM;
			struct lsr_block b = { (uint64_t)*index, BLOCK, NCH, BLOCK, samples, marks };
			lsr_ui_block(ui, *index, &b);
			if (stim) {
				const struct lsr_sink *sk = lsr_ui_sink(ui);
				for (int c = 0; c < NCH; c++) {
					for (int i = 0; i < LEN; i++) {
						double ms = (i - PRE) * 1000.0 / RATE;
						sweep[i] = (float)(200 * exp(-pow((ms - 10) / 1.5, 2)) * sin(ms));
					}
					struct lsr_event ev = { .type = LSR_EV_RESPONSE, .t = t };
					ev.response.ch = c;
					ev.response.valid = true;
					ev.response.present = LSR_TRUE;
					ev.response.p2p_uv = 300;
					ev.response.onset_ms = 8;
					ev.response.threshold_uv = 40;
					ev.response.conditioned = sweep;
					ev.response.sweep_len = LEN;
					ev.response.sweep_pre = PRE;
					sk->event(sk->ctx, &ev);
				}
			}
			*index += BLOCK;
			next += (double)BLOCK / RATE;
		}
		struct lsr_ui_info in = { .source = "bench", .driver = "synthetic", .rate = RATE, .channels = NCH,
		                          .stream_t = (double)*index / RATE, .frozen_clock = true };
		lsr_ui_set_info(ui, &in);
		int w = lsr_ui_render(ui, now());
		int until = data ? (int)ceil((next - now()) * 1000) : (int)ceil((t0 + secs - now()) * 1000);
		if (until < 0)
			until = 0;
		int timeout = w >= 0 && w < until ? w : until;
		struct pollfd p = { lsr_ui_fd(ui), POLLIN, 0 };
		if (poll(&p, 1, timeout) > 0 || lsr_ui_input_pending(ui))
			lsr_ui_input(ui);
	}
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 10;
	const char *name = argc > 2 ? argv[2] : "wide";
	FILE *out = argc > 3 ? fopen(argv[3], "w") : stdout;
	if (!out || secs <= 0)
		return 2;
	struct lsr_layout l;
	char err[512];
	if (lsr_layout_load(&l, name, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	int stop = 0;
	struct lsr_ui_actions act = { .ctx = &stop, .quit = quit };
	struct lsr_ui_opts uo = { &l, false, false, false, NULL };
	struct lsr_ui *ui = lsr_ui_new(&uo, &act, err, sizeof err);
	if (!ui) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	struct lsr_stream_config cfg = { .rate = RATE, .channels = NCH };
	enum lsr_role roles[NCH];
	for (int c = 0; c < NCH; c++) {
		snprintf(cfg.labels[c], sizeof cfg.labels[c], "EMG %d", c);
		roles[c] = c % 4 == 3 ? LSR_ROLE_CONTROL : LSR_ROLE_LSR;
	}
	lsr_ui_config(ui, &cfg, roles);
	int64_t index = 0;
	double c0 = cpu(), w0 = now();
	uint64_t f0 = lsr_ui_frames(ui);
	phase(ui, secs, true, &index, &stop);
	double c1 = cpu(), w1 = now();
	uint64_t f1 = lsr_ui_frames(ui);
	phase(ui, secs, false, &index, &stop);
	double c2 = cpu(), w2 = now();
	uint64_t f2 = lsr_ui_frames(ui);
	lsr_ui_free(ui);
	fprintf(out, "layout %s, %d ch x %d Hz\n", name, NCH, RATE);
	fprintf(out, "streaming: %.1f frames/s, CPU %.1f%% of one core\n", (f1 - f0) / (w1 - w0),
	        100 * (c1 - c0) / (w1 - w0));
	fprintf(out, "silent:    %.1f frames/s, CPU %.1f%% of one core\n", (f2 - f1) / (w2 - w1),
	        100 * (c2 - c1) / (w2 - w1));
	if (out != stdout)
		fclose(out);
	return 0;
}
