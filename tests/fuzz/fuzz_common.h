/* tests/fuzz/fuzz_common.h — what the libFuzzer targets share: a sink that
 * checks every block a parser hands over and reads every sample (so that
 * ASan sees any out-of-bounds block), and scratch files for the parsers
 * that take a path. */
#ifndef LSR_FUZZ_COMMON_H
#define LSR_FUZZ_COMMON_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise of the driver contract is a finding, like a crash. */
#define FUZZ_REQUIRE(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: contract broken: %s\n", __FILE__, __LINE__, #c); abort(); } } while (0)

struct fuzz_seen {
	int channels;          /* of the configuration in force, 0 = none */
	uint64_t blocks, samples, labels;
	volatile double sum;   /* keeps the sample reads */
};

static void fuzz_config(void *ctx, const struct lsr_stream_config *cfg,
                        enum lsr_segment_reason why)
{
	struct fuzz_seen *s = ctx;
	(void)why;
	FUZZ_REQUIRE(cfg->channels >= 1 && cfg->channels <= LSR_MAX_CHANNELS);
	FUZZ_REQUIRE(cfg->rate > 0);
	for (int c = 0; c < cfg->channels; c++)
		FUZZ_REQUIRE(memchr(cfg->labels[c], 0, LSR_LABEL_MAX) != NULL);
	FUZZ_REQUIRE(memchr(cfg->device, 0, sizeof cfg->device) != NULL);
	FUZZ_REQUIRE(memchr(cfg->prefilter, 0, sizeof cfg->prefilter) != NULL);
	s->channels = cfg->channels;
}

static void fuzz_block(void *ctx, const struct lsr_block *b)
{
	struct fuzz_seen *s = ctx;
	FUZZ_REQUIRE(s->channels > 0);
	FUZZ_REQUIRE(b->channels == s->channels);
	FUZZ_REQUIRE(b->nsamp >= 1 && b->nsamp <= LSR_MAX_BLOCK);
	FUZZ_REQUIRE(b->stride >= (size_t)b->nsamp);
	double sum = 0;
	for (int c = 0; c < b->channels; c++)
		for (int i = 0; i < b->nsamp; i++) {
			float v = b->samples[(size_t)c * b->stride + (size_t)i];
			if (isfinite(v))
				sum += v;
		}
	for (int i = 0; i < b->nsamp; i++)
		sum += b->marks[i];
	s->sum += sum;
	s->blocks++;
	s->samples += (uint64_t)b->nsamp;
}

static void fuzz_label(void *ctx, uint64_t index, const char *label)
{
	struct fuzz_seen *s = ctx;
	(void)index;
	s->sum += (double)strlen(label);
	s->labels++;
}

static inline struct lsr_source_sink fuzz_sink(struct fuzz_seen *s)
{
	memset(s, 0, sizeof *s);
	return (struct lsr_source_sink){ s, fuzz_config, fuzz_block, fuzz_label };
}

/* Feeds data through a byte driver in pieces whose sizes the input's own
 * bytes choose, so that frames split at every place get exercised. */
static inline void fuzz_feed_driver(const char *name, const uint8_t *data, size_t size)
{
	const struct lsr_driver *d = lsr_driver_find(name);
	FUZZ_REQUIRE(d && d->feed);
	struct lsr_driver_opts opts = { 0 };
	char err[200];
	void *st = d->create(&opts, err, sizeof err);
	FUZZ_REQUIRE(st);
	struct fuzz_seen seen;
	struct lsr_source_sink sink = fuzz_sink(&seen);
	size_t off = 0, turn = 0;
	while (off < size) {
		size_t n = size - off;
		size_t piece = 1 + (size_t)data[(off * 7 + turn) % size] * 4;
		if (n > piece)
			n = piece;
		d->feed(st, data + off, n, &sink);
		off += n;
		if (++turn == 97)
			d->resync(st);
	}
	struct lsr_driver_stats stats;
	d->stats(st, &stats);
	FUZZ_REQUIRE(stats.bytes == size);
	d->destroy(st);
}

/* A private directory for the targets that need paths: under $TMPDIR if
 * set, else in /dev/shm where the repair tool's fsync costs nothing. */
static char fuzz_dir[256];

static void fuzz_rmdir(void)
{
	rmdir(fuzz_dir);
}

static inline const char *fuzz_tmpdir(void)
{
	char *dir = fuzz_dir;
	if (!dir[0]) {
		const char *t = getenv("TMPDIR");
		if (!t || !*t)
			t = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(dir, sizeof fuzz_dir, "%s/lsrfuzz.XXXXXX", t);
		FUZZ_REQUIRE(mkdtemp(dir) != NULL);
		atexit(fuzz_rmdir);
	}
	return dir;
}

static inline void fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	FUZZ_REQUIRE(f);
	FUZZ_REQUIRE(size == 0 || fwrite(data, 1, size, f) == size);
	FUZZ_REQUIRE(fclose(f) == 0);
}

#endif
