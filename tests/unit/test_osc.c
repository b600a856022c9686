/* tests/unit/test_osc.c — the OSC sink against a real liblo receiver in the
 * test process: paths, type tags, list lengths, order, bundle grouping, time
 * tags and values of every event type; sweep blobs; URL checks. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "osc.h"
#include "osc_rx.h"
#include "osc_send.h"
#include "params.h"

/* liblo's argument pointers are only 4-byte aligned: read through memcpy. */
static int32_t ai(const lo_arg *a)
{
	int32_t v;
	memcpy(&v, a, sizeof v);
	return v;
}

static float af(const lo_arg *a)
{
	float v;
	memcpy(&v, a, sizeof v);
	return v;
}

static const char *as(const lo_arg *a) { return (const char *)a; }

#define WAIT_MS 5000

static char url_buf[64];

static const char *url_for(const char *proto, int port)
{
	snprintf(url_buf, sizeof url_buf, "osc.%s://127.0.0.1:%d/", proto, port);
	return url_buf;
}

static struct lsr_osc *osc_to(const char *proto, int port, bool sweeps, bool realtime, bool live)
{
	const char *u[] = { url_for(proto, port) };
	char err[200] = "";
	struct lsr_osc *o = lsr_osc_new(u, 1, sweeps, realtime, live, err, sizeof err);
	ck_assert_msg(o != NULL, "%s", err);
	return o;
}

static void push(const struct lsr_sink *s, const struct lsr_event *ev) { s->event(s->ctx, ev); }
static void end_group(const struct lsr_sink *s) { s->group_end(s->ctx); }

static struct lsr_channel_info chans[] = {
	{ 0, "Mentalis", LSR_ROLE_LSR },
	{ 1, "Oculi", LSR_ROLE_CONTROL },
};
static const char *warns[] = { "no stimulus side set" };
static struct lsr_params params;
static struct lsr_stats stats;

static struct lsr_event ev_start(double rate)
{
	lsr_params_defaults(&params);
	struct lsr_event e = { .type = LSR_EV_START, .t = 0 };
	e.start.segment = 1;
	e.start.source = "sim";
	e.start.driver = "sim";
	e.start.rate = (int)rate;
	e.start.nch = 2;
	e.start.channels = chans;
	e.start.params = &params;
	e.start.nwarn = 1;
	e.start.warnings = warns;
	return e;
}

static struct lsr_event ev_response(int n, int ch, bool present, const float *raw, int len)
{
	struct lsr_event e = { .type = LSR_EV_RESPONSE, .t = 1.25 * n };
	e.response.n = n;
	e.response.ch = ch;
	e.response.role = ch == 0 ? LSR_ROLE_LSR : LSR_ROLE_CONTROL;
	e.response.valid = true;
	e.response.invalid_reason = LSR_VALID;
	e.response.present = present ? LSR_TRUE : LSR_FALSE;
	e.response.p2p_uv = 123.456 + ch;
	e.response.onset_ms = present ? 10.25 : NAN;
	e.response.area_uv_ms = 0.1;
	e.response.late_p2p_uv = 7.5;
	e.response.noise_uv = 3.3;
	e.response.threshold_uv = 20;
	e.response.amplitude_uv = present ? 98.5 : NAN;
	e.response.trials = present ? 4 : 0;
	e.response.raw = raw;
	e.response.sweep_len = len;
	e.response.sweep_pre = len / 11;
	return e;
}

/* Expected type tags, written out from docs/interface.md's table. */
static const char *tags_start(void)
{
	static char t[512];
	strcpy(t, "fissfi" "iss" "iss" "i");
	for (int i = 0; i < lsr_params_count(); i++) {
		double num;
		const char *text;
		strcat(t, lsr_params_get(&params, i, &num, &text) ? "ss" : "sf");
	}
	strcat(t, "is" "i"); /* one warning, then simulation 0/1 */
	return t;
}

static const char *types_of(const struct rx_entry *e) { return lo_message_get_types(e->m); }
static lo_arg **args_of(const struct rx_entry *e) { return lo_message_get_argv(e->m); }

static void check_msg(const struct rx *r, int i, const char *path, const char *types)
{
	const struct rx_entry *e = rx_msg(r, i);
	ck_assert_msg(e != NULL, "message %d missing", i);
	ck_assert_str_eq(e->path, path);
	ck_assert_str_eq(types_of(e), types);
}

/* The whole vocabulary once: start, a stimulus group, then one of each
 * other event, each its own group. */
START_TEST(every_event_type)
{
	struct rx *r = rx_new(LO_UDP, NULL);
	ck_assert_ptr_nonnull(r);
	struct lsr_osc *o = osc_to("udp", rx_port(r), false, false, false);
	const struct lsr_sink *s = lsr_osc_sink(o);

	struct lsr_event e = ev_start(20000);
	push(s, &e);
	end_group(s);

	e = (struct lsr_event){ .type = LSR_EV_STIM, .t = 1.25 };
	e.stim.n = 1;
	e.stim.origin = LSR_STIM_ARTIFACT;
	push(s, &e);
	e = ev_response(1, 0, true, NULL, 0);
	push(s, &e);
	e = ev_response(1, 1, false, NULL, 0);
	e.response.valid = false;
	e.response.invalid_reason = LSR_INVALID_SATURATED;
	e.response.present = LSR_NULL;
	e.response.threshold_uv = INFINITY;
	push(s, &e);
	e = (struct lsr_event){ .type = LSR_EV_CHANNEL_STATE, .t = 1.25 };
	e.channel_state.ch = 0;
	e.channel_state.state = LSR_STATE_PRESENT;
	e.channel_state.prev = LSR_STATE_ACQUIRING;
	push(s, &e);
	e.channel_state.ch = 1;
	e.channel_state.state = LSR_STATE_INDETERMINATE;
	e.channel_state.prev = LSR_STATE_PRESENT;
	e.channel_state.reason = LSR_REASON_NOISE;
	push(s, &e);
	e = (struct lsr_event){ .type = LSR_EV_STATE, .t = 1.25 };
	e.state.state = LSR_STATE_DISAPPEARED;
	e.state.prev = LSR_STATE_REDUCED;
	e.state.since = 0.5;
	e.state.premature = true;
	e.state.ratio = NAN;
	e.state.verified = true;
	static const int indeterminate[] = { 1, 3 };
	e.state.indeterminate_ch = indeterminate;
	e.state.nind = 2;
	push(s, &e);
	end_group(s);

	e = (struct lsr_event){ .type = LSR_EV_BASELINE, .t = 2 };
	e.baseline.ch = 1;
	e.baseline.p2p_uv = 250.5;
	e.baseline.onset_ms = 9.75;
	e.baseline.trials = 10;
	e.baseline.provisional = true;
	push(s, &e);
	end_group(s);
	e = (struct lsr_event){ .type = LSR_EV_MARK, .t = 3 };
	e.mark.id = 4;
	e.mark.label = "Dura \xff open";
	e.mark.origin = LSR_ORIGIN_OSC;
	push(s, &e);
	end_group(s);
	e = (struct lsr_event){ .type = LSR_EV_LINK, .t = 4 };
	e.link.status = LSR_LINK_STALLED;
	push(s, &e);
	end_group(s);
	e = (struct lsr_event){ .type = LSR_EV_GAP, .t = 5 };
	e.gap.samples = 5000000000LL; /* beyond int32: clamped */
	push(s, &e);
	end_group(s);
	e = (struct lsr_event){ .type = LSR_EV_ALARM, .t = 6 };
	e.alarm.what = "disk";
	e.alarm.text = "disk full";
	push(s, &e);
	end_group(s);
	stats.drv.bytes = 1000;
	stats.osc_dropped = 2;
	e = (struct lsr_event){ .type = LSR_EV_END, .t = 7 };
	e.end.final = LSR_FINAL_DISAPPEARED;
	e.end.final_phase = LSR_PHASE_NONE;
	e.end.stims = 1;
	e.end.stats = &stats;
	push(s, &e);
	end_group(s);

	ck_assert(rx_wait_msgs(r, 13, WAIT_MS));
	check_msg(r, 0, "/lsrmon/start", tags_start());
	check_msg(r, 1, "/lsrmon/stim", "fis");
	/* One signature per address whatever is missing (lsrmon(1), OSC). */
	check_msg(r, 2, "/lsrmon/response", "fiisisifffffffi");
	check_msg(r, 3, "/lsrmon/response", "fiisisifffffffi");
	check_msg(r, 4, "/lsrmon/channel_state", "fisss");
	check_msg(r, 5, "/lsrmon/channel_state", "fisss");
	check_msg(r, 6, "/lsrmon/state", "fssfiifiis");
	check_msg(r, 7, "/lsrmon/baseline", "fiffii");
	check_msg(r, 8, "/lsrmon/mark", "fiss");
	check_msg(r, 9, "/lsrmon/link", "fs");
	check_msg(r, 10, "/lsrmon/gap", "fi");
	check_msg(r, 11, "/lsrmon/alarm", "fss");
	/* The counters, then mains_hz and one hum_uv_<ch> per channel judged
	 * (none here). */
	check_msg(r, 12, "/lsrmon/end", "fssii" "sfsfsfsfsfsfsfsfsfsfsfsf" "sf");

	lo_arg **a = args_of(rx_msg(r, 0));
	ck_assert_int_eq(ai(a[1]), 1);
	ck_assert_str_eq(as(a[2]), "sim");
	ck_assert_float_eq(af(a[4]), 20000.0f);
	ck_assert_int_eq(ai(a[5]), 2);
	ck_assert_int_eq(ai(a[6]), 0);
	ck_assert_str_eq(as(a[7]), "Mentalis");
	ck_assert_str_eq(as(a[8]), "lsr");
	ck_assert_int_eq(ai(a[9]), 1);
	ck_assert_str_eq(as(a[11]), "control");
	ck_assert_int_eq(ai(a[12]), lsr_params_count());
	ck_assert_str_eq(as(a[13]), "min_rate_hz");
	ck_assert_float_eq(af(a[14]), 5000.0f);
	int np = lsr_params_count();
	ck_assert_int_eq(ai(a[13 + 2 * np]), 1);
	ck_assert_str_eq(as(a[14 + 2 * np]), "no stimulus side set");

	a = args_of(rx_msg(r, 1));
	ck_assert_float_eq(af(a[0]), 1.25f);
	ck_assert_int_eq(ai(a[1]), 1);
	ck_assert_str_eq(as(a[2]), "artifact");
	a = args_of(rx_msg(r, 2));
	ck_assert_int_eq(ai(a[2]), 0);
	ck_assert_str_eq(as(a[3]), "lsr");
	ck_assert_int_eq(ai(a[4]), 1);
	ck_assert_str_eq(as(a[5]), ""); /* no invalid_reason */
	ck_assert_int_eq(ai(a[6]), 1);
	ck_assert_float_eq(af(a[7]), 123.456f);
	ck_assert_float_eq(af(a[8]), 10.25f);
	ck_assert_float_eq(af(a[12]), 20.0f);
	ck_assert_float_eq(af(a[13]), 98.5f);
	ck_assert_int_eq(ai(a[14]), 4);
	a = args_of(rx_msg(r, 3));
	ck_assert_int_eq(ai(a[4]), 0);
	ck_assert_str_eq(as(a[5]), "saturated");
	ck_assert_int_eq(ai(a[6]), -1); /* present: null */
	ck_assert(isnan(af(a[8])));     /* onset_ms: absent */
	ck_assert(isnan(af(a[12])));    /* threshold_uv: infinite */
	ck_assert(isnan(af(a[13])));    /* amplitude_uv: no shape yet */
	ck_assert_int_eq(ai(a[14]), 0);
	a = args_of(rx_msg(r, 4));
	ck_assert_str_eq(as(a[2]), "present");
	ck_assert_str_eq(as(a[4]), ""); /* reason: only for indeterminate */
	a = args_of(rx_msg(r, 5));
	ck_assert_int_eq(ai(a[1]), 1);
	ck_assert_str_eq(as(a[2]), "indeterminate");
	ck_assert_str_eq(as(a[4]), "noise");
	a = args_of(rx_msg(r, 6));
	ck_assert_str_eq(as(a[1]), "disappeared");
	ck_assert_str_eq(as(a[2]), "reduced");
	ck_assert_float_eq(af(a[3]), 0.5f);
	ck_assert_int_eq(ai(a[4]), 1);
	ck_assert_int_eq(ai(a[5]), 0);
	ck_assert(isnan(af(a[6]))); /* ratio: null */
	ck_assert_int_eq(ai(a[7]), 1);
	ck_assert_int_eq(ai(a[8]), 0);
	ck_assert_str_eq(as(a[9]), "1,3"); /* indeterminate_ch, last */
	a = args_of(rx_msg(r, 7));
	ck_assert_float_eq(af(a[2]), 250.5f);
	ck_assert_int_eq(ai(a[4]), 10);
	ck_assert_int_eq(ai(a[5]), 1);
	a = args_of(rx_msg(r, 8));
	ck_assert_int_eq(ai(a[1]), 4);
	ck_assert_str_eq(as(a[2]), "Dura \xef\xbf\xbd open");
	ck_assert_str_eq(as(a[3]), "osc");
	ck_assert_str_eq(as(args_of(rx_msg(r, 9))[1]), "stalled");
	ck_assert_int_eq(ai(args_of(rx_msg(r, 10))[1]), 2147483647);
	a = args_of(rx_msg(r, 11));
	ck_assert_str_eq(as(a[1]), "disk");
	ck_assert_str_eq(as(a[2]), "disk full");
	a = args_of(rx_msg(r, 12));
	ck_assert_str_eq(as(a[1]), "disappeared");
	ck_assert_str_eq(as(a[2]), ""); /* no final_phase */
	ck_assert_int_eq(ai(a[3]), 1);
	ck_assert_int_eq(ai(a[4]), 13);
	ck_assert_str_eq(as(a[5]), "bytes");
	ck_assert_float_eq(af(a[6]), 1000.0f);
	ck_assert_str_eq(as(a[27]), "osc_dropped");
	ck_assert_float_eq(af(a[28]), 2.0f);
	ck_assert_str_eq(as(a[29]), "mains_hz");
	ck_assert(isnan(af(a[30]))); /* nothing judged: NaN, never N */

	/* Grouping: 8 bundles; the stimulus's six messages share one. */
	int bundles = 0, in_stim = 0;
	for (int k = 0; k < r->n; k++) {
		if (r->e[k].kind == RX_BUNDLE) {
			bundles++;
			ck_assert_uint_eq(r->e[k].tt.sec, 0);
			ck_assert_uint_eq(r->e[k].tt.frac, 1); /* immediately */
		}
		if (bundles == 2 && r->e[k].kind == RX_MSG)
			in_stim++;
	}
	ck_assert_int_eq(bundles, 8);
	ck_assert_int_eq(in_stim, 6);
	ck_assert_uint_eq(lsr_osc_dropped(o), 0);
	lsr_osc_free(o);
	rx_free(r);
}
END_TEST

static double tt_seconds(lo_timetag t) { return t.sec + t.frac / 4294967296.0; }

/* Real time: each bundle carries the wall-clock time at which its group
 * closed, i.e. when its latest sample was processed. */
START_TEST(realtime_time_tags)
{
	struct rx *r = rx_new(LO_UDP, NULL);
	struct lsr_osc *o = osc_to("udp", rx_port(r), false, true, true);
	const struct lsr_sink *s = lsr_osc_sink(o);
	lo_timetag before[3], after[3];
	for (int i = 0; i < 3; i++) {
		struct lsr_event e = { .type = LSR_EV_LINK, .t = i };
		e.link.status = LSR_LINK_CONNECTED;
		lo_timetag_now(&before[i]);
		push(s, &e);
		end_group(s);
		lo_timetag_now(&after[i]);
	}
	ck_assert(rx_wait_msgs(r, 3, WAIT_MS));
	int b = 0;
	for (int k = 0; k < r->n; k++)
		if (r->e[k].kind == RX_BUNDLE) {
			double tt = tt_seconds(r->e[k].tt);
			ck_assert_int_lt(b, 3);
			ck_assert(tt >= tt_seconds(before[b]) - 1e-6);
			ck_assert(tt <= tt_seconds(after[b]) + 1e-6);
			b++;
		}
	ck_assert_int_eq(b, 3);
	lsr_osc_free(o);
	rx_free(r);
}
END_TEST

/* --osc-sweeps: after the stimulus's bundle, one bundle per channel whose
 * blob is the raw sweep as little-endian float32. */
START_TEST(sweep_blobs)
{
	enum { LEN = 1100 };
	static float raw[2][LEN];
	for (int i = 0; i < LEN; i++) {
		raw[0][i] = (float)(100.0 * sin(i * 0.01)) + 0.125f;
		raw[1][i] = (float)(-i) / 3.0f;
	}
	struct rx *r = rx_new(LO_UDP, NULL);
	struct lsr_osc *o = osc_to("udp", rx_port(r), true, true, false);
	const struct lsr_sink *s = lsr_osc_sink(o);
	struct lsr_event e = ev_start(10000);
	push(s, &e);
	end_group(s);
	e = (struct lsr_event){ .type = LSR_EV_STIM, .t = 1.25 };
	e.stim.n = 7;
	push(s, &e);
	for (int ch = 0; ch < 2; ch++) {
		e = ev_response(7, ch, true, raw[ch], LEN);
		push(s, &e);
	}
	end_group(s);
	ck_assert(rx_wait_msgs(r, 6, WAIT_MS));
	check_msg(r, 1, "/lsrmon/stim", "fis");
	lo_timetag stim_tt = { 0, 0 };
	int bundles = 0;
	for (int k = 0; k < r->n; k++)
		if (r->e[k].kind == RX_BUNDLE && ++bundles == 2)
			stim_tt = r->e[k].tt;
	ck_assert_int_eq(bundles, 4); /* start, stimulus, two sweeps */
	for (int ch = 0; ch < 2; ch++) {
		check_msg(r, 4 + ch, "/lsrmon/sweep", "iifb");
		lo_arg **a = args_of(rx_msg(r, 4 + ch));
		ck_assert_int_eq(ai(a[0]), 7);
		ck_assert_int_eq(ai(a[1]), ch);
		ck_assert_float_eq(af(a[2]), 10000.0f);
		lo_blob blob = (lo_blob)a[3];
		ck_assert_uint_eq(lo_blob_datasize(blob), LEN * 4);
		const unsigned char *p = lo_blob_dataptr(blob);
		for (int i = 0; i < LEN; i++) {
			uint32_t u = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
			             (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
			float f;
			memcpy(&f, &u, 4);
			ck_assert_msg(f == raw[ch][i], "ch %d sample %d", ch, i);
		}
	}
	/* The sweep bundles carry the stimulus bundle's time tag. */
	for (int k = 0, b = 0; k < r->n; k++)
		if (r->e[k].kind == RX_BUNDLE && ++b > 2) {
			ck_assert_uint_eq(r->e[k].tt.sec, stim_tt.sec);
			ck_assert_uint_eq(r->e[k].tt.frac, stim_tt.frac);
		}
	lsr_osc_free(o);
	rx_free(r);
}
END_TEST

START_TEST(bad_urls_rejected)
{
	static const char *bad[] = {
		"http://127.0.0.1:9000/", "osc.udp://127.0.0.1/", "osc.udp://:9000/",
		"osc.udp://127.0.0.1:0/", "osc.udp://127.0.0.1:70000/",
		"osc.udp://127.0.0.1:9000/lsrmon", "osc.unix:///tmp/x", "garbage",
		"osc.udp://bad_host!:9000/",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *u[] = { "osc.udp://127.0.0.1:9000/", bad[i] };
		char err[200] = "";
		ck_assert_ptr_null(lsr_osc_new(u, 2, false, false, false, err, sizeof err));
		ck_assert_msg(strstr(err, bad[i]) != NULL, "%s: %s", bad[i], err);
	}
	char err[200];
	ck_assert_ptr_null(lsr_osc_new(NULL, 0, false, false, false, err, sizeof err));
}
END_TEST

/* A multicast group is accepted (loopback-only machines cannot deliver). */
START_TEST(multicast_accepted)
{
	const char *u[] = { "osc.udp://224.0.1.9:9000/", "osc.udp://[ff02::1]:9000/",
	                    "osc.tcp://localhost:9/" };
	char err[200] = "";
	struct lsr_osc *o = lsr_osc_new(u, 3, false, false, true, err, sizeof err);
	ck_assert_msg(o != NULL, "%s", err);
	lsr_osc_free(o);
	/* Only an IPv4 group over UDP gets the multicast TTL of 1. */
	static const struct { const char *url; bool mc; } cases[] = {
		{ "osc.udp://224.0.1.9:9000/", true }, { "osc.udp://239.255.0.1:9000/", true },
		{ "osc.udp://223.255.255.255:9000/", false }, { "osc.udp://240.0.0.1:9000/", false },
		{ "osc.tcp://224.0.1.9:9000/", false }, { "osc.udp://127.0.0.1:9000/", false },
	};
	struct lsr_osc_alarms alarms;
	lsr_osc_alarms_init(&alarms);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct lsr_osc_dest *d = lsr_osc_dest_new(cases[i].url, &alarms, err, sizeof err);
		ck_assert_msg(d != NULL, "%s", err);
		ck_assert_msg(lsr_osc_dest_multicast(d) == cases[i].mc, "%s", cases[i].url);
		lsr_osc_dest_free(d);
	}
	lsr_osc_alarms_destroy(&alarms);
}
END_TEST

Suite *suite_osc(void)
{
	Suite *s = suite_create("osc");
	TCase *tc = tcase_create("encode");
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, every_event_type);
	tcase_add_test(tc, realtime_time_tags);
	tcase_add_test(tc, sweep_blobs);
	tcase_add_test(tc, bad_urls_rejected);
	tcase_add_test(tc, multicast_accepted);
	suite_add_tcase(s, tc);
	return s;
}
