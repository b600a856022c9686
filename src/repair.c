/* src/repair.c — lsrmon --repair: copy a crashed EDF+/BDF+ recording into a
 * strictly valid one (see repair.h).  The input is untrusted: every header
 * number is checked against the others and the file size before use. */
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <edflib.h>

#include "driver.h"
#include "edfwrite.h"
#include "number.h"
#include "recnotes.h"
#include "repair.h"

#define MAX_SIGNALS 640
#define MAX_RECORD (256u << 20)

struct layout {
	bool bdf;
	int ns, bps;
	size_t hdr, rec;
	int spr[MAX_SIGNALS];
	size_t off[MAX_SIGNALS];
	int annot, trig;        /* signal indexes, -1 if none */
	double dur;
};

/* A numeric header field, space padded (number.h's fixed-width form). */
static bool field_num(const char *f, size_t w, enum lsr_number_form form, double lo, double hi,
                      double *out)
{
	return lsr_number_field(f, w, form, lo, hi, out) == LSR_NUMBER_OK;
}

static bool field_is(const char *f, size_t w, const char *text)
{
	size_t n = strlen(text);
	if (n > w || memcmp(f, text, n))
		return false;
	for (size_t i = n; i < w; i++)
		if (f[i] != ' ')
			return false;
	return true;
}

static int parse(int fd, off_t size, struct layout *L, char **hdr_out, char *err, size_t errlen)
{
	char h[256];
	double v;
	if (size < 256 || pread(fd, h, 256, 0) != 256) {
		snprintf(err, errlen, "too short for an EDF/BDF header");
		return -1;
	}
	if (memcmp(h, "\xff" "BIOSEMI", 8) == 0)
		L->bdf = true;
	else if (!field_is(h, 8, "0")) {
		snprintf(err, errlen, "not an EDF or BDF file (version field)");
		return -1;
	}
	L->bps = L->bdf ? 3 : 2;
	if (!field_num(h + 252, 4, LSR_NUMBER_INTEGER, 1, MAX_SIGNALS, &v)) {
		snprintf(err, errlen, "the header's number of signals is invalid");
		return -1;
	}
	L->ns = (int)v;
	L->hdr = 256 * (size_t)(L->ns + 1);
	if (!field_num(h + 184, 8, LSR_NUMBER_INTEGER, (double)L->hdr, (double)L->hdr, &v)) {
		snprintf(err, errlen, "the header size field does not match %d signals", L->ns);
		return -1;
	}
	if (!field_num(h + 244, 8, LSR_NUMBER_DECIMAL, DBL_MIN, 3600, &L->dur)) {
		snprintf(err, errlen, "the data record duration is invalid");
		return -1;
	}
	if ((off_t)L->hdr > size) {
		snprintf(err, errlen, "the file ends inside its header");
		return -1;
	}
	char *H = malloc(L->hdr);
	if (!H || pread(fd, H, L->hdr, 0) != (ssize_t)L->hdr) {
		snprintf(err, errlen, H ? "cannot read the header" : "out of memory");
		free(H);
		return -1;
	}
	L->annot = L->trig = -1;
	L->rec = 0;
	for (int i = 0; i < L->ns; i++) {
		const char *label = H + 256 + 16 * i;
		if (!field_num(H + 256 + L->ns * 216 + 8 * i, 8, LSR_NUMBER_INTEGER, 1, MAX_RECORD / 3,
		               &v)) {
			snprintf(err, errlen, "signal %d: invalid samples per record", i + 1);
			free(H);
			return -1;
		}
		L->spr[i] = (int)v;
		L->off[i] = L->rec;
		L->rec += (size_t)L->spr[i] * L->bps;
		if (L->rec > MAX_RECORD) {
			snprintf(err, errlen, "data records larger than %u MB", MAX_RECORD >> 20);
			free(H);
			return -1;
		}
		if (L->annot < 0 && (field_is(label, 16, "EDF Annotations") ||
		                     field_is(label, 16, "BDF Annotations")))
			L->annot = i;
		if (L->trig < 0 && (field_is(label, 16, "Trigger") || field_is(label, 16, "Status")))
			L->trig = i;
	}
	*hdr_out = H;
	return 0;
}

static void get(const uint8_t *p, int bps, uint8_t *out) { memcpy(out, p, (size_t)bps); }

/* Complete the `have` bytes of a partial record in place. */
static void complete(const struct layout *L, uint8_t *rec, size_t have,
                     const uint8_t *prev, long long index)
{
	/* Per signal, how many samples arrived; the instants every signal has
	 * reached are the acquired ones. */
	double frac = 1.0;
	int avail[MAX_SIGNALS];
	for (int s = 0; s < L->ns; s++) {
		size_t end = L->off[s] + (size_t)L->spr[s] * L->bps;
		avail[s] = have >= end ? L->spr[s] :
		           have <= L->off[s] ? 0 : (int)((have - L->off[s]) / L->bps);
		if (s != L->annot && (double)avail[s] / L->spr[s] < frac)
			frac = (double)avail[s] / L->spr[s];
	}
	for (int s = 0; s < L->ns; s++) {
		if (s == L->annot)
			continue;
		uint8_t hold[3] = { 0, 0, 0 };
		uint8_t *base = rec + L->off[s];
		if (avail[s] > 0)
			get(base + (size_t)(avail[s] - 1) * L->bps, L->bps, hold);
		else if (prev)
			get(prev + L->off[s] + (size_t)(L->spr[s] - 1) * L->bps, L->bps, hold);
		/* The marks channel holds marks only: none where nothing was
		 * acquired (the annotation below marks the span). */
		if (s == L->trig)
			memset(hold, 0, sizeof hold);
		for (int i = s == L->trig ? (int)(frac * L->spr[s]) : avail[s]; i < L->spr[s]; i++)
			memcpy(base + (size_t)i * L->bps, hold, (size_t)L->bps);
	}
	int first_missing = L->trig >= 0 ? (int)(frac * L->spr[L->trig]) : 0;
	int missing = L->trig >= 0 ? L->spr[L->trig] - first_missing : 0;
	if (L->annot < 0)
		return;
	/* The slot is rebuilt: time-keeping TAL and the note; what the writer
	 * had put there did not reach the disk whole. */
	size_t cap = (size_t)L->spr[L->annot] * L->bps;
	uint8_t *slot = rec + L->off[L->annot];
	memset(slot, 0, cap);
	char tk[48], on[48], dur[48], text[200];
	lsr_edfw_format_onset(tk, sizeof tk, index * L->dur);
	double t = index * L->dur + (L->trig >= 0 ? first_missing * L->dur / L->spr[L->trig] : 0);
	lsr_edfw_format_onset(on, sizeof on, t);
	lsr_edfw_format_onset(dur, sizeof dur, (index + 1) * L->dur - t);
	/* A BAD span with its duration, as the recorder marks padding
	 * (recnotes.h); the duration is unsigned, so without its '+'. */
	int n = snprintf(text, sizeof text, "%s\x14\x14%c%s\x15%s\x14" LSR_RECNOTES_PAD_CRASH
	                 "%d samples\x14", tk, 0, on, dur + 1, missing);
	if (n > 0 && (size_t)n < cap)
		memcpy(slot, text, (size_t)n);
	else if ((size_t)strlen(tk) + 3 <= cap)
		memcpy(slot, text, strlen(tk) + 2);
}

/* The copy is for readers as strict as EDFlib: when the damage is more
 * than a cut-off end (a record's annotations garbled, bytes lost inside),
 * padding does not mend it, and a copy that only looks repaired would be
 * worse than none.  True when EDFlib opens it, annotations included. */
static bool strictly_valid(const char *path, int *code)
{
	struct edf_hdr_struct *h = malloc(sizeof *h);
	if (!h) {
		*code = 0;
		return false;
	}
	bool ok = edfopen_file_readonly(path, h, EDFLIB_READ_ALL_ANNOTATIONS) == 0;
	if (ok)
		edfclose_file(h->handle);
	*code = ok ? 0 : h->filetype;
	free(h);
	return ok;
}

static int copy_range(int in, int out, off_t from, off_t len, char *err, size_t errlen)
{
	static uint8_t buf[1 << 16];
	while (len > 0) {
		size_t want = len < (off_t)sizeof buf ? (size_t)len : sizeof buf;
		ssize_t k = pread(in, buf, want, from);
		if (k <= 0) {
			snprintf(err, errlen, "reading: %s", k < 0 ? strerror(errno) : "file shrank");
			return -1;
		}
		if (write(out, buf, (size_t)k) != k) {
			snprintf(err, errlen, "writing: %s", strerror(errno));
			return -1;
		}
		from += k;
		len -= k;
	}
	return 0;
}

/* The last, partial record of `partial` bytes after n whole ones, padded
 * (complete()) and written to out.  0, or -1 with a message. */
static int write_last(int in, int out, const struct layout *L, long long n, size_t partial,
                      const char *path, const char *out_path, char *err, size_t errlen)
{
	uint8_t *rec = calloc(1, L->rec), *prev = n > 0 ? malloc(L->rec) : NULL;
	off_t at = (off_t)(L->hdr + (size_t)n * L->rec);
	int rc = -1;
	if (!rec || (n > 0 && !prev) ||
	    pread(in, rec, partial, at) != (ssize_t)partial ||
	    (prev && pread(in, prev, L->rec, at - (off_t)L->rec) != (ssize_t)L->rec)) {
		snprintf(err, errlen, "--repair %s: cannot read the last record", path);
	} else {
		complete(L, rec, partial, prev, n);
		if (write(out, rec, L->rec) != (ssize_t)L->rec)
			snprintf(err, errlen, "--repair: writing %s: %s", out_path, strerror(errno));
		else
			rc = 0;
	}
	free(rec);
	free(prev);
	return rc;
}

/* The copy into out: the header H with its record count set to the
 * records there are, the n whole records, the partial one completed.
 * 0, or -1 with a message. */
static int write_copy(int in, int out, const struct layout *L, char *H, long long n, size_t partial,
                      const char *path, const char *out_path, char *err, size_t errlen)
{
	long long total = n + (partial ? 1 : 0);
	char count[32], msg[200];
	if (total > 99999999) {
		snprintf(err, errlen, "--repair %s: too many records", path);
		return -1;
	}
	snprintf(count, sizeof count, "%-8lld", total);
	memcpy(H + 236, count, 8);
	if (write(out, H, L->hdr) != (ssize_t)L->hdr) {
		snprintf(err, errlen, "--repair: writing %s: %s", out_path, strerror(errno));
		return -1;
	}
	if (copy_range(in, out, (off_t)L->hdr, (off_t)(n * (long long)L->rec), msg, sizeof msg) < 0) {
		snprintf(err, errlen, "--repair %s: %s", path, msg);
		return -1;
	}
	if (partial && write_last(in, out, L, n, partial, path, out_path, err, errlen) < 0)
		return -1;
	if (fsync(out) < 0) {
		snprintf(err, errlen, "--repair: writing %s: %s", out_path, strerror(errno));
		return -1;
	}
	return 0;
}

/* <stem>.repaired.<ext> beside path.  0, or -1 when it does not fit. */
static int repaired_name(const char *path, char *out_path, size_t out_len)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	int stem = dot && (!slash || dot > slash) ? (int)(dot - path) : (int)strlen(path);
	int n = snprintf(out_path, out_len, "%.*s.repaired%s", stem, path, path + stem);
	return n < 0 || (size_t)n >= out_len ? -1 : 0;
}

int lsr_repair(const char *path, char *out_path, size_t out_len, char *err, size_t errlen)
{
	char msg[200];
	int in = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (in < 0 || fstat(in, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "--repair %s: %s", path, in < 0 ? strerror(errno) : "not a regular file");
		if (in >= 0)
			close(in);
		return 2;
	}
	struct layout *L = calloc(1, sizeof *L);
	char *H = NULL;
	if (!L || parse(in, st.st_size, L, &H, msg, sizeof msg) < 0) {
		snprintf(err, errlen, "--repair %s: %s", path, L ? msg : "out of memory");
		free(L);
		close(in);
		return 2;
	}
	long long n = (long long)((size_t)(st.st_size - (off_t)L->hdr) / L->rec);
	size_t partial = (size_t)(st.st_size - (off_t)L->hdr) % L->rec;
	int rc = 2, out = -1, code;
	if (n == 0 && partial == 0) {
		snprintf(err, errlen, "--repair %s: no data were recorded", path);
		goto done;
	}
	if (repaired_name(path, out_path, out_len) < 0) {
		snprintf(err, errlen, "--repair %s: name too long", path);
		goto done;
	}
	out = open(out_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		snprintf(err, errlen, "--repair: cannot create %s: %s", out_path, strerror(errno));
		rc = errno == EEXIST ? 2 : 1;
		goto done;
	}
	rc = 1;
	if (write_copy(in, out, L, H, n, partial, path, out_path, err, errlen) < 0)
		goto done;
	int closed = close(out);
	out = -1;
	if (closed < 0) {
		snprintf(err, errlen, "--repair: writing %s: %s", out_path, strerror(errno));
		unlink(out_path);
		goto done;
	}
	if (!strictly_valid(out_path, &code)) {
		snprintf(err, errlen, "--repair %s: damaged inside, not only cut off: EDFlib still "
		         "refuses the copy (error %d); nothing written", path, code);
		unlink(out_path);
		rc = 2;
		goto done;
	}
	snprintf(err, errlen, "%s: %lld data records%s", out_path, n + (partial ? 1 : 0),
	         partial ? ", the last one completed with padding" : "");
	rc = 0;
done:
	if (out >= 0) {
		close(out);
		unlink(out_path);
	}
	free(H);
	free(L);
	close(in);
	return rc;
}
