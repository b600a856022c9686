/* src/simd.h — the vector types of the signal core's inner loops.
 *
 * GNU vector extensions (GCC and clang): four doubles in one AVX register
 * (two SSE2 halves on a CPU without it).  Element-wise arithmetic is the
 * same IEEE arithmetic as the scalar code, lane by lane, so a loop written
 * with them gives the scalar loop's results bit for bit when it performs
 * the same operations in the same order per lane. */
#ifndef LSR_SIMD_H
#define LSR_SIMD_H

#include <stdbool.h>
#include <string.h>

/* The loops are compiled twice, plain and for AVX2, and the AVX2 copy is
 * chosen per call where the CPU has it.  Not target_clones: its load-time
 * resolver runs before the sanitizers' runtime is up and crashes the
 * sanitizer builds.  No FMA: ISO C mode does not contract a * b + c, so
 * both copies give the same bits. */
#if defined(__x86_64__) || defined(__i386__)
#define LSR_TARGET_AVX2 __attribute__((target("avx2")))
static inline bool lsr_cpu_has_avx2(void)
{
	return __builtin_cpu_supports("avx2");
}
#else
#define LSR_TARGET_AVX2
static inline bool lsr_cpu_has_avx2(void)
{
	return false;
}
#endif

#define LSR_D4_LANES 4
typedef double lsr_d4 __attribute__((vector_size(LSR_D4_LANES * sizeof(double))));
typedef float lsr_f4 __attribute__((vector_size(LSR_D4_LANES * sizeof(float))));
typedef int lsr_i4 __attribute__((vector_size(LSR_D4_LANES * sizeof(int))));

/* Unaligned loads (through a pointer: a vector return value would change
 * the ABI between the default and the AVX2 clones). */
static inline void lsr_d4_load(lsr_d4 *v, const double *p)
{
	memcpy(v, p, sizeof *v);
}

/* Four consecutive 24-bit little-endian signed samples from p[0..12),
 * sign-extended: a 16-byte load (p[12..16) must be readable), a byte
 * shuffle that puts each sample's three bytes at the top of its 32-bit
 * lane, and an arithmetic shift.  A byte shuffle is one instruction only
 * with SSSE3 and later: call it from LSR_TARGET_AVX2 code. */
static inline __attribute__((always_inline)) void lsr_s24x4(lsr_i4 *v, const unsigned char *p)
{
	typedef unsigned char bytes16 __attribute__((vector_size(16)));
	bytes16 raw;
	memcpy(&raw, p, sizeof raw);
	bytes16 top = __builtin_shufflevector(raw, raw, 0, 0, 1, 2, 0, 3, 4, 5, 0, 6, 7, 8, 0, 9, 10, 11);
	memcpy(v, &top, sizeof *v);
	*v >>= 8;
}

static inline void lsr_d4_from_floats(lsr_d4 *v, const float *p)
{
	lsr_f4 f;
	memcpy(&f, p, sizeof f);
	*v = __builtin_convertvector(f, lsr_d4);
}

#endif
