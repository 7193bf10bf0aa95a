// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * DWARF to type graph.
 *
 * Each compile unit is converted on its own into a small graph: a walk over
 * all its DIEs creates a node for every type DIE (and for each function
 * with code and each per-CPU variable), and a queue fills the nodes in, so
 * that reference chains of any length need no recursion. References are
 * looked up by DIE offset; a reference into another unit simply converts
 * that DIE again into this unit's graph, and deduplication merges the
 * copies later.
 *
 * Worker threads, each with a libdw handle of its own, take CUs in turn;
 * finished CU graphs are appended to the result strictly in CU order, so
 * the result does not depend on the thread count or on scheduling.
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
#include <gelf.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/btf.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "btf_align.h"
#include "convert.h"
#include "die_reader.h"
#include "encode.h"
#include "input.h"
#include "memo.h"
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

struct cu_unit {
	Dwarf_Off die_off;	/* offset of the CU DIE */
};

/* A worker's names: its string set, and a cache by address of libdw's strings. */
struct name_slot {
	const char *key;
	uint32_t off;
};

struct name_cache {
	struct strset *strs;
	struct name_slot *slots;
	size_t cap;
	size_t used;
};

struct pending {
	uint32_t node;
	Dwarf_Die die;
};

/* State of the conversion of one CU. */
struct cu_conv {
	struct tgraph *g;
	struct name_cache *names;
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

	/* other DIEs' key -> node, open addressing; key 0 = empty */
	uint64_t *keys;
	uint32_t *vals;
	size_t cap;
	size_t used;

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

/* A DWARF 4 type unit, in .debug_types; its offset is in that section. */
#define UNIT_IN_TYPES (1ULL << 63)

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

static int map_grow(struct cu_conv *c)
{
	size_t ncap = c->cap ? c->cap * 2 : 4096, i;
	uint64_t *keys = zalloc(ncap, sizeof(*keys));
	uint32_t *vals = malloc(ncap * sizeof(*vals));

	if (!keys || !vals) {
		free(keys);
		free(vals);
		return -ENOMEM;
	}
	for (i = 0; i < c->cap; i++) {
		size_t j;

		if (!c->keys[i])
			continue;
		j = hash_mix(0, c->keys[i]) & (ncap - 1);
		while (keys[j])
			j = (j + 1) & (ncap - 1);
		keys[j] = c->keys[i];
		vals[j] = c->vals[i];
	}
	free(c->keys);
	free(c->vals);
	c->keys = keys;
	c->vals = vals;
	c->cap = ncap;
	return 0;
}

/* Slot of @key in the DIE map, or the empty slot where it would go. */
static size_t map_slot(const struct cu_conv *c, uint64_t key)
{
	size_t i = hash_mix(0, key) & (c->cap - 1);

	while (c->keys[i] && c->keys[i] != key)
		i = (i + 1) & (c->cap - 1);
	return i;
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
	const uint32_t *own = own_slot(c, key);
	size_t i;

	if (own)
		return *own ? (int64_t)*own - 1 : -ENOENT;
	if (!c->cap)
		return -ENOENT;
	i = map_slot(c, key);
	return c->keys[i] ? (int64_t)c->vals[i] : -ENOENT;
}

/* Node for type DIE @die, created and queued for filling on first sight. */
static int64_t node_for(struct cu_conv *c, Dwarf_Die *die)
{
	uint64_t key = die_key(c, die);
	uint32_t *own = own_slot(c, key);
	size_t i = 0;
	int64_t id;
	int err;

	if (own && *own)
		return *own - 1;
	if (!own) {
		if ((c->used + 1) * 2 > c->cap) {
			err = map_grow(c);
			if (err)
				return err;
		}
		i = map_slot(c, key);
		if (c->keys[i])
			return c->vals[i];
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
	if (own) {
		*own = (uint32_t)id + 1;
		return id;
	}
	c->keys[i] = key;
	c->vals[i] = (uint32_t)id;
	c->used++;
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

static size_t name_slot_of(const struct name_cache *nc, const char *s)
{
	return hash_mix(0, (uintptr_t)s) & (nc->cap - 1);
}

/*
 * The cache is larger than the CPU's: a struct's members ask for their
 * slots all at once, before add_str() reads them one by one.
 */
static void name_prefetch(const struct cu_conv *c, const char *s)
{
	const struct name_cache *nc = c->names;

	if (s && nc->cap)
		__builtin_prefetch(&nc->slots[name_slot_of(nc, s)]);
}

/*
 * libdw hands out names as pointers into the mapped string sections, the
 * same pointer for the same string: look them up by address first, and
 * hash the characters only the first time.
 */
static int64_t add_str(struct cu_conv *c, const char *s)
{
	struct name_cache *nc = c->names;
	struct name_slot *slot;
	size_t i;
	int64_t off;

	if (!s)
		return 0;
	if ((nc->used + 1) * 2 > nc->cap) {
		size_t ncap = nc->cap ? nc->cap * 2 : 4096, j;
		struct name_slot *slots = zalloc(ncap, sizeof(*slots));

		if (!slots)
			return -ENOMEM;
		for (j = 0; j < nc->cap; j++) {
			size_t k;

			if (!nc->slots[j].key)
				continue;
			k = hash_mix(0, (uintptr_t)nc->slots[j].key) & (ncap - 1);
			while (slots[k].key)
				k = (k + 1) & (ncap - 1);
			slots[k] = nc->slots[j];
		}
		free(nc->slots);
		nc->slots = slots;
		nc->cap = ncap;
	}
	for (i = name_slot_of(nc, s); nc->slots[i].key; i = (i + 1) & (nc->cap - 1))
		if (nc->slots[i].key == s)
			return nc->slots[i].off;
	off = strset__add(c->g->strs, s);
	if (off < 0)
		return off;
	slot = &nc->slots[i];
	slot->key = s;
	slot->off = (uint32_t)off;
	nc->used++;
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

/* Registers expected to hold the first arguments, as DW_OP_regN atoms. */
static int abi_arg_regs(uint16_t machine, const uint8_t **regs)
{
	static const uint8_t x86_64[] = { DW_OP_reg5, DW_OP_reg4, DW_OP_reg1,
					  DW_OP_reg2, DW_OP_reg8, DW_OP_reg9 };
	static const uint8_t aarch64[] = { DW_OP_reg0, DW_OP_reg1, DW_OP_reg2, DW_OP_reg3,
					   DW_OP_reg4, DW_OP_reg5, DW_OP_reg6, DW_OP_reg7 };
	static const uint8_t s390[] = { DW_OP_reg2, DW_OP_reg3, DW_OP_reg4,
					DW_OP_reg5, DW_OP_reg6 };

	switch (machine) {
	case EM_X86_64:
		*regs = x86_64;
		return ARRAY_SIZE(x86_64);
	case EM_AARCH64:
		*regs = aarch64;
		return ARRAY_SIZE(aarch64);
	case EM_S390:
		*regs = s390;
		return ARRAY_SIZE(s390);
	default:
		*regs = NULL;
		return 0;
	}
}

/* How a parameter is passed, as far as argument registers are concerned. */
enum param_class {
	PARAM_INT,		/* one general register */
	PARAM_INT_PAIR,		/* 16-byte integer: two general registers */
	PARAM_FLOAT,		/* a floating-point register of its own */
	PARAM_AGGREGATE,	/* struct or union by value: spans registers */
};

static enum param_class param_class(struct cu_conv *c, Dwarf_Die *param)
{
	Dwarf_Attribute attr;
	Dwarf_Word enc, size;
	Dwarf_Die t;
	int depth;

	if (!die_reader__attr_integrate(c->rd, param, DW_AT_type, &attr) ||
	    !dwarf_formref_die(&attr, &t))
		return PARAM_INT;
	for (depth = 0; depth < MAX_CHAIN; depth++) {
		int tag = dwarf_tag(&t);

		if (tag == DW_TAG_structure_type || tag == DW_TAG_union_type)
			return PARAM_AGGREGATE;
		if (tag == DW_TAG_base_type) {
			if (attr_udata(c, &t, DW_AT_encoding, &enc) &&
			    (enc == DW_ATE_float || enc == DW_ATE_complex_float))
				return PARAM_FLOAT;
			return attr_udata(c, &t, DW_AT_byte_size, &size) && size == 16 ?
			       PARAM_INT_PAIR : PARAM_INT;
		}
		if (tag != DW_TAG_typedef && tag != DW_TAG_const_type &&
		    tag != DW_TAG_volatile_type && tag != DW_TAG_atomic_type)
			return PARAM_INT;
		if (!die_reader__attr(c->rd, &t, DW_AT_type, &attr) ||
		    !dwarf_formref_die(&attr, &t))
			return PARAM_INT;
	}
	return PARAM_INT;
}

/* The first operation of @param's location, or -1 if it has none. */
static int param_loc_op(struct cu_conv *c, Dwarf_Die *param)
{
	Dwarf_Addr base, start, end;
	Dwarf_Attribute attr;
	Dwarf_Op *expr;
	size_t len;
	uint8_t op;
	int r;

	if (!die_reader__attr(c->rd, param, DW_AT_location, &attr))
		return -1;
	r = die_reader__first_loc_op(c->rd, &attr, &op);
	if (r >= 0)
		return r ? -1 : op;
	if (dwarf_getlocations(&attr, 0, &base, &start, &end, &expr, &len) > 0 && len)
		return expr[0].atom;
	return -1;
}

/*
 * Does the code at @die take its arguments where the prototype says? An
 * optimizing compiler may move or drop arguments of a function whose
 * callers it sees; such a prototype would mislead a tracer. Integer and
 * pointer arguments are checked against the ABI's argument registers in
 * order; floating-point ones use other registers and are not counted;
 * arguments past the registers are on the stack.
 */
static bool func_unsafe(struct cu_conv *c, Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	Dwarf_Word cc;
	const uint8_t *regs;
	Dwarf_Die child;
	bool moved = false;
	int nregs, reg = 0;

	if (die_reader__attr_integrate(c->rd, die, DW_AT_calling_convention, &attr) &&
	    !dwarf_formudata(&attr, &cc) && cc == DW_CC_nocall)
		return true;
	if (!die_has(c, die, DW_AT_low_pc) && !die_has(c, die, DW_AT_ranges))
		return false;
	nregs = abi_arg_regs(c->machine, &regs);
	if (die_reader__child(c->rd, die, &child))
		return false;
	do {
		enum param_class pc;
		int op;

		if (dwarf_tag(&child) != DW_TAG_formal_parameter)
			continue;
		pc = param_class(c, &child);
		/* a struct passed by value spans registers, shifting the others */
		if (pc == PARAM_AGGREGATE)
			return false;
		if (pc == PARAM_FLOAT)
			continue;
		/* AArch64 passes a 16-byte integer in an even-numbered pair */
		if (pc == PARAM_INT_PAIR && c->machine == EM_AARCH64)
			reg = (reg + 1) & ~1;
		op = reg < nregs ? param_loc_op(c, &child) : -1;
		if (op >= DW_OP_reg0 && op <= DW_OP_reg31 && op != regs[reg])
			moved = true;
		reg += pc == PARAM_INT_PAIR ? 2 : 1;
	} while (die_reader__sibling(c->rd, &child, &child) == 0);
	return moved;
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
	if (func_unsafe(c, die))
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

static int convert_cu(struct cu_conv *c, Dwarf_Die *cudie)
{
	int err;

	err = own_begin(c, cudie);
	if (err)
		return err;
	c->nr_imported = 0;
	err = walk_unit(c, cudie, MAX_IMPORT_DEPTH);
	return err ? err : drain_queue(c);
}

/*
 * A CU's graph goes back to the worker that converted it once appended,
 * to be emptied and filled again: freed by the worker appending it, its
 * arrays went back to the converter's malloc arena, whose lock the
 * converter then waited for (in realloc, free and libdw's tsearch).
 */
#define SPENT_MAX 8

struct worker {
	struct convert_job *job;
	uint32_t index;
	struct tgraph *spent[SPENT_MAX];	/* appended graphs, under the lock */
	unsigned int nr_spent;
};

/* Shared by the workers. */
struct convert_job {
	const struct input *in;
	const struct convert_opts *opts;
	const Dwarf_Off *cus;
	size_t nr_cus;

	pthread_mutex_t lock;
	size_t next_cu;		/* next CU to hand out */
	size_t next_append;	/* next CU to append to the result */
	bool appending;		/* a worker is appending (append_ready()) */
	struct tgraph **done;	/* converted CUs waiting for their turn */
	uint32_t *cu_worker;	/* whose string set a CU's names are in */
	uint32_t *cu_first;	/* first node of each CU in the result, and the end */
	struct name_cache *names;	/* per worker */
	struct worker *workers;
	struct tgraph *result;
	size_t max_nodes;	/* refuse a result larger than this */
	size_t skipped;
	size_t reused;
	int err;
	char errmsg[512];
};

/*
 * Appends finished CUs in CU order. Called with the lock held, which it
 * drops while copying, so that the other workers hand in theirs meanwhile
 * instead of waiting for the lock; one worker appends at a time, and none after a failure.
 */
static int append_ready(struct convert_job *job)
{
	if (job->appending)
		return 0;
	job->appending = true;
	while (job->next_append < job->nr_cus && job->done[job->next_append]) {
		size_t idx = job->next_append;
		struct tgraph *g = job->done[idx];
		uint32_t worker = job->cu_worker[idx];
		struct worker *w = &job->workers[worker];
		int err;

		pthread_mutex_unlock(&job->lock);
		job->cu_first[idx] = (uint32_t)job->result->nr_nodes;
		err = tgraph__append(job->result, g, worker);
		if (!err && job->result->nr_nodes > job->max_nodes)
			err = -E2BIG;
		pthread_mutex_lock(&job->lock);
		if (w->nr_spent < SPENT_MAX)
			w->spent[w->nr_spent++] = g;
		else
			tgraph__free(g);
		job->done[idx] = NULL;
		job->next_append++;
		if (err)
			return err;
	}
	job->appending = false;
	return 0;
}

/* .debug_info as this worker's handle maps it from the file, if it does. */
struct mapped_section {
	const char *base;
	size_t size;
	size_t released;	/* pages before this offset are given back */
};

static struct mapped_section mapped_debug_info(struct dwarf_handle *h)
{
	struct mapped_section m = { 0 };
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	/* relocated (dwfl) or decompressed sections are in memory of their own */
	if (!h->elf || elf_getshdrstrndx(h->elf, &shstrndx))
		return m;
	while ((scn = elf_nextscn(h->elf, scn))) {
		const char *name;
		Elf_Data *data;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || (sh.sh_flags & SHF_COMPRESSED))
			continue;
		name = elf_strptr(h->elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, ".debug_info"))
			continue;
		data = elf_getdata(scn, NULL);
		if (data && data->d_buf && data->d_size == sh.sh_size) {
			m.base = data->d_buf;
			m.size = data->d_size;
		}
		break;
	}
	return m;
}

/*
 * At least this much at a time: every madvise() flushes the other
 * workers' TLBs too, so fewer calls halve the shootdowns, for
 * RELEASE_BATCH more resident per worker at most.
 */
#define RELEASE_BATCH (2u << 20)

/*
 * Gives back the pages of .debug_info before the unit whose DIE is at
 * @die_off, so that the resident size does not grow with the file (a later
 * reference into them just reads them in again, from the page cache).
 * Called before converting each unit, once libdw has found it: libdw reads
 * the headers of all units up to the one asked for, and the kernel maps
 * 64 KiB around each, in units other workers convert (in their own
 * mappings) and, after a fresh handle, in all units before.
 */
static void release_before(struct mapped_section *m, uint64_t die_off)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), start, end;

	/* the unit's header sits just before its DIE: keep a margin */
	if (!m->base || (die_off & UNIT_IN_TYPES) || die_off < 64 || die_off > m->size)
		return;
	start = ((uintptr_t)m->base + m->released + page - 1) & ~(page - 1);
	end = ((uintptr_t)m->base + die_off - 64) & ~(page - 1);
	if (end >= start + RELEASE_BATCH) {
		madvise((void *)start, end - start, MADV_DONTNEED);
		m->released = end - (uintptr_t)m->base;
	}
}

/*
 * libdw keeps what it learns of each unit (abbreviations, unit records)
 * until dwarf_end(): tens of MB by the last unit of the 6.1 kernel. A
 * fresh handle every REOPEN_UNITS units bounds that; the name cache holds
 * addresses in the old handle's mappings, so it starts over too. The new
 * handle reads the headers of all units before unit @idx: a few at a time,
 * giving their pages back in between (at once, the kernel's read-around
 * would map 90 MB of the 6.1 kernel for a moment).
 */
#define REOPEN_UNITS 256
#define CATCH_UP_STEP 32

static int worker_reopen(struct cu_conv *c, struct dwarf_handle *h,
			 struct mapped_section *info, const struct convert_job *job, size_t idx)
{
	struct name_cache *nc = c->names;
	size_t k;
	int err;

	die_reader__end_unit(c->rd);
	input__dwarf_close(h);
	err = input__dwarf_open(job->in, h);
	if (err)
		return err;
	c->dwarf = h->dwarf;
	*info = mapped_debug_info(h);
	for (k = CATCH_UP_STEP; k < idx; k += CATCH_UP_STEP) {
		Dwarf_Die die;

		if (!(job->cus[k] & UNIT_IN_TYPES) && dwarf_offdie(c->dwarf, job->cus[k], &die))
			release_before(info, job->cus[k]);
	}
	if (nc->slots)
		memset(nc->slots, 0, nc->cap * sizeof(*nc->slots));
	nc->used = 0;
	return 0;
}

static void *convert_worker(void *arg)
{
	struct worker *w = arg;
	struct convert_job *job = w->job;
	struct cu_conv c = { .in = job->in, .names = &job->names[w->index] };
	struct dwarf_handle h;
	struct tgraph *spare = NULL;
	struct mapped_section info = { 0 };
	char errmsg[512] = "";
	size_t done = 0;
	int err;

	c.little_endian = !input__big_endian(job->in);
	c.rd = die_reader__new(member_attr_names, NR_MA, c.little_endian);
	c.memo = job->opts->no_memo ? NULL : memo__new();
	if (!c.rd || (!c.memo && !job->opts->no_memo)) {
		err = -ENOMEM;
		goto out;
	}
	err = input__dwarf_open(job->in, &h);
	if (err) {
		snprintf(errmsg, sizeof(errmsg), "%s: cannot open DWARF: %s",
			 input__path(job->in), strerror(-err));
		goto out;
	}
	c.dwarf = h.dwarf;
	info = mapped_debug_info(&h);
	c.machine = input__machine(job->in);
	c.err = errmsg;
	c.errlen = sizeof(errmsg);
	for (;;) {
		struct tgraph *spent[SPENT_MAX];
		unsigned int nr_spent;
		Dwarf_Die cudie;
		size_t idx;
		bool skip = false;

		pthread_mutex_lock(&job->lock);
		idx = job->next_cu++;
		if (job->err)
			idx = job->nr_cus;
		nr_spent = w->nr_spent;
		memcpy(spent, w->spent, nr_spent * sizeof(*spent));
		w->nr_spent = 0;
		pthread_mutex_unlock(&job->lock);
		/* one to fill again, the others back to this worker's arena */
		while (nr_spent) {
			if (!spare)
				spare = spent[--nr_spent];
			else
				tgraph__free(spent[--nr_spent]);
		}
		if (idx >= job->nr_cus)
			break;
		if (++done % REOPEN_UNITS == 0) {
			err = worker_reopen(&c, &h, &info, job, idx);
			if (err) {
				snprintf(errmsg, sizeof(errmsg), "%s: cannot open DWARF: %s",
					 input__path(job->in), strerror(-err));
				goto out;
			}
		}
		if (!(job->cus[idx] & UNIT_IN_TYPES ?
		      dwarf_offdie_types(c.dwarf, job->cus[idx] & ~UNIT_IN_TYPES, &cudie) :
		      dwarf_offdie(c.dwarf, job->cus[idx], &cudie))) {
			err = cu_fail(&c, NULL, -EINVAL, "unreadable compile unit at 0x%" PRIx64,
				      (uint64_t)job->cus[idx]);
			break;
		}
		release_before(&info, job->cus[idx]);
		if (spare)
			tgraph__reset(spare);
		c.g = spare ? spare : tgraph__new(c.names->strs);
		spare = NULL;
		if (!c.g) {
			err = -ENOMEM;
			break;
		}
		c.used = 0;
		c.index_int = 0;
		c.cu_index = (uint32_t)idx;
		c.cu = cudie.cu;
		/*
		 * Before libdw is asked about the unit DIE: it finds its
		 * abbreviation among those the reader has it read, instead of
		 * reading the whole table for it. Failing, libdw reads the unit.
		 */
		if (die_reader__begin_unit(c.rd, &cudie) == -ENOMEM) {
			tgraph__free(c.g);
			err = -ENOMEM;
			break;
		}
		c.annotations = may_annotate(&cudie);
		if (c.keys)
			memset(c.keys, 0, c.cap * sizeof(*c.keys));
		if (!unit_is_c(&cudie)) {
			skip = true;
			if (job->opts->verbose && job->opts->log)
				fprintf(job->opts->log, "dwarf2btf: %s: skipping CU '%s': not C (language 0x%x)\n",
					input__path(job->in), dwarf_diename(&cudie) ?: "?",
					dwarf_srclang(&cudie));
		} else {
			err = convert_cu(&c, &cudie);
			if (err) {
				tgraph__free(c.g);
				break;
			}
		}
		pthread_mutex_lock(&job->lock);
		job->done[idx] = c.g;
		job->cu_worker[idx] = w->index;
		job->skipped += skip;
		err = append_ready(job);
		if (!err && job->opts->progress)
			job->opts->progress(job->opts->progress_ctx, job->next_append, job->nr_cus);
		pthread_mutex_unlock(&job->lock);
		if (err == -E2BIG) {
			snprintf(errmsg, sizeof(errmsg),
				 "%s: more than %zu type nodes (one per byte of debug info): the units refer into other units far more than compilers write",
				 input__path(job->in), job->max_nodes);
			break;
		}
		if (err) {
			snprintf(errmsg, sizeof(errmsg), "%s: out of memory", input__path(job->in));
			break;
		}
	}
	input__dwarf_close(&h);
	pthread_mutex_lock(&job->lock);
	job->reused += c.reused;
	pthread_mutex_unlock(&job->lock);
out:
	tgraph__free(spare);
	free(c.keys);
	free(c.own);
	free(c.vals);
	free(c.queue);
	free(c.members);
	die_reader__free(c.rd);
	memo__free(c.memo);
	free(c.key.bytes);
	free(c.key.refs);
	free(c.memo_val);
	free(c.imported);
	if (err) {
		pthread_mutex_lock(&job->lock);
		if (!job->err) {
			job->err = err;
			snprintf(job->errmsg, sizeof(job->errmsg), "%s",
				 errmsg[0] ? errmsg : strerror(-err));
		}
		pthread_mutex_unlock(&job->lock);
	}
	return NULL;
}

/*
 * A CU converts every DIE it refers to, in other units too, once more: a
 * few bytes of hand-made DWARF (thousands of units, each referring to the
 * same long chain of types in another one) would make billions of nodes.
 * Compiler output makes one node per 20 to 50 bytes of .debug_info (the
 * 6.1 kernel: 3.4 million for 164 MB), so the graph may have one node per
 * byte of debug info (main and dwz file), and at least MIN_NODE_LIMIT.
 */
#define MIN_NODE_LIMIT ((size_t)4 << 20)

static size_t debug_info_bytes(Dwarf *dwarf)
{
	Elf *elf = dwarf ? dwarf_getelf(dwarf) : NULL;
	Elf_Scn *scn = NULL;
	size_t shstrndx, total = 0;

	if (!elf || elf_getshdrstrndx(elf, &shstrndx))
		return 0;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;
		Elf_Data *data;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || (strcmp(name, ".debug_info") && strcmp(name, ".debug_types") &&
			      strcmp(name, ".zdebug_info")))
			continue;
		/* libdw has inflated compressed sections in place */
		data = elf_getdata(scn, NULL);
		total += data ? data->d_size : sh.sh_size;
	}
	return total;
}

/*
 * The unit DIEs' offsets from the unit headers in .debug_info itself, a
 * few bytes read a unit. libdw makes a unit record and reads the unit DIE
 * of each, in a handle of its own, on one thread before any worker
 * starts, several times slower. 1 when the file is not
 * that plain (DWARF 4 type units, a dwz file, compressed or relocated
 * DWARF, a header this does not know) and libdw is to list the units.
 */
static int list_units_raw(const struct input *in, Dwarf_Off **out, size_t *nr,
			  size_t *max_nodes)
{
	bool le = !input__big_endian(in);
	uint64_t off, size, u = 0, x, y;
	Dwarf_Off *cus = NULL;
	size_t cap = 0, n = 0;
	int ret = 1;

	if (input__file_section(in, ".debug_info", &off, &size) ||
	    input__file_section(in, ".debug_types", &x, &y) != -ENOENT ||
	    input__file_section(in, ".zdebug_types", &x, &y) != -ENOENT ||
	    input__file_section(in, ".gnu_debugaltlink", &x, &y) != -ENOENT)
		return 1;
	while (u < size) {
		/* unit_length, version, the rest of a DWARF 5 type unit's header at most */
		unsigned char h[4 + 8 + 2 + 2 + 8 + 8 + 8];
		size_t avail = size - u < sizeof(h) ? (size_t)(size - u) : sizeof(h);
		unsigned int osz = 4, p = 4, len_size;
		uint64_t len;
		uint16_t version;
		uint8_t type = DW_UT_compile;

		if (avail < 4 || input__pread(in, h, avail, off + u))
			goto out;
		len = read_fixed(h, 4, le);
		if (len == 0xffffffff) {
			if (avail < 12)
				goto out;
			len = read_fixed(h + 4, 8, le);
			osz = 8;
			p = 12;
		} else if (len >= 0xfffffff0) {
			goto out;
		}
		len_size = p;
		if (len > size - u - p || avail < p + 2)
			goto out;
		version = (uint16_t)read_fixed(h + p, 2, le);
		p += 2;
		if (version < 2 || version > 5)
			goto out;
		if (version < 5) {
			p += osz + 1;
		} else {
			if (avail < p + 1)
				goto out;
			type = h[p];
			p += 2 + osz;
			if (type == DW_UT_type || type == DW_UT_split_type)
				p += 8 + osz;
			else if (type == DW_UT_skeleton || type == DW_UT_split_compile)
				p += 8;
			else if (type != DW_UT_compile && type != DW_UT_partial)
				goto out;
		}
		/* the header and at least the unit DIE's code */
		if (p >= len_size + len)
			goto out;
		if (type == DW_UT_compile || type == DW_UT_partial || type == DW_UT_type) {
			ret = grow_buf((void **)&cus, &cap, sizeof(*cus), n + 1);
			if (ret)
				goto out;
			ret = 1;
			cus[n++] = u + p;
		}
		u += len_size + len;
	}
	*out = cus;
	*nr = n;
	cus = NULL;
	*max_nodes = size;
	ret = 0;
out:
	free(cus);
	return ret;
}

static int list_cus(const struct input *in, bool by_libdw, Dwarf_Off **out, size_t *nr,
		    size_t *max_nodes, bool *raw, char *err, size_t errlen)
{
	struct dwarf_handle h;
	Dwarf_CU *cu = NULL;
	Dwarf_Off *cus = NULL;
	size_t cap = 0, n = 0;
	Dwarf_Die cudie;
	uint8_t unit_type;
	Dwarf_Half version;
	int r, ret;

	ret = by_libdw ? 1 : list_units_raw(in, out, nr, max_nodes);
	*raw = !ret;
	if (ret <= 0) {
		if (ret)
			snprintf(err, errlen, "out of memory");
		else if (*max_nodes < MIN_NODE_LIMIT)
			*max_nodes = MIN_NODE_LIMIT;
		return ret;
	}
	ret = input__dwarf_open(in, &h);
	if (ret) {
		snprintf(err, errlen, "%s: cannot read DWARF", input__path(in));
		return ret;
	}
	while ((r = dwarf_get_units(h.dwarf, cu, &cu, &version, &unit_type, &cudie, NULL)) == 0) {
		if (unit_type != DW_UT_compile && unit_type != DW_UT_partial &&
		    unit_type != DW_UT_type)
			continue;
		ret = grow_buf((void **)&cus, &cap, sizeof(*cus), n + 1);
		if (ret)
			goto out;
		cus[n++] = dwarf_dieoffset(&cudie) |
			   (version < 5 && unit_type == DW_UT_type ? UNIT_IN_TYPES : 0);
	}
	if (r < 0) {
		int dwerr = dwarf_errno();

		/* libdw sets no error for a header cut short at the end of the section */
		snprintf(err, errlen, "%s: corrupt DWARF unit headers: %s", input__path(in),
			 dwerr ? dwarf_errmsg(dwerr) : "a unit header is cut short");
		ret = -EINVAL;
		goto out;
	}
	*out = cus;
	*nr = n;
	cus = NULL;
	*max_nodes = debug_info_bytes(h.dwarf) + debug_info_bytes(h.alt_dwarf);
	if (*max_nodes < MIN_NODE_LIMIT)
		*max_nodes = MIN_NODE_LIMIT;
out:
	free(cus);
	input__dwarf_close(&h);
	return ret;
}

/*
 * CU graphs keep their workers' string offsets; with every worker done,
 * each worker's strings go into the result's set once, then its CUs'
 * nodes are renamed. The first worker's set becomes the result's when the
 * result has no names yet (no base BTF), and its CUs keep their names: at
 * -j1 nothing is renamed. Offsets depend on which worker converted what
 * either way; nothing after conversion depends on their values.
 */
static int merge_names(struct convert_job *job, unsigned int nworkers)
{
	uint32_t **maps = calloc(nworkers, sizeof(*maps));
	unsigned int w, first = 0;
	size_t i;
	int ret = 0;

	if (!maps)
		return -ENOMEM;
	if (strset__size(job->result->strs) <= 1 && job->result->own_strs) {
		struct strset *empty = job->result->strs;

		job->result->strs = job->names[0].strs;
		job->names[0].strs = empty;
		first = 1;
	}
	for (w = first; w < nworkers; w++) {
		uint32_t size, off = 1;
		const char *data = strset__data(job->names[w].strs, &size);

		maps[w] = calloc(size, sizeof(*maps[w]));
		if (!maps[w]) {
			ret = -ENOMEM;
			goto out;
		}
		while (off < size) {
			int64_t r = strset__add(job->result->strs, data + off);

			if (r < 0) {
				ret = (int)r;
				goto out;
			}
			maps[w][off] = (uint32_t)r;
			off += (uint32_t)strlen(data + off) + 1;
		}
	}
	job->cu_first[job->nr_cus] = (uint32_t)job->result->nr_nodes;
	for (i = 0; i < job->nr_cus; i++)
		if (maps[job->cu_worker[i]])
			tgraph__map_names(job->result, job->cu_first[i], job->cu_first[i + 1],
					  maps[job->cu_worker[i]]);
out:
	for (w = 0; w < nworkers; w++)
		free(maps[w]);
	free(maps);
	return ret;
}

int convert__dwarf(const struct input *in, const struct convert_opts *opts,
		   struct tgraph **out, struct convert_stats *stats,
		   char *err, size_t errlen)
{
	struct convert_job job = { .in = in, .opts = opts };
	struct worker *workers = NULL;
	pthread_t *threads = NULL;
	unsigned int nthreads = 0, i, started = 0;
	Dwarf_Off *cus = NULL;
	bool raw_units = false;
	int ret;

	*out = NULL;
	ret = list_cus(in, opts->libdw_units, &cus, &job.nr_cus, &job.max_nodes, &raw_units, err,
		       errlen);
	if (ret)
		return ret;
	if (!job.nr_cus) {
		snprintf(err, errlen, "%s: no compile units in the DWARF", input__path(in));
		ret = -ENODATA;
		goto out;
	}
	nthreads = opts->jobs ? opts->jobs : 1;
	if (nthreads > job.nr_cus)
		nthreads = (unsigned int)job.nr_cus;
	job.cus = cus;
	job.done = calloc(job.nr_cus, sizeof(*job.done));
	job.cu_worker = calloc(job.nr_cus, sizeof(*job.cu_worker));
	job.cu_first = calloc(job.nr_cus + 1, sizeof(*job.cu_first));
	job.names = calloc(nthreads, sizeof(*job.names));
	job.result = tgraph__new(NULL);
	threads = calloc(nthreads, sizeof(*threads));
	workers = calloc(nthreads, sizeof(*workers));
	ret = -ENOMEM;
	if (!job.done || !job.cu_worker || !job.cu_first || !job.names || !job.result ||
	    !threads || !workers)
		goto out_nomem;
	if (opts->base) {
		ret = encode__import_btf(job.result, opts->base);
		if (ret) {
			snprintf(err, errlen, "%s: cannot use the base BTF: %s", input__path(in),
				 strerror(-ret));
			goto out;
		}
		ret = -ENOMEM;
	}
	job.workers = workers;
	for (i = 0; i < nthreads; i++) {
		job.names[i].strs = strset__new();
		if (!job.names[i].strs)
			goto out_nomem;
		workers[i].job = &job;
		workers[i].index = i;
	}
	if (opts->progress)
		opts->progress(opts->progress_ctx, 0, job.nr_cus);
	pthread_mutex_init(&job.lock, NULL);
	for (i = 0; i < nthreads; i++) {
		if (pthread_create(&threads[i], NULL, convert_worker, &workers[i]))
			break;
		started++;
	}
	if (!started) {
		convert_worker(&workers[0]);
		nthreads = 1;
	}
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	pthread_mutex_destroy(&job.lock);
	if (job.err) {
		snprintf(err, errlen, "%s", job.errmsg);
		ret = job.err;
		goto out;
	}
	tgraph__end_append(job.result);
	ret = merge_names(&job, nthreads);
	if (ret)
		goto out_nomem;
	if (stats) {
		stats->nr_cus = job.nr_cus;
		stats->nr_skipped_cus = job.skipped;
		stats->nr_threads = started ? started : 1;
		stats->nr_reused = job.reused;
		stats->units_from_headers = raw_units;
	}
#ifdef __GLIBC__
	/* the workers' per-CU memory, freed but kept by the allocator */
	malloc_trim(0);
#endif
	*out = job.result;
	job.result = NULL;
	goto out;
out_nomem:
	snprintf(err, errlen, "out of memory");
out:
	if (job.done) {
		for (i = 0; i < job.nr_cus; i++)
			tgraph__free(job.done[i]);
		free(job.done);
	}
	for (i = 0; workers && i < nthreads; i++)
		while (workers[i].nr_spent)
			tgraph__free(workers[i].spent[--workers[i].nr_spent]);
	if (job.names) {
		for (i = 0; i < nthreads; i++) {
			strset__free(job.names[i].strs);
			free(job.names[i].slots);
		}
		free(job.names);
	}
	tgraph__free(job.result);
	free(job.cu_worker);
	free(job.cu_first);
	free(threads);
	free(workers);
	free(cus);
	return ret;
}
