/* src/loop.c — the one poll() loop: it owns every wait (source fd or pace
 * timer, signals through a self-pipe, stdout back-pressure).  Input is
 * processed before anything is drawn or flushed in every turn, so a
 * stimulus's events leave as soon as its sweep is complete. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "session_priv.h"
#include "session_ui.h"

static int signal_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;
	/* Nothing to do if the pipe is full: a stop is already pending. */
	if (write(signal_pipe[1], &b, 1) < 0)
		errno = saved;
	errno = saved;
}

static int install_signals(void)
{
	if (signal_pipe[0] < 0 && pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		if (sigaction(sigs[i], &sa, NULL) < 0)
			return -1;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static bool drain_signals(void)
{
	unsigned char buf[16];
	bool any = false;
	while (read(signal_pipe[0], buf, sizeof buf) > 0)
		any = true;
	return any;
}

/* The recorder's writer thread reports disk faults and clipping through
 * an fd; they become alarm events here, in the session's thread. */
static void recorder_alarms(struct lsr_session *s)
{
	char what[32], text[256];
	while (lsr_recorder_poll_alarm(s->rec, what, sizeof what, text, sizeof text))
		s->env.alarm(s->env.ctx, what, text);
}

/* One turn's poll set: what each slot is (-1: not polled this turn). */
struct turn {
	struct pollfd pfd[8]; /* signals, source, recorder, OSC in, stdout, keyboard */
	int n, src_fd, src_slot, rec_slot, osc_slot, out_slot, ui_slot, timeout;
	bool osc_hold;        /* the source held while an OSC receiver lags */
};

static int add(struct turn *t, int fd, short events)
{
	t->pfd[t->n] = (struct pollfd){ fd, events, 0 };
	return t->n++;
}

/* What this turn waits for, and for how long. */
static void build_poll_set(struct lsr_session *s, int source_wait, struct turn *t)
{
	t->n = 0;
	t->src_slot = t->rec_slot = t->osc_slot = t->out_slot = -1;
	add(t, signal_pipe[0], POLLIN);
	/* Replay/simulation: hold the source while an OSC receiver lags,
	 * so nothing is dropped; look again shortly. */
	t->osc_hold = s->osc && lsr_osc_busy(s->osc);
	t->src_fd = s->source_ended || s->held || t->osc_hold ? -1 : s->src->ops->poll_fd(s->src->st);
	if (t->src_fd >= 0)
		t->src_slot = add(t, t->src_fd, POLLIN);
	if (s->rec)
		t->rec_slot = add(t, lsr_recorder_alarm_fd(s->rec), POLLIN);
	if (s->osc_in)
		t->osc_slot = add(t, lsr_osc_listen_fd(s->osc_in), POLLIN);
	if (s->json && s->live && lsr_jsonl_pending(s->json))
		t->out_slot = add(t, STDOUT_FILENO, POLLOUT);
	t->timeout = s->source_ended || s->held ? -1 : t->osc_hold ? 2 : source_wait;
	t->ui_slot = lsr_session_ui_poll(s, t->pfd, &t->n, &t->timeout);
}

static bool ready(const struct turn *t, int slot, short events)
{
	return slot >= 0 && (t->pfd[slot].revents & events);
}

/* What poll() returned (r) is handled: input first, then output.  False
 * when the session is to stop. */
static bool dispatch(struct lsr_session *s, const struct turn *t, int r, int *source_wait)
{
	if (r > 0 && ready(t, 0, POLLIN) && drain_signals())
		return false;
	if (ready(t, t->rec_slot, POLLIN))
		recorder_alarms(s);
	lsr_session_ui_turn(s, ready(t, t->ui_slot, POLLIN));
	if (s->stop)
		return false;
	bool src_ready = t->src_slot >= 0 && t->pfd[t->src_slot].revents;
	if (!s->source_ended && !s->held && !t->osc_hold &&
	    (src_ready || t->src_fd < 0 || *source_wait == 0 || r == 0)) {
		int w = s->src->ops->pump(s->src->st, lsr_clock_mono(), &s->env);
		if (w == LSR_SOURCE_END)
			s->source_ended = true;
		else
			*source_wait = w;
		if (s->progress.fd >= 0) { /* only for a source with a position */
			double pos, len;
			s->src->ops->position(s->src->st, &pos, &len);
			lsr_progress_update(&s->progress, pos, len, lsr_clock_mono());
		}
	}
	lsr_session_osc_turn(s, t->osc_slot >= 0 && t->pfd[t->osc_slot].revents);
	if (s->json) {
		if (t->out_slot >= 0 || !s->live)
			lsr_jsonl_flush(s->json, false);
		if (lsr_jsonl_failed(s->json))
			return false; /* the reader of our stdout has gone */
	}
	return true;
}

/* After the last turn: end emitted, the recording closed, stdout flushed. */
static int wind_up(struct lsr_session *s)
{
	if (s->progress.fd >= 0 && s->source_ended) {
		double pos, len;
		s->src->ops->position(s->src->st, &pos, &len);
		lsr_progress_done(&s->progress, len);
	}
	lsr_session_finish(s);
	if (s->rec) {
		/* Close now, so that end is in the file and a fault still counts. */
		if (lsr_recorder_close(s->rec) != 0 && s->exit_code == 0)
			s->exit_code = 1; /* the recording is incomplete */
		s->rec = NULL;
	}
	if (s->json)
		lsr_jsonl_flush(s->json, true);
	return s->exit_code;
}

int lsr_session_run(struct lsr_session *s)
{
	if (install_signals() < 0) {
		perror("lsrmon: signals");
		return 1;
	}
	int source_wait = 0;
	struct turn t;
	while (!s->stop) {
		/* Headless: the session ends with its source (or --pause-at). */
		if (s->opt->headless && (s->source_ended || s->held))
			break;
		build_poll_set(s, source_wait, &t);
		int r = poll(t.pfd, (nfds_t)t.n, t.timeout);
		if (r < 0 && errno != EINTR) {
			perror("lsrmon: poll");
			s->exit_code = 1;
			break;
		}
		if (!dispatch(s, &t, r, &source_wait))
			break;
	}
	return wind_up(s);
}
