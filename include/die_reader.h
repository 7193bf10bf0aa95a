/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The DIEs of one unit, stepped through by their abbreviations. libdw
 * looks up each DIE's abbreviation in a table under a lock, and steps over
 * attributes by decoding the abbreviation each time; a kernel has 14
 * million DIEs and a few hundred abbreviations per unit. The reader
 * learns the unit's abbreviations once (code, tag, where each attribute
 * sits), then steps and finds attributes by table. It hands out libdw's
 * own Dwarf_Die (with its abbreviation filled in, so libdw's calls on it
 * skip the lookup) and Dwarf_Attribute, read with libdw's dwarf_form*().
 *
 * Each call does as libdw's namesake does, and falls back to it for DIEs
 * of other units and whatever the reader does not handle (DW_FORM_indirect
 * and unknown forms, values kept in the abbreviation, DWARF 4 type units,
 * a DW_AT_sibling that does not point forward within the unit).
 */
#ifndef D2B_DIE_READER_H
#define D2B_DIE_READER_H

#include <elfutils/libdw.h>
#include <stdbool.h>
#include <stdint.h>

struct die_reader;

/* A reader whose die_reader__read() looks for @nr (at most 32) attributes @names. */
struct die_reader *die_reader__new(const unsigned int *names, unsigned int nr,
				   bool little_endian);
void die_reader__free(struct die_reader *r);

/*
 * Reads the abbreviations of the unit of @cudie. 0, or negative errno:
 * then libdw reads this unit alone (as for a unit never begun).
 */
int die_reader__begin_unit(struct die_reader *r, Dwarf_Die *cudie);
/* Forgets the unit: call before its libdw handle ends. */
void die_reader__end_unit(struct die_reader *r);

/* dwarf_child(), dwarf_siblingof(): 0, 1 (none), or -1 (error) */
int die_reader__child(struct die_reader *r, Dwarf_Die *die, Dwarf_Die *child);
int die_reader__sibling(struct die_reader *r, Dwarf_Die *die, Dwarf_Die *sibling);
/*
 * Steps @die over itself and the siblings after it while they are tagged
 * @tag: 0 (@die is now the first of another tag), 1 (none), or -1 (error).
 */
int die_reader__skip_tag(struct die_reader *r, Dwarf_Die *die, unsigned int tag);
/*
 * The .debug_info offset of the DIE that @attr, a reference within the
 * unit begun, leads to: dwarf_dieoffset() of dwarf_formref_die(), without
 * making the DIE. False for references of other forms or from other units.
 */
bool die_reader__ref_offset(const struct die_reader *r, const Dwarf_Attribute *attr,
			    Dwarf_Off *off);
/*
 * The first operation of the first location expression that @attr, a
 * DW_AT_location of the unit begun, gives: the expression, or the first
 * entry with one of its location list, as dwarf_getlocations() at offset 0
 * finds it, without decoding the rest and keeping it in a tree for the
 * unit. 0 with *@op; 1: none (an empty expression or list); -1: not read
 * here (another form, a loclistx index, bytes out of bounds): ask libdw.
 */
int die_reader__first_loc_op(const struct die_reader *r, const Dwarf_Attribute *attr,
			     uint8_t *op);
/* Fills in the abbreviation of a DIE found otherwise (a reference). */
void die_reader__bind(struct die_reader *r, Dwarf_Die *die);
/* dwarf_attr(), dwarf_attr_integrate(): @attr, or NULL */
Dwarf_Attribute *die_reader__attr(struct die_reader *r, Dwarf_Die *die, unsigned int name,
				  Dwarf_Attribute *attr);
Dwarf_Attribute *die_reader__attr_integrate(struct die_reader *r, Dwarf_Die *die,
					    unsigned int name, Dwarf_Attribute *attr);
/* dwarf_diename() */
const char *die_reader__name(struct die_reader *r, Dwarf_Die *die);

/*
 * Fills out[i] for each names[i] that @die has and returns their bit set
 * (1 << i); -1 when the reader does not handle the DIE: then ask libdw.
 */
int64_t die_reader__read(struct die_reader *r, Dwarf_Die *die, Dwarf_Attribute *out);

/*
 * What a DIE and its children, all tagged @child_tag, say, as bytes that
 * are equal when they say the same: for each DIE, a number that stands
 * for its tag and its attributes' names and forms (the reader's own, the
 * same for the same abbreviation in any unit), then the values of its
 * attributes. Not in the bytes: DW_AT_sibling, DW_AT_decl_file,
 * DW_AT_decl_line, DW_AT_decl_column, and the value of DW_AT_type, a
 * reference that differs from unit to unit even for the same type: that
 * is in refs[], refs[0] the DIE's and refs[1 + k] that of the k-th child
 * (form 0: none).
 */
struct die_key {
	unsigned char *bytes;
	size_t len;
	size_t cap;
	Dwarf_Attribute *refs;
	size_t nr_refs;
	size_t refs_cap;
};

/*
 * Fills @key for @die: 0; 1 when its bytes would not say it all (other
 * references, values that need the unit's bases, a child of another tag
 * (a prototype's "...", a type defined inside a struct) or with children
 * of its own, a DIE the reader does not handle); or negative errno.
 */
int die_reader__key(struct die_reader *r, Dwarf_Die *die, unsigned int child_tag,
		    struct die_key *key);

#endif
