/* src/source/ahead.c — the decoding thread and its ring (ahead.h).
 *
 * One producer, one consumer.  Messages are 8-byte aligned records laid
 * end to end in a ring; the producer publishes its write position after
 * each decoding step, the consumer its read position after each drain,
 * both under one mutex.  A message never wraps: a WRAP record fills the
 * ring's end instead. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "ahead.h"
#include "thread.h"

/* Twice the largest block (32 channels × 4096 samples of floats, and
 * marks) and then some: a few seconds of any stream. */
#define RING_BYTES ((size_t)8 << 20)

enum msg_type { MSG_CONFIG, MSG_BLOCK, MSG_LABEL, MSG_STATS, MSG_END, MSG_WRAP };

struct msg {
	uint32_t type;
	uint32_t size; /* of the whole record, a multiple of 8 */
};

struct config_msg {
	struct msg h;
	int32_t why, pad;
	struct lsr_stream_config cfg;
};

struct block_msg {
	struct msg h;
	uint64_t index;
	int32_t nsamp, channels;
	/* channels × nsamp floats, channel-major, then nsamp marks */
};

struct label_msg {
	struct msg h;
	uint64_t index;
	/* the text and its NUL */
};

struct stats_msg {
	struct msg h;
	struct lsr_driver_stats st;
};

struct lsr_ahead {
	lsr_ahead_step_fn step;
	void *ctx;
	unsigned char *ring;
	int efd;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t space;
	/* under mu */
	uint64_t wr, rd;           /* published write and read positions */
	bool producer_waiting, consumer_waiting, stop;
	/* the producer's own */
	uint64_t wr_next;          /* written, not yet published */
	size_t room;               /* the size of the last lsr_ahead_block_room */
	struct lsr_source_sink sink;
	/* the consumer's own */
	uint64_t rd_next;
	bool ended;
};

static size_t round8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

static void publish(struct lsr_ahead *a)
{
	pthread_mutex_lock(&a->mu);
	a->wr = a->wr_next;
	if (a->consumer_waiting) {
		a->consumer_waiting = false;
		uint64_t one = 1;
		/* Cannot fail short of a bad fd: the counter is far from full. */
		if (write(a->efd, &one, sizeof one) != (ssize_t)sizeof one)
			perror("lsrmon: decoder wake-up");
	}
	pthread_mutex_unlock(&a->mu);
}

/* Room for a record of size bytes, contiguous; NULL when stopping. */
static void *reserve(struct lsr_ahead *a, size_t size)
{
	size_t pos = (size_t)(a->wr_next % RING_BYTES);
	size_t pad = pos + size > RING_BYTES ? RING_BYTES - pos : 0;
	pthread_mutex_lock(&a->mu);
	while (a->wr_next + pad + size - a->rd > RING_BYTES && !a->stop) {
		/* Full: publish what is written so that the consumer can make
		 * room, and wait for it. */
		pthread_mutex_unlock(&a->mu);
		publish(a);
		pthread_mutex_lock(&a->mu);
		if (a->wr_next + pad + size - a->rd > RING_BYTES && !a->stop) {
			a->producer_waiting = true;
			pthread_cond_wait(&a->space, &a->mu);
		}
	}
	bool stop = a->stop;
	pthread_mutex_unlock(&a->mu);
	if (stop)
		return NULL;
	if (pad) {
		struct msg w = { MSG_WRAP, (uint32_t)pad };
		memcpy(a->ring + pos, &w, sizeof w);
		a->wr_next += pad;
		pos = 0;
	}
	a->wr_next += size;
	return a->ring + pos;
}

static void put_config(void *ctx, const struct lsr_stream_config *cfg, enum lsr_segment_reason why)
{
	struct lsr_ahead *a = ctx;
	struct config_msg *m = reserve(a, round8(sizeof *m));
	if (!m)
		return;
	m->h = (struct msg){ MSG_CONFIG, (uint32_t)round8(sizeof *m) };
	m->why = (int32_t)why;
	m->pad = 0;
	m->cfg = *cfg;
}

static void put_block(void *ctx, const struct lsr_block *b)
{
	struct lsr_ahead *a = ctx;
	if (b->nsamp < 1 || b->nsamp > LSR_MAX_BLOCK || b->channels < 1 ||
	    b->channels > LSR_MAX_CHANNELS)
		return; /* drivers never hand these on */
	size_t nf = (size_t)b->channels * (size_t)b->nsamp;
	size_t size = round8(sizeof(struct block_msg) + nf * sizeof(float) + (size_t)b->nsamp);
	unsigned char *p = reserve(a, size);
	if (!p)
		return;
	struct block_msg m = { { MSG_BLOCK, (uint32_t)size }, b->index, b->nsamp, b->channels };
	memcpy(p, &m, sizeof m);
	float *dst = (float *)(void *)(p + sizeof m);
	for (int c = 0; c < b->channels; c++)
		memcpy(dst + (size_t)c * (size_t)b->nsamp, b->samples + (size_t)c * b->stride,
		       (size_t)b->nsamp * sizeof(float));
	memcpy(dst + nf, b->marks, (size_t)b->nsamp);
}

float *lsr_ahead_block_room(const struct lsr_source_sink *sink, uint64_t index, int nsamp,
                            int channels, uint8_t **marks)
{
	if (sink->block != put_block || nsamp < 1 || nsamp > LSR_MAX_BLOCK || channels < 1 ||
	    channels > LSR_MAX_CHANNELS)
		return NULL;
	struct lsr_ahead *a = sink->ctx;
	size_t nf = (size_t)channels * (size_t)nsamp;
	size_t size = round8(sizeof(struct block_msg) + nf * sizeof(float) + (size_t)nsamp);
	unsigned char *p = reserve(a, size);
	if (!p)
		return NULL;
	a->room = size;
	struct block_msg m = { { MSG_BLOCK, (uint32_t)size }, index, nsamp, channels };
	memcpy(p, &m, sizeof m);
	float *dst = (float *)(void *)(p + sizeof m);
	*marks = (uint8_t *)(dst + nf);
	return dst;
}

void lsr_ahead_block_drop(const struct lsr_source_sink *sink)
{
	struct lsr_ahead *a = sink->ctx;
	a->wr_next -= a->room; /* not published yet: the consumer never saw it */
	a->room = 0;
}

static void put_label(void *ctx, uint64_t index, const char *label)
{
	struct lsr_ahead *a = ctx;
	size_t len = strlen(label) + 1;
	size_t size = round8(sizeof(struct label_msg) + len);
	if (size > RING_BYTES / 4)
		return; /* no driver makes labels this long */
	unsigned char *p = reserve(a, size);
	if (!p)
		return;
	struct label_msg m = { { MSG_LABEL, (uint32_t)size }, index };
	memcpy(p, &m, sizeof m);
	memcpy(p + sizeof m, label, len);
}

static void put_simple(struct lsr_ahead *a, enum msg_type type, const struct lsr_driver_stats *st)
{
	size_t size = round8(type == MSG_STATS ? sizeof(struct stats_msg) : sizeof(struct msg));
	unsigned char *p = reserve(a, size);
	if (!p)
		return;
	struct msg h = { (uint32_t)type, (uint32_t)size };
	memcpy(p, &h, sizeof h);
	if (type == MSG_STATS)
		memcpy(p + offsetof(struct stats_msg, st), st, sizeof *st);
}

static void *decoder(void *arg)
{
	struct lsr_ahead *a = arg;
	/* A step that leaves the counters alone keeps the last ones. */
	struct lsr_driver_stats st = { 0 };
	for (;;) {
		bool more = a->step(a->ctx, &a->sink, &st);
		put_simple(a, MSG_STATS, &st);
		if (!more)
			put_simple(a, MSG_END, NULL);
		publish(a);
		pthread_mutex_lock(&a->mu);
		bool stop = a->stop;
		pthread_mutex_unlock(&a->mu);
		if (!more || stop)
			return NULL;
	}
}

struct lsr_ahead *lsr_ahead_start(lsr_ahead_step_fn step, void *ctx, char *err, size_t errlen)
{
	struct lsr_ahead *a = calloc(1, sizeof *a);
	if (!a) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->step = step;
	a->ctx = ctx;
	a->efd = -1;
	a->sink = (struct lsr_source_sink){ a, put_config, put_block, put_label };
	a->ring = malloc(RING_BYTES);
	if (!a->ring) {
		snprintf(err, errlen, "out of memory");
		free(a);
		return NULL;
	}
	a->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (a->efd < 0) {
		snprintf(err, errlen, "decoder: eventfd: %s", strerror(errno));
		goto fail_fd;
	}
	if (pthread_mutex_init(&a->mu, NULL) != 0) {
		snprintf(err, errlen, "decoder: cannot make a mutex");
		goto fail_mu;
	}
	if (pthread_cond_init(&a->space, NULL) != 0) {
		snprintf(err, errlen, "decoder: cannot make a condition variable");
		goto fail_cond;
	}
	int r = lsr_thread_start(&a->thread, decoder, a);
	if (r == 0)
		return a;
	snprintf(err, errlen, "decoder: cannot start a thread: %s", strerror(r));
	pthread_cond_destroy(&a->space);
fail_cond:
	pthread_mutex_destroy(&a->mu);
fail_mu:
	close(a->efd);
fail_fd:
	free(a->ring);
	free(a);
	return NULL;
}

bool lsr_ahead_ensure(struct lsr_ahead **a, lsr_ahead_step_fn step, void *ctx,
                      const struct lsr_source_env *env)
{
	if (*a)
		return true;
	char err[160];
	*a = lsr_ahead_start(step, ctx, err, sizeof err);
	if (!*a && env->alarm)
		env->alarm(env->ctx, "replay", err);
	return *a != NULL;
}

int lsr_ahead_fd(const struct lsr_ahead *a)
{
	return a->efd;
}

enum lsr_ahead_status lsr_ahead_drain(struct lsr_ahead *a, const struct lsr_source_sink *sink,
                                      bool (*go_on)(void *go_ctx), void *go_ctx, size_t budget,
                                      struct lsr_driver_stats *stats)
{
	if (a->ended)
		return LSR_AHEAD_END;
	uint64_t cleared;
	while (read(a->efd, &cleared, sizeof cleared) > 0)
		; /* the wake-up has been seen */
	pthread_mutex_lock(&a->mu);
	uint64_t avail = a->wr;
	pthread_mutex_unlock(&a->mu);
	size_t used = 0;
	bool held = false;
	while (a->rd_next < avail && used < budget && !a->ended) {
		const unsigned char *p = a->ring + (size_t)(a->rd_next % RING_BYTES);
		struct msg h;
		memcpy(&h, p, sizeof h);
		if (h.type == MSG_WRAP) {
			a->rd_next += h.size;
			continue;
		}
		if (h.type == MSG_BLOCK && go_on && !go_on(go_ctx)) {
			held = true;
			break;
		}
		switch ((enum msg_type)h.type) {
		case MSG_CONFIG: {
			const struct config_msg *m = (const void *)p;
			sink->config(sink->ctx, &m->cfg, (enum lsr_segment_reason)m->why);
			break;
		}
		case MSG_BLOCK: {
			struct block_msg m;
			memcpy(&m, p, sizeof m);
			const float *smp = (const float *)(const void *)(p + sizeof m);
			size_t nf = (size_t)m.channels * (size_t)m.nsamp;
			struct lsr_block b = {
				.index = m.index, .nsamp = m.nsamp, .channels = m.channels,
				.stride = (size_t)m.nsamp, .samples = smp,
				.marks = (const uint8_t *)(smp + nf),
			};
			sink->block(sink->ctx, &b);
			break;
		}
		case MSG_LABEL: {
			struct label_msg m;
			memcpy(&m, p, sizeof m);
			if (sink->label)
				sink->label(sink->ctx, m.index, (const char *)(p + sizeof m));
			break;
		}
		case MSG_STATS:
			memcpy(stats, p + offsetof(struct stats_msg, st), sizeof *stats);
			break;
		case MSG_END:
			a->ended = true;
			break;
		case MSG_WRAP:
			break;
		}
		a->rd_next += h.size;
		used += h.size;
	}
	pthread_mutex_lock(&a->mu);
	a->rd = a->rd_next;
	if (a->producer_waiting) {
		a->producer_waiting = false;
		pthread_cond_signal(&a->space);
	}
	bool empty = !held && !a->ended && a->rd_next == a->wr;
	if (empty)
		a->consumer_waiting = true;
	pthread_mutex_unlock(&a->mu);
	if (a->ended)
		return LSR_AHEAD_END;
	return empty ? LSR_AHEAD_EMPTY : LSR_AHEAD_MORE;
}

void lsr_ahead_stop(struct lsr_ahead *a)
{
	if (!a)
		return;
	pthread_mutex_lock(&a->mu);
	a->stop = true;
	pthread_cond_signal(&a->space);
	pthread_mutex_unlock(&a->mu);
	pthread_join(a->thread, NULL);
	pthread_cond_destroy(&a->space);
	pthread_mutex_destroy(&a->mu);
	close(a->efd);
	free(a->ring);
	free(a);
}
