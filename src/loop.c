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

int lsr_session_run(struct lsr_session *s)
{
	if (install_signals() < 0) {
		perror("lsrmon: signals");
		return 1;
	}
	int source_wait = 0;
	while (!s->stop) {
		struct pollfd pfd[8]; /* signals, source, OSC in, recorder, stdout, keyboard */
		int n = 0;
		pfd[n++] = (struct pollfd){ signal_pipe[0], POLLIN, 0 };
		/* Replay/simulation: hold the source while an OSC receiver lags,
		 * so nothing is dropped; look again shortly. */
		bool osc_hold = s->osc && lsr_osc_busy(s->osc);
		int src_fd = s->source_ended || s->held || osc_hold ? -1 : s->src->ops->poll_fd(s->src->st);
		int src_slot = -1;
		if (src_fd >= 0) {
			src_slot = n;
			pfd[n++] = (struct pollfd){ src_fd, POLLIN, 0 };
		}
		int rec_slot = -1;
		if (s->rec) {
			rec_slot = n;
			pfd[n++] = (struct pollfd){ lsr_recorder_alarm_fd(s->rec), POLLIN, 0 };
		}
		int osc_slot = -1;
		if (s->osc_in) {
			osc_slot = n;
			pfd[n++] = (struct pollfd){ lsr_osc_listen_fd(s->osc_in), POLLIN, 0 };
		}
		int out_slot = -1;
		if (s->json && s->live && lsr_jsonl_pending(s->json)) {
			out_slot = n;
			pfd[n++] = (struct pollfd){ STDOUT_FILENO, POLLOUT, 0 };
		}
		int timeout = s->source_ended || s->held ? -1 : osc_hold ? 2 : source_wait;
		if (s->source_ended || s->held) {
			/* Headless: the session ends with its source (or --pause-at). */
			if (s->opt->headless)
				break;
		}
		int ui_slot = lsr_session_ui_poll(s, pfd, &n, &timeout);
		int r = poll(pfd, (nfds_t)n, timeout);
		if (r < 0 && errno != EINTR) {
			perror("lsrmon: poll");
			s->exit_code = 1;
			break;
		}
		if (r > 0 && (pfd[0].revents & POLLIN) && drain_signals())
			break;

		if (rec_slot >= 0 && (pfd[rec_slot].revents & POLLIN))
			recorder_alarms(s);
		lsr_session_ui_turn(s, ui_slot >= 0 && (pfd[ui_slot].revents & POLLIN));
		if (s->stop)
			break;
		bool src_ready = src_slot >= 0 && pfd[src_slot].revents;
		if (!s->source_ended && !s->held && !osc_hold && (src_ready || src_fd < 0 || source_wait == 0 || r == 0)) {
			int w = s->src->ops->pump(s->src->st, lsr_clock_mono(), &s->env);
			if (w == LSR_SOURCE_END)
				s->source_ended = true;
			else
				source_wait = w;
			if (s->progress.fd >= 0) { /* only for a source with a position */
				double pos, len;
				s->src->ops->position(s->src->st, &pos, &len);
				lsr_progress_update(&s->progress, pos, len, lsr_clock_mono());
			}
		}
		lsr_session_osc_turn(s, osc_slot >= 0 && pfd[osc_slot].revents);
		if (s->json) {
			if (out_slot >= 0 || !s->live)
				lsr_jsonl_flush(s->json, false);
			if (lsr_jsonl_failed(s->json))
				break; /* the reader of our stdout has gone */
		}
	}
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
