/* src/recnotes.c — events as recording annotations, and the stored
 * parameters and montage parsed back (see recnotes.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "number.h"
#include "recnotes.h"

#define P LSR_RECNOTES_PREFIX

static void num(char *b, size_t len, double x, const char *fmt)
{
	if (isfinite(x))
		snprintf(b, len, fmt, x);
	else
		snprintf(b, len, "null");
}

/* A state in plain words, for a clinician reading the annotation list. */
static const char *state_words(enum lsr_state st, bool premature, bool after)
{
	switch (st) {
	case LSR_STATE_ACQUIRING: return "acquiring the baseline";
	case LSR_STATE_PRESENT: return "LSR present";
	case LSR_STATE_REDUCED: return "LSR reduced";
	case LSR_STATE_DISAPPEARED:
		return premature ? "LSR disappeared before decompression" :
		       after ? "LSR disappeared after decompression" : "LSR disappeared";
	case LSR_STATE_STIMULATION_FAILURE: return "stimulation failure";
	case LSR_STATE_NO_STIMULUS: return "no stimulus";
	case LSR_STATE_NOT_DETECTED: return "no LSR detected";
	case LSR_STATE_INDETERMINATE: return "LSR indeterminate";
	case LSR_STATE_COUNT: break;
	}
	return lsr_state_name(st);
}

bool lsr_recnotes_is_state(const char *text)
{
	static const char old[] = P "State ";
	if (!strncmp(text, old, sizeof old - 1))
		return true;
	for (int st = 0; st < LSR_STATE_COUNT; st++)
		for (int ph = 0; ph < 3; ph++) {
			const char *w = state_words((enum lsr_state)st, ph == 1, ph == 2);
			size_t n = strlen(w);
			if (!strncmp(text, P, sizeof P - 1) && !strncmp(text + sizeof P - 1, w, n) &&
			    !strncmp(text + sizeof P - 1 + n, " (was ", 6))
				return true;
		}
	return false;
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
	case LSR_EV_STATE: {
		num(a, sizeof a, ev->state.ratio, "%.3f");
		/* the channels that cannot be judged, as "; channel 1 indeterminate" */
		char ind[96] = "";
		size_t used = 0;
		for (int i = 0; i < ev->state.nind && used < sizeof ind; i++) {
			int w = snprintf(ind + used, sizeof ind - used, "%s%d",
			                 i ? "," : ev->state.nind > 1 ? "; channels " : "; channel ",
			                 ev->state.indeterminate_ch[i]);
			if (w < 0)
				break;
			used += (size_t)w;
		}
		if (ev->state.nind && used < sizeof ind)
			snprintf(ind + used, sizeof ind - used, " indeterminate");
		snprintf(buf, len, P "%s (was %s; since %.4f s, ratio %s, %s%s%s)",
		         state_words(ev->state.state, ev->state.premature, ev->state.after_decompression),
		         lsr_state_name(ev->state.prev), ev->state.since, a,
		         ev->state.verified ? "verified" : "unverified",
		         ev->state.provisional ? ", provisional baseline" : "", ind);
		return true;
	}
	case LSR_EV_CHANNEL_STATE: {
		const char *why = lsr_reason_name(ev->channel_state.reason);
		snprintf(buf, len, P "channel %d: %s (was %s%s%s)", ev->channel_state.ch,
		         state_words(ev->channel_state.state, false, false),
		         lsr_state_name(ev->channel_state.prev), why ? "; " : "",
		         why ? (ev->channel_state.reason == LSR_REASON_NOISE
		                        ? "noise too high for this LSR"
		                        : "no valid trials")
		             : "");
		return true;
	}
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

/* Escape what would break "k=v k=v" or "a,b" splitting, or a TAL. */
static size_t escape(char *dst, size_t cap, const char *src)
{
	size_t n = 0;
	for (const unsigned char *s = (const unsigned char *)src; *s; s++) {
		char e[4] = { (char)*s, 0 };
		if (*s <= ' ' || *s == '%' || *s == ',' || *s == 127)
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

void lsr_recnotes_montage(const struct lsr_channel_info *ch, int nch, long utc_offset_s,
                          char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, P "montage ");
	for (int i = 0; i < nch && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%d:%s", i ? "," : "",
		                      ch[i].index, lsr_role_name(ch[i].role));
	long a = utc_offset_s < 0 ? -utc_offset_s : utc_offset_s;
	if (n < len)
		n += (size_t)snprintf(buf + n, len - n, " utc=%c%02ld:%02ld labels=",
		                      utc_offset_s < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	/* Whole labels only: a list cut short is one a reader ignores. */
	for (int i = 0; i < nch && n < len; i++) {
		char e[3 * LSR_LABEL_MAX];
		size_t el = escape(e, sizeof e, ch[i].label ? ch[i].label : "") + (i > 0);
		if (n + el >= len)
			break;
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "," : "", e);
	}
}

bool lsr_recnotes_recording(const char *text, struct lsr_recnotes_rec *out)
{
	static const char mh[] = P "montage ";
	if (strncmp(text, mh, sizeof mh - 1) != 0)
		return false;
	const char *u = strstr(text, " utc="), *l = strstr(text, " labels=");
	/* utc=±HH:MM, two digits each */
	double h, m;
	if (u && strnlen(u + 5, 6) == 6 && (u[5] == '+' || u[5] == '-') && u[8] == ':' &&
	    lsr_number_field(u + 6, 2, LSR_NUMBER_INTEGER, 0, 18, &h) == LSR_NUMBER_OK &&
	    lsr_number_field(u + 9, 2, LSR_NUMBER_INTEGER, 0, 59, &m) == LSR_NUMBER_OK) {
		out->has_utc = true;
		out->utc_offset_s = (u[5] == '-' ? -1L : 1L) * (long)(h * 3600 + m * 60);
	}
	if (!l)
		return true;
	const char *p = l + 8;
	out->nlabels = 0;
	while (*p && *p != ' ' && out->nlabels < LSR_MAX_CHANNELS) {
		size_t k = strcspn(p, ", ");
		char raw[3 * LSR_LABEL_MAX];
		snprintf(raw, sizeof raw, "%.*s", (int)(k < sizeof raw ? k : sizeof raw - 1), p);
		unescape(raw);
		size_t rl = strnlen(raw, LSR_LABEL_MAX - 1);
		memcpy(out->labels[out->nlabels], raw, rl);
		out->labels[out->nlabels++][rl] = 0;
		p += k;
		if (*p != ',')
			break;
		p++;
	}
	return true;
}

/* Abbreviations of the facial muscles' words, applied one by one (in this
 * order) only while an EDF label is still too long. */
static const struct { const char *word, *abbr; } abbreviations[] = {
	{ "orbicularis", "Orb" }, { "superioris", "sup" }, { "inferioris", "inf" },
	{ "depressor", "Dep" }, { "levator", "Lev" }, { "zygomaticus", "Zyg" },
	{ "anguli", "ang" }, { "labii", "lab" }, { "corrugator", "Corr" },
	{ "supercilii", "sup" }, { "frontalis", "Front" }, { "mentalis", "Ment" },
	{ "buccinator", "Bucc" }, { "platysma", "Plat" }, { "masseter", "Mass" },
	{ "temporalis", "Temp" }, { "nasalis", "Nas" }, { "risorius", "Ris" },
	{ "major", "maj" }, { "minor", "min" },
};

static bool word_is(const char *w, size_t n, const char *ref)
{
	return strlen(ref) == n && strncasecmp(w, ref, n) == 0;
}

void lsr_recnotes_edf_label(const char *label, char out[LSR_RECNOTES_EDF_LABEL + 1])
{
	char words[8][LSR_LABEL_MAX];
	int nw = 0;
	char side = 0;
	for (const char *p = label ? label : ""; *p && nw < 8;) {
		while (*p == ' ' || *p == '_' || *p == '-' || *p == '\t')
			p++;
		size_t n = strcspn(p, " _-\t");
		if (!n)
			break;
		if (nw == 0 && !side && word_is(p, n, "EMG")) {
			/* already in the EDF+ form */
		} else if (!side && (word_is(p, n, "L") || word_is(p, n, "left") || word_is(p, n, "lt"))) {
			side = 'L';
		} else if (!side && (word_is(p, n, "R") || word_is(p, n, "right") || word_is(p, n, "rt"))) {
			side = 'R';
		} else {
			snprintf(words[nw++], LSR_LABEL_MAX, "%.*s", (int)n, p);
		}
		p += n;
	}
	size_t next = 0;
	char b[8 * LSR_LABEL_MAX + 8];
	for (;;) {
		size_t n = (size_t)snprintf(b, sizeof b, "EMG");
		if (side)
			n += (size_t)snprintf(b + n, sizeof b - n, " %c", side);
		for (int i = 0; i < nw; i++)
			n += (size_t)snprintf(b + n, sizeof b - n, " %s", words[i]);
		if (n <= LSR_RECNOTES_EDF_LABEL || next == sizeof abbreviations / sizeof abbreviations[0])
			break;
		for (int i = 0; i < nw; i++)
			if (!strcasecmp(words[i], abbreviations[next].word))
				snprintf(words[i], LSR_LABEL_MAX, "%s", abbreviations[next].abbr);
		next++;
	}
	size_t n = strnlen(b, LSR_RECNOTES_EDF_LABEL);
	while (n > 0 && b[n - 1] == ' ') /* cut between words */
		n--;
	memcpy(out, b, n);
	out[n] = 0;
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
	if (strncmp(text, mh, sizeof mh - 1) == 0) { /* the spec; then utc=, labels= */
		const char *spec = text + sizeof mh - 1;
		snprintf(montage, montage_len, "%.*s", (int)strcspn(spec, " "), spec);
		return true;
	}
	if (strncmp(text, ph, sizeof ph - 1) != 0)
		return false;
	apply_pairs(text + sizeof ph - 1, p, bad, set_param);
	return true;
}
