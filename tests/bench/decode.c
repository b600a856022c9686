/* tests/bench/decode.c — decode throughput of every byte driver (and the
 * simulator's generation rate) on large in-memory streams, CRC included:
 * prints one Markdown table row per driver, median [min–max] of RUNS runs.
 *
 *   decode [RUNS]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crc16.h"
#include "driver.h"
#include "sim.h"

#define CHUNK 65536

struct buf {
	uint8_t *p;
	size_t n, cap;
};

static void put(struct buf *b, const void *src, size_t n)
{
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1 << 20;
		while (cap < b->n + n)
			cap *= 2;
		uint8_t *p = realloc(b->p, cap);
		if (!p) {
			fprintf(stderr, "decode: out of memory\n");
			exit(1);
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, src, n);
	b->n += n;
}

static uint64_t rng = 88172645463325252ull;

static int32_t noise24(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (int32_t)(rng >> 48) - 32768; /* ±1 mV at 0.03 µV/LSB */
}

static void lsrb_frame(struct buf *b, uint8_t type, uint8_t seq, const uint8_t *pl, size_t len)
{
	uint8_t h[6] = {0xA5, 0x5A, type, seq, (uint8_t)len, (uint8_t)(len >> 8)};
	uint16_t crc = lsr_crc16(lsr_crc16(LSR_CRC16_INIT, h + 2, 4), pl, len);
	uint8_t t[2] = {(uint8_t)crc, (uint8_t)(crc >> 8)};
	put(b, h, 6);
	put(b, pl, len);
	put(b, t, 2);
}

/* 16 channels s24 at 20 kHz, 80 samples a frame, INFO once a second. */
static void make_lsrb(struct buf *b, double seconds)
{
	const int C = 16, S = 80, rate = 20000;
	const char *info = "rate=20000\nchannels=16\nformat=s24\nuv_per_lsb=0.03125\n"
	                   "device=bench";
	uint8_t seq = 0, pl[4096];
	uint64_t total = (uint64_t)(seconds * rate);
	for (uint64_t idx = 0; idx < total; idx += (uint64_t)S) {
		if (idx % (uint64_t)rate == 0)
			lsrb_frame(b, 1, seq++, (const uint8_t *)info, strlen(info));
		uint32_t f = (uint32_t)idx;
		pl[0] = (uint8_t)f, pl[1] = (uint8_t)(f >> 8), pl[2] = (uint8_t)(f >> 16),
		pl[3] = (uint8_t)(f >> 24), pl[4] = (uint8_t)S, pl[5] = (uint8_t)C;
		uint8_t *p = pl + 6 + S;
		for (int k = 0; k < S; k++) {
			pl[6 + k] = (idx + (uint64_t)k) % 5000 < 4;
			for (int c = 0; c < C; c++) {
				int32_t v = noise24();
				*p++ = (uint8_t)v, *p++ = (uint8_t)(v >> 8), *p++ = (uint8_t)(v >> 16);
			}
		}
		lsrb_frame(b, 2, seq++, pl, (size_t)(p - pl));
	}
}

/* 3 channels at 10 kHz in µV with two decimals. */
static void make_ascii(struct buf *b, double seconds)
{
	const char *hdr = "# rate=10000 channels=3 labels=Mentalis,Orbicularis_oris,"
	                  "Orbicularis_oculi\n";
	put(b, hdr, strlen(hdr));
	uint64_t total = (uint64_t)(seconds * 10000);
	for (uint64_t i = 0; i < total; i++) {
		char line[128];
		int n = snprintf(line, sizeof line, "%d,%.2f,%.2f,%.2f\n", i % 5000 < 2,
		                 noise24() / 327.68, noise24() / 327.68, noise24() / 327.68);
		put(b, line, (size_t)n);
	}
}

/* Cyton packets, digital mode (stop byte 0xC1). */
static void make_openbci(struct buf *b, double seconds)
{
	uint64_t total = (uint64_t)(seconds * 250);
	for (uint64_t i = 0; i < total; i++) {
		uint8_t f[33] = {0xA0, (uint8_t)i};
		for (int c = 0; c < 8; c++) {
			int32_t v = noise24();
			f[2 + 3 * c] = (uint8_t)(v >> 16), f[3 + 3 * c] = (uint8_t)(v >> 8),
			f[4 + 3 * c] = (uint8_t)v;
		}
		f[29] = i % 125 == 0;
		f[32] = 0xC1;
		put(b, f, sizeof f);
	}
}

static uint64_t samples;

static void on_config(void *ctx, const struct lsr_stream_config *cfg, enum lsr_segment_reason why)
{
	(void)ctx, (void)cfg, (void)why;
}

static void on_block(void *ctx, const struct lsr_block *blk)
{
	(void)ctx;
	samples += (uint64_t)blk->nsamp * (uint64_t)blk->channels;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Sorts v and prints "median [min–max]". */
static void cell(double *v, int n, const char *fmt)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	printf(" ");
	printf(fmt, v[n / 2]);
	printf(" [");
	printf(fmt, v[0]);
	printf("–");
	printf(fmt, v[n - 1]);
	printf("] |");
}

static int bench_feed(const char *name, const struct buf *in, int runs)
{
	const struct lsr_driver *d = lsr_driver_find(name);
	double mbs[64], mss[64];
	struct lsr_source_sink sink = {.config = on_config, .block = on_block};
	for (int r = 0; r < runs; r++) {
		char err[256];
		void *st = d->create(&(struct lsr_driver_opts){0}, err, sizeof err);
		if (!st) {
			fprintf(stderr, "decode: %s\n", err);
			return -1;
		}
		samples = 0;
		double t0 = now();
		for (size_t off = 0; off < in->n; off += CHUNK)
			d->feed(st, in->p + off, in->n - off < CHUNK ? in->n - off : CHUNK, &sink);
		double dt = now() - t0;
		struct lsr_driver_stats s;
		d->stats(st, &s);
		d->destroy(st);
		if (s.crc_errors || s.format_errors || s.corrupt_lines || samples == 0) {
			fprintf(stderr, "decode: %s stream did not decode cleanly\n", name);
			return -1;
		}
		mbs[r] = (double)in->n / dt / 1e6;
		mss[r] = (double)samples / dt / 1e6;
	}
	printf("| %s | %.0f MB |", name, in->n / 1e6);
	cell(mbs, runs, "%.0f");
	cell(mss, runs, "%.1f");
	printf("\n");
	return 0;
}

/* The simulator generates 600 s of its 3-channel 10 kHz patient. */
static int bench_sim(int runs)
{
	double mss[64];
	struct lsr_source_sink sink = {.config = on_config, .block = on_block};
	for (int r = 0; r < runs; r++) {
		char err[256];
		void *st = lsr_driver_sim.create(&(struct lsr_driver_opts){.seed = 1, .duration_s = 600},
		                                 err, sizeof err);
		if (!st) {
			fprintf(stderr, "decode: %s\n", err);
			return -1;
		}
		samples = 0;
		double t0 = now();
		uint64_t until = 0;
		while (lsr_driver_sim.generate(st, until += 4096, &sink) == LSR_GENERATE_MORE)
			;
		double dt = now() - t0;
		lsr_driver_sim.destroy(st);
		mss[r] = (double)samples / dt / 1e6;
	}
	printf("| sim (generator) | — | — |");
	cell(mss, runs, "%.1f");
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 5;
	if (runs < 1 || runs > 64) {
		fprintf(stderr, "usage: decode [RUNS 1-64]\n");
		return 2;
	}
	struct buf lsrb = {0}, ascii = {0}, obci = {0};
	make_lsrb(&lsrb, 120);
	make_ascii(&ascii, 60);
	make_openbci(&obci, 4 * 3600);
	printf("| driver | stream | MB/s | Msamples/s |\n|---|---|---|---|\n");
	int rc = bench_feed("lsrb", &lsrb, runs) | bench_feed("ascii", &ascii, runs) |
	         bench_feed("openbci", &obci, runs) | bench_sim(runs);
	free(lsrb.p);
	free(ascii.p);
	free(obci.p);
	return rc ? 1 : 0;
}
