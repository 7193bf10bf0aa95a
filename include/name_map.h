/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A map from 64-bit keys (never 0) to 32-bit values, open addressing with
 * linear probing, kept at most half full: the project's one table of that
 * shape. Keyed by (kind, name) for deduplication (the definitions of each
 * name) and the encoder (the FUNCs of each name), by DIE (DIEs of other
 * units) and by the address of libdw's strings (their offsets) for the
 * converter, by (type, member) for btf_align.c. Inline, as deduplication
 * and the encoder probe it once per node of the graph, the converter once
 * per name.
 */
#ifndef D2B_NAME_MAP_H
#define D2B_NAME_MAP_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct name_map {
	uint64_t *keys;		/* 0 = empty */
	uint32_t *vals;
	size_t mask;
	size_t nr;		/* keys in it */
};

static inline uint64_t name_map_key(uint8_t kind, uint32_t name)
{
	return ((uint64_t)kind << 32 | name) + 1;
}

/* The value of @key, NULL if it has none. */
static inline const uint32_t *name_map__find_key(const struct name_map *m, uint64_t key)
{
	size_t s = hash_mix(0, key) & m->mask;

	while (m->keys[s] && m->keys[s] != key)
		s = (s + 1) & m->mask;
	return m->keys[s] ? &m->vals[s] : NULL;
}

/* The value of (@kind, @name), NULL if it has none. */
static inline const uint32_t *name_map__find(const struct name_map *m, uint8_t kind,
					     uint32_t name)
{
	return name_map__find_key(m, name_map_key(kind, name));
}

/* A map with room for @nr keys at most half full. */
static inline int name_map__init(struct name_map *m, size_t nr)
{
	size_t slots = 1024;

	while (slots < nr * 2)
		slots *= 2;
	m->mask = slots - 1;
	m->nr = 0;
	m->keys = zalloc(slots, sizeof(*m->keys));
	m->vals = malloc(slots * sizeof(*m->vals));
	return m->keys && m->vals ? 0 : -ENOMEM;
}

static inline void name_map__free(struct name_map *m)
{
	free(m->keys);
	free(m->vals);
}

/*
 * The value of @key, added (not set) if missing: *@found says which. Needs
 * name_map__room() first.
 */
static inline uint32_t *name_map__slot_key(struct name_map *m, uint64_t key, bool *found)
{
	size_t s = hash_mix(0, key) & m->mask;

	while (m->keys[s] && m->keys[s] != key)
		s = (s + 1) & m->mask;
	*found = m->keys[s] == key;
	m->nr += !*found;
	m->keys[s] = key;
	return &m->vals[s];
}

static inline uint32_t *name_map__slot(struct name_map *m, uint8_t kind, uint32_t name,
				       bool *found)
{
	return name_map__slot_key(m, name_map_key(kind, name), found);
}

/* Empties the map, keeping its room. */
static inline void name_map__clear(struct name_map *m)
{
	memset(m->keys, 0, (m->mask + 1) * sizeof(*m->keys));
	m->nr = 0;
}

/*
 * Doubles the map once it is half full, or makes a zeroed one: false when
 * out of memory.
 */
static inline bool name_map__room(struct name_map *m)
{
	struct name_map bigger;
	size_t s;

	if ((m->nr + 1) * 2 <= m->mask + 1)
		return true;
	if (name_map__init(&bigger, m->mask + 1)) {
		name_map__free(&bigger);
		return false;
	}
	for (s = 0; m->keys && s <= m->mask; s++) {
		uint64_t key = m->keys[s];
		size_t t;

		if (!key)
			continue;
		for (t = hash_mix(0, key) & bigger.mask; bigger.keys[t]; t = (t + 1) & bigger.mask)
			;
		bigger.keys[t] = key;
		bigger.vals[t] = m->vals[s];
	}
	bigger.nr = m->nr;
	name_map__free(m);
	*m = bigger;
	return true;
}

#endif
