// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * BTF validator: the per-type rules the kernel applies when it loads BTF
 * (docs/btf-rules.md lists them with their messages).
 *
 * Four passes, none recursive, since the input may be hostile:
 *  1. each record on its own: kind, vlen, kind_flag, names, ids in range,
 *     fields that need no other type;
 *  2. a depth-first walk over the references a type needs resolved to be
 *     laid out (everything but what a PTR points to): a cycle there is a
 *     type containing itself. Types finish children first, so each one's
 *     size, modifier-free target and modifier chain depth are computed
 *     from already known values;
 *  3. chains made only of PTRs and modifiers must end: "PTR -> CONST ->
 *     the same PTR" has no size-carrying type to stop at;
 *  4. rules that need the referenced types: member layout, array element
 *     and index, FUNC and its proto, DATASEC entries, tag targets.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "validate.h"
#include "strset.h"

/* KSYM_NAME_LEN of the kernels that limit names: a name must be shorter. */
#define BTF_NAME_MAX_LEN 128
/* Modifiers (and typedefs) one chain may hold, as the kernel counts them. */
#define MAX_MODIFIER_CHAIN 32

/* size[] values for types without a size */
#define NO_SIZE (-1)
#define SIZE_OVERFLOW (-2)

enum name_rule {
	NAME_ANY,		/* not checked (INT, FLOAT: "unsigned int") */
	NAME_NONE,		/* must be unnamed */
	NAME_IDENT,		/* a C identifier */
	NAME_IDENT_OPT,		/* a C identifier or nothing */
	NAME_SECTION,		/* identifier characters and '.' */
	NAME_NONEMPTY,		/* any non-empty string (tag values) */
};

struct kind_rule {
	enum name_rule name;
	bool kflag_ok;
	bool vlen_zero;
};

static const struct kind_rule kind_rules[BTF_NR_KINDS] = {
	[BTF_KIND_INT] = { NAME_ANY, false, true },
	[BTF_KIND_PTR] = { NAME_NONE, false, true },
	[BTF_KIND_ARRAY] = { NAME_NONE, false, true },
	[BTF_KIND_STRUCT] = { NAME_IDENT_OPT, true, false },
	[BTF_KIND_UNION] = { NAME_IDENT_OPT, true, false },
	[BTF_KIND_ENUM] = { NAME_IDENT_OPT, true, false },	/* kflag: signed */
	[BTF_KIND_FWD] = { NAME_IDENT, true, true },		/* kflag: union */
	[BTF_KIND_TYPEDEF] = { NAME_IDENT, false, true },
	[BTF_KIND_VOLATILE] = { NAME_NONE, false, true },
	[BTF_KIND_CONST] = { NAME_NONE, false, true },
	[BTF_KIND_RESTRICT] = { NAME_NONE, false, true },
	[BTF_KIND_FUNC] = { NAME_IDENT, false, false },		/* vlen: linkage */
	[BTF_KIND_FUNC_PROTO] = { NAME_NONE, false, false },
	[BTF_KIND_VAR] = { NAME_SECTION, false, true },
	[BTF_KIND_DATASEC] = { NAME_SECTION, false, false },
	[BTF_KIND_FLOAT] = { NAME_ANY, false, true },
	/* kflag on tags marks an attribute-style tag (newer kernels) */
	[BTF_KIND_DECL_TAG] = { NAME_NONEMPTY, true, true },
	[BTF_KIND_TYPE_TAG] = { NAME_NONEMPTY, true, true },
	[BTF_KIND_ENUM64] = { NAME_IDENT_OPT, true, false },
};

struct vctx {
	const struct d2b_btf *btf;
	uint32_t nr;		/* type ids, void included */
	uint32_t str_size;
	char *err;
	size_t errlen;
	uint8_t *state;		/* walk colour, per id */
	int64_t *size;		/* byte size after modifiers, or NO_SIZE */
	uint32_t *res;		/* id after skipping modifiers and typedefs */
	uint8_t *depth;		/* modifiers in the chain starting here, capped */
	uint8_t *tagged;	/* the modifier chain starting here has a TYPE_TAG */
	struct walk { uint32_t id, edge, nr; } *stack;	/* nr: layout_refs() of id */
};

__attribute__((format(printf, 3, 4)))
static int type_err(const struct vctx *v, uint32_t id, const char *fmt, ...)
{
	const struct btf_type *t = d2b_btf__type_by_id(v->btf, id);
	char rule[384];
	va_list ap;

	if (!v->err || !v->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(rule, sizeof(rule), fmt, ap);
	va_end(ap);
	snprintf(v->err, v->errlen, "type [%u] %s '%.64s': %s", id,
		 d2b_btf_kind_name(d2b_btf_kind(t)), d2b_btf__name(v->btf, t), rule);
	return -EINVAL;
}

__attribute__((format(printf, 2, 3)))
static int btf_err(const struct vctx *v, const char *fmt, ...)
{
	va_list ap;

	if (v->err && v->errlen) {
		va_start(ap, fmt);
		vsnprintf(v->err, v->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static const struct btf_type *type_of(const struct vctx *v, uint32_t id)
{
	return d2b_btf__type_by_id(v->btf, id);
}

static uint16_t kind_of(const struct vctx *v, uint32_t id)
{
	return id ? d2b_btf_kind(type_of(v, id)) : BTF_KIND_UNKN;
}

/* "INT", "STRUCT", ... for an id, "void" for 0. */
static const char *kind_str(const struct vctx *v, uint32_t id)
{
	return id ? d2b_btf_kind_name(kind_of(v, id)) : "void";
}

/* A modifier as the kernel's checks see it: TYPEDEF is one too. */
static bool is_modifier(uint16_t kind)
{
	return kind == BTF_KIND_TYPEDEF || d2b_btf_is_mod(kind);
}

static bool is_ptr_or_modifier(uint16_t kind)
{
	return kind == BTF_KIND_PTR || is_modifier(kind);
}

static uint32_t int_data(const struct btf_type *t)
{
	return *(const uint32_t *)d2b_btf_extra(t);
}

/* An INT usable as a plain value: whole bytes, no bit offset. */
static bool int_regular(const struct btf_type *t)
{
	uint32_t data = int_data(t), bits = BTF_INT_BITS(data);

	if (BTF_INT_OFFSET(data) || bits % 8)
		return false;
	bits /= 8;
	return bits == 1 || bits == 2 || bits == 4 || bits == 8 || bits == 16;
}

/* NULL if @s is a valid name under @rule, else what is wrong with it. */
static const char *name_problem(const char *s, enum name_rule rule)
{
	bool dot_ok = rule == NAME_SECTION;
	size_t i;

	if (rule == NAME_ANY)
		return NULL;
	if (rule == NAME_NONE)
		return *s ? "has a name, expected none" : NULL;
	if (!*s)
		return rule == NAME_IDENT_OPT ? NULL : "name is empty";
	if (rule == NAME_NONEMPTY)
		return NULL;
	for (i = 0; s[i]; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
			  (dot_ok && c == '.') || (i && c >= '0' && c <= '9');

		if (i >= BTF_NAME_MAX_LEN - 1)
			return "name too long (128 bytes or more, limit 127)";
		if (!ok)
			return i || c < '0' || c > '9' ?
			       "name has a character not allowed in an identifier" :
			       "name starts with a digit";
	}
	return NULL;
}

/*
 * Check a name offset (of the type itself when @what is NULL, else of the
 * named part, e.g. "member 3") against @rule.
 */
static int check_name(const struct vctx *v, uint32_t id, uint32_t off,
		      enum name_rule rule, const char *what, uint32_t idx)
{
	const char *s = NULL, *problem = NULL;
	char part[32] = "";

	if (off < v->str_size && off <= BTF_MAX_NAME_OFFSET) {
		s = d2b_btf__str(v->btf, off);
		problem = name_problem(s, rule);
		if (!problem)
			return 0;
	}
	/* formatting the part for every member, not only on error: a quarter of --validate */
	if (what)
		snprintf(part, sizeof(part), "%s %u ", what, idx);
	if (!s)
		return type_err(v, id, "%sname offset %u outside the string section (%u bytes)",
				part, off, v->str_size);
	/* the type's own name is already in the message prefix */
	if (!what)
		return type_err(v, id, "%s", problem);
	return type_err(v, id, "%s'%.64s': %s", part, s, problem);
}

static int check_ref(const struct vctx *v, uint32_t id, uint32_t ref, const char *what)
{
	if (ref >= v->nr)
		return type_err(v, id, "%s references missing type [%u] (last id %u)",
				what, ref, v->nr - 1);
	return 0;
}

static int check_int(const struct vctx *v, uint32_t id, const struct btf_type *t)
{
	uint32_t data = int_data(t), enc = BTF_INT_ENCODING(data);
	uint32_t bits = BTF_INT_BITS(data), off = BTF_INT_OFFSET(data);

	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8 && t->size != 16)
		return type_err(v, id, "int size %u not 1, 2, 4, 8 or 16", t->size);
	if (data & 0xf0000000)
		return type_err(v, id, "reserved int bits set (0x%08x)", data);
	if (bits > 128)
		return type_err(v, id, "int bits %u exceed 128", bits);
	if (off + bits > t->size * 8)
		return type_err(v, id, "int offset %u + bits %u exceed size %u bytes",
				off, bits, t->size);
	if (enc && enc != BTF_INT_SIGNED && enc != BTF_INT_CHAR && enc != BTF_INT_BOOL)
		return type_err(v, id, "int encoding 0x%x: at most one of SIGNED, CHAR, BOOL",
				enc);
	return 0;
}

static int check_members(const struct vctx *v, uint32_t id, const struct btf_type *t)
{
	const struct btf_member *m = d2b_btf_extra(t);
	bool is_union = d2b_btf_kind(t) == BTF_KIND_UNION;
	uint32_t i, last = 0;
	int err;

	for (i = 0; i < d2b_btf_vlen(t); i++, m++) {
		uint32_t off = d2b_btf_member_bit_offset(t, m);
		const char *name;

		err = check_name(v, id, m->name_off, NAME_IDENT_OPT, "member", i);
		if (err)
			return err;
		name = d2b_btf__str(v->btf, m->name_off);
		err = check_ref(v, id, m->type, "member");
		if (err)
			return err;
		if (is_union && off)
			return type_err(v, id, "member '%s' offset %u: union members are at offset 0",
					name, off);
		if (off < last)
			return type_err(v, id, "member '%s' offset %u before previous member's %u",
					name, off, last);
		if ((off + 7ULL) / 8 > t->size)
			return type_err(v, id, "member '%s' offset %u beyond struct size %u",
					name, off, t->size);
		last = off;
	}
	return 0;
}

static int check_enum(const struct vctx *v, uint32_t id, const struct btf_type *t)
{
	bool is64 = d2b_btf_kind(t) == BTF_KIND_ENUM64;
	const struct btf_enum64 *e64 = d2b_btf_extra(t);
	const struct btf_enum *e = d2b_btf_extra(t);
	uint32_t i;
	int err;

	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
		return type_err(v, id, "enum size %u not 1, 2, 4 or 8", t->size);
	for (i = 0; i < d2b_btf_vlen(t); i++) {
		err = check_name(v, id, is64 ? e64[i].name_off : e[i].name_off,
				 NAME_IDENT, "enumerator", i);
		if (err)
			return err;
	}
	return 0;
}

static int check_proto(const struct vctx *v, uint32_t id, const struct btf_type *t)
{
	const struct btf_param *p = d2b_btf_extra(t);
	uint32_t i, n = d2b_btf_vlen(t);
	int err;

	err = check_ref(v, id, t->type, "return type");
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		err = check_name(v, id, p[i].name_off, NAME_IDENT_OPT, "param", i);
		if (err)
			return err;
		err = check_ref(v, id, p[i].type, "param");
		if (err)
			return err;
		if (p[i].type)
			continue;
		/* void stands for "..." and only as the last, unnamed param */
		if (i != n - 1)
			return type_err(v, id, "param %u is varargs (void) but not last of %u",
					i, n);
		if (p[i].name_off)
			return type_err(v, id, "varargs param %u has a name", i);
	}
	return 0;
}

static int check_datasec(const struct vctx *v, uint32_t id, const struct btf_type *t)
{
	const struct btf_var_secinfo *s = d2b_btf_extra(t);
	uint64_t end = 0;
	uint32_t i;
	int err;

	if (!t->size)
		return type_err(v, id, "datasec size 0");
	for (i = 0; i < d2b_btf_vlen(t); i++, s++) {
		err = check_ref(v, id, s->type, "entry");
		if (err)
			return err;
		if (!s->size)
			return type_err(v, id, "entry %u has size 0", i);
		if (s->offset < end)
			return type_err(v, id, "entry %u offset %u before the end of entry %u (%llu): entries must be sorted and not overlap",
					i, s->offset, i - 1, (unsigned long long)end);
		end = (uint64_t)s->offset + s->size;
		if (end > t->size)
			return type_err(v, id, "entry %u (offset %u, size %u) beyond datasec size %u",
					i, s->offset, s->size, t->size);
	}
	return 0;
}

/* Pass 1: one record, with nothing known about the types it references. */
static int check_meta(const struct vctx *v, uint32_t id)
{
	const struct btf_type *t = type_of(v, id);
	uint16_t kind = d2b_btf_kind(t), vlen = d2b_btf_vlen(t);
	const struct kind_rule *rule;
	long extra;
	int err;

	if (kind == BTF_KIND_UNKN || kind > BTF_KIND_MAX)
		return type_err(v, id, "unknown kind %u", kind);
	extra = d2b_btf_kind_extra_size(kind, vlen);
	if (extra < 0 || d2b_btf__type_rec_size(v->btf, id) != sizeof(*t) + (size_t)extra)
		return type_err(v, id, "record of %zu bytes does not match kind and vlen %u",
				d2b_btf__type_rec_size(v->btf, id), vlen);
	rule = &kind_rules[kind];
	if (!rule->kflag_ok && d2b_btf_kflag(t))
		return type_err(v, id, "kind_flag set, not allowed for this kind");
	if (rule->vlen_zero && vlen)
		return type_err(v, id, "vlen %u, expected 0", vlen);
	err = check_name(v, id, t->name_off, rule->name, NULL, 0);
	if (err)
		return err;

	if (is_ptr_or_modifier(kind))
		return check_ref(v, id, t->type, "target");
	switch (kind) {
	case BTF_KIND_INT:
		return check_int(v, id, t);
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = d2b_btf_extra(t);

		if (t->size)
			return type_err(v, id, "array size field %u, expected 0", t->size);
		err = check_ref(v, id, a->type, "element");
		return err ? err : check_ref(v, id, a->index_type, "index");
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return check_members(v, id, t);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return check_enum(v, id, t);
	case BTF_KIND_FUNC:
		if (vlen > BTF_FUNC_EXTERN)
			return type_err(v, id, "linkage %u not static (0), global (1) or extern (2)",
					vlen);
		return check_ref(v, id, t->type, "proto");
	case BTF_KIND_FUNC_PROTO:
		return check_proto(v, id, t);
	case BTF_KIND_VAR: {
		const struct btf_var *var = d2b_btf_extra(t);

		if (var->linkage != BTF_VAR_STATIC && var->linkage != BTF_VAR_GLOBAL_ALLOCATED)
			return type_err(v, id, "linkage %u not static (0) or global allocated (1)",
					var->linkage);
		if (!t->type)
			return type_err(v, id, "variable of type void");
		return check_ref(v, id, t->type, "type");
	}
	case BTF_KIND_DATASEC:
		return check_datasec(v, id, t);
	case BTF_KIND_FLOAT:
		if (t->size != 2 && t->size != 4 && t->size != 8 && t->size != 12 &&
		    t->size != 16)
			return type_err(v, id, "float size %u not 2, 4, 8, 12 or 16", t->size);
		return 0;
	case BTF_KIND_DECL_TAG: {
		const struct btf_decl_tag *tag = d2b_btf_extra(t);

		if (tag->component_idx < -1)
			return type_err(v, id, "component index %d below -1", tag->component_idx);
		return check_ref(v, id, t->type, "target");
	}
	default:	/* FWD: nothing referenced */
		return 0;
	}
}

/* References that must be resolved for a type to be laid out: all but a PTR's target. */
static uint32_t layout_refs(const struct btf_type *t)
{
	return d2b_btf_kind(t) == BTF_KIND_PTR ? 0 : d2b_btf_nr_refs(t);
}

/* Size, resolved id and chain facts of @id, its references being done. */
static void finish_type(struct vctx *v, uint32_t id)
{
	const struct btf_type *t = type_of(v, id);
	uint16_t kind = d2b_btf_kind(t);

	v->res[id] = id;
	v->size[id] = NO_SIZE;
	switch (kind) {
	case BTF_KIND_PTR:
		v->size[id] = d2b_btf__ptr_size(v->btf);
		break;
	case BTF_KIND_VAR:
		v->size[id] = v->size[t->type];
		break;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = d2b_btf_extra(t);
		int64_t elem = v->size[a->type];

		if (elem < 0)
			break;
		if (a->nelems && (uint64_t)elem > UINT32_MAX / a->nelems)
			v->size[id] = SIZE_OVERFLOW;
		else
			v->size[id] = elem * a->nelems;
		break;
	}
	default:
		if (d2b_btf_kind_sized(kind)) {
			v->size[id] = t->size;
			break;
		}
		if (!is_modifier(kind))
			break;
		v->res[id] = v->res[t->type];
		v->size[id] = v->size[t->type];
		v->depth[id] = v->depth[t->type] < UINT8_MAX ? v->depth[t->type] + 1 : UINT8_MAX;
		v->tagged[id] = kind == BTF_KIND_TYPE_TAG || v->tagged[t->type];
		break;
	}
}

/* Pass 2: iterative depth-first walk; a grey target closes a cycle. */
static int walk_types(struct vctx *v)
{
	enum { WHITE, GREY, BLACK };
	uint32_t root, sp;

	v->state[0] = BLACK;	/* void: nothing to resolve */
	for (root = 1; root < v->nr; root++) {
		if (v->state[root] != WHITE)
			continue;
		sp = 0;
		v->stack[sp++] = (struct walk){ root, 0, layout_refs(type_of(v, root)) };
		v->state[root] = GREY;
		while (sp) {
			struct walk *w = &v->stack[sp - 1];
			uint32_t to;

			if (w->edge >= w->nr) {
				v->state[w->id] = BLACK;
				finish_type(v, w->id);
				sp--;
				continue;
			}
			to = d2b_btf_ref(type_of(v, w->id), w->edge);
			w->edge++;
			if (v->state[to] == BLACK)
				continue;
			if (v->state[to] == GREY)
				return type_err(v, to, "reference cycle through [%u] %s with no pointer in it: the type would contain itself",
						w->id, kind_str(v, w->id));
			v->state[to] = GREY;
			v->stack[sp++] = (struct walk){ to, 0, layout_refs(type_of(v, to)) };
		}
	}
	return 0;
}

/* Pass 3: chains of PTRs and modifiers must reach another kind or void. */
static int check_ptr_loops(struct vctx *v)
{
	enum { NEW, ON_PATH, DONE };
	uint32_t id, cur;

	memset(v->state, NEW, v->nr);
	for (id = 1; id < v->nr; id++) {
		if (v->state[id] != NEW || !is_ptr_or_modifier(kind_of(v, id)))
			continue;
		for (cur = id; cur && v->state[cur] == NEW && is_ptr_or_modifier(kind_of(v, cur));
		     cur = type_of(v, cur)->type)
			v->state[cur] = ON_PATH;
		if (cur && v->state[cur] == ON_PATH)
			return type_err(v, cur, "loop of pointers and modifiers that never reaches a type");
		for (cur = id; cur && v->state[cur] == ON_PATH; cur = type_of(v, cur)->type)
			v->state[cur] = DONE;
	}
	return 0;
}

/* What a PTR, modifier or typedef may point to, after its own modifiers. */
static int check_ref_target(const struct vctx *v, uint32_t id, const struct btf_type *t)
{
	uint32_t to = t->type, res = v->res[to];
	uint16_t kind = d2b_btf_kind(t), rk = kind_of(v, res);

	if (rk == BTF_KIND_FUNC || rk == BTF_KIND_VAR || rk == BTF_KIND_DATASEC ||
	    rk == BTF_KIND_DECL_TAG)
		return type_err(v, id, "target [%u] %s is not a type", res, kind_str(v, res));
	if (!is_modifier(kind))
		return 0;
	if (v->depth[id] > MAX_MODIFIER_CHAIN)
		return type_err(v, id, "modifier chain deeper than %d", MAX_MODIFIER_CHAIN);
	if (kind != BTF_KIND_TYPE_TAG && v->tagged[to])
		return type_err(v, id, "TYPE_TAG below this modifier in the chain: type tags must come before other modifiers");
	return 0;
}

static int check_array(const struct vctx *v, uint32_t id, const struct btf_type *t)
{
	const struct btf_array *a = d2b_btf_extra(t);
	uint32_t elem = v->res[a->type], index = v->res[a->index_type];

	if (v->size[a->type] == NO_SIZE)
		return type_err(v, id, "element type [%u] %s has no size", a->type,
				kind_str(v, a->type));
	if (kind_of(v, elem) == BTF_KIND_INT && !int_regular(type_of(v, elem)))
		return type_err(v, id, "element type [%u] is a bitfield INT", elem);
	if (kind_of(v, index) != BTF_KIND_INT || !int_regular(type_of(v, index)))
		return type_err(v, id, "index type [%u] %s is not a regular INT", a->index_type,
				kind_str(v, a->index_type));
	if (v->size[id] == SIZE_OVERFLOW)
		return type_err(v, id, "%u elements of %lld bytes overflow 32 bits", a->nelems,
				(long long)v->size[a->type]);
	return 0;
}

static int check_member_layout(const struct vctx *v, uint32_t id, const struct btf_type *t)
{
	const struct btf_member *m = d2b_btf_extra(t);
	uint64_t limit = (uint64_t)t->size * 8;
	uint32_t i;

	for (i = 0; i < d2b_btf_vlen(t); i++, m++) {
		const char *name = d2b_btf__str(v->btf, m->name_off);
		uint32_t off = d2b_btf_member_bit_offset(t, m);
		uint32_t width = d2b_btf_member_bitfield_size(t, m);
		uint32_t rt = v->res[m->type];
		uint16_t rk = kind_of(v, rt);
		int64_t size = v->size[m->type];

		if (size < 0)
			return type_err(v, id, "member '%s' type [%u] %s has no size", name, m->type,
					kind_str(v, m->type));
		if (width) {
			uint32_t max;

			if (rk == BTF_KIND_INT)
				max = BTF_INT_BITS(int_data(type_of(v, rt)));
			else if (rk == BTF_KIND_ENUM || rk == BTF_KIND_ENUM64)
				max = type_of(v, rt)->size * 8;
			else
				return type_err(v, id, "member '%s' is a bitfield of [%u] %s, not an INT or ENUM",
						name, rt, kind_str(v, rt));
			if (width > max)
				return type_err(v, id, "member '%s' bitfield width %u wider than its type's %u bits",
						name, width, max);
			if ((uint64_t)off + width > limit)
				return type_err(v, id, "member '%s' bits [%u, %llu) beyond struct size %u",
						name, off, (unsigned long long)off + width, t->size);
			continue;
		}
		if (!d2b_btf_kflag(t) && rk == BTF_KIND_INT) {
			/* without kind_flag an INT member carries its own bit layout */
			uint32_t data = int_data(type_of(v, rt));
			uint64_t end = (uint64_t)off + BTF_INT_OFFSET(data) + BTF_INT_BITS(data);

			if (end > limit)
				return type_err(v, id, "member '%s' bits [%u, %llu) beyond struct size %u",
						name, off, (unsigned long long)end, t->size);
			continue;
		}
		if (off % 8)
			return type_err(v, id, "member '%s' bit offset %u not a multiple of 8 (only bitfields may be, and they need kind_flag)",
					name, off);
		if (rk == BTF_KIND_INT && !int_regular(type_of(v, rt)))
			return type_err(v, id, "member '%s' has bitfield INT [%u] without a bitfield size",
					name, rt);
		if (off / 8 + (uint64_t)size > t->size)
			return type_err(v, id, "member '%s' (offset %u, size %lld) beyond struct size %u",
					name, off / 8, (long long)size, t->size);
	}
	return 0;
}

static int check_func(const struct vctx *v, uint32_t id, const struct btf_type *t)
{
	const struct btf_type *proto = type_of(v, t->type);
	const struct btf_param *p;
	uint32_t i, n;

	if (!proto || d2b_btf_kind(proto) != BTF_KIND_FUNC_PROTO)
		return type_err(v, id, "type [%u] %s is not a FUNC_PROTO", t->type,
				kind_str(v, t->type));
	p = d2b_btf_extra(proto);
	n = d2b_btf_vlen(proto);
	for (i = 0; i < n; i++)
		if (!p[i].name_off && !(p[i].type == 0 && i == n - 1))
			return type_err(v, id, "param %u of its FUNC_PROTO [%u] has no name", i,
					t->type);
	return 0;
}

static int check_proto_types(const struct vctx *v, uint32_t id, const struct btf_type *t)
{
	const struct btf_param *p = d2b_btf_extra(t);
	uint32_t i;

	/* void, or a typedef of it, is a fine return type */
	if (v->res[t->type] && v->size[t->type] < 0)
		return type_err(v, id, "return type [%u] %s has no size", t->type,
				kind_str(v, t->type));
	for (i = 0; i < d2b_btf_vlen(t); i++)
		if (p[i].type && v->size[p[i].type] < 0)
			return type_err(v, id, "param %u type [%u] %s has no size", i, p[i].type,
					kind_str(v, p[i].type));
	return 0;
}

static int check_datasec_vars(const struct vctx *v, uint32_t id, const struct btf_type *t)
{
	const struct btf_var_secinfo *s = d2b_btf_extra(t);
	uint32_t i;

	for (i = 0; i < d2b_btf_vlen(t); i++, s++) {
		if (kind_of(v, s->type) != BTF_KIND_VAR)
			return type_err(v, id, "entry %u type [%u] %s is not a VAR", i, s->type,
					kind_str(v, s->type));
		if (v->size[s->type] > s->size)
			return type_err(v, id, "entry %u VAR [%u] of %lld bytes larger than its size %u",
					i, s->type, (long long)v->size[s->type], s->size);
	}
	return 0;
}

static int check_decl_tag(const struct vctx *v, uint32_t id, const struct btf_type *t)
{
	int32_t idx = ((const struct btf_decl_tag *)d2b_btf_extra(t))->component_idx;
	const struct btf_type *target = type_of(v, t->type);
	uint16_t kind = kind_of(v, t->type);
	uint32_t n;

	switch (kind) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		n = d2b_btf_vlen(target);
		break;
	case BTF_KIND_FUNC:
		target = type_of(v, target->type);
		/* a FUNC without a proto is reported on the FUNC itself */
		n = target && d2b_btf_kind(target) == BTF_KIND_FUNC_PROTO ? d2b_btf_vlen(target) : 0;
		break;
	case BTF_KIND_VAR:
	case BTF_KIND_TYPEDEF:
		if (idx != -1)
			return type_err(v, id, "component index %d on [%u] %s, which takes only -1",
					idx, t->type, kind_str(v, t->type));
		return 0;
	default:
		return type_err(v, id, "target [%u] %s is not a STRUCT, UNION, FUNC, VAR or TYPEDEF",
				t->type, kind_str(v, t->type));
	}
	if (idx != -1 && (uint32_t)idx >= n)
		return type_err(v, id, "component index %d out of range for [%u] %s with %u %s",
				idx, t->type, kind_str(v, t->type), n,
				kind == BTF_KIND_FUNC ? "params" : "members");
	return 0;
}

/* Pass 4: rules that look at the referenced types. */
static int check_resolved(const struct vctx *v, uint32_t id)
{
	const struct btf_type *t = type_of(v, id);

	if (is_ptr_or_modifier(d2b_btf_kind(t)))
		return check_ref_target(v, id, t);
	switch (d2b_btf_kind(t)) {
	case BTF_KIND_ARRAY:
		return check_array(v, id, t);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return check_member_layout(v, id, t);
	case BTF_KIND_FUNC:
		return check_func(v, id, t);
	case BTF_KIND_FUNC_PROTO:
		return check_proto_types(v, id, t);
	case BTF_KIND_VAR:
		if (v->size[t->type] < 0)
			return type_err(v, id, "type [%u] %s has no size", t->type,
					kind_str(v, t->type));
		return 0;
	case BTF_KIND_DATASEC:
		return check_datasec_vars(v, id, t);
	case BTF_KIND_DECL_TAG:
		return check_decl_tag(v, id, t);
	default:
		return 0;
	}
}

int d2b_btf__validate(const struct d2b_btf *btf, char *err, size_t errlen)
{
	struct vctx v = {
		.btf = btf,
		.nr = d2b_btf__type_cnt(btf),
		.str_size = d2b_btf__str_size(btf),
		.err = err,
		.errlen = errlen,
	};
	uint32_t id;
	int ret;

	if (v.nr > BTF_MAX_TYPE)
		return btf_err(&v, "%u type ids (void included), the kernel takes at most %u",
			       v.nr, BTF_MAX_TYPE);
	if (v.str_size - 1 > BTF_MAX_NAME_OFFSET)
		return btf_err(&v, "string section of %u bytes, the kernel takes at most %u",
			       v.str_size, BTF_MAX_NAME_OFFSET + 1);
	for (id = 1; id < v.nr; id++) {
		ret = check_meta(&v, id);
		if (ret)
			return ret;
	}

	v.state = calloc(v.nr, 1);
	v.size = calloc(v.nr, sizeof(*v.size));
	v.res = calloc(v.nr, sizeof(*v.res));
	v.depth = calloc(v.nr, 1);
	v.tagged = calloc(v.nr, 1);
	v.stack = calloc(v.nr, sizeof(*v.stack));
	if (!v.state || !v.size || !v.res || !v.depth || !v.tagged || !v.stack) {
		btf_err(&v, "out of memory validating %u types", v.nr);
		ret = -ENOMEM;
		goto out;
	}
	v.size[0] = NO_SIZE;

	ret = walk_types(&v);
	if (ret)
		goto out;
	ret = check_ptr_loops(&v);
	if (ret)
		goto out;
	for (id = 1; id < v.nr; id++) {
		ret = check_resolved(&v, id);
		if (ret)
			goto out;
	}
out:
	free(v.state);
	free(v.size);
	free(v.res);
	free(v.depth);
	free(v.tagged);
	free(v.stack);
	return ret;
}
