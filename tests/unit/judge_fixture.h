/* tests/unit/judge_fixture.h — synthetic measured trials and a capturing
 * sink for the judge's tests.  No signal processing: the measured numbers
 * are set directly, and the sweeps behind them are synthesised (a known
 * LSR in Gaussian noise), so every expectation follows from the rules.
 * Where the rules fix no exact trial count (the baseline's length, the
 * decision windows k and w from the baseline's noise), tests read k and w
 * from the view and assert the rule, or use a noise-free large LSR, whose
 * baseline is precise at exactly baseline_trials. */
#ifndef LSR_JUDGE_FIXTURE_H
#define LSR_JUDGE_FIXTURE_H

#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "judge.h"

#define FX_MAX_EVENTS 20000
/* The fixture's sweeps: 20 kHz, −10…+100 ms, as the signal path cuts them. */
#define FX_RATE 20000
#define FX_PRE 200
#define FX_LEN (FX_PRE + 2000 + 1)

/* Events as captured: pointers inside are not kept, labels are copied. */
struct fx_event {
	struct lsr_event ev;
	char label[64];
	int group;
};

struct fx {
	struct fx_event *e;
	int n, groups;
	struct lsr_params p;
	struct lsr_judge *j;
	int nch;
	enum lsr_role roles[LSR_MAX_CHANNELS];
	int stim_n;
	double t, interval;
	/* the next trial's numbers: LSR p2p per channel, direct p2p on
	 * control channels, noise per channel */
	double lsr[LSR_MAX_CHANNELS], direct, noise[LSR_MAX_CHANNELS];
	double lsr_onset, direct_onset, threshold;
	/* the sweeps' noise RMS per channel when > 0 (otherwise noise / 5):
	 * noise the sweeps carry beyond what the noise measure reports */
	double sweep_rms[LSR_MAX_CHANNELS];
	struct lsr_trial tr;
	/* the synthetic sweeps: channel-major, FX_LEN each */
	float *sweeps;
	uint64_t rng;
};

static inline void fx_event(void *ctx, const struct lsr_event *ev)
{
	struct fx *f = ctx;
	ck_assert_int_lt(f->n, FX_MAX_EVENTS);
	f->e[f->n].ev = *ev;
	f->e[f->n].group = f->groups;
	f->e[f->n].label[0] = '\0';
	if (ev->type == LSR_EV_MARK) {
		snprintf(f->e[f->n].label, sizeof f->e[f->n].label, "%s", ev->mark.label);
		f->e[f->n].ev.mark.label = NULL;
	}
	f->n++;
}

static inline void fx_group_end(void *ctx)
{
	((struct fx *)ctx)->groups++;
}

/* Channels by the letters of roles: 'l' lsr, 'c' control, 'o' other. */
static inline void fx_init(struct fx *f, const char *roles, bool judging)
{
	memset(f, 0, sizeof *f);
	f->e = calloc(FX_MAX_EVENTS, sizeof *f->e);
	ck_assert_ptr_nonnull(f->e);
	f->sweeps = calloc((size_t)LSR_MAX_CHANNELS * FX_LEN, sizeof *f->sweeps);
	ck_assert_ptr_nonnull(f->sweeps);
	f->rng = 0x9e3779b97f4a7c15u;
	lsr_params_defaults(&f->p);
	f->nch = (int)strlen(roles);
	for (int c = 0; c < f->nch; c++) {
		f->roles[c] = roles[c] == 'l' ? LSR_ROLE_LSR : roles[c] == 'c' ? LSR_ROLE_CONTROL
		                                                               : LSR_ROLE_OTHER;
		f->lsr[c] = 200;
		f->noise[c] = 10;
	}
	f->direct = 500;
	f->lsr_onset = 10;
	f->direct_onset = 4;
	f->threshold = 30;
	f->interval = 1;
	struct lsr_sink sink = { .ctx = f, .event = fx_event, .group_end = fx_group_end };
	f->j = lsr_judge_new(&f->p, FX_RATE, f->nch, f->roles, NULL, judging, &sink);
	ck_assert_ptr_nonnull(f->j);
}

/* Re-create the judge after changing f->p. */
static inline void fx_renew(struct fx *f, bool judging)
{
	lsr_judge_free(f->j);
	struct lsr_sink sink = { .ctx = f, .event = fx_event, .group_end = fx_group_end };
	f->j = lsr_judge_new(&f->p, FX_RATE, f->nch, f->roles, NULL, judging, &sink);
	ck_assert_ptr_nonnull(f->j);
}

static inline void fx_free(struct fx *f)
{
	lsr_judge_free(f->j);
	free(f->e);
	free(f->sweeps);
}

/* A standard normal deviate from the fixture's own generator (xorshift64*,
 * Box–Muller): the same sweeps on every run. */
static inline double fx_gauss(struct fx *f)
{
	double u[2];
	for (int i = 0; i < 2; i++) {
		f->rng ^= f->rng >> 12;
		f->rng ^= f->rng << 25;
		f->rng ^= f->rng >> 27;
		u[i] = ((f->rng * 2685821657736338717u) >> 11) * (1.0 / 9007199254740992.0);
	}
	return sqrt(-2 * log(u[0] + 1e-300)) * cos(2 * M_PI * u[1]);
}

/* One period of a sine of peak-to-peak p2p starting at onset_ms and
 * lasting dur_ms, added to x (stimulus at FX_PRE). */
static inline void fx_add_wave(float *x, double p2p, double onset_ms, double dur_ms)
{
	int a = FX_PRE + (int)lround(onset_ms * FX_RATE / 1000.0);
	int n = (int)lround(dur_ms * FX_RATE / 1000.0);
	for (int i = 0; i < n && a + i < FX_LEN; i++)
		x[a + i] += (float)(p2p / 2 * sin(2 * M_PI * i / n));
}

/* The sweeps behind the numbers: noise of RMS noise/5 (a noise-only p2p
 * over 14 ms is about five times the RMS), the LSR (6 ms) at lsr_onset on
 * LSR channels, the direct response (2 ms) at direct_onset on the control. */
static inline void fx_sweeps(struct fx *f)
{
	for (int c = 0; c < f->nch; c++) {
		float *x = f->sweeps + (size_t)c * FX_LEN;
		double rms = f->sweep_rms[c] > 0 ? f->sweep_rms[c] : f->noise[c] / 5;
		for (int i = 0; i < FX_LEN; i++)
			x[i] = (float)(rms * fx_gauss(f));
		if (f->roles[c] == LSR_ROLE_CONTROL)
			fx_add_wave(x, f->direct, f->direct_onset, 2);
		else
			fx_add_wave(x, f->lsr[c], f->lsr_onset, 6);
	}
	f->tr.raw = f->tr.conditioned = f->sweeps;
	f->tr.stride = FX_LEN;
	f->tr.sweep_len = FX_LEN;
	f->tr.sweep_pre = FX_PRE;
}

static inline void fx_window(struct lsr_window_measure *w, double p2p, double onset, double thr)
{
	w->p2p_uv = p2p;
	w->onset_ms = p2p > thr ? onset : NAN;
	w->onset_at_edge = false;
	w->area_uv_ms = p2p * 2;
	w->threshold_uv = thr;
}

/* Fill f->tr for the next stimulus (t advances by f->interval) without
 * judging it: a test may then change flags before fx_judge(). */
static inline struct lsr_trial *fx_next(struct fx *f)
{
	struct lsr_trial *tr = &f->tr;
	memset(tr, 0, sizeof *tr);
	f->stim_n++;
	f->t += f->interval;
	tr->n = f->stim_n;
	tr->t = f->t;
	tr->stim_index = (int64_t)llround(f->t * 20000);
	tr->origin = LSR_STIM_SYNC;
	tr->nch = f->nch;
	for (int c = 0; c < f->nch; c++) {
		struct lsr_channel_measure *m = &tr->ch[c];
		double direct = f->roles[c] == LSR_ROLE_CONTROL ? f->direct : 15;
		fx_window(&m->direct, direct, f->direct_onset, f->threshold);
		/* a window without a response measures the noise's own p2p */
		double lsr = f->lsr[c] > f->noise[c] ? f->lsr[c] : f->noise[c];
		fx_window(&m->lsr, lsr, f->lsr_onset, f->threshold);
		m->late_p2p_uv = 12;
		m->noise_uv = f->noise[c];
	}
	fx_sweeps(f);
	return tr;
}

static inline void fx_judge(struct fx *f)
{
	lsr_judge_trial(f->j, &f->tr);
}

/* n ordinary trials. */
static inline void fx_run(struct fx *f, int n)
{
	for (int i = 0; i < n; i++) {
		fx_next(f);
		fx_judge(f);
	}
}

/* The k-th (from 0) event of a type at or after index from; -1 if none. */
static inline int fx_find(const struct fx *f, enum lsr_event_type type, int from)
{
	for (int i = from < 0 ? 0 : from; i < f->n; i++)
		if (f->e[i].ev.type == type)
			return i;
	return -1;
}

static inline int fx_count(const struct fx *f, enum lsr_event_type type)
{
	int k = 0;
	for (int i = 0; i < f->n; i++)
		k += f->e[i].ev.type == type;
	return k;
}

/* Number of state events into state s. */
static inline int fx_count_state(const struct fx *f, enum lsr_state s)
{
	int k = 0;
	for (int i = 0; i < f->n; i++)
		k += f->e[i].ev.type == LSR_EV_STATE && f->e[i].ev.state.state == s;
	return k;
}

/* The last state event, or NULL. */
static inline const struct lsr_event *fx_last_state(const struct fx *f)
{
	for (int i = f->n - 1; i >= 0; i--)
		if (f->e[i].ev.type == LSR_EV_STATE)
			return &f->e[i].ev;
	return NULL;
}

/* The first state event into s, or NULL. */
static inline const struct lsr_event *fx_first_state(const struct fx *f, enum lsr_state s)
{
	for (int i = 0; i < f->n; i++)
		if (f->e[i].ev.type == LSR_EV_STATE && f->e[i].ev.state.state == s)
			return &f->e[i].ev;
	return NULL;
}

/* The response of channel ch in the last judged trial. */
static inline const struct lsr_event *fx_last_response(const struct fx *f, int ch)
{
	for (int i = f->n - 1; i >= 0; i--)
		if (f->e[i].ev.type == LSR_EV_RESPONSE && f->e[i].ev.response.ch == ch)
			return &f->e[i].ev;
	return NULL;
}

/* No LSR in the sweep (its p2p measure is the noise's own, below the
 * threshold): an absence the evidence can show. */
#define ABSENT 0.0

/* Every LSR channel's response in the coming trials. */
static inline void fx_set_lsr(struct fx *f, double v)
{
	for (int c = 0; c < f->nch; c++)
		if (f->roles[c] == LSR_ROLE_LSR)
			f->lsr[c] = v;
}

static inline enum lsr_state fx_state(const struct fx *f)
{
	struct lsr_judge_view v;
	lsr_judge_view(f->j, &v);
	return v.state;
}

/* Channel ch's state, reason and decision windows as the judge shows them. */
static inline enum lsr_state fx_ch_state(const struct fx *f, int ch)
{
	struct lsr_judge_view v;
	lsr_judge_view(f->j, &v);
	return v.ch[ch].state;
}

static inline enum lsr_reason fx_ch_reason(const struct fx *f, int ch)
{
	struct lsr_judge_view v;
	lsr_judge_view(f->j, &v);
	return v.ch[ch].reason;
}

/* The long decision window w of channel ch (≥ disappear_trials): a loss
 * is shown once the last w valid trials hold no LSR. */
static inline int fx_w(const struct fx *f, int ch)
{
	struct lsr_judge_view v;
	lsr_judge_view(f->j, &v);
	ck_assert_int_ge(v.ch[ch].w, f->p.disappear_trials);
	return v.ch[ch].w;
}

/* Run trials until the overall state is s or max trials have run;
 * returns the trials run (max + 1 when s never came). */
static inline int fx_run_until(struct fx *f, enum lsr_state s, int max)
{
	for (int i = 1; i <= max; i++) {
		fx_run(f, 1);
		if (fx_state(f) == s)
			return i;
	}
	return max + 1;
}

/* The same for channel ch. */
static inline int fx_run_until_ch(struct fx *f, int ch, enum lsr_state s, int max)
{
	for (int i = 1; i <= max; i++) {
		fx_run(f, 1);
		if (fx_ch_state(f, ch) == s)
			return i;
	}
	return max + 1;
}

#endif
