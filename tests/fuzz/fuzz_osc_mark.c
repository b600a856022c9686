/* tests/fuzz/fuzz_osc_mark.c — libFuzzer target: the input as one datagram
 * to --osc-listen's handler (messages, nested bundles); an accepted mark
 * must carry a label within the documented limits. */
#include "fuzz_common.h"
#include "osc.h"

static struct lsr_osc_listen *listener;

static void on_mark(void *ctx, const char *label)
{
	size_t n = strlen(label);
	FUZZ_REQUIRE(n >= 1 && n <= LSR_OSC_LABEL_MAX);
	for (size_t i = 0; i < n; i++)
		FUZZ_REQUIRE((unsigned char)label[i] >= 0x20 && label[i] != 0x7f);
	++*(int *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!listener) {
		char err[200];
		listener = lsr_osc_listen_new("127.0.0.1:0", err, sizeof err);
		FUZZ_REQUIRE(listener);
	}
	/* A copy the size of the datagram exactly, as recv() would leave it,
	 * so that ASan sees a read past its end. */
	unsigned char *buf = malloc(size ? size : 1);
	FUZZ_REQUIRE(buf);
	memcpy(buf, data, size);
	uint64_t before = lsr_osc_listen_accepted(listener) + lsr_osc_listen_ignored(listener);
	int marks = 0;
	if (size)
		lsr_osc_listen_handle(listener, buf, size, on_mark, &marks);
	uint64_t after = lsr_osc_listen_accepted(listener) + lsr_osc_listen_ignored(listener);
	FUZZ_REQUIRE(after - before >= (uint64_t)marks);
	free(buf);
	return 0;
}
