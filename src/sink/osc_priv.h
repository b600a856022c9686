/* src/sink/osc_priv.h — what the OSC files share inside the module: encoding of
 * events into liblo messages, and label checks. */
#ifndef LSR_OSC_INT_H
#define LSR_OSC_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <lo/lo.h>

#include "event.h"

/* A new message for ev (path: "/lsrmon/" + lsr_event_type_name), or NULL
 * when memory runs out. */
lo_message lsr_osc_encode(const struct lsr_event *ev);

/* /lsrmon/sweep i i f b: stimulus n, channel, rate, little-endian float32
 * samples.  NULL when memory runs out. */
lo_message lsr_osc_encode_sweep(int n, int ch, double rate, const float *raw, int len);

/* The OSC path of an event type ("/lsrmon/stim", …). */
const char *lsr_osc_path(enum lsr_event_type t);

/* Length of the valid UTF-8 sequence at s (1…4), or 0 when it is not one. */
size_t lsr_osc_utf8_len(const unsigned char *s, size_t avail);

#endif
