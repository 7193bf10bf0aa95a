// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * String set: an append-only buffer of NUL-terminated strings and an
 * open-addressing hash table of their offsets. The table stores offsets
 * and hashes only; the key is found again in the buffer, so each string
 * costs its bytes plus one slot of 8.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hash_table.h"
#include "strset.h"
#include "util.h"

/*
 * A slot holds the offset + 1 (0: empty) and the low 32 bits of the hash,
 * which also place it: a probe passes other strings without reading them
 * (each a cache miss in a large set), and growing rehashes nothing.
 */
struct str_slot {
	uint32_t off1;
	uint32_t hash;
};

struct strset {
	char *data;
	size_t len;
	size_t cap;
	struct str_slot *slots;
	size_t nslots;		/* power of two */
	size_t nused;
};

static uint32_t str_hash(const char *s, size_t len)
{
	return (uint32_t)hash_bytes(s, len, 0);
}

struct strset *strset__new(void)
{
	struct strset *set = calloc(1, sizeof(*set));

	if (!set)
		return NULL;
	set->cap = 4096;
	set->data = malloc(set->cap);
	set->nslots = 1024;
	set->slots = zalloc(set->nslots, sizeof(*set->slots));
	if (!set->data || !set->slots) {
		strset__free(set);
		return NULL;
	}
	set->data[0] = '\0';
	set->len = 1;
	return set;
}

void strset__free(struct strset *set)
{
	if (!set)
		return;
	free(set->data);
	free(set->slots);
	free(set);
}

static bool lookup_slot(const struct strset *set, const char *str, size_t len,
			uint32_t h, size_t *pos)
{
	size_t mask = set->nslots - 1;
	size_t i = h & mask;

	for (;;) {
		const struct str_slot *sl = &set->slots[i];

		if (!sl->off1) {
			*pos = i;
			return false;
		}
		if (sl->hash == h && !strncmp(set->data + sl->off1 - 1, str, len) &&
		    set->data[sl->off1 - 1 + len] == '\0') {
			*pos = i;
			return true;
		}
		i = (i + 1) & mask;
	}
}

static uint64_t str_slot_hash(const void *slot, const void *ctx)
{
	(void)ctx;
	return ((const struct str_slot *)slot)->hash;
}

int64_t strset__add_len(struct strset *set, const char *str, size_t len)
{
	uint32_t h;
	size_t pos;
	size_t off;
	int err;

	if (!len)
		return 0;
	h = str_hash(str, len);
	if (lookup_slot(set, str, len, h, &pos))
		return set->slots[pos].off1 - 1;
	/* offsets must fit the u32 name_off and our offset+1 slot encoding */
	if (set->len + len + 1 >= UINT32_MAX)
		return -E2BIG;
	err = grow_buf((void **)&set->data, &set->cap, 1, set->len + len + 1);
	if (err)
		return err;
	memcpy(set->data + set->len, str, len);
	set->data[set->len + len] = '\0';
	off = set->len;
	set->slots[pos] = (struct str_slot){ .off1 = (uint32_t)off + 1, .hash = h };
	set->len += len + 1;
	if (++set->nused * 4 > set->nslots * 3) {
		err = hash_table__grow((void **)&set->slots, &set->nslots, 1, sizeof(*set->slots),
				       str_slot_hash, NULL);
		if (err)
			return err;
	}
	return off;
}

int64_t strset__add(struct strset *set, const char *str)
{
	return strset__add_len(set, str, strlen(str));
}

int64_t strset__find(const struct strset *set, const char *str)
{
	size_t len = strlen(str), pos;

	if (!len)
		return 0;
	if (lookup_slot(set, str, len, str_hash(str, len), &pos))
		return set->slots[pos].off1 - 1;
	return -ENOENT;
}

const char *strset__str(const struct strset *set, uint32_t off)
{
	return off < set->len ? set->data + off : NULL;
}

const char *strset__data(const struct strset *set, uint32_t *size)
{
	*size = (uint32_t)set->len;
	return set->data;
}

uint32_t strset__size(const struct strset *set)
{
	return (uint32_t)set->len;
}

int strset__new_raw(const char *data, size_t len, struct strset **out)
{
	struct strset *set;
	size_t off, nstr = 0, nslots = 1024;

	/*
	 * Offsets must stay what the blob says, so the bytes go in unchanged.
	 * A split BTF's strings need not start with "" (the base's do).
	 */
	if (!len || data[len - 1] || len >= UINT32_MAX)
		return -EINVAL;
	for (off = 0; off < len; off++)
		if (!data[off] && (!off || data[off - 1]))
			nstr++;
	while (nslots * 3 < nstr * 4 + 4)
		nslots *= 2;

	set = calloc(1, sizeof(*set));
	if (!set)
		return -ENOMEM;
	set->cap = len;
	set->data = malloc(len);
	set->nslots = nslots;
	set->slots = zalloc(nslots, sizeof(*set->slots));
	if (!set->data || !set->slots) {
		strset__free(set);
		return -ENOMEM;
	}
	memcpy(set->data, data, len);
	set->len = len;

	/* index each string where it starts; a repeated one keeps its first offset */
	for (off = 0; off < len; off++) {
		size_t slen, pos;
		uint32_t h;

		if (!data[off])
			continue;
		slen = strlen(data + off);
		h = str_hash(data + off, slen);
		if (!lookup_slot(set, data + off, slen, h, &pos)) {
			set->slots[pos] = (struct str_slot){ .off1 = (uint32_t)off + 1, .hash = h };
			set->nused++;
		}
		off += slen;
	}
	*out = set;
	return 0;
}
