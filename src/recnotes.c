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

static void unescape(char *s)
{
	char *d = s;
	while (*s) {
		unsigned v;
		if (s[0] == '%' && s[1] && s[2] && sscanf(s + 1, "%2x", &v) == 1 &&
		    strchr("0123456789abcdefABCDEF", s[2])) {
			*d++ = (char)v;
			s += 3;
		} else {
			*d++ = *s++;
		}
	}
	*d = 0;
}

void lsr_recnotes_params(const struct lsr_params *p,
                         void (*emit)(void *ctx, const char *text), void *ctx)
{
	static const char head[] = P "params";
	char buf[LSR_RECNOTES_PARAMS_MAX + 1], val[3 * LSR_BUTTON_LABEL_MAX + 8];
	size_t n = 0;
	for (int i = 0; i < lsr_params_count(); i++) {
		char raw[LSR_BUTTON_LABEL_MAX + 32];
		lsr_params_format(p, i, raw, sizeof raw);
		escape(val, sizeof val, raw);
		char item[sizeof val + 64];
		int il = snprintf(item, sizeof item, " %s=%s", lsr_params_key(i), val);
		if (n && n + (size_t)il > LSR_RECNOTES_PARAMS_MAX) {
			emit(ctx, buf);
			n = 0;
		}
		if (!n)
			n = (size_t)snprintf(buf, sizeof buf, "%s", head);
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", item);
		if (n >= sizeof buf)
			n = sizeof buf - 1;
	}
	if (n)
		emit(ctx, buf);
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
	static const char head[] = P "case";
	char buf[LSR_RECNOTES_CASE_MAX + 1], val[3 * LSR_CASE_TEXT_MAX + 1];
	size_t n = 0;
	for (int f = 0; f < LSR_CASE_FIELDS; f++) {
		if (!c->value[f][0])
			continue;
		escape(val, sizeof val, c->value[f]);
		char item[sizeof val + 32];
		int il = snprintf(item, sizeof item, " %s=%s", lsr_case_details_key((enum lsr_case_field)f), val);
		if (n && n + (size_t)il > LSR_RECNOTES_CASE_MAX) {
			emit(ctx, buf);
			n = 0;
		}
		if (!n)
			n = (size_t)snprintf(buf, sizeof buf, "%s", head);
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", item);
		if (n >= sizeof buf)
			n = sizeof buf - 1;
	}
	if (n)
		emit(ctx, buf);
}

bool lsr_recnotes_apply_case(const char *text, struct lsr_case_details *c, int *bad)
{
	static const char head[] = P "case ";
	if (strncmp(text, head, sizeof head - 1) != 0)
		return false;
	char *copy = strdup(text + sizeof head - 1);
	if (!copy) {
		(*bad)++;
		return true;
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
		if (lsr_case_details_set(c, tok, eq + 1, err, sizeof err) < 0)
			(*bad)++;
	}
	free(copy);
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
	char *copy = strdup(text + sizeof ph - 1);
	if (!copy) {
		(*bad)++;
		return true;
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
		if (lsr_params_set(p, tok, eq + 1, err, sizeof err) < 0)
			(*bad)++;
	}
	free(copy);
	return true;
}
