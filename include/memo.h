/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Values stored by key, both byte strings: what converting a DIE gave,
 * by what the DIE says (die_reader__key), so that the same struct in the
 * next of 2,000 CUs is not converted member by member again.
 */
#ifndef D2B_MEMO_H
#define D2B_MEMO_H

#include <stddef.h>
#include <stdint.h>

struct memo;

struct memo *memo__new(void);
void memo__free(struct memo *m);

/* The value stored under @key (@len bytes, hashed to @hash), or NULL. */
const void *memo__find(const struct memo *m, const void *key, size_t len, uint64_t hash);
/* Stores @val (@size bytes) under @key, which is not in @m yet: 0, -EINVAL, -ENOMEM. */
int memo__add(struct memo *m, const void *key, size_t len, uint64_t hash, const void *val,
	      size_t size);

#endif
