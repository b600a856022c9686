/* src/source/source_edf.c — replay of an EDF+/BDF+ recording through the same
 * pipeline as live data: samples paced on the stream clock, the Trigger or
 * Status channel as the marks byte (bit 7 = not acquired → a gap), plain
 * annotations as labelled marks, lsrmon's own annotations kept as the
 * stored settings (see source_edf.h).  EDFlib opens and validates the
 * file and reads its annotations; the samples are read by edfdata.c and
 * decoded on a thread of their own (ahead.h), paced by the pump. */
#include <edflib.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "ahead.h"
#include "edfdata.h"
#include "recnotes.h"
#include "source_edf.h"

#define CHUNK LSR_MAX_BLOCK
#define PUMP_BYTES 262144 /* decoded data handed on per pump */
#define REBASE_S 0.5 /* behind by more (a pause, a stall): do not catch up */

struct label {
	uint64_t index;
	size_t order; /* in the file: equal onsets keep it */
	char *text;
};

static int by_index(const void *a, const void *b)
{
	const struct label *x = a, *y = b;
	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Padding: the instants [from, to), lost or only completing the file. */
struct pad {
	int64_t from, to;
	bool lost;
};

static int by_from(const void *a, const void *b)
{
	const struct pad *x = a, *y = b;
	return x->from < y->from ? -1 : x->from > y->from;
}

struct edf_source {
	struct lsr_source src;             /* what the session holds */
	int hd;
	bool bdf;
	int nsig, trig;                    /* EDFlib signals (annotations hidden); Trigger index or -1 */
	int sig[LSR_MAX_CHANNELS + 1];     /* analog channel c → EDFlib signal; then the Trigger */
	/* digital → µV as EDFlib's physical values (× the unit's factor) */
	struct lsr_edfdata_scale scale[LSR_MAX_CHANNELS];
	struct lsr_stream_config cfg;
	int64_t total;                     /* samples per channel */
	int bytes_per_instant;             /* for stats.bytes */
	struct label *labels;
	size_t nlabels;
	char **settings;
	size_t nsettings;
	struct pad *pads;
	size_t npads;
	double start_epoch;                /* header start date/time */
	bool has_utc;                      /* the recording stored its UTC offset */
	long utc_offset_s;
	char patient[81];                  /* the header's patient field; "" when anonymous */
	/* the decoding thread's while it runs */
	struct lsr_edfdata *data;
	int64_t read_pos;                  /* instants read */
	size_t next_label, next_pad;
	bool configured;
	struct lsr_driver_stats dstats;
	/* Padding (not-acquired instants) counts as lost only once acquired
	 * samples follow it, and only the first time that stretch is read:
	 * the recording's end is not a loss, nor is reading it again after a
	 * seek. */
	int64_t pad_run, lost_counted_to;
	int32_t tbuf[CHUNK];               /* the Trigger's digital values */
	float samples[LSR_MAX_CHANNELS * CHUNK]; /* a chunk with gaps in it */
	uint8_t marks[CHUNK];
	/* the loop's */
	struct lsr_ahead *ahead;           /* NULL until the first pump, and after a rewind */
	int64_t pos;                       /* instants handed on (gaps included) */
	int64_t pos0, due;
	double speed, t0;
	bool started, paused;
	struct lsr_driver_stats stats;     /* as of what was handed on */
	const struct lsr_source_env *env;  /* during pump only */
	struct lsr_source_sink wrap;
};

static void trim(char *s)
{
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		s[--n] = 0;
}

static double unit_to_uv(const char *dim)
{
	char d[16];
	snprintf(d, sizeof d, "%s", dim);
	trim(d);
	if (!strcmp(d, "mV"))
		return 1e3;
	if (!strcmp(d, "V"))
		return 1e6;
	if (!strcmp(d, "nV"))
		return 1e-3;
	return 1; /* uV, µV, or unknown: taken as µV */
}

static const char *edf_driver_name(void *st)
{
	return ((struct edf_source *)st)->bdf ? "bdf" : "edf";
}

static int edf_poll_fd(void *st)
{
	struct edf_source *s = st;
	return s->ahead && !s->paused ? lsr_ahead_fd(s->ahead) : -1;
}

/* Deliver the instants [from, to) of the chunk in the buffers. */
static void deliver(struct edf_source *s, int64_t base, int from, int to,
                    const struct lsr_source_sink *sink)
{
	if (to <= from)
		return;
	struct lsr_block b = {
		.index = (uint64_t)(base + from), .nsamp = to - from,
		.channels = s->cfg.channels, .stride = CHUNK,
		.samples = s->samples + from, .marks = s->marks + from,
	};
	sink->block(sink->ctx, &b);
}

static void labels_until(struct edf_source *s, int64_t end, const struct lsr_source_sink *sink)
{
	while (s->next_label < s->nlabels && (int64_t)s->labels[s->next_label].index < end) {
		if (sink->label)
			sink->label(sink->ctx, s->labels[s->next_label].index,
			            s->labels[s->next_label].text);
		s->next_label++;
	}
}

/* The chunk's samples as µV, channel c at out + c × stride. */
static bool read_uv(struct edf_source *s, int n, float *out, size_t stride)
{
	float *o[LSR_MAX_CHANNELS];
	for (int c = 0; c < s->cfg.channels; c++)
		o[c] = out + (size_t)c * stride;
	return lsr_edfdata_read_uv(s->data, s->read_pos, n, s->sig, s->cfg.channels, s->scale, o);
}

/* Read and deliver up to n instants; false on a read error.  A chunk
 * without padding is decoded straight into the decoder's ring. */
static bool chunk(struct edf_source *s, int n, const struct lsr_source_sink *sink)
{
	bool gaps = false;
	if (s->trig >= 0) {
		int32_t *t = s->tbuf;
		if (!lsr_edfdata_read(s->data, s->read_pos, n, &s->sig[s->cfg.channels], 1, &t))
			return false;
		for (int i = 0; i < n; i++) { /* the button bit comes back from annotations only */
			s->marks[i] = (uint8_t)(t[i] & 0xff & ~LSR_MARK_BUTTON);
			gaps |= (s->marks[i] & LSR_MARK_NOT_ACQUIRED) != 0;
		}
	} else {
		memset(s->marks, 0, (size_t)n);
	}
	int64_t base = s->read_pos;
	labels_until(s, base + n, sink);
	size_t p = s->next_pad;
	while (p < s->npads && s->pads[p].to <= base)
		p++;
	gaps |= s->pad_run > 0 || (p < s->npads && s->pads[p].from < base + n);
	/* A chunk without padding is decoded straight into the ring. */
	uint8_t *marks;
	float *room = gaps ? NULL : lsr_ahead_block_room(sink, (uint64_t)base, n, s->cfg.channels, &marks);
	if (room) {
		if (!read_uv(s, n, room, (size_t)n)) {
			lsr_ahead_block_drop(sink);
			return false;
		}
		memcpy(marks, s->marks, (size_t)n);
	} else {
		if (!read_uv(s, n, s->samples, CHUNK))
			return false;
		int run = 0;
		for (int i = 0; i < n; i++) {
			while (p < s->npads && s->pads[p].to <= base + i)
				p++;
			bool in_pad = p < s->npads && s->pads[p].from <= base + i;
			if (in_pad || (s->marks[i] & LSR_MARK_NOT_ACQUIRED)) { /* a gap, not samples */
				deliver(s, base, run, i, sink);
				run = i + 1;
				/* Lost samples are those of a gap that real samples
				 * follow (a BAD span's padding, or Trigger bit 7 of older
				 * recordings), each counted once: not the padding of the
				 * recording's end, and not again when a seek reads it. */
				if (!in_pad || s->pads[p].lost)
					s->pad_run++;
			} else if (s->pad_run) {
				if (base + i > s->lost_counted_to) {
					s->dstats.lost_samples += (uint64_t)s->pad_run;
					s->lost_counted_to = base + i;
				}
				s->pad_run = 0;
			}
		}
		deliver(s, base, run, n, sink);
	}
	s->next_pad = p;
	s->read_pos += n;
	s->dstats.frames++;
	s->dstats.bytes += (uint64_t)n * (uint64_t)s->bytes_per_instant;
	return true;
}

/* The decoding thread: the configuration first, then a chunk per step,
 * the annotations after the last sample at the end. */
static bool decode_step(void *ctx, const struct lsr_source_sink *sink, struct lsr_driver_stats *st)
{
	struct edf_source *s = ctx;
	bool more = true;
	if (!s->configured) {
		sink->config(sink->ctx, &s->cfg, LSR_SEGMENT_FIRST);
		s->configured = true;
	} else if (s->read_pos >= s->total) {
		labels_until(s, INT64_MAX, sink);
		more = false;
	} else {
		/* Blocks of 10 ms of stream: the pump paces block by block. */
		int64_t left = s->total - s->read_pos, step = s->cfg.rate / 100;
		if (step < 1)
			step = 1;
		if (step > CHUNK)
			step = CHUNK;
		if (!chunk(s, (int)(left < step ? left : step), sink)) {
			s->dstats.format_errors++;
			s->read_pos = s->total;
		}
	}
	*st = s->dstats;
	return more;
}

/* The loop's side: where the replay is, for pacing and position. */
static void wrap_config(void *ctx, const struct lsr_stream_config *cfg, enum lsr_segment_reason why)
{
	struct edf_source *s = ctx;
	s->env->sink->config(s->env->sink->ctx, cfg, why);
}

static void wrap_block(void *ctx, const struct lsr_block *blk)
{
	struct edf_source *s = ctx;
	s->pos = (int64_t)blk->index + blk->nsamp;
	s->env->sink->block(s->env->sink->ctx, blk);
}

static void wrap_label(void *ctx, uint64_t index, const char *label)
{
	struct edf_source *s = ctx;
	if (s->env->sink->label)
		s->env->sink->label(s->env->sink->ctx, index, label);
}

static bool paced_go_on(void *ctx)
{
	struct edf_source *s = ctx;
	return s->pos < s->due;
}

static int edf_pump(void *st, double now, const struct lsr_source_env *env)
{
	struct edf_source *s = st;
	if (s->paused)
		return -1;
	if (!lsr_ahead_ensure(&s->ahead, decode_step, s, env)) {
		return LSR_SOURCE_END;
	}
	s->env = env;
	int ret = 0;
	enum lsr_ahead_status status;
	double rate = s->cfg.rate;
	if (s->speed <= 0) {
		status = lsr_ahead_drain(s->ahead, &s->wrap, NULL, NULL, PUMP_BYTES, &s->stats);
	} else {
		if (!s->started) {
			s->started = true;
			s->t0 = now;
			s->pos0 = s->pos;
		}
		s->due = s->pos0 + (int64_t)floor((now - s->t0) * s->speed * rate);
		if (s->due - s->pos > (int64_t)(REBASE_S * s->speed * rate)) { /* paused or stalled */
			s->pos0 = s->pos;
			s->t0 = now;
			s->due = s->pos;
		}
		status = lsr_ahead_drain(s->ahead, &s->wrap, paced_go_on, s, PUMP_BYTES, &s->stats);
		if (status == LSR_AHEAD_MORE) {
			/* Next call when about 10 ms of stream (at least one sample) is due. */
			double target = (double)(s->pos - s->pos0) + fmax(0.01 * rate, 1.0);
			double wait_ms = ceil((s->t0 + target / (s->speed * rate) - now) * 1000.0);
			ret = wait_ms < 1 ? 1 : wait_ms > 1000 ? 1000 : (int)wait_ms;
		}
	}
	s->env = NULL;
	if (status == LSR_AHEAD_EMPTY)
		return -1;
	if (status == LSR_AHEAD_END)
		return LSR_SOURCE_END;
	return ret;
}

static int edf_rewind(void *st)
{
	struct edf_source *s = st;
	lsr_ahead_stop(s->ahead); /* the reader is ours again */
	s->ahead = NULL;
	s->read_pos = 0;
	s->pad_run = 0;
	s->next_label = 0;
	s->next_pad = 0;
	s->configured = false;
	s->pos = 0; /* the counters go on: a second pass reads the bytes again */
	s->started = false;
	return 0;
}

static void edf_set_speed(void *st, double speed, bool paused, double now)
{
	struct edf_source *s = st;
	(void)now; /* the clock restarts at the next pump, from the current position */
	s->speed = speed > 0 && isfinite(speed) ? speed : 0;
	s->paused = paused;
	s->started = false;
}

static void edf_stats(const void *st, struct lsr_driver_stats *out)
{
	*out = ((const struct edf_source *)st)->stats;
}

static void edf_destroy(void *st)
{
	struct edf_source *s = st;
	if (!s)
		return;
	lsr_ahead_stop(s->ahead);
	lsr_edfdata_free(s->data);
	if (s->hd >= 0)
		edfclose_file(s->hd);
	for (size_t i = 0; i < s->nlabels; i++)
		free(s->labels[i].text);
	for (size_t i = 0; i < s->nsettings; i++)
		free(s->settings[i]);
	free(s->labels);
	free(s->settings);
	free(s->pads);
	free(s);
}

static int edf_settings(const void *st, struct lsr_params *p_out, char *montage_out, size_t len)
{
	const struct edf_source *s = st;
	int applied = 0, bad = 0;
	for (size_t i = 0; i < s->nsettings; i++)
		applied += lsr_recnotes_apply(s->settings[i], p_out, montage_out, len, &bad);
	return applied;
}

static void edf_case_details(const void *st, struct lsr_case_details *out)
{
	const struct edf_source *s = st;
	struct lsr_case_details stored = { 0 };
	int bad = 0;
	for (size_t i = 0; i < s->nsettings; i++)
		lsr_recnotes_apply_case(s->settings[i], &stored, &bad);
	if (!stored.value[LSR_CASE_PATIENT][0]) {
		char e[160];
		if (lsr_case_details_set(&stored, "patient", s->patient, e, sizeof e) < 0)
			stored.value[LSR_CASE_PATIENT][0] = '\0';
	}
	lsr_case_details_fill(out, &stored);
}

static void edf_position(const void *st, double *pos_s, double *len_s)
{
	const struct edf_source *s = st;
	*pos_s = (double)s->pos / s->cfg.rate;
	*len_s = (double)s->total / s->cfg.rate;
}

static double edf_wall_start(const void *st)
{
	const struct edf_source *s = st;
	return s->start_epoch;
}

static bool edf_utc_offset(const void *st, long *out)
{
	const struct edf_source *s = st;
	if (s->has_utc)
		*out = s->utc_offset_s;
	return s->has_utc;
}

static bool edf_annotation(const void *st, size_t i, double *t, const char **text)
{
	const struct edf_source *s = st;
	if (i >= s->nlabels || s->cfg.rate <= 0)
		return false;
	*t = (double)s->labels[i].index / s->cfg.rate;
	*text = s->labels[i].text;
	return true;
}

static const struct lsr_source_ops edf_ops = {
	.kind = "replay",
	.button_from_annotations = true,
	.driver_name = edf_driver_name,
	.poll_fd = edf_poll_fd,
	.pump = edf_pump,
	.rewind = edf_rewind,
	.set_speed = edf_set_speed,
	.stats = edf_stats,
	.position = edf_position,
	.wall_start = edf_wall_start,
	.utc_offset = edf_utc_offset,
	.settings = edf_settings,
	.case_details = edf_case_details,
	.annotation = edf_annotation,
	.destroy = edf_destroy,
};

static const char *open_error(int code)
{
	switch (code) {
	case EDFLIB_NO_SUCH_FILE_OR_DIRECTORY: return "cannot open it";
	case EDFLIB_FILE_CONTAINS_FORMAT_ERRORS: return "EDFlib finds format errors";
	case EDFLIB_FILE_IS_DISCONTINUOUS: return "discontinuous (EDF+D) files are not supported";
	case EDFLIB_FILE_READ_ERROR: return "read error";
	case EDFLIB_MAXFILES_REACHED: return "too many open files";
	default: return "EDFlib cannot read it";
	}
}

/* Channels, rate and scale from the header; false with a message. */
static bool layout(struct edf_source *s, const struct edf_hdr_struct *h, char *err, size_t errlen)
{
	s->trig = -1;
	int nch = 0, spr = -1;
	for (int i = 0; i < h->edfsignals; i++) {
		char label[17];
		snprintf(label, sizeof label, "%s", h->signalparam[i].label);
		trim(label);
		if (spr < 0)
			spr = h->signalparam[i].smp_in_datarecord;
		if (h->signalparam[i].smp_in_datarecord != spr) {
			snprintf(err, errlen, "signals with different sample rates are not supported");
			return false;
		}
		if (s->trig < 0 && (!strcmp(label, "Trigger") || !strcmp(label, "Status"))) {
			s->trig = i;
			continue;
		}
		if (nch == LSR_MAX_CHANNELS) {
			snprintf(err, errlen, "more than %d channels", LSR_MAX_CHANNELS);
			return false;
		}
		const struct edf_param_struct *sp = &h->signalparam[i];
		s->sig[nch] = i;
		struct lsr_edfdata_scale *sc = &s->scale[nch];
		sc->unit = unit_to_uv(sp->physdimension);
		/* EDFlib's own arithmetic, so that the values are its values. */
		sc->bv = (sp->phys_max - sp->phys_min) / (sp->dig_max - sp->dig_min);
		sc->off = sp->phys_max / sc->bv - sp->dig_max;
		snprintf(s->cfg.labels[nch], LSR_LABEL_MAX, "%s", label);
		double q = (sp->phys_max - sp->phys_min) / ((double)sp->dig_max - sp->dig_min) * sc->unit;
		double fs = fmax(fabs(sp->phys_max), fabs(sp->phys_min)) * sc->unit;
		if (nch == 0) {
			s->cfg.uv_per_lsb = q;
			s->cfg.full_scale_uv = fs;
			snprintf(s->cfg.prefilter, sizeof s->cfg.prefilter, "%s", sp->prefilter);
			trim(s->cfg.prefilter);
		} else if (s->cfg.uv_per_lsb != q) {
			s->cfg.uv_per_lsb = 0; /* channels differ: values are just decimals */
		}
		s->cfg.full_scale_uv = fmax(s->cfg.full_scale_uv, fs);
		nch++;
	}
	double rate = (double)spr * EDFLIB_TIME_DIMENSION / (double)h->datarecord_duration;
	if (nch < 1 || spr < 1 || h->datarecord_duration <= 0 || fabs(rate - round(rate)) > 1e-6 ||
	    rate < 1) {
		snprintf(err, errlen, nch < 1 ? "no signal channels" : "the sample rate is not a whole number");
		return false;
	}
	s->cfg.rate = (int)round(rate);
	s->cfg.channels = nch;
	if (s->trig >= 0)
		s->sig[nch] = s->trig;
	s->cfg.format_bits = s->bdf ? 24 : 16;
	s->total = h->signalparam[s->sig[0]].smp_in_file;
	s->bytes_per_instant = (nch + (s->trig >= 0)) * (s->bdf ? 3 : 2);
	snprintf(s->cfg.device, sizeof s->cfg.device, "%s recording, %s",
	         s->bdf ? "BDF+" : "EDF+", h->equipment[0] ? h->equipment : "unknown equipment");
	return true;
}

static bool annotations(struct edf_source *s, const struct edf_hdr_struct *h)
{
	size_t n = h->annotations_in_file > 0 ? (size_t)h->annotations_in_file : 0;
	s->labels = calloc(n ? n : 1, sizeof *s->labels);
	s->settings = calloc(n ? n : 1, sizeof *s->settings);
	s->pads = calloc(n ? n : 1, sizeof *s->pads);
	if (!s->labels || !s->settings || !s->pads)
		return false;
	for (size_t k = 0; k < n; k++) {
		struct edf_annotation_struct a;
		if (edf_get_annotation(s->hd, (int)k, &a) != 0)
			continue;
		char *text = strdup(a.annotation);
		if (!text)
			return false;
		trim(text);
		if (!strncmp(text, LSR_RECNOTES_BAD, strlen(LSR_RECNOTES_BAD))) {
			/* Onset and duration in 100 ns units; a hostile file's values
			 * are bounded to the file. */
			double r = s->cfg.rate / (double)EDFLIB_TIME_DIMENSION;
			double from = round((double)a.onset * r);
			double to = a.duration_l > 0 ? round(((double)a.onset + (double)a.duration_l) * r) : from;
			from = fmax(from, 0);
			to = fmin(to, (double)s->total);
			if (to > from)
				s->pads[s->npads++] = (struct pad){ (int64_t)from, (int64_t)to,
					strncmp(text, LSR_RECNOTES_PAD_END, strlen(LSR_RECNOTES_PAD_END)) != 0 };
			free(text);
			continue;
		}
		if (!strncmp(text, LSR_RECNOTES_PREFIX, strlen(LSR_RECNOTES_PREFIX))) {
			struct lsr_recnotes_rec rec = { .nlabels = 0 };
			if (lsr_recnotes_recording(text, &rec)) {
				/* The full labels, which the header had to shorten. */
				if (rec.nlabels == s->cfg.channels)
					for (int c = 0; c < rec.nlabels; c++)
						memcpy(s->cfg.labels[c], rec.labels[c], LSR_LABEL_MAX);
				if (rec.has_utc) {
					s->has_utc = true;
					s->utc_offset_s = rec.utc_offset_s;
				}
			}
			s->settings[s->nsettings++] = text; /* states etc. are recomputed */
			continue;
		}
		double idx = round((double)a.onset * s->cfg.rate / EDFLIB_TIME_DIMENSION);
		s->labels[s->nlabels] = (struct label){ idx > 0 ? (uint64_t)idx : 0, s->nlabels, text };
		s->nlabels++;
	}
	/* Late annotations may sit in a later record than their onset. */
	qsort(s->labels, s->nlabels, sizeof *s->labels, by_index);
	qsort(s->pads, s->npads, sizeof *s->pads, by_from);
	return true;
}

/* The name says EDF or BDF: the first 8 bytes must say the same, before
 * EDFlib is asked (its "read error" names neither). */
static bool header_matches(const char *path, char *err, size_t errlen)
{
	const char *dot = strrchr(path, '.');
	bool bdf = dot && strcasecmp(dot, ".bdf") == 0;
	static const char bdf_id[8] = { (char)0xff, 'B', 'I', 'O', 'S', 'E', 'M', 'I' };
	static const char edf_id[8] = { '0', ' ', ' ', ' ', ' ', ' ', ' ', ' ' };
	char id[256];
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "--replay %s: %s", path, strerror(errno));
		return false;
	}
	size_t n = fread(id, 1, sizeof id, f);
	fclose(f);
	if (n == sizeof id && memcmp(id, bdf ? bdf_id : edf_id, 8) == 0)
		return true;
	snprintf(err, errlen, "--replay %s: %s; expected a%s header (%s in its first 8 bytes, "
	         "256 bytes at least)", path, n == 0 ? "empty" : bdf ? "not a BDF+ recording" :
	         "not an EDF+ recording", bdf ? " BDF" : "n EDF",
	         bdf ? "0xFF and \"BIOSEMI\"" : "\"0\" and 7 blanks");
	return false;
}

/* The header's patient field as the recording wrote it (EDFlib splits
 * EDF+'s subfields and renames them): bytes 8-87, trimmed; the anonymous
 * "X X X X" is no patient. */
static void read_patient(struct edf_source *s, const char *path)
{
	s->patient[0] = '\0';
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = pread(fd, s->patient, 80, 8);
	close(fd);
	s->patient[n == 80 ? 80 : 0] = '\0';
	for (char *c = s->patient; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	trim(s->patient);
	if (!strcmp(s->patient, "X X X X"))
		s->patient[0] = '\0';
}

struct lsr_source *lsr_source_edf_new(const char *path, double speed,
                                      char *err, size_t errlen, int *exit_code)
{
	*exit_code = 2;
	if (!header_matches(path, err, errlen))
		return NULL;
	struct edf_hdr_struct *h = malloc(sizeof *h);
	struct edf_source *s = calloc(1, sizeof *s);
	char why[160];
	if (!h || !s) {
		snprintf(err, errlen, "--replay %s: out of memory", path);
		*exit_code = 1;
		goto fail;
	}
	s->hd = -1;
	s->src = (struct lsr_source){ &edf_ops, s };
	s->wrap = (struct lsr_source_sink){ s, wrap_config, wrap_block, wrap_label };
	if (edfopen_file_readonly(path, h, EDFLIB_READ_ALL_ANNOTATIONS) != 0) {
		int code = h->filetype;
		if (code == EDFLIB_FILE_CONTAINS_FORMAT_ERRORS)
			snprintf(err, errlen, "--replay %s: %s — if the recording was interrupted, "
			         "run `lsrmon --repair %s` and replay the .repaired copy",
			         path, open_error(code), path);
		else
			snprintf(err, errlen, "--replay %s: %s", path, open_error(code));
		goto fail;
	}
	s->hd = h->handle;
	read_patient(s, path);
	s->bdf = h->filetype == EDFLIB_FILETYPE_BDF || h->filetype == EDFLIB_FILETYPE_BDFPLUS;
	if (!layout(s, h, why, sizeof why)) {
		snprintf(err, errlen, "--replay %s: %s", path, why);
		goto fail;
	}
	s->data = lsr_edfdata_open(path, h, why, sizeof why);
	if (!s->data) {
		snprintf(err, errlen, "--replay %s: %s", path, why);
		goto fail;
	}
	if (!annotations(s, h)) {
		snprintf(err, errlen, "--replay %s: out of memory", path);
		*exit_code = 1;
		goto fail;
	}
	s->speed = speed > 0 && isfinite(speed) ? speed : 0;
	/* EDF start times are the local clock of the recording machine, as our
	 * writer stores them; with the offset it stored that clock is known,
	 * without it the replaying machine's zone is the best guess. */
	struct tm tm = { .tm_year = h->startdate_year - 1900, .tm_mon = h->startdate_month - 1,
	                 .tm_mday = h->startdate_day, .tm_hour = h->starttime_hour,
	                 .tm_min = h->starttime_minute, .tm_sec = h->starttime_second,
	                 .tm_isdst = -1 };
	time_t start = s->has_utc ? timegm(&tm) : mktime(&tm);
	if (s->has_utc && start != (time_t)-1)
		start -= s->utc_offset_s;
	s->start_epoch = start == (time_t)-1 ? 0 : (double)start + h->starttime_subsecond * 1e-7;
	free(h);
	return &s->src;
fail:
	free(h);
	edf_destroy(s);
	return NULL;
}

