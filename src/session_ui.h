/* src/session_ui.h — the session's side of the screen: opening it, the
 * key actions, the status facts, and one poll() turn's worth of input and
 * drawing. */
#ifndef LSR_SESSION_UI_H
#define LSR_SESSION_UI_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "driver.h"

struct lsr_session;

/* Loads the layout (--layout, else "standard", else the built-in copy)
 * and applies its [detector] settings; the session calls it at the layout's
 * place in the precedence.  0, or -1 with a message (exit 2). */
int lsr_session_layout(struct lsr_session *s, char *err, size_t errlen);
/* Before anything is opened: a terminal that cannot show the screen is bad
 * usage (exit 2), with a message pointing to --headless. */
int lsr_session_ui_check(char *err, size_t errlen);
/* Starts the screen and puts it on the bus.  0, or -1 with a message. */
int lsr_session_ui_open(struct lsr_session *s, char *err, size_t errlen);
/* A new configuration with its roles in force. */
void lsr_session_ui_config(struct lsr_session *s);
/* A replay seek: the screen forgets the case and is fed it again. */
void lsr_session_ui_restart(struct lsr_session *s);
void lsr_session_ui_block(struct lsr_session *s, int64_t index, const struct lsr_block *blk);
/* Before poll(): adds the keyboard to pfd (returns the slot or -1) and
 * lowers *timeout to when the screen wants its next frame. */
int lsr_session_ui_poll(struct lsr_session *s, struct pollfd *pfd, int *n, int *timeout);
/* After poll(): keys if the slot is readable, then a frame if due. */
void lsr_session_ui_turn(struct lsr_session *s, bool readable);
void lsr_session_ui_close(struct lsr_session *s);

#endif
