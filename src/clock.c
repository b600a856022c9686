/* src/clock.c — the monotonic clock and the case's wall clock (clock.h). */
#include <math.h>
#include <time.h>

#include "clock.h"

static double seconds(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

double lsr_clock_mono(void) { return seconds(CLOCK_MONOTONIC); }

double lsr_clock_wall(void) { return seconds(CLOCK_REALTIME); }

double lsr_clock_origin(double recording_start, double stream_t, bool whole_seconds)
{
	if (recording_start > 0)
		return recording_start;
	double origin = lsr_clock_wall() - stream_t;
	return whole_seconds ? floor(origin) : origin;
}
