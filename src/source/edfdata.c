/* src/source/edfdata.c — whole data records by pread (edfdata.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "edfdata.h"
#include "number.h"
#include "simd.h"

#define MAX_FILE_SIGNALS 512   /* EDFlib's own limit is lower */
#define BUF_TARGET (1u << 20)  /* bytes of records read at once */
#define BUF_MAX (64u << 20)    /* larger records are refused */

struct sig_info {
	size_t at;          /* byte offset of its samples in a record */
	int spr;            /* samples per record */
	int32_t dmin, dmax; /* digital range (EDFlib clips to it) */
};

struct lsr_edfdata {
	int fd;
	int width;              /* bytes per sample: 2 (EDF) or 3 (BDF) */
	int nsig;               /* EDFlib's signals */
	struct sig_info *sig;
	int64_t header, nrec;
	size_t rec_bytes;
	unsigned char *buf;     /* records [buf_first, buf_first + buf_count) */
	int64_t buf_first, buf_count, buf_cap;
};

/* An ASCII header field (at most 8 characters) as a non-negative integer,
 * or -1: number.h's fixed-width form, since other programs pad these
 * fields on either side. */
static long field(const char *p, size_t len)
{
	double v;
	int r = lsr_number_field(p, len, LSR_NUMBER_INTEGER, 0, 99999999, &v);
	return r == LSR_NUMBER_OK ? (long)v : -1;
}

static bool is_annotation(const char *label16)
{
	return !memcmp(label16, "EDF Annotations ", 16) || !memcmp(label16, "BDF Annotations ", 16);
}

void lsr_edfdata_free(struct lsr_edfdata *d)
{
	if (!d)
		return;
	if (d->fd >= 0)
		close(d->fd);
	free(d->sig);
	free(d->buf);
	free(d);
}

static bool read_all(int fd, void *buf, size_t n, off_t at)
{
	unsigned char *p = buf;
	while (n) {
		ssize_t r = pread(fd, p, n, at);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
		at += r;
	}
	return true;
}

struct lsr_edfdata *lsr_edfdata_open(const char *path, const struct edf_hdr_struct *h,
                                     char *err, size_t errlen)
{
	struct lsr_edfdata *d = calloc(1, sizeof *d);
	char *hdr = NULL;
	if (!d) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	d->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (d->fd < 0) {
		snprintf(err, errlen, "cannot open it: %s", strerror(errno));
		goto fail;
	}
	bool bdf = h->filetype == EDFLIB_FILETYPE_BDF || h->filetype == EDFLIB_FILETYPE_BDFPLUS;
	d->width = bdf ? 3 : 2;
	char fixed[256];
	if (!read_all(d->fd, fixed, sizeof fixed, 0))
		goto disagrees;
	long ns = field(fixed + 252, 4), hbytes = field(fixed + 184, 8);
	if (ns < 1 || ns > MAX_FILE_SIGNALS || hbytes != 256 * (ns + 1))
		goto disagrees;
	hdr = malloc((size_t)hbytes);
	d->sig = calloc((size_t)h->edfsignals > 0 ? (size_t)h->edfsignals : 1, sizeof *d->sig);
	if (!hdr || !d->sig) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (!read_all(d->fd, hdr, (size_t)hbytes, 0))
		goto disagrees;
	/* Signal i's number of samples per record sits after the label,
	 * transducer, dimension, four ranges and prefilter of every signal. */
	const char *spr_field = hdr + 256 + ns * (16 + 80 + 8 + 8 + 8 + 8 + 8 + 80);
	size_t at = 0;
	int k = 0;
	for (long i = 0; i < ns; i++) {
		long spr = field(spr_field + 8 * i, 8);
		if (spr < 1)
			goto disagrees;
		if (!is_annotation(hdr + 256 + 16 * i)) {
			if (k == h->edfsignals || spr != h->signalparam[k].smp_in_datarecord)
				goto disagrees;
			d->sig[k] = (struct sig_info){ at, (int)spr, h->signalparam[k].dig_min,
			                               h->signalparam[k].dig_max };
			k++;
		}
		at += (size_t)spr * (size_t)d->width;
	}
	if (k != h->edfsignals)
		goto disagrees;
	d->nsig = k;
	d->rec_bytes = at;
	d->header = hbytes;
	d->nrec = h->datarecords_in_file;
	if (d->rec_bytes > BUF_MAX / 2) {
		snprintf(err, errlen, "data records of %zu bytes are too large", d->rec_bytes);
		goto fail;
	}
	d->buf_cap = (int64_t)(BUF_TARGET / d->rec_bytes);
	if (d->buf_cap < 2)
		d->buf_cap = 2;
	d->buf = malloc((size_t)d->buf_cap * d->rec_bytes);
	if (!d->buf) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	free(hdr);
	return d;
disagrees:
	snprintf(err, errlen, "its header does not describe its data records as EDFlib reads them");
fail:
	free(hdr);
	lsr_edfdata_free(d);
	return NULL;
}

/* Records [first, first + count) in the buffer. */
static bool load(struct lsr_edfdata *d, int64_t first, int64_t count)
{
	if (first >= d->buf_first && first + count <= d->buf_first + d->buf_count)
		return true;
	int64_t n = d->buf_cap;
	if (n > d->nrec - first)
		n = d->nrec - first;
	if (n < count)
		return false;
	d->buf_count = 0;
	if (!read_all(d->fd, d->buf, (size_t)n * d->rec_bytes,
	              (off_t)(d->header + first * (int64_t)d->rec_bytes)))
		return false;
	d->buf_first = first;
	d->buf_count = n;
	return true;
}

/* n samples of one signal from b, clipped to [lo, hi] as EDFlib clips. */
static void decode16(const unsigned char *b, int64_t n, int32_t lo, int32_t hi, int32_t *o)
{
	for (int64_t i = 0; i < n; i++, b += 2) {
		int32_t v = (int16_t)(uint16_t)(b[0] | b[1] << 8);
		o[i] = v < lo ? lo : v > hi ? hi : v;
	}
}

static void decode24(const unsigned char *b, int64_t n, int32_t lo, int32_t hi, int32_t *o)
{
	for (int64_t i = 0; i < n; i++, b += 3) {
		int32_t v = (int32_t)((uint32_t)b[0] << 8 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 24) >> 8;
		o[i] = v < lo ? lo : v > hi ? hi : v;
	}
}

/* Four samples from p (lsr_s24x4), clipped to [lov, hiv]. */
static inline __attribute__((always_inline)) void s24x4_clipped(lsr_i4 *v, const unsigned char *p,
                                                                lsr_i4 lov, lsr_i4 hiv)
{
	lsr_s24x4(v, p);
	lsr_i4 below = *v < lov, above = *v > hiv;
	*v = (*v & ~below) | (lov & below);
	*v = (*v & ~above) | (hiv & above);
}

/* The same four samples at a time; loads stay before end (the rest goes
 * one by one). */
LSR_TARGET_AVX2 static void decode24_avx2(const unsigned char *b, int64_t n, int32_t lo, int32_t hi,
                                          int32_t *o, const unsigned char *end)
{
	const lsr_i4 lov = { lo, lo, lo, lo }, hiv = { hi, hi, hi, hi };
	int64_t i = 0;
	for (; i + 4 <= n && b + 3 * i + 16 <= end; i += 4) {
		lsr_i4 v;
		s24x4_clipped(&v, b + 3 * i, lov, hiv);
		memcpy(o + i, &v, sizeof v);
	}
	decode24(b + 3 * i, n - i, lo, hi, o + i);
}

/* Digital to µV as the replay computes EDFlib's physical value
 * (edfdata.h); the same operations in the same order in every copy. */
static inline __attribute__((always_inline)) float uv(int32_t v, const struct lsr_edfdata_scale *sc)
{
	return (float)(sc->bv * (sc->off + (double)v) * sc->unit);
}

static void decode16_uv(const unsigned char *b, int64_t n, int32_t lo, int32_t hi,
                        const struct lsr_edfdata_scale *sc, float *o)
{
	for (int64_t i = 0; i < n; i++, b += 2) {
		int32_t v = (int16_t)(uint16_t)(b[0] | b[1] << 8);
		o[i] = uv(v < lo ? lo : v > hi ? hi : v, sc);
	}
}

static void decode24_uv(const unsigned char *b, int64_t n, int32_t lo, int32_t hi,
                        const struct lsr_edfdata_scale *sc, float *o)
{
	for (int64_t i = 0; i < n; i++, b += 3) {
		int32_t v = (int32_t)((uint32_t)b[0] << 8 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 24) >> 8;
		o[i] = uv(v < lo ? lo : v > hi ? hi : v, sc);
	}
}

/* decode24_avx2 and the scaling in one pass: no int32 values in between. */
LSR_TARGET_AVX2 static void decode24_uv_avx2(const unsigned char *b, int64_t n, int32_t lo, int32_t hi,
                                             const struct lsr_edfdata_scale *sc, float *o,
                                             const unsigned char *end)
{
	const lsr_i4 lov = { lo, lo, lo, lo }, hiv = { hi, hi, hi, hi };
	const double bv = sc->bv, off = sc->off, unit = sc->unit;
	int64_t i = 0;
	for (; i + 4 <= n && b + 3 * i + 16 <= end; i += 4) {
		lsr_i4 v;
		s24x4_clipped(&v, b + 3 * i, lov, hiv);
		lsr_f4 f = __builtin_convertvector(bv * (off + __builtin_convertvector(v, lsr_d4)) * unit, lsr_f4);
		memcpy(o + i, &f, sizeof f);
	}
	decode24_uv(b + 3 * i, n - i, lo, hi, sc, o + i);
}

/* The pieces of signal si at instants [pos, pos + n), record by record:
 * each piece's bytes in the buffer; false on a read error or past the end. */
static bool walk(struct lsr_edfdata *d, const struct sig_info *si, int64_t pos, int n,
                 const struct lsr_edfdata_scale *sc, int32_t *oi, float *of)
{
	int64_t spr = si->spr;
	if (pos < 0 || n < 0 || pos + n > d->nrec * spr)
		return false;
	for (int done = 0; done < n;) {
		int64_t p = pos + done, rec = p / spr;
		int64_t in_rec = p - rec * spr, take = spr - in_rec;
		if (take > n - done)
			take = n - done;
		/* Enough records for the rest of the request at once. */
		int64_t span = (in_rec + (n - done) + spr - 1) / spr;
		if (span > d->buf_cap)
			span = d->buf_cap;
		if (!load(d, rec, span < 1 ? 1 : span))
			return false;
		const unsigned char *b = d->buf + (size_t)(rec - d->buf_first) * d->rec_bytes +
		                         si->at + (size_t)in_rec * (size_t)d->width;
		const unsigned char *end = d->buf + (size_t)d->buf_count * d->rec_bytes;
		if (oi && d->width == 2)
			decode16(b, take, si->dmin, si->dmax, oi + done);
		else if (oi && lsr_cpu_has_avx2())
			decode24_avx2(b, take, si->dmin, si->dmax, oi + done, end);
		else if (oi)
			decode24(b, take, si->dmin, si->dmax, oi + done);
		else if (d->width == 2)
			decode16_uv(b, take, si->dmin, si->dmax, sc, of + done);
		else if (lsr_cpu_has_avx2())
			decode24_uv_avx2(b, take, si->dmin, si->dmax, sc, of + done, end);
		else
			decode24_uv(b, take, si->dmin, si->dmax, sc, of + done);
		done += (int)take;
	}
	return true;
}

bool lsr_edfdata_read(struct lsr_edfdata *d, int64_t pos, int n, const int *sig, int nsig,
                      int32_t *const *out)
{
	for (int k = 0; k < nsig; k++)
		if (sig[k] < 0 || sig[k] >= d->nsig || !walk(d, &d->sig[sig[k]], pos, n, NULL, out[k], NULL))
			return false;
	return true;
}

bool lsr_edfdata_read_uv(struct lsr_edfdata *d, int64_t pos, int n, const int *sig, int nsig,
                         const struct lsr_edfdata_scale *sc, float *const *out)
{
	for (int k = 0; k < nsig; k++)
		if (sig[k] < 0 || sig[k] >= d->nsig ||
		    !walk(d, &d->sig[sig[k]], pos, n, &sc[k], NULL, out[k]))
			return false;
	return true;
}
