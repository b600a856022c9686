/* tests/fuzz/fuzz_layout.c — libFuzzer target: the input as a layout file
 * (lsr_layout_parse_file reads a path: a scratch file), then its detector
 * settings and montage applied as a session would.  A failure must come
 * with a message naming the file. */
#include "fuzz_common.h"
#include "layout.h"
#include "params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[300];
	if (!path[0])
		snprintf(path, sizeof path, "%s/layout.ini", fuzz_tmpdir());
	fuzz_write_file(path, data, size);
	struct lsr_layout *l = malloc(sizeof *l);
	FUZZ_REQUIRE(l);
	lsr_layout_defaults(l);
	char err[400] = "";
	if (lsr_layout_parse_file(l, path, err, sizeof err) < 0) {
		FUZZ_REQUIRE(strstr(err, "layout.ini") != NULL);
	} else {
		FUZZ_REQUIRE(l->npanes >= 0 && l->npanes <= LSR_LAYOUT_MAX_PANES);
		FUZZ_REQUIRE(l->nrows >= 0 && l->nrows <= LSR_LAYOUT_MAX_ROWS);
		for (int i = 0; i < l->npanes; i++)
			FUZZ_REQUIRE(l->panes[i].row >= 0 && l->panes[i].row < l->nrows);
		struct lsr_params p;
		lsr_params_defaults(&p);
		if (lsr_layout_apply_params(l, &p, err, sizeof err) == 0)
			FUZZ_REQUIRE(lsr_params_check(&p, err, sizeof err) == 0);
		struct lsr_stream_config cfg;
		memset(&cfg, 0, sizeof cfg);
		cfg.rate = 10000;
		cfg.channels = LSR_MAX_CHANNELS;
		for (int c = 0; c < cfg.channels; c++)
			snprintf(cfg.labels[c], LSR_LABEL_MAX, c % 2 ? "Mentalis" : "ch%d", c);
		enum lsr_role roles[LSR_MAX_CHANNELS] = { 0 };
		lsr_layout_apply_montage(l, &cfg, roles);
		for (int c = 0; c < cfg.channels; c++)
			FUZZ_REQUIRE(roles[c] >= LSR_ROLE_LSR && roles[c] <= LSR_ROLE_OTHER);
	}
	free(l);
	unlink(path);
	return 0;
}
