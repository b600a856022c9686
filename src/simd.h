/* src/simd.h — the vector types of the signal core's inner loops.
 *
 * GNU vector extensions (GCC and clang): four doubles in one AVX register
 * (two SSE2 halves on a CPU without it).  Element-wise arithmetic is the
 * same IEEE arithmetic as the scalar code, lane by lane, so a loop written
 * with them gives the scalar loop's results bit for bit when it performs
 * the same operations in the same order per lane. */
#ifndef LSR_SIMD_H
#define LSR_SIMD_H

#include <string.h>

#define LSR_D4_LANES 4
typedef double lsr_d4 __attribute__((vector_size(LSR_D4_LANES * sizeof(double))));
typedef float lsr_f4 __attribute__((vector_size(LSR_D4_LANES * sizeof(float))));

/* Unaligned loads (through a pointer: a vector return value would change
 * the ABI between the default and the AVX2 clones). */
static inline void lsr_d4_load(lsr_d4 *v, const double *p)
{
	memcpy(v, p, sizeof *v);
}

static inline void lsr_d4_from_floats(lsr_d4 *v, const float *p)
{
	lsr_f4 f;
	memcpy(&f, p, sizeof f);
	*v = __builtin_convertvector(f, lsr_d4);
}

#endif
