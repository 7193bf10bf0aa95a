/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Growing the project's open-addressing tables: arrays of fixed-size slots,
 * all-zero bytes when empty, a power of two of them, linear probing. Their
 * keys differ (kept in the slot, behind an offset into an arena, or implicit
 * in a node's hash), so each table probes with its own inline loop, the fast
 * path; the rare doubling, which only needs each slot's hash, is shared.
 * Tables of 64-bit keys and 32-bit values are name_map.h's.
 */
#ifndef D2B_HASH_TABLE_H
#define D2B_HASH_TABLE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Doubles the table *@slots of *@cap slots of @size bytes (makes one of
 * @first slots when *@cap is 0): each used slot goes to the first free slot
 * from @hash(slot, @ctx) in the new table. 0, or -ENOMEM with the table
 * unchanged.
 */
int hash_table__grow(void **slots, size_t *cap, size_t first, size_t size,
		     uint64_t (*hash)(const void *slot, const void *ctx), const void *ctx);

#endif
