/* src/sink/edfwrite.c — streaming EDF+/BDF+ writer: header, records, TALs, the
 * record count kept current on disk (see edfwrite.h for the guarantees). */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "edfwrite.h"
#include "number.h"

#define COUNT_OFFSET 236

struct pending {
	int64_t rec;           /* earliest record that may take it */
	char *tal;
	size_t len;
};

struct lsr_edfw {
	int fd;
	bool bdf;
	int bps;               /* bytes per sample: 3 (BDF) or 2 (EDF) */
	int nch, spr, den;     /* record = 1/den s, spr samples per channel */
	size_t hdr_size, rec_size, trig_off, annot_off;
	double quantum;        /* µV per digital step, as readers compute it */
	int dmax;              /* analog digital range ±dmax */
	uint8_t *rec;          /* the record in progress */
	int fill;              /* samples in it */
	size_t used;           /* annotation bytes used in it */
	size_t tk_used;        /* … by its time-keeping TAL alone */
	int64_t nrec;          /* records on disk */
	float last[LSR_MAX_CHANNELS];
	uint8_t late[LSR_EDFW_LATE_RECORDS][LSR_EDFW_ANNOT_BYTES];
	size_t late_used[LSR_EDFW_LATE_RECORDS];
	struct pending *pend;
	size_t npend, cap_pend;
	uint64_t bytes, clipped;
	int err;
	bool dirty;
};

/* Writes all of buf at off; on failure records errno. */
static int put(struct lsr_edfw *w, const void *buf, size_t n, off_t off)
{
	const uint8_t *p = buf;
	if (w->err)
		return -1;
	while (n) {
		ssize_t k = pwrite(w->fd, p, n, off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			w->err = k < 0 ? errno : EIO;
			errno = w->err;
			return -1;
		}
		p += k;
		n -= (size_t)k;
		off += k;
	}
	w->dirty = true;
	return 0;
}

/* A header field: text cut or space-padded to width, printable ASCII. */
static void field(char *dst, size_t width, const char *text)
{
	size_t n = strlen(text);
	for (size_t i = 0; i < width; i++) {
		char c = i < n ? text[i] : ' ';
		dst[i] = (c < 32 || c > 126) ? '_' : c;
	}
}

/* The most precise text of at most `width` characters for x (7 for a
 * physical maximum, so that its negation fits the 8-byte field too). */
static void num8(char *out, double x, size_t width)
{
	for (int prec = 7; prec >= 0; prec--) {
		char b[64];
		snprintf(b, sizeof b, "%.*f", prec, x);
		if (strchr(b, '.')) {
			size_t n = strlen(b);
			while (b[n - 1] == '0')
				b[--n] = 0;
			if (b[n - 1] == '.')
				b[--n] = 0;
		}
		if (strlen(b) <= width) {
			strcpy(out, b);
			if (strcmp(out, "-0") == 0)
				strcpy(out, "0");
			return;
		}
	}
	snprintf(out, width + 1, "%.0f", x); /* cannot happen for our ranges */
}

/* What a reader takes num8's text for (num8 writes plain decimals only). */
static double read_back(const char *b)
{
	double v;
	return lsr_number_real(b, -DBL_MAX, DBL_MAX, &v) == LSR_NUMBER_OK ? v : NAN;
}

/* Largest dmax ≤ limit whose physical maximum dmax × q survives the 8-byte
 * header field (and its negation) exactly, so readers scale digital values by exactly q. */
static int pick_dmax(double q, int limit, char *pmax)
{
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < 100000 || pass; i++) {
			long dm = pass ? (limit & ~((1L << (i + 1)) - 1)) : limit - i;
			if (pass && i > 21)
				break;
			if (dm < 1)
				break;
			char b[16];
			num8(b, (double)dm * q, 7);
			if (fabs(read_back(b) - (double)dm * q) <= 1e-12 * (double)dm * q) {
				strcpy(pmax, b);
				return (int)dm;
			}
		}
	}
	num8(pmax, limit * q, 7);
	return limit;
}

int lsr_edfw_format_onset(char *buf, size_t len, double onset)
{
	if (!(onset > 0))
		onset = 0;
	long long us10 = llround(onset * 1e5);
	long long s = us10 / 100000, frac = us10 % 100000;
	if (!frac)
		return snprintf(buf, len, "+%lld", s);
	int digits = 5;
	while (frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	return snprintf(buf, len, "+%lld.%0*lld", s, digits, frac);
}

static const char *const months[] = { "JAN", "FEB", "MAR", "APR", "MAY", "JUN",
	"JUL", "AUG", "SEP", "OCT", "NOV", "DEC" };

/* EDF+ patient subfields: a text that already has four of them is kept,
 * anything else becomes the code subfield. */
static void patient_field(char *out, size_t len, const char *patient)
{
	if (!patient || !*patient) {
		snprintf(out, len, "X X X X");
		return;
	}
	int spaces = 0;
	for (const char *p = patient; *p; p++)
		spaces += *p == ' ';
	if (spaces >= 3) {
		snprintf(out, len, "%s", patient);
		return;
	}
	char code[81];
	snprintf(code, sizeof code, "%s", patient);
	for (char *p = code; *p; p++)
		if (*p == ' ')
			*p = '_';
	snprintf(out, len, "%s X X X", code);
}

static void signal_header(struct lsr_edfw *w, char *h, int ns, int i,
                          const char *label, const char *dim, const char *pmin,
                          const char *pmax, long dmin, long dmax,
                          const char *prefilter, int spr)
{
	char b[32];
	field(h + 256 + 16 * i, 16, label);
	field(h + 256 + ns * 16 + 80 * i, 80, "");
	field(h + 256 + ns * 96 + 8 * i, 8, dim);
	field(h + 256 + ns * 104 + 8 * i, 8, pmin);
	field(h + 256 + ns * 112 + 8 * i, 8, pmax);
	snprintf(b, sizeof b, "%ld", dmin);
	field(h + 256 + ns * 120 + 8 * i, 8, b);
	snprintf(b, sizeof b, "%ld", dmax);
	field(h + 256 + ns * 128 + 8 * i, 8, b);
	field(h + 256 + ns * 136 + 80 * i, 80, prefilter);
	snprintf(b, sizeof b, "%d", spr);
	field(h + 256 + ns * 216 + 8 * i, 8, b);
	field(h + 256 + ns * 224 + 32 * i, 32, "");
	(void)w;
}

static int write_header(struct lsr_edfw *w, const struct lsr_edfw_opts *o)
{
	int ns = w->nch + 2;
	char *h = calloc(1, w->hdr_size);
	if (!h)
		return -1;
	char b[256], t[128];
	if (w->bdf) {
		h[0] = (char)0xff;
		memcpy(h + 1, "BIOSEMI", 7);
	} else {
		field(h, 8, "0");
	}
	patient_field(b, sizeof b, o->patient);
	field(h + 8, 80, b);
	struct tm tm;
	localtime_r(&o->start, &tm);
	snprintf(t, sizeof t, "%s", o->equipment && *o->equipment ? o->equipment : "lsrmon");
	for (char *p = t; *p; p++)
		if (*p == ' ')
			*p = '_';
	char tech[81];
	snprintf(tech, sizeof tech, "%.30s", o->technician && *o->technician ? o->technician : "X");
	for (char *p = tech; *p; p++)
		if (*p == ' ')
			*p = '_';
	/* EDF+ recording subfields: startdate, admin code, technician, equipment */
	snprintf(b, sizeof b, "Startdate %02d-%s-%04d X %s %s", tm.tm_mday,
	         months[tm.tm_mon], tm.tm_year + 1900, tech, t);
	field(h + 88, 80, b);
	snprintf(b, sizeof b, "%02d.%02d.%02d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year % 100);
	field(h + 168, 8, b);
	snprintf(b, sizeof b, "%02d.%02d.%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	field(h + 176, 8, b);
	snprintf(b, sizeof b, "%zu", w->hdr_size);
	field(h + 184, 8, b);
	field(h + 192, 44, w->bdf ? "BDF+C" : "EDF+C");
	field(h + COUNT_OFFSET, 8, "0");
	static const char *const durs[] = { "", "1", "0.5", "", "0.25", "0.2", "", "", "", "", "0.1" };
	field(h + 244, 8, durs[w->den]);
	snprintf(b, sizeof b, "%d", ns);
	field(h + 252, 4, b);

	long dlim = w->bdf ? 8388607 : 32767;
	char pmax[16], pmin[24];
	if (w->bdf && o->uv_per_lsb > 0) {
		double fs = o->full_scale_uv / o->uv_per_lsb;
		int limit = fs >= 100 && fs < (double)dlim ? (int)lround(fs) : (int)dlim;
		w->dmax = pick_dmax(o->uv_per_lsb, limit, pmax);
	} else {
		double range = w->bdf && o->full_scale_uv > 0 ? o->full_scale_uv :
		               o->edf_range_uv > 0 ? o->edf_range_uv : 5000;
		w->dmax = (int)dlim;
		num8(pmax, range, 7);
	}
	w->quantum = read_back(pmax) / w->dmax;
	snprintf(pmin, sizeof pmin, "-%s", pmax);
	const char *pf = o->prefilter ? o->prefilter : "";
	for (int c = 0; c < w->nch; c++)
		signal_header(w, h, ns, c, o->labels[c], "uV", pmin, pmax, -w->dmax,
		              w->dmax, pf, w->spr);
	signal_header(w, h, ns, w->nch, "Trigger", "", "0", "255", 0, 255, "", w->spr);
	signal_header(w, h, ns, w->nch + 1, w->bdf ? "BDF Annotations" : "EDF Annotations",
	              "", "-1", "1", -dlim - 1, dlim, "", LSR_EDFW_ANNOT_BYTES / w->bps);
	int rc = put(w, h, w->hdr_size, 0);
	free(h);
	if (rc == 0)
		w->bytes = w->hdr_size;
	return rc;
}

/* Time-keeping TAL of the record in progress, then what is due in it. */
static void start_record(struct lsr_edfw *w);

struct lsr_edfw *lsr_edfw_open(int fd, const struct lsr_edfw_opts *o,
                               char *err, size_t errlen)
{
	static const int dens[] = { 10, 5, 4, 2, 1 };
	int den = 0;
	for (size_t i = 0; i < sizeof dens / sizeof dens[0] && !den; i++)
		if (o->rate > 0 && o->rate % dens[i] == 0)
			den = dens[i];
	if (!den || o->channels < 1 || o->channels > LSR_MAX_CHANNELS ||
	    o->rate / den > 99999999 / 3) {
		snprintf(err, errlen, "cannot record %d channels at %d Hz", o->channels, o->rate);
		close(fd);
		return NULL;
	}
	struct lsr_edfw *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, errlen, "out of memory");
		close(fd);
		return NULL;
	}
	w->fd = fd;
	w->bdf = o->bdf;
	w->bps = o->bdf ? 3 : 2;
	w->nch = o->channels;
	w->den = den;
	w->spr = o->rate / den;
	w->hdr_size = 256 * (size_t)(o->channels + 3);
	w->trig_off = (size_t)w->nch * w->spr * w->bps;
	w->annot_off = w->trig_off + (size_t)w->spr * w->bps;
	w->rec_size = w->annot_off + LSR_EDFW_ANNOT_BYTES;
	w->rec = calloc(1, w->rec_size);
	if (!w->rec || write_header(w, o) < 0) {
		snprintf(err, errlen, "cannot write the header: %s",
		         w->rec ? strerror(w->err ? w->err : ENOMEM) : "out of memory");
		free(w->rec);
		close(fd);
		free(w);
		return NULL;
	}
	start_record(w);
	return w;
}

static void put_sample(uint8_t *p, int bps, long d)
{
	uint32_t u = (uint32_t)d;
	p[0] = (uint8_t)u;
	p[1] = (uint8_t)(u >> 8);
	if (bps == 3)
		p[2] = (uint8_t)(u >> 16);
}

static int finish_record(struct lsr_edfw *w)
{
	off_t off = (off_t)(w->hdr_size + (size_t)w->nrec * w->rec_size);
	if (put(w, w->rec, w->rec_size, off) < 0) {
		/* A short write (full disk, RLIMIT_FSIZE) leaves part of a record:
		 * cut it so the file stays exactly what the header says. */
		if (ftruncate(w->fd, off) < 0)
			w->dirty = true;
		return -1;
	}
	w->bytes += w->rec_size;
	int slot = (int)(w->nrec % LSR_EDFW_LATE_RECORDS);
	memcpy(w->late[slot], w->rec + w->annot_off, LSR_EDFW_ANNOT_BYTES);
	w->late_used[slot] = w->used;
	w->nrec++;
	char b[32];
	snprintf(b, sizeof b, "%-8lld", (long long)w->nrec);
	if (put(w, b, 8, COUNT_OFFSET) < 0)
		return -1;
	w->fill = 0;
	start_record(w);
	return 0;
}

static void sample_at(struct lsr_edfw *w, const float *v, uint8_t mark)
{
	for (int c = 0; c < w->nch; c++) {
		double x = v[c] / w->quantum;
		long d;
		if (!(x >= -w->dmax - 0.5 && x <= w->dmax + 0.5)) {
			w->clipped++;
			d = isnan(x) ? 0 : x > 0 ? w->dmax : -w->dmax;
		} else {
			d = lround(x);
			if (d > w->dmax || d < -w->dmax)
				d = d > 0 ? w->dmax : -w->dmax;
		}
		put_sample(w->rec + ((size_t)c * w->spr + w->fill) * w->bps, w->bps, d);
	}
	put_sample(w->rec + w->trig_off + (size_t)w->fill * w->bps, w->bps, mark);
	w->fill++;
}

int lsr_edfw_write(struct lsr_edfw *w, const float *samples, size_t stride,
                   const uint8_t *marks, int n)
{
	float v[LSR_MAX_CHANNELS];
	for (int i = 0; i < n; i++) {
		if (w->err)
			return -1;
		for (int c = 0; c < w->nch; c++)
			v[c] = samples[(size_t)c * stride + i];
		sample_at(w, v, marks ? marks[i] : 0);
		if (w->fill == w->spr && finish_record(w) < 0)
			return -1;
	}
	if (n > 0)
		for (int c = 0; c < w->nch; c++)
			w->last[c] = samples[(size_t)c * stride + n - 1];
	return w->err ? -1 : 0;
}

int lsr_edfw_pad(struct lsr_edfw *w, int64_t n)
{
	for (int64_t i = 0; i < n; i++) {
		if (w->err)
			return -1;
		sample_at(w, w->last, LSR_MARK_NOT_ACQUIRED);
		if (w->fill == w->spr && finish_record(w) < 0)
			return -1;
	}
	return w->err ? -1 : 0;
}

/* Append a TAL to a slot if it fits (a 0 byte must stay after it). */
static bool fits(size_t used, size_t len)
{
	return used + len < LSR_EDFW_ANNOT_BYTES;
}

static int keep_pending(struct lsr_edfw *w, int64_t rec, const char *tal, size_t len)
{
	if (w->npend == w->cap_pend) {
		size_t cap = w->cap_pend ? 2 * w->cap_pend : 16;
		struct pending *p = realloc(w->pend, cap * sizeof *p);
		if (!p)
			return -1;
		w->pend = p;
		w->cap_pend = cap;
	}
	char *copy = malloc(len);
	if (!copy)
		return -1;
	memcpy(copy, tal, len);
	w->pend[w->npend++] = (struct pending){ rec, copy, len };
	return 0;
}

static void place_pending(struct lsr_edfw *w);

static void start_record(struct lsr_edfw *w)
{
	uint8_t *slot = w->rec + w->annot_off;
	memset(slot, 0, LSR_EDFW_ANNOT_BYTES);
	char b[32];
	int n = lsr_edfw_format_onset(b, sizeof b, (double)w->nrec / w->den);
	memcpy(slot, b, (size_t)n);
	slot[n] = 0x14;
	slot[n + 1] = 0x14;
	w->used = w->tk_used = (size_t)n + 3;
	place_pending(w);
}

/* Pending annotations due by the record in progress, as room allows. */
static void place_pending(struct lsr_edfw *w)
{
	uint8_t *slot = w->rec + w->annot_off;
	size_t keep = 0;
	for (size_t i = 0; i < w->npend; i++) {
		struct pending *p = &w->pend[i];
		if (p->rec <= w->nrec && fits(w->used, p->len)) {
			memcpy(slot + w->used, p->tal, p->len);
			w->used += p->len;
			free(p->tal);
		} else {
			w->pend[keep++] = *p;
		}
	}
	w->npend = keep;
}

/* Into the slot of written record k: 0 done, 1 no room (or too old), -1
 * write error. */
static int put_late(struct lsr_edfw *w, int64_t k, const char *tal, size_t len)
{
	if (k < 0 || k >= w->nrec || w->nrec - k > LSR_EDFW_LATE_RECORDS)
		return 1;
	int slot = (int)(k % LSR_EDFW_LATE_RECORDS);
	if (!fits(w->late_used[slot], len))
		return 1;
	off_t off = (off_t)(w->hdr_size + (size_t)k * w->rec_size + w->annot_off +
	                    w->late_used[slot]);
	if (put(w, tal, len, off) < 0)
		return -1;
	memcpy(w->late[slot] + w->late_used[slot], tal, len);
	w->late_used[slot] += len;
	return 0;
}

int lsr_edfw_annotate(struct lsr_edfw *w, double onset, const char *text)
{
	if (w->err)
		return -1;
	if (!(onset > 0))
		onset = 0;
	char tal[LSR_EDFW_TEXT_MAX + 40];
	int n = lsr_edfw_format_onset(tal, sizeof tal, onset);
	tal[n++] = 0x14;
	size_t tl = strlen(text);
	if (tl > LSR_EDFW_TEXT_MAX) {
		tl = LSR_EDFW_TEXT_MAX;
		while (tl > 0 && ((unsigned char)text[tl] & 0xc0) == 0x80)
			tl--; /* never cut a UTF-8 sequence */
	}
	for (size_t i = 0; i < tl; i++) {
		unsigned char c = (unsigned char)text[i];
		tal[n++] = (char)(c < 32 || c == 127 ? ' ' : c);
	}
	tal[n++] = 0x14;
	tal[n++] = 0;
	size_t len = (size_t)n;
	int64_t k = (int64_t)floor(onset * w->den + 1e-9);
	if (k < w->nrec) {
		int rc = put_late(w, k, tal, len);
		if (rc != 1)
			return rc;
	}
	if (k <= w->nrec && w->npend == 0 && fits(w->used, len)) {
		memcpy(w->rec + w->annot_off + w->used, tal, len);
		w->used += len;
		return 0;
	}
	if (keep_pending(w, k < w->nrec ? w->nrec : k, tal, len) < 0) {
		w->err = ENOMEM;
		return -1;
	}
	return 0;
}

int lsr_edfw_sync(struct lsr_edfw *w)
{
	if (!w->dirty || w->err)
		return w->err ? -1 : 0;
	if (fdatasync(w->fd) < 0 && errno != EINVAL) {
		w->err = errno;
		return -1;
	}
	w->dirty = false;
	return 0;
}

int lsr_edfw_close(struct lsr_edfw *w)
{
	if (w->fill > 0) {
		/* What is still pending goes into this last record, due or not;
		 * what does not fit there is lost with the missing future. */
		for (size_t i = 0; i < w->npend; i++)
			w->pend[i].rec = w->nrec;
		place_pending(w);
		lsr_edfw_pad(w, w->spr - w->fill);
	} else if ((w->npend > 0 || w->used > w->tk_used) && w->nrec > 0) {
		/* Annotations at the very end (the session's last words, at the
		 * time after the last sample): EDFlib ignores onsets at or past
		 * the end of the file, so one record of padding holds them. */
		for (size_t i = 0; i < w->npend; i++)
			w->pend[i].rec = w->nrec;
		place_pending(w);
		lsr_edfw_pad(w, w->spr);
	}
	lsr_edfw_sync(w);
	int err = w->err;
	if (close(w->fd) < 0 && !err)
		err = errno;
	for (size_t i = 0; i < w->npend; i++)
		free(w->pend[i].tal);
	free(w->pend);
	free(w->rec);
	free(w);
	errno = err;
	return err ? -1 : 0;
}

uint64_t lsr_edfw_bytes(const struct lsr_edfw *w) { return w->bytes; }
uint64_t lsr_edfw_clipped(const struct lsr_edfw *w) { return w->clipped; }
int64_t lsr_edfw_samples(const struct lsr_edfw *w) { return w->nrec * w->spr + w->fill; }
int lsr_edfw_errno(const struct lsr_edfw *w) { return w->err; }
double lsr_edfw_record_s(const struct lsr_edfw *w) { return 1.0 / w->den; }
