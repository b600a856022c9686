/* tests/tools/simtruth.c — prints the simulated patient's ground truth as
 * one JSON object, so end-to-end scripts judge lsrmon against the script:
 *   simtruth [--scenario S] [--seed N] [--duration D] [--sim-patient N]
 * or the drawn parameters of patients 1…N, one JSON object a line:
 *   simtruth --population N */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static int usage(void)
{
	fprintf(stderr, "usage: simtruth [--scenario S] [--seed N] [--duration D] "
	        "[--sim-patient N]\n       simtruth --population N\n");
	return 2;
}

static void json_str(const char *s)
{
	if (!s) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}

static void json_times(const char *name, const double *t, int n)
{
	printf(",\"%s\":[", name);
	for (int i = 0; i < n; i++)
		printf("%s%.4f", i ? "," : "", t[i]);
	putchar(']');
}

static void json_nums(const char *name, const double *v, int n, const char *fmt)
{
	printf(",\"%s\":[", name);
	for (int i = 0; i < n; i++) {
		if (i)
			putchar(',');
		printf(fmt, v[i]);
	}
	putchar(']');
}

static void print_shape(const struct lsr_sim_shape *sh)
{
	printf("{\"phases\":%d,\"lobes\":[", sh->nlobes);
	double dur = 0;
	for (int i = 0; i < sh->nlobes; i++) {
		printf("%s[%.4f,%.4f]", i ? "," : "", sh->lobes[i].ms, sh->lobes[i].peak);
		dur += sh->lobes[i].ms;
	}
	printf("],\"duration_ms\":%.4f}", dur);
}

/* Every drawn quantity, under the names man/lsrmon.1 uses for them. */
static void print_patient(const struct lsr_sim_patient *p)
{
	printf("{\"id\":%" PRIu64 ",\"rate\":%d,\"format_bits\":%d,"
	       "\"uv_per_lsb\":%.6f", p->id, p->rate, p->format_bits, p->uv_per_lsb);
	json_nums("lsr_uv", p->lsr_uv, 2, "%.3f");
	printf(",\"second_ratio\":%.4f", p->lsr_uv[1] / p->lsr_uv[0]);
	json_nums("lsr_onset_ms", p->lsr_onset_ms, 2, "%.3f");
	printf(",\"shape\":[");
	print_shape(&p->shape[0]);
	putchar(',');
	print_shape(&p->shape[1]);
	printf("],\"fade_shape\":%s,\"drift_ms\":%.4f",
	       p->fade_shape ? "true" : "false", p->drift_ms);
	/* The two amplitude terms are drawn so that together they give cv. */
	printf(",\"trial_cv\":%.4f,\"cv_shared\":%.4f,\"cv_channel\":%.4f,"
	       "\"f_min\":%.4f,\"f_max\":%.4f,\"jitter_ms\":%.4f,"
	       "\"jitter_ch_ms\":%.4f,\"dropout_p\":%.4f",
	       hypot(p->cv_shared, p->cv_channel), p->cv_shared, p->cv_channel,
	       p->f_min, p->f_max, p->jitter_ms, p->jitter_ch_ms, p->dropout_p);
	printf(",\"late_fraction\":%.4f,\"late_onset_ms\":%.3f,"
	       "\"direct_uv\":%.3f,\"direct_onset_ms\":%.3f,\"noise_uv\":%.4f",
	       p->late_fraction, p->late_onset_ms, p->direct_uv, p->direct_onset_ms,
	       p->noise_uv);
	printf(",\"mains_uv\":%.3f,\"mains_hz\":%.1f,\"mains_h2\":%.4f,"
	       "\"mains_h3\":%.4f,\"mains_drift_hz\":%.4f,"
	       "\"mains_drift_period_s\":%.2f",
	       p->mains_uv, p->mains_hz, p->mains_h2, p->mains_h3,
	       p->mains_drift_hz, p->mains_drift_period_s);
	json_nums("hum_uv", p->hum_uv, LSR_SIM_CHANNELS, "%.3f");
	json_nums("hum_phase", p->hum_phase, LSR_SIM_CHANNELS, "%.4f");
	printf(",\"wander_uv\":%.3f,\"wander_hz\":%.4f", p->wander_uv, p->wander_hz);
	json_nums("art_pulse_uv", p->art_pulse_uv, LSR_SIM_CHANNELS, "%.2f");
	json_nums("art_tail_uv", p->art_tail_uv, LSR_SIM_CHANNELS, "%.2f");
	json_nums("art_tau_ms", p->art_tau_ms, LSR_SIM_CHANNELS, "%.4f");
	printf(",\"stim_hz\":%.4f,\"stim_jitter\":%.4f,\"nspasm\":%d,"
	       "\"ncautery\":%d", p->stim_hz, p->stim_jitter, p->nspasm, p->ncautery);
	json_nums("spasm_ms", p->spasm_ms, p->nspasm, "%.2f");
	json_nums("spasm_uv", p->spasm_uv, p->nspasm, "%.2f");
	json_nums("cautery_s", p->cautery_s, p->ncautery, "%.3f");
	json_nums("cautery_uv", p->cautery_uv, p->ncautery, "%.1f");
	json_nums("cautery_offset", p->cautery_offset, p->ncautery, "%.4f");
	json_nums("cautery_tau_s", p->cautery_tau_s, p->ncautery, "%.4f");
	putchar('}');
}

static void print_truth(const struct lsr_sim_truth *t)
{
	double rate = t->rate;
	printf("{\"scenario\":");
	json_str(t->scenario);
	printf(",\"patient\":");
	print_patient(&t->patient);
	printf(",\"rate\":%d,\"end_index\":%" PRIu64 ",\"duration\":%.4f,"
	       "\"sync\":%s,\"stims\":[",
	       t->rate, t->end_index, (double)t->end_index / rate,
	       t->sync ? "true" : "false");
	for (int i = 0; i < t->nstims; i++) {
		const struct lsr_sim_stim *s = &t->stims[i];
		printf("%s{\"n\":%d,\"t\":%.4f,\"index\":%" PRIu64
		       ",\"reaches_nerve\":%s,\"contaminated\":%s,\"dropout\":%s,"
		       "\"lsr_uv\":[",
		       i ? "," : "", s->n, (double)s->index / rate, s->index,
		       s->reaches_nerve ? "true" : "false",
		       s->contaminated ? "true" : "false",
		       s->dropout ? "true" : "false");
		for (int c = 0; c < t->channels; c++)
			printf("%s%.1f", c ? "," : "", s->lsr_uv[c]);
		printf("],\"lsr_onset_ms\":[");
		for (int c = 0; c < t->channels; c++)
			printf("%s%.2f", c ? "," : "", s->lsr_onset_ms[c]);
		printf("],\"direct_uv\":%.1f,\"direct_onset_ms\":%.2f",
		       s->direct_uv, s->direct_onset_ms);
		json_nums("late_uv", s->late_uv, t->channels, "%.1f");
		json_nums("late_onset_ms", s->late_onset_ms, t->channels, "%.2f");
		printf(",\"factor\":%.4f,\"direct_factor\":%.4f", s->factor,
		       s->direct_factor);
		json_nums("trial_f", s->trial_f, 2, "%.4f");
		json_nums("noise_uv", s->noise_uv, t->channels, "%.3f");
		printf(",\"usable\":%s,\"why\":", s->why == LSR_SIM_USABLE ? "true" : "false");
		json_str(lsr_sim_why_name(s->why));
		putchar('}');
	}
	printf("],\"marks\":[");
	for (int i = 0; i < t->nmarks; i++) {
		printf("%s{\"t\":%.4f,\"index\":%" PRIu64 ",\"label\":", i ? "," : "",
		       (double)t->marks[i].index / rate, t->marks[i].index);
		json_str(t->marks[i].label);
		putchar('}');
	}
	printf("],\"bursts\":[");
	for (int i = 0; i < t->nbursts; i++)
		printf("%s{\"kind\":\"%s\",\"start_t\":%.4f,\"end_t\":%.4f,"
		       "\"amp_uv\":%.1f,\"offset_uv\":%.1f,\"offset_tau_s\":%.3f}",
		       i ? "," : "",
		       t->bursts[i].kind == LSR_SIM_SPASM ? "spasm" : "cautery",
		       (double)t->bursts[i].start / rate,
		       (double)t->bursts[i].end / rate, t->bursts[i].amp_uv,
		       t->bursts[i].offset_uv, t->bursts[i].offset_tau_s);
	putchar(']');
	json_times("loss_t", t->loss_t, t->nloss);
	json_times("return_t", t->return_t, t->nreturn);
	printf(",\"expected_states\":");
	json_str(t->expected_states);
	printf(",\"expected_final\":");
	json_str(t->expected_final);
	printf(",\"expected_phase\":");
	json_str(t->expected_phase);
	printf("}\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"scenario", required_argument, NULL, 's'},
		{"seed", required_argument, NULL, 'r'},
		{"duration", required_argument, NULL, 'd'},
		{"sim-patient", required_argument, NULL, 'p'},
		{"population", required_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	const char *scenario = NULL;
	uint64_t seed = 0, patient = 0, population = 0;
	double duration = 300;
	int ch;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
		errno = 0;
		switch (ch) {
		case 's':
			scenario = optarg;
			break;
		case 'r':
		case 'p':
		case 'n': {
			uint64_t v = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-') {
				fprintf(stderr, "simtruth: bad --%s '%s'\n",
				        ch == 'r' ? "seed" : ch == 'p' ? "sim-patient" : "population",
				        optarg);
				return 2;
			}
			*(ch == 'r' ? &seed : ch == 'p' ? &patient : &population) = v;
			break;
		}
		case 'd':
			duration = strtod(optarg, &end);
			if (errno || end == optarg || *end) {
				fprintf(stderr, "simtruth: bad --duration '%s'\n", optarg);
				return 2;
			}
			break;
		default:
			return usage();
		}
	}
	if (optind != argc)
		return usage();
	if (population) {
		for (uint64_t n = 1; n <= population; n++) {
			struct lsr_sim_patient p;
			lsr_sim_patient_draw(n, &p);
			print_patient(&p);
			putchar('\n');
		}
	} else {
		struct lsr_sim_truth t;
		char err[200];
		struct lsr_driver_opts o = { .scenario = scenario, .seed = seed, .duration_s = duration,
		                           .sim_patient = patient };
		if (lsr_sim_truth(&o, &t, err, sizeof err) < 0) {
			fprintf(stderr, "simtruth: %s\n", err);
			return 2;
		}
		print_truth(&t);
		lsr_sim_truth_free(&t);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("simtruth: stdout");
		return 1;
	}
	return 0;
}
