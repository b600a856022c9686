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

int lsr_clock_cond_init(pthread_cond_t *c)
{
	pthread_condattr_t ca;
	int r = pthread_condattr_init(&ca);
	if (r != 0)
		return r;
	r = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (r == 0)
		r = pthread_cond_init(c, &ca);
	pthread_condattr_destroy(&ca);
	return r;
}

void lsr_clock_deadline(struct timespec *ts, double in_s)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	long whole = (long)in_s;
	ts->tv_sec += whole;
	ts->tv_nsec += (long)((in_s - (double)whole) * 1e9);
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

double lsr_clock_wall(void) { return seconds(CLOCK_REALTIME); }

double lsr_clock_origin(double recording_start, double stream_t, bool whole_seconds)
{
	if (recording_start > 0)
		return recording_start;
	double origin = lsr_clock_wall() - stream_t;
	return whole_seconds ? floor(origin) : origin;
}

long lsr_clock_utc_offset(double wall)
{
	time_t at = (time_t)floor(wall);
	struct tm tm;
	return localtime_r(&at, &tm) ? tm.tm_gmtoff : 0;
}
