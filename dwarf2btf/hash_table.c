// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* The shared doubling of open-addressing tables (hash_table.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash_table.h"
#include "util.h"

static bool hash_table_used(const unsigned char *slot, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		if (slot[i])
			return true;
	return false;
}

int hash_table__grow(void **slots, size_t *cap, size_t first, size_t size,
		     uint64_t (*hash)(const void *slot, const void *ctx), const void *ctx)
{
	size_t ncap = *cap ? *cap * 2 : first, mask = ncap - 1, i;
	const unsigned char *old = *slots;
	unsigned char *table;

	if (ncap < *cap || !size || ncap > SIZE_MAX / size)
		return -ENOMEM;
	table = zalloc(ncap, size);
	if (!table)
		return -ENOMEM;
	for (i = 0; i < *cap; i++) {
		const unsigned char *slot = old + i * size;
		size_t s;

		if (!hash_table_used(slot, size))
			continue;
		for (s = hash(slot, ctx) & mask; hash_table_used(table + s * size, size);
		     s = (s + 1) & mask)
			;
		memcpy(table + s * size, slot, size);
	}
	free(*slots);
	*slots = table;
	*cap = ncap;
	return 0;
}
