/* drivers/crc16.c — table-driven CRC-16/CCITT-FALSE for the LSRB frames
 * (one table lookup per byte: a 262 kB/s stream must cost next to nothing). */
#include "crc16.h"

static const uint16_t *crc_table(void)
{
	/* Built on first use: 512 bytes, no init call, no allocation. The
	 * program is single-threaded (one poll loop), and building it twice
	 * would store the same values anyway. */
	static uint16_t table[256];
	static int built;
	if (!built) {
		for (unsigned i = 0; i < 256; i++) {
			uint16_t c = (uint16_t)(i << 8);
			for (int b = 0; b < 8; b++)
				c = (c & 0x8000u) ? (uint16_t)((c << 1) ^ 0x1021u)
				                  : (uint16_t)(c << 1);
			table[i] = c;
		}
		built = 1;
	}
	return table;
}

uint16_t lsr_crc16(uint16_t crc, const uint8_t *buf, size_t n)
{
	const uint16_t *t = crc_table();
	for (size_t i = 0; i < n; i++)
		crc = (uint16_t)((crc << 8) ^ t[((crc >> 8) ^ buf[i]) & 0xFFu]);
	return crc;
}
