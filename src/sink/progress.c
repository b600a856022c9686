/* src/sink/progress.c — the headless replay progress bar on a terminal's stderr. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "progress.h"

#define WIDTH 40
#define EVERY_S 0.1

void lsr_progress_init(struct lsr_progress *p, int fd, bool force)
{
	p->fd = force || isatty(fd) ? fd : -1;
	p->last = -1e9;
	p->drawn = false;
}

static void draw(struct lsr_progress *p, double pos_s, double len_s)
{
	double f = len_s > 0 ? pos_s / len_s : 0;
	f = f < 0 ? 0 : f > 1 ? 1 : f;
	char bar[WIDTH + 1];
	int full = (int)(f * WIDTH + 0.5);
	memset(bar, '#', (size_t)full);
	memset(bar + full, ' ', (size_t)(WIDTH - full));
	bar[WIDTH] = 0;
	char line[128];
	int n = snprintf(line, sizeof line, "\r[%s] %3d%%  %.1f / %.1f s", bar,
	                 (int)(f * 100 + 0.5), pos_s, len_s);
	/* A terminal that cannot take a line now just misses one frame. */
	if (n > 0 && write(p->fd, line, (size_t)n) == n)
		p->drawn = true;
}

void lsr_progress_update(struct lsr_progress *p, double pos_s, double len_s, double now)
{
	if (p->fd < 0 || now - p->last < EVERY_S)
		return;
	p->last = now;
	draw(p, pos_s, len_s);
}

void lsr_progress_done(struct lsr_progress *p, double len_s)
{
	if (p->fd < 0 || !p->drawn)
		return;
	draw(p, len_s, len_s);
	if (write(p->fd, "\n", 1) < 0) {
		/* the terminal has gone: nothing left to tidy */
	}
}
