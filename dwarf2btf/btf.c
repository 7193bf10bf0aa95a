// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * In-memory BTF container: type records in one buffer, an index of record
 * offsets, and a string set.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "strset.h"
#include "util.h"

struct d2b_btf {
	char *types;		/* records, back to back */
	size_t types_len;
	size_t types_cap;
	uint32_t *offs;		/* offs[id - 1]: offset of type id's record */
	size_t nr_types;	/* without void */
	size_t offs_cap;
	struct strset *strs;
	uint8_t ptr_size;	/* target pointer size; BTF does not record it */
	bool big_endian;	/* byte order of the blob it was read from, else the host's */

	/*
	 * Split BTF (a module's, on top of vmlinux's): ids below start_id and
	 * string offsets below start_str_off are the base's.
	 */
	const struct d2b_btf *base;
	uint32_t start_id;
	uint32_t start_str_off;
};

/* Deepest typedef/modifier chain followed when resolving a size. */
#define MAX_RESOLVE_DEPTH 32

static const char *const kind_names[BTF_NR_KINDS] = {
	[BTF_KIND_UNKN] = "UNKNOWN",
	[BTF_KIND_INT] = "INT",
	[BTF_KIND_PTR] = "PTR",
	[BTF_KIND_ARRAY] = "ARRAY",
	[BTF_KIND_STRUCT] = "STRUCT",
	[BTF_KIND_UNION] = "UNION",
	[BTF_KIND_ENUM] = "ENUM",
	[BTF_KIND_FWD] = "FWD",
	[BTF_KIND_TYPEDEF] = "TYPEDEF",
	[BTF_KIND_VOLATILE] = "VOLATILE",
	[BTF_KIND_CONST] = "CONST",
	[BTF_KIND_RESTRICT] = "RESTRICT",
	[BTF_KIND_FUNC] = "FUNC",
	[BTF_KIND_FUNC_PROTO] = "FUNC_PROTO",
	[BTF_KIND_VAR] = "VAR",
	[BTF_KIND_DATASEC] = "DATASEC",
	[BTF_KIND_FLOAT] = "FLOAT",
	[BTF_KIND_DECL_TAG] = "DECL_TAG",
	[BTF_KIND_TYPE_TAG] = "TYPE_TAG",
	[BTF_KIND_ENUM64] = "ENUM64",
};

const char *d2b_btf_kind_name(uint16_t kind)
{
	return kind < BTF_NR_KINDS ? kind_names[kind] : "UNKNOWN";
}

/* Lowercase keywords, used when a type is referred to by kind and name. */
static const char *const kind_words[BTF_NR_KINDS] = {
	[BTF_KIND_UNKN] = "unknown",
	[BTF_KIND_INT] = "int",
	[BTF_KIND_PTR] = "ptr",
	[BTF_KIND_ARRAY] = "array",
	[BTF_KIND_STRUCT] = "struct",
	[BTF_KIND_UNION] = "union",
	[BTF_KIND_ENUM] = "enum",
	[BTF_KIND_FWD] = "fwd",
	[BTF_KIND_TYPEDEF] = "typedef",
	[BTF_KIND_VOLATILE] = "volatile",
	[BTF_KIND_CONST] = "const",
	[BTF_KIND_RESTRICT] = "restrict",
	[BTF_KIND_FUNC] = "func",
	[BTF_KIND_FUNC_PROTO] = "func_proto",
	[BTF_KIND_VAR] = "var",
	[BTF_KIND_DATASEC] = "datasec",
	[BTF_KIND_FLOAT] = "float",
	[BTF_KIND_DECL_TAG] = "decl_tag",
	[BTF_KIND_TYPE_TAG] = "type_tag",
	[BTF_KIND_ENUM64] = "enum64",
};

const char *d2b_btf_kind_word(uint16_t kind)
{
	return kind < BTF_NR_KINDS ? kind_words[kind] : "unknown";
}

bool d2b_btf_kind_sized(uint16_t kind)
{
	switch (kind) {
	case BTF_KIND_INT:
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FLOAT:
	case BTF_KIND_DATASEC:
		return true;
	default:
		return false;
	}
}

long d2b_btf_kind_extra_size(uint16_t kind, uint16_t vlen)
{
	switch (kind) {
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	case BTF_KIND_INT:
		return sizeof(uint32_t);
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return (long)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return (long)vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO:
		return (long)vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR:
		return sizeof(struct btf_var);
	case BTF_KIND_DATASEC:
		return (long)vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG:
		return sizeof(struct btf_decl_tag);
	case BTF_KIND_ENUM64:
		return (long)vlen * sizeof(struct btf_enum64);
	default:
		return -1;
	}
}

struct d2b_btf *d2b_btf__new(void)
{
	struct d2b_btf *btf = calloc(1, sizeof(*btf));

	if (!btf)
		return NULL;
	btf->ptr_size = 8;
	btf->big_endian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
	btf->start_id = 1;
	btf->strs = strset__new();
	if (!btf->strs) {
		free(btf);
		return NULL;
	}
	return btf;
}

void d2b_btf__free(struct d2b_btf *btf)
{
	if (!btf)
		return;
	free(btf->types);
	free(btf->offs);
	strset__free(btf->strs);
	free(btf);
}

uint32_t d2b_btf__type_cnt(const struct d2b_btf *btf)
{
	return btf->start_id + (uint32_t)btf->nr_types;
}

const struct btf_type *d2b_btf__type_by_id(const struct d2b_btf *btf, uint32_t id)
{
	if (id < btf->start_id)
		return btf->base ? d2b_btf__type_by_id(btf->base, id) : NULL;
	id -= btf->start_id;
	if (id >= btf->nr_types)
		return NULL;
	return (const struct btf_type *)(btf->types + btf->offs[id]);
}

const char *d2b_btf__str(const struct d2b_btf *btf, uint32_t off)
{
	if (off < btf->start_str_off)
		return d2b_btf__str(btf->base, off);
	return strset__str(btf->strs, off - btf->start_str_off);
}

const char *d2b_btf__name(const struct d2b_btf *btf, const struct btf_type *t)
{
	const char *s = d2b_btf__str(btf, t->name_off);

	return s ? s : "";
}

int64_t d2b_btf__add_str(struct d2b_btf *btf, const char *s)
{
	int64_t off;

	/* a split BTF's names may be the base's */
	if (btf->base) {
		off = strset__find(btf->base->strs, s);
		if (off >= 0 && (uint64_t)off < btf->start_str_off)
			return off;
	}
	off = strset__add(btf->strs, s);
	if (off < 0 || (uint64_t)off + btf->start_str_off > UINT32_MAX)
		return off < 0 ? off : -E2BIG;
	return off + btf->start_str_off;
}

void d2b_btf__set_base(struct d2b_btf *btf, const struct d2b_btf *base)
{
	btf->base = base;
	btf->start_id = d2b_btf__type_cnt(base);
	btf->start_str_off = d2b_btf__str_size(base);
}

uint32_t d2b_btf__start_id(const struct d2b_btf *btf)
{
	return btf->start_id;
}

uint32_t d2b_btf__str_size(const struct d2b_btf *btf)
{
	return btf->start_str_off + strset__size(btf->strs);
}

int64_t d2b_btf__add_type(struct d2b_btf *btf, const struct btf_type *t,
		      const void *extra, size_t extra_len)
{
	size_t need = btf->types_len + sizeof(*t) + extra_len;
	int err;

	/* ids live in 31 bits in BTF; offsets in 32 */
	if (btf->nr_types >= 0x7fffffff || need > UINT32_MAX)
		return -E2BIG;
	err = grow_buf((void **)&btf->types, &btf->types_cap, 1, need);
	if (err)
		return err;
	err = grow_buf((void **)&btf->offs, &btf->offs_cap, sizeof(*btf->offs),
		       btf->nr_types + 1);
	if (err)
		return err;
	btf->offs[btf->nr_types++] = (uint32_t)btf->types_len;
	memcpy(btf->types + btf->types_len, t, sizeof(*t));
	if (extra_len)
		memcpy(btf->types + btf->types_len + sizeof(*t), extra, extra_len);
	btf->types_len = need;
	return (int64_t)btf->start_id + (int64_t)btf->nr_types - 1;
}

size_t d2b_btf__type_rec_size(const struct d2b_btf *btf, uint32_t id)
{
	size_t end;

	if (id < btf->start_id)
		return btf->base ? d2b_btf__type_rec_size(btf->base, id) : 0;
	id -= btf->start_id;
	if (id >= btf->nr_types)
		return 0;
	end = id + 1 < btf->nr_types ? btf->offs[id + 1] : btf->types_len;
	return end - btf->offs[id];
}

const struct strset *d2b_btf__strset(const struct d2b_btf *btf)
{
	return btf->strs;
}

const void *d2b_btf__types_data(const struct d2b_btf *btf, uint32_t *size)
{
	*size = (uint32_t)btf->types_len;
	return btf->types;
}

void d2b_btf__set_ptr_size(struct d2b_btf *btf, uint8_t size)
{
	btf->ptr_size = size;
}

uint8_t d2b_btf__ptr_size(const struct d2b_btf *btf)
{
	return btf->ptr_size;
}

int64_t d2b_btf__resolve_size(const struct d2b_btf *btf, uint32_t id)
{
	uint64_t mult = 1;
	int depth;

	for (depth = 0; depth < MAX_RESOLVE_DEPTH; depth++) {
		const struct btf_type *t = d2b_btf__type_by_id(btf, id);
		const struct btf_array *arr;
		uint64_t size;

		if (!t)
			return -EINVAL;
		switch (d2b_btf_kind(t)) {
		case BTF_KIND_PTR:
			size = btf->ptr_size;
			break;
		case BTF_KIND_TYPEDEF:
		case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST:
		case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
		case BTF_KIND_VAR:
			id = t->type;
			continue;
		case BTF_KIND_ARRAY:
			arr = d2b_btf_extra(t);
			mult *= arr->nelems;
			if (mult > UINT32_MAX)
				return -E2BIG;
			id = arr->type;
			continue;
		default:
			if (!d2b_btf_kind_sized(d2b_btf_kind(t)))
				return -EINVAL;
			size = t->size;
			break;
		}
		if (mult && size > UINT32_MAX / mult)
			return -E2BIG;
		return (int64_t)(size * mult);
	}
	return -ELOOP;
}

int d2b_btf__new_from_strs(const char *strs, size_t len, struct d2b_btf **out)
{
	struct d2b_btf *btf;
	int err;

	btf = d2b_btf__new();
	if (!btf)
		return -ENOMEM;
	strset__free(btf->strs);
	btf->strs = NULL;
	err = strset__new_raw(strs, len, &btf->strs);
	if (err) {
		d2b_btf__free(btf);
		return err;
	}
	*out = btf;
	return 0;
}

void d2b_btf__set_big_endian(struct d2b_btf *btf, bool big_endian)
{
	btf->big_endian = big_endian;
}

bool d2b_btf__big_endian(const struct d2b_btf *btf)
{
	return btf->big_endian;
}
