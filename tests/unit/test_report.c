/* tests/unit/test_report.c — the case report from a synthetic case whose
 * facts are known: text keys and values, the PDF (pdfinfo: 1-2 pages;
 * pdftoppm: page 1 not blank), no overwriting, bounded memory. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "report_priv.h"

#define RATE 10000
#define LEN 1100 /* -10 … +100 ms */
#define PRE 100

static struct lsr_channel_info chans[] = {
	{ 0, "Mentalis", LSR_ROLE_LSR },
	{ 1, "Oculi", LSR_ROLE_CONTROL },
};
static struct lsr_params params;
static float sweep[2][LEN];

static void emit(struct lsr_report *r, const struct lsr_event *e)
{
	const struct lsr_sink *s = lsr_report_sink(r);
	s->event(s->ctx, e);
}

static void mark(struct lsr_report *r, double t, int id, const char *label)
{
	struct lsr_event e = { .type = LSR_EV_MARK, .t = t };
	e.mark.id = id;
	e.mark.label = label;
	e.mark.origin = LSR_ORIGIN_KEY;
	emit(r, &e);
}

static void state(struct lsr_report *r, double t, enum lsr_state s, enum lsr_state prev,
                  double since, bool after)
{
	struct lsr_event e = { .type = LSR_EV_STATE, .t = t };
	e.state.state = s;
	e.state.prev = prev;
	e.state.since = since;
	e.state.after_decompression = after;
	e.state.ratio = NAN;
	e.state.verified = true;
	emit(r, &e);
}

static void baseline(struct lsr_report *r, double t, int ch, double p2p, double onset, bool prov)
{
	struct lsr_event e = { .type = LSR_EV_BASELINE, .t = t };
	e.baseline.ch = ch;
	e.baseline.p2p_uv = p2p;
	e.baseline.onset_ms = onset;
	e.baseline.trials = 10;
	e.baseline.provisional = prov;
	emit(r, &e);
}

/* 60 stimuli at 1 s: the LSR (200 µV burst at 10 ms) until stimulus 30,
 * absent from 31; the control's direct response at 4 ms throughout. */
static struct lsr_report *synthetic_case(void)
{
	struct lsr_report_info info = { .wall_start = 1700000000.0, .device = "LSRB-1 test amp", .source = "/dev/ttyACM0" };
	struct lsr_report *r = lsr_report_new(&info);
	ck_assert_ptr_nonnull(r);
	lsr_params_defaults(&params);
	struct lsr_event e = { .type = LSR_EV_START, .t = 0 };
	e.start.segment = 1;
	e.start.source = "port";
	e.start.driver = "lsrb";
	e.start.rate = RATE;
	e.start.nch = 2;
	e.start.channels = chans;
	e.start.params = &params;
	emit(r, &e);
	mark(r, 3, 1, "Intensity 12");
	mark(r, 5, 2, "Dura open");
	for (int n = 1; n <= 60; n++) {
		double t = n;
		e = (struct lsr_event){ .type = LSR_EV_STIM, .t = t };
		e.stim.n = n;
		emit(r, &e);
		bool lsr = n <= 30;
		for (int i = 0; i < LEN; i++) {
			double ms = (i - PRE) / 10.0;
			sweep[0][i] = (float)(lsr && ms > 10 && ms < 14 ? 200 * sin((ms - 10) * M_PI / 2) : 3 * sin(i));
			sweep[1][i] = (float)(ms > 4 && ms < 6 ? 1000 * sin((ms - 4) * M_PI) : 0);
		}
		for (int ch = 0; ch < 2; ch++) {
			e = (struct lsr_event){ .type = LSR_EV_RESPONSE, .t = t };
			e.response.n = n;
			e.response.ch = ch;
			e.response.role = chans[ch].role;
			e.response.valid = !(ch == 0 && n == 15);
			e.response.invalid_reason = e.response.valid ? LSR_VALID : LSR_INVALID_SATURATED;
			e.response.present = ch == 1 || lsr ? LSR_TRUE : LSR_FALSE;
			e.response.p2p_uv = ch == 1 ? 2000 : lsr ? 400 : 6;
			e.response.onset_ms = ch == 1 ? 4 : lsr ? 10 : NAN;
			e.response.raw = e.response.conditioned = sweep[ch];
			e.response.sweep_len = LEN;
			e.response.sweep_pre = PRE;
			emit(r, &e);
		}
		if (n == 10) {
			baseline(r, t, 0, 400, 10, true);
			baseline(r, t, 1, 2000, 4, true);
			state(r, t, LSR_STATE_PRESENT, LSR_STATE_ACQUIRING, 1, false);
		}
		if (n == 12)
			baseline(r, t, 0, 400, 10, false);
		if (n == 20)
			mark(r, 20.5, 3, "Decompression");
		if (n == 21)
			mark(r, 21.5, 4, "Cancel 3");
		if (n == 25)
			mark(r, 25.5, 5, "Decompression");
		if (n == 40)
			state(r, t, LSR_STATE_DISAPPEARED, LSR_STATE_PRESENT, 31, true);
	}
	e = (struct lsr_event){ .type = LSR_EV_GAP, .t = 50.5 };
	e.gap.samples = 200;
	emit(r, &e);
	e = (struct lsr_event){ .type = LSR_EV_LINK, .t = 51.5 };
	e.link.status = LSR_LINK_DISCONNECTED;
	emit(r, &e);
	e = (struct lsr_event){ .type = LSR_EV_ALARM, .t = 52.5 };
	e.alarm.what = "disk";
	e.alarm.text = "write failed";
	emit(r, &e);
	return r;
}

static void finish(struct lsr_report *r)
{
	static struct lsr_stats st;
	struct lsr_event e = { .type = LSR_EV_END, .t = 61 };
	e.end.final = LSR_FINAL_DISAPPEARED;
	e.end.final_phase = LSR_PHASE_AFTER_DECOMPRESSION;
	e.end.stims = 60;
	e.end.stats = &st;
	emit(r, &e);
}

static char dir[64];

static void setup(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	snprintf(dir, sizeof dir, "/tmp/lsr-report-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{

	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "%s", path);
	static char buf[65536];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The value of the first "key: value" line, in a static buffer. */
static const char *value(const char *text, const char *key)
{
	static char out[256];
	char pat[80];
	snprintf(pat, sizeof pat, "\n%s: ", key);
	const char *p = strstr(text, pat);
	ck_assert_msg(p != NULL, "key %s missing", key);
	p += strlen(pat);
	size_t n = strcspn(p, "\n");
	snprintf(out, sizeof out, "%.*s", (int)n, p);
	return out;
}

static int count_lines(const char *text, const char *prefix)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, prefix)); p++)
		if (p == text || p[-1] == '\n')
			n++;
	return n;
}

START_TEST(text_facts)
{
	struct lsr_report *r = synthetic_case();
	finish(r);
	char stem[128], err[256];
	snprintf(stem, sizeof stem, "%s/case", dir);
	ck_assert_msg(lsr_report_write(r, stem, false, err, sizeof err) == 0, "%s", err);
	char path[160];
	snprintf(path, sizeof path, "%s.txt", stem);
	const char *t = slurp(path);
	/* 1700000000 s = 2023-11-14 22:13:20 UTC. */
	ck_assert_str_eq(value(t, "case_start"), "14 Nov 2023 22:13:20 UTC");
	ck_assert_str_eq(value(t, "case_end"), "14 Nov 2023 22:14:21 UTC");
	ck_assert_str_eq(value(t, "patient"), "anonymous");
	ck_assert_str_eq(value(t, "case_surgeon"), "");
	ck_assert_str_eq(value(t, "device"), "LSRB-1 test amp");
	ck_assert_str_eq(value(t, "driver"), "lsrb");
	ck_assert_str_eq(value(t, "rate_hz"), "10000");
	ck_assert_str_eq(value(t, "montage"), "0:Mentalis:lsr,1:Oculi:control");
	ck_assert_str_eq(value(t, "stim_branch"), "zygomatic");
	ck_assert_str_eq(value(t, "stim_intensity_ma"), "12");
	ck_assert_str_eq(value(t, "param_disappear_trials"), "10");
	ck_assert_str_eq(value(t, "final"), "disappeared");
	ck_assert_str_eq(value(t, "final_phase"), "after_decompression");
	ck_assert_str_eq(value(t, "loss_t"), "31.000");
	ck_assert_str_eq(value(t, "loss_wall"), "14 Nov 2023 22:13:51 UTC");
	ck_assert_str_eq(value(t, "loss_confirm_trials"), "10"); /* stimuli 31…40 */
	ck_assert_str_eq(value(t, "baseline_ch0_p2p_uv"), "400.0");
	ck_assert_str_eq(value(t, "baseline_ch0_onset_ms"), "10.00");
	ck_assert_str_eq(value(t, "baseline_ch0_confirmed"), "yes");
	ck_assert_str_eq(value(t, "baseline_ch1_p2p_uv"), "2000.0");
	ck_assert_str_eq(value(t, "baseline_ch1_onset_ms"), "4.00");
	ck_assert_str_eq(value(t, "baseline_ch1_confirmed"), "no");
	ck_assert_str_eq(value(t, "invalid_saturated"), "1");
	ck_assert_str_eq(value(t, "invalid_no_direct"), "0");
	ck_assert_str_eq(value(t, "valid_trials"), "119");
	ck_assert_str_eq(value(t, "stims"), "60");
	ck_assert_str_eq(value(t, "gaps"), "1");
	ck_assert_str_eq(value(t, "gap_samples"), "200");
	ck_assert_str_eq(value(t, "link_losses"), "1");
	ck_assert_str_eq(value(t, "alarms"), "1");
	ck_assert_int_eq(count_lines(t, "mark: "), 5);
	ck_assert_ptr_nonnull(strstr(t, "mark: id=3 t=20.500 wall=2023-11-14T22:13:40+0000 "
	                                "origin=key cancelled=yes ignored=no label=Decompression\n"));
	ck_assert_ptr_nonnull(strstr(t, "mark: id=5 t=25.500 wall=2023-11-14T22:13:45+0000 "
	                                "origin=key cancelled=no ignored=no label=Decompression\n"));
	ck_assert_int_eq(count_lines(t, "state: "), 2);
	ck_assert_ptr_nonnull(strstr(t, "note: t=52.500 wall=2023-11-14T22:14:12+0000 type=alarm "
	                                "text=disk: write failed\n"));
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	lsr_report_free(r);
}
END_TEST

static double page_variance(const char *pdf, int page)
{
	char cmd[512], pgm[160];
	snprintf(pgm, sizeof pgm, "%s/page", dir);
	snprintf(cmd, sizeof cmd, "pdftoppm -gray -r 30 -f %d -l %d -singlefile '%s' '%s'", page,
	         page, pdf, pgm);
	ck_assert_int_eq(system(cmd), 0);
	strcat(pgm, ".pgm");
	FILE *f = fopen(pgm, "rb");
	ck_assert_ptr_nonnull(f);
	int w, h, max;
	ck_assert_int_eq(fscanf(f, "P5 %d %d %d", &w, &h, &max), 3);
	fgetc(f);
	double sum = 0, sum2 = 0;
	long n = (long)w * h;
	for (long i = 0; i < n; i++) {
		int c = fgetc(f);
		ck_assert_int_ne(c, EOF);
		sum += c;
		sum2 += (double)c * c;
	}
	fclose(f);
	return sum2 / n - (sum / n) * (sum / n);
}

START_TEST(pdf_valid_and_not_blank)
{
	struct lsr_report *r = synthetic_case();
	finish(r);
	char stem[128], err[256], pdf[160], cmd[256];
	snprintf(stem, sizeof stem, "%s/case", dir);
	ck_assert_msg(lsr_report_write(r, stem, false, err, sizeof err) == 0, "%s", err);
	snprintf(pdf, sizeof pdf, "%s.pdf", stem);
	snprintf(cmd, sizeof cmd, "pdfinfo '%s' | grep -Eq '^Pages: +[12]$'", pdf);
	ck_assert_msg(system(cmd) == 0, "pdfinfo: not a 1-2 page PDF");
	/* A blank page renders to one grey level: variance 0. */
	ck_assert_double_gt(page_variance(pdf, 1), 100);
	ck_assert_double_gt(page_variance(pdf, 2), 100);
	lsr_report_free(r);
}
END_TEST

/* Only the first Decompression mark not cancelled counts: a second one is
 * listed as ignored, and the loss is dated from the first. */
START_TEST(second_decompression_is_ignored)
{
	struct lsr_report_info info = { .wall_start = 1700000000.0, .driver = "sim" };
	struct lsr_report *r = lsr_report_new(&info);
	ck_assert_ptr_nonnull(r);
	mark(r, 10, 1, "Decompression");
	mark(r, 14, 2, "decompression");
	state(r, 25, LSR_STATE_DISAPPEARED, LSR_STATE_PRESENT, 12.5, true);
	struct lsr_event e = { .type = LSR_EV_END, .t = 30 };
	e.end.final = LSR_FINAL_DISAPPEARED;
	e.end.final_phase = LSR_PHASE_AFTER_DECOMPRESSION;
	emit(r, &e);
	char stem[128], err[256], path[160];
	snprintf(stem, sizeof stem, "%s/ignored", dir);
	ck_assert_msg(lsr_report_write(r, stem, false, err, sizeof err) == 0, "%s", err);
	snprintf(path, sizeof path, "%s.txt", stem);
	const char *t = slurp(path);
	ck_assert_ptr_nonnull(strstr(t, " id=1 t=10.000 "));
	ck_assert_ptr_nonnull(strstr(t, "cancelled=no ignored=no label=Decompression\n"));
	ck_assert_ptr_nonnull(strstr(t, "cancelled=no ignored=yes label=decompression\n"));
	ck_assert_str_eq(value(t, "decompression_t"), "10.000");
	ck_assert_str_eq(value(t, "loss_after_decompression_s"), "2.5");
	ck_assert_ptr_nonnull(strstr(value(t, "summary"), "disappeared 2.5 s after decompression"));
	char cmd[400];
	snprintf(cmd, sizeof cmd, "pdftotext -layout '%s.pdf' - | grep -q 'IGNORED: only the first "
	         "Decompression counts'", stem);
	ck_assert_msg(system(cmd) == 0, "the PDF does not say the second mark was ignored");
	lsr_report_free(r);
}
END_TEST

static void channel_state(struct lsr_report *r, double t, int ch, enum lsr_state st,
                          enum lsr_state prev, enum lsr_reason why)
{
	struct lsr_event e = { .type = LSR_EV_CHANNEL_STATE, .t = t };
	e.channel_state.ch = ch;
	e.channel_state.state = st;
	e.channel_state.prev = prev;
	e.channel_state.reason = why;
	emit(r, &e);
}

/* Two LSR channels: ch 1 cannot be judged from 20 s to 26 s and again
 * from 28 s to the end; the loss is called at 30 s on ch 0 alone (its
 * decision averaged 12 trials, ch 1 made none), with ch 1 listed
 * indeterminate.  The case
 * was in New York (UTC-05:00): times of day are written there. */
START_TEST(indeterminate_channels_and_the_call)
{
	static struct lsr_channel_info three[] = {
		{ 0, "Mentalis", LSR_ROLE_LSR }, { 1, "Oris", LSR_ROLE_LSR }, { 2, "Oculi", LSR_ROLE_CONTROL },
	};
	struct lsr_report_info info = { .wall_start = 1700000000.0, .driver = "sim",
	                                .utc_offset = -5 * 3600 };
	struct lsr_report *r = lsr_report_new(&info);
	ck_assert_ptr_nonnull(r);
	lsr_params_defaults(&params);
	struct lsr_event e = { .type = LSR_EV_START, .t = 0 };
	e.start.segment = 1;
	e.start.rate = RATE;
	e.start.nch = 3;
	e.start.channels = three;
	e.start.params = &params;
	emit(r, &e);
	for (int n = 1; n <= 30; n++) {
		e = (struct lsr_event){ .type = LSR_EV_STIM, .t = n };
		e.stim.n = n;
		emit(r, &e);
		for (int ch = 0; ch < 3; ch++) {
			e = (struct lsr_event){ .type = LSR_EV_RESPONSE, .t = n };
			e.response.n = n;
			e.response.ch = ch;
			e.response.role = three[ch].role;
			e.response.valid = true;
			e.response.present = LSR_FALSE;
			e.response.p2p_uv = 10;
			e.response.trials = ch == 0 ? 12 : ch == 1 ? 0 : 1;
			emit(r, &e);
		}
		if (n == 20)
			channel_state(r, n, 1, LSR_STATE_INDETERMINATE, LSR_STATE_PRESENT, LSR_REASON_NOISE);
		if (n == 26)
			channel_state(r, n, 1, LSR_STATE_PRESENT, LSR_STATE_INDETERMINATE, LSR_REASON_NONE);
		if (n == 28)
			channel_state(r, n, 1, LSR_STATE_INDETERMINATE, LSR_STATE_PRESENT,
			              LSR_REASON_NO_VALID_TRIALS);
	}
	static const int ind[] = { 1 };
	e = (struct lsr_event){ .type = LSR_EV_STATE, .t = 30 };
	e.state.state = LSR_STATE_DISAPPEARED;
	e.state.prev = LSR_STATE_PRESENT;
	e.state.since = 21;
	e.state.ratio = NAN;
	e.state.verified = true;
	e.state.premature = true;
	e.state.indeterminate_ch = ind;
	e.state.nind = 1;
	emit(r, &e);
	e = (struct lsr_event){ .type = LSR_EV_END, .t = 31 };
	e.end.final = LSR_FINAL_DISAPPEARED;
	e.end.final_phase = LSR_PHASE_PREMATURE;
	emit(r, &e);
	char stem[128], err[256], path[160], cmd[400];
	snprintf(stem, sizeof stem, "%s/ind", dir);
	ck_assert_msg(lsr_report_write(r, stem, false, err, sizeof err) == 0, "%s", err);
	snprintf(path, sizeof path, "%s.txt", stem);
	const char *t = slurp(path);
	/* 1700000000 s = 2023-11-14 22:13:20 UTC = 17:13:20 in New York. */
	ck_assert_str_eq(value(t, "case_start"), "14 Nov 2023 17:13:20 UTC-05:00");
	ck_assert_str_eq(value(t, "loss_average_trials"), "0:12,1:0");
	ck_assert_str_eq(value(t, "loss_indeterminate_ch"), "1");
	ck_assert_str_eq(value(t, "current_indeterminate_ch"), "1");
	ck_assert_str_eq(value(t, "indeterminate_spans"), "2");
	ck_assert_ptr_nonnull(strstr(t, "\nindeterminate: ch=1 from_t=20.000 from_wall=2023-11-14T17:13:40-0500 "
	                                "to_t=26.000 to_wall=2023-11-14T17:13:46-0500 reason=noise\n"));
	ck_assert_ptr_nonnull(strstr(t, "\nindeterminate: ch=1 from_t=28.000 from_wall=2023-11-14T17:13:48-0500 "
	                                "to_t=none to_wall=none reason=no_valid_trials\n"));
	ck_assert_ptr_nonnull(strstr(t, " ratio=none indeterminate_ch=1\n"));
	ck_assert_ptr_nonnull(strstr(value(t, "summary"), "; ch 1 (Oris) could not be judged (no_valid_trials)"));
	snprintf(cmd, sizeof cmd, "pdftotext -layout '%s.pdf' - | tr -s ' ' | grep -q "
	         "'Indeterminate at the call: ch 1 Oris (no_valid_trials); the call rests on the others.'", stem);
	ck_assert_msg(system(cmd) == 0, "the verdict box does not name the indeterminate channel");
	snprintf(cmd, sizeof cmd, "pdftotext -layout '%s.pdf' - | grep -q 'valid trials (average of 12)'",
	         stem);
	ck_assert_msg(system(cmd) == 0, "the verdict box does not say what ch 0's decision averaged");
	lsr_report_free(r);
}
END_TEST

START_TEST(never_overwrites)
{
	struct lsr_report *r = synthetic_case();
	char stem[128], err[256], path[160];
	snprintf(stem, sizeof stem, "%s/case", dir);
	snprintf(path, sizeof path, "%s.pdf", stem);
	FILE *f = fopen(path, "w");
	fputs("keep", f);
	fclose(f);
	ck_assert_int_eq(lsr_report_write(r, stem, false, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "case.pdf") && strstr(err, "exists"), "%s", err);
	snprintf(path, sizeof path, "%s.txt", stem);
	ck_assert_int_ne(access(path, F_OK), 0); /* neither file written */
	ck_assert_msg(lsr_report_write(r, stem, true, err, sizeof err) == 0, "%s", err);
	/* Written before the end: the outcome says so, and what the state is
	 * now (the loss of stimulus 31 still holds). */
	ck_assert_str_eq(value(slurp(path), "final"), "in_progress");
	ck_assert_str_eq(value(slurp(path), "current_state"), "disappeared");
	ck_assert_str_eq(value(slurp(path), "loss_t"), "31.000");
	lsr_report_free(r);
}
END_TEST

/* 24 h at 2 stimuli/s stays within the same memory. */
START_TEST(memory_bounded)
{
	struct lsr_report_info info = { .driver = "sim" };
	struct lsr_report *r = lsr_report_new(&info);
	for (int n = 1; n <= 172800; n++) {
		struct lsr_event e = { .type = LSR_EV_STIM, .t = n * 0.5 };
		e.stim.n = n;
		emit(r, &e);
		e.type = LSR_EV_RESPONSE;
		e.response.n = n;
		e.response.valid = true;
		e.response.p2p_uv = n;
		emit(r, &e);
	}
	ck_assert_int_le(r->trend[0].n, REP_TREND_MAX);
	ck_assert_int_ge(r->trend[0].n, REP_TREND_MAX / 2);
	/* Thinned evenly: first and latest stretches both represented. */
	ck_assert_float_eq(r->trend[0].p[0].p2p, 1);
	ck_assert_float_gt(r->trend[0].p[r->trend[0].n - 1].p2p, 172800 - 2 * r->trend[0].stride);
	for (int i = 1; i < r->trend[0].n; i++)
		ck_assert_float_gt(r->trend[0].p[i].t, r->trend[0].p[i - 1].t);
	lsr_report_free(r);
}
END_TEST

Suite *suite_report(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, text_facts);
	tcase_add_test(tc, pdf_valid_and_not_blank);
	tcase_add_test(tc, never_overwrites);
	tcase_add_test(tc, second_decompression_is_ignored);
	tcase_add_test(tc, memory_bounded);
	tcase_add_test(tc, indeterminate_channels_and_the_call);
	suite_add_tcase(s, tc);
	return s;
}
