/* tests/unit/test_repair.c — --repair: a crashed recording (count -1, a
 * partial last record) becomes a copy EDFlib reads, with padding marked;
 * lying headers give a clear error and no output. */
#include <check.h>
#include <edflib.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "edfwrite.h"
#include "repair.h"

#define Q (400000.0 / 8388608.0)
#define REC (3 * 100 * 3 + 100 * 3 + LSR_EDFW_ANNOT_BYTES) /* 3 ch + Trigger at 1 kHz */
#define HDR (256 * 6)

static char dir[64];

static void mk_dir(void)
{
	snprintf(dir, sizeof dir, "/tmp/lsr-rep-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void rm_dir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static float val(int c, int i) { return (float)(((i * 13 + c * 500) % 2001 - 1000) * Q); }

/* A closed 4-record BDF+ with two annotations, then "crashed": cut to
 * `cut` bytes and its count set to -1 as EDFlib's writer leaves it. */
static void crashed(const char *path, size_t cut)
{
	static const char labels[3][LSR_LABEL_MAX] = { "A", "B", "C" };
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	struct lsr_edfw_opts o = { .bdf = true, .rate = 1000, .channels = 3, .labels = labels,
		.uv_per_lsb = Q, .full_scale_uv = 400000, .start = 1700000000 };
	char err[128];
	struct lsr_edfw *w = lsr_edfw_open(dup(fd), &o, err, sizeof err);
	ck_assert_ptr_nonnull(w);
	static float s[3 * 400];
	for (int c = 0; c < 3; c++)
		for (int i = 0; i < 400; i++)
			s[c * 400 + i] = val(c, i);
	lsr_edfw_annotate(w, 0.05, "Dura open");
	lsr_edfw_annotate(w, 0.15, "Decompression");
	ck_assert_int_eq(lsr_edfw_write(w, s, 400, NULL, 400), 0);
	ck_assert_int_eq(lsr_edfw_close(w), 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)cut), 0);
	ck_assert_int_eq(pwrite(fd, "-1      ", 8, 236), 8);
	close(fd);
}

static size_t file_size(const char *p)
{
	struct stat st;
	ck_assert_int_eq(stat(p, &st), 0);
	return (size_t)st.st_size;
}

START_TEST(partial_record_completed)
{
	mk_dir();
	char path[128], out[160], err[256];
	snprintf(path, sizeof path, "%s/case.bdf", dir);
	size_t cut = HDR + 2 * REC + 450; /* A whole, 50 samples of B, nothing after */
	crashed(path, cut);
	struct edf_hdr_struct h;
	ck_assert_int_eq(edfopen_file_readonly(path, &h, EDFLIB_READ_ALL_ANNOTATIONS), -1);
	ck_assert_int_eq(lsr_repair(path, out, sizeof out, err, sizeof err), 0);
	ck_assert_msg(strstr(out, "case.repaired.bdf") != NULL, "%s", out);
	ck_assert_uint_eq(file_size(path), cut); /* the original is untouched */
	ck_assert_uint_eq(file_size(out), HDR + 3 * REC);
	ck_assert_int_eq(edfopen_file_readonly(out, &h, EDFLIB_READ_ALL_ANNOTATIONS), 0);
	int hd = h.handle;
	ck_assert_int_eq(h.datarecords_in_file, 3);
	double got[300];
	for (int c = 0; c < 3; c++) {
		ck_assert_int_eq(edfread_physical_samples(hd, c, 300, got), 300);
		int have = c == 0 ? 300 : c == 1 ? 250 : 200;
		for (int i = 0; i < 300; i++) {
			double want = val(c, i < have ? i : have - 1);
			ck_assert_msg(fabs(got[i] - want) < Q * 1e-3, "ch %d %d: %f %f", c, i, got[i], want);
		}
	}
	ck_assert_int_eq(edfread_physical_samples(hd, 3, 300, got), 300);
	/* Trigger holds marks only; the padding is a BAD span of 100 samples. */
	for (int i = 200; i < 300; i++)
		ck_assert_double_eq(got[i], 0);
	ck_assert_int_eq(h.annotations_in_file, 3);
	struct edf_annotation_struct a;
	ck_assert_int_eq(edf_get_annotation(hd, 1, &a), 0);
	ck_assert_str_eq(a.annotation, "Decompression");
	ck_assert_int_eq(edf_get_annotation(hd, 2, &a), 0);
	ck_assert_str_eq(a.annotation, "BAD lsrmon crash padding 100 samples");
	ck_assert_int_eq(a.onset, 2000000);
	ck_assert_int_eq(a.duration_l, 1000000);
	edfclose_file(hd);
	/* The copy is never replaced. */
	ck_assert_int_eq(lsr_repair(path, out, sizeof out, err, sizeof err), 2);
	ck_assert_ptr_nonnull(strstr(err, "exists"));
	rm_dir();
}
END_TEST

START_TEST(whole_records_count_fixed)
{
	mk_dir();
	char path[128], out[160], err[256];
	snprintf(path, sizeof path, "%s/whole.bdf", dir);
	crashed(path, HDR + 3 * REC);
	ck_assert_int_eq(lsr_repair(path, out, sizeof out, err, sizeof err), 0);
	struct edf_hdr_struct h;
	ck_assert_int_eq(edfopen_file_readonly(out, &h, EDFLIB_READ_ALL_ANNOTATIONS), 0);
	ck_assert_int_eq(h.datarecords_in_file, 3);
	ck_assert_int_eq(h.annotations_in_file, 2);
	edfclose_file(h.handle);
	rm_dir();
}
END_TEST

static void put_at(const char *path, off_t at, const char *bytes, size_t n)
{
	int fd = open(path, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, bytes, n, at), (ssize_t)n);
	close(fd);
}

START_TEST(lying_headers_rejected)
{
	mk_dir();
	char path[128], out[160], err[256];
	struct { off_t at; const char *bytes; const char *says; } lies[] = {
		{ 252, "9999", "number of signals" },
		{ 252, "7   ", "header size" },
		{ 184, "-1536   ", "header size" },
		{ 244, "0       ", "duration" },
		{ 256 + 5 * 216, "99999999", "samples per record" },
		{ 256 + 5 * 216, "-5      ", "samples per record" },
		{ 0, "1", "version" },
	};
	for (size_t k = 0; k < sizeof lies / sizeof lies[0]; k++) {
		snprintf(path, sizeof path, "%s/lie%zu.bdf", dir, k);
		crashed(path, HDR + 2 * REC);
		put_at(path, lies[k].at, lies[k].bytes, strlen(lies[k].bytes));
		ck_assert_int_eq(lsr_repair(path, out, sizeof out, err, sizeof err), 2);
		ck_assert_msg(strstr(err, lies[k].says) != NULL, "%zu: %s", k, err);
		snprintf(out, sizeof out, "%s/lie%zu.repaired.bdf", dir, k);
		ck_assert_int_eq(access(out, F_OK), -1); /* nothing written */
	}
	rm_dir();
}
END_TEST

START_TEST(truncated_and_missing)
{
	mk_dir();
	char path[128], out[160], err[256];
	snprintf(path, sizeof path, "%s/tiny.bdf", dir);
	crashed(path, 300);
	ck_assert_int_eq(lsr_repair(path, out, sizeof out, err, sizeof err), 2);
	ck_assert_ptr_nonnull(strstr(err, "header"));
	snprintf(path, sizeof path, "%s/empty.bdf", dir);
	crashed(path, HDR);
	ck_assert_int_eq(lsr_repair(path, out, sizeof out, err, sizeof err), 2);
	ck_assert_ptr_nonnull(strstr(err, "no data"));
	snprintf(path, sizeof path, "%s/none.bdf", dir);
	ck_assert_int_eq(lsr_repair(path, out, sizeof out, err, sizeof err), 2);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	rm_dir();
}
END_TEST

Suite *suite_repair(void)
{
	Suite *s = suite_create("repair");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, partial_record_completed);
	tcase_add_test(tc, whole_records_count_fixed);
	tcase_add_test(tc, lying_headers_rejected);
	tcase_add_test(tc, truncated_and_missing);
	suite_add_tcase(s, tc);
	return s;
}
