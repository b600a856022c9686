/* tests/unit/test_judge_signal.c — the judge behind the real signal path,
 * on streams from the tests' own generator (synth.h, not the simulator):
 * an artifact with its tail and no response is absent on LSR channels and
 * "no direct response" on the control, never an LSR verdict; a real LSR is
 * present, and its loss is called once the long decision window (w ≥ 10
 * valid trials) holds only absent stimuli. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "judge.h"
#include "signal_path.h"
#include "synth.h"

#define MAXEV 4096

struct pipe {
	struct lsr_judge *j;
	int nresp, lsr_true, lsr_false, no_direct, direct_checked;
	int nstate;
	struct lsr_event states[64];
};

static void on_event(void *ctx, const struct lsr_event *ev)
{
	struct pipe *p = ctx;
	if (ev->type == LSR_EV_STATE && p->nstate < 64)
		p->states[p->nstate++] = *ev;
	if (ev->type != LSR_EV_RESPONSE)
		return;
	p->nresp++;
	if (ev->response.role == LSR_ROLE_LSR) {
		p->lsr_true += ev->response.present == LSR_TRUE;
		p->lsr_false += ev->response.present == LSR_FALSE;
	} else if (ev->response.role == LSR_ROLE_CONTROL) {
		p->direct_checked++;
		p->no_direct += ev->response.invalid_reason == LSR_INVALID_NO_DIRECT;
	}
}

static void on_trial(void *ctx, const struct lsr_trial *t)
{
	lsr_judge_trial(((struct pipe *)ctx)->j, t);
}

static void feed(struct syn *g, struct lsr_signal *s, int64_t until)
{
	struct lsr_block b;
	while (g->next_index < until) {
		int64_t n = until - g->next_index;
		syn_block(g, n > SYN_BLOCK ? SYN_BLOCK : (int)n, &b);
		lsr_signal_feed(s, (int64_t)b.index, &b);
	}
}

/* Channels 0, 1 LSR, 2 control, at 20 kHz, stimuli at 2 Hz. */
static struct lsr_signal *setup(struct syn *g, struct pipe *p, struct lsr_sink *sink)
{
	static const enum lsr_role roles[3] = { LSR_ROLE_LSR, LSR_ROLE_LSR, LSR_ROLE_CONTROL };
	struct lsr_params prm;
	lsr_params_defaults(&prm);
	syn_init(g, 20000, 3, 11);
	g->sync = true;
	memset(p, 0, sizeof *p);
	*sink = (struct lsr_sink){ .ctx = p, .event = on_event };
	p->j = lsr_judge_new(&prm, 20000, 3, roles, NULL, true, sink);
	ck_assert_ptr_nonnull(p->j);
	struct lsr_stream_config c;
	memset(&c, 0, sizeof c);
	c.rate = 20000;
	c.channels = 3;
	char err[200];
	struct lsr_signal *s = lsr_signal_new(&prm, &c, on_trial, p, err, sizeof err);
	ck_assert_msg(s != NULL, "%s", err);
	return s;
}

START_TEST(artifact_tail_alone_is_no_direct_response)
{
	struct syn *g = calloc(1, sizeof *g);
	struct pipe p;
	struct lsr_sink sink;
	struct lsr_signal *s = setup(g, &p, &sink);
	static const double taus[] = { 3, 8, 5 };
	for (int c = 0; c < 3; c++) {
		g->noise_uv[c] = 3;
		g->art_uv[c] = c == 1 ? -5000 : 5000;
		g->tail_uv[c] = c == 1 ? -300 : 300;
		g->tail_tau_ms[c] = taus[c];
	}
	feed(g, s, g->first + 40 * g->period);
	ck_assert_int_ge(p.direct_checked, 39);
	ck_assert_int_eq(p.lsr_true, 0);
	/* every trial: the stimulus did not reach the nerve */
	ck_assert_int_eq(p.no_direct, p.direct_checked);
	ck_assert_int_ge(p.nstate, 1);
	ck_assert_int_eq(p.states[0].state.state, LSR_STATE_STIMULATION_FAILURE);
	for (int i = 0; i < p.nstate; i++)
		ck_assert_int_eq(p.states[i].state.state, LSR_STATE_STIMULATION_FAILURE);
	enum lsr_final fin;
	enum lsr_phase ph;
	int stims;
	lsr_judge_final(p.j, &fin, &ph, &stims);
	ck_assert_int_eq(fin, LSR_FINAL_INDETERMINATE);
	lsr_signal_free(s);
	lsr_judge_free(p.j);
	free(g);
}
END_TEST

START_TEST(real_lsr_present_then_lost)
{
	struct syn *g = calloc(1, sizeof *g);
	struct pipe p;
	struct lsr_sink sink;
	struct lsr_signal *s = setup(g, &p, &sink);
	for (int c = 0; c < 3; c++) {
		g->noise_uv[c] = 5;
		g->art_uv[c] = 3000;
		g->tail_uv[c] = 150;
		g->tail_tau_ms[c] = 3;
	}
	g->resp[0] = (struct syn_resp){ 150, 9.5, 300, 8 };
	g->resp[1] = (struct syn_resp){ 100, 10.5, 250, 8 };
	g->resp[2] = (struct syn_resp){ 600, 3.5, 400, 4 };
	feed(g, s, g->first + 40 * g->period);
	ck_assert_int_ge(p.nstate, 1);
	ck_assert_int_eq(p.states[p.nstate - 1].state.state, LSR_STATE_PRESENT);
	ck_assert(p.states[p.nstate - 1].state.verified);
	ck_assert_int_eq(p.no_direct, 0);
	/* the baselines: both channels have an LSR, their p2p near the
	 * responses' own (noise bias removed) */
	struct lsr_judge_view v;
	lsr_judge_view(p.j, &v);
	ck_assert(v.ch[0].has_lsr && v.ch[1].has_lsr);
	ck_assert_int_ge(v.ch[0].base_trials, 10);
	ck_assert_int_le(v.ch[0].base_trials, 40);
	/* the long windows: a loss is shown once they hold no LSR */
	int w = v.ch[0].w > v.ch[1].w ? v.ch[0].w : v.ch[1].w;
	ck_assert_int_ge(w, 10);
	/* the LSR goes: from stimulus 41 on, none on either channel */
	g->resp[0].amp_uv = g->resp[1].amp_uv = 0;
	int first_absent = g->nstim; /* index in the log of stimulus 41 */
	feed(g, s, g->first + (40 + w + 10) * g->period);
	const struct lsr_event *d = NULL;
	for (int i = 0; i < p.nstate; i++)
		if (p.states[i].state.state == LSR_STATE_DISAPPEARED)
			d = &p.states[i];
	ck_assert_ptr_nonnull(d);
	double t41 = (double)g->index_log[first_absent] / g->rate;
	double tw = (double)g->index_log[first_absent + w - 1] / g->rate;
	ck_assert_double_eq_tol(d->state.since, t41, 1e-9);
	ck_assert_double_eq_tol(d->t, tw, 1e-9);
	ck_assert(d->state.premature);
	ck_assert(d->state.verified);
	lsr_signal_free(s);
	lsr_judge_free(p.j);
	free(g);
}
END_TEST

Suite *suite_judge_signal(void)
{
	Suite *s = suite_create("judge_signal");
	TCase *tc = tcase_create("pipeline");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, artifact_tail_alone_is_no_direct_response);
	tcase_add_test(tc, real_lsr_present_then_lost);
	suite_add_tcase(s, tc);
	return s;
}
