/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * In-memory BTF, our model of it (struct d2b_btf, d2b_btf__*: libbpf's
 * btf__* are another API): a type table and a string set, in host byte
 * order.
 *
 * Types are stored as their on-disk records (struct btf_type followed by
 * the kind's trailing data) in one growing buffer, with an index from type
 * id to record offset. Id 0 is void and has no record. Everything that
 * reads or writes BTF (the encoder, raw BTF in and out, the validator, the
 * header writer, the comparison) works on this.
 */
#ifndef D2B_BTF_H
#define D2B_BTF_H

#include <linux/btf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct d2b_btf;

/* Kinds the kernel knows: 1 (INT) to BTF_KIND_MAX. */
#define BTF_NR_KINDS (BTF_KIND_MAX + 1)

static inline uint16_t d2b_btf_kind(const struct btf_type *t)
{
	return BTF_INFO_KIND(t->info);
}

static inline uint16_t d2b_btf_vlen(const struct btf_type *t)
{
	return BTF_INFO_VLEN(t->info);
}

static inline bool d2b_btf_kflag(const struct btf_type *t)
{
	return BTF_INFO_KFLAG(t->info);
}

static inline uint32_t d2b_btf_mkinfo(uint16_t kind, uint16_t vlen, bool kflag)
{
	return ((uint32_t)kflag << 31) | ((uint32_t)(kind & 0x1f) << 24) | vlen;
}

/* Trailing data of each kind. */
static inline const void *d2b_btf_extra(const struct btf_type *t)
{
	return t + 1;
}

static inline uint32_t d2b_btf_member_bit_offset(const struct btf_type *t,
					     const struct btf_member *m)
{
	return d2b_btf_kflag(t) ? BTF_MEMBER_BIT_OFFSET(m->offset) : m->offset;
}

static inline uint32_t d2b_btf_member_bitfield_size(const struct btf_type *t,
						const struct btf_member *m)
{
	return d2b_btf_kflag(t) ? BTF_MEMBER_BITFIELD_SIZE(m->offset) : 0;
}

/* CONST, VOLATILE, RESTRICT, TYPE_TAG: the type they refer to, qualified. */
static inline bool d2b_btf_is_mod(uint16_t kind)
{
	return kind == BTF_KIND_CONST || kind == BTF_KIND_VOLATILE ||
	       kind == BTF_KIND_RESTRICT || kind == BTF_KIND_TYPE_TAG;
}

/*
 * Kinds that make a type of the one they refer to first (d2b_btf_ref(t, 0)
 * below): a modifier, PTR, ARRAY (of that element), FUNC_PROTO (returning
 * that type). C writes them as declarators around that type, where they
 * are used; every other kind is a type of its own (a name or a body) or
 * no type at all (FUNC, VAR, DATASEC, DECL_TAG).
 */
static inline bool d2b_btf_is_declarator(uint16_t kind)
{
	return d2b_btf_is_mod(kind) || kind == BTF_KIND_PTR || kind == BTF_KIND_ARRAY ||
	       kind == BTF_KIND_FUNC_PROTO;
}

/*
 * The references of a type record to other types, as libbpf's field
 * iterator walks them, in one order: the target of a modifier, TYPEDEF,
 * FUNC, VAR or DECL_TAG; an ARRAY's element, then its index; each member's
 * type; a FUNC_PROTO's return type, then each parameter's; each DATASEC
 * entry's VAR. It is the order of a type graph node's edges (tgraph.h), so
 * importing and writing map one onto the other, and the validator walks
 * the same list. The record's trailing data must be in memory after it.
 */
static inline uint32_t d2b_btf_nr_refs(const struct btf_type *t)
{
	switch (d2b_btf_kind(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
		return 1;
	case BTF_KIND_ARRAY:
		return 2;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_DATASEC:
		return d2b_btf_vlen(t);
	case BTF_KIND_FUNC_PROTO:
		return d2b_btf_vlen(t) + 1u;
	default:
		return 0;
	}
}

/* Where reference @i (below d2b_btf_nr_refs()) of @t is stored. */
static inline uint32_t *d2b_btf_ref_at(struct btf_type *t, uint32_t i)
{
	switch (d2b_btf_kind(t)) {
	case BTF_KIND_ARRAY: {
		struct btf_array *a = (struct btf_array *)(t + 1);

		return i ? &a->index_type : &a->type;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return &((struct btf_member *)(t + 1))[i].type;
	case BTF_KIND_FUNC_PROTO:
		return i ? &((struct btf_param *)(t + 1))[i - 1].type : &t->type;
	case BTF_KIND_DATASEC:
		return &((struct btf_var_secinfo *)(t + 1))[i].type;
	default:
		return &t->type;
	}
}

/* The type id reference @i of @t refers to. */
static inline uint32_t d2b_btf_ref(const struct btf_type *t, uint32_t i)
{
	return *d2b_btf_ref_at((struct btf_type *)t, i);
}

/*
 * Size in bytes of the trailing data of a kind with @vlen entries, or -1
 * for a kind that does not exist.
 */
long d2b_btf_kind_extra_size(uint16_t kind, uint16_t vlen);
/* Is the type's size field its size in bytes (INT, STRUCT, ENUM, DATASEC, ...)? */
bool d2b_btf_kind_sized(uint16_t kind);
/* "STRUCT", "FUNC_PROTO", ...; "UNKNOWN" for a kind that does not exist. */
const char *d2b_btf_kind_name(uint16_t kind);
/* "struct", "func_proto", ...: for a type named by kind and name; "unknown". */
const char *d2b_btf_kind_word(uint16_t kind);

struct d2b_btf *d2b_btf__new(void);
/*
 * An empty type table over a string section taken byte for byte from a
 * raw blob (see strset__new_raw()), so name offsets keep their meaning.
 */
int d2b_btf__new_from_strs(const char *strs, size_t len, struct d2b_btf **out);
void d2b_btf__free(struct d2b_btf *btf);

/*
 * Split BTF: @btf (still empty) continues @base, which must outlive it:
 * its type ids start after the base's, and its string offsets after the
 * base's string section. A base's types and names are @btf's too.
 */
void d2b_btf__set_base(struct d2b_btf *btf, const struct d2b_btf *base);
/* First type id of @btf's own (1 unless split). */
uint32_t d2b_btf__start_id(const struct d2b_btf *btf);
/* Size of the string sections, the base's included. */
uint32_t d2b_btf__str_size(const struct d2b_btf *btf);

/* Number of type ids, void included: valid ids are 0 .. d2b_btf__type_cnt() - 1. */
uint32_t d2b_btf__type_cnt(const struct d2b_btf *btf);
/* Record of type @id, NULL for void or an id out of range. */
const struct btf_type *d2b_btf__type_by_id(const struct d2b_btf *btf, uint32_t id);
/* String at @off, NULL if @off is outside the string section. */
const char *d2b_btf__str(const struct d2b_btf *btf, uint32_t off);
const char *d2b_btf__name(const struct d2b_btf *btf, const struct btf_type *t);

/* Offset of @s in the string section, added if missing; -errno on failure. */
int64_t d2b_btf__add_str(struct d2b_btf *btf, const char *s);
/*
 * Append a type: @t is the fixed part, @extra the trailing data of
 * @extra_len bytes. Returns the new type id or -errno.
 */
int64_t d2b_btf__add_type(struct d2b_btf *btf, const struct btf_type *t,
		      const void *extra, size_t extra_len);

/* Size in bytes of the record of type @id (header and trailing data). */
size_t d2b_btf__type_rec_size(const struct d2b_btf *btf, uint32_t id);

/* Strings and type records exactly as they will be written. */
const struct strset *d2b_btf__strset(const struct d2b_btf *btf);
const void *d2b_btf__types_data(const struct d2b_btf *btf, uint32_t *size);

/* Pointer size of the target (default 8), used to size PTR types. */
void d2b_btf__set_ptr_size(struct d2b_btf *btf, uint8_t size);
uint8_t d2b_btf__ptr_size(const struct d2b_btf *btf);

/* Byte order of the blob this BTF was read from (default: the host's). */
void d2b_btf__set_big_endian(struct d2b_btf *btf, bool big_endian);
bool d2b_btf__big_endian(const struct d2b_btf *btf);

/*
 * Byte size of the object of type @id after following typedefs and
 * modifiers; -EINVAL for sizeless kinds, -ELOOP for a chain too deep.
 */
int64_t d2b_btf__resolve_size(const struct d2b_btf *btf, uint32_t id);

#endif
