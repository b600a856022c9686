/* tests/unit/test_keys.c — the key table without a terminal: each key
 * reaches the right action with the right label, prompts validate, replay
 * keys do nothing live, quit asks while recording. */
#include <check.h>
#include <string.h>

#include "keys.h"

struct calls {
	char marks[8][80];
	int nmarks, quits, reports, pauses, role_ch, speed, seek_event;
	enum lsr_role role;
	double seek;
};

static void a_mark(void *c, const char *label)
{
	struct calls *k = c;
	if (k->nmarks < 8)
		snprintf(k->marks[k->nmarks++], sizeof k->marks[0], "%s", label);
}
static void a_role(void *c, int ch, enum lsr_role r) { ((struct calls *)c)->role_ch = ch; ((struct calls *)c)->role = r; }
static void a_report(void *c) { ((struct calls *)c)->reports++; }
static void a_quit(void *c) { ((struct calls *)c)->quits++; }
static void a_pause(void *c) { ((struct calls *)c)->pauses++; }
static void a_seek(void *c, double d) { ((struct calls *)c)->seek += d; }
static void a_seek_event(void *c, int d) { ((struct calls *)c)->seek_event += d; }
static void a_speed(void *c, int d) { ((struct calls *)c)->speed += d; }

static struct calls calls;
static struct lsr_view view;
static struct lsr_model *model;
static struct lsr_ui_actions act = { &calls, a_mark, a_role, a_report, a_quit, a_pause, a_seek, a_seek_event, a_speed };
static struct lsr_keys_ctx ctx;

static void setup(void)
{
	memset(&calls, 0, sizeof calls);
	memset(&view, 0, sizeof view);
	view.selected = -1; /* as the screen starts: no channel selected */
	view.gain_uv = 100;
	view.control_gain_uv = 500;
	view.timebase_ms = 10;
	view.average = 1;
	model = lsr_model_new();
	ck_assert_ptr_nonnull(model);
	struct lsr_stream_config cfg = { .rate = 20000, .channels = 3 };
	enum lsr_role roles[3] = { LSR_ROLE_LSR, LSR_ROLE_LSR, LSR_ROLE_CONTROL };
	lsr_model_config(model, &cfg, roles);
	ctx = (struct lsr_keys_ctx){ &view, model, &act };
}

static void teardown(void) { lsr_model_free(model); }

static unsigned type(const char *s)
{
	unsigned r = 0;
	for (; *s; s++)
		r |= lsr_keys_handle(&ctx, *s == '\n' ? LSR_KEY_ENTER : (unsigned char)*s);
	return r;
}

static void add_mark(int id, const char *label)
{
	struct lsr_event ev = { .type = LSR_EV_MARK, .t = id };
	ev.mark.id = id;
	ev.mark.label = label;
	lsr_model_event(model, &ev);
}

START_TEST(fixed_marks)
{
	type("docb");
	ck_assert_int_eq(calls.nmarks, 4);
	ck_assert_str_eq(calls.marks[0], "Decompression");
	ck_assert_str_eq(calls.marks[1], "Dura open");
	ck_assert_str_eq(calls.marks[2], "Confirm");
	ck_assert_str_eq(calls.marks[3], "Baseline");
}
END_TEST

START_TEST(intensity_prompt)
{
	type("i3.5\n");
	ck_assert_int_eq(calls.nmarks, 1);
	ck_assert_str_eq(calls.marks[0], "Intensity 3.5");
	/* Letters are not typed into a number; zero and empty are refused. */
	type("i0\n");
	type("i\n");
	type("ix\n");
	ck_assert_int_eq(calls.nmarks, 1);
	/* Escape abandons the prompt; the next key is a normal key again. */
	lsr_keys_handle(&ctx, 'i');
	lsr_keys_handle(&ctx, '7');
	lsr_keys_handle(&ctx, LSR_KEY_ESC);
	ck_assert_int_eq(view.prompt, LSR_PROMPT_NONE);
	type("d");
	ck_assert_int_eq(calls.nmarks, 2);
	ck_assert_str_eq(calls.marks[1], "Decompression");
}
END_TEST

START_TEST(custom_mark_prompt)
{
	/* Keys that are actions elsewhere are text inside the prompt. */
	type("m  Vessel moved q\n");
	ck_assert_int_eq(calls.nmarks, 1);
	ck_assert_str_eq(calls.marks[0], "Vessel moved q");
	ck_assert_int_eq(calls.quits, 0);
	type("mab");
	lsr_keys_handle(&ctx, LSR_KEY_BACKSPACE);
	lsr_keys_handle(&ctx, 0xE9); /* é */
	type("\n");
	ck_assert_str_eq(calls.marks[1], "a\xc3\xa9");
	type("m   \n");
	ck_assert_int_eq(calls.nmarks, 2);
}
END_TEST

/* The screen strikes out the mark a Cancel label names as the judge and
 * the report read it (lsr_mark_classify, marks.h): blanks around the words
 * and the id do not count, a label that names no id cancels nothing. */
START_TEST(cancel_label_read_as_the_judge_reads_it)
{
	add_mark(1, "Dura open");
	add_mark(2, "Decompression");
	add_mark(3, "Intensity 2 mA");
	add_mark(4, "Cancel 0x1");
	add_mark(5, "Cancel -3");
	ck_assert(!lsr_model_mark_find(model, 1)->cancelled);
	ck_assert(!lsr_model_mark_find(model, 3)->cancelled);
	add_mark(6, "  cancel 2\t ");
	ck_assert(lsr_model_mark_find(model, 2)->cancelled);
	add_mark(7, "CANCEL   3 ");
	ck_assert(lsr_model_mark_find(model, 3)->cancelled);
	ck_assert(!lsr_model_mark_find(model, 1)->cancelled);
}
END_TEST

START_TEST(cancel_choose_confirm)
{
	type("u");
	ck_assert_int_eq(view.prompt, LSR_PROMPT_NONE); /* nothing to cancel */
	add_mark(1, "Dura open");
	add_mark(2, "Decompression");
	/* The newest mark is offered; confirming sends "Cancel 2". */
	type("u");
	ck_assert_str_eq(view.input, "2");
	type("\ny");
	ck_assert_int_eq(calls.nmarks, 1);
	ck_assert_str_eq(calls.marks[0], "Cancel 2");
	add_mark(3, "Cancel 2");
	ck_assert(lsr_model_mark_find(model, 2)->cancelled);
	/* Choosing another id; "n" declines. */
	type("u");
	ck_assert_str_eq(view.input, "1");
	lsr_keys_handle(&ctx, LSR_KEY_BACKSPACE);
	type("1\nn");
	ck_assert_int_eq(calls.nmarks, 1);
	/* An unknown or already-cancelled id is refused. */
	type("u");
	lsr_keys_handle(&ctx, LSR_KEY_BACKSPACE);
	type("9\n");
	ck_assert_int_eq(view.prompt, LSR_PROMPT_NONE);
	type("u");
	lsr_keys_handle(&ctx, LSR_KEY_BACKSPACE);
	type("2\n");
	ck_assert_int_eq(view.prompt, LSR_PROMPT_NONE);
	ck_assert_int_eq(calls.nmarks, 1);
}
END_TEST

START_TEST(quit_confirms_while_recording)
{
	ck_assert_uint_eq(type("q") & LSR_K_QUIT, LSR_K_QUIT);
	ck_assert_int_eq(calls.quits, 1);
	view.recording = true;
	ck_assert_uint_eq(type("q") & LSR_K_QUIT, 0);
	ck_assert_uint_eq(type("x") & LSR_K_QUIT, 0);
	ck_assert_int_eq(calls.quits, 1);
	ck_assert_uint_eq(type("qy") & LSR_K_QUIT, LSR_K_QUIT);
	ck_assert_int_eq(calls.quits, 2);
}
END_TEST

START_TEST(view_keys)
{
	/* None selected: + and - act on every channel, each from its own. */
	type("+");
	ck_assert_double_eq(lsr_keys_gain(&view, model, 0), 50);
	ck_assert_double_eq(lsr_keys_gain(&view, model, 2), 200);
	type("--");
	ck_assert_double_eq(lsr_keys_gain(&view, model, 1), 200);
	ck_assert_double_eq(lsr_keys_gain(&view, model, 2), 1000);
	type("[");
	ck_assert_double_eq(view.timebase_ms, 5);
	type("]]]]]]");
	ck_assert_double_eq(view.timebase_ms, 20); /* clamped */
	type("aaa");
	ck_assert_int_eq(view.average, 4);
	type("a"); /* past 4 sweeps: the detector's own average */
	ck_assert_int_eq(view.average, LSR_AVERAGE_JUDGED);
	ck_assert_ptr_nonnull(strstr(view.message, "avg k="));
	type("a");
	ck_assert_int_eq(view.average, 1);
	type("s");
	ck_assert(view.stacked);
	type(" ");
	ck_assert(view.frozen && model->frozen);
	type(" ");
	ck_assert(!view.frozen && !model->frozen);
	type("r"); /* no channel selected: no role changes */
	ck_assert_int_eq(calls.role_ch, 0);
	ck_assert_int_eq(model->ch[0].role, LSR_ROLE_LSR);
	lsr_keys_handle(&ctx, LSR_KEY_TAB);
	lsr_keys_handle(&ctx, LSR_KEY_TAB);
	lsr_keys_handle(&ctx, LSR_KEY_TAB);
	ck_assert_int_eq(view.selected, 2);
	lsr_keys_handle(&ctx, LSR_KEY_TAB);
	ck_assert_int_eq(view.selected, -1); /* after the last: none */
	lsr_keys_handle(&ctx, LSR_KEY_TAB);
	ck_assert_int_eq(view.selected, 0);
	type("r");
	ck_assert_int_eq(calls.role_ch, 0);
	ck_assert_int_eq(calls.role, LSR_ROLE_CONTROL);
	ck_assert_int_eq(model->ch[0].role, LSR_ROLE_CONTROL);
	ck_assert_ptr_nonnull(strstr(lsr_model_log_at(model, 0)->text, "Role ch0"));
	type("R?");
	ck_assert_int_eq(calls.reports, 1);
	ck_assert(view.help);
	type("?");
	ck_assert(!view.help);
}
END_TEST

START_TEST(replay_keys_only_in_replay)
{
	ck_assert_uint_eq(type("pnN<>"), LSR_K_NONE);
	lsr_keys_handle(&ctx, LSR_KEY_LEFT);
	ck_assert_int_eq(calls.pauses + calls.speed + calls.seek_event, 0);
	ck_assert_double_eq(calls.seek, 0);
	view.replay = true;
	type("p>>n");
	lsr_keys_handle(&ctx, LSR_KEY_LEFT);
	lsr_keys_handle(&ctx, LSR_KEY_UP);
	lsr_keys_handle(&ctx, LSR_KEY_UP);
	ck_assert_int_eq(calls.pauses, 1);
	ck_assert_int_eq(calls.speed, 2);
	ck_assert_int_eq(calls.seek_event, 1);
	ck_assert_double_eq(calls.seek, -10 + 60 + 60);
}
END_TEST

START_TEST(table_is_documented)
{
	/* Every key of docs/interface.md's list has a help line. */
	static const char *const must[] = { "d", "o", "c", "i", "m", "u", "b", "r", "Tab", "Space",
		"+ -", "[ ]", "a", "s", "R", "?", "q", "p", "Left Right", "Down Up", "n N", "< >" };
	for (size_t i = 0; i < sizeof must / sizeof must[0]; i++) {
		bool found = false;
		for (int k = 0; k < lsr_keys_count(); k++)
			found |= !strcmp(lsr_keys_help(k)->keys, must[i]) && strlen(lsr_keys_help(k)->what) > 3;
		ck_assert_msg(found, "key %s missing", must[i]);
	}
	char buf[8192] = "";
	FILE *f = fmemopen(buf, sizeof buf - 1, "w");
	ck_assert_ptr_nonnull(f);
	lsr_keys_write_man(f);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(buf, ".TP\n.B + \\-\n"));
}
END_TEST

/* Each channel's gain, µV per division. */
static void gains_are(double g0, double g1, double g2)
{
	ck_assert_double_eq(lsr_keys_gain(&view, model, 0), g0);
	ck_assert_double_eq(lsr_keys_gain(&view, model, 1), g1);
	ck_assert_double_eq(lsr_keys_gain(&view, model, 2), g2);
}

START_TEST(gain_per_channel)
{
	/* Tab to the control channel (2): - changes its gain only, from the
	 * control default 500 to the next step, 1000. */
	for (int i = 0; i < 3; i++)
		lsr_keys_handle(&ctx, LSR_KEY_TAB);
	type("-");
	gains_are(100, 100, 1000);
	ck_assert_str_eq(view.message, "Gain ch2 1000 uV/div");
}
END_TEST

static void baseline(int ch, double p2p)
{
	struct lsr_event ev = { .type = LSR_EV_BASELINE, .t = 10 };
	ev.baseline.ch = ch;
	ev.baseline.p2p_uv = p2p;
	ev.baseline.onset_ms = 9;
	ev.baseline.trials = 10;
	lsr_model_event(model, &ev);
}

START_TEST(automatic_gain)
{
	ck_assert_uint_eq(type("="), LSR_K_REDRAW);
	ck_assert_str_eq(view.message, "Automatic gain needs a baseline");
	/* A third of each baseline's peak to peak, at the nearest 1-2-5 step:
	 * 60/3 = 20; 900/3 = 300, nearer 200 than 500 (ratio 1.5 < 1.67);
	 * 3000/3 = 1000. */
	baseline(0, 60);
	baseline(1, 900);
	baseline(2, 3000);
	type("=");
	gains_are(20, 200, 1000);
	ck_assert_str_eq(view.message, "Automatic gain: ch0 20 ch1 200 ch2 1000 uV/div");
}
END_TEST

START_TEST(acknowledge_alarm)
{
	ck_assert_uint_eq(type("k"), LSR_K_REDRAW);
	ck_assert_str_eq(view.message, "No alarm to acknowledge");
	lsr_alarm_step(&model->alarm, LSR_ALARM_LINK, 0);
	type("k");
	ck_assert_uint_eq(model->alarm.acked, LSR_ALARM_LINK);
	ck_assert_str_eq(view.message, "Alarm acknowledged: silent while it holds");
}
END_TEST

START_TEST(man_page_lists_the_table)
{
	/* man/lsrmon.1's KEYS section holds exactly the generated table. */
	char want[8192] = "", have[8192] = "", line[512];
	FILE *f = fmemopen(want, sizeof want - 1, "w");
	ck_assert_ptr_nonnull(f);
	lsr_keys_write_man(f);
	fclose(f);
	f = fopen("man/lsrmon.1", "r");
	ck_assert_ptr_nonnull(f);
	bool in = false;
	size_t n = 0;
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, ".\\\" keys: end", 13))
			in = false;
		if (in && n + strlen(line) < sizeof have)
			n += (size_t)snprintf(have + n, sizeof have - n, "%s", line);
		if (!strncmp(line, ".\\\" keys: begin", 15))
			in = true;
	}
	fclose(f);
	ck_assert_msg(!strcmp(want, have), "man/lsrmon.1 KEYS differs; run build/rel/tools/keys_man:\n%s", want);
}
END_TEST

Suite *suite_keys(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fixed_marks);
	tcase_add_test(tc, intensity_prompt);
	tcase_add_test(tc, custom_mark_prompt);
	tcase_add_test(tc, cancel_choose_confirm);
	tcase_add_test(tc, cancel_label_read_as_the_judge_reads_it);
	tcase_add_test(tc, quit_confirms_while_recording);
	tcase_add_test(tc, view_keys);
	tcase_add_test(tc, gain_per_channel);
	tcase_add_test(tc, automatic_gain);
	tcase_add_test(tc, acknowledge_alarm);
	tcase_add_test(tc, replay_keys_only_in_replay);
	tcase_add_test(tc, table_is_documented);
	tcase_add_test(tc, man_page_lists_the_table);
	suite_add_tcase(s, tc);
	return s;
}
