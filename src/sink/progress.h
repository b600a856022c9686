/* src/sink/progress.h — the progress bar of a headless replay at max speed, on
 * stderr when stderr is a terminal (interface: nothing otherwise). */
#ifndef LSR_PROGRESS_H
#define LSR_PROGRESS_H

#include <stdbool.h>

struct lsr_progress {
	int fd;            /* -1: off */
	double last;       /* monotonic time of the last drawing */
	bool drawn;
};

/* On only when fd is a terminal (or force, for tests). */
void lsr_progress_init(struct lsr_progress *p, int fd, bool force);
/* Draw "\r[####    ]  42%  25.2 / 60.0 s" at most 10 times a second. */
void lsr_progress_update(struct lsr_progress *p, double pos_s, double len_s, double now);
/* The final 100 % and a newline, if anything was drawn. */
void lsr_progress_done(struct lsr_progress *p, double len_s);

#endif
