/* src/clock.h — lsrmon's two clocks, one of each.
 *
 * The monotonic clock measures intervals: pacing, timeouts, the status
 * line's notes, the recorder's sync deadline.  A wall-clock step (NTP, a
 * user setting the time in theatre) never stretches or shortens them.
 *
 * The case's wall clock dates stream time: wall = origin + t, one origin
 * per session, so the screen's time of day, the recording's header and the
 * report's wall times agree.  In a replay the origin is the recording's own
 * start, so a case reviewed afterwards is dated as it was live. */
#ifndef LSR_CLOCK_H
#define LSR_CLOCK_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

/* Seconds on CLOCK_MONOTONIC. */
double lsr_clock_mono(void);

/* A condition variable whose timed waits run on the monotonic clock, and
 * the deadline `in_s` seconds from now on that clock for them.  Returns
 * pthread_cond_init's result. */
int lsr_clock_cond_init(pthread_cond_t *c);
void lsr_clock_deadline(struct timespec *ts, double in_s);

/* Seconds since the Unix epoch now (CLOCK_REALTIME): for what is dated by
 * when it happens, not by stream time (a report file's name). */
double lsr_clock_wall(void);

/* The wall-clock time (Unix s) of stream time 0.  recording_start > 0 (a
 * replayed recording's header): that.  Otherwise now minus the stream_t
 * already run, in whole seconds when whole_seconds (a recording's header
 * holds whole seconds: a report made later from the recording then agrees
 * with the live one to the second). */
double lsr_clock_origin(double recording_start, double stream_t, bool whole_seconds);

/* The local zone's offset from UTC (s east) at wall-clock time wall: the
 * offset a recording stores beside its local start time, and the one a
 * live case's report writes its times of day in (a replayed one takes the
 * recording's stored offset instead, so it reads as the live one did). */
long lsr_clock_utc_offset(double wall);

#endif
