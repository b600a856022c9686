/* src/crew.c — the helper thread behind lsr_crew_run (crew.h). */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>

#include "crew.h"

struct lsr_crew {
	lsr_crew_fn fn;
	void *ctx;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	unsigned long posted, finished; /* jobs handed to the helper, and done */
	bool quit;
};

static void *helper(void *arg)
{
	struct lsr_crew *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (w->finished == w->posted && !w->quit)
			pthread_cond_wait(&w->go, &w->mu);
		if (w->quit)
			break;
		pthread_mutex_unlock(&w->mu);
		w->fn(w->ctx, 1);
		pthread_mutex_lock(&w->mu);
		w->finished = w->posted;
		pthread_cond_signal(&w->done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

struct lsr_crew *lsr_crew_new(lsr_crew_fn fn, void *ctx)
{
	struct lsr_crew *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->fn = fn;
	w->ctx = ctx;
	if (pthread_mutex_init(&w->mu, NULL) != 0) {
		free(w);
		return NULL;
	}
	if (pthread_cond_init(&w->go, NULL) != 0)
		goto no_go;
	if (pthread_cond_init(&w->done, NULL) != 0)
		goto no_done;
	/* Signals stay with the main thread: its poll() loop handles them
	 * through a self-pipe and expects the EINTR. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int r = pthread_create(&w->thread, NULL, helper, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r == 0)
		return w;
	pthread_cond_destroy(&w->done);
no_done:
	pthread_cond_destroy(&w->go);
no_go:
	pthread_mutex_destroy(&w->mu);
	free(w);
	return NULL;
}

void lsr_crew_run(struct lsr_crew *w)
{
	pthread_mutex_lock(&w->mu);
	w->posted++;
	pthread_cond_signal(&w->go);
	pthread_mutex_unlock(&w->mu);
	w->fn(w->ctx, 0);
	pthread_mutex_lock(&w->mu);
	while (w->finished != w->posted)
		pthread_cond_wait(&w->done, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

void lsr_crew_free(struct lsr_crew *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->quit = true;
	pthread_cond_signal(&w->go);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->go);
	pthread_cond_destroy(&w->done);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
