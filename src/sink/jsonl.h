/* src/sink/jsonl.h — the JSON Lines event sink of --headless. */
#ifndef LSR_JSONL_H
#define LSR_JSONL_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"

struct lsr_jsonl;

/* live: a live port — never block; lines beyond the bounded buffer are
 * dropped and counted.  Otherwise every line is written (blocking). */
struct lsr_jsonl *lsr_jsonl_new(int fd, bool live);
void lsr_jsonl_free(struct lsr_jsonl *j);
const struct lsr_sink *lsr_jsonl_sink(struct lsr_jsonl *j);
/* Write what is pending; block = wait for a non-blocking fd to drain.
 * -1 once the output failed for good (the reader went away). */
int lsr_jsonl_flush(struct lsr_jsonl *j, bool block);
bool lsr_jsonl_pending(const struct lsr_jsonl *j);
bool lsr_jsonl_failed(const struct lsr_jsonl *j);
/* Lines dropped so far (end.stats.output_dropped adds them itself). */
uint64_t lsr_jsonl_dropped(const struct lsr_jsonl *j);

#endif
