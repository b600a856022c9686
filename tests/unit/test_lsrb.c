/* tests/unit/test_lsrb.c — the LSRB v1 parser against frames the test
 * builds itself: decoding, INFO validation, gaps, wraps, restarts, resync
 * and a corrupted stream. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "rec_sink.h"

extern const struct lsr_driver lsr_driver_lsrb;

struct bytes {
	uint8_t *p;
	size_t n, cap;
	uint8_t seq;
};

static void put(struct bytes *b, const void *src, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 256;
		b->p = realloc(b->p, b->cap);
		ck_assert_ptr_nonnull(b->p);
	}
	memcpy(b->p + b->n, src, n);
	b->n += n;
}

/* Independent of the driver's table: bit by bit. */
static uint16_t crc_ref(const uint8_t *p, size_t n)
{
	uint16_t crc = 0xFFFF;
	for (size_t i = 0; i < n; i++) {
		crc ^= (uint16_t)(p[i] << 8);
		for (int k = 0; k < 8; k++)
			crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
	}
	return crc;
}

static void frame(struct bytes *b, uint8_t type, const void *payload, size_t len)
{
	uint8_t *f = malloc(len + 8);
	ck_assert_ptr_nonnull(f);
	f[0] = 0xA5, f[1] = 0x5A, f[2] = type, f[3] = b->seq++;
	f[4] = (uint8_t)len, f[5] = (uint8_t)(len >> 8);
	memcpy(f + 6, payload, len);
	uint16_t crc = crc_ref(f + 2, len + 4);
	f[6 + len] = (uint8_t)crc, f[7 + len] = (uint8_t)(crc >> 8);
	put(b, f, len + 8);
	free(f);
}

static void info(struct bytes *b, const char *text)
{
	frame(b, 0x01, text, strlen(text));
}

/* A DATA frame; v[i * C + c] are the raw counts. */
static void data(struct bytes *b, uint32_t first, int S, int C, int B,
                 const uint8_t *marks, const int32_t *v)
{
	size_t len = 6 + (size_t)S + (size_t)S * C * B;
	uint8_t *pl = malloc(len);
	ck_assert_ptr_nonnull(pl);
	pl[0] = (uint8_t)first, pl[1] = (uint8_t)(first >> 8);
	pl[2] = (uint8_t)(first >> 16), pl[3] = (uint8_t)(first >> 24);
	pl[4] = (uint8_t)S, pl[5] = (uint8_t)C;
	for (int i = 0; i < S; i++)
		pl[6 + i] = marks ? marks[i] : 0;
	uint8_t *s = pl + 6 + S;
	for (int k = 0; k < S * C; k++)
		for (int j = 0; j < B; j++)
			*s++ = (uint8_t)((uint32_t)v[k] >> (8 * j));
	frame(b, 0x02, pl, len);
	free(pl);
}

struct drv {
	void *st;
	struct rec rec;
	struct lsr_driver_stats stats;
};

static void drv_open(struct drv *d)
{
	char err[128];
	rec_init(&d->rec);
	d->st = lsr_driver_lsrb.create(&(struct lsr_driver_opts){0}, err, sizeof err);
	ck_assert_ptr_nonnull(d->st);
}

static void drv_feed(struct drv *d, const struct bytes *b)
{
	lsr_driver_lsrb.feed(d->st, b->p, b->n, &d->rec.sink);
	lsr_driver_lsrb.stats(d->st, &d->stats);
}

static void drv_close(struct drv *d)
{
	lsr_driver_lsrb.destroy(d->st);
	rec_free(&d->rec);
}

START_TEST(decodes_s16)
{
	struct bytes b = {0};
	info(&b, "rate=20000\nchannels=3\nformat=s16\nuv_per_lsb=0.25\n"
	         "labels=Mentalis,Orbicularis oris,Orbicularis oculi\ndevice=test");
	const int S = 4, C = 3;
	int32_t v[] = {0, 1, -1, 32767, -32768, 100, -200, 300, -400, 5, 6, 7};
	uint8_t marks[] = {0, 1, 1, 2};
	data(&b, 1000, S, C, 2, marks, v);
	struct drv d;
	drv_open(&d);
	drv_feed(&d, &b);
	ck_assert_int_eq(d.rec.ncfg, 1);
	ck_assert_int_eq(d.rec.why[0], LSR_SEGMENT_FIRST);
	ck_assert_int_eq(d.rec.cfg.rate, 20000);
	ck_assert_int_eq(d.rec.cfg.channels, 3);
	ck_assert_int_eq(d.rec.cfg.format_bits, 16);
	ck_assert_str_eq(d.rec.cfg.labels[1], "Orbicularis oris");
	ck_assert_str_eq(d.rec.cfg.device, "test");
	ck_assert_double_eq(d.rec.cfg.full_scale_uv, 0.25 * 32768);
	ck_assert_uint_eq(d.rec.n, 4);
	for (int i = 0; i < S; i++) {
		ck_assert_uint_eq(d.rec.rows[i].index, 1000u + (unsigned)i);
		ck_assert_uint_eq(d.rec.rows[i].marks, marks[i]);
		for (int c = 0; c < C; c++)
			ck_assert_float_eq(d.rec.rows[i].v[c], (float)(v[i * C + c] * 0.25));
	}
	ck_assert_uint_eq(d.stats.frames, 2);
	ck_assert_uint_eq(d.stats.bytes, b.n);
	ck_assert_uint_eq(d.stats.crc_errors + d.stats.format_errors + d.stats.resyncs, 0);
	drv_close(&d);
	free(b.p);
}
END_TEST

START_TEST(decodes_s24_bytewise)
{
	struct bytes b = {0};
	info(&b, "rate=10000\nchannels=2\nformat=s24\nuv_per_lsb=0.0298\n");
	int32_t v[] = {8388607, -8388608, -1, 1, 0x123456, -0x123456};
	uint8_t marks[] = {1, 0, 3};
	data(&b, 7, 3, 2, 3, marks, v);
	struct drv d;
	drv_open(&d);
	/* One byte at a time: the parser must not depend on chunking. */
	for (size_t i = 0; i < b.n; i++)
		lsr_driver_lsrb.feed(d.st, b.p + i, 1, &d.rec.sink);
	ck_assert_int_eq(d.rec.cfg.format_bits, 24);
	ck_assert_str_eq(d.rec.cfg.labels[0], "Ch0");
	ck_assert_double_eq(d.rec.cfg.full_scale_uv, 0.0298 * 8388608);
	ck_assert_uint_eq(d.rec.n, 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_uint_eq(d.rec.rows[i].marks, marks[i]);
		for (int c = 0; c < 2; c++)
			ck_assert_float_eq(d.rec.rows[i].v[c], (float)(v[i * 2 + c] * 0.0298));
	}
	drv_close(&d);
	free(b.p);
}
END_TEST

START_TEST(first_wraps_and_gaps)
{
	struct bytes b = {0};
	info(&b, "rate=1000\nchannels=1\nformat=s16\nuv_per_lsb=1");
	int32_t v[200] = {0};
	data(&b, 0xFFFFFF00u, 200, 1, 2, NULL, v);
	data(&b, 0xFFFFFFC8u, 100, 1, 2, NULL, v); /* crosses 2^32 */
	data(&b, 0x0000002Cu, 10, 1, 2, NULL, v);  /* contiguous after the wrap */
	data(&b, 0x0000002Cu + 10 + 50, 10, 1, 2, NULL, v); /* 50 lost */
	struct drv d;
	drv_open(&d);
	drv_feed(&d, &b);
	ck_assert_int_eq(d.rec.ncfg, 1);
	ck_assert_uint_eq(d.rec.n, 320);
	ck_assert_uint_eq(d.rec.rows[0].index, 0xFFFFFF00u);
	ck_assert_uint_eq(d.rec.rows[256].index, 0x100000000ull);
	ck_assert_uint_eq(d.rec.rows[300].index, 0x10000002Cull);
	ck_assert_uint_eq(d.rec.rows[310].index, 0x10000002Cull + 60);
	ck_assert_uint_eq(d.stats.lost_samples, 50);
	ck_assert_uint_eq(d.stats.dropped, 0);
	drv_close(&d);
	free(b.p);
}
END_TEST

START_TEST(backwards_is_restart)
{
	struct bytes b = {0};
	info(&b, "rate=1000\nchannels=1\nformat=s16\nuv_per_lsb=1");
	int32_t v[10] = {0};
	data(&b, 5000, 10, 1, 2, NULL, v);
	data(&b, 0, 10, 1, 2, NULL, v);
	struct drv d;
	drv_open(&d);
	drv_feed(&d, &b);
	ck_assert_int_eq(d.rec.ncfg, 2);
	ck_assert_int_eq(d.rec.why[1], LSR_SEGMENT_RESTART);
	ck_assert_uint_eq(d.rec.rows[10].index, 0);
	ck_assert_uint_eq(d.stats.lost_samples, 0);
	drv_close(&d);
	free(b.p);
}
END_TEST

START_TEST(info_validation_and_changes)
{
	static const char *bad[] = {
		"channels=1\nformat=s16\nuv_per_lsb=1",               /* no rate */
		"rate=249\nchannels=1\nformat=s16\nuv_per_lsb=1",
		"rate=100001\nchannels=1\nformat=s16\nuv_per_lsb=1",
		"rate=1000\nchannels=0\nformat=s16\nuv_per_lsb=1",
		"rate=1000\nchannels=33\nformat=s16\nuv_per_lsb=1",
		"rate=1000\nchannels=1\nformat=s32\nuv_per_lsb=1",
		"rate=1000\nchannels=1\nformat=s16\nuv_per_lsb=0",
		"rate=1000\nchannels=1\nformat=s16\nuv_per_lsb=nan",
		"rate=1000\nchannels=1\nformat=s16",
		"rate=1000\nchannels=2\nformat=s16\nuv_per_lsb=1\nlabels=a",
		"rate=1e3\nchannels=1\nformat=s16\nuv_per_lsb=1",
	};
	struct bytes b = {0};
	int32_t v[4] = {1, 2, 3, 4};
	data(&b, 0, 4, 1, 2, NULL, v); /* before any INFO */
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		info(&b, bad[i]);
	data(&b, 4, 4, 1, 2, NULL, v); /* still no valid INFO */
	info(&b, "rate=1000\nchannels=1\nformat=s16\nuv_per_lsb=1\nlabels=A\nunknown=x");
	info(&b, "rate=1000\nchannels=1\nformat=s16\nuv_per_lsb=1\nlabels=A\ndevice=other");
	data(&b, 8, 4, 1, 2, NULL, v);
	info(&b, "rate=2000\nchannels=1\nformat=s16\nuv_per_lsb=1\nlabels=A");
	data(&b, 12, 4, 1, 2, NULL, v);
	info(&b, "rate=2000\nchannels=1\nformat=s16\nuv_per_lsb=1\nlabels=B");
	struct drv d;
	drv_open(&d);
	drv_feed(&d, &b);
	ck_assert_uint_eq(d.stats.info_invalid, sizeof bad / sizeof bad[0]);
	ck_assert_uint_eq(d.stats.data_before_info, 2);
	ck_assert_int_eq(d.rec.ncfg, 3);
	ck_assert_int_eq(d.rec.why[0], LSR_SEGMENT_FIRST);
	ck_assert_int_eq(d.rec.why[1], LSR_SEGMENT_CHANGED);
	ck_assert_int_eq(d.rec.why[2], LSR_SEGMENT_CHANGED);
	ck_assert_str_eq(d.rec.cfg.labels[0], "B");
	ck_assert_uint_eq(d.rec.n, 8);
	ck_assert_uint_eq(d.stats.frames, b.seq);
	drv_close(&d);
	free(b.p);
}
END_TEST

START_TEST(unknown_type_with_sync_inside)
{
	struct bytes b = {0}, inner = {0};
	info(&b, "rate=1000\nchannels=1\nformat=s16\nuv_per_lsb=1");
	/* A whole valid DATA frame hidden in an unknown frame's payload. */
	int32_t v[2] = {111, 222};
	inner.seq = 200;
	data(&inner, 0, 2, 1, 2, NULL, v);
	frame(&b, 0x7E, inner.p, inner.n);
	int32_t w[2] = {5, 6};
	data(&b, 0, 2, 1, 2, NULL, w);
	struct drv d;
	drv_open(&d);
	drv_feed(&d, &b);
	ck_assert_uint_eq(d.rec.n, 2);
	ck_assert_float_eq(d.rec.rows[0].v[0], 5.0f);
	ck_assert_uint_eq(d.stats.frames, 3);
	ck_assert_uint_eq(d.stats.crc_errors + d.stats.resyncs + d.stats.dropped, 0);
	drv_close(&d);
	free(b.p);
	free(inner.p);
}
END_TEST

START_TEST(bad_frames_resync_one_byte)
{
	struct bytes b = {0};
	info(&b, "rate=1000\nchannels=1\nformat=s16\nuv_per_lsb=1");
	int32_t v[3] = {1, 2, 3};
	put(&b, "\xA5\x5A\x02\x00\xFF\xFF", 6);    /* length > 4096 */
	put(&b, "garbage\xA5", 8);
	size_t at = b.n;
	data(&b, 0, 3, 1, 2, NULL, v);
	b.p[at + 8] ^= 0x40;                       /* CRC error */
	data(&b, 3, 3, 1, 2, NULL, v);
	struct drv d;
	drv_open(&d);
	drv_feed(&d, &b);
	ck_assert_uint_eq(d.rec.n, 3);
	ck_assert_uint_eq(d.rec.rows[0].index, 3);
	ck_assert_uint_eq(d.stats.crc_errors, 1);
	ck_assert_uint_eq(d.stats.format_errors, 1);
	ck_assert_uint_ge(d.stats.resyncs, 1);
	ck_assert_uint_eq(d.stats.dropped, 1);
	drv_close(&d);
	free(b.p);
}
END_TEST

START_TEST(resync_drops_partial_frame)
{
	struct bytes b = {0};
	info(&b, "rate=1000\nchannels=1\nformat=s16\nuv_per_lsb=1");
	int32_t v[3] = {1, 2, 3};
	data(&b, 0, 3, 1, 2, NULL, v);
	struct drv d;
	drv_open(&d);
	lsr_driver_lsrb.feed(d.st, b.p, b.n - 4, &d.rec.sink);
	lsr_driver_lsrb.resync(d.st);
	struct bytes c = {0};
	c.seq = 77;
	data(&c, 100, 3, 1, 2, NULL, v);
	drv_feed(&d, &c);
	ck_assert_int_eq(d.rec.ncfg, 1);
	ck_assert_uint_eq(d.rec.n, 3);
	ck_assert_uint_eq(d.rec.rows[0].index, 100);
	ck_assert_uint_eq(d.stats.dropped, 0);
	drv_close(&d);
	free(b.p);
	free(c.p);
}
END_TEST

/* A deterministic random generator for the corruption test. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

START_TEST(corruption_loses_only_damaged_frames)
{
	enum { NFR = 3000, S = 20, C = 2 };
	struct bytes b = {0};
	size_t start[NFR + 1];
	info(&b, "rate=20000\nchannels=2\nformat=s24\nuv_per_lsb=0.5");
	size_t info_end = b.n;
	int32_t v[S * C];
	uint8_t marks[S];
	for (int f = 0; f < NFR; f++) {
		start[f] = b.n;
		for (int i = 0; i < S; i++) {
			uint32_t idx = (uint32_t)(f * S + i);
			marks[i] = (idx % 200) < 30 ? 1 : 0; /* a stimulus every 200 */
			for (int c = 0; c < C; c++)
				v[i * C + c] = (int32_t)((idx * 7919u + (uint32_t)c * 104729u) % 16000000u) - 8000000;
		}
		data(&b, (uint32_t)(f * S), S, C, 3, marks, v);
	}
	start[NFR] = b.n;

	/* Corrupt: flip 0.05% of the bytes, and cut out a few short runs. */
	uint64_t seed = 0x9E3779B97F4A7C15ull;
	uint8_t *out = malloc(b.n);
	bool *damaged = calloc(NFR, sizeof *damaged);
	ck_assert_ptr_nonnull(out);
	ck_assert_ptr_nonnull(damaged);
	size_t on = 0;
	int f = 0;
	for (size_t i = 0; i < b.n; i++) {
		while (f < NFR && i >= start[f + 1])
			f++;
		bool in_frame = i >= info_end && f < NFR;
		uint64_t r = rng_next(&seed) % 100000;
		if (in_frame && r < 50) {
			out[on++] = b.p[i] ^ (uint8_t)(1u << (rng_next(&seed) % 8));
			damaged[f] = true;
		} else if (in_frame && r < 53) {
			size_t run = 1 + rng_next(&seed) % 40;
			for (size_t k = i; k < i + run && k < b.n; k++) {
				int g = f;
				while (g < NFR && k >= start[g + 1])
					g++;
				if (g < NFR)
					damaged[g] = true;
			}
			i += run - 1;
		} else {
			out[on++] = b.p[i];
		}
	}
	int ndamaged = 0;
	for (int k = 0; k < NFR; k++)
		ndamaged += damaged[k];
	ck_assert_int_gt(ndamaged, 10);

	struct drv d;
	drv_open(&d);
	size_t pos = 0;
	while (pos < on) { /* odd chunk sizes, as a port delivers them */
		size_t n = 1 + rng_next(&seed) % 700;
		if (n > on - pos)
			n = on - pos;
		lsr_driver_lsrb.feed(d.st, out + pos, n, &d.rec.sink);
		pos += n;
	}
	lsr_driver_lsrb.stats(d.st, &d.stats);

	/* Every undamaged frame arrives intact; no damaged one slips through. */
	bool *seen = calloc(NFR, sizeof *seen);
	ck_assert_ptr_nonnull(seen);
	for (size_t r = 0; r < d.rec.n; r++) {
		const struct rec_row *row = &d.rec.rows[r];
		ck_assert_uint_lt(row->index, (uint64_t)NFR * S);
		uint32_t idx = (uint32_t)row->index;
		ck_assert_uint_eq(row->marks, (idx % 200) < 30 ? 1 : 0);
		for (int c = 0; c < C; c++) {
			int32_t raw = (int32_t)((idx * 7919u + (uint32_t)c * 104729u) % 16000000u) - 8000000;
			ck_assert_float_eq(row->v[c], (float)(raw * 0.5));
		}
		seen[idx / S] = true;
	}
	int nseen = 0;
	for (int k = 0; k < NFR; k++) {
		if (!damaged[k])
			ck_assert_msg(seen[k], "undamaged frame %d lost", k);
		nseen += seen[k];
	}
	ck_assert_int_eq(d.rec.ncfg, 1);
	ck_assert_uint_eq(d.rec.n, (size_t)nseen * S);
	/* Counted losses: the frames and samples missing between the first and
	 * the last frame that arrived (a damaged tail is never seen as lost). */
	uint64_t first = d.rec.rows[0].index, last = d.rec.rows[d.rec.n - 1].index;
	ck_assert_uint_eq(d.stats.dropped, last / S + 1 - (uint64_t)nseen);
	ck_assert_uint_eq(d.stats.lost_samples, last - first + 1 - d.rec.n);
	ck_assert_uint_ge(d.stats.crc_errors, 1);

	/* Rising edges after a jump in index are not stimuli: every edge seen
	 * in the damaged stream is an edge of the clean stream. */
	for (size_t r = 1; r < d.rec.n; r++) {
		bool contiguous = d.rec.rows[r].index == d.rec.rows[r - 1].index + 1;
		if (contiguous && (d.rec.rows[r].marks & 1) && !(d.rec.rows[r - 1].marks & 1))
			ck_assert_uint_eq(d.rec.rows[r].index % 200, 0);
	}
	drv_close(&d);
	free(seen);
	free(damaged);
	free(out);
	free(b.p);
}
END_TEST

/* Frames are parsed where they lie in the bytes handed in, and a frame cut
 * by the end of a read is completed from the next: however the same bytes
 * (frames of mixed sizes, garbage and a corrupted frame between them) are
 * cut into reads, the same samples and counters come out. */
START_TEST(any_cut_into_reads_decodes_the_same)
{
	enum { NFR = 400, C = 3 };
	struct bytes b = {0};
	info(&b, "rate=10000\nchannels=3\nformat=s24\nuv_per_lsb=0.25");
	uint64_t seed = 42;
	uint32_t first = 0;
	for (int f = 0; f < NFR; f++) {
		int S = 1 + (int)(rng_next(&seed) % 255);
		int32_t v[255 * C];
		uint8_t marks[255];
		for (int k = 0; k < S * C; k++)
			v[k] = (int32_t)(rng_next(&seed) % 16777216u) - 8388608;
		for (int i = 0; i < S; i++)
			marks[i] = (uint8_t)(rng_next(&seed) % 4);
		size_t at = b.n;
		data(&b, first, S, C, 3, marks, v);
		first += (uint32_t)S;
		if (f % 37 == 5)
			b.p[at + 10] ^= 0x10; /* a CRC error */
		if (f % 53 == 7) {
			static const uint8_t junk[] = { 0xA5, 0x00, 0xA5, 0x5A, 0x02, 0x01, 0xFF, 0x7F, 0x33 };
			put(&b, junk, sizeof junk);
		}
	}
	struct drv whole, bytewise, cut;
	drv_open(&whole);
	drv_feed(&whole, &b);
	drv_open(&bytewise);
	for (size_t i = 0; i < b.n; i++)
		lsr_driver_lsrb.feed(bytewise.st, b.p + i, 1, &bytewise.rec.sink);
	lsr_driver_lsrb.stats(bytewise.st, &bytewise.stats);
	drv_open(&cut);
	for (size_t pos = 0; pos < b.n;) {
		size_t n = 1 + rng_next(&seed) % 5000;
		if (n > b.n - pos)
			n = b.n - pos;
		lsr_driver_lsrb.feed(cut.st, b.p + pos, n, &cut.rec.sink);
		pos += n;
	}
	lsr_driver_lsrb.stats(cut.st, &cut.stats);

	ck_assert_uint_ge(whole.stats.crc_errors, NFR / 37);
	ck_assert_uint_gt(whole.rec.n, (size_t)NFR * 100);
	const struct drv *other[2] = { &bytewise, &cut };
	for (int k = 0; k < 2; k++) {
		ck_assert_uint_eq(other[k]->rec.n, whole.rec.n);
		for (size_t r = 0; r < whole.rec.n; r++) {
			ck_assert_uint_eq(other[k]->rec.rows[r].index, whole.rec.rows[r].index);
			ck_assert_uint_eq(other[k]->rec.rows[r].marks, whole.rec.rows[r].marks);
			ck_assert_int_eq(memcmp(other[k]->rec.rows[r].v, whole.rec.rows[r].v, C * sizeof(float)), 0);
		}
		ck_assert_int_eq(memcmp(&other[k]->stats, &whole.stats, sizeof whole.stats), 0);
	}
	drv_close(&whole);
	drv_close(&bytewise);
	drv_close(&cut);
	free(b.p);
}
END_TEST

/* Frames wide and long enough for the four-by-four conversion, with
 * channels and instants left over, extreme values, and the last block of
 * a frame ending two bytes before the frame does (its loads must stay
 * inside): every sample as the one-at-a-time arithmetic gives it. */
START_TEST(decodes_s24_in_blocks)
{
	static const int shapes[][2] = { { 6, 7 }, { 16, 83 }, { 4, 4 }, { 8, 1 }, { 5, 9 } };
	for (size_t k = 0; k < sizeof shapes / sizeof shapes[0]; k++) {
		int C = shapes[k][0], S = shapes[k][1];
		struct bytes b = {0};
		char text[96];
		snprintf(text, sizeof text, "rate=20000\nchannels=%d\nformat=s24\nuv_per_lsb=0.0298\n", C);
		info(&b, text);
		int32_t *v = malloc((size_t)S * (size_t)C * sizeof *v);
		ck_assert_ptr_nonnull(v);
		uint64_t seed = 99 + k;
		for (int i = 0; i < S * C; i++) {
			uint64_t r = rng_next(&seed);
			v[i] = i % 7 == 0 ? (i % 2 ? 8388607 : -8388608) : (int32_t)(r % 16777216u) - 8388608;
		}
		data(&b, 0, S, C, 3, NULL, v);
		struct drv d;
		drv_open(&d);
		drv_feed(&d, &b);
		ck_assert_uint_eq(d.rec.n, (size_t)S);
		for (int i = 0; i < S; i++)
			for (int c = 0; c < C; c++)
				ck_assert_float_eq(d.rec.rows[i].v[c], (float)(v[i * C + c] * 0.0298));
		drv_close(&d);
		free(v);
		free(b.p);
	}
}
END_TEST

/* The worked example of man/lsrmon-protocol.7, byte for byte. */
START_TEST(manpage_example)
{
	static const char info_text[] = "rate=20000\nchannels=2\nformat=s16\nuv_per_lsb=0.5";
	struct bytes b = {0};
	b.seq = 6;
	info(&b, info_text);
	ck_assert_uint_eq(strlen(info_text), 47);
	ck_assert_mem_eq(b.p, "\xA5\x5A\x01\x06\x2F\x00", 6);
	ck_assert_mem_eq(b.p + b.n - 2, "\x58\x12", 2);
	static const uint8_t data_frame[] = {
		0xA5, 0x5A, 0x02, 0x07, 0x10, 0x00, 0x45, 0x23, 0x01, 0x00, 0x02, 0x02,
		0x01, 0x00, 0x64, 0x00, 0xFE, 0xFF, 0xD4, 0xFE, 0x07, 0x00, 0xFF, 0xF7,
	};
	put(&b, data_frame, sizeof data_frame);
	struct drv d;
	drv_open(&d);
	drv_feed(&d, &b);
	ck_assert_uint_eq(d.stats.frames, 2);
	ck_assert_uint_eq(d.rec.n, 2);
	ck_assert_uint_eq(d.rec.rows[0].index, 0x12345);
	ck_assert_uint_eq(d.rec.rows[0].marks, 1);
	ck_assert_uint_eq(d.rec.rows[1].marks, 0);
	ck_assert_float_eq(d.rec.rows[0].v[0], 50.0f);
	ck_assert_float_eq(d.rec.rows[0].v[1], -1.0f);
	ck_assert_float_eq(d.rec.rows[1].v[0], -150.0f);
	ck_assert_float_eq(d.rec.rows[1].v[1], 3.5f);
	drv_close(&d);
	free(b.p);
}
END_TEST

Suite *suite_lsrb(void)
{
	Suite *s = suite_create("lsrb");
	TCase *tc = tcase_create("lsrb");
	tcase_add_test(tc, decodes_s16);
	tcase_add_test(tc, manpage_example);
	tcase_add_test(tc, decodes_s24_bytewise);
	tcase_add_test(tc, first_wraps_and_gaps);
	tcase_add_test(tc, backwards_is_restart);
	tcase_add_test(tc, info_validation_and_changes);
	tcase_add_test(tc, unknown_type_with_sync_inside);
	tcase_add_test(tc, bad_frames_resync_one_byte);
	tcase_add_test(tc, resync_drops_partial_frame);
	tcase_add_test(tc, corruption_loses_only_damaged_frames);
	tcase_add_test(tc, any_cut_into_reads_decodes_the_same);
	tcase_add_test(tc, decodes_s24_in_blocks);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}
