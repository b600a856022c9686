/* src/thread.h — starting lsrmon's worker threads. */
#ifndef LSR_THREAD_H
#define LSR_THREAD_H

#include <pthread.h>

/* pthread_create with every signal blocked in the new thread: signals
 * belong to the main thread, whose poll() loop takes them through a
 * self-pipe and expects the EINTR.  Returns pthread_create's result. */
int lsr_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
