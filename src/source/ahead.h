/* src/source/ahead.h — a replay's decoding on its own thread, a bounded distance
 * ahead of the loop.
 *
 * Why: reading a capture, checking its CRCs and converting its samples is
 * a third of a 16-channel replay's work and does not depend on the
 * detector; on a second core it overlaps the detector instead of adding
 * to it.  What the decoder hands its sink (configurations, blocks,
 * labels) is copied into a ring and handed, in the same order, to the
 * loop's sink when the loop drains it; the decoder waits while the ring
 * is full (a paused replay decodes nothing).  The decoder's driver
 * counters travel with the data, so the loop's figures match what it has
 * been handed. */
#ifndef LSR_AHEAD_H
#define LSR_AHEAD_H

#include <stdbool.h>
#include <stddef.h>

#include "driver.h"
#include "source.h"

struct lsr_ahead;

/* On the decoding thread: decode the next piece into sink and leave the
 * driver's counters in stats; false when there is nothing more. */
typedef bool (*lsr_ahead_step_fn)(void *ctx, const struct lsr_source_sink *sink,
                                  struct lsr_driver_stats *stats);

/* On the decoding thread, in a step, with the sink the step was handed:
 * room in the ring for a block of channels × nsamp floats (channel-major,
 * channel c at [c × nsamp]) and *marks for its nsamp marks, which the step
 * fills before it hands anything else to the sink; the block then goes to
 * the loop as if handed to sink->block.  Why: the decoder's samples are
 * written once, where the loop reads them, instead of copied there.  NULL
 * when the sink is not a decoder's, the sizes are out of range or the
 * replay is stopping (hand the block to sink->block instead). */
float *lsr_ahead_block_room(const struct lsr_source_sink *sink, uint64_t index, int nsamp,
                            int channels, uint8_t **marks);

/* Takes back the room of the last lsr_ahead_block_room, unfilled (a read
 * that failed): nothing of it reaches the loop. */
void lsr_ahead_block_drop(const struct lsr_source_sink *sink);

/* Starts the thread; ctx belongs to it until lsr_ahead_stop.  NULL (and
 * a message) when no thread or memory can be had. */
struct lsr_ahead *lsr_ahead_start(lsr_ahead_step_fn step, void *ctx, char *err, size_t errlen);

/* For a source's pump: starts *a when it is not running (the first pump,
 * or the first after a rewind).  False when it cannot: the reason goes to
 * env's alarm (what "replay", counted and shown) and the replay ends. */
bool lsr_ahead_ensure(struct lsr_ahead **a, lsr_ahead_step_fn step, void *ctx,
                      const struct lsr_source_env *env);

/* Readable when lsr_ahead_drain has returned LSR_AHEAD_EMPTY and there is
 * something again. */
int lsr_ahead_fd(const struct lsr_ahead *a);

enum lsr_ahead_status {
	LSR_AHEAD_MORE,  /* stopped by the budget or by go_on: call again */
	LSR_AHEAD_EMPTY, /* all handed on; wait for the fd */
	LSR_AHEAD_END,   /* the decoder has finished and all is handed on */
};

/* Hands what is decoded to sink, in order, while go_on(go_ctx) allows it
 * (NULL: always), about budget bytes of it at most; stats receives the
 * decoder's counters as of the last data handed on. */
enum lsr_ahead_status lsr_ahead_drain(struct lsr_ahead *a, const struct lsr_source_sink *sink,
                                      bool (*go_on)(void *go_ctx), void *go_ctx, size_t budget,
                                      struct lsr_driver_stats *stats);

/* Stops the thread (what it had not handed on is dropped) and frees a;
 * ctx is the caller's again.  NULL is fine. */
void lsr_ahead_stop(struct lsr_ahead *a);

#endif
