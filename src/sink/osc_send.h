/* src/sink/osc_send.h — one OSC destination (URL, bounded queue, sender
 * thread) and the alarm queue its thread reports into; internal to the OSC
 * module. */
#ifndef LSR_OSC_SEND_H
#define LSR_OSC_SEND_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <lo/lo.h>

#define LSR_OSC_ALARMS 32
#define LSR_OSC_ALARM_TEXT 200

struct lsr_osc_alarms {
	pthread_mutex_t mu;
	int first, count;
	char text[LSR_OSC_ALARMS][LSR_OSC_ALARM_TEXT];
};

void lsr_osc_alarms_init(struct lsr_osc_alarms *a);
void lsr_osc_alarms_destroy(struct lsr_osc_alarms *a);
bool lsr_osc_alarms_pop(struct lsr_osc_alarms *a, char *text, size_t len);

struct lsr_osc_dest;

struct lsr_osc_dest_counts {
	uint64_t sent, dropped, failures;
	size_t queued;
	bool failing;
	char err[160];
};

/* Checks the URL (no name resolution); NULL with a message naming it. */
struct lsr_osc_dest *lsr_osc_dest_new(const char *url, struct lsr_osc_alarms *alarms,
                                      char *err, size_t errlen);
int lsr_osc_dest_start(struct lsr_osc_dest *d);
const char *lsr_osc_dest_url(const struct lsr_osc_dest *d);
bool lsr_osc_dest_multicast(const struct lsr_osc_dest *d);
/* Takes ownership of b; a full queue drops its oldest bundle. */
void lsr_osc_dest_push(struct lsr_osc_dest *d, lo_bundle b);
bool lsr_osc_dest_busy(struct lsr_osc_dest *d);
void lsr_osc_dest_counts(struct lsr_osc_dest *d, struct lsr_osc_dest_counts *c);
/* Stop: ask every thread first, then join each by one shared deadline
 * (CLOCK_MONOTONIC), then free.  When join returns false the thread is
 * still blocked in a send: it has been left to free d itself, and the
 * caller must not. */
void lsr_osc_dest_request_stop(struct lsr_osc_dest *d);
bool lsr_osc_dest_join(struct lsr_osc_dest *d, const struct timespec *deadline);
void lsr_osc_dest_free(struct lsr_osc_dest *d);

#endif
