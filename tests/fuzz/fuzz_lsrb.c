/* tests/fuzz/fuzz_lsrb.c — libFuzzer target: arbitrary bytes through the lsrb
 * driver, split at input-chosen places; the sink checks every block. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_feed_driver("lsrb", data, size);
	return 0;
}
