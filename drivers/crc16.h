/* drivers/crc16.h — CRC-16/CCITT-FALSE, the LSRB frame check. */
#ifndef LSR_CRC16_H
#define LSR_CRC16_H

#include <stddef.h>
#include <stdint.h>

#define LSR_CRC16_INIT 0xFFFFu

/* Continues a CRC-16/CCITT-FALSE (poly 0x1021, not reflected, xorout 0) over
 * n more bytes; start with LSR_CRC16_INIT. "123456789" gives 0x29B1. */
uint16_t lsr_crc16(uint16_t crc, const uint8_t *buf, size_t n);

#endif
