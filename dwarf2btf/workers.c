// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The threads of every parallel stage (workers.h). A thread that cannot be
 * started costs parallelism, never the result: its part runs on the caller.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "workers.h"

static void *bg_task_main(void *arg)
{
	struct bg_task *t = arg;

	t->ret = t->fn(t->arg);
	return NULL;
}

/* Each part other than the first is a task of its own (struct bg_task). */
int workers__run(unsigned int nr, int (*fn)(void *part), void *parts, size_t size,
		 unsigned int *nr_threads)
{
	struct bg_task *p = calloc(nr ? nr : 1, sizeof(*p));
	unsigned int i, started = 0;
	int ret = 0;

	if (!p)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		p[i].fn = fn;
		p[i].arg = (char *)parts + i * size;
	}
	for (i = 1; i < nr; i++) {
		if (pthread_create(&p[i].thread, NULL, bg_task_main, &p[i]))
			break;
		p[i].started = true;
		started++;
	}
	for (i = 0; i < nr; i++)
		if (!p[i].started)
			p[i].ret = fn(p[i].arg);
	for (i = 0; i < nr; i++) {
		bg_task__join(&p[i]);
		if (!ret)
			ret = p[i].ret;
	}
	if (nr_threads)
		*nr_threads = started + 1;
	free(p);
	return ret;
}

void bg_task__start(struct bg_task *t, int (*fn)(void *arg), void *arg, bool background)
{
	t->fn = fn;
	t->arg = arg;
	t->ret = 0;
	t->started = background && !pthread_create(&t->thread, NULL, bg_task_main, t);
	if (!t->started)
		t->ret = fn(arg);
}

int bg_task__join(struct bg_task *t)
{
	if (t->started)
		pthread_join(t->thread, NULL);
	t->started = false;
	return t->ret;
}
