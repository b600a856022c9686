/* src/sink/jsonl.c — the JSON Lines sink (--headless): one object per event,
 * formatted into a bounded buffer.  Replay and simulation write every byte
 * (the source waits); a live port never blocks on stdout: what does not fit
 * the buffer is dropped and counted (stats.output_dropped). */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jsonl.h"
#include "params.h"

#define LINE_MAX_BYTES (64 * 1024)
#define BUFFER_BYTES (1024 * 1024)

struct lsr_jsonl {
	int fd;
	bool live;
	bool failed;
	char *buf;           /* pending output */
	size_t len;
	char *line;          /* the line being formatted */
	size_t llen;
	bool overflow;       /* the line did not fit LINE_MAX_BYTES */
	uint64_t dropped;
	struct lsr_sink sink;
};

static void put(struct lsr_jsonl *j, const char *s, size_t n)
{
	if (j->llen + n > LINE_MAX_BYTES) {
		j->overflow = true;
		return;
	}
	memcpy(j->line + j->llen, s, n);
	j->llen += n;
}

static void puts_(struct lsr_jsonl *j, const char *s) { put(j, s, strlen(s)); }

static void printf_(struct lsr_jsonl *j, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		put(j, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned min;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; min = 0x80; }
	else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; min = 0x800; }
	else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; min = 0x10000; }
	else return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* A JSON string: escaped, invalid UTF-8 replaced by U+FFFD. */
static void str(struct lsr_jsonl *j, const char *s)
{
	if (!s) {
		puts_(j, "null");
		return;
	}
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	put(j, "\"", 1);
	while (n > 0) {
		size_t l = utf8_len(p, n);
		if (l == 0) {
			puts_(j, "\xEF\xBF\xBD");
			p++, n--;
			continue;
		}
		if (l == 1 && (*p < 0x20 || *p == '"' || *p == '\\')) {
			switch (*p) {
			case '"': puts_(j, "\\\""); break;
			case '\\': puts_(j, "\\\\"); break;
			case '\n': puts_(j, "\\n"); break;
			case '\r': puts_(j, "\\r"); break;
			case '\t': puts_(j, "\\t"); break;
			default: printf_(j, "\\u%04x", *p); break;
			}
		} else {
			put(j, (const char *)p, l);
		}
		p += l;
		n -= l;
	}
	put(j, "\"", 1);
}

static void num(struct lsr_jsonl *j, double v)
{
	if (!isfinite(v))
		puts_(j, "null");
	else
		printf_(j, "%.10g", v);
}

static void key(struct lsr_jsonl *j, const char *k)
{
	put(j, ",", 1);
	str(j, k);
	put(j, ":", 1);
}

static void kstr(struct lsr_jsonl *j, const char *k, const char *v) { key(j, k); str(j, v); }
static void knum(struct lsr_jsonl *j, const char *k, double v) { key(j, k); num(j, v); }
static void kint(struct lsr_jsonl *j, const char *k, long long v) { key(j, k); printf_(j, "%lld", v); }
static void kbool(struct lsr_jsonl *j, const char *k, bool v) { key(j, k); puts_(j, v ? "true" : "false"); }

static void start_fields(struct lsr_jsonl *j, const struct lsr_event *ev)
{
	kint(j, "segment", ev->start.segment);
	kstr(j, "source", ev->start.source);
	kstr(j, "driver", ev->start.driver);
	if (ev->start.source && strcmp(ev->start.source, "sim") == 0)
		kint(j, "sim_patient", (long long)ev->start.sim_patient);
	kint(j, "rate", ev->start.rate);
	key(j, "channels");
	put(j, "[", 1);
	for (int i = 0; i < ev->start.nch; i++) {
		const struct lsr_channel_info *c = &ev->start.channels[i];
		printf_(j, "%s{\"index\":%d", i ? "," : "", c->index);
		kstr(j, "label", c->label);
		kstr(j, "role", lsr_role_name(c->role));
		put(j, "}", 1);
	}
	put(j, "]", 1);
	key(j, "params");
	put(j, "{", 1);
	for (int i = 0; i < lsr_params_count(); i++) {
		double v = 0;
		const char *text = NULL;
		if (i)
			put(j, ",", 1);
		str(j, lsr_params_key(i));
		put(j, ":", 1);
		if (lsr_params_get(ev->start.params, i, &v, &text))
			str(j, text);
		else
			num(j, v);
	}
	put(j, "}", 1);
	key(j, "warnings");
	put(j, "[", 1);
	for (int i = 0; i < ev->start.nwarn; i++) {
		if (i)
			put(j, ",", 1);
		str(j, ev->start.warnings[i]);
	}
	put(j, "]", 1);
	kbool(j, "simulation", ev->start.simulation);
}

static void end_fields(struct lsr_jsonl *j, const struct lsr_event *ev)
{
	kstr(j, "final", lsr_final_name(ev->end.final));
	kstr(j, "final_phase", lsr_phase_name(ev->end.final_phase));
	kint(j, "stims", ev->end.stims);
	const struct lsr_stats *s = ev->end.stats;
	key(j, "stats");
	printf_(j, "{\"bytes\":%llu", (unsigned long long)s->drv.bytes);
	kint(j, "frames", (long long)s->drv.frames);
	kint(j, "crc_errors", (long long)s->drv.crc_errors);
	kint(j, "format_errors", (long long)s->drv.format_errors);
	kint(j, "resyncs", (long long)s->drv.resyncs);
	kint(j, "dropped", (long long)s->drv.dropped);
	kint(j, "lost_samples", (long long)s->drv.lost_samples);
	kint(j, "corrupt_lines", (long long)s->drv.corrupt_lines);
	kint(j, "info_invalid", (long long)s->drv.info_invalid);
	kint(j, "data_before_info", (long long)s->drv.data_before_info);
	kint(j, "output_dropped", (long long)s->output_dropped);
	kint(j, "osc_dropped", (long long)s->osc_dropped);
	/* The mains removed: null and [] when nothing was judged. */
	knum(j, "mains_hz", s->nhum > 0 ? s->mains_hz : NAN);
	key(j, "hum_uv");
	put(j, "[", 1);
	for (int c = 0; c < s->nhum; c++) {
		if (c)
			put(j, ",", 1);
		num(j, s->hum_uv[c]);
	}
	put(j, "]", 1);
	put(j, "}", 1);
}

static void fields(struct lsr_jsonl *j, const struct lsr_event *ev)
{
	switch (ev->type) {
	case LSR_EV_START: start_fields(j, ev); break;
	case LSR_EV_STIM:
		kint(j, "n", ev->stim.n);
		kstr(j, "origin", lsr_stim_origin_name(ev->stim.origin));
		break;
	case LSR_EV_RESPONSE:
		kint(j, "n", ev->response.n);
		kint(j, "ch", ev->response.ch);
		kstr(j, "role", lsr_role_name(ev->response.role));
		kbool(j, "valid", ev->response.valid);
		kstr(j, "invalid_reason", lsr_invalid_name(ev->response.invalid_reason));
		key(j, "present");
		puts_(j, ev->response.present == LSR_NULL ? "null" : ev->response.present ? "true" : "false");
		knum(j, "p2p_uv", ev->response.p2p_uv);
		knum(j, "onset_ms", ev->response.onset_ms);
		knum(j, "area_uv_ms", ev->response.area_uv_ms);
		knum(j, "late_p2p_uv", ev->response.late_p2p_uv);
		knum(j, "noise_uv", ev->response.noise_uv);
		knum(j, "threshold_uv", ev->response.threshold_uv);
		knum(j, "amplitude_uv", ev->response.amplitude_uv);
		kint(j, "trials", ev->response.trials);
		break;
	case LSR_EV_BASELINE:
		kint(j, "ch", ev->baseline.ch);
		knum(j, "p2p_uv", ev->baseline.p2p_uv);
		knum(j, "onset_ms", ev->baseline.onset_ms);
		kint(j, "trials", ev->baseline.trials);
		kbool(j, "provisional", ev->baseline.provisional);
		break;
	case LSR_EV_CHANNEL_STATE:
		kint(j, "ch", ev->channel_state.ch);
		kstr(j, "state", lsr_state_name(ev->channel_state.state));
		kstr(j, "prev", lsr_state_name(ev->channel_state.prev));
		kstr(j, "reason", lsr_reason_name(ev->channel_state.reason));
		break;
	case LSR_EV_STATE:
		kstr(j, "state", lsr_state_name(ev->state.state));
		kstr(j, "prev", lsr_state_name(ev->state.prev));
		knum(j, "since", ev->state.since);
		kbool(j, "premature", ev->state.premature);
		kbool(j, "after_decompression", ev->state.after_decompression);
		knum(j, "ratio", ev->state.ratio);
		kbool(j, "verified", ev->state.verified);
		kbool(j, "provisional", ev->state.provisional);
		key(j, "indeterminate_ch");
		put(j, "[", 1);
		for (int i = 0; i < ev->state.nind; i++)
			printf_(j, i ? ",%d" : "%d", ev->state.indeterminate_ch[i]);
		put(j, "]", 1);
		break;
	case LSR_EV_MARK:
		kint(j, "id", ev->mark.id);
		kstr(j, "label", ev->mark.label);
		kstr(j, "origin", lsr_mark_origin_name(ev->mark.origin));
		break;
	case LSR_EV_LINK: kstr(j, "status", lsr_link_name(ev->link.status)); break;
	case LSR_EV_GAP: kint(j, "samples", ev->gap.samples); break;
	case LSR_EV_ALARM:
		kstr(j, "what", ev->alarm.what);
		kstr(j, "text", ev->alarm.text);
		break;
	case LSR_EV_END: end_fields(j, ev); break;
	case LSR_EV_COUNT: break;
	}
}

static void on_event(void *ctx, const struct lsr_event *ev)
{
	struct lsr_jsonl *j = ctx;
	j->llen = 0;
	j->overflow = false;
	puts_(j, "{\"t\":");
	num(j, ev->t);
	kstr(j, "type", lsr_event_type_name(ev->type));
	fields(j, ev);
	put(j, "}\n", 2);
	if (j->overflow) {
		/* A line is bounded by the event's own size (labels, params):
		 * this cannot happen with sane limits, but never emit a cut line. */
		j->dropped++;
		return;
	}
	if (j->len + j->llen > BUFFER_BYTES) {
		if (!j->live)
			lsr_jsonl_flush(j, true);
		if (j->len + j->llen > BUFFER_BYTES) {
			j->dropped++;
			return;
		}
	}
	memcpy(j->buf + j->len, j->line, j->llen);
	j->len += j->llen;
	/* Replay and sim: write as we go, so a consumer sees events promptly
	 * and nothing is held back if the process is killed. */
	if (!j->live || ev->type == LSR_EV_END)
		lsr_jsonl_flush(j, !j->live);
}

static void on_group_end(void *ctx) { (void)ctx; }

struct lsr_jsonl *lsr_jsonl_new(int fd, bool live)
{
	struct lsr_jsonl *j = calloc(1, sizeof *j);
	if (!j)
		return NULL;
	j->buf = malloc(BUFFER_BYTES);
	j->line = malloc(LINE_MAX_BYTES);
	if (!j->buf || !j->line) {
		lsr_jsonl_free(j);
		return NULL;
	}
	j->fd = fd;
	j->live = live;
	j->sink = (struct lsr_sink){ .ctx = j, .event = on_event, .group_end = on_group_end };
	return j;
}

const struct lsr_sink *lsr_jsonl_sink(struct lsr_jsonl *j) { return &j->sink; }

int lsr_jsonl_flush(struct lsr_jsonl *j, bool block)
{
	size_t off = 0;
	while (off < j->len && !j->failed) {
		ssize_t n = write(j->fd, j->buf + off, j->len - off);
		if (n > 0) {
			off += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (!block)
				break;
			struct pollfd p = { j->fd, POLLOUT, 0 };
			poll(&p, 1, -1);
		} else {
			j->failed = true; /* EPIPE, EIO, disk full: the reader is gone */
		}
	}
	if (j->failed)
		off = j->len;
	memmove(j->buf, j->buf + off, j->len - off);
	j->len -= off;
	return j->failed ? -1 : 0;
}

bool lsr_jsonl_pending(const struct lsr_jsonl *j) { return j->len > 0 && !j->failed; }
bool lsr_jsonl_failed(const struct lsr_jsonl *j) { return j->failed; }
uint64_t lsr_jsonl_dropped(const struct lsr_jsonl *j) { return j->dropped; }

void lsr_jsonl_free(struct lsr_jsonl *j)
{
	if (!j)
		return;
	free(j->buf);
	free(j->line);
	free(j);
}
