/* tests/tools/rec_synth.c — drives the recorder with a known signal, marks and
 * late lsrmon: annotations, as fast as possible or in real time, logging
 * what it has handed over so that a test can kill it and know what the
 * file must hold.
 *
 * usage: rec_synth OUT.bdf|OUT.edf SECONDS [realtime|gaps]
 * Channel c (0..2) sample i is k × 400000/2^23 µV, k = ((i·37 + c·1000) mod
 * 4001 − 2000) · (c + 1), at 2000 Hz; Trigger bit 0 every 0.1 s.
 * stdout: "A <onset> <text>" for each annotation handed over, and in real
 * time "P <CLOCK_REALTIME s> <samples> <annotations>" after each block.
 * gaps: the truth of a case with two gaps and an odd end instead — the
 * samples of [GAP1, +GAP1_N) and [GAP2, +GAP2_N) are never handed over,
 * the stream ends 37 samples into a record, the button (bit 1) is pressed
 * every 0.7 s, and a state change, a mark and a loss go through the event
 * sink; stdout: "S <index>" per stimulus and "B <index>" per press handed
 * over, "G <index> <samples>" per gap, "E <samples>" at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "recorder.h"

#define RATE 2000
#define NCH 3
#define BLOCK 20
#define Q (400000.0 / 8388608.0)

static float value(int c, long i)
{
	long k = ((i * 37 + c * 1000) % 4001 - 2000) * (c + 1);
	return (float)(k * Q);
}

static int nannots;

static void annotate(struct lsr_recorder *r, double t, const char *text, bool as_mark)
{
	if (as_mark) {
		struct lsr_event ev = { .type = LSR_EV_MARK, .t = t, .mark = { nannots + 1, text, LSR_ORIGIN_KEY } };
		const struct lsr_sink *s = lsr_recorder_sink(r);
		s->event(s->ctx, &ev);
		s->group_end(s->ctx);
	} else {
		lsr_recorder_annotate(r, t, text);
	}
	printf("A %.6f %s\n", t, text);
	nannots++;
}

static double now_real(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

enum { GAP1 = 4060, GAP1_N = 60, GAP2 = 9021, GAP2_N = 333 };

static bool lost(long i)
{
	return (i >= GAP1 && i < GAP1 + GAP1_N) || (i >= GAP2 && i < GAP2 + GAP2_N);
}

static void event(struct lsr_recorder *r, const struct lsr_event *ev)
{
	const struct lsr_sink *s = lsr_recorder_sink(r);
	s->event(s->ctx, ev);
	s->group_end(s->ctx);
}

/* The gaps case (see the top of the file). */
static void gaps_case(struct lsr_recorder *r, long total)
{
	static float s[NCH * BLOCK];
	uint8_t m[BLOCK];
	printf("G %d %d\nG %d %d\n", GAP1, GAP1_N, GAP2, GAP2_N);
	for (long i0 = 0; i0 < total;) {
		while (i0 < total && lost(i0))
			i0++;
		int n = 0;
		while (n < BLOCK && i0 + n < total && !lost(i0 + n)) {
			long i = i0 + n;
			for (int c = 0; c < NCH; c++)
				s[c * BLOCK + n] = value(c, i);
			m[n] = (uint8_t)((i % (RATE / 10) == 0 ? LSR_MARK_STIM : 0) |
			                 (i % 1400 == 700 ? LSR_MARK_BUTTON : 0));
			if (m[n] & LSR_MARK_STIM)
				printf("S %ld\n", i);
			if (m[n] & LSR_MARK_BUTTON)
				printf("B %ld\n", i);
			n++;
		}
		if (n == 0)
			break;
		struct lsr_block b = { .index = (uint64_t)i0, .nsamp = n, .channels = NCH,
			.stride = BLOCK, .samples = s, .marks = m };
		lsr_recorder_block(r, i0, &b);
		i0 += n;
	}
	struct lsr_event ev = { .type = LSR_EV_STATE, .t = 1.0, .state = { LSR_STATE_PRESENT,
		LSR_STATE_ACQUIRING, 0.5, false, false, 1.0, true, false } };
	event(r, &ev);
	ev = (struct lsr_event){ .type = LSR_EV_MARK, .t = 3.0, .mark = { 1, "Decompression", LSR_ORIGIN_KEY } };
	event(r, &ev);
	ev = (struct lsr_event){ .type = LSR_EV_STATE, .t = 5.0, .state = { LSR_STATE_DISAPPEARED,
		LSR_STATE_PRESENT, 4.0, false, true, 0.05, true, false } };
	event(r, &ev);
	printf("E %ld\n", total);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: rec_synth OUT.bdf|OUT.edf SECONDS [realtime]\n");
		return 2;
	}
	bool realtime = argc > 3 && !strcmp(argv[3], "realtime");
	bool gaps = argc > 3 && !strcmp(argv[3], "gaps");
	long total = (long)(atof(argv[2]) * RATE) + (gaps ? 37 : 0);
	char err[256];
	int code;
	struct lsr_recorder *r = lsr_recorder_new(argv[1], true, NULL, "rec_synth", err, sizeof err, &code);
	if (!r) {
		fprintf(stderr, "%s\n", err);
		return code;
	}
	struct lsr_stream_config cfg = { .rate = RATE, .channels = NCH, .uv_per_lsb = Q,
		.full_scale_uv = 400000, .format_bits = 24, .prefilter = "HP:10Hz LP:5000Hz" };
	static const char *const names[NCH] = { "R Mentalis", "R Orb oris", "R Orb oculi" };
	struct lsr_channel_info ch[NCH];
	for (int c = 0; c < NCH; c++) {
		snprintf(cfg.labels[c], LSR_LABEL_MAX, "%s", names[c]);
		ch[c] = (struct lsr_channel_info){ c, cfg.labels[c], c == 2 ? LSR_ROLE_CONTROL : LSR_ROLE_LSR };
	}
	struct lsr_params p;
	lsr_params_defaults(&p);
	lsr_recorder_segment(r, &cfg, ch, NCH, &p, 0, lsr_clock_wall());
	if (gaps) {
		gaps_case(r, total);
		int rc = lsr_recorder_close(r);
		fflush(stdout);
		return rc;
	}
	static float s[NCH * BLOCK];
	uint8_t m[BLOCK];
	struct timespec next;
	clock_gettime(CLOCK_MONOTONIC, &next);
	int j = 0;
	for (long i0 = 0; i0 < total; i0 += BLOCK) {
		for (int i = 0; i < BLOCK; i++) {
			for (int c = 0; c < NCH; c++)
				s[c * BLOCK + i] = value(c, i0 + i);
			m[i] = (i0 + i) % (RATE / 10) == 0 ? 1 : 0;
		}
		struct lsr_block b = { .index = (uint64_t)i0, .nsamp = BLOCK, .channels = NCH,
			.stride = BLOCK, .samples = s, .marks = m };
		lsr_recorder_block(r, i0, &b);
		/* Every 0.7 s of stream, 0.15 s late (as the detector is): a
		 * mark, a long lsrmon: text and a third in the same record. */
		double t = (double)(i0 + BLOCK) / RATE, tj = 0.05 + 0.7 * j;
		if (t >= tj + 0.15) {
			char text[400];
			snprintf(text, sizeof text, "Mark %d", j);
			annotate(r, tj, text, true);
			snprintf(text, sizeof text, "lsrmon: State disappeared (was reduced) since %.4f "
			         "after_decompression ratio 0.100 verified — note %d", tj - 0.01, j);
			annotate(r, tj + 0.01, text, false);
			snprintf(text, sizeof text, "Intensity %d.5", j % 5);
			annotate(r, tj + 0.02, text, true);
			if (j % 4 == 3) {
				memset(text, 0, sizeof text);
				memset(text, 'x', 300);
				memcpy(text, "lsrmon: long ", 13);
				annotate(r, tj + 0.03, text, false);
			}
			j++;
		}
		if (realtime) {
			next.tv_nsec += BLOCK * (1000000000L / RATE);
			while (next.tv_nsec >= 1000000000L) {
				next.tv_sec++;
				next.tv_nsec -= 1000000000L;
			}
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
			printf("P %.6f %ld %d\n", now_real(), i0 + BLOCK, nannots);
			fflush(stdout);
		}
	}
	int rc = lsr_recorder_close(r);
	fflush(stdout);
	return rc;
}
