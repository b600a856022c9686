/* tests/unit/test_edfwrite.c — the streaming EDF+/BDF+ writer, read back with
 * EDFlib (the strict reader): samples, annotations, and a file that is valid
 * while it is still being written. */
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

#define Q (400000.0 / 8388608.0) /* a 24-bit amplifier of ±400 mV */

static char dir[64];

static void mk_dir(void)
{
	snprintf(dir, sizeof dir, "/tmp/lsr-edfw-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void rm_dir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char labels[3][LSR_LABEL_MAX] = { "L Mentalis", "L Orb oris", "L Orb oculi" };

static struct lsr_edfw *open_w(const char *name, bool bdf, int rate, char *path)
{
	sprintf(path, "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	struct lsr_edfw_opts o = {
		.bdf = bdf, .rate = rate, .channels = 3, .labels = labels,
		.uv_per_lsb = bdf ? Q : 0, .full_scale_uv = 400000, .edf_range_uv = 5000,
		.prefilter = "HP:10Hz LP:5000Hz", .patient = NULL, .equipment = "sim patient",
		.start = 1700000000,
	};
	char err[128];
	struct lsr_edfw *w = lsr_edfw_open(fd, &o, err, sizeof err);
	ck_assert_msg(w != NULL, "%s", err);
	return w;
}

/* Deterministic digital values spanning small and near-full-scale ones. */
static long digital(int c, long i)
{
	long x = (i * 7919 + c * 104729) % 20001 - 10000;
	return (i % 97 == 0) ? x * 800 : x;
}

static int open_r(const char *path, struct edf_hdr_struct *h)
{
	int rc = edfopen_file_readonly(path, h, EDFLIB_READ_ALL_ANNOTATIONS);
	ck_assert_msg(rc == 0, "EDFlib refused %s: %d", path, h->filetype);
	return h->handle;
}

START_TEST(bdf_samples_exact_and_annotations_in_place)
{
	mk_dir();
	char path[128];
	struct lsr_edfw *w = open_w("a.bdf", true, 2000, path);
	enum { N = 2100 }; /* 10.5 records of 0.1 s */
	static float s[3 * N];
	static uint8_t m[N];
	for (int c = 0; c < 3; c++)
		for (int i = 0; i < N; i++)
			s[c * N + i] = (float)(digital(c, i) * Q);
	for (int i = 0; i < N; i++)
		m[i] = (i % 400 == 5) ? LSR_MARK_STIM : 0;
	char longtext[301];
	memset(longtext, 'x', 300);
	longtext[300] = 0;
	memcpy(longtext, "lsrmon: ", 8);
	/* Six annotations in record 0 before its samples arrive. */
	for (int k = 0; k < 6; k++) {
		char t[32];
		snprintf(t, sizeof t, "early %d", k);
		ck_assert_int_eq(lsr_edfw_annotate(w, 0.01 * k, t), 0);
	}
	ck_assert_int_eq(lsr_edfw_write(w, s, N, m, 1000), 0);
	/* Late: record 2 is on disk already; it is rewritten in place. */
	ck_assert_int_eq(lsr_edfw_annotate(w, 0.2345, "Decompression"), 0);
	ck_assert_int_eq(lsr_edfw_annotate(w, 0.31, longtext), 0);
	ck_assert_int_eq(lsr_edfw_annotate(w, 0.5, "Dura \x14open\x15 ü"), 0);
	ck_assert_int_eq(lsr_edfw_write(w, s + 1000, N, m + 1000, N - 1000), 0);
	ck_assert_int_eq(lsr_edfw_sync(w), 0);
	ck_assert_int_eq(lsr_edfw_samples(w), N);
	ck_assert_int_eq(lsr_edfw_close(w), 0);

	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	struct edf_hdr_struct h;
	int hd = open_r(path, &h);
	ck_assert_int_eq(h.filetype, EDFLIB_FILETYPE_BDFPLUS);
	ck_assert_int_eq(h.edfsignals, 4);
	ck_assert_int_eq(h.datarecords_in_file, 11);
	ck_assert_int_eq(h.datarecord_duration, EDFLIB_TIME_DIMENSION / 10);
	/* EDF+'s "EMG <muscle>" form, side first (lsrmon(1), RECORDINGS). */
	ck_assert_str_eq(h.signalparam[0].label, "EMG L Mentalis  ");
	ck_assert_str_eq(h.signalparam[2].label, "EMG L Orb oculi ");
	ck_assert_ptr_nonnull(strstr(h.signalparam[0].prefilter, "HP:10Hz LP:5000Hz"));
	ck_assert_str_eq(h.equipment, "sim patient");
	static double got[2200];
	for (int c = 0; c < 3; c++) {
		ck_assert_int_eq(edfread_physical_samples(hd, c, 2200, got), 2200);
		for (int i = 0; i < N; i++)
			ck_assert_msg(fabs(got[i] - digital(c, i) * Q) < Q * 1e-3,
			              "ch %d sample %d: %f vs %f", c, i, got[i], digital(c, i) * Q);
		for (int i = N; i < 2200; i++) /* padding holds the last value */
			ck_assert_double_eq_tol(got[i], digital(c, N - 1) * Q, Q * 1e-3);
	}
	ck_assert_int_eq(edfread_physical_samples(hd, 3, 2200, got), 2200);
	ck_assert_double_eq(got[5], 1);
	ck_assert_double_eq(got[6], 0);
	/* Padding holds no mark: Trigger is the marks and nothing else. */
	for (int i = N; i < 2200; i++)
		ck_assert_double_eq(got[i], 0);
	ck_assert_int_eq(h.annotations_in_file, 10);
	const char *want[] = { "early 0", "early 1", "early 2", "early 3", "early 4",
		"early 5", "Decompression", longtext, "Dura  open  ü",
		"BAD lsrmon end padding 100 samples" };
	const long long onset[] = { 0, 100000, 200000, 300000, 400000, 500000, 2345000,
		3100000, 5000000, 10500000 };
	for (int k = 0; k < 10; k++) {
		struct edf_annotation_struct a;
		ck_assert_int_eq(edf_get_annotation(hd, k, &a), 0);
		ck_assert_str_eq(a.annotation, want[k]);
		ck_assert_int_eq(a.onset, onset[k]);
	}
	struct edf_annotation_struct a; /* the padding's span: 100 samples at 2 kHz */
	ck_assert_int_eq(edf_get_annotation(hd, 9, &a), 0);
	ck_assert_int_eq(a.duration_l, 500000);
	edfclose_file(hd);
	rm_dir();
}
END_TEST

START_TEST(edf_clips_and_counts)
{
	mk_dir();
	char path[128];
	struct lsr_edfw *w = open_w("b.edf", false, 1000, path);
	enum { N = 300 };
	float s[3 * N];
	for (int i = 0; i < 3 * N; i++)
		s[i] = (float)((i % 100) * 61.0 - 3000); /* −3000 … +3039 µV */
	s[10] = 7000;
	s[N + 20] = -9000;
	s[2 * N + 30] = NAN;
	ck_assert_int_eq(lsr_edfw_write(w, s, N, NULL, N), 0);
	ck_assert_uint_eq(lsr_edfw_clipped(w), 3);
	ck_assert_int_eq(lsr_edfw_close(w), 0);
	struct edf_hdr_struct h;
	int hd = open_r(path, &h);
	ck_assert_int_eq(h.filetype, EDFLIB_FILETYPE_EDFPLUS);
	ck_assert_int_eq(h.datarecords_in_file, 3);
	ck_assert_double_eq(h.signalparam[0].phys_max, 5000);
	double got[N], q = 5000.0 / 32767;
	for (int c = 0; c < 3; c++) {
		ck_assert_int_eq(edfread_physical_samples(hd, c, N, got), N);
		for (int i = 0; i < N; i++) {
			double want = s[c * N + i];
			want = isnan(want) ? 0 : want > 5000 ? 5000 : want < -5000 ? -5000 : want;
			ck_assert_msg(fabs(got[i] - want) <= q / 2 + 1e-9, "%d/%d", c, i);
		}
	}
	edfclose_file(hd);
	rm_dir();
}
END_TEST

/* Without close — as after kill -9 — what is on disk is a valid file with
 * every complete record and its annotations, and a header count that says so. */
START_TEST(valid_while_writing)
{
	mk_dir();
	char path[128];
	struct lsr_edfw *w = open_w("c.bdf", true, 1000, path);
	float s[3 * 250] = { 0 };
	ck_assert_int_eq(lsr_edfw_write(w, s, 250, NULL, 250), 0); /* 2.5 records */
	ck_assert_int_eq(lsr_edfw_annotate(w, 0.15, "Baseline"), 0);
	ck_assert_int_eq(lsr_edfw_annotate(w, 0.22, "not yet written"), 0);
	struct edf_hdr_struct h;
	int hd = open_r(path, &h);
	ck_assert_int_eq(h.datarecords_in_file, 2);
	ck_assert_int_eq(h.annotations_in_file, 1);
	struct edf_annotation_struct a;
	ck_assert_int_eq(edf_get_annotation(hd, 0, &a), 0);
	ck_assert_str_eq(a.annotation, "Baseline");
	edfclose_file(hd);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq((uint64_t)st.st_size, lsr_edfw_bytes(w));
	ck_assert_int_eq(lsr_edfw_write(w, s, 250, NULL, 50), 0); /* 3 records exactly */
	ck_assert_int_eq(lsr_edfw_annotate(w, 0.3, "lsrmon: End"), 0);
	ck_assert_int_eq(lsr_edfw_close(w), 0);
	hd = open_r(path, &h); /* the end needs a record of padding to hold it */
	ck_assert_int_eq(h.datarecords_in_file, 4);
	ck_assert_int_eq(h.annotations_in_file, 4);
	ck_assert_int_eq(edf_get_annotation(hd, 2, &a), 0);
	ck_assert_str_eq(a.annotation, "lsrmon: End");
	ck_assert_int_eq(a.onset, 3000000);
	ck_assert_int_eq(edf_get_annotation(hd, 3, &a), 0);
	ck_assert_str_eq(a.annotation, "BAD lsrmon end padding 100 samples");
	ck_assert_int_eq(a.onset, 3000000);
	ck_assert_int_eq(a.duration_l, 1000000);
	edfclose_file(hd);
	rm_dir();
}
END_TEST

/* Annotations beyond a slot's room spill into the next records, keeping
 * their onsets; a rate without 0.1 s records gets longer ones. */
START_TEST(crowded_records_and_odd_rates)
{
	mk_dir();
	char path[128];
	struct lsr_edfw *w = open_w("d.edf", false, 256, path);
	ck_assert_double_eq(lsr_edfw_record_s(w), 0.25);
	char t[200];
	for (int k = 0; k < 30; k++) {
		snprintf(t, sizeof t, "lsrmon: params %02d %0150d", k, 0);
		ck_assert_int_eq(lsr_edfw_annotate(w, 0.1, t), 0);
	}
	float s[3 * 1024] = { 0 };
	ck_assert_int_eq(lsr_edfw_write(w, s, 1024, NULL, 1024), 0);
	ck_assert_int_eq(lsr_edfw_close(w), 0);
	struct edf_hdr_struct h;
	int hd = open_r(path, &h);
	ck_assert_int_eq(h.datarecords_in_file, 16);
	ck_assert_int_eq(h.annotations_in_file, 30);
	for (int k = 0; k < 30; k++) {
		struct edf_annotation_struct a;
		ck_assert_int_eq(edf_get_annotation(hd, k, &a), 0);
		ck_assert_int_eq(a.onset, 1000000);
		snprintf(t, sizeof t, "lsrmon: params %02d %0150d", k, 0);
		ck_assert_str_eq(a.annotation, t);
	}
	edfclose_file(hd);
	rm_dir();
}
END_TEST

/* A setting is at onset 0 while the file is written (a crash keeps it)
 * and at the last sample once it is closed, so readers list the case
 * first; it is there once. */
START_TEST(settings_move_to_the_end)
{
	mk_dir();
	char path[128];
	struct lsr_edfw *w = open_w("s.bdf", true, 1000, path);
	char t[3][400];
	for (int k = 0; k < 3; k++) { /* 3 × 399 bytes: more than one record's slot */
		memset(t[k], 'a' + k, sizeof t[k] - 1);
		t[k][sizeof t[k] - 1] = 0;
		memcpy(t[k], "lsrmon: params ", 15);
		ck_assert_int_eq(lsr_edfw_setting(w, t[k]), 0);
	}
	ck_assert_int_eq(lsr_edfw_annotate(w, 0, "lsrmon: Start"), 0);
	static float s[3 * 2000];
	ck_assert_int_eq(lsr_edfw_write(w, s, 2000, NULL, 2000), 0); /* 20 records */
	ck_assert_int_eq(lsr_edfw_annotate(w, 1.05, "Decompression"), 0);
	struct edf_hdr_struct h;
	int hd = open_r(path, &h);
	ck_assert_int_eq(h.annotations_in_file, 5);
	for (int k = 0; k < 4; k++) {
		struct edf_annotation_struct a;
		ck_assert_int_eq(edf_get_annotation(hd, k, &a), 0);
		ck_assert_int_eq(a.onset, 0);
	}
	edfclose_file(hd);
	ck_assert_int_eq(lsr_edfw_close(w), 0);
	hd = open_r(path, &h);
	ck_assert_int_eq(h.datarecords_in_file, 20); /* they fit the last records */
	ck_assert_int_eq(h.annotations_in_file, 5);
	struct edf_annotation_struct a;
	const char *const first[] = { "lsrmon: Start", "Decompression" };
	for (int k = 0; k < 2; k++) {
		ck_assert_int_eq(edf_get_annotation(hd, k, &a), 0);
		ck_assert_str_eq(a.annotation, first[k]);
	}
	for (int k = 0; k < 3; k++) {
		ck_assert_int_eq(edf_get_annotation(hd, 2 + k, &a), 0);
		ck_assert_int_eq(a.onset, 19990000); /* the last sample, 1.999 s */
		ck_assert_str_eq(a.annotation, t[k]);
	}
	edfclose_file(hd);
	rm_dir();
}
END_TEST

/* A setting crowded out of the first records stays at onset 0, once. */
START_TEST(crowded_setting_stays_once)
{
	mk_dir();
	char path[128], t[400];
	struct lsr_edfw *w = open_w("t.bdf", true, 1000, path);
	for (int k = 0; k < 20; k++) { /* two 399-byte notes a record: 10 records */
		memset(t, 'a' + k, sizeof t - 1);
		t[sizeof t - 1] = 0;
		ck_assert_int_eq(lsr_edfw_annotate(w, 0, t), 0);
	}
	char setting[400];
	memset(setting, 'z', sizeof setting - 1);
	setting[sizeof setting - 1] = 0;
	memcpy(setting, "lsrmon: montage ", 16);
	ck_assert_int_eq(lsr_edfw_setting(w, setting), 0); /* fits no room left before record 10 */
	static float s[3 * 2000];
	ck_assert_int_eq(lsr_edfw_write(w, s, 2000, NULL, 2000), 0);
	ck_assert_int_eq(lsr_edfw_close(w), 0);
	struct edf_hdr_struct h;
	int hd = open_r(path, &h);
	int found = 0;
	for (int k = 0; k < h.annotations_in_file; k++) {
		struct edf_annotation_struct a;
		ck_assert_int_eq(edf_get_annotation(hd, k, &a), 0);
		if (strcmp(a.annotation, setting) == 0) {
			found++;
			ck_assert_int_eq(a.onset, 0);
		}
	}
	ck_assert_int_eq(found, 1);
	edfclose_file(hd);
	rm_dir();
}
END_TEST

START_TEST(onset_text)
{
	char b[32];
	lsr_edfw_format_onset(b, sizeof b, 0);
	ck_assert_str_eq(b, "+0");
	lsr_edfw_format_onset(b, sizeof b, 12.3);
	ck_assert_str_eq(b, "+12.3");
	lsr_edfw_format_onset(b, sizeof b, 1.23456);
	ck_assert_str_eq(b, "+1.23456");
	lsr_edfw_format_onset(b, sizeof b, -4);
	ck_assert_str_eq(b, "+0");
}
END_TEST

Suite *suite_edfwrite(void)
{
	Suite *s = suite_create("edfwrite");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, bdf_samples_exact_and_annotations_in_place);
	tcase_add_test(tc, edf_clips_and_counts);
	tcase_add_test(tc, valid_while_writing);
	tcase_add_test(tc, crowded_records_and_odd_rates);
	tcase_add_test(tc, settings_move_to_the_end);
	tcase_add_test(tc, crowded_setting_stays_once);
	tcase_add_test(tc, onset_text);
	suite_add_tcase(s, tc);
	return s;
}
