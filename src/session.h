/* src/session.h — one monitoring session: a source, the detector and the
 * sinks, tied together by the stream clock. */
#ifndef LSR_SESSION_H
#define LSR_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

struct lsr_session;

/* Opens everything the options name.  NULL with a message and the exit
 * status (2: bad input, 1: runtime failure) on failure. */
struct lsr_session *lsr_session_new(const struct lsr_options *o, char *err,
                                    size_t errlen, int *exit_code);
/* Runs the poll() loop until the source ends (headless), the user quits or
 * a signal stops it.  Returns the exit status. */
int lsr_session_run(struct lsr_session *s);
void lsr_session_free(struct lsr_session *s);

#endif
