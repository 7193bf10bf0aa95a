/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Byte-order conversion of raw BTF, shared by the reader (foreign blob to
 * host order) and the writer (host order to the other byte order).
 *
 * Every field of every type record, fixed part and trailing data alike,
 * is a 32-bit word, so a record is converted by swapping each of its
 * words; the only per-kind knowledge needed is the record's length, which
 * btf_kind_extra_size() gives.
 */
#ifndef D2B_BTF_SWAP_H
#define D2B_BTF_SWAP_H

#include <stdbool.h>
#include <stdint.h>

#include "btf.h"

static inline void btf_header_swap(struct btf_header *hdr)
{
	hdr->magic = __builtin_bswap16(hdr->magic);
	hdr->hdr_len = __builtin_bswap32(hdr->hdr_len);
	hdr->type_off = __builtin_bswap32(hdr->type_off);
	hdr->type_len = __builtin_bswap32(hdr->type_len);
	hdr->str_off = __builtin_bswap32(hdr->str_off);
	hdr->str_len = __builtin_bswap32(hdr->str_len);
}

/*
 * Length in bytes of the record starting with @t, whose info word is in
 * the opposite byte order when @foreign; -1 for a kind that does not exist.
 */
static inline long btf_type_rec_len(const struct btf_type *t, bool foreign)
{
	uint32_t info = foreign ? __builtin_bswap32(t->info) : t->info;
	long extra = btf_kind_extra_size(BTF_INFO_KIND(info), BTF_INFO_VLEN(info));

	return extra < 0 ? -1 : (long)sizeof(*t) + extra;
}

/*
 * Swap the record at @rec in place. @foreign says which order it is in
 * now: the opposite one (kind and vlen are read after swapping info) or
 * the host's (they are read before). The caller has checked, with
 * btf_type_rec_len(), that the whole record is there. Returns the record
 * length, or -1 for an unknown kind (nothing is swapped then).
 */
static inline long btf_type_swap(void *rec, bool foreign)
{
	long len = btf_type_rec_len(rec, foreign);
	uint32_t *w = rec;
	long i;

	if (len < 0)
		return -1;
	for (i = 0; i < len / 4; i++)
		w[i] = __builtin_bswap32(w[i]);
	return len;
}

#endif
