/* src/recnotes.c — events as recording annotations, and the stored
 * parameters and montage parsed back (see recnotes.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recnotes.h"

#define P LSR_RECNOTES_PREFIX

static void num(char *b, size_t len, double x, const char *fmt)
{
	if (isfinite(x))
		snprintf(b, len, fmt, x);
	else
		snprintf(b, len, "null");
}

bool lsr_recnotes_event(const struct lsr_event *ev, char *buf, size_t len)
{
	char a[32], b[32];
	switch (ev->type) {
	case LSR_EV_MARK:
		snprintf(buf, len, "%s", ev->mark.label ? ev->mark.label : "");
		return true;
	case LSR_EV_START:
		snprintf(buf, len, P "Start segment %d source %s driver %s rate %d",
		         ev->start.segment, ev->start.source ? ev->start.source : "",
		         ev->start.driver ? ev->start.driver : "", ev->start.rate);
		return true;
	case LSR_EV_STATE:
		num(a, sizeof a, ev->state.ratio, "%.3f");
		snprintf(buf, len, P "State %s (was %s) since %.4f%s%s ratio %s%s%s",
		         lsr_state_name(ev->state.state), lsr_state_name(ev->state.prev),
		         ev->state.since, ev->state.premature ? " premature" : "",
		         ev->state.after_decompression ? " after_decompression" : "", a,
		         ev->state.verified ? " verified" : " unverified",
		         ev->state.provisional ? " provisional" : "");
		return true;
	case LSR_EV_CHANNEL_STATE:
		snprintf(buf, len, P "Channel %d %s (was %s)", ev->channel_state.ch,
		         lsr_state_name(ev->channel_state.state),
		         lsr_state_name(ev->channel_state.prev));
		return true;
	case LSR_EV_BASELINE:
		num(a, sizeof a, ev->baseline.p2p_uv, "%.1f");
		num(b, sizeof b, ev->baseline.onset_ms, "%.2f");
		snprintf(buf, len, P "Baseline ch %d p2p %s uV onset %s ms trials %d%s",
		         ev->baseline.ch, a, b, ev->baseline.trials,
		         ev->baseline.provisional ? " provisional" : "");
		return true;
	case LSR_EV_LINK:
		snprintf(buf, len, P "Link %s", lsr_link_name(ev->link.status));
		return true;
	case LSR_EV_ALARM:
		snprintf(buf, len, P "Alarm %s: %s", ev->alarm.what ? ev->alarm.what : "",
		         ev->alarm.text ? ev->alarm.text : "");
		return true;
	case LSR_EV_END: {
		const char *ph = lsr_phase_name(ev->end.final_phase);
		snprintf(buf, len, P "End %s%s%s stims %d", lsr_final_name(ev->end.final),
		         ph ? " " : "", ph ? ph : "", ev->end.stims);
		return true;
	}
	default:
		return false;
	}
}

/* Escape what would break "k=v k=v" splitting or a TAL. */
static size_t escape(char *dst, size_t cap, const char *src)
{
	size_t n = 0;
	for (const unsigned char *s = (const unsigned char *)src; *s; s++) {
		char e[4] = { (char)*s, 0 };
		if (*s <= ' ' || *s == '%' || *s == 127)
			snprintf(e, sizeof e, "%%%02X", *s);
		size_t el = strlen(e);
		if (n + el >= cap)
			break;
		memcpy(dst + n, e, el);
		n += el;
	}
	dst[n] = 0;
	return n;
}

/* One hex digit's value, or -1: the %XX of escape() is a byte, not a number. */
static int nibble(char c)
{
	static const char hex[] = "0123456789abcdef";
	const char *p = c ? strchr(hex, c | 0x20) : NULL;
	return p ? (int)(p - hex) : -1;
}

static void unescape(char *s)
{
	char *d = s;
	while (*s) {
		int hi, lo;
		if (s[0] == '%' && (hi = nibble(s[1])) >= 0 && (lo = nibble(s[2])) >= 0) {
			*d++ = (char)(hi << 4 | lo);
			s += 3;
		} else {
			*d++ = *s++;
		}
	}
	*d = 0;
}

/* Items packed into annotations of at most max bytes after head, each
 * emitted when the next item would not fit. */
struct pack {
	char *buf;           /* max + 1 bytes */
	size_t max, n;
	const char *head;
	void (*emit)(void *ctx, const char *text);
	void *ctx;
};

static void pack(struct pack *k, const char *item, int il)
{
	if (k->n && k->n + (size_t)il > k->max) {
		k->emit(k->ctx, k->buf);
		k->n = 0;
	}
	if (!k->n)
		k->n = (size_t)snprintf(k->buf, k->max + 1, "%s", k->head);
	k->n += (size_t)snprintf(k->buf + k->n, k->max + 1 - k->n, "%s", item);
	if (k->n > k->max)
		k->n = k->max;
}

static void pack_end(struct pack *k)
{
	if (k->n)
		k->emit(k->ctx, k->buf);
}

void lsr_recnotes_params(const struct lsr_params *p,
                         void (*emit)(void *ctx, const char *text), void *ctx)
{
	char buf[LSR_RECNOTES_PARAMS_MAX + 1], val[3 * LSR_BUTTON_LABEL_MAX + 8];
	struct pack k = { buf, LSR_RECNOTES_PARAMS_MAX, 0, P "params", emit, ctx };
	for (int i = 0; i < lsr_params_count(); i++) {
		char raw[LSR_BUTTON_LABEL_MAX + 32];
		lsr_params_format(p, i, raw, sizeof raw);
		escape(val, sizeof val, raw);
		char item[sizeof val + 64];
		pack(&k, item, snprintf(item, sizeof item, " %s=%s", lsr_params_key(i), val));
	}
	pack_end(&k);
}

void lsr_recnotes_montage(const struct lsr_channel_info *ch, int nch,
                          char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, P "montage ");
	for (int i = 0; i < nch && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%d:%s", i ? "," : "",
		                      ch[i].index, lsr_role_name(ch[i].role));
}

void lsr_recnotes_case(const struct lsr_case_details *c,
                       void (*emit)(void *ctx, const char *text), void *ctx)
{
	char buf[LSR_RECNOTES_CASE_MAX + 1], val[3 * LSR_CASE_TEXT_MAX + 1];
	struct pack k = { buf, LSR_RECNOTES_CASE_MAX, 0, P "case", emit, ctx };
	for (int f = 0; f < LSR_CASE_FIELDS; f++) {
		if (!c->value[f][0])
			continue;
		escape(val, sizeof val, c->value[f]);
		char item[sizeof val + 32];
		pack(&k, item, snprintf(item, sizeof item, " %s=%s",
		                        lsr_case_details_key((enum lsr_case_field)f), val));
	}
	pack_end(&k);
}

/* The "k=v k=v" list of a params or case annotation, each value unescaped
 * and given to set(obj, …); a pair it refuses counts in *bad. */
static void apply_pairs(const char *list, void *obj, int *bad,
                        int (*set)(void *obj, const char *k, const char *v, char *err, size_t errlen))
{
	char *copy = strdup(list);
	if (!copy) {
		(*bad)++;
		return;
	}
	char *save = NULL;
	for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');
		char err[160];
		if (!eq) {
			(*bad)++;
			continue;
		}
		*eq = 0;
		unescape(eq + 1);
		if (set(obj, tok, eq + 1, err, sizeof err) < 0)
			(*bad)++;
	}
	free(copy);
}

static int set_case(void *c, const char *k, const char *v, char *err, size_t errlen)
{
	return lsr_case_details_set(c, k, v, err, errlen);
}

static int set_param(void *p, const char *k, const char *v, char *err, size_t errlen)
{
	return lsr_params_set(p, k, v, err, errlen);
}

bool lsr_recnotes_apply_case(const char *text, struct lsr_case_details *c, int *bad)
{
	static const char head[] = P "case ";
	if (strncmp(text, head, sizeof head - 1) != 0)
		return false;
	apply_pairs(text + sizeof head - 1, c, bad, set_case);
	return true;
}

bool lsr_recnotes_apply(const char *text, struct lsr_params *p, char *montage,
                        size_t montage_len, int *bad)
{
	static const char ph[] = P "params ", mh[] = P "montage ";
	if (strncmp(text, mh, sizeof mh - 1) == 0) {
		snprintf(montage, montage_len, "%s", text + sizeof mh - 1);
		return true;
	}
	if (strncmp(text, ph, sizeof ph - 1) != 0)
		return false;
	apply_pairs(text + sizeof ph - 1, p, bad, set_param);
	return true;
}
