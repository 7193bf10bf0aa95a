// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Alignment side table: open addressing on (type id, member index). */
#include <errno.h>
#include <stdlib.h>

#include "btf_align.h"
#include "util.h"

struct btf_align {
	uint64_t *keys;		/* id << 32 | member, + 1; 0 = empty */
	uint32_t *vals;
	size_t cap;
	size_t used;
};

static uint64_t align_key(uint32_t id, uint32_t member)
{
	return ((uint64_t)id << 32 | member) + 1;
}

struct btf_align *btf_align__new(void)
{
	return calloc(1, sizeof(struct btf_align));
}

void btf_align__free(struct btf_align *a)
{
	if (!a)
		return;
	free(a->keys);
	free(a->vals);
	free(a);
}

static size_t slot_of(const struct btf_align *a, uint64_t key)
{
	size_t s = hash_mix(0, key) & (a->cap - 1);

	while (a->keys[s] && a->keys[s] != key)
		s = (s + 1) & (a->cap - 1);
	return s;
}

static int btf_align_grow(struct btf_align *a)
{
	struct btf_align n = { .cap = a->cap ? a->cap * 2 : 64 };
	size_t i;

	n.keys = zalloc(n.cap, sizeof(*n.keys));
	n.vals = malloc(n.cap * sizeof(*n.vals));
	if (!n.keys || !n.vals) {
		free(n.keys);
		free(n.vals);
		return -ENOMEM;
	}
	for (i = 0; i < a->cap; i++) {
		size_t s;

		if (!a->keys[i])
			continue;
		s = slot_of(&n, a->keys[i]);
		n.keys[s] = a->keys[i];
		n.vals[s] = a->vals[i];
	}
	free(a->keys);
	free(a->vals);
	a->keys = n.keys;
	a->vals = n.vals;
	a->cap = n.cap;
	return 0;
}

int btf_align__add(struct btf_align *a, uint32_t id, uint32_t member, uint32_t align)
{
	uint64_t key = align_key(id, member);
	size_t s;
	int err;

	if ((a->used + 1) * 2 > a->cap) {
		err = btf_align_grow(a);
		if (err)
			return err;
	}
	s = slot_of(a, key);
	if (!a->keys[s]) {
		a->keys[s] = key;
		a->used++;
	}
	a->vals[s] = align;
	return 0;
}

uint32_t btf_align__get(const struct btf_align *a, uint32_t id, uint32_t member)
{
	size_t s;

	if (!a || !a->cap)
		return 0;
	s = slot_of(a, align_key(id, member));
	return a->keys[s] ? a->vals[s] : 0;
}
