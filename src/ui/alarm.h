/* src/ui/alarm.h — what the console sounds (lsrmon(1), SCREEN, Alarms): technical
 * alarms ring every LSR_ALARM_REPEAT_S until acknowledged with k, state
 * changes chime once.  Pure: the caller gives the conditions in force and
 * its clock, and rings the bell as often as lsr_alarm_step says. */
#ifndef LSR_ALARM_H
#define LSR_ALARM_H

#include <stdbool.h>

#define LSR_ALARM_REPEAT_S 5.0

/* Technical conditions, one bit each. */
enum {
	LSR_ALARM_STIM_FAILURE = 1 << 0, LSR_ALARM_NO_STIMULUS = 1 << 1,
	LSR_ALARM_LINK = 1 << 2, LSR_ALARM_RECORDING = 1 << 3,
	LSR_ALARM_INDETERMINATE = 1 << 4,
	LSR_ALARM_ALL = 0x1f,
};

struct lsr_alarm {
	unsigned active;  /* conditions in force at the last step */
	unsigned acked;   /* of those, acknowledged with k */
	double next_ring; /* clock of the next repeat; NAN: none due */
	int chimes;       /* state changes not yet sounded */
};

void lsr_alarm_init(struct lsr_alarm *a);
/* The conditions in force now; returns the number of times to ring (0 or
 * 1: one ring covers a new condition, a repeat and the pending chimes). */
int lsr_alarm_step(struct lsr_alarm *a, unsigned conditions, double clock);
/* k: the conditions in force stop ringing; they stay on screen. */
void lsr_alarm_ack(struct lsr_alarm *a);
/* A state change worth a chime (reduced, disappeared, returned). */
void lsr_alarm_chime(struct lsr_alarm *a);
/* The most urgent condition in force (its bit), 0 when none. */
unsigned lsr_alarm_first(const struct lsr_alarm *a);
/* Words for one condition bit. */
const char *lsr_alarm_text(unsigned bit);

#endif
