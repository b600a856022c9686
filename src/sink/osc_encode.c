/* src/sink/osc_encode.c — one event into one OSC message with the type tags of
 * lsrmon(1) "OSC": numbers f, counts and indices i, booleans i, text s, lists
 * in start and end preceded by their length.  Every other address has one
 * fixed signature, so a receiver that unpacks by position ([unpack] in Pd,
 * Max) never sees an argument shift: nothing is ever sent as N (Pd's
 * [oscparse] rejects it); a missing number is f NaN, a missing text s "",
 * a true/false/null field i 1/0/-1. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osc_priv.h"
#include "params.h"

static const char *const paths[LSR_EV_COUNT] = {
	"/lsrmon/start", "/lsrmon/stim", "/lsrmon/response", "/lsrmon/baseline",
	"/lsrmon/channel_state", "/lsrmon/state", "/lsrmon/mark", "/lsrmon/link",
	"/lsrmon/gap", "/lsrmon/alarm", "/lsrmon/end",
};

const char *lsr_osc_path(enum lsr_event_type t) { return paths[t]; }

size_t lsr_osc_utf8_len(const unsigned char *s, size_t avail)
{
	if (avail == 0)
		return 0;
	unsigned c = s[0];
	size_t n;
	unsigned min;
	if (c < 0x80)
		return 1;
	else if ((c & 0xe0) == 0xc0) { n = 2; min = 0x80; c &= 0x1f; }
	else if ((c & 0xf0) == 0xe0) { n = 3; min = 0x800; c &= 0x0f; }
	else if ((c & 0xf8) == 0xf0) { n = 4; min = 0x10000; c &= 0x07; }
	else
		return 0;
	if (avail < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3fu);
	}
	/* Overlong forms, surrogates and code points past U+10FFFF are not
	 * UTF-8 (RFC 3629). */
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return n;
}

/* Text as OSC s, invalid UTF-8 replaced by U+FFFD as in the JSON Lines. */
static int add_text(lo_message m, const char *s)
{
	if (!s)
		s = "";
	size_t len = strlen(s);
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		size_t k = lsr_osc_utf8_len(u + i, len - i);
		if (k == 0)
			break;
		i += k;
	}
	if (i == len)
		return lo_message_add_string(m, s);
	char *clean = malloc(len * 3 + 1);
	if (!clean)
		return -1;
	size_t o = 0;
	for (i = 0; i < len;) {
		size_t k = lsr_osc_utf8_len(u + i, len - i);
		if (k == 0) {
			memcpy(clean + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		} else {
			memcpy(clean + o, s + i, k);
			o += k;
			i += k;
		}
	}
	clean[o] = '\0';
	int r = lo_message_add_string(m, clean);
	free(clean);
	return r;
}

/* A number, NaN when missing (the JSON Lines' null: NaN or infinite). */
static int add_num(lo_message m, double v)
{
	return lo_message_add_float(m, isfinite(v) ? (float)v : NAN);
}

static int add_int(lo_message m, int64_t v)
{
	if (v > INT32_MAX)
		v = INT32_MAX;
	if (v < INT32_MIN)
		v = INT32_MIN;
	return lo_message_add_int32(m, (int32_t)v);
}

static int add_bool(lo_message m, bool b) { return lo_message_add_int32(m, b ? 1 : 0); }

/* true/false/null as 1/0/-1: the values of enum lsr_tristate. */
static int add_tristate(lo_message m, enum lsr_tristate v)
{
	return lo_message_add_int32(m, v == LSR_TRUE ? 1 : v == LSR_FALSE ? 0 : -1);
}

static int add_start(lo_message m, const struct lsr_event *ev)
{
	int r = add_int(m, ev->start.segment);
	r |= add_text(m, ev->start.source);
	r |= add_text(m, ev->start.driver);
	r |= add_num(m, ev->start.rate);
	int nch = ev->start.channels ? ev->start.nch : 0;
	r |= add_int(m, nch);
	for (int i = 0; i < nch; i++) {
		const struct lsr_channel_info *c = &ev->start.channels[i];
		r |= add_int(m, c->index);
		r |= add_text(m, c->label);
		r |= add_text(m, lsr_role_name(c->role));
	}
	int np = ev->start.params ? lsr_params_count() : 0;
	r |= add_int(m, np);
	for (int i = 0; i < np; i++) {
		double num = 0;
		const char *text = NULL;
		r |= add_text(m, lsr_params_key(i));
		if (lsr_params_get(ev->start.params, i, &num, &text))
			r |= add_text(m, text);
		else
			r |= add_num(m, num);
	}
	int nw = ev->start.warnings ? ev->start.nwarn : 0;
	r |= add_int(m, nw);
	for (int i = 0; i < nw; i++)
		r |= add_text(m, ev->start.warnings[i]);
	r |= add_bool(m, ev->start.simulation);
	return r;
}

static int add_response(lo_message m, const struct lsr_event *ev)
{
	int r = add_int(m, ev->response.n);
	r |= add_int(m, ev->response.ch);
	r |= add_text(m, lsr_role_name(ev->response.role));
	r |= add_bool(m, ev->response.valid);
	r |= add_text(m, lsr_invalid_name(ev->response.invalid_reason));
	r |= add_tristate(m, ev->response.present);
	r |= add_num(m, ev->response.p2p_uv);
	r |= add_num(m, ev->response.onset_ms);
	r |= add_num(m, ev->response.area_uv_ms);
	r |= add_num(m, ev->response.late_p2p_uv);
	r |= add_num(m, ev->response.noise_uv);
	r |= add_num(m, ev->response.threshold_uv);
	r |= add_num(m, ev->response.amplitude_uv);
	r |= add_int(m, ev->response.trials);
	return r;
}

/* state.indeterminate_ch: one text of comma-separated indices, last
 * (docs/interface.md "OSC": a list in a fixed signature). */
static int add_index_list(lo_message m, const int *v, int n)
{
	char buf[LSR_MAX_CHANNELS * 4 + 1];
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		int w = snprintf(buf + used, sizeof buf - used, i ? ",%d" : "%d", v[i]);
		if (w < 0 || (size_t)w >= sizeof buf - used)
			break;
		used += (size_t)w;
	}
	return add_text(m, buf);
}

static int add_end(lo_message m, const struct lsr_event *ev)
{
	int r = add_text(m, lsr_final_name(ev->end.final));
	r |= add_text(m, lsr_phase_name(ev->end.final_phase));
	r |= add_int(m, ev->end.stims);
	const struct lsr_stats *s = ev->end.stats;
	if (!s)
		return r | add_int(m, 0);
	const struct { const char *name; uint64_t v; } st[] = {
		{ "bytes", s->drv.bytes }, { "frames", s->drv.frames },
		{ "crc_errors", s->drv.crc_errors }, { "format_errors", s->drv.format_errors },
		{ "resyncs", s->drv.resyncs }, { "dropped", s->drv.dropped },
		{ "lost_samples", s->drv.lost_samples }, { "corrupt_lines", s->drv.corrupt_lines },
		{ "info_invalid", s->drv.info_invalid }, { "data_before_info", s->drv.data_before_info },
		{ "output_dropped", s->output_dropped }, { "osc_dropped", s->osc_dropped },
	};
	int n = (int)(sizeof st / sizeof st[0]);
	/* Then mains_hz and hum_uv_<channel> (NaN: none), as name and value
	 * pairs like the counters. */
	r |= add_int(m, n + 1 + s->nhum);
	for (int i = 0; i < n; i++) {
		r |= add_text(m, st[i].name);
		r |= add_num(m, (double)st[i].v);
	}
	r |= add_text(m, "mains_hz");
	r |= add_num(m, s->nhum > 0 ? s->mains_hz : NAN);
	for (int c = 0; c < s->nhum; c++) {
		char name[24];
		snprintf(name, sizeof name, "hum_uv_%d", c);
		r |= add_text(m, name);
		r |= add_num(m, s->hum_uv[c]);
	}
	return r;
}

static int add_fields(lo_message m, const struct lsr_event *ev)
{
	int r;
	switch (ev->type) {
	case LSR_EV_START:
		return add_start(m, ev);
	case LSR_EV_STIM:
		r = add_int(m, ev->stim.n);
		return r | add_text(m, lsr_stim_origin_name(ev->stim.origin));
	case LSR_EV_RESPONSE:
		return add_response(m, ev);
	case LSR_EV_BASELINE:
		r = add_int(m, ev->baseline.ch);
		r |= add_num(m, ev->baseline.p2p_uv);
		r |= add_num(m, ev->baseline.onset_ms);
		r |= add_int(m, ev->baseline.trials);
		return r | add_bool(m, ev->baseline.provisional);
	case LSR_EV_CHANNEL_STATE:
		r = add_int(m, ev->channel_state.ch);
		r |= add_text(m, lsr_state_name(ev->channel_state.state));
		r |= add_text(m, lsr_state_name(ev->channel_state.prev));
		return r | add_text(m, lsr_reason_name(ev->channel_state.reason));
	case LSR_EV_STATE:
		r = add_text(m, lsr_state_name(ev->state.state));
		r |= add_text(m, lsr_state_name(ev->state.prev));
		r |= add_num(m, ev->state.since);
		r |= add_bool(m, ev->state.premature);
		r |= add_bool(m, ev->state.after_decompression);
		r |= add_num(m, ev->state.ratio);
		r |= add_bool(m, ev->state.verified);
		r |= add_bool(m, ev->state.provisional);
		return r | add_index_list(m, ev->state.indeterminate_ch, ev->state.nind);
	case LSR_EV_MARK:
		r = add_int(m, ev->mark.id);
		r |= add_text(m, ev->mark.label);
		return r | add_text(m, lsr_mark_origin_name(ev->mark.origin));
	case LSR_EV_LINK:
		return add_text(m, lsr_link_name(ev->link.status));
	case LSR_EV_GAP:
		return add_int(m, ev->gap.samples);
	case LSR_EV_ALARM:
		r = add_text(m, ev->alarm.what);
		return r | add_text(m, ev->alarm.text);
	case LSR_EV_END:
		return add_end(m, ev);
	case LSR_EV_COUNT:
		break;
	}
	return -1;
}

lo_message lsr_osc_encode(const struct lsr_event *ev)
{
	if ((unsigned)ev->type >= LSR_EV_COUNT)
		return NULL;
	lo_message m = lo_message_new();
	if (!m)
		return NULL;
	if ((add_num(m, ev->t) | add_fields(m, ev)) != 0) {
		lo_message_free(m);
		return NULL;
	}
	return m;
}

lo_message lsr_osc_encode_sweep(int n, int ch, double rate, const float *raw, int len)
{
	if (len < 0 || (len > 0 && !raw) || (size_t)len > INT32_MAX / 4)
		return NULL;
	size_t bytes = (size_t)len * 4;
	unsigned char *le = malloc(bytes ? bytes : 1);
	if (!le)
		return NULL;
	/* Little-endian on the wire whatever the host order. */
	for (int i = 0; i < len; i++) {
		uint32_t u;
		memcpy(&u, &raw[i], 4);
		le[4 * i] = (unsigned char)u;
		le[4 * i + 1] = (unsigned char)(u >> 8);
		le[4 * i + 2] = (unsigned char)(u >> 16);
		le[4 * i + 3] = (unsigned char)(u >> 24);
	}
	lo_blob b = lo_blob_new((int32_t)bytes, le);
	free(le);
	lo_message m = b ? lo_message_new() : NULL;
	if (!m) {
		if (b)
			lo_blob_free(b);
		return NULL;
	}
	int r = add_int(m, n);
	r |= add_int(m, ch);
	r |= add_num(m, rate);
	r |= lo_message_add_blob(m, b);
	lo_blob_free(b);
	if (r != 0) {
		lo_message_free(m);
		return NULL;
	}
	return m;
}
