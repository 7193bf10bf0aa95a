/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A DIE's attributes found from its abbreviation. dwarf_getattrs() decodes
 * the abbreviation and calls back for every attribute of every DIE; struct
 * members, most of a kernel's DIEs, share a few abbreviations, so where
 * each wanted attribute sits is worked out once per abbreviation and the
 * DIE's bytes are only stepped over. The attributes are libdw's own
 * Dwarf_Attribute, read with libdw's dwarf_form*() as before.
 */
#ifndef D2B_DIE_ATTRS_H
#define D2B_DIE_ATTRS_H

#include <elfutils/libdw.h>
#include <stdbool.h>

struct die_attrs;

/* A reader looking for @nr (at most 32) attributes @names. */
struct die_attrs *die_attrs__new(const unsigned int *names, unsigned int nr, bool little_endian);
void die_attrs__free(struct die_attrs *r);
/* Forgets the abbreviations: call when the libdw handle they belong to ends. */
void die_attrs__reset(struct die_attrs *r);

/*
 * Fills out[i] for each names[i] that @die has and returns their bit set
 * (1 << i), reading no byte at or past @end (the next DIE); -1 when the
 * DIE is not one this reader handles (a form it does not step over, a
 * wanted attribute whose value is in the abbreviation, bytes past @end):
 * then ask libdw.
 */
int64_t die_attrs__read(struct die_attrs *r, Dwarf_Die *die, const void *end,
			Dwarf_Attribute *out);

#endif
