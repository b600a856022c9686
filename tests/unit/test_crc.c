/* tests/unit/test_crc.c — CRC-16/CCITT-FALSE against its check value and a
 * bit-by-bit reference. */
#include <check.h>
#include <stdint.h>

#include "crc16.h"

/* The textbook shift register, one bit at a time: independent of the table. */
static uint16_t crc_bitwise(const uint8_t *p, size_t n)
{
	uint16_t crc = 0xFFFF;
	for (size_t i = 0; i < n; i++) {
		crc ^= (uint16_t)(p[i] << 8);
		for (int b = 0; b < 8; b++)
			crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
	}
	return crc;
}

START_TEST(check_value)
{
	ck_assert_uint_eq(lsr_crc16(LSR_CRC16_INIT, (const uint8_t *)"123456789", 9), 0x29B1);
	ck_assert_uint_eq(lsr_crc16(LSR_CRC16_INIT, NULL, 0), 0xFFFF);
}
END_TEST

START_TEST(matches_bitwise_and_continues)
{
	uint8_t buf[5000];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof buf; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
	for (size_t n = 0; n <= sizeof buf; n += 37) {
		uint16_t whole = lsr_crc16(LSR_CRC16_INIT, buf, n);
		ck_assert_uint_eq(whole, crc_bitwise(buf, n));
		uint16_t part = lsr_crc16(LSR_CRC16_INIT, buf, n / 3);
		ck_assert_uint_eq(lsr_crc16(part, buf + n / 3, n - n / 3), whole);
	}
}
END_TEST

/* The sliced loop takes 16 bytes at a time: every length and start offset
 * around that stride must agree with the shift register. */
START_TEST(every_length_and_offset)
{
	uint8_t buf[128];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (uint8_t)(i * 151u + 7u);
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; off + n <= sizeof buf; n++)
			ck_assert_uint_eq(lsr_crc16(LSR_CRC16_INIT, buf + off, n),
			                  crc_bitwise(buf + off, n));
}
END_TEST

Suite *suite_crc(void)
{
	Suite *s = suite_create("crc");
	TCase *tc = tcase_create("crc16");
	tcase_add_test(tc, check_value);
	tcase_add_test(tc, matches_bitwise_and_continues);
	tcase_add_test(tc, every_length_and_offset);
	suite_add_tcase(s, tc);
	return s;
}
