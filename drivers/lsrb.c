/* drivers/lsrb.c — the LSRB v1 frame parser: sync search, CRC, INFO and
 * DATA frames, sequence and sample-index gaps (see man/lsrmon-protocol.7).
 *
 * Marks are passed on exactly as received (reserved bits cleared).  This
 * driver never invents or suppresses a stimulus edge: after a gap the block's
 * index jumps, and the consumer of blocks (lsr_stimfind_scan's after_gap) must
 * not treat a mark already high at the first sample after a jump as a rising
 * edge. */
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crc16.h"
#include "driver.h"
#include "number.h"
#include "simd.h"
#include "text.h"

#define LSRB_HDR 6
#define LSRB_MAX_PAYLOAD 4096
#define LSRB_MAX_FRAME (LSRB_HDR + LSRB_MAX_PAYLOAD + 2)
#define LSRB_BUF (2 * LSRB_MAX_FRAME)
#define LSRB_MAX_NSAMP 255

enum { LSRB_INFO = 0x01, LSRB_DATA = 0x02 };

struct lsrb {
	uint8_t buf[LSRB_BUF];
	size_t head, len;          /* unparsed bytes are buf[head .. head+len) */
	bool in_sync;
	bool have_seq;
	uint8_t last_seq;
	bool have_cfg;
	struct lsr_stream_config cfg;
	bool have_index;
	uint64_t next_index;       /* unwrapped index the next block should have */
	char text[LSRB_MAX_PAYLOAD + 1];
	char labels[LSR_MAX_CHANNELS][LSR_LABEL_MAX];
	float samples[LSR_MAX_CHANNELS * LSRB_MAX_NSAMP];
	uint8_t marks[LSRB_MAX_NSAMP];
	struct lsr_driver_stats st;
};

static void *lsrb_create(const struct lsr_driver_opts *opts, char *err, size_t errlen)
{
	(void)opts;
	struct lsrb *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "lsrb: out of memory");
		return NULL;
	}
	p->in_sync = true;
	return p;
}

static void lsrb_destroy(void *st)
{
	free(st);
}

static bool parse_int(const char *s, int lo, int hi, int *out)
{
	return lsr_number_int(s, lo, hi, out) == LSR_NUMBER_OK;
}

/* Splits a comma-separated list into labels; returns how many, or -1 when
 * there are more than LSR_MAX_CHANNELS.  Labels too long are truncated. */
static int split_labels(const char *s, char labels[][LSR_LABEL_MAX])
{
	int n = 0;
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t l = comma ? (size_t)(comma - s) : strlen(s);
		if (n == LSR_MAX_CHANNELS)
			return -1;
		if (l >= LSR_LABEL_MAX)
			l = LSR_LABEL_MAX - 1;
		memcpy(labels[n], s, l);
		labels[n][l] = '\0';
		n++;
		if (!comma)
			return n;
		s = comma + 1;
	}
}

/* Parses an INFO payload into cfg; false if a required key is missing or a
 * value is out of range. */
static bool parse_info(struct lsrb *p, const uint8_t *pl, size_t n,
                       struct lsr_stream_config *cfg)
{
	memcpy(p->text, pl, n);
	p->text[n] = '\0';
	if (strlen(p->text) != n)
		return false; /* NUL inside the text */
	memset(cfg, 0, sizeof *cfg);
	bool have_rate = false, have_ch = false, have_fmt = false, have_uv = false;
	int nlabels = 0;
	char *save = NULL;
	for (char *line = strtok_r(p->text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		size_t l = strlen(line);
		if (l && line[l - 1] == '\r')
			line[l - 1] = '\0';
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = '\0';
		const char *key = line, *val = eq + 1;
		if (strcmp(key, "rate") == 0) {
			if (!parse_int(val, 250, 100000, &cfg->rate))
				return false;
			have_rate = true;
		} else if (strcmp(key, "channels") == 0) {
			if (!parse_int(val, 1, LSR_MAX_CHANNELS, &cfg->channels))
				return false;
			have_ch = true;
		} else if (strcmp(key, "format") == 0) {
			if (strcmp(val, "s16") == 0)
				cfg->format_bits = 16;
			else if (strcmp(val, "s24") == 0)
				cfg->format_bits = 24;
			else
				return false;
			have_fmt = true;
		} else if (strcmp(key, "uv_per_lsb") == 0) {
			double v;
			if (lsr_number_real(val, DBL_MIN, DBL_MAX, &v) != LSR_NUMBER_OK)
				return false;
			cfg->uv_per_lsb = v;
			have_uv = true;
		} else if (strcmp(key, "labels") == 0) {
			nlabels = split_labels(val, p->labels);
			if (nlabels < 0)
				return false;
		} else if (strcmp(key, "device") == 0) {
			lsr_text_copy(cfg->device, sizeof cfg->device, val);
		} else if (strcmp(key, "prefilter") == 0) {
			lsr_text_copy(cfg->prefilter, sizeof cfg->prefilter, val);
		}
	}
	if (!have_rate || !have_ch || !have_fmt || !have_uv)
		return false;
	if (nlabels && nlabels != cfg->channels)
		return false;
	for (int c = 0; c < cfg->channels; c++) {
		if (nlabels)
			memcpy(cfg->labels[c], p->labels[c], LSR_LABEL_MAX);
		else
			snprintf(cfg->labels[c], LSR_LABEL_MAX, "Ch%d", c);
	}
	cfg->full_scale_uv = cfg->uv_per_lsb * (double)(1L << (cfg->format_bits - 1));
	return true;
}

static void handle_info(struct lsrb *p, const uint8_t *pl, size_t n,
                        const struct lsr_source_sink *sink)
{
	struct lsr_stream_config cfg;
	if (!parse_info(p, pl, n, &cfg)) {
		p->st.info_invalid++;
		return;
	}
	if (!p->have_cfg || !lsr_stream_config_same(&p->cfg, &cfg)) {
		enum lsr_segment_reason why = p->have_cfg ? LSR_SEGMENT_CHANGED
		                                          : LSR_SEGMENT_FIRST;
		p->cfg = cfg;
		p->have_cfg = true;
		p->have_index = false; /* a new segment starts its own index */
		sink->config(sink->ctx, &p->cfg, why);
	} else {
		/* Same stream: device text and prefilter may still be refreshed. */
		memcpy(p->cfg.device, cfg.device, sizeof cfg.device);
		memcpy(p->cfg.prefilter, cfg.prefilter, sizeof cfg.prefilter);
	}
}

static uint32_t le32(const uint8_t *b)
{
	uint32_t u;
	memcpy(&u, b, sizeof u);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	u = __builtin_bswap32(u);
#endif
	return u;
}

/* 24-bit samples [i0, i1) × [c0, c1) of a frame with C channels, one at
 * a time.  A sample is read as the 32-bit little-endian word it starts
 * (the byte after the last sample is the frame's CRC, so it is inside the
 * frame) and sign extended by shifting its top byte out and back. */
static void s24_rows(const uint8_t *smp, int i0, int i1, int c0, int c1, int C, int S, double q,
                     float *out)
{
	for (int i = i0; i < i1; i++) {
		const uint8_t *b = smp + ((size_t)i * (size_t)C + (size_t)c0) * 3;
		for (int c = c0; c < c1; c++, b += 3) {
			int32_t v = (int32_t)(le32(b) << 8) >> 8;
			out[(size_t)c * (size_t)S + (size_t)i] = (float)(v * q);
		}
	}
}

/* Four instants × four channels at a time: four samples of one instant
 * per load (lsr_s24x4), the scalar loop's double arithmetic for the
 * scaling, and a 4 × 4 transposition that turns instants into channel
 * rows: four stores instead of sixteen.  end: the first byte past the
 * frame (a load may not reach it).  The same values as s24_rows. */
LSR_TARGET_AVX2 static void s24_blocks(const uint8_t *smp, int S, int C, double q, float *out,
                                       const uint8_t *end)
{
	int S4 = S / 4 * 4, C4 = C / 4 * 4;
	for (int i = 0; i < S4; i += 4) {
		for (int c = 0; c < C4; c += 4) {
			const uint8_t *b = smp + ((size_t)i * (size_t)C + (size_t)c) * 3;
			if (b + (size_t)3 * (size_t)C * 3 + 16 > end) {
				s24_rows(smp, i, i + 4, c, c + 4, C, S, q, out);
				continue;
			}
			lsr_f4 v[4];
			for (int t = 0; t < 4; t++, b += (size_t)C * 3) {
				lsr_i4 w;
				lsr_s24x4(&w, b);
				lsr_d4 d = __builtin_convertvector(w, lsr_d4) * q;
				v[t] = __builtin_convertvector(d, lsr_f4);
			}
			lsr_f4 t0 = __builtin_shufflevector(v[0], v[1], 0, 4, 1, 5);
			lsr_f4 t1 = __builtin_shufflevector(v[0], v[1], 2, 6, 3, 7);
			lsr_f4 t2 = __builtin_shufflevector(v[2], v[3], 0, 4, 1, 5);
			lsr_f4 t3 = __builtin_shufflevector(v[2], v[3], 2, 6, 3, 7);
			lsr_f4 r[4] = {
				__builtin_shufflevector(t0, t2, 0, 1, 4, 5),
				__builtin_shufflevector(t0, t2, 2, 3, 6, 7),
				__builtin_shufflevector(t1, t3, 0, 1, 4, 5),
				__builtin_shufflevector(t1, t3, 2, 3, 6, 7),
			};
			for (int l = 0; l < 4; l++)
				memcpy(out + (size_t)(c + l) * (size_t)S + (size_t)i, &r[l], sizeof r[l]);
		}
		s24_rows(smp, i, i + 4, C4, C, C, S, q, out);
	}
	s24_rows(smp, S4, S, 0, C, C, S, q, out);
}

static void handle_data(struct lsrb *p, const uint8_t *pl, size_t n,
                        const struct lsr_source_sink *sink)
{
	if (!p->have_cfg) {
		p->st.data_before_info++;
		return;
	}
	if (n < 6) {
		p->st.format_errors++;
		return;
	}
	uint32_t first = (uint32_t)pl[0] | (uint32_t)pl[1] << 8 |
	                 (uint32_t)pl[2] << 16 | (uint32_t)pl[3] << 24;
	int S = pl[4], C = pl[5], B = p->cfg.format_bits / 8;
	if (S < 1 || C != p->cfg.channels ||
	    n != (size_t)6 + (size_t)S + (size_t)S * (size_t)C * (size_t)B) {
		p->st.format_errors++;
		return;
	}
	uint64_t index;
	if (!p->have_index) {
		index = first;
	} else {
		uint32_t d = first - (uint32_t)p->next_index;
		if (d < 0x80000000u) {
			/* forward (modulo 2^32): lost samples, or contiguous */
			index = p->next_index + d;
			p->st.lost_samples += d;
		} else {
			/* back by at most 2^31: the device restarted */
			sink->config(sink->ctx, &p->cfg, LSR_SEGMENT_RESTART);
			index = first;
		}
	}
	p->have_index = true;
	p->next_index = index + (uint64_t)S;

	const uint8_t *marks = pl + 6, *smp = pl + 6 + S;
	for (int i = 0; i < S; i++)
		p->marks[i] = marks[i] & (LSR_MARK_STIM | LSR_MARK_BUTTON);
	/* Sample-major in, channel-major out; one loop per sample width so
	 * the inner loop has no branch. */
	double q = p->cfg.uv_per_lsb;
	size_t stride = (size_t)S;
	if (B == 2) {
		for (int i = 0; i < S; i++) {
			const uint8_t *b = smp + (size_t)i * (size_t)C * 2;
			for (int c = 0; c < C; c++, b += 2) {
				int32_t v = (int16_t)(uint16_t)(b[0] | b[1] << 8);
				p->samples[(size_t)c * stride + (size_t)i] = (float)(v * q);
			}
		}
	} else if (lsr_cpu_has_avx2()) {
		s24_blocks(smp, S, C, q, p->samples, pl + n + 2);
	} else {
		s24_rows(smp, 0, S, 0, C, C, S, q, p->samples);
	}
	struct lsr_block blk = {
		.index = index, .nsamp = S, .channels = C, .stride = (size_t)S,
		.samples = p->samples, .marks = p->marks,
	};
	sink->block(sink->ctx, &blk);
}

static void lose_sync(struct lsrb *p)
{
	if (p->in_sync) {
		p->st.resyncs++;
		p->in_sync = false;
	}
}

/* Parses the whole frames at the start of d[0..n); returns the bytes
 * used up, leaving a partial frame (shorter than LSRB_MAX_FRAME). */
static size_t parse(struct lsrb *p, const uint8_t *d, size_t n, const struct lsr_source_sink *sink)
{
	size_t at = 0;
	while (n - at >= 2) {
		const uint8_t *f = d + at;
		size_t len = n - at;
		if (f[0] != 0xA5 || f[1] != 0x5A) {
			lose_sync(p);
			const uint8_t *a = memchr(f + 1, 0xA5, len - 1);
			at += a ? (size_t)(a - f) : len;
			continue;
		}
		if (len < LSRB_HDR)
			break;
		size_t plen = (size_t)f[4] | (size_t)f[5] << 8;
		if (plen > LSRB_MAX_PAYLOAD) {
			p->st.format_errors++;
			lose_sync(p);
			at++;
			continue;
		}
		if (len < LSRB_HDR + plen + 2)
			break;
		uint16_t want = (uint16_t)(f[LSRB_HDR + plen] | f[LSRB_HDR + plen + 1] << 8);
		if (lsr_crc16(LSR_CRC16_INIT, f + 2, 4 + plen) != want) {
			p->st.crc_errors++;
			lose_sync(p);
			at++;
			continue;
		}
		p->in_sync = true;
		p->st.frames++;
		uint8_t seq = f[3];
		if (p->have_seq)
			p->st.dropped += (uint8_t)(seq - p->last_seq - 1);
		p->have_seq = true;
		p->last_seq = seq;
		if (f[2] == LSRB_INFO)
			handle_info(p, f + LSRB_HDR, plen, sink);
		else if (f[2] == LSRB_DATA)
			handle_data(p, f + LSRB_HDR, plen, sink);
		at += LSRB_HDR + plen + 2;
	}
	return at;
}

/* Bytes the partial frame in buf needs before it can be parsed (at least
 * one: a bad header is then found and skipped). */
static size_t wanted(const struct lsrb *p)
{
	const uint8_t *f = p->buf + p->head;
	if (p->len < LSRB_HDR)
		return LSRB_HDR - p->len;
	size_t plen = (size_t)f[4] | (size_t)f[5] << 8;
	size_t whole = LSRB_HDR + plen + 2;
	return whole > p->len ? whole - p->len : 1;
}

/* Whole frames are parsed where they lie in the caller's bytes; only a
 * frame cut by the end of a read is copied, and completed from the next. */
static void lsrb_feed(void *st, const uint8_t *buf, size_t n,
                      const struct lsr_source_sink *sink)
{
	struct lsrb *p = st;
	p->st.bytes += n;
	while (n) {
		if (p->len == 0) {
			size_t used = parse(p, buf, n, sink);
			buf += used;
			n -= used;
			if (n == 0)
				return;
			/* A partial frame, shorter than the buffer. */
			memcpy(p->buf, buf, n);
			p->head = 0;
			p->len = n;
			return;
		}
		if (p->head + p->len == LSRB_BUF || p->head > LSRB_BUF / 2) {
			memmove(p->buf, p->buf + p->head, p->len);
			p->head = 0;
		}
		size_t room = LSRB_BUF - p->head - p->len, take = wanted(p);
		if (take > room)
			take = room;
		if (take > n)
			take = n;
		memcpy(p->buf + p->head + p->len, buf, take);
		p->len += take;
		buf += take;
		n -= take;
		size_t used = parse(p, p->buf + p->head, p->len, sink);
		p->head += used;
		p->len -= used;
	}
}

static void lsrb_resync(void *st)
{
	struct lsrb *p = st;
	p->head = p->len = 0;
	/* Frames lost in an outage are not "dropped" (seq wraps every 256
	 * frames), but the index is kept: samples lost meanwhile are counted
	 * and a device that restarted meanwhile still starts a new segment. */
	p->have_seq = false;
	p->in_sync = true;
}

static void lsrb_stats(const void *st, struct lsr_driver_stats *out)
{
	*out = ((const struct lsrb *)st)->st;
}

const struct lsr_driver lsr_driver_lsrb = {
	.name = "lsrb",
	.summary = "LSRB v1 binary frames (open monitoring amplifier)",
	.default_baud = 921600,
	.capture_ext = ".lsrb",
	.capture_form = "LSRB frames (sync A5 5A, CRC-16) with a valid INFO frame",
	.create = lsrb_create,
	.destroy = lsrb_destroy,
	.feed = lsrb_feed,
	.resync = lsrb_resync,
	.stats = lsrb_stats,
};
