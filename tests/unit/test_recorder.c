/* tests/unit/test_recorder.c — the --record sink end to end through its
 * writer thread, read back with EDFlib: segments, gaps, annotations, refusal
 * to replace files, a full disk; and the annotation vocabulary (recnotes). */
#include <check.h>
#include <edflib.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "recnotes.h"
#include "recorder.h"

#define Q (400000.0 / 8388608.0)

static char dir[64];

static void mk_dir(void)
{
	snprintf(dir, sizeof dir, "/tmp/lsr-rec-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void rm_dir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static struct lsr_stream_config cfg2(int rate)
{
	struct lsr_stream_config c = { .rate = rate, .channels = 2, .uv_per_lsb = Q,
		.full_scale_uv = 400000, .format_bits = 24 };
	strcpy(c.labels[0], "R Mentalis");
	strcpy(c.labels[1], "R Orb oculi");
	strcpy(c.prefilter, "HP:10Hz LP:5000Hz");
	return c;
}

static const struct lsr_channel_info chans[2] = { { 0, "R Mentalis", LSR_ROLE_LSR },
	{ 1, "R Orb oculi", LSR_ROLE_CONTROL } };

/* Sample i of channel c: a distinct multiple of the quantum. */
static float val(int c, int64_t i)
{
	return (float)(((i * 37 + c * 1000) % 4001 - 2000) * Q);
}

static void block(struct lsr_recorder *r, int64_t index, int n)
{
	static float s[2 * 1000];
	static uint8_t m[1000];
	for (int i = 0; i < n; i++) {
		s[i] = val(0, index + i);
		s[1000 + i] = val(1, index + i);
		m[i] = (index + i) % 200 == 0 ? LSR_MARK_STIM : 0;
	}
	struct lsr_block b = { .index = (uint64_t)index, .nsamp = n, .channels = 2,
		.stride = 1000, .samples = s, .marks = m };
	lsr_recorder_block(r, index, &b);
}

/* The case's wall clock at stream time 0 (src/clock.h): 2023-11-14 22:13:20 UTC. */
#define ORIGIN 1700000000.0

/* Each file's header is dated by the case's wall clock at its first sample
 * (local time, whole seconds), not by when the writer thread opened it. */
static void want_start(const struct edf_hdr_struct *h, double stream_t)
{
	time_t t = (time_t)floor(ORIGIN + stream_t);
	struct tm tm;
	ck_assert_ptr_nonnull(localtime_r(&t, &tm));
	ck_assert_int_eq(h->startdate_year, tm.tm_year + 1900);
	ck_assert_int_eq(h->startdate_month, tm.tm_mon + 1);
	ck_assert_int_eq(h->startdate_day, tm.tm_mday);
	ck_assert_int_eq(h->starttime_hour, tm.tm_hour);
	ck_assert_int_eq(h->starttime_minute, tm.tm_min);
	ck_assert_int_eq(h->starttime_second, tm.tm_sec);
}

static int find_annot(int hd, int count, const char *prefix, long long *onset)
{
	for (int k = 0; k < count; k++) {
		struct edf_annotation_struct a;
		ck_assert_int_eq(edf_get_annotation(hd, k, &a), 0);
		if (strncmp(a.annotation, prefix, strlen(prefix)) == 0) {
			*onset = a.onset;
			return k;
		}
	}
	return -1;
}

START_TEST(segments_gaps_and_annotations)
{
	mk_dir();
	char path[128], err[256];
	int code = 0;
	snprintf(path, sizeof path, "%s/case.bdf", dir);
	struct lsr_recorder *r = lsr_recorder_new(path, false, NULL, "test rig", err, sizeof err, &code);
	ck_assert_msg(r != NULL, "%s", err);
	struct lsr_params p;
	lsr_params_defaults(&p);
	ck_assert_int_eq(lsr_params_set_kv(&p, "button_label=Foot 100%", err, sizeof err), 0);
	struct lsr_stream_config c = cfg2(1000);
	lsr_recorder_segment(r, &c, chans, 2, &p, 0, ORIGIN);
	for (int64_t i = 0; i < 1000; i += 250)
		block(r, i, 250);
	struct lsr_event ev = { .type = LSR_EV_MARK, .t = 0.5, .mark = { 1, "Decompression", LSR_ORIGIN_KEY } };
	const struct lsr_sink *sink = lsr_recorder_sink(r);
	sink->event(sink->ctx, &ev);
	ev = (struct lsr_event){ .type = LSR_EV_STATE, .t = 0.8, .state = { LSR_STATE_DISAPPEARED,
		LSR_STATE_REDUCED, 0.6, false, true, 0.1, true, false } };
	sink->event(sink->ctx, &ev);
	sink->group_end(sink->ctx);
	block(r, 1050, 500);                  /* 50 samples lost: padded */
	block(r, 1550 + 61 * 1000, 500);      /* 61 s outage: next file */
	struct lsr_stream_config c3 = cfg2(2000);
	lsr_recorder_segment(r, &c3, chans, 2, &p, 70, ORIGIN);
	block(r, 0, 1000);
	ck_assert_int_eq(lsr_recorder_close(r), 0);

	struct edf_hdr_struct h;
	ck_assert_int_eq(edfopen_file_readonly(path, &h, EDFLIB_READ_ALL_ANNOTATIONS), 0);
	int hd = h.handle;
	want_start(&h, 0);
	ck_assert_int_eq(h.datarecords_in_file, 16); /* 1550 samples, last record padded */
	static double got[1600];
	ck_assert_int_eq(edfread_physical_samples(hd, 1, 1600, got), 1600);
	for (int i = 0; i < 1550; i++) {
		double want = i < 1000 ? val(1, i) : i < 1050 ? val(1, 999) : val(1, i);
		ck_assert_msg(fabs(got[i] - want) < Q * 1e-3, "sample %d: %f vs %f", i, got[i], want);
	}
	ck_assert_int_eq(edfread_physical_samples(hd, 2, 1600, got), 1600);
	/* Trigger holds the marks and nothing else: no value in the padding. */
	ck_assert_double_eq(got[200], LSR_MARK_STIM);
	ck_assert_double_eq(got[1000], 0);
	ck_assert_double_eq(got[1049], 0);
	ck_assert_double_eq(got[1051], 0);
	ck_assert_double_eq(got[1560], 0);
	long long on;
	int n = (int)h.annotations_in_file;
	ck_assert_int_ge(find_annot(hd, n, "Decompression", &on), 0);
	ck_assert_int_eq(on, 5000000);
	/* The padding: BAD spans with their durations (50 ms, 50 ms). */
	int k = find_annot(hd, n, "BAD lsrmon gap 50 samples", &on);
	ck_assert_int_ge(k, 0);
	ck_assert_int_eq(on, 10000000);
	struct edf_annotation_struct span;
	ck_assert_int_eq(edf_get_annotation(hd, k, &span), 0);
	ck_assert_int_eq(span.duration_l, 500000);
	k = find_annot(hd, n, "BAD lsrmon end padding 50 samples", &on);
	ck_assert_int_ge(k, 0);
	ck_assert_int_eq(on, 15500000);
	ck_assert_int_eq(edf_get_annotation(hd, k, &span), 0);
	ck_assert_int_eq(span.duration_l, 500000);
	ck_assert_int_ge(find_annot(hd, n, "lsrmon: LSR disappeared after decompression (was reduced; since 0.6000 s", &on), 0);
	ck_assert_int_eq(on, 8000000);
	/* The settings follow the case, at the last sample (1.549 s). */
	ck_assert_int_ge(find_annot(hd, n, "lsrmon: montage 0:lsr,1:control utc=", &on), 0);
	ck_assert_int_eq(on, 15490000);
	/* The stored parameters come back exactly, escaped text included. */
	struct lsr_params q;
	lsr_params_defaults(&q);
	char montage[64] = "";
	int bad = 0, params_notes = 0;
	for (int k = 0; k < n; k++) {
		struct edf_annotation_struct a;
		edf_get_annotation(hd, k, &a);
		if (lsr_recnotes_apply(a.annotation, &q, montage, sizeof montage, &bad))
			params_notes++;
	}
	ck_assert_int_eq(params_notes, 3); /* at most three settings notes */
	ck_assert_int_eq(bad, 0);
	ck_assert_str_eq(q.button_label, "Foot 100%");
	ck_assert_mem_eq(&p, &q, sizeof p);
	ck_assert_str_eq(montage, "0:lsr,1:control");
	edfclose_file(hd);

	char p2[160];
	snprintf(p2, sizeof p2, "%s/case-2.bdf", dir);
	ck_assert_int_eq(edfopen_file_readonly(p2, &h, EDFLIB_READ_ALL_ANNOTATIONS), 0);
	ck_assert_int_eq(h.datarecords_in_file, 5);
	want_start(&h, (1550 + 61000) / 1000.0); /* after the outage */
	ck_assert_int_ge(find_annot(hd = h.handle, (int)h.annotations_in_file, "lsrmon: 61000 samples not acquired before this file", &on), 0);
	ck_assert_int_ge(find_annot(hd, (int)h.annotations_in_file, "lsrmon: montage", &on), 0);
	ck_assert_int_eq(edfread_physical_samples(hd, 0, 1, got), 1);
	ck_assert_double_eq_tol(got[0], val(0, 1550 + 61000), Q * 1e-3);
	edfclose_file(hd);
	snprintf(p2, sizeof p2, "%s/case-3.bdf", dir);
	ck_assert_int_eq(edfopen_file_readonly(p2, &h, EDFLIB_READ_ALL_ANNOTATIONS), 0);
	ck_assert_int_eq(h.signalparam[0].smp_in_datarecord, 200);
	ck_assert_int_eq(h.datarecords_in_file, 5);
	want_start(&h, 70);
	edfclose_file(h.handle);
	struct stat st;
	ck_assert_int_eq(stat(p2, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	rm_dir();
}
END_TEST

START_TEST(refuses_to_replace)
{
	mk_dir();
	char path[128], err[256];
	int code = 0;
	snprintf(path, sizeof path, "%s/old.edf", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("precious", f);
	fclose(f);
	ck_assert_ptr_null(lsr_recorder_new(path, false, NULL, NULL, err, sizeof err, &code));
	ck_assert_int_eq(code, 2);
	ck_assert_ptr_nonnull(strstr(err, "--force"));
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 8);
	snprintf(path, sizeof path, "%s/old.txt", dir);
	ck_assert_ptr_null(lsr_recorder_new(path, false, NULL, NULL, err, sizeof err, &code));
	ck_assert_int_eq(code, 2);
	snprintf(path, sizeof path, "%s/no/such/dir.bdf", dir);
	ck_assert_ptr_null(lsr_recorder_new(path, false, NULL, NULL, err, sizeof err, &code));
	ck_assert_int_eq(code, 1);
	/* --force replaces; a recorder that never saw a configuration leaves nothing. */
	snprintf(path, sizeof path, "%s/old.edf", dir);
	struct lsr_recorder *r = lsr_recorder_new(path, true, NULL, NULL, err, sizeof err, &code);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(lsr_recorder_close(r), 0);
	ck_assert_int_eq(stat(path, &st), -1);
	rm_dir();
}
END_TEST

/* RLIMIT_FSIZE in a child: the write fails with EFBIG (SIGXFSZ ignored), an
 * alarm says so, the session carries on, the file is valid up to there. */
START_TEST(full_disk_alarm_and_valid_file)
{
	mk_dir();
	char path[128];
	snprintf(path, sizeof path, "%s/full.bdf", dir);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct rlimit rl = { 100000, 100000 };
		char err[256], what[32], text[256];
		int code;
		if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
			_exit(10);
		struct lsr_recorder *r = lsr_recorder_new(path, false, NULL, NULL, err, sizeof err, &code);
		if (!r)
			_exit(11);
		struct lsr_params p;
		lsr_params_defaults(&p);
		struct lsr_stream_config c = cfg2(1000);
		lsr_recorder_segment(r, &c, chans, 2, &p, 0, ORIGIN);
		for (int64_t i = 0; i < 30000; i += 500)
			block(r, i, 500);
		struct pollfd pf = { .fd = lsr_recorder_alarm_fd(r), .events = POLLIN };
		if (poll(&pf, 1, 10000) != 1 || !lsr_recorder_failed(r))
			_exit(12);
		if (!lsr_recorder_poll_alarm(r, what, sizeof what, text, sizeof text))
			_exit(13);
		if (strcmp(what, "disk") || !strstr(text, "too large"))
			_exit(14);
		block(r, 30000, 500); /* still accepted, silently not written */
		_exit(lsr_recorder_close(r) == 1 ? 0 : 15);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	struct edf_hdr_struct h;
	ck_assert_int_eq(edfopen_file_readonly(path, &h, EDFLIB_READ_ALL_ANNOTATIONS), 0);
	ck_assert_int_ge(h.datarecords_in_file, 10);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_le(st.st_size, 100000);
	edfclose_file(h.handle);
	rm_dir();
}
END_TEST

/* A live port never waits for the disk: blocks that find the queue full
 * are dropped, counted and alarmed, and the file shows them as gaps. */
START_TEST(live_drops_rather_than_waits)
{
	mk_dir();
	char path[128], err[256], what[32], text[256];
	int code;
	snprintf(path, sizeof path, "%s/live.bdf", dir);
	struct lsr_recorder *r = lsr_recorder_new(path, false, NULL, NULL, err, sizeof err, &code);
	ck_assert_ptr_nonnull(r);
	lsr_recorder_set_live(r, true);
	struct lsr_stream_config c = { .rate = 20000, .channels = LSR_MAX_CHANNELS, .uv_per_lsb = Q,
		.full_scale_uv = 400000 };
	struct lsr_channel_info ch[LSR_MAX_CHANNELS];
	for (int i = 0; i < LSR_MAX_CHANNELS; i++) {
		snprintf(c.labels[i], LSR_LABEL_MAX, "ch%d", i);
		ch[i] = (struct lsr_channel_info){ i, c.labels[i], LSR_ROLE_OTHER };
	}
	struct lsr_params p;
	lsr_params_defaults(&p);
	lsr_recorder_segment(r, &c, ch, LSR_MAX_CHANNELS, &p, 0, ORIGIN);
	/* 100 blocks of 512 kB offered at once: 3 × the queue, far faster than
	 * any disk takes them. */
	static float s[LSR_MAX_CHANNELS * LSR_MAX_BLOCK];
	enum { BLOCKS = 100 };
	for (int k = 0; k < BLOCKS; k++) {
		struct lsr_block b = { .index = (uint64_t)k * LSR_MAX_BLOCK, .nsamp = LSR_MAX_BLOCK,
			.channels = LSR_MAX_CHANNELS, .stride = LSR_MAX_BLOCK, .samples = s };
		lsr_recorder_block(r, (int64_t)k * LSR_MAX_BLOCK, &b);
	}
	struct lsr_recorder_status st;
	lsr_recorder_status(r, &st);
	ck_assert_uint_gt(st.dropped, 0);
	ck_assert_uint_eq(st.dropped % LSR_MAX_BLOCK, 0);
	ck_assert(lsr_recorder_poll_alarm(r, what, sizeof what, text, sizeof text));
	ck_assert_str_eq(what, "disk");
	ck_assert_ptr_nonnull(strstr(text, "cannot keep up"));
	/* One more block, allowed to wait: the dropped ones lie before it. */
	lsr_recorder_set_live(r, false);
	struct lsr_block b = { .index = (uint64_t)BLOCKS * LSR_MAX_BLOCK, .nsamp = LSR_MAX_BLOCK,
		.channels = LSR_MAX_CHANNELS, .stride = LSR_MAX_BLOCK, .samples = s };
	lsr_recorder_block(r, (int64_t)BLOCKS * LSR_MAX_BLOCK, &b);
	ck_assert_int_eq(lsr_recorder_close(r), 0);
	/* The dropped samples are padding (bit 7) with gap notes. */
	struct edf_hdr_struct h;
	ck_assert_int_eq(edfopen_file_readonly(path, &h, EDFLIB_READ_ALL_ANNOTATIONS), 0);
	long long gap_notes = 0, padded = 0, total = h.signalparam[0].smp_in_file, offered = (BLOCKS + 1) * LSR_MAX_BLOCK;
	for (int k = 0; k < h.annotations_in_file; k++) {
		struct edf_annotation_struct a;
		edf_get_annotation(h.handle, k, &a);
		if (strncmp(a.annotation, "BAD lsrmon gap ", 15) == 0) {
			gap_notes++;
			padded += a.duration_l / 500; /* 100 ns units at 20 kHz */
		} else if (strncmp(a.annotation, "BAD lsrmon end padding ", 23) == 0) {
			padded += a.duration_l / 500;
		}
	}
	ck_assert_int_eq(total, (offered + 1999) / 2000 * 2000);
	ck_assert_int_ge(gap_notes, 1);
	int *trig = malloc((size_t)total * sizeof *trig);
	ck_assert_ptr_nonnull(trig);
	ck_assert_int_eq(edfread_digital_samples(h.handle, LSR_MAX_CHANNELS, (int)total, trig), total);
	for (long long i = 0; i < total; i++)
		ck_assert_int_eq(trig[i] & ~(int)LSR_MARK_STIM, 0);
	ck_assert_int_eq(padded, (long long)st.dropped + (total - offered));
	free(trig);
	edfclose_file(h.handle);
	rm_dir();
}
END_TEST

START_TEST(event_texts)
{
	char b[256];
	struct lsr_event ev = { .type = LSR_EV_STATE, .t = 3, .state = { LSR_STATE_DISAPPEARED,
		LSR_STATE_PRESENT, 2.5, true, false, NAN, false, true } };
	ck_assert(lsr_recnotes_event(&ev, b, sizeof b));
	ck_assert_str_eq(b, "lsrmon: LSR disappeared before decompression (was present; since 2.5000 s, "
	                    "ratio null, unverified, provisional baseline)");
	ev.state.premature = false;
	ev.state.after_decompression = true;
	ck_assert(lsr_recnotes_event(&ev, b, sizeof b));
	ck_assert_ptr_nonnull(strstr(b, "lsrmon: LSR disappeared after decompression (was present;"));
	ev = (struct lsr_event){ .type = LSR_EV_CHANNEL_STATE, .channel_state = { 1, LSR_STATE_REDUCED,
		LSR_STATE_PRESENT } };
	ck_assert(lsr_recnotes_event(&ev, b, sizeof b));
	ck_assert_str_eq(b, "lsrmon: channel 1: LSR reduced (was present)");
	ev = (struct lsr_event){ .type = LSR_EV_MARK, .mark = { 3, "Dura open", LSR_ORIGIN_CLI } };
	ck_assert(lsr_recnotes_event(&ev, b, sizeof b));
	ck_assert_str_eq(b, "Dura open");
	ev = (struct lsr_event){ .type = LSR_EV_STIM };
	ck_assert(!lsr_recnotes_event(&ev, b, sizeof b));
	ev = (struct lsr_event){ .type = LSR_EV_GAP };
	ck_assert(!lsr_recnotes_event(&ev, b, sizeof b));
	struct lsr_params p;
	lsr_params_defaults(&p);
	int bad = 0;
	char m[8];
	ck_assert(lsr_recnotes_apply("lsrmon: params hp_hz=20 nope=1 lp_hz=x", &p, m, sizeof m, &bad));
	ck_assert_double_eq(p.hp_hz, 20);
	ck_assert_int_eq(bad, 2);
	ck_assert(!lsr_recnotes_apply("Decompression", &p, m, sizeof m, &bad));
}
END_TEST

/* EDF+ labels (lsrmon(1), RECORDINGS): "EMG", the side, the muscle,
 * abbreviated only while longer than 16 characters, cut past that. */
START_TEST(edf_labels)
{
	static const char *const cases[][2] = {
		{ "Mentalis", "EMG Mentalis" },
		{ "Orbicularis oculi", "EMG Orb oculi" },
		{ "R Orbicularis oris", "EMG R Orb oris" },
		{ "left_Orbicularis-oculi", "EMG L Orb oculi" },
		{ "Depressor anguli oris", "EMG Dep ang oris" },
		{ "EMG R Mentalis", "EMG R Mentalis" },
		{ "Right zygomaticus major", "EMG R Zyg major" },
		{ "Levator labii superioris alaeque nasi", "EMG Lev lab sup" },
		{ "", "EMG" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[LSR_RECNOTES_EDF_LABEL + 1];
		lsr_recnotes_edf_label(cases[i][0], out);
		ck_assert_str_eq(out, cases[i][1]);
	}
}
END_TEST

/* The montage note carries the UTC offset and the full labels, which come
 * back exactly, a comma and a space in a label included. */
START_TEST(montage_note_round_trip)
{
	const struct lsr_channel_info ch[2] = { { 0, "Orbicularis oris, upper", LSR_ROLE_LSR },
		{ 1, "Orbicularis 100% oculi", LSR_ROLE_CONTROL } };
	char b[LSR_RECNOTES_PARAMS_MAX + 1];
	lsr_recnotes_montage(ch, 2, -(3 * 3600 + 1800), b, sizeof b);
	ck_assert_str_eq(b, "lsrmon: montage 0:lsr,1:control utc=-03:30 "
	                    "labels=Orbicularis%20oris%2C%20upper,Orbicularis%20100%25%20oculi");
	struct lsr_recnotes_rec r = { .nlabels = 0 };
	ck_assert(lsr_recnotes_recording(b, &r));
	ck_assert(r.has_utc);
	ck_assert_int_eq(r.utc_offset_s, -(3 * 3600 + 1800));
	ck_assert_int_eq(r.nlabels, 2);
	ck_assert_str_eq(r.labels[0], ch[0].label);
	ck_assert_str_eq(r.labels[1], ch[1].label);
	struct lsr_params p;
	lsr_params_defaults(&p);
	char m[64];
	int bad = 0;
	ck_assert(lsr_recnotes_apply(b, &p, m, sizeof m, &bad));
	ck_assert_str_eq(m, "0:lsr,1:control");
	/* An earlier version's note: roles only. */
	r = (struct lsr_recnotes_rec){ .nlabels = 0 };
	ck_assert(lsr_recnotes_recording("lsrmon: montage 0:lsr", &r));
	ck_assert(!r.has_utc);
	ck_assert_int_eq(r.nlabels, 0);
	ck_assert(!lsr_recnotes_recording("Decompression", &r));
}
END_TEST

Suite *suite_recorder(void)
{
	Suite *s = suite_create("recorder");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, segments_gaps_and_annotations);
	tcase_add_test(tc, refuses_to_replace);
	tcase_add_test(tc, full_disk_alarm_and_valid_file);
	tcase_add_test(tc, live_drops_rather_than_waits);
	tcase_add_test(tc, event_texts);
	tcase_add_test(tc, edf_labels);
	tcase_add_test(tc, montage_note_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
