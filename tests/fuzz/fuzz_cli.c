/* tests/fuzz/fuzz_cli.c — libFuzzer target: the input split at NUL bytes
 * into a command line for lsr_cli_parse; accepted --set values, --montage
 * and the first argument as a bare KEY=VALUE go through the parameter and
 * montage parsers the session uses.  Every refusal must say why. */
#include "cli.h"
#include "fuzz_common.h"
#include "montage.h"
#include "params.h"

#define ARGS_MAX 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	FUZZ_REQUIRE(buf);
	memcpy(buf, data, size);
	buf[size] = 0;
	char *argv[ARGS_MAX + 2];
	int argc = 0;
	argv[argc++] = "lsrmon";
	for (char *p = buf; p <= buf + size && argc <= ARGS_MAX; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;

	struct lsr_params p;
	char err[600] = "";
	lsr_params_defaults(&p);
	if (lsr_params_set_kv(&p, argv[1], err, sizeof err) < 0)
		FUZZ_REQUIRE(err[0]);

	struct lsr_options o;
	err[0] = 0;
	if (lsr_cli_parse(argc, argv, &o, err, sizeof err) < 0) {
		FUZZ_REQUIRE(err[0]);
	} else {
		lsr_params_defaults(&p);
		for (int i = 0; i < o.nsets; i++)
			FUZZ_REQUIRE(lsr_params_set_kv(&p, o.sets[i], err, sizeof err) == 0);
		if (lsr_params_check(&p, err, sizeof err) < 0)
			FUZZ_REQUIRE(err[0]);
		if (o.montage) {
			struct lsr_montage m;
			memset(&m, 0, sizeof m);
			enum lsr_role roles[LSR_MAX_CHANNELS] = { 0 };
			if (lsr_montage_parse(o.montage, &m, err, sizeof err) == 0)
				lsr_montage_apply(&m, 4, roles, err, sizeof err);
		}
		for (int i = 0; i < o.nmarks; i++)
			FUZZ_REQUIRE(memchr(o.marks[i].label, 0, LSR_MARK_LABEL_MAX) != NULL);
	}
	lsr_options_free(&o);
	free(buf);
	return 0;
}
