/* tests/fuzz/fuzz_openbci.c — libFuzzer target: arbitrary bytes through the openbci
 * driver, split at input-chosen places; the sink checks every block. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_feed_driver("openbci", data, size);
	return 0;
}
