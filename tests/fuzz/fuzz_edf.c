/* tests/fuzz/fuzz_edf.c — libFuzzer target for our EDF+/BDF+ reader layer:
 * the input as a recording file (EDFlib itself is third-party; what is
 * fuzzed is what checks and uses its answers: the layout, the Trigger
 * channel, the annotations and stored settings), replayed at max speed to
 * the end, rewound, and replayed again. */
#include "fuzz_common.h"
#include "params.h"
#include "source_edf.h"

#define PUMPS_MAX 100000

static void on_link(void *ctx, enum lsr_link_status status) { (void)ctx, (void)status; }
static void on_alarm(void *ctx, const char *what, const char *text)
{
	(void)ctx;
	FUZZ_REQUIRE(what && text);
}

static void replay(struct lsr_source *src, const struct lsr_source_env *env)
{
	int k = 0;
	while (src->ops->pump(src->st, 0.0, env) != LSR_SOURCE_END)
		FUZZ_REQUIRE(++k < PUMPS_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Named as lsrmon would find it: BDF's header starts with 0xFF. */
	char path[300];
	snprintf(path, sizeof path, "%s/rec.%s", fuzz_tmpdir(), size && data[0] == 0xFF ? "bdf" : "edf");
	fuzz_write_file(path, data, size);
	char err[600] = "";
	int code = 0;
	struct lsr_source *src = lsr_source_edf_new(path, 0.0, err, sizeof err, &code);
	if (!src) {
		FUZZ_REQUIRE(err[0] && code == 2);
	} else {
		struct lsr_params p;
		lsr_params_defaults(&p);
		char montage[400] = "";
		src->ops->settings(src->st, &p, montage, sizeof montage);
		FUZZ_REQUIRE(memchr(montage, 0, sizeof montage) != NULL);
		struct fuzz_seen seen;
		struct lsr_source_sink sink = fuzz_sink(&seen);
		struct lsr_source_env env = { &sink, NULL, on_link, on_alarm, NULL };
		replay(src, &env);
		double pos, len;
		src->ops->position(src->st, &pos, &len);
		FUZZ_REQUIRE(pos >= 0 && pos <= len + 1e-9);
		uint64_t first = seen.samples;
		if (src->ops->rewind && src->ops->rewind(src->st) == 0) {
			seen.samples = 0;
			replay(src, &env);
			FUZZ_REQUIRE(seen.samples == first);
		}
		src->ops->destroy(src->st);
	}
	unlink(path);
	return 0;
}
