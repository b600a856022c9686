/* tests/tools/simtruth.c — prints the simulated patient's ground truth as
 * one JSON object, so end-to-end scripts judge lsrmon against the script:
 *   simtruth [--scenario S] [--seed N] [--duration D] */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static int usage(void)
{
	fprintf(stderr, "usage: simtruth [--scenario S] [--seed N] [--duration D]\n");
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

static void print_truth(const struct lsr_sim_truth *t)
{
	double rate = t->rate;
	printf("{\"rate\":%d,\"end_index\":%" PRIu64 ",\"duration\":%.4f,"
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
		printf("],\"direct_uv\":%.1f,\"direct_onset_ms\":%.2f}",
		       s->direct_uv, s->direct_onset_ms);
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
		printf("%s{\"kind\":\"%s\",\"start_t\":%.4f,\"end_t\":%.4f}",
		       i ? "," : "",
		       t->bursts[i].kind == LSR_SIM_SPASM ? "spasm" : "cautery",
		       (double)t->bursts[i].start / rate,
		       (double)t->bursts[i].end / rate);
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
		{NULL, 0, NULL, 0},
	};
	const char *scenario = NULL;
	uint64_t seed = 0;
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
			seed = strtoull(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] == '-') {
				fprintf(stderr, "simtruth: bad --seed '%s'\n", optarg);
				return 2;
			}
			break;
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
	struct lsr_sim_truth t;
	char err[200];
	if (lsr_sim_truth(scenario, seed, duration, &t, err, sizeof err) < 0) {
		fprintf(stderr, "simtruth: %s\n", err);
		return 2;
	}
	print_truth(&t);
	lsr_sim_truth_free(&t);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("simtruth: stdout");
		return 1;
	}
	return 0;
}
