/* tests/unit/lsrb_build.h — builds LSRB v1 frames for the source tests
 * (the driver tests build theirs with an independent bitwise CRC). */
#ifndef LSR_TEST_LSRB_BUILD_H
#define LSR_TEST_LSRB_BUILD_H

#include <stdint.h>
#include <string.h>

#include "crc16.h"

/* Writes one frame into out (room: len + 8); returns its size. */
static inline size_t lsrb_build(uint8_t *out, uint8_t type, uint8_t seq,
                                const void *payload, size_t len)
{
	out[0] = 0xA5, out[1] = 0x5A, out[2] = type, out[3] = seq;
	out[4] = (uint8_t)len, out[5] = (uint8_t)(len >> 8);
	memcpy(out + 6, payload, len);
	uint16_t crc = lsr_crc16(LSR_CRC16_INIT, out + 2, len + 4);
	out[6 + len] = (uint8_t)crc, out[7 + len] = (uint8_t)(crc >> 8);
	return len + 8;
}

/* A 1-channel s16 DATA frame of S samples, all value v, marks m[i]. */
static inline size_t lsrb_build_data(uint8_t *out, uint8_t seq, uint32_t first,
                                     int S, int16_t v, const uint8_t *m)
{
	uint8_t pl[6 + 255 * 3];
	pl[0] = (uint8_t)first, pl[1] = (uint8_t)(first >> 8);
	pl[2] = (uint8_t)(first >> 16), pl[3] = (uint8_t)(first >> 24);
	pl[4] = (uint8_t)S, pl[5] = 1;
	for (int i = 0; i < S; i++) {
		pl[6 + i] = m ? m[i] : 0;
		pl[6 + S + 2 * i] = (uint8_t)v;
		pl[7 + S + 2 * i] = (uint8_t)((uint16_t)v >> 8);
	}
	return lsrb_build(out, 0x02, seq, pl, 6 + 3 * (size_t)S);
}

#define LSRB_TEST_INFO "rate=1000\nchannels=1\nformat=s16\nuv_per_lsb=1\nlabels=A"

#endif
