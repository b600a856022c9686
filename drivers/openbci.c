/* drivers/openbci.c — OpenBCI Cyton 33-byte packets (8 channels, 24-bit big
 * endian, 250 Hz) in digital board mode, where D17 is the stimulus trigger
 * and D11 the event button.
 *
 * Marks are passed on as read: after a counter gap the index jumps and the
 * stimulus finder (lsr_stimfind_scan's after_gap) must not take a mark
 * already high there as a new stimulus. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"

#define OBCI_PACKET 33
#define OBCI_CHANNELS 8
#define OBCI_RATE 250
#define OBCI_BLOCK 64
#define OBCI_GAIN 24.0
/* µV per count: 4.5 V reference / gain / (2^23 - 1) */
#define OBCI_UV_PER_LSB (4.5e6 / OBCI_GAIN / 8388607.0)
#define OBCI_STOP_DIGITAL 0xC1

struct openbci {
	uint8_t buf[OBCI_PACKET];
	size_t len;
	bool in_sync;
	bool have_cfg;
	bool have_counter;
	uint8_t last_counter;
	uint64_t next_index;
	uint64_t blk_index;
	int blk_n;
	struct lsr_stream_config cfg;
	float samples[OBCI_CHANNELS * OBCI_BLOCK];
	uint8_t marks[OBCI_BLOCK];
	struct lsr_driver_stats st;
};

static void *openbci_create(const struct lsr_driver_opts *opts, char *err, size_t errlen)
{
	(void)opts;
	struct openbci *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "openbci: out of memory");
		return NULL;
	}
	p->in_sync = true;
	struct lsr_stream_config *c = &p->cfg;
	c->rate = OBCI_RATE;
	c->channels = OBCI_CHANNELS;
	for (int k = 0; k < OBCI_CHANNELS; k++)
		snprintf(c->labels[k], LSR_LABEL_MAX, "N%dP", k + 1);
	c->uv_per_lsb = OBCI_UV_PER_LSB;
	c->full_scale_uv = 4.5e6 / OBCI_GAIN;
	c->format_bits = 24;
	snprintf(c->device, sizeof c->device, "OpenBCI Cyton (gain 24)");
	return p;
}

static void openbci_destroy(void *st)
{
	free(st);
}

static void flush(struct openbci *p, const struct lsr_source_sink *sink)
{
	if (p->blk_n == 0)
		return;
	struct lsr_block blk = {
		.index = p->blk_index, .nsamp = p->blk_n, .channels = OBCI_CHANNELS,
		.stride = OBCI_BLOCK, .samples = p->samples, .marks = p->marks,
	};
	sink->block(sink->ctx, &blk);
	p->blk_n = 0;
}

static void packet(struct openbci *p, const uint8_t *f, const struct lsr_source_sink *sink)
{
	if (!p->have_cfg) {
		p->have_cfg = true;
		sink->config(sink->ctx, &p->cfg, LSR_SEGMENT_FIRST);
	}
	uint8_t counter = f[1];
	if (p->have_counter) {
		uint8_t lost = (uint8_t)(counter - p->last_counter - 1);
		if (lost) {
			flush(p, sink);
			p->st.lost_samples += lost;
			p->st.dropped += lost;
			p->next_index += lost;
		}
	}
	p->have_counter = true;
	p->last_counter = counter;
	if (p->blk_n == 0)
		p->blk_index = p->next_index;
	int i = p->blk_n++;
	for (int c = 0; c < OBCI_CHANNELS; c++) {
		const uint8_t *b = f + 2 + 3 * c;
		int32_t v = (int32_t)((uint32_t)b[0] << 16 | (uint32_t)b[1] << 8 | b[2]) -
		            ((b[0] & 0x80) ? 0x1000000 : 0);
		p->samples[(size_t)c * OBCI_BLOCK + (size_t)i] = (float)(v * OBCI_UV_PER_LSB);
	}
	/* Digital mode: aux bytes 26..31 are D11, D12, D13, D17, (0), D18. */
	uint8_t m = 0;
	if (f[32] == OBCI_STOP_DIGITAL) {
		if (f[29])
			m |= LSR_MARK_STIM;
		if (f[26])
			m |= LSR_MARK_BUTTON;
	}
	p->marks[i] = m;
	p->next_index++;
	p->st.frames++;
	if (p->blk_n == OBCI_BLOCK)
		flush(p, sink);
}

static void openbci_feed(void *st, const uint8_t *buf, size_t n,
                         const struct lsr_source_sink *sink)
{
	struct openbci *p = st;
	p->st.bytes += n;
	for (size_t i = 0; i < n; i++) {
		uint8_t b = buf[i];
		if (p->len == 0 && b != 0xA0) {
			if (p->in_sync) {
				p->st.resyncs++;
				p->in_sync = false;
			}
			continue;
		}
		p->buf[p->len++] = b;
		if (p->len < OBCI_PACKET)
			continue;
		if (b >= 0xC0 && b <= 0xC6) {
			p->in_sync = true;
			packet(p, p->buf, sink);
			p->len = 0;
			continue;
		}
		/* No stop byte: not a packet; search again one byte later. */
		p->st.format_errors++;
		if (p->in_sync) {
			p->st.resyncs++;
			p->in_sync = false;
		}
		const uint8_t *a = memchr(p->buf + 1, 0xA0, OBCI_PACKET - 1);
		size_t skip = a ? (size_t)(a - p->buf) : OBCI_PACKET;
		memmove(p->buf, p->buf + skip, OBCI_PACKET - skip);
		p->len = OBCI_PACKET - skip;
	}
	flush(p, sink);
}

static void openbci_resync(void *st)
{
	struct openbci *p = st;
	p->len = 0;
	p->have_counter = false; /* the counter wraps every ~1 s: meaningless now */
	p->in_sync = true;
}

static void openbci_stats(const void *st, struct lsr_driver_stats *out)
{
	*out = ((const struct openbci *)st)->st;
}

/* "/3" selects the digital board mode (external trigger on D17), "b" starts
 * streaming; "s" stops it. */
static const uint8_t openbci_start[] = {'/', '3', 'b'};
static const uint8_t openbci_stop[] = {'s'};

const struct lsr_driver lsr_driver_openbci = {
	.name = "openbci",
	.summary = "OpenBCI Cyton, 8 channels at 250 Hz, trigger on D17 (digital mode)",
	.default_baud = 115200,
	.capture_ext = ".obci",
	.capture_form = "OpenBCI Cyton packets (33 bytes, A0 ... C0-C6)",
	.start_bytes = openbci_start, .start_len = sizeof openbci_start,
	.stop_bytes = openbci_stop, .stop_len = sizeof openbci_stop,
	.create = openbci_create,
	.destroy = openbci_destroy,
	.feed = openbci_feed,
	.resync = openbci_resync,
	.stats = openbci_stats,
};
