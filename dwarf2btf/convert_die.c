// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * DWARF to type graph, one unit at a time.
 *
 * Each compile unit is converted on its own into a small graph: a walk over
 * all its DIEs creates a node for every type DIE (and for each function
 * with code and each per-CPU variable), and a queue fills the nodes in, so
 * that reference chains of any length need no recursion. References are
 * looked up by DIE offset; a reference into another unit simply converts
 * that DIE again into this unit's graph, and deduplication merges the
 * copies later. The threads that run units and put their graphs together
 * are convert.c's; which functions' prototypes hold is func_abi.c's.
 *
 * The conversion follows what the kernel build's BTF encoder does, so that
 * the result can be compared with the .BTF a kernel build made:
 * multi-dimensional arrays become one array of the product of the
 * dimensions, array indexes are "int", _Atomic is dropped, unsupported
 * integer sizes become __SANITIZED_FAKE_INT__, and only functions with an
 * STT_FUNC symbol and fully named parameters become FUNCs.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/btf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_align.h"
#include "convert_die.h"
#include "die_reader.h"
#include "func_abi.h"
#include "input.h"
#include "memo.h"
#include "name_map.h"
#include "strset.h"
#include "tgraph.h"
#include "util.h"

#ifndef DW_TAG_LLVM_annotation
#define DW_TAG_LLVM_annotation 0x6000
#endif

/* Deepest DIE nesting walked, and longest chain of _Atomic/origin links. */
#define MAX_DIE_DEPTH	256
#define MAX_CHAIN	64
/* BTF stores bitfield offsets in 24 bits and widths in 8 */
#define MAX_BITFIELD_OFFSET	0xffffff
#define MAX_VLEN	0xffff

struct pending {
	uint32_t node;
	Dwarf_Die die;
};

/* State of the conversion of one CU. */
struct cu_conv {
	struct tgraph *g;
	struct name_map names;	/* libdw's string by address -> offset in g->strs */
	const struct input *in;
	Dwarf *dwarf;
	Dwarf_CU *cu;		/* the unit being converted */
	bool little_endian;
	uint16_t machine;

	/*
	 * The node + 1 (0: none) of each DIE of the unit being converted, by
	 * its offset from the unit's header: nearly all lookups. Other units'
	 * DIEs (imports, references into other units) go to keys/vals.
	 */
	uint32_t *own;
	size_t own_cap;
	uint64_t unit_off;	/* section offset of the unit's header */
	const unsigned char *unit_start;	/* and where it is */
	size_t unit_len;	/* own's entries for this unit, all 0 between units */

	struct name_map others;	/* other DIEs' die_key() -> node */

	struct pending *queue;
	size_t qlen;
	size_t qcap;

	struct member *members;	/* scratch for fill_struct() */
	size_t members_cap;
	struct die_reader *rd;	/* the unit's DIEs, by abbreviation */

	/* structs, unions and enums converted before, by what their DIEs say */
	struct memo *memo;	/* the worker's: names are in its string set */
	struct die_key key;	/* of the DIE being filled */
	uint32_t *memo_val;	/* scratch for memo_store() */
	size_t memo_val_cap;
	bool keyed;		/* what the fill read is all in c->key */
	size_t reused;		/* fills from c->memo */

	uint64_t *imported;	/* partial units this CU imported, by die_key() */
	size_t nr_imported;
	size_t imported_cap;

	uint32_t index_int;	/* "int" node for array indexes, 0 until needed */
	uint32_t cu_index;
	bool annotations;	/* the producer writes DW_TAG_LLVM_annotation (clang) */

	char *err;
	size_t errlen;
};

static int cu_fail(struct cu_conv *c, Dwarf_Die *die, int ret, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (die)
		snprintf(c->err, c->errlen, "%s: DIE at 0x%" PRIx64 ": %s",
			 input__path(c->in), (uint64_t)dwarf_dieoffset(die), msg);
	else
		snprintf(c->err, c->errlen, "%s: %s", input__path(c->in), msg);
	return ret;
}

static bool is_type_tag(int tag)
{
	switch (tag) {
	case DW_TAG_base_type:
	case DW_TAG_pointer_type:
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_restrict_type:
	case DW_TAG_typedef:
	case DW_TAG_array_type:
	case DW_TAG_structure_type:
	case DW_TAG_union_type:
	case DW_TAG_class_type:
	case DW_TAG_enumeration_type:
	case DW_TAG_subroutine_type:
		return true;
	default:
		return false;
	}
}

static bool is_c_language(int lang)
{
	switch (lang) {
	case DW_LANG_C89:
	case DW_LANG_C:
	case DW_LANG_C99:
	case DW_LANG_C11:
		return true;
	default:
		return false;
	}
}

/*
 * Only clang writes btf_decl_tag/btf_type_tag annotations; looking for
 * them under every member of a gcc CU is a tenth of the conversion time.
 * A unit that does not name its producer may have them.
 */
static bool may_annotate(Dwarf_Die *unit)
{
	Dwarf_Attribute attr;
	const char *producer;

	if (!dwarf_attr(unit, DW_AT_producer, &attr) || !(producer = dwarf_formstring(&attr)))
		return true;
	return strstr(producer, "clang") != NULL;
}


/* Type and partial units may leave the language to the units using them. */
static bool unit_is_c(Dwarf_Die *unit)
{
	int lang = dwarf_srclang(unit);

	if (lang < 0)
		return dwarf_tag(unit) != DW_TAG_compile_unit;
	return is_c_language(lang);
}

/* Type units live in their own section: keep their offsets apart. */
static uint64_t die_key(const struct cu_conv *c, Dwarf_Die *die)
{
	uint64_t key = dwarf_dieoffset(die) + 1;
	uint8_t unit_type;
	Dwarf_Half version;

	/* the unit being converted is a compile unit: only look up others */
	if (die->cu == c->cu)
		return key;
	/* dwz's alternate file has offsets of its own */
	if (dwarf_cu_getdwarf(die->cu) != c->dwarf)
		key |= 1ULL << 62;
	if (!dwarf_cu_info(die->cu, &version, &unit_type, NULL, NULL, NULL, NULL, NULL) &&
	    version < 5 && unit_type == DW_UT_type)
		key |= 1ULL << 63;
	return key;
}

/* The entry in c->own of the DIE of die_key() @key, or NULL if not of the unit. */
static uint32_t *own_slot(const struct cu_conv *c, uint64_t key)
{
	uint64_t off = key - 1;

	return off >= c->unit_off && off - c->unit_off < c->unit_len ?
	       &c->own[off - c->unit_off] : NULL;
}

/* Node made already for the DIE of die_key() @key, or -ENOENT. */
static int64_t node_seen(const struct cu_conv *c, uint64_t key)
{
	const uint32_t *own = own_slot(c, key), *other;

	if (own)
		return *own ? (int64_t)*own - 1 : -ENOENT;
	if (!c->others.keys)
		return -ENOENT;
	other = name_map__find_key(&c->others, key);
	return other ? (int64_t)*other : -ENOENT;
}

/* Node for type DIE @die, created and queued for filling on first sight. */
static int64_t node_for(struct cu_conv *c, Dwarf_Die *die)
{
	uint64_t key = die_key(c, die);
	uint32_t *own = own_slot(c, key), *other = NULL;
	bool found;
	int64_t id;
	int err;

	if (own && *own)
		return *own - 1;
	if (!own) {
		if (!name_map__room(&c->others))
			return -ENOMEM;
		other = name_map__slot_key(&c->others, key, &found);
		if (found)
			return *other;
	}
	id = tgraph__add_empty(c->g);
	if (id < 0)
		return id;
	err = grow_buf((void **)&c->queue, &c->qcap, sizeof(*c->queue), c->qlen + 1);
	if (err)
		return err;
	c->queue[c->qlen].node = (uint32_t)id;
	c->queue[c->qlen].die = *die;
	c->qlen++;
	if (own)
		*own = (uint32_t)id + 1;
	else
		*other = (uint32_t)id;
	return id;
}

static bool die_has(struct cu_conv *c, Dwarf_Die *die, unsigned int name)
{
	Dwarf_Attribute attr;

	return die_reader__attr(c->rd, die, name, &attr) != NULL;
}

/*
 * Node of the type that attribute DW_AT_type of @die names: 0 for void,
 * _Atomic and unspecified types looked through. @integrate follows
 * DW_AT_abstract_origin and DW_AT_specification (functions, variables).
 */
static int64_t type_of_attr(struct cu_conv *c, Dwarf_Die *die, Dwarf_Attribute *attr)
{
	Dwarf_Die t;
	int64_t id;
	int depth;
	Dwarf_Off off;
	bool by_offset;

	/*
	 * A DIE with a node is a type: most references are to one seen
	 * before, in this unit, whose key (die_key()) is its offset + 1.
	 */
	by_offset = die_reader__ref_offset(c->rd, attr, &off);
	id = by_offset ? node_seen(c, off + 1) : -ENOENT;
	if (id >= 0)
		return id;
	if (!dwarf_formref_die(attr, &t))
		return cu_fail(c, die, -EINVAL, "DW_AT_type refers outside the debug info");
	/* by offset, the same key was looked up already */
	id = by_offset ? -ENOENT : node_seen(c, die_key(c, &t));
	if (id >= 0)
		return id;
	for (depth = 0; depth < MAX_CHAIN; depth++) {
		int tag;

		die_reader__bind(c->rd, &t);
		tag = dwarf_tag(&t);

		if (tag == DW_TAG_unspecified_type)
			return 0;
		/* a stub standing for a type in a type unit */
		if (die_reader__attr(c->rd, &t, DW_AT_signature, attr)) {
			if (!dwarf_formref_die(attr, &t))
				return cu_fail(c, die, -EINVAL, "DW_AT_signature of no type unit");
			continue;
		}
		if (tag != DW_TAG_atomic_type) {
			if (!is_type_tag(tag))
				return cu_fail(c, die, -EINVAL,
					       "DW_AT_type refers to a DIE of tag 0x%x, not a type", tag);
			return node_for(c, &t);
		}
		if (!die_reader__attr(c->rd, &t, DW_AT_type, attr))
			return 0;
		if (!dwarf_formref_die(attr, &t))
			return cu_fail(c, die, -EINVAL, "DW_AT_type refers outside the debug info");
	}
	return cu_fail(c, die, -ELOOP, "_Atomic type chain too long");
}

static int64_t type_ref(struct cu_conv *c, Dwarf_Die *die, bool integrate)
{
	Dwarf_Attribute attr;

	if (!(integrate ? die_reader__attr_integrate(c->rd, die, DW_AT_type, &attr) :
			  die_reader__attr(c->rd, die, DW_AT_type, &attr)))
		return 0;
	return type_of_attr(c, die, &attr);
}

/*
 * The cache is larger than the CPU's: a struct's members ask for their
 * slots all at once, before add_str() reads them one by one.
 */
static void name_prefetch(const struct cu_conv *c, const char *s)
{
	const struct name_map *m = &c->names;
	size_t i;

	if (!s || !m->keys)
		return;
	i = hash_mix(0, (uintptr_t)s) & m->mask;
	__builtin_prefetch(&m->keys[i]);
	__builtin_prefetch(&m->vals[i]);
}

/*
 * libdw hands out names as pointers into the mapped string sections, the
 * same pointer for the same string: look them up by address first, and
 * hash the characters only the first time.
 */
static int64_t add_str(struct cu_conv *c, const char *s)
{
	uint32_t *slot;
	bool found;
	int64_t off;

	if (!s)
		return 0;
	if (!name_map__room(&c->names))
		return -ENOMEM;
	slot = name_map__slot_key(&c->names, (uintptr_t)s, &found);
	if (found)
		return *slot;
	off = strset__add(c->g->strs, s);
	if (off < 0)
		return off;
	*slot = (uint32_t)off;
	return off;
}

static bool attr_udata(struct cu_conv *c, Dwarf_Die *die, unsigned int name, Dwarf_Word *val)
{
	Dwarf_Attribute attr;

	return die_reader__attr(c->rd, die, name, &attr) && !dwarf_formudata(&attr, val);
}

static bool attr_flag(struct cu_conv *c, Dwarf_Die *die, unsigned int name, bool integrate)
{
	Dwarf_Attribute attr;
	bool flag = false;

	if (!(integrate ? die_reader__attr_integrate(c->rd, die, name, &attr) :
			  die_reader__attr(c->rd, die, name, &attr)))
		return false;
	return !dwarf_formflag(&attr, &flag) && flag;
}

/* A constant of any form, as the value it means (sdata is signed). */
static bool attr_const(Dwarf_Attribute *attr, int64_t *val)
{
	Dwarf_Sword s;
	Dwarf_Word u;

	switch (dwarf_whatform(attr)) {
	case DW_FORM_sdata:
	case DW_FORM_implicit_const:
		if (dwarf_formsdata(attr, &s))
			return false;
		*val = s;
		return true;
	case DW_FORM_data1:
	case DW_FORM_data2:
	case DW_FORM_data4:
	case DW_FORM_data8:
	case DW_FORM_udata:
		if (dwarf_formudata(attr, &u))
			return false;
		*val = (int64_t)u;
		return true;
	default:
		return false;
	}
}

/* A node of @kind named @name (an annotation's value, "int", ...). */
static int64_t add_named_node(struct cu_conv *c, uint8_t kind, const char *name)
{
	int64_t id, off = add_str(c, name);

	if (off < 0)
		return off;
	id = tgraph__add_node(c->g, kind, 0);
	if (id >= 0)
		c->g->nodes[id].name = (uint32_t)off;
	return id;
}

static int64_t index_int(struct cu_conv *c)
{
	int64_t id;

	if (c->index_int)
		return c->index_int;
	id = add_named_node(c, BTF_KIND_INT, "int");
	if (id < 0)
		return id;
	c->g->nodes[id].size = 4;
	tgraph__node_data(c->g, (uint32_t)id)[0] = (BTF_INT_SIGNED << 24) | 32;
	c->index_int = (uint32_t)id;
	return id;
}

static int fill_base(struct cu_conv *c, uint32_t id, Dwarf_Die *die)
{
	const char *name = die_reader__name(c->rd, die);
	Dwarf_Word enc = 0, bytes = 0, bits = 0;
	uint32_t encoding = 0;
	uint8_t kind = BTF_KIND_INT;
	int64_t off;
	int err;

	attr_udata(c, die, DW_AT_encoding, &enc);
	if (!attr_udata(c, die, DW_AT_byte_size, &bytes) &&
	    attr_udata(c, die, DW_AT_bit_size, &bits))
		bytes = (bits + 7) / 8;
	if (enc == DW_ATE_float && (bytes == 2 || bytes == 4 || bytes == 8 ||
				    bytes == 12 || bytes == 16)) {
		kind = BTF_KIND_FLOAT;
	} else {
		if (enc == DW_ATE_signed || enc == DW_ATE_signed_char)
			encoding = BTF_INT_SIGNED;
		else if (enc == DW_ATE_boolean)
			encoding = BTF_INT_BOOL;
		/* BTF ints are 1, 2, 4, 8 or 16 bytes; DWARF 5 has odd sizes for DWARF expressions */
		if (!bytes || bytes > 16 || (bytes & (bytes - 1))) {
			name = "__SANITIZED_FAKE_INT__";
			bytes = 4;
		}
	}
	err = tgraph__set_shape(c->g, id, kind, 0);
	if (err)
		return err;
	off = add_str(c, name);
	if (off < 0)
		return (int)off;
	c->g->nodes[id].name = (uint32_t)off;
	c->g->nodes[id].size = (uint32_t)bytes;
	if (kind == BTF_KIND_INT)
		tgraph__node_data(c->g, id)[0] = (encoding << 24) | (uint32_t)(bytes * 8);
	return 0;
}

static int fill_ref(struct cu_conv *c, uint32_t id, Dwarf_Die *die, uint8_t kind)
{
	int64_t target, name = 0;
	int err;

	target = type_ref(c, die, false);
	if (target < 0)
		return (int)target;
	if (kind == BTF_KIND_TYPEDEF) {
		name = add_str(c, die_reader__name(c->rd, die));
		if (name < 0)
			return (int)name;
	}
	err = tgraph__set_shape(c->g, id, kind, 0);
	if (err)
		return err;
	c->g->nodes[id].name = (uint32_t)name;
	tgraph__node_edges(c->g, id)[0] = (uint32_t)target;
	return 0;
}

/*
 * Number of elements of one subrange: 0 when unknown (flexible, VLA). A
 * count or bounds no array can have (a negative count, an upper bound
 * below the lower one) give UINT64_MAX, which the caller refuses as too
 * many elements rather than taking it for a flexible array.
 */
static uint64_t subrange_count(struct cu_conv *c, Dwarf_Die *sub)
{
	Dwarf_Attribute attr;
	int64_t lo = 0, hi, n;
	uint64_t span;

	if (die_reader__attr(c->rd, sub, DW_AT_count, &attr)) {
		if (!attr_const(&attr, &n))
			return 0;
		return n < 0 ? UINT64_MAX : (uint64_t)n;
	}
	if (!die_reader__attr(c->rd, sub, DW_AT_upper_bound, &attr) || !attr_const(&attr, &hi))
		return 0;
	if (die_reader__attr(c->rd, sub, DW_AT_lower_bound, &attr) && !attr_const(&attr, &lo))
		return 0;
	/* gcc writes upper bound -1 (or all ones) for zero-length arrays */
	if ((uint64_t)hi == UINT32_MAX)
		return 0;
	if (hi < lo)
		return hi == -1 || hi == lo - 1 ? 0 : UINT64_MAX;
	/* in unsigned arithmetic: the bounds may be 2^64 apart */
	span = (uint64_t)hi - (uint64_t)lo;
	return span == UINT64_MAX ? UINT64_MAX : span + 1;
}

static int fill_array(struct cu_conv *c, uint32_t id, Dwarf_Die *die)
{
	uint64_t total = 1;
	int64_t elem, idx;
	Dwarf_Die child;
	bool dims = false;
	int err;

	if (die_reader__child(c->rd, die, &child) == 0) {
		do {
			uint64_t n;

			if (dwarf_tag(&child) != DW_TAG_subrange_type &&
			    dwarf_tag(&child) != DW_TAG_enumeration_type)
				continue;
			dims = true;
			n = subrange_count(c, &child);
			if (n && total > UINT32_MAX / n)
				return cu_fail(c, die, -E2BIG,
					       "array of more than 2^32 elements cannot be described in BTF");
			total *= n;
		} while (die_reader__sibling(c->rd, &child, &child) == 0);
	}
	if (!dims)
		total = 0;
	elem = type_ref(c, die, false);
	if (elem < 0)
		return (int)elem;
	idx = index_int(c);
	if (idx < 0)
		return (int)idx;
	err = tgraph__set_shape(c->g, id, BTF_KIND_ARRAY, 0);
	if (err)
		return err;
	c->g->nodes[id].size = (uint32_t)total;
	tgraph__node_edges(c->g, id)[0] = (uint32_t)elem;
	tgraph__node_edges(c->g, id)[1] = (uint32_t)idx;
	return 0;
}

/* What a member DIE says, read in one pass over its attributes. */
enum {
	MA_NAME, MA_TYPE, MA_LOCATION, MA_DATA_BIT_OFFSET, MA_BIT_OFFSET, MA_BIT_SIZE, MA_BYTE_SIZE,
	MA_ALIGNMENT, MA_DECLARATION, MA_EXTERNAL, NR_MA
};

/* DW_AT_* read for each MA_* (DW_AT_bit_offset is DWARF 2-4's bitfield form). */
static const unsigned int member_attr_names[NR_MA] = {
	[MA_NAME] = DW_AT_name,
	[MA_TYPE] = DW_AT_type,
	[MA_LOCATION] = DW_AT_data_member_location,
	[MA_DATA_BIT_OFFSET] = DW_AT_data_bit_offset,
	[MA_BIT_OFFSET] = DW_AT_bit_offset,
	[MA_BIT_SIZE] = DW_AT_bit_size,
	[MA_BYTE_SIZE] = DW_AT_byte_size,
	[MA_ALIGNMENT] = DW_AT_alignment,
	/* either makes the member a declaration (a C++ static member) */
	[MA_DECLARATION] = DW_AT_declaration,
	[MA_EXTERNAL] = DW_AT_external,
};

struct member {
	Dwarf_Die die;
	Dwarf_Attribute attr[NR_MA];
	unsigned int have;		/* 1 << MA_* */
	const char *name;
	uint32_t ref;			/* its DW_AT_type in die_key.refs */
};

static int member_attr(Dwarf_Attribute *attr, void *arg)
{
	unsigned int name = dwarf_whatattr(attr);
	struct member *m = arg;
	int i;

	for (i = 0; i < NR_MA; i++) {
		if (member_attr_names[i] == name) {
			m->attr[i] = *attr;
			m->have |= 1u << i;
		}
	}
	return DWARF_CB_OK;
}

static bool member_has(const struct member *m, int what)
{
	return m->have & (1u << what);
}

/* Byte offset from DW_AT_data_member_location: a constant or a simple expression. */
static int member_byte_offset(struct cu_conv *c, struct member *m, uint64_t *off)
{
	Dwarf_Op *ops;
	size_t nops;
	int64_t v;

	*off = 0;
	if (!member_has(m, MA_LOCATION))
		return 0;
	if (attr_const(&m->attr[MA_LOCATION], &v)) {
		if (v < 0)
			return cu_fail(c, &m->die, -EINVAL, "negative member offset");
		*off = (uint64_t)v;
		return 0;
	}
	if (dwarf_getlocation(&m->attr[MA_LOCATION], &ops, &nops))
		return cu_fail(c, &m->die, -EINVAL, "unreadable member location");
	if (nops == 1 && (ops[0].atom == DW_OP_plus_uconst || ops[0].atom == DW_OP_constu)) {
		*off = ops[0].number;
		return 0;
	}
	if (nops == 0)
		return 0;
	return cu_fail(c, &m->die, -EINVAL, "member location is a computed expression");
}

static int member_bit_offset(struct cu_conv *c, struct member *m, uint32_t *bit_off,
			     uint32_t *bit_size)
{
	Dwarf_Word size = 0, storage = 0, v;
	uint64_t bytes;
	int64_t legacy, off;
	int err;

	if (member_has(m, MA_BIT_SIZE) && !dwarf_formudata(&m->attr[MA_BIT_SIZE], &size) &&
	    (size == 0 || size > 128))
		return cu_fail(c, &m->die, -EINVAL, "bitfield width %" PRIu64 " out of range",
			       (uint64_t)size);
	*bit_size = (uint32_t)size;
	if (member_has(m, MA_DATA_BIT_OFFSET) && !dwarf_formudata(&m->attr[MA_DATA_BIT_OFFSET], &v)) {
		off = (int64_t)v;
	} else {
		err = member_byte_offset(c, m, &bytes);
		if (err)
			return err;
		if (bytes > UINT32_MAX / 8)
			return cu_fail(c, &m->die, -E2BIG, "member offset beyond 4 GiB");
		off = (int64_t)bytes * 8;
		if (size && member_has(m, MA_BIT_OFFSET) && attr_const(&m->attr[MA_BIT_OFFSET], &legacy)) {
			/*
			 * DWARF 2-4: bits from the most significant bit of the
			 * storage unit, which on little-endian machines is the
			 * far end of it.
			 */
			if (!member_has(m, MA_BYTE_SIZE) || dwarf_formudata(&m->attr[MA_BYTE_SIZE], &storage)) {
				Dwarf_Die t;

				if (!member_has(m, MA_TYPE) || !dwarf_formref_die(&m->attr[MA_TYPE], &t) ||
				    dwarf_aggregate_size(&t, &storage))
					return cu_fail(c, &m->die, -EINVAL,
						       "bitfield without a storage size");
			}
			/* bounded, so that the sum below cannot overflow */
			if (storage > UINT32_MAX / 8 || legacy < -(int64_t)UINT32_MAX ||
			    legacy > UINT32_MAX)
				return cu_fail(c, &m->die, -EINVAL,
					       "bitfield storage size %" PRIu64 " or DW_AT_bit_offset %" PRId64 " out of range",
					       (uint64_t)storage, legacy);
			if (c->little_endian)
				off += (int64_t)storage * 8 - legacy - (int64_t)size;
			else
				off += legacy;
		}
	}
	if (off < 0 || off > UINT32_MAX)
		return cu_fail(c, &m->die, -EINVAL, "member bit offset %" PRId64 " out of range", off);
	*bit_off = (uint32_t)off;
	return 0;
}

/* DW_TAG_LLVM_annotation children of @die called @what ("btf_decl_tag", ...). */
static const char *next_annotation(struct cu_conv *c, Dwarf_Die *child, bool first,
				   Dwarf_Die *parent, const char *what)
{
	Dwarf_Attribute attr;
	int r = first ? die_reader__child(c->rd, parent, child) :
			die_reader__sibling(c->rd, child, child);

	for (; r == 0; r = die_reader__sibling(c->rd, child, child)) {
		const char *name;

		if (dwarf_tag(child) != DW_TAG_LLVM_annotation)
			continue;
		name = die_reader__name(c->rd, child);
		if (name && !strcmp(name, what) &&
		    die_reader__attr(c->rd, child, DW_AT_const_value, &attr))
			return dwarf_formstring(&attr);
	}
	return NULL;
}

static int add_decl_tags(struct cu_conv *c, Dwarf_Die *die, uint32_t target, uint32_t component)
{
	Dwarf_Die child;
	const char *value;
	bool first = true;

	if (!c->annotations || !dwarf_haschildren(die))
		return 0;
	while ((value = next_annotation(c, &child, first, die, "btf_decl_tag"))) {
		int64_t id = add_named_node(c, BTF_KIND_DECL_TAG, value);

		first = false;
		if (id < 0)
			return (int)id;
		c->g->nodes[id].flags |= TNODE_ROOT;
		tgraph__node_data(c->g, (uint32_t)id)[0] = component;
		tgraph__node_edges(c->g, (uint32_t)id)[0] = target;
	}
	return 0;
}

/* A struct or union definition (@kind); see fill_keyed() for c->keyed. */
static int fill_members(struct cu_conv *c, uint32_t id, Dwarf_Die *die, uint8_t kind)
{
	Dwarf_Word size = 0, align, storage;
	Dwarf_Die child;
	size_t vlen = 0, i;
	uint32_t nr_members = 0;
	bool kflag = false;
	int64_t name;
	int err;

	name = add_str(c, die_reader__name(c->rd, die));
	if (name < 0)
		return (int)name;
	/* one pass over the members and their attributes; they are filled in below */
	if (die_reader__child(c->rd, die, &child) == 0) {
		do {
			struct member *m;
			int64_t have;

			if (dwarf_tag(&child) != DW_TAG_member)
				continue;
			err = grow_buf((void **)&c->members, &c->members_cap, sizeof(*c->members),
				       vlen + 1);
			if (err)
				return err;
			m = &c->members[vlen];
			memset(m, 0, sizeof(*m));
			m->die = child;
			m->ref = ++nr_members;
			have = die_reader__read(c->rd, &child, m->attr);
			if (have >= 0)
				m->have = (unsigned int)have;
			else if (dwarf_getattrs(&child, member_attr, m, 0) != 1)
				return cu_fail(c, &child, -EINVAL, "unreadable member attributes");
			if (member_has(m, MA_NAME)) {
				m->name = dwarf_formstring(&m->attr[MA_NAME]);
				name_prefetch(c, m->name);
			}
			/* a DWARF 2-4 bitfield's storage size may come from its type */
			if (member_has(m, MA_BIT_OFFSET) &&
			    (!member_has(m, MA_BYTE_SIZE) ||
			     dwarf_formudata(&m->attr[MA_BYTE_SIZE], &storage)))
				c->keyed = false;
			vlen += !member_has(m, MA_DECLARATION) && !member_has(m, MA_EXTERNAL);
		} while (die_reader__sibling(c->rd, &child, &child) == 0);
	}
	if (vlen > MAX_VLEN)
		return cu_fail(c, die, -E2BIG, "%zu members, more than BTF can hold (65535)", vlen);
	attr_udata(c, die, DW_AT_byte_size, &size);
	if (size > UINT32_MAX)
		return cu_fail(c, die, -E2BIG, "struct larger than 4 GiB");
	err = tgraph__set_shape(c->g, id, kind, (uint16_t)vlen);
	if (err)
		return err;
	c->g->nodes[id].name = (uint32_t)name;
	c->g->nodes[id].size = (uint32_t)size;

	for (i = 0; i < vlen; i++) {
		struct member *m = &c->members[i];
		uint32_t bit_off = 0, bit_size = 0;
		int64_t type = 0, mname = 0;

		err = member_bit_offset(c, m, &bit_off, &bit_size);
		if (err)
			return err;
		if (member_has(m, MA_TYPE)) {
			type = type_of_attr(c, &m->die, &m->attr[MA_TYPE]);
			if (type < 0)
				return (int)type;
		}
		mname = add_str(c, m->name);
		if (mname < 0)
			return (int)mname;
		if (bit_size) {
			if (bit_off > MAX_BITFIELD_OFFSET)
				return cu_fail(c, &m->die, -E2BIG,
					       "bitfield at bit %u, beyond what BTF can encode", bit_off);
			kflag = true;
		}
		tgraph__node_data(c->g, id)[2 * i] = (uint32_t)mname;
		tgraph__node_data(c->g, id)[2 * i + 1] = bit_size << 24 | bit_off;
		tgraph__node_edges(c->g, id)[i] = (uint32_t)type;
		err = add_decl_tags(c, &m->die, id, (uint32_t)i);
		if (!err && member_has(m, MA_ALIGNMENT) && !dwarf_formudata(&m->attr[MA_ALIGNMENT], &align))
			err = tgraph__add_align(c->g, id, (uint32_t)i, (uint32_t)align);
		if (err)
			return err;
	}
	/* what BTF cannot say, for the header writer (vmlinux.h) */
	if (attr_udata(c, die, DW_AT_alignment, &align)) {
		err = tgraph__add_align(c->g, id, BTF_ALIGN_TYPE, (uint32_t)align);
		if (err)
			return err;
	}
	/* without bitfields the offset words are plain bit offsets, kflag 0 */
	c->g->nodes[id].kflag = kflag;
	return add_decl_tags(c, die, id, UINT32_MAX);
}

static bool underlying_signed(struct cu_conv *c, Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Word enc;
	Dwarf_Die t;

	if (!die_reader__attr(c->rd, die, DW_AT_type, &attr) || !dwarf_formref_die(&attr, &t))
		return false;
	return attr_udata(c, &t, DW_AT_encoding, &enc) &&
	       (enc == DW_ATE_signed || enc == DW_ATE_signed_char);
}

static int fill_enum(struct cu_conv *c, uint32_t id, Dwarf_Die *die)
{
	Dwarf_Word size = 4;
	Dwarf_Die child;
	size_t vlen = 0, i = 0;
	bool is64, neg = false;
	int64_t name;
	int err;

	name = add_str(c, die_reader__name(c->rd, die));
	if (name < 0)
		return (int)name;
	attr_udata(c, die, DW_AT_byte_size, &size);
	if (size != 1 && size != 2 && size != 4 && size != 8)
		return cu_fail(c, die, -EINVAL, "enum of %" PRIu64 " bytes", (uint64_t)size);
	if (!attr_flag(c, die, DW_AT_declaration, false) &&
	    die_reader__child(c->rd, die, &child) == 0) {
		do {
			vlen += dwarf_tag(&child) == DW_TAG_enumerator;
		} while (die_reader__sibling(c->rd, &child, &child) == 0);
	}
	if (vlen > MAX_VLEN)
		return cu_fail(c, die, -E2BIG, "%zu enumerators, more than BTF can hold (65535)", vlen);
	is64 = size > 4;
	err = tgraph__set_shape(c->g, id, is64 ? BTF_KIND_ENUM64 : BTF_KIND_ENUM, (uint16_t)vlen);
	if (err)
		return err;
	c->g->nodes[id].name = (uint32_t)name;
	c->g->nodes[id].size = (uint32_t)size;
	if (!vlen)
		return 0;

	die_reader__child(c->rd, die, &child);
	do {
		Dwarf_Attribute attr;
		int64_t v = 0, ename;
		uint32_t *d;

		if (dwarf_tag(&child) != DW_TAG_enumerator)
			continue;
		if (!die_reader__attr(c->rd, &child, DW_AT_const_value, &attr) ||
		    !attr_const(&attr, &v))
			return cu_fail(c, &child, -EINVAL, "enumerator without a constant value");
		ename = add_str(c, die_reader__name(c->rd, &child));
		if (ename < 0)
			return (int)ename;
		if (!is64 && (v < INT32_MIN || v > (int64_t)UINT32_MAX))
			return cu_fail(c, &child, -ERANGE, "enumerator value %" PRId64
				       " does not fit a %u-byte enum", v, (unsigned int)size);
		neg |= v < 0;
		d = tgraph__node_data(c->g, id);
		if (is64) {
			d[3 * i] = (uint32_t)ename;
			d[3 * i + 1] = (uint32_t)v;
			d[3 * i + 2] = (uint32_t)((uint64_t)v >> 32);
		} else {
			d[2 * i] = (uint32_t)ename;
			d[2 * i + 1] = (uint32_t)v;
		}
		i++;
	} while (die_reader__sibling(c->rd, &child, &child) == 0);
	/* signedness: of the values for 32-bit enums, of the underlying type for 64-bit */
	c->g->nodes[id].kflag = is64 ? underlying_signed(c, die) : neg;
	c->keyed &= !is64;
	return 0;
}

/*
 * What a keyed fill made, as memo value: the node's fields and data words,
 * then for a struct or union each member's index into die_key.refs, then
 * its alignments (member, value).
 */
struct memo_head {
	uint32_t name;
	uint32_t size;
	uint16_t vlen;
	uint8_t kind;
	uint8_t kflag;
	uint32_t nr_aligns;
};

static bool has_member_refs(uint8_t kind)
{
	return kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION;
}

static int memo_apply(struct cu_conv *c, uint32_t id, Dwarf_Die *die, const void *val)
{
	const struct memo_head *h = val;
	const uint32_t *w = (const uint32_t *)(h + 1);
	struct tnode *n;
	uint32_t i, nr_edges;
	int err;

	err = tgraph__set_shape(c->g, id, h->kind, h->vlen);
	if (err)
		return err;
	n = &c->g->nodes[id];
	n->name = h->name;
	n->size = h->size;
	n->kflag = h->kflag;
	memcpy(tgraph__node_data(c->g, id), w, tnode_nr_data(n) * sizeof(*w));
	w += tnode_nr_data(n);
	/* type_of_attr() may add nodes: n moves */
	nr_edges = tnode_nr_edges(n);
	/*
	 * In the order the fill made their nodes: members; a prototype's
	 * return type and parameters, which are refs[] in order.
	 */
	for (i = 0; i < nr_edges; i++) {
		Dwarf_Attribute *ref = &c->key.refs[has_member_refs(h->kind) ? w[i] : i];
		int64_t type = 0;

		if (ref->form) {
			type = type_of_attr(c, die, ref);
			if (type < 0)
				return (int)type;
		}
		tgraph__node_edges(c->g, id)[i] = (uint32_t)type;
	}
	if (has_member_refs(h->kind))
		w += h->vlen;
	for (i = 0; i < h->nr_aligns; i++) {
		err = tgraph__add_align(c->g, id, w[2 * i], w[2 * i + 1]);
		if (err)
			return err;
	}
	return 0;
}

/* Stores what the fill of node @id made, from its aligns at @first_align on. */
static int memo_store(struct cu_conv *c, uint32_t id, uint64_t hash, size_t first_align)
{
	const struct tnode *n = &c->g->nodes[id];
	uint32_t nr_data = tnode_nr_data(n), i, *w;
	uint32_t refs = has_member_refs(n->kind) ? n->vlen : 0;
	size_t nr_aligns = c->g->nr_aligns - first_align, words;
	struct memo_head *h;
	int err;

	words = sizeof(*h) / sizeof(*w) + nr_data + refs + 2 * nr_aligns;
	err = grow_buf((void **)&c->memo_val, &c->memo_val_cap, sizeof(*w), words);
	if (err)
		return err;
	h = (struct memo_head *)c->memo_val;
	*h = (struct memo_head){
		.name = n->name, .size = n->size, .vlen = n->vlen, .kind = n->kind,
		.kflag = n->kflag, .nr_aligns = (uint32_t)nr_aligns,
	};
	w = (uint32_t *)(h + 1);
	memcpy(w, tgraph__node_data(c->g, id), nr_data * sizeof(*w));
	w += nr_data;
	for (i = 0; i < refs; i++)
		w[i] = c->members[i].ref;
	w += refs;
	for (i = 0; i < nr_aligns; i++) {
		w[2 * i] = c->g->aligns[first_align + i].member;
		w[2 * i + 1] = c->g->aligns[first_align + i].align;
	}
	return memo__add(c->memo, c->key.bytes, c->key.len, hash, c->memo_val,
			 words * sizeof(*w));
}

/* The tag of the children a keyed DIE of @tag may have. */
static unsigned int keyed_child_tag(int tag)
{
	switch (tag) {
	case DW_TAG_enumeration_type:
		return DW_TAG_enumerator;
	case DW_TAG_subroutine_type:
		return DW_TAG_formal_parameter;
	default:
		return DW_TAG_member;
	}
}

static int64_t make_proto(struct cu_conv *c, Dwarf_Die *die, uint32_t id_or_0, bool named);

/* What fill_keyed() does when the memo has nothing. */
static int fill_unkeyed(struct cu_conv *c, uint32_t id, Dwarf_Die *die, int tag)
{
	int64_t r;

	switch (tag) {
	case DW_TAG_enumeration_type:
		return fill_enum(c, id, die);
	case DW_TAG_subroutine_type:
		r = make_proto(c, die, id, false);
		return r < 0 ? (int)r : 0;
	case DW_TAG_union_type:
		return fill_members(c, id, die, BTF_KIND_UNION);
	default:
		return fill_members(c, id, die, BTF_KIND_STRUCT);
	}
}

/*
 * A struct, union or enum definition, or a function pointer's prototype.
 * The same definition comes again in every CU whose headers have it
 * (struct list_head in nearly all 2,172 of the 6.1 kernel): the worker
 * keeps what filling one made, by the bytes of what its DIE and members,
 * enumerators or parameters say (die_reader__key), and fills the next one
 * from that, looking up only the member, return and parameter types,
 * which are this CU's nodes. The graph is the same as filling it again
 * would give: a fill whose result depends on more than those bytes (a
 * bitfield's storage size from its type, a 64-bit enum's signedness from
 * its underlying type, annotations) clears c->keyed and is not stored.
 */
static int fill_keyed(struct cu_conv *c, uint32_t id, Dwarf_Die *die, int tag)
{
	size_t first_align = c->g->nr_aligns;
	const void *val;
	uint64_t hash = 0;
	int err;

	c->keyed = c->memo && !c->annotations;
	if (c->keyed) {
		err = die_reader__key(c->rd, die, keyed_child_tag(tag), &c->key);
		if (err < 0)
			return err;
		c->keyed = !err;
	}
	if (c->keyed) {
		hash = hash_bytes(c->key.bytes, c->key.len, 0);
		val = memo__find(c->memo, c->key.bytes, c->key.len, hash);
		if (val) {
			c->reused++;
			return memo_apply(c, id, die, val);
		}
	}
	err = fill_unkeyed(c, id, die, tag);
	if (err || !c->keyed)
		return err;
	return memo_store(c, id, hash, first_align);
}

static int fill_struct(struct cu_conv *c, uint32_t id, Dwarf_Die *die, int tag)
{
	int64_t name;
	int err;

	if (!attr_flag(c, die, DW_AT_declaration, false))
		return fill_keyed(c, id, die, tag);
	name = add_str(c, die_reader__name(c->rd, die));
	if (name < 0)
		return (int)name;
	err = tgraph__set_shape(c->g, id, BTF_KIND_FWD, 0);
	if (err)
		return err;
	c->g->nodes[id].name = (uint32_t)name;
	c->g->nodes[id].kflag = tag == DW_TAG_union_type;
	/* which definition a declaration means depends on its CU: see tgraph.h */
	c->g->nodes[id].size = c->cu_index;
	return 0;
}

/*
 * FUNC_PROTO from the formal parameters of @die (a subroutine type or a
 * subprogram); @named: every parameter must have a name, else 0 is returned
 * and no node is made.
 */
static int64_t make_proto(struct cu_conv *c, Dwarf_Die *die, uint32_t id_or_0, bool named)
{
	bool integrate = dwarf_tag(die) == DW_TAG_subprogram;
	Dwarf_Die child;
	size_t vlen = 0, i = 0;
	int64_t id = id_or_0, ret;
	int err;

	if (die_reader__child(c->rd, die, &child) == 0) {
		do {
			int tag = dwarf_tag(&child);

			if (tag == DW_TAG_formal_parameter) {
				Dwarf_Attribute attr;

				if (named &&
				    !die_reader__attr_integrate(c->rd, &child, DW_AT_name, &attr))
					return 0;
				vlen++;
			} else if (tag == DW_TAG_unspecified_parameters) {
				vlen++;
			}
		} while (die_reader__sibling(c->rd, &child, &child) == 0);
	}
	if (vlen > MAX_VLEN)
		return cu_fail(c, die, -E2BIG, "%zu parameters, more than BTF can hold", vlen);
	ret = type_ref(c, die, integrate);
	if (ret < 0)
		return ret;
	if (!id) {
		id = tgraph__add_empty(c->g);
		if (id < 0)
			return id;
	}
	err = tgraph__set_shape(c->g, (uint32_t)id, BTF_KIND_FUNC_PROTO, (uint16_t)vlen);
	if (err)
		return err;
	tgraph__node_edges(c->g, (uint32_t)id)[0] = (uint32_t)ret;
	if (!vlen)
		return id;
	die_reader__child(c->rd, die, &child);
	do {
		int tag = dwarf_tag(&child);
		int64_t type, name;

		if (tag == DW_TAG_unspecified_parameters) {
			i++;	/* varargs: no name, no type */
			continue;
		}
		if (tag != DW_TAG_formal_parameter)
			continue;
		type = type_ref(c, &child, true);
		if (type < 0)
			return type;
		name = 0;
		if (named) {
			Dwarf_Attribute attr;

			die_reader__attr_integrate(c->rd, &child, DW_AT_name, &attr);
			name = add_str(c, dwarf_formstring(&attr));
			if (name < 0)
				return name;
		}
		tgraph__node_data(c->g, (uint32_t)id)[i] = (uint32_t)name;
		tgraph__node_edges(c->g, (uint32_t)id)[1 + i] = (uint32_t)type;
		i++;
	} while (die_reader__sibling(c->rd, &child, &child) == 0);
	return id;
}

static int fill_node(struct cu_conv *c, uint32_t id, Dwarf_Die *die)
{
	int tag = dwarf_tag(die);
	int64_t r;

	switch (tag) {
	case DW_TAG_base_type:
		return fill_base(c, id, die);
	case DW_TAG_pointer_type:
		return fill_ref(c, id, die, BTF_KIND_PTR);
	case DW_TAG_const_type:
		return fill_ref(c, id, die, BTF_KIND_CONST);
	case DW_TAG_volatile_type:
		return fill_ref(c, id, die, BTF_KIND_VOLATILE);
	case DW_TAG_restrict_type:
		return fill_ref(c, id, die, BTF_KIND_RESTRICT);
	case DW_TAG_typedef:
		r = fill_ref(c, id, die, BTF_KIND_TYPEDEF);
		return r ? (int)r : add_decl_tags(c, die, id, UINT32_MAX);
	case DW_TAG_array_type:
		return fill_array(c, id, die);
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_union_type:
		return fill_struct(c, id, die, tag);
	case DW_TAG_enumeration_type:
	case DW_TAG_subroutine_type:
		return fill_keyed(c, id, die, tag);
	default:
		return cu_fail(c, die, -EINVAL, "unexpected type tag 0x%x", tag);
	}
}

/*
 * A pointer's btf_type_tag annotations sit between it and its target:
 * PTR -> TYPE_TAG(first) -> TYPE_TAG(second) -> target.
 */
static int add_type_tags(struct cu_conv *c, uint32_t ptr, Dwarf_Die *die)
{
	uint32_t prev = ptr, target = tgraph__node_edges(c->g, ptr)[0];
	Dwarf_Die child;
	const char *value;
	bool first = true;

	while ((value = next_annotation(c, &child, first, die, "btf_type_tag"))) {
		int64_t id = add_named_node(c, BTF_KIND_TYPE_TAG, value);

		first = false;
		if (id < 0)
			return (int)id;
		tgraph__node_edges(c->g, prev)[0] = (uint32_t)id;
		prev = (uint32_t)id;
	}
	if (prev != ptr)
		tgraph__node_edges(c->g, prev)[0] = target;
	return 0;
}

static int drain_queue(struct cu_conv *c)
{
	size_t i;
	int err;

	/* filling may queue more nodes: c->qlen grows as we go */
	for (i = 0; i < c->qlen; i++) {
		struct pending p = c->queue[i];

		err = fill_node(c, p.node, &p.die);
		if (err)
			return err;
		if (c->annotations && dwarf_tag(&p.die) == DW_TAG_pointer_type &&
		    dwarf_haschildren(&p.die)) {
			err = add_type_tags(c, p.node, &p.die);
			if (err)
				return err;
		}
	}
	/* c->own back to all 0 for the next unit: each node is in the queue */
	for (i = 0; c->unit_len && i < c->qlen; i++) {
		const Dwarf_Die *die = &c->queue[i].die;
		size_t at;

		if (die->cu != c->cu)
			continue;
		at = (size_t)((const unsigned char *)die->addr - c->unit_start);
		if (at < c->unit_len)
			c->own[at] = 0;
	}
	c->qlen = 0;
	return 0;
}
static int convert_func(struct cu_conv *c, Dwarf_Die *die)
{
	Dwarf_Die origin = *die, *proto_die = die;
	Dwarf_Attribute attr;
	const char *name;
	int64_t proto, id, name_off;
	int depth, err;

	if (attr_flag(c, die, DW_AT_declaration, false))
		return 0;
	name = die_reader__name(c->rd, die);
	if (!name || !input__has_func_sym(c->in, name))
		return 0;
	/* the prototype of an out-of-line instance is that of its abstract origin */
	for (depth = 0;
	     depth < MAX_CHAIN && die_reader__attr(c->rd, proto_die, DW_AT_abstract_origin, &attr);
	     depth++) {
		if (!dwarf_formref_die(&attr, &origin))
			return cu_fail(c, die, -EINVAL, "DW_AT_abstract_origin refers outside the debug info");
		proto_die = &origin;
	}
	proto = make_proto(c, proto_die, 0, true);
	if (proto <= 0)
		return (int)proto;	/* 0: a parameter has no name */
	name_off = add_str(c, name);
	if (name_off < 0)
		return (int)name_off;
	id = tgraph__add_node(c->g, BTF_KIND_FUNC, attr_flag(c, die, DW_AT_external, true) ?
				  BTF_FUNC_GLOBAL : BTF_FUNC_STATIC);
	if (id < 0)
		return (int)id;
	c->g->nodes[id].name = (uint32_t)name_off;
	if (func_abi__unsafe(c->rd, c->machine, die))
		c->g->nodes[id].flags |= TNODE_FUNC_UNSAFE;
	tgraph__node_edges(c->g, (uint32_t)id)[0] = (uint32_t)proto;
	err = add_decl_tags(c, proto_die, (uint32_t)id, UINT32_MAX);
	if (err)
		return err;
	if (die_reader__child(c->rd, proto_die, &origin) == 0) {
		uint32_t i = 0;

		do {
			if (dwarf_tag(&origin) != DW_TAG_formal_parameter)
				continue;
			err = add_decl_tags(c, &origin, (uint32_t)id, i++);
			if (err)
				return err;
		} while (die_reader__sibling(c->rd, &origin, &origin) == 0);
	}
	return 0;
}

/* Address of a variable whose location is a single DW_OP_addr(x). */
static bool var_addr(struct cu_conv *c, Dwarf_Die *die, Dwarf_Addr *addr)
{
	Dwarf_Attribute attr, result;
	Dwarf_Op *ops;
	size_t nops;

	if (!die_reader__attr(c->rd, die, DW_AT_location, &attr) ||
	    dwarf_getlocation(&attr, &ops, &nops) || nops != 1)
		return false;
	if (ops[0].atom == DW_OP_addr) {
		*addr = ops[0].number;
		return true;
	}
	if (ops[0].atom == DW_OP_addrx || ops[0].atom == DW_OP_GNU_addr_index)
		return !dwarf_getlocation_attr(&attr, ops, &result) && !dwarf_formaddr(&result, addr);
	return false;
}

/* Per-CPU variables become VARs, gathered into a DATASEC by the dedup stage. */
static int convert_var(struct cu_conv *c, Dwarf_Die *die)
{
	const struct percpu_sym *sym;
	uint64_t base, size;
	Dwarf_Attribute attr;
	Dwarf_Word tsize;
	Dwarf_Addr addr;
	const char *dname;
	Dwarf_Die t;
	int64_t type, id, name;

	if (!input__percpu(c->in, &base, &size) || !var_addr(c, die, &addr))
		return 0;
	if (addr < base || addr - base >= size)
		return 0;
	sym = input__percpu_sym(c->in, addr - base);
	if (!sym)
		return 0;
	dname = die_reader__name(c->rd, die);
	/* many special variables sit at address 0 too: the names must agree there */
	if (addr == 0 && (!dname || strcmp(dname, sym->name)))
		return 0;
	if (!die_reader__attr_integrate(c->rd, die, DW_AT_type, &attr) ||
	    !dwarf_formref_die(&attr, &t) || dwarf_aggregate_size(&t, &tsize) || !tsize)
		return 0;
	type = type_ref(c, die, true);
	if (type <= 0)
		return (int)type;
	name = add_str(c, sym->name);
	if (name < 0)
		return (int)name;
	id = tgraph__add_node(c->g, BTF_KIND_VAR, 0);
	if (id < 0)
		return (int)id;
	c->g->nodes[id].name = (uint32_t)name;
	c->g->nodes[id].size = attr_flag(c, die, DW_AT_external, true) ?
			       BTF_VAR_GLOBAL_ALLOCATED : BTF_VAR_STATIC;
	c->g->nodes[id].flags |= TNODE_ROOT;
	tgraph__node_data(c->g, (uint32_t)id)[0] = (uint32_t)(addr - base);
	tgraph__node_data(c->g, (uint32_t)id)[1] = (uint32_t)sym->size;
	tgraph__node_edges(c->g, (uint32_t)id)[0] = (uint32_t)type;
	return add_decl_tags(c, die, (uint32_t)id, UINT32_MAX);
}

/*
 * Children worth walking into: where type definitions and functions can
 * be. Inlined copies and call sites only refer to what their abstract
 * origin defines, and are a good part of an optimized kernel's DIEs.
 */
static bool walk_into(int tag)
{
	switch (tag) {
	case DW_TAG_enumeration_type:
	case DW_TAG_subroutine_type:
	case DW_TAG_array_type:
	case DW_TAG_member:
	case DW_TAG_formal_parameter:
	case DW_TAG_variable:
	case DW_TAG_LLVM_annotation:
	case DW_TAG_inlined_subroutine:
	case DW_TAG_call_site:
	case DW_TAG_GNU_call_site:
		return false;
	default:
		return true;
	}
}

/*
 * Partial units that a CU imports (dwz) are part of its scope; each is
 * walked once per CU, through at most MAX_IMPORT_DEPTH imports.
 */
#define MAX_IMPORT_DEPTH 8

static int walk_unit(struct cu_conv *c, Dwarf_Die *unit, int imports_left);

static int walk_import(struct cu_conv *c, Dwarf_Die *die, int imports_left)
{
	Dwarf_Attribute attr;
	Dwarf_Die pu;
	uint64_t key;
	size_t i;
	int err;

	if (!imports_left)
		return cu_fail(c, die, -ELOOP, "partial units imported deeper than %d",
			       MAX_IMPORT_DEPTH);
	if (!die_reader__attr(c->rd, die, DW_AT_import, &attr) || !dwarf_formref_die(&attr, &pu))
		return cu_fail(c, die, -EINVAL, "DW_TAG_imported_unit without a unit to import");
	key = die_key(c, &pu);
	for (i = 0; i < c->nr_imported; i++)
		if (c->imported[i] == key)
			return 0;
	err = grow_buf((void **)&c->imported, &c->imported_cap, sizeof(*c->imported),
		       c->nr_imported + 1);
	if (err)
		return err;
	c->imported[c->nr_imported++] = key;
	return walk_unit(c, &pu, imports_left - 1);
}

static int walk_unit(struct cu_conv *c, Dwarf_Die *unit, int imports_left)
{
	Dwarf_Die stack[MAX_DIE_DEPTH];
	/* a level of members: most of a unit's DIEs, with nothing to convert */
	bool members[MAX_DIE_DEPTH];
	int depth = 0, r, err;

	if (die_reader__child(c->rd, unit, &stack[0]) != 0)
		return 0;
	members[0] = false;
	for (;;) {
		Dwarf_Die *die = &stack[depth];
		int tag;

		r = members[depth] ? die_reader__skip_tag(c->rd, die, DW_TAG_member) : 0;
		if (r == 0) {
			tag = dwarf_tag(die);
			/* a DW_AT_signature stub only stands for a type unit's type */
			if (is_type_tag(tag) && !die_has(c, die, DW_AT_signature)) {
				int64_t id = node_for(c, die);

				if (id < 0)
					return (int)id;
				c->g->nodes[id].flags |= TNODE_ROOT;
			} else if (tag == DW_TAG_subprogram) {
				err = convert_func(c, die);
				if (err)
					return err;
			} else if (tag == DW_TAG_variable && depth == 0) {
				err = convert_var(c, die);
				if (err)
					return err;
			} else if (tag == DW_TAG_imported_unit) {
				err = walk_import(c, die, imports_left);
				if (err)
					return err;
			}
			if (walk_into(tag) && dwarf_haschildren(die)) {
				if (depth + 1 >= MAX_DIE_DEPTH)
					return cu_fail(c, die, -E2BIG, "DIEs nested deeper than %d",
						       MAX_DIE_DEPTH);
				if (die_reader__child(c->rd, die, &stack[depth + 1]) == 0) {
					depth++;
					members[depth] = tag == DW_TAG_structure_type ||
							 tag == DW_TAG_union_type;
					continue;
				}
			}
			r = die_reader__sibling(c->rd, die, die);
		}
		while (r) {
			if (r < 0)
				return cu_fail(c, &stack[depth], -EINVAL, "corrupt DIE tree: %s",
					       dwarf_errmsg(-1));
			if (depth == 0)
				return 0;
			depth--;
			r = die_reader__sibling(c->rd, &stack[depth], &stack[depth]);
		}
	}
}

/*
 * Units larger than this (the 6.1 kernel's largest has 594 KB) keep their
 * DIEs' nodes in the hash map only, rather than in 4 bytes per byte.
 */
#define MAX_OWN_UNIT ((size_t)8 << 20)

/* Makes c->own cover the unit of @cudie, a unit of .debug_info. */
static int own_begin(struct cu_conv *c, Dwarf_Die *cudie)
{
	Dwarf_Off off = dwarf_dieoffset(cudie) - dwarf_cuoffset(cudie), next;
	uint8_t unit_type;
	Dwarf_Half version;
	size_t len;

	c->unit_len = 0;
	/* DWARF 4 type units are in .debug_types, whose offsets are others */
	if (dwarf_cu_info(cudie->cu, &version, &unit_type, NULL, NULL, NULL, NULL, NULL) ||
	    (version < 5 && unit_type == DW_UT_type) ||
	    dwarf_next_unit(c->dwarf, off, &next, NULL, NULL, NULL, NULL, NULL, NULL, NULL) ||
	    next <= off || next - off > MAX_OWN_UNIT)
		return 0;
	len = next - off;
	if (len > c->own_cap) {
		uint32_t *own = realloc(c->own, len * sizeof(*own));

		if (!own)
			return -ENOMEM;
		memset(own + c->own_cap, 0, (len - c->own_cap) * sizeof(*own));
		c->own = own;
		c->own_cap = len;
	}
	c->unit_off = off;
	c->unit_start = (const unsigned char *)cudie->addr - dwarf_cuoffset(cudie);
	c->unit_len = len;
	return 0;
}

int cu_conv__unit(struct cu_conv *c, Dwarf_Die *cudie, uint32_t cu_index, struct tgraph *g)
{
	int err;

	c->g = g;
	c->index_int = 0;
	c->cu_index = cu_index;
	c->cu = cudie->cu;
	/*
	 * Before libdw is asked about the unit DIE: it finds its
	 * abbreviation among those the reader has it read, instead of
	 * reading the whole table for it. Failing, libdw reads the unit.
	 */
	if (die_reader__begin_unit(c->rd, cudie) == -ENOMEM)
		return -ENOMEM;
	c->annotations = may_annotate(cudie);
	if (c->others.keys)
		name_map__clear(&c->others);
	if (!unit_is_c(cudie))
		return 1;
	err = own_begin(c, cudie);
	if (err)
		return err;
	c->nr_imported = 0;
	err = walk_unit(c, cudie, MAX_IMPORT_DEPTH);
	return err ? err : drain_queue(c);
}

struct cu_conv *cu_conv__new(const struct input *in, bool memo, char *err, size_t errlen)
{
	struct cu_conv *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->in = in;
	c->little_endian = !input__big_endian(in);
	c->machine = input__machine(in);
	c->err = err;
	c->errlen = errlen;
	c->rd = die_reader__new(member_attr_names, NR_MA, c->little_endian);
	c->memo = memo ? memo__new() : NULL;
	if (!c->rd || (memo && !c->memo)) {
		cu_conv__free(c);
		return NULL;
	}
	return c;
}

void cu_conv__set_dwarf(struct cu_conv *c, Dwarf *dwarf)
{
	/* the reader and the name cache hold addresses in the old handle's mappings */
	die_reader__end_unit(c->rd);
	if (c->names.keys)
		name_map__clear(&c->names);
	c->dwarf = dwarf;
}

size_t cu_conv__reused(const struct cu_conv *c)
{
	return c->reused;
}

void cu_conv__free(struct cu_conv *c)
{
	if (!c)
		return;
	name_map__free(&c->others);
	free(c->own);
	free(c->queue);
	free(c->members);
	die_reader__free(c->rd);
	memo__free(c->memo);
	free(c->key.bytes);
	free(c->key.refs);
	free(c->memo_val);
	free(c->imported);
	name_map__free(&c->names);
	free(c);
}
