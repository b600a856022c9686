/* tests/tools/crew_race.c — the detector's threads under ThreadSanitizer
 * (built with SANITIZE=thread, run by tests/e2e/crew_race.sh): a stream of
 * 12 channels at 20 kHz — eight LSR channels, so that the judge's crew
 * weighs several at once, four controls — with hum (the mains fit's
 * preparation on the signal path's crew), stimulus artifacts, sync marks,
 * responses, a fading LSR and a sink that wants the averages.  TSan
 * reports any data race on stderr and makes the exit status non-zero;
 * this program also exits 1 when too few trials were judged for the run
 * to mean anything. */
#include <stdio.h>
#include <string.h>

#include "detector.h"
#include "../unit/synth.h"

#define NCH 12
#define SECONDS 40
#define RATE 20000

static unsigned long responses, averages;

static void on_event(void *ctx, const struct lsr_event *ev)
{
	(void)ctx;
	if (ev->type != LSR_EV_RESPONSE)
		return;
	responses++;
	averages += ev->response.average != NULL;
}

static bool wants_average(void *ctx)
{
	(void)ctx;
	return true;
}

int main(void)
{
	struct lsr_params p;
	lsr_params_defaults(&p);
	struct lsr_stream_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.rate = RATE;
	cfg.channels = NCH;
	enum lsr_role roles[NCH];
	for (int c = 0; c < NCH; c++) {
		roles[c] = c % 3 == 2 ? LSR_ROLE_CONTROL : LSR_ROLE_LSR;
		snprintf(cfg.labels[c], sizeof cfg.labels[c], "ch%d", c);
	}
	struct lsr_sink sink = { .event = on_event, .wants_average = wants_average };
	char err[200];
	struct lsr_detector *d = lsr_detector_new(&p, &cfg, roles, &sink, err, sizeof err);
	if (!d) {
		fprintf(stderr, "crew_race: %s\n", err);
		return 1;
	}
	static struct syn g;
	syn_init(&g, RATE, NCH, 7);
	for (int c = 0; c < NCH; c++) {
		g.noise_uv[c] = 8;
		g.art_uv[c] = 4000;
		g.tail_uv[c] = 300;
		g.tail_tau_ms[c] = 2;
		g.resp[c] = roles[c] == LSR_ROLE_CONTROL ? (struct syn_resp){ 800, 3.5, 400, 3 }
		                                         : (struct syn_resp){ 150, 10, 250, 6 };
	}
	g.hum_uv = 25;
	g.hum_hz = 50;
	g.sync = true;
	struct lsr_block b;
	for (int blk = 0; g.next_index < (int64_t)SECONDS * RATE; blk++) {
		if (g.nstim == SECONDS * 2 / 3) /* the LSR fades: decisions change */
			for (int c = 0; c < NCH; c++)
				if (roles[c] == LSR_ROLE_LSR)
					g.resp[c].amp_uv = 10;
		syn_block(&g, 1 + blk % SYN_BLOCK, &b);
		lsr_detector_feed(d, (int64_t)b.index, &b, RATE);
	}
	lsr_detector_flush(d);
	lsr_detector_free(d);
	if (responses < 20 * NCH || averages == 0) {
		fprintf(stderr, "crew_race: %lu responses, %lu with an average: the stream did not run\n",
		        responses, averages);
		return 1;
	}
	printf("crew_race: %lu responses (%lu with the average)\n", responses, averages);
	return 0;
}
