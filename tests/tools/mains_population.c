/* tests/tools/mains_population.c — mains removal on the simulated
 * population (tests/e2e/mains_population.sh): one drawn patient through
 * the signal path three times — as drawn with mains=auto, the same
 * patient without its hum (the simulator's sim_no_hum) with mains=auto,
 * and as drawn with mains=off — and, per stream and LSR channel, the
 * median LSR-window p2p, onset and late p2p of the clean trials, with the
 * trial-by-trial measures of the hum-free stream with mains=off for the
 * "nothing else changes" comparison.  JSON on stdout; the script judges.
 *
 *   mains_population --sim-patient N [--scenario S] [--duration SECONDS] */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "driver.h"
#include "sim.h"
#include "signal_path.h"

#define MAXT 400
#define LSR_CH 2 /* the simulator's channels 0 and 1 are the LSR leads */

struct run {
	struct lsr_params p;
	struct lsr_signal_report rep;
	struct lsr_signal *s;
	char err[200];
	int n;
	double p2p[LSR_CH][MAXT], onset[LSR_CH][MAXT], late[LSR_CH][MAXT], noise[LSR_CH][MAXT];
	bool clean[MAXT];
};

static void on_trial(void *ctx, const struct lsr_trial *t)
{
	struct run *r = ctx;
	if (r->n >= MAXT)
		return;
	bool clean = !t->gap && !t->overlap;
	for (int c = 0; c < t->nch; c++)
		clean &= !t->ch[c].saturated && !t->ch[c].cautery && !t->ch[c].spasm;
	for (int c = 0; c < LSR_CH && c < t->nch; c++) {
		r->p2p[c][r->n] = t->ch[c].lsr.p2p_uv;
		r->onset[c][r->n] = t->ch[c].lsr.onset_ms;
		r->late[c][r->n] = t->ch[c].late_p2p_uv;
		r->noise[c][r->n] = t->ch[c].noise_uv;
	}
	r->clean[r->n] = clean;
	r->n++;
}

static void on_config(void *ctx, const struct lsr_stream_config *cfg, enum lsr_segment_reason why)
{
	struct run *r = ctx;
	(void)why;
	if (r->s)
		return;
	r->s = lsr_signal_new(&r->p, cfg, on_trial, r, r->err, sizeof r->err);
}

static void on_block(void *ctx, const struct lsr_block *b)
{
	struct run *r = ctx;
	if (r->s)
		lsr_signal_feed(r->s, (int64_t)b->index, b);
}

static int run(struct run *r, const struct lsr_driver_opts *o, int mains)
{
	memset(r, 0, sizeof *r);
	lsr_params_defaults(&r->p);
	r->p.mains = mains;
	r->p.report = &r->rep;
	char err[200];
	void *st = lsr_driver_sim.create(o, err, sizeof err);
	if (!st) {
		fprintf(stderr, "mains_population: %s\n", err);
		return -1;
	}
	struct lsr_source_sink sink = { r, on_config, on_block, NULL };
	uint64_t until = 0;
	while (lsr_driver_sim.generate(st, until += 4096, &sink) == LSR_GENERATE_MORE && !(r->err[0]))
		;
	lsr_driver_sim.destroy(st);
	if (!r->s) {
		fprintf(stderr, "mains_population: %s\n", r->err[0] ? r->err : "no stream");
		return -1;
	}
	lsr_signal_flush(r->s);
	lsr_signal_free(r->s);
	r->s = NULL;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median of the clean trials' values from the settled ones on. */
static double median_clean(const struct run *r, const double *v, int skip)
{
	double s[MAXT];
	int n = 0;
	for (int i = skip; i < r->n; i++)
		if (r->clean[i] && !isnan(v[i]))
			s[n++] = v[i];
	if (n == 0)
		return NAN;
	qsort(s, (size_t)n, sizeof s[0], cmp);
	return n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

static void num(const char *key, double v, const char *sep)
{
	if (isfinite(v))
		printf("\"%s\":%.4f%s", key, v, sep);
	else
		printf("\"%s\":null%s", key, sep);
}

static void print_run(const char *name, const struct run *r, int skip, const char *sep)
{
	printf("\"%s\":{\"trials\":%d,", name, r->n);
	num("mains_hz", r->rep.mains_hz, ",");
	printf("\"ch\":[");
	for (int c = 0; c < LSR_CH; c++) {
		printf("{");
		num("p2p", median_clean(r, r->p2p[c], skip), ",");
		num("onset", median_clean(r, r->onset[c], skip), ",");
		num("late", median_clean(r, r->late[c], skip), ",");
		num("hum_uv", r->rep.hum_uv[c], "}");
		printf("%s", c + 1 < LSR_CH ? "," : "");
	}
	printf("]}%s", sep);
}

/* A response this many times the sweep's own noise p2p is one whose
 * amplitude a change can be measured on (below it the p2p is the noise's). */
#define MEASURABLE 3.0

/* Trial by trial, the hum-free stream's measures with and without the
 * removal, over the clean trials whose response stands MEASURABLE times
 * above the noise: the largest relative LSR p2p change, onset shift (ms)
 * and relative late-component p2p change, how many were compared, and
 * how many changed by 5% or moved by 0.1 ms. */
static void print_changes(const struct run *a, const struct run *o, int skip)
{
	double dp = 0, don = 0, dl = 0;
	int np = 0, nl = 0, big_p = 0, big_on = 0, big_l = 0, non = 0;
	int n = a->n < o->n ? a->n : o->n;
	for (int i = skip; i < n; i++) {
		if (!a->clean[i] || !o->clean[i])
			continue;
		for (int c = 0; c < LSR_CH; c++) {
			double floor = MEASURABLE * o->noise[c][i];
			if (o->p2p[c][i] > floor) {
				np++;
				double r = fabs(a->p2p[c][i] - o->p2p[c][i]) / o->p2p[c][i];
				dp = fmax(dp, r);
				big_p += r >= 0.05;
				if (!isnan(o->onset[c][i]) && !isnan(a->onset[c][i])) {
					double sh = fabs(a->onset[c][i] - o->onset[c][i]);
					don = fmax(don, sh);
					big_on += sh >= 0.1;
					non++;
				}
			}
			if (o->late[c][i] > floor) {
				nl++;
				double r = fabs(a->late[c][i] - o->late[c][i]) / o->late[c][i];
				dl = fmax(dl, r);
				big_l += r >= 0.05;
			}
		}
	}
	/* how many changed by 5% / moved by 0.1 ms or more: an onset is a
	 * threshold crossing, and a microvolt can move a marginal one to the
	 * next phase */
	printf("\"hum_free_change\":{\"lsr_trials\":%d,\"onset_trials\":%d,\"late_trials\":%d,"
	       "\"p2p_changed\":%d,\"onset_moved\":%d,\"late_changed\":%d,",
	       np, non, nl, big_p, big_on, big_l);
	num("p2p_rel", dp, ",");
	num("onset_ms", don, ",");
	num("late_rel", dl, "}");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sim-patient", required_argument, NULL, 'p' },
		{ "scenario", required_argument, NULL, 's' },
		{ "duration", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct lsr_driver_opts o = { .scenario = "no-lsr", .duration_s = 60 };
	int ch;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
		switch (ch) {
		case 'p':
			o.sim_patient = strtoull(optarg, &end, 10);
			if (*end || o.sim_patient == 0) {
				fprintf(stderr, "mains_population: --sim-patient wants a drawn patient (N > 0)\n");
				return 2;
			}
			o.seed = o.sim_patient;
			break;
		case 's':
			o.scenario = optarg;
			break;
		case 'd':
			o.duration_s = strtod(optarg, &end);
			if (*end || !(o.duration_s >= 60)) {
				fprintf(stderr, "mains_population: --duration wants seconds >= 60\n");
				return 2;
			}
			break;
		default:
			return 2;
		}
	}
	if (o.sim_patient == 0) {
		fprintf(stderr, "usage: mains_population --sim-patient N [--scenario S] [--duration S]\n");
		return 2;
	}
	static struct run hum, clean, off, clean_off;
	struct lsr_driver_opts no_hum = o;
	no_hum.sim_no_hum = true;
	if (run(&hum, &o, LSR_MAINS_AUTO) || run(&clean, &no_hum, LSR_MAINS_AUTO) ||
	    run(&off, &o, LSR_MAINS_OFF) || run(&clean_off, &no_hum, LSR_MAINS_OFF))
		return 1;
	/* the fit settles (50 or 60 Hz decided) within its first trials */
	int skip = 8;
	printf("{\"patient\":%llu,", (unsigned long long)o.sim_patient);
	print_run("hum", &hum, skip, ",");
	print_run("clean", &clean, skip, ",");
	print_run("off", &off, skip, ",");
	print_changes(&clean, &clean_off, skip);
	printf("}\n");
	return 0;
}
