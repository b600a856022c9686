/* tests/fuzz/fuzz_info.c — libFuzzer target for the LSRB INFO key=value
 * parser (static inside drivers/lsrb.c): the input, up to the first 0xFF
 * byte, is an INFO payload and the rest a DATA payload, each wrapped in a
 * frame with a correct CRC so that the parser, not the framing, is what
 * gets exercised; INFO and DATA then alternate, with the INFO changing. */
#include "fuzz_common.h"
#include "lsrb_build.h"

#define PAYLOAD_MAX 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[4 * (PAYLOAD_MAX + 8)];
	const uint8_t *cut = memchr(data, 0xFF, size);
	size_t ninfo = cut ? (size_t)(cut - data) : size;
	const uint8_t *dpl = cut ? cut + 1 : data + size;
	size_t ndata = cut ? size - ninfo - 1 : 0;
	if (ninfo > PAYLOAD_MAX)
		ninfo = PAYLOAD_MAX;
	if (ndata > PAYLOAD_MAX)
		ndata = PAYLOAD_MAX;
	size_t n = 0;
	n += lsrb_build(out + n, 0x01, 0, data, ninfo);
	n += lsrb_build(out + n, 0x02, 1, dpl, ndata);
	/* The same INFO with its last byte dropped: usually a change. */
	n += lsrb_build(out + n, 0x01, 2, data, ninfo ? ninfo - 1 : 0);
	n += lsrb_build(out + n, 0x02, 3, dpl, ndata);
	fuzz_feed_driver("lsrb", out, n);
	return 0;
}
