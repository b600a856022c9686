/* drivers/sim_script.h — internal to the simulated patient: its random
 * numbers and the scripted case (stimuli, marks, bursts) shared by the
 * generator (sim.c) and the ground truth (sim_script.c). */
#ifndef LSR_SIM_SCRIPT_H
#define LSR_SIM_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim.h"

/* xoshiro256** seeded through splitmix64: small, fast, and the same on
 * every platform (rand() is neither). */
struct lsr_sim_rng {
	uint64_t s[4];
};

static inline uint64_t lsr_sim_splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static inline void lsr_sim_rng_seed(struct lsr_sim_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		r->s[i] = lsr_sim_splitmix(&seed);
}

static inline uint64_t lsr_sim_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t lsr_sim_rng_next(struct lsr_sim_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = lsr_sim_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = lsr_sim_rotl(s[3], 45);
	return out;
}

/* Uniform in [0, 1). */
static inline double lsr_sim_rng_uniform(struct lsr_sim_rng *r)
{
	return (double)(lsr_sim_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Approximately standard normal from one draw: the sum of four 16-bit
 * uniforms (Irwin–Hall), no transcendental call per sample.  Bounded by
 * ±3.46, which keeps noise peaks physiological. */
static inline double lsr_sim_rng_gauss(struct lsr_sim_rng *r)
{
	uint64_t x = lsr_sim_rng_next(r);
	double sum = (double)((x & 0xffff) + ((x >> 16) & 0xffff) +
	                      ((x >> 32) & 0xffff) + (x >> 48));
	/* mean 4 × 32767.5; sd 65536 × sqrt(4 / 12) */
	return (sum - 131070.0) * (1.0 / 37837.23);
}

struct lsr_sim_scenario;

/* A course: a factor that moves linearly from the previous value to
 * `to` over [at, at + ramp) samples (ramp 0: a step), piece after piece;
 * 1 before the first.  The LSR, the direct response and the noise each
 * follow one. */
struct lsr_sim_course {
	int n;
	uint64_t at[LSR_SIM_MAX_EVENTS], ramp[LSR_SIM_MAX_EVENTS];
	double to[LSR_SIM_MAX_EVENTS];
};

double lsr_sim_course_at(const struct lsr_sim_course *c, uint64_t index);

/* A scripted case, advanced one stimulus at a time. */
struct lsr_sim_script {
	const struct lsr_sim_scenario *scn;
	struct lsr_sim_patient pat;
	uint64_t end;            /* samples in the case */
	uint64_t limit;          /* stimuli end here: end, or past it once extended */
	uint64_t next;           /* index of the next stimulus */
	int n;                   /* stimuli so far */
	int since_dropout;       /* stimuli since the last dropout */
	struct lsr_sim_rng rng;  /* stimuli only: same sequence in every scenario */
	/* The interval to the next stimulus: isi_min + u × isi_mul / isi_div
	 * samples (the reference patient's 0.9 s + u × rate / 5). */
	uint64_t isi_min;
	double isi_mul, isi_div;
	struct lsr_sim_course lsr, direct, noise;
	uint64_t fail_from, fail_to;
	int nmarks;
	struct lsr_sim_mark marks[LSR_SIM_MAX_EVENTS];
	int nbursts;
	struct lsr_sim_burst bursts[LSR_SIM_NBURSTS];
	bool sync, hum, wander, has_lsr;
};

/* Checks the options and lays out the case.  Returns 0, or -1 with a
 * message in err. */
int lsr_sim_script_init(struct lsr_sim_script *s,
                        const struct lsr_driver_opts *opts, char *err,
                        size_t errlen);
/* The next stimulus, or false when the case has no more. */
bool lsr_sim_script_next(struct lsr_sim_script *s, struct lsr_sim_stim *out);
/* Lets stimuli continue past the end of the case, in its final state. */
void lsr_sim_script_extend(struct lsr_sim_script *s);
/* The scenario's name as given to init. */
const char *lsr_sim_script_name(const struct lsr_sim_script *s);

#endif
