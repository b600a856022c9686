/* src/ui/alarm.c — the bell's rules: a technical condition rings when it
 * starts and every LSR_ALARM_REPEAT_S while it holds, until k; a condition
 * that ends and comes back rings again; a state change chimes once.  Few
 * sounds, each one meaning something, against alarm fatigue. */
#include <math.h>
#include <stddef.h>

#include "alarm.h"

void lsr_alarm_init(struct lsr_alarm *a)
{
	a->active = a->acked = 0;
	a->next_ring = NAN;
	a->chimes = 0;
}

int lsr_alarm_step(struct lsr_alarm *a, unsigned conditions, double clock)
{
	unsigned fresh = conditions & ~a->active;
	a->active = conditions;
	a->acked &= conditions; /* an ended condition is forgotten */
	unsigned ringing = conditions & ~a->acked;
	bool ring = a->chimes > 0;
	a->chimes = 0;
	if (!ringing) {
		a->next_ring = NAN;
	} else if (fresh || isnan(a->next_ring) || clock >= a->next_ring) {
		ring = true;
		a->next_ring = clock + LSR_ALARM_REPEAT_S;
	}
	return ring;
}

void lsr_alarm_ack(struct lsr_alarm *a)
{
	a->acked = a->active;
	a->next_ring = NAN;
}

void lsr_alarm_chime(struct lsr_alarm *a) { a->chimes++; }

unsigned lsr_alarm_first(const struct lsr_alarm *a)
{
	for (unsigned bit = 1; bit & LSR_ALARM_ALL; bit <<= 1)
		if (a->active & bit)
			return bit;
	return 0;
}

const char *lsr_alarm_text(unsigned bit)
{
	switch (bit) {
	case LSR_ALARM_STIM_FAILURE: return "STIMULATION FAILURE";
	case LSR_ALARM_NO_STIMULUS: return "NO STIMULUS";
	case LSR_ALARM_LINK: return "LINK LOST \u2014 CHECK THE AMPLIFIER CABLE";
	case LSR_ALARM_RECORDING: return "RECORDING FAULT \u2014 SEE THE STATUS LINE";
	case LSR_ALARM_INDETERMINATE: return "EVERY LSR CHANNEL INDETERMINATE \u2014 CHECK ELECTRODES";
	default: return "";
	}
}
