// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Byte-string keys to byte-string values: open addressing over one arena. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hash_table.h"
#include "memo.h"
#include "util.h"

/* keys and values start at multiples of this in the arena: values are read as words */
#define MEMO_ALIGN 8

static size_t memo_round(size_t n)
{
	return (n + MEMO_ALIGN - 1) & ~(size_t)(MEMO_ALIGN - 1);
}

struct memo_slot {
	uint64_t hash;
	size_t off;		/* of the key in the arena; the value follows it, aligned */
	uint32_t len;
};

struct memo {
	struct memo_slot *slots;	/* len 0: empty */
	size_t cap;
	size_t used;
	unsigned char *arena;
	size_t arena_len;
	size_t arena_cap;
};

struct memo *memo__new(void)
{
	return calloc(1, sizeof(struct memo));
}

void memo__free(struct memo *m)
{
	if (!m)
		return;
	free(m->slots);
	free(m->arena);
	free(m);
}

static size_t find_slot(const struct memo *m, const void *key, size_t len, uint64_t hash)
{
	size_t i = hash & (m->cap - 1);

	for (; m->slots[i].len; i = (i + 1) & (m->cap - 1)) {
		const struct memo_slot *s = &m->slots[i];

		if (s->hash == hash && s->len == len && !memcmp(m->arena + s->off, key, len))
			break;
	}
	return i;
}

const void *memo__find(const struct memo *m, const void *key, size_t len, uint64_t hash)
{
	const struct memo_slot *s;

	if (!m->cap || !len)
		return NULL;
	s = &m->slots[find_slot(m, key, len, hash)];
	if (!s->len)
		return NULL;
	return m->arena + s->off + memo_round(s->len);
}

static uint64_t memo_slot_hash(const void *slot, const void *ctx)
{
	(void)ctx;
	return ((const struct memo_slot *)slot)->hash;
}

int memo__add(struct memo *m, const void *key, size_t len, uint64_t hash, const void *val,
	      size_t size)
{
	size_t need = memo_round(len) + memo_round(size);
	struct memo_slot *s;
	int err;

	if (!len || len > UINT32_MAX || size > UINT32_MAX)
		return -EINVAL;
	if ((m->used + 1) * 2 > m->cap) {
		err = hash_table__grow((void **)&m->slots, &m->cap, 1024, sizeof(*m->slots),
				       memo_slot_hash, NULL);
		if (err)
			return err;
	}
	err = grow_buf((void **)&m->arena, &m->arena_cap, 1, m->arena_len + need);
	if (err)
		return err;
	s = &m->slots[find_slot(m, key, len, hash)];
	*s = (struct memo_slot){
		.hash = hash, .off = m->arena_len, .len = (uint32_t)len,
	};
	memcpy(m->arena + m->arena_len, key, len);
	memcpy(m->arena + m->arena_len + memo_round(len), val, size);
	m->arena_len += need;
	m->used++;
	return 0;
}
