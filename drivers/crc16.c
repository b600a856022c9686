/* drivers/crc16.c — CRC-16/CCITT-FALSE for the LSRB frames, sliced by 16:
 * sixteen table lookups per 16 bytes, independent of each other, so a 1 MB/s
 * stream (and a replay at 1000× that) costs next to nothing. */
#include "crc16.h"

/* t[k][b]: the CRC, from state 0, of byte b followed by k zero bytes. */
static uint16_t crc_t[16][256];
static int crc_built;

static void crc_build(void)
{
	/* Built on first use: 8 KB, no init call, no allocation. The program
	 * is single-threaded (one poll loop), and building it twice would
	 * store the same values anyway. */
	for (unsigned i = 0; i < 256; i++) {
		uint16_t c = (uint16_t)(i << 8);
		for (int b = 0; b < 8; b++)
			c = (c & 0x8000u) ? (uint16_t)((c << 1) ^ 0x1021u) : (uint16_t)(c << 1);
		crc_t[0][i] = c;
	}
	for (int k = 1; k < 16; k++)
		for (unsigned i = 0; i < 256; i++) {
			uint16_t c = crc_t[k - 1][i];
			crc_t[k][i] = (uint16_t)((c << 8) ^ crc_t[0][c >> 8]);
		}
	crc_built = 1;
}

uint16_t lsr_crc16(uint16_t crc, const uint8_t *buf, size_t n)
{
	if (!crc_built)
		crc_build();
	/* The CRC's two bytes meet the first two data bytes; each byte's
	 * contribution is then the table of how many bytes follow it. */
	while (n >= 16) {
		unsigned v = crc ^ ((unsigned)buf[0] << 8 | buf[1]);
		crc = (uint16_t)(crc_t[15][v >> 8] ^ crc_t[14][v & 0xFFu] ^
		                 crc_t[13][buf[2]] ^ crc_t[12][buf[3]] ^ crc_t[11][buf[4]] ^
		                 crc_t[10][buf[5]] ^ crc_t[9][buf[6]] ^ crc_t[8][buf[7]] ^
		                 crc_t[7][buf[8]] ^ crc_t[6][buf[9]] ^ crc_t[5][buf[10]] ^
		                 crc_t[4][buf[11]] ^ crc_t[3][buf[12]] ^ crc_t[2][buf[13]] ^
		                 crc_t[1][buf[14]] ^ crc_t[0][buf[15]]);
		buf += 16;
		n -= 16;
	}
	for (size_t i = 0; i < n; i++)
		crc = (uint16_t)((crc << 8) ^ crc_t[0][((crc >> 8) ^ buf[i]) & 0xFFu]);
	return crc;
}
