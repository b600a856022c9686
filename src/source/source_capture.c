/* src/source/source_capture.c — replays a raw capture through the same driver a
 * live port uses, as fast as possible or paced by the stream's own sample
 * clock, so that a field problem reproduces byte for byte.  The file is
 * read and decoded on a thread of its own (ahead.h); the pump hands on
 * what is decoded, paced here. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ahead.h"
#include "source.h"
#include "source_capture.h"

#define CAPTURE_READ 65536     /* per decoding step */
#define CAPTURE_PUMP_BYTES 262144 /* decoded data handed on per pump */
#define CAPTURE_MAX_GAP_S 1.0   /* a longer index jump paces as 1 s */
#define CAPTURE_SNIFF (4u << 20) /* a valid frame must come this early: LSRB INFO
                                    comes once a second, ~1 MB at 16 ch x 20 kHz */

struct capture_source {
	/* the decoding thread's while it runs */
	int fd;
	const struct lsr_driver *drv;
	void *drv_st;
	uint8_t buf[CAPTURE_READ];
	/* the loop's */
	struct lsr_ahead *ahead;        /* NULL until the first pump, and after a rewind */
	struct lsr_driver_stats stats;  /* the driver's, as of what was handed on */
	double speed;
	double due;                     /* paced: stream time that may be handed on */
	bool eof;
	/* pacing by the stream's clock */
	bool t0_set;
	double t0;
	bool paused;
	int rate;
	bool have_end;
	uint64_t end_index;     /* index after the last block passed on */
	double stream_s;        /* stream time passed on so far */
	const struct lsr_source_env *env; /* valid during pump only */
	struct lsr_source_sink wrap;
	struct lsr_source src;  /* handed out; destroy frees it with us */
};

static void wrap_config(void *ctx, const struct lsr_stream_config *cfg,
                        enum lsr_segment_reason why)
{
	struct capture_source *s = ctx;
	s->rate = cfg->rate;
	s->have_end = false; /* a new segment: its index starts afresh */
	s->env->sink->config(s->env->sink->ctx, cfg, why);
}

static void wrap_block(void *ctx, const struct lsr_block *blk)
{
	struct capture_source *s = ctx;
	if (s->rate > 0) {
		/* Stream time advances over lost samples too (a gap is time). */
		uint64_t adv = (uint64_t)blk->nsamp;
		if (s->have_end && blk->index > s->end_index) {
			double gap = (double)(blk->index - s->end_index) / s->rate;
			s->stream_s += fmin(gap, CAPTURE_MAX_GAP_S);
		}
		s->stream_s += (double)adv / s->rate;
	}
	s->have_end = true;
	s->end_index = blk->index + (uint64_t)blk->nsamp;
	s->env->sink->block(s->env->sink->ctx, blk);
}

static void wrap_label(void *ctx, uint64_t index, const char *label)
{
	struct capture_source *s = ctx;
	if (s->env->sink->label)
		s->env->sink->label(s->env->sink->ctx, index, label);
}

static const char *capture_driver_name(void *st)
{
	return ((struct capture_source *)st)->drv->name;
}

static int capture_poll_fd(void *st)
{
	struct capture_source *s = st;
	/* Paced, the timer drives; the fd only says the decoder has caught
	 * up after the ring ran dry. */
	return s->ahead && !s->paused ? lsr_ahead_fd(s->ahead) : -1;
}

/* The decoding thread: one read, decoded; false at the end of the file or
 * on a read error. */
static bool decode_step(void *ctx, const struct lsr_source_sink *sink, struct lsr_driver_stats *st)
{
	struct capture_source *s = ctx;
	ssize_t r;
	do
		r = read(s->fd, s->buf, sizeof s->buf);
	while (r < 0 && errno == EINTR);
	if (r > 0)
		s->drv->feed(s->drv_st, s->buf, (size_t)r, sink);
	s->drv->stats(s->drv_st, st);
	return r > 0;
}

/* Before a configuration there is no clock: those bytes go at once. */
static bool paced_go_on(void *ctx)
{
	struct capture_source *s = ctx;
	return s->rate == 0 || s->stream_s <= s->due;
}

static int capture_pump(void *st, double now, const struct lsr_source_env *env)
{
	struct capture_source *s = st;
	if (s->eof)
		return LSR_SOURCE_END;
	if (s->paused)
		return -1;
	if (!lsr_ahead_ensure(&s->ahead, decode_step, s, env)) {
		s->eof = true;
		return LSR_SOURCE_END;
	}
	s->env = env;
	int ret = 0;
	enum lsr_ahead_status status;
	if (s->speed <= 0) {
		status = lsr_ahead_drain(s->ahead, &s->wrap, NULL, NULL, CAPTURE_PUMP_BYTES, &s->stats);
	} else {
		if (!s->t0_set) {
			s->t0_set = true;
			s->t0 = now;
		}
		s->due = (now - s->t0) * s->speed;
		status = lsr_ahead_drain(s->ahead, &s->wrap, paced_go_on, s, CAPTURE_PUMP_BYTES, &s->stats);
		if (status == LSR_AHEAD_MORE && s->rate > 0 && s->stream_s > s->due) {
			double wait_s = (s->stream_s - s->due) / s->speed;
			double ms = ceil(wait_s * 1000.0);
			ret = ms < 1 ? 1 : ms > 1000 ? 1000 : (int)ms;
		}
	}
	if (status == LSR_AHEAD_EMPTY)
		ret = -1;
	else if (status == LSR_AHEAD_END)
		s->eof = true;
	s->env = NULL;
	return ret;
}

static int capture_rewind(void *st)
{
	struct capture_source *s = st;
	lsr_ahead_stop(s->ahead); /* the file and the driver are ours again */
	s->ahead = NULL;
	if (lseek(s->fd, 0, SEEK_SET) != 0)
		return -1;
	char err[128];
	void *fresh = s->drv->create(&(struct lsr_driver_opts){0}, err, sizeof err);
	if (!fresh)
		return -1;
	s->drv->destroy(s->drv_st);
	s->drv_st = fresh;
	memset(&s->stats, 0, sizeof s->stats);
	s->eof = false;
	s->t0_set = false;
	s->rate = 0;
	s->have_end = false;
	s->stream_s = 0;
	return 0;
}

static void capture_set_speed(void *st, double speed, bool paused, double now)
{
	struct capture_source *s = st;
	s->speed = speed > 0 && isfinite(speed) ? speed : 0;
	s->paused = paused;
	/* Re-anchor the clock where the stream is, so that neither a pause
	 * nor a change of pace is caught up in a burst. */
	if (s->speed > 0) {
		s->t0_set = true;
		s->t0 = now - s->stream_s / s->speed;
	}
}

static void capture_stats(const void *st, struct lsr_driver_stats *out)
{
	*out = ((const struct capture_source *)st)->stats;
}

static void capture_destroy(void *st)
{
	struct capture_source *s = st;
	if (!s)
		return;
	lsr_ahead_stop(s->ahead);
	if (s->fd >= 0)
		close(s->fd);
	if (s->drv_st)
		s->drv->destroy(s->drv_st);
	free(s);
}

/* The file's first bytes through a fresh driver: a capture is what its
 * name says when they give a configuration and a valid frame. */
struct sniff { bool config; };

static void sniff_config(void *ctx, const struct lsr_stream_config *cfg, enum lsr_segment_reason why)
{
	(void)cfg;
	(void)why;
	((struct sniff *)ctx)->config = true;
}

static void sniff_block(void *ctx, const struct lsr_block *blk)
{
	(void)ctx;
	(void)blk;
}

static bool content_ok(struct capture_source *s, const char *path, char *err, size_t errlen)
{
	struct sniff sn = { false };
	struct lsr_source_sink sink = { &sn, sniff_config, sniff_block, NULL };
	struct lsr_driver_stats st = { 0 };
	char why[128];
	void *d = s->drv->create(&(struct lsr_driver_opts){0}, why, sizeof why);
	if (!d) {
		snprintf(err, errlen, "--replay %s: %s", path, why);
		return false;
	}
	size_t total = 0;
	ssize_t r = 0;
	while (total < CAPTURE_SNIFF && !(sn.config && st.frames > 0)) {
		r = read(s->fd, s->buf, sizeof s->buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		total += (size_t)r;
		s->drv->feed(d, s->buf, (size_t)r, &sink);
		s->drv->stats(d, &st);
	}
	s->drv->destroy(d);
	if (r < 0) {
		snprintf(err, errlen, "--replay %s: %s", path, strerror(errno));
		return false;
	}
	if (lseek(s->fd, 0, SEEK_SET) != 0) {
		snprintf(err, errlen, "--replay %s: %s", path, strerror(errno));
		return false;
	}
	if (sn.config && st.frames > 0)
		return true;
	snprintf(err, errlen, "--replay %s: %s; the %s driver expects %s", path,
	         total == 0 ? "empty" : total < CAPTURE_SNIFF ? "no valid frame in it"
	                                                      : "no valid frame in its first 4 MiB",
	         s->drv->name, s->drv->capture_form ? s->drv->capture_form : "its own frames");
	return false;
}

static const struct lsr_source_ops capture_ops = {
	.kind = "replay",
	.driver_name = capture_driver_name,
	.poll_fd = capture_poll_fd,
	.pump = capture_pump,
	.rewind = capture_rewind,
	.set_speed = capture_set_speed,
	.stats = capture_stats,
	.destroy = capture_destroy,
};

struct lsr_source *lsr_source_capture_new(const char *path, const struct lsr_driver *drv,
                                          double speed, char *err, size_t errlen)
{
	if (!drv->feed) {
		snprintf(err, errlen, "driver %s cannot replay a raw capture", drv->name);
		return NULL;
	}
	struct capture_source *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->fd = -1;
	s->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		goto fail;
	}
	struct stat sb;
	if (fstat(s->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto fail;
	}
	s->drv = drv;
	s->speed = speed > 0 && isfinite(speed) ? speed : 0;
	if (!content_ok(s, path, err, errlen))
		goto fail;
	s->drv_st = drv->create(&(struct lsr_driver_opts){0}, err, errlen);
	if (!s->drv_st)
		goto fail;
	s->wrap.ctx = s;
	s->wrap.config = wrap_config;
	s->wrap.block = wrap_block;
	s->wrap.label = wrap_label;
	s->src = (struct lsr_source){&capture_ops, s};
	return &s->src;
fail:
	capture_destroy(s);
	return NULL;
}
