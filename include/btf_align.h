/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Alignment that DWARF records (DW_AT_alignment, from _Alignas or
 * __attribute__((aligned(N)))) and BTF cannot: a side table keyed by BTF
 * type id and member index, filled by the converter, read by the header
 * writer. Absent when the input is BTF.
 */
#ifndef D2B_BTF_ALIGN_H
#define D2B_BTF_ALIGN_H

#include <stdint.h>

struct btf_align;

/* Member index for the alignment of the type itself. */
#define BTF_ALIGN_TYPE UINT32_MAX

struct btf_align *btf_align__new(void);
void btf_align__free(struct btf_align *a);

/* Records that member @member (or BTF_ALIGN_TYPE) of type @id is aligned to @align bytes. */
int btf_align__add(struct btf_align *a, uint32_t id, uint32_t member, uint32_t align);
/* The recorded alignment, or 0 when DWARF said nothing. */
uint32_t btf_align__get(const struct btf_align *a, uint32_t id, uint32_t member);

#endif
