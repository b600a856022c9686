/* drivers/crc16.c — CRC-16/CCITT-FALSE for the LSRB frames.
 *
 * Two ways to the same value: tables sliced by 16 (sixteen independent
 * lookups per 16 bytes) anywhere, and on x86 CPUs with PCLMULQDQ the
 * carry-less multiply folding of Intel's "Fast CRC Computation for Generic
 * Polynomials Using PCLMULQDQ", about three times faster on a replay's
 * 4 KB frames.  No Debian library computes this CRC (zlib and ISA-L carry
 * other polynomials).
 *
 * The folding works with G = P·x^16 (P = x^16 + x^12 + x^5 + 1): the
 * remainder modulo G of M·x^32 is the CRC of M shifted up by 16 bits, so
 * 32-bit folding constants serve a 16-bit CRC. */
#include <pthread.h>

#include "crc16.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LSR_CRC_CLMUL 1
#include <immintrin.h>
#endif

/* t[k][b]: the CRC, from state 0, of byte b followed by k zero bytes. */
static uint16_t crc_t[16][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

#ifdef LSR_CRC_CLMUL
static int use_clmul;
/* x^N mod G for N = 192, 128 (a 16-byte fold), 96 and 64 (the final two). */
static uint64_t k192, k128, k96, k64;

static uint64_t xpow_mod_g(int n)
{
	const uint64_t g = 0x110210000ull;
	uint64_t r = 1;
	for (int i = 0; i < n; i++) {
		r <<= 1;
		if (r & 0x100000000ull)
			r ^= g;
	}
	return r;
}
#endif

static void crc_build(void)
{
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
#ifdef LSR_CRC_CLMUL
	k192 = xpow_mod_g(192);
	k128 = xpow_mod_g(128);
	k96 = xpow_mod_g(96);
	k64 = xpow_mod_g(64);
	__builtin_cpu_init();
	use_clmul = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("ssse3");
#endif
}

static uint16_t crc_sliced(uint16_t crc, const uint8_t *buf, size_t n)
{
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

#ifdef LSR_CRC_CLMUL
/* The CRC of the whole 16-byte chunks of buf (n >= 16); the rest is left
 * to the tables.  Bytes are reversed on loading so that bit 127 of a
 * chunk is its first byte's top bit, the highest power of x. */
__attribute__((target("pclmul,ssse3"))) static uint16_t crc_folded(uint16_t crc,
                                                                   const uint8_t *buf, size_t n)
{
	const __m128i reverse = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
	const __m128i fold = _mm_set_epi64x((long long)k192, (long long)k128);
	/* The running CRC is what the next two message bytes are xored with. */
	__m128i x = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)buf), reverse);
	x = _mm_xor_si128(x, _mm_set_epi64x((long long)((uint64_t)crc << 48), 0));
	size_t at = 16;
	/* X·x^128 = X_hi·x^192 + X_lo·x^128, each product under 96 bits. */
	for (; at + 16 <= n; at += 16) {
		__m128i d = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(buf + at)), reverse);
		__m128i hi = _mm_clmulepi64_si128(x, fold, 0x11);
		__m128i lo = _mm_clmulepi64_si128(x, fold, 0x00);
		x = _mm_xor_si128(_mm_xor_si128(hi, lo), d);
	}
	/* X·x^32 mod G: X_hi·x^96 + X_lo·x^32 (96 bits), then its top 32
	 * bits times x^64 (64 bits).  What is left is a multiple of x^16
	 * below x^64; its remainder modulo P comes from the tables. */
	__m128i t = _mm_clmulepi64_si128(x, _mm_set_epi64x((long long)k96, 0), 0x11);
	t = _mm_xor_si128(t, _mm_slli_si128(_mm_move_epi64(x), 4));
	__m128i u = _mm_clmulepi64_si128(_mm_srli_si128(t, 8), _mm_set_epi64x(0, (long long)k64), 0x00);
	uint64_t r = (uint64_t)_mm_cvtsi128_si64(_mm_xor_si128(u, _mm_move_epi64(t))) >> 16;
	uint8_t top[4] = { (uint8_t)(r >> 40), (uint8_t)(r >> 32), (uint8_t)(r >> 24), (uint8_t)(r >> 16) };
	crc = (uint16_t)(crc_sliced(0, top, sizeof top) ^ (uint16_t)r);
	return crc_sliced(crc, buf + at, n - at);
}
#endif

uint16_t lsr_crc16(uint16_t crc, const uint8_t *buf, size_t n)
{
	pthread_once(&crc_once, crc_build);
#ifdef LSR_CRC_CLMUL
	if (use_clmul && n >= 64)
		return crc_folded(crc, buf, n);
#endif
	return crc_sliced(crc, buf, n);
}
