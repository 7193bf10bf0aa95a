/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Threads for the parallel stages: the parts of a job run on up to as many
 * threads and joined, or one task run in the background. All state is in
 * the caller's structs.
 */
#ifndef D2B_WORKERS_H
#define D2B_WORKERS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/*
 * Runs @fn on each of the @nr parts of @size bytes at @parts: the first on
 * the calling thread, each other on a thread of its own, or, from the first
 * that no thread could be started for, on the calling thread after the
 * first part. Returns once all are done: the first nonzero result in part
 * order, 0, or -ENOMEM before any part ran. *@nr_threads (may be NULL):
 * the threads that ran parts, the caller's included.
 */
int workers__run(unsigned int nr, int (*fn)(void *part), void *parts, size_t size,
		 unsigned int *nr_threads);

/* One task on a thread of its own while the caller goes on. */
struct bg_task {
	pthread_t thread;
	bool started;
	int (*fn)(void *arg);
	void *arg;
	int ret;
};

/*
 * Starts fn(@arg) on a thread of its own when @background and a thread can
 * be started, or runs it here and now.
 */
void bg_task__start(struct bg_task *t, int (*fn)(void *arg), void *arg, bool background);
/* Waits for the task if it runs on a thread; its result. Again: the same result. */
int bg_task__join(struct bg_task *t);

#endif
