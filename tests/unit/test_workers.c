// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Unit tests for the thread helpers and the shared table doubling: every
 * part runs once, on up to as many threads, and the first failing part in
 * part order decides the result; a background task's result comes back
 * from the join, again on a second join; a table doubled by
 * hash_table__grow() keeps every slot where its hash leads.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash_table.h"
#include "util.h"
#include "workers.h"

#include "check.h"

struct part {
	unsigned int index;
	int ret;		/* what the part returns */
	unsigned int runs;
	pthread_t self;
};

static int run_part(void *arg)
{
	struct part *p = arg;

	p->runs++;
	p->self = pthread_self();
	return p->ret;
}

static void test_run(void)
{
	struct part parts[4];
	unsigned int i, threads = 0, once = 0;
	int ret;

	memset(parts, 0, sizeof(parts));
	for (i = 0; i < 4; i++)
		parts[i].index = i;
	ret = workers__run(4, run_part, parts, sizeof(parts[0]), &threads);
	for (i = 0; i < 4; i++)
		once += parts[i].runs == 1;
	check(ret == 0 && once == 4, "run.each-part-once", "ret %d, %u of 4 ran once", ret, once);
	check(pthread_equal(parts[0].self, pthread_self()), "run.first-part-here",
	      "the first part ran on another thread");
	check(threads >= 1 && threads <= 4, "run.threads", "%u threads", threads);

	memset(parts, 0, sizeof(parts));
	parts[1].ret = -EIO;
	parts[3].ret = -ENOMEM;
	ret = workers__run(4, run_part, parts, sizeof(parts[0]), NULL);
	check(ret == -EIO && parts[3].runs == 1, "run.first-error-in-part-order",
	      "ret %d, the last part ran %u times", ret, parts[3].runs);

	memset(parts, 0, sizeof(parts));
	ret = workers__run(1, run_part, parts, sizeof(parts[0]), &threads);
	check(ret == 0 && parts[0].runs == 1 && threads == 1, "run.one-part",
	      "ret %d, runs %u, threads %u", ret, parts[0].runs, threads);
}

static int task(void *arg)
{
	return *(int *)arg;
}

static void test_task(void)
{
	struct bg_task t = { .started = false };
	int v = -EPIPE, fg, bg, again;

	bg_task__start(&t, task, &v, false);
	fg = bg_task__join(&t);
	bg_task__start(&t, task, &v, true);
	bg = bg_task__join(&t);
	again = bg_task__join(&t);
	check(fg == -EPIPE && bg == -EPIPE && again == -EPIPE, "task.result",
	      "here %d, on a thread %d, joined again %d", fg, bg, again);
}

struct slot {
	uint32_t key;		/* 0: empty */
	uint32_t val;
};

static uint64_t slot_hash(const void *slot, const void *ctx)
{
	(void)ctx;
	return hash_mix(0, ((const struct slot *)slot)->key);
}

static const struct slot *find(const struct slot *t, size_t cap, uint32_t key)
{
	size_t s;

	for (s = hash_mix(0, key) & (cap - 1); t[s].key; s = (s + 1) & (cap - 1))
		if (t[s].key == key)
			return &t[s];
	return NULL;
}

static void test_grow(void)
{
	struct slot *t = NULL;
	size_t cap = 0, used = 0, found = 0;
	uint32_t k;

	for (k = 1; k <= 5000; k++) {
		size_t s;

		if ((used + 1) * 2 > cap &&
		    hash_table__grow((void **)&t, &cap, 16, sizeof(*t), slot_hash, NULL))
			die("out of memory");
		for (s = hash_mix(0, k) & (cap - 1); t[s].key; s = (s + 1) & (cap - 1))
			;
		t[s] = (struct slot){ k, k * 3 };
		used++;
	}
	for (k = 1; k <= 5000; k++) {
		const struct slot *s = find(t, cap, k);

		found += s && s->val == k * 3;
	}
	check(found == 5000 && cap == 16384, "grow.keeps-all", "%zu of 5000 found, %zu slots",
	      found, cap);
	check(!find(t, cap, 5001), "grow.no-stray", "a key never added is found");
	free(t);
}

int main(void)
{
	test_run();
	test_task();
	test_grow();
	return failures ? 1 : 0;
}
