/* src/signal/crew.c — the helper thread behind lsr_crew_run (crew.h).
 *
 * A job is one 64-bit word: its number (32 bits), its item count and the
 * next item to claim (16 bits each).  Claiming is a compare-and-swap on
 * the word, so a helper that wakes late, when its job is over and another
 * has begun, cannot take an item of the new job for the old one.  The
 * job's function and context are stored before its word, and read after
 * it: a helper that reads those of a later job than its word's fails its
 * claim. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "crew.h"
#include "thread.h"

struct lsr_crew {
	_Atomic(lsr_crew_fn) fn;   /* the current job's */
	_Atomic(void *) ctx;
	_Atomic uint64_t job;      /* number << 32 | items << 16 | next */
	atomic_int completed;      /* items of the current job done */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	uint32_t posted;           /* under mu: the latest job's number */
	bool started, quit;        /* under mu */
};

/* Claims the next item of job number `number`; -1 when there is none. */
static int claim(struct lsr_crew *w, uint32_t number)
{
	uint64_t cur = atomic_load(&w->job);
	for (;;) {
		uint32_t items = (uint32_t)(cur >> 16) & 0xFFFFu, next = (uint32_t)cur & 0xFFFFu;
		if ((uint32_t)(cur >> 32) != number || next >= items)
			return -1;
		if (atomic_compare_exchange_weak(&w->job, &cur, cur + 1))
			return (int)next;
	}
}

/* Runs the items it can claim; true when it finished the job's last. */
static bool work(struct lsr_crew *w, int who, uint32_t number, int items)
{
	bool last = false;
	lsr_crew_fn fn = atomic_load(&w->fn);
	void *ctx = atomic_load(&w->ctx);
	for (int item; (item = claim(w, number)) >= 0;) {
		fn(ctx, who, item);
		last = atomic_fetch_add(&w->completed, 1) + 1 == items;
	}
	return last;
}

/* How long a thread stays awake for what it waits for before it sleeps
 * (about 0.1–0.3 ms): a trial's jobs (the mains fit's preparation, the
 * sweep's groups, the judge's channels) follow each other within tens of
 * microseconds, and each wake-up of a sleeping thread cost the poster a
 * system call and the sleeper a reschedule — on a virtual machine a
 * twentieth of a 16-channel replay's loop thread. */
#define SPIN_ROUNDS 4000

static inline void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/* The number of a job posted after `seen`, or `seen` when none came
 * within SPIN_ROUNDS. */
static uint32_t spin_for_job(struct lsr_crew *w, uint32_t seen)
{
	for (int i = 0; i < SPIN_ROUNDS; i++) {
		uint32_t number = (uint32_t)(atomic_load(&w->job) >> 32);
		if (number != seen)
			return number;
		relax();
	}
	return seen;
}

static void *helper(void *arg)
{
	struct lsr_crew *w = arg;
	pthread_mutex_lock(&w->mu);
	w->started = true;
	pthread_cond_signal(&w->done);
	pthread_mutex_unlock(&w->mu);
	uint32_t seen = 0;
	for (;;) {
		uint32_t next = spin_for_job(w, seen);
		if (next == seen) {
			pthread_mutex_lock(&w->mu);
			while (w->posted == seen && !w->quit)
				pthread_cond_wait(&w->go, &w->mu);
			bool quit = w->quit;
			next = w->posted;
			pthread_mutex_unlock(&w->mu);
			if (quit)
				break;
		}
		seen = next;
		uint64_t job = atomic_load(&w->job);
		if ((uint32_t)(job >> 32) == seen && work(w, 1, seen, (int)((job >> 16) & 0xFFFFu))) {
			/* the caller may be asleep waiting for this last item */
			pthread_mutex_lock(&w->mu);
			pthread_cond_signal(&w->done);
			pthread_mutex_unlock(&w->mu);
		}
	}
	return NULL;
}

/* Whether this process may run on a second CPU: on one, the helper only
 * takes turns with the caller, and its spinning takes the caller's time. */
static bool second_cpu(void)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	return sched_getaffinity(0, sizeof set, &set) != 0 || CPU_COUNT(&set) > 1;
}

struct lsr_crew *lsr_crew_new(void)
{
	if (!second_cpu())
		return NULL;
	struct lsr_crew *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	atomic_init(&w->fn, NULL);
	atomic_init(&w->ctx, NULL);
	atomic_init(&w->job, 0);
	atomic_init(&w->completed, 0);
	if (pthread_mutex_init(&w->mu, NULL) != 0) {
		free(w);
		return NULL;
	}
	if (pthread_cond_init(&w->go, NULL) != 0)
		goto no_go;
	if (pthread_cond_init(&w->done, NULL) != 0)
		goto no_done;
	if (lsr_thread_start(&w->thread, helper, w) == 0) {
		/* A crew is running when it is returned: the thread's start (its
		 * scheduling, and whatever the C library sets up for a new thread)
		 * is not left to fall inside the first job, live. */
		pthread_mutex_lock(&w->mu);
		while (!w->started)
			pthread_cond_wait(&w->done, &w->mu);
		pthread_mutex_unlock(&w->mu);
		return w;
	}
	pthread_cond_destroy(&w->done);
no_done:
	pthread_cond_destroy(&w->go);
no_go:
	pthread_mutex_destroy(&w->mu);
	free(w);
	return NULL;
}

void lsr_crew_run(struct lsr_crew *w, lsr_crew_fn fn, void *ctx, int items)
{
	if (items < 1 || items > 0xFFFF || !fn)
		return;
	pthread_mutex_lock(&w->mu);
	uint32_t number = ++w->posted;
	atomic_store(&w->fn, fn);
	atomic_store(&w->ctx, ctx);
	atomic_store(&w->completed, 0);
	atomic_store(&w->job, (uint64_t)number << 32 | (uint64_t)items << 16);
	pthread_cond_signal(&w->go);
	pthread_mutex_unlock(&w->mu);
	work(w, 0, number, items);
	for (int i = 0; i < SPIN_ROUNDS; i++) {
		if (atomic_load(&w->completed) == items)
			return;
		relax();
	}
	/* The helper is finishing an item it claimed. */
	pthread_mutex_lock(&w->mu);
	while (atomic_load(&w->completed) < items)
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
