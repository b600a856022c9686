/* drivers/ascii.c — the text line protocol: "#" settings lines and one data
 * line (marks, then C values in µV) per sample instant.
 *
 * Samples are implicitly contiguous; a corrupt line is one lost sample
 * instant, so the block index skips one there.  Marks are passed on as read
 * (reserved bits cleared): the stimulus finder (lsr_stimfind_scan's
 * after_gap) must not see a rising edge at the first sample after an
 * index jump. */
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "number.h"
#include "text.h"

#define ASCII_LINE_MAX 1024
#define ASCII_BLOCK 256

struct ascii_settings {
	bool have_rate, have_ch;
	int rate, channels;
	int nlabels;
	char labels[LSR_MAX_CHANNELS][LSR_LABEL_MAX];
	char device[128];
	char prefilter[80];
};

struct ascii {
	char line[ASCII_LINE_MAX + 2]; /* + '\r' + NUL */
	size_t llen;
	bool overlong;
	bool skip_line;               /* after resync: the first line is partial */
	struct ascii_settings set;
	bool have_cfg;
	struct lsr_stream_config cfg;
	uint64_t next_index;          /* index of the next sample instant */
	uint64_t blk_index;
	int blk_n;
	float samples[LSR_MAX_CHANNELS * ASCII_BLOCK];
	uint8_t marks[ASCII_BLOCK];
	struct lsr_driver_stats st;
};

static void *ascii_create(const struct lsr_driver_opts *opts, char *err, size_t errlen)
{
	(void)opts;
	struct ascii *p = calloc(1, sizeof *p);
	if (!p)
		snprintf(err, errlen, "ascii: out of memory");
	return p;
}

static void ascii_destroy(void *st)
{
	free(st);
}

static void flush(struct ascii *p, const struct lsr_source_sink *sink)
{
	if (p->blk_n == 0)
		return;
	struct lsr_block blk = {
		.index = p->blk_index, .nsamp = p->blk_n, .channels = p->cfg.channels,
		.stride = ASCII_BLOCK, .samples = p->samples, .marks = p->marks,
	};
	sink->block(sink->ctx, &blk);
	p->blk_n = 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool parse_int(const char *s, int lo, int hi, int *out)
{
	return lsr_number_int(s, lo, hi, out) == LSR_NUMBER_OK;
}

/* Applies one "#" line; an invalid value voids the whole line. */
static void settings_line(struct ascii *p, char *s)
{
	struct ascii_settings n = p->set;
	char *save = NULL;
	for (char *tok = strtok_r(s, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		char *eq = strchr(tok, '=');
		if (!eq)
			continue; /* a comment word */
		*eq = '\0';
		const char *key = tok, *val = eq + 1;
		bool ok = true;
		if (strcmp(key, "rate") == 0) {
			ok = parse_int(val, 250, 100000, &n.rate);
			n.have_rate = true;
		} else if (strcmp(key, "channels") == 0) {
			ok = parse_int(val, 1, LSR_MAX_CHANNELS, &n.channels);
			n.have_ch = true;
		} else if (strcmp(key, "labels") == 0) {
			n.nlabels = 0;
			for (const char *l = val;; n.nlabels++) {
				const char *comma = strchr(l, ',');
				size_t len = comma ? (size_t)(comma - l) : strlen(l);
				if (n.nlabels == LSR_MAX_CHANNELS) {
					ok = false;
					break;
				}
				if (len >= LSR_LABEL_MAX)
					len = LSR_LABEL_MAX - 1;
				char *dst = n.labels[n.nlabels];
				for (size_t k = 0; k < len; k++)
					dst[k] = l[k] == '_' ? ' ' : l[k];
				dst[len] = '\0';
				if (!comma) {
					n.nlabels++;
					break;
				}
				l = comma + 1;
			}
		} else if (strcmp(key, "device") == 0) {
			lsr_text_copy(n.device, sizeof n.device, val);
		} else if (strcmp(key, "prefilter") == 0) {
			lsr_text_copy(n.prefilter, sizeof n.prefilter, val);
		}
		if (!ok) {
			p->st.info_invalid++;
			return;
		}
	}
	p->set = n;
}

/* Makes the settings the current configuration if they differ from it. */
static void apply_settings(struct ascii *p, const struct lsr_source_sink *sink)
{
	struct lsr_stream_config c;
	memset(&c, 0, sizeof c);
	c.rate = p->set.rate;
	c.channels = p->set.channels;
	bool labels_ok = p->set.nlabels == c.channels;
	for (int k = 0; k < c.channels; k++) {
		if (labels_ok)
			memcpy(c.labels[k], p->set.labels[k], LSR_LABEL_MAX);
		else
			snprintf(c.labels[k], LSR_LABEL_MAX, "Ch%d", k);
	}
	memcpy(c.device, p->set.device, sizeof c.device);
	memcpy(c.prefilter, p->set.prefilter, sizeof c.prefilter);
	if (p->have_cfg && lsr_stream_config_same(&p->cfg, &c)) {
		memcpy(p->cfg.device, c.device, sizeof c.device);
		memcpy(p->cfg.prefilter, c.prefilter, sizeof c.prefilter);
		return;
	}
	if (p->set.nlabels && !labels_ok)
		p->st.info_invalid++; /* wrong label count: counted once per change */
	flush(p, sink);
	enum lsr_segment_reason why = p->have_cfg ? LSR_SEGMENT_CHANGED : LSR_SEGMENT_FIRST;
	p->cfg = c;
	p->have_cfg = true;
	sink->config(sink->ctx, &p->cfg, why);
}

/* Parses "marks v0 … v(C-1)" into the block; false if corrupt. */
static bool data_line(struct ascii *p, char *s)
{
	int C = p->cfg.channels, field = 0;
	float vals[LSR_MAX_CHANNELS];
	int marks = 0;
	while (is_blank(*s))
		s++;
	while (*s) {
		char *tok = s;
		while (*s && *s != ',' && !is_blank(*s))
			s++;
		if (s == tok)
			return false; /* an empty field: two commas */
		char *end = s;
		bool sep = false;
		while (is_blank(*s))
			s++, sep = true;
		if (*s == ',') {
			s++, sep = true;
			while (is_blank(*s))
				s++;
			if (*s == '\0')
				return false; /* trailing comma */
		}
		if (!sep && *s)
			return false;
		*end = '\0';
		if (field == 0) {
			if (!parse_int(tok, 0, 255, &marks))
				return false;
		} else {
			/* a sample is a float: beyond FLT_MAX it is not a value */
			double v;
			if (field > C || lsr_number_real(tok, -FLT_MAX, FLT_MAX, &v) != LSR_NUMBER_OK)
				return false;
			vals[field - 1] = (float)v;
		}
		field++;
	}
	if (field != C + 1)
		return false;
	if (p->blk_n == 0)
		p->blk_index = p->next_index;
	int i = p->blk_n++;
	p->marks[i] = (uint8_t)marks & (LSR_MARK_STIM | LSR_MARK_BUTTON);
	for (int c = 0; c < C; c++)
		p->samples[(size_t)c * ASCII_BLOCK + (size_t)i] = vals[c];
	p->next_index++;
	return true;
}

static void line_done(struct ascii *p, const struct lsr_source_sink *sink)
{
	bool overlong = p->overlong;
	size_t n = p->llen;
	p->llen = 0;
	p->overlong = false;
	if (p->skip_line) {
		p->skip_line = false;
		return;
	}
	if (!overlong && n && p->line[n - 1] == '\r')
		n--;
	p->line[n] = '\0';
	if (n == 0 && !overlong)
		return; /* an empty line carries nothing */
	bool corrupt = overlong || n > ASCII_LINE_MAX || strlen(p->line) != n;
	if (!corrupt && p->line[0] == '#') {
		settings_line(p, p->line + 1);
		return;
	}
	if (!corrupt) {
		if (!p->set.have_rate || !p->set.have_ch) {
			p->st.data_before_info++;
			return;
		}
		apply_settings(p, sink);
		if (data_line(p, p->line)) {
			p->st.frames++;
			if (p->blk_n == ASCII_BLOCK)
				flush(p, sink);
			return;
		}
	}
	p->st.corrupt_lines++;
	if (p->have_cfg) {
		/* one lost sample instant: the next block starts after a gap */
		flush(p, sink);
		p->next_index++;
	}
}

static void ascii_feed(void *st, const uint8_t *buf, size_t n,
                       const struct lsr_source_sink *sink)
{
	struct ascii *p = st;
	p->st.bytes += n;
	for (size_t i = 0; i < n; i++) {
		char c = (char)buf[i];
		if (c == '\n') {
			line_done(p, sink);
		} else if (p->llen < ASCII_LINE_MAX + 1) {
			p->line[p->llen++] = c;
		} else {
			p->overlong = true;
		}
	}
	flush(p, sink); /* deliver what arrived now: latency over block size */
}

static void ascii_resync(void *st)
{
	struct ascii *p = st;
	p->llen = 0;
	p->overlong = false;
	p->skip_line = true;
}

static void ascii_stats(const void *st, struct lsr_driver_stats *out)
{
	*out = ((const struct ascii *)st)->st;
}

const struct lsr_driver lsr_driver_ascii = {
	.name = "ascii",
	.summary = "text lines: marks and microvolts per sample, # settings",
	.default_baud = 921600,
	.capture_ext = ".txt",
	.capture_form = "text lines: a '# rate=N channels=N' header, then data lines",
	.create = ascii_create,
	.destroy = ascii_destroy,
	.feed = ascii_feed,
	.resync = ascii_resync,
	.stats = ascii_stats,
};
