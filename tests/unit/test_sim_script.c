/* tests/unit/test_sim_script.c — the simulated patient's script and ground
 * truth: train timing, clean baselines, dropouts, and each scenario's
 * losses, returns and levels as its name promises. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

#define DUR 60.0
#define MS(x) ((uint64_t)((x) * LSR_SIM_RATE / 1000))

static struct lsr_sim_truth truth_for(const char *scenario, uint64_t seed,
                                      double dur)
{
	struct lsr_sim_truth t;
	char err[200];
	ck_assert_msg(lsr_sim_truth(&(struct lsr_driver_opts){scenario, seed, dur, 0, false}, &t, err, sizeof err) == 0,
	              "%s", err);
	return t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median_lsr(const struct lsr_sim_truth *t, double from, double to)
{
	double *v = calloc((size_t)t->nstims, sizeof(double));
	ck_assert_ptr_nonnull(v);
	int n = 0;
	for (int s = 0; s < t->nstims; s++) {
		double ts = (double)t->stims[s].index / t->rate;
		if (ts >= from && ts < to && !t->stims[s].dropout &&
		    t->stims[s].reaches_nerve)
			v[n++] = t->stims[s].lsr_uv[0];
	}
	ck_assert_int_gt(n, 3);
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	double m = v[n / 2];
	free(v);
	return m;
}

START_TEST(script_is_as_promised)
{
	/* Every scenario at the shortest, the default and an odd duration. */
	static const double durs[] = {60, 300, 97.3};
	const char *scn = lsr_sim_scenarios[_i % 7];
	double dur = durs[_i / 7];
	struct lsr_sim_truth t = truth_for(scn, 31 + (uint64_t)_i, dur);
	ck_assert_int_eq(t.rate, LSR_SIM_RATE);
	ck_assert_uint_eq(t.end_index, (uint64_t)llround(dur * LSR_SIM_RATE));
	ck_assert_uint_ge(t.stims[0].index, MS(500));
	ck_assert_uint_le(t.stims[t.nstims - 1].index + MS(200), t.end_index);
	int last_drop = -100;
	for (int s = 0; s < t.nstims; s++) {
		const struct lsr_sim_stim *st = &t.stims[s];
		ck_assert_int_eq(st->n, s + 1);
		if (s) {
			uint64_t gap = st->index - t.stims[s - 1].index;
			ck_assert(gap >= MS(900) && gap <= MS(1100));
		}
		for (int ch = 0; ch < 2; ch++)
			ck_assert(st->lsr_onset_ms[ch] >= 9 && st->lsr_onset_ms[ch] <= 11);
		ck_assert(st->direct_onset_ms >= 3 && st->direct_onset_ms <= 4);
		ck_assert_double_eq(st->lsr_uv[LSR_SIM_CONTROL], 0);
		if (st->dropout) {
			ck_assert_int_ge(s - last_drop, 5);
			last_drop = s;
			ck_assert_double_eq(st->lsr_uv[0] + st->lsr_uv[1], 0);
		}
		if ((double)st->index / t.rate < 20) {
			ck_assert(st->reaches_nerve && !st->contaminated);
			ck_assert(st->dropout || (st->lsr_uv[0] > 200 && st->lsr_uv[1] > 150));
		}
		bool lost = false;
		for (int k = 0; k < t.nloss; k++) {
			double ts = (double)st->index / t.rate;
			bool back = k < t.nreturn && ts >= t.return_t[k];
			lost |= ts >= t.loss_t[k] && !back;
		}
		if (lost)
			ck_assert_double_eq(st->lsr_uv[0] + st->lsr_uv[1], 0);
	}
	ck_assert_str_eq(t.expected_states, strstr(t.expected_states, "acquiring,present"));
	double dec = -1, dura = -1;
	for (int m = 0; m < t.nmarks; m++) {
		if (strcmp(t.marks[m].label, "Decompression") == 0)
			dec = (double)t.marks[m].index / t.rate;
		if (strcmp(t.marks[m].label, "Dura open") == 0)
			dura = (double)t.marks[m].index / t.rate;
	}
	ck_assert(dec > 20);
	double base = median_lsr(&t, 0, 20);
	if (!strcmp(scn, "classic") || !strcmp(scn, "no-sync")) {
		ck_assert_int_eq(t.nloss, 1);
		ck_assert(t.loss_t[0] > dec && t.loss_t[0] < dec + 5);
		ck_assert(t.sync == !strcmp(scn, "classic"));
		ck_assert_str_eq(t.expected_final, "disappeared");
		ck_assert_str_eq(t.expected_phase, "after_decompression");
	} else if (!strcmp(scn, "premature")) {
		ck_assert_int_eq(t.nloss, 2);
		ck_assert_int_eq(t.nreturn, 1);
		ck_assert(dura > 20 && dura < t.loss_t[0] && t.loss_t[0] < dura + 5);
		ck_assert(t.return_t[0] > t.loss_t[0] + 12 && t.return_t[0] < dec);
		ck_assert(t.loss_t[1] > dec && t.loss_t[1] < dec + 5);
		ck_assert(t.loss_t[1] + 12 < (double)t.end_index / t.rate);
	} else {
		ck_assert_int_eq(t.nloss, 0);
		ck_assert_str_ne(t.expected_final, "disappeared");
		ck_assert_ptr_null(t.expected_phase);
		double after = median_lsr(&t, dec + 3, 1e9) / base;
		if (!strcmp(scn, "partial"))
			ck_assert_msg(after > 0.25 && after < 0.45, "partial %.2f", after);
		else
			ck_assert_msg(after > 0.75 && after < 1.25, "%s %.2f", scn, after);
	}
	int nofail = 0;
	for (int s = 0; s < t.nstims; s++)
		nofail += !t.stims[s].reaches_nerve;
	ck_assert_int_eq(nofail > 3, !strcmp(scn, "stim-failure"));
	lsr_sim_truth_free(&t);
}
END_TEST

/* Scenarios share the stimulus train of their seed, so a no-sync run can
 * be compared stimulus by stimulus with a synced one. */
START_TEST(no_sync_shares_classic_train)
{
	struct lsr_sim_truth a = truth_for("classic", 9, DUR),
	                     b = truth_for("no-sync", 9, DUR);
	ck_assert_int_eq(a.nstims, b.nstims);
	for (int s = 0; s < a.nstims; s++)
		ck_assert_uint_eq(a.stims[s].index, b.stims[s].index);
	ck_assert_double_eq(a.loss_t[0], b.loss_t[0]);
	lsr_sim_truth_free(&a);
	lsr_sim_truth_free(&b);
	/* Dropouts are occasional single trials over a long case. */
	struct lsr_sim_truth l;
	char err[200];
	ck_assert_int_eq(lsr_sim_truth(&(struct lsr_driver_opts){"persistent", 1, 3600, 0, false}, &l, err, sizeof err), 0);
	int drops = 0;
	for (int s = 0; s < l.nstims; s++)
		drops += l.stims[s].dropout;
	ck_assert_msg(drops > l.nstims / 50 && drops < l.nstims / 12, "%d of %d",
	              drops, l.nstims);
	lsr_sim_truth_free(&l);
}
END_TEST

Suite *suite_sim_script(void)
{
	Suite *s = suite_create("sim_script");
	TCase *tc = tcase_create("sim_script");
	tcase_add_loop_test(tc, script_is_as_promised, 0, 21);
	tcase_add_test(tc, no_sync_shares_classic_train);
	suite_add_tcase(s, tc);
	return s;
}
