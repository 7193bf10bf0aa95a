// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * vmlinux.h writer: BTF types as C declarations for BPF programs.
 *
 * Four passes over the type table:
 *  1. names: the N-th distinct type sharing a name (ranked by content,
 *     not by id) is written NAME___N, which CO-RE ignores;
 *  2. analysis: which anonymous types are written inline where they are
 *     used, and which must get a name instead (see hdr_analyse());
 *  3. ordering: the sequence of forward declarations and definitions in
 *     which everything is declared before it is named and complete before
 *     it is used by value (see order_from());
 *  4. writing, with each struct laid out as the compiler will lay out what
 *     we write, adding padding and packing until every member lands at its
 *     BTF offset (see lay_out()).
 *
 * The input may be hostile: no pass recurses more than MAX_DEPTH deep,
 * and the total work is bounded so that a small type graph that expands
 * into an enormous text is refused instead of written.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "btf_align.h"
#include "c_header.h"
#include "hash_table.h"
#include "util.h"

/* Nesting of declarators and inline types that any walk follows. */
#define MAX_DEPTH	256
/* Pointers, arrays, prototypes and modifiers in one declarator. */
#define MAX_CHAIN	64
/* Anonymous types nested inline; a deeper one is written with a name. */
#define MAX_INLINE	16
/* Work units (type nodes visited, lines of padding) allowed per type id. */
#define WORK_PER_TYPE	256
#define WORK_BASE	(1u << 20)

enum {
	F_DECLARED	= 1 << 0,	/* a declaration is written (or the text so far declares it) */
	F_DEFINED	= 1 << 1,	/* definition written (typedef: and its target complete) */
	F_BUSY_DECL	= 1 << 2,	/* typedef line being ordered */
	F_BUSY_DEF	= 1 << 3,	/* definition being ordered */
	F_PROMOTED	= 1 << 4,	/* anonymous type written as __anon_ID */
	F_INLINED	= 1 << 5,	/* anonymous enum written inside a user */
	F_GREY		= 1 << 6,	/* analysis: on the stack */
	F_BLACK		= 1 << 7,	/* analysis: done */
	F_PLANNED	= 1 << 8,	/* layout decided: calign[], F_PACKED */
	F_PACKED	= 1 << 9,
};

/* What writing a type expression needs of a named type. */
enum level {
	LVL_MENTION,	/* nothing: naming `struct S` at file scope declares it */
	LVL_DECL,	/* declared before (struct S; or the typedef line) */
	LVL_DEF,	/* complete before (used by value) */
};

struct req {
	uint32_t id;
	uint32_t level;
};

struct frame {
	uint32_t id;
	uint32_t level;
	uint32_t height;	/* analysis: deepest inline nesting below */
	size_t req_base, req_next, req_end;
};

/* Name table slot: how many distinct types (or enumerators) use a name. */
struct nslot {
	const char *name;	/* NULL: empty */
	uint32_t count;
	uint32_t first_fam;	/* family of the type with the plain name */
	uint32_t fwd_rank[3];	/* rank of the struct, union, enum declarations */
	uint32_t hits;		/* --types: types matched */
};

struct nmap {
	struct nslot *slots;
	size_t cap;
	size_t used;
};

struct hdr {
	const struct d2b_btf *btf;
	const struct btf_align *align;
	FILE *out;
	uint32_t nr;			/* type ids, void included */
	uint16_t *flags;
	uint32_t *rank;			/* 1-based among types sharing the name */
	uint32_t *calign;		/* alignment of a composite as written */
	uint8_t *height;		/* analysis: inline nesting below */
	uint32_t *tag_head;		/* first DECL_TAG on a type, id; 0: none */
	uint32_t *tag_next;		/* next DECL_TAG on the same type */
	struct nmap tags;		/* struct/union/enum names */
	struct nmap idents;		/* typedef names and enumerators */
	struct req *reqs;
	size_t nr_reqs, cap_reqs;
	struct frame *frames;
	size_t nr_frames, cap_frames;
	uint32_t *seq;			/* id << 1 | 1 for a forward declaration */
	size_t nr_seq, cap_seq;
	uint64_t work, budget;
	bool scan;			/* walk_expr() in analysis mode */
	const char *long64;		/* a 64-bit type for padding */
	int err;			/* sticky: the first failure */
};

/* ---- small helpers ---- */

static const struct btf_type *type_of(const struct hdr *h, uint32_t id)
{
	return d2b_btf__type_by_id(h->btf, id);
}

static bool is_anon(const struct hdr *h, const struct btf_type *t)
{
	return !*d2b_btf__name(h->btf, t);
}

static bool is_composite(uint16_t kind)
{
	return kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION;
}

static bool is_enum(uint16_t kind)
{
	return kind == BTF_KIND_ENUM || kind == BTF_KIND_ENUM64;
}

/* Anonymous struct, union or enum written where it is used. */
static bool is_inline(const struct hdr *h, uint32_t id)
{
	const struct btf_type *t = type_of(h, id);

	return t && (is_composite(d2b_btf_kind(t)) || is_enum(d2b_btf_kind(t))) && is_anon(h, t) &&
	       !(h->flags[id] & F_PROMOTED);
}

/*
 * A typedef of the compiler's own (gcc's DWARF records __builtin_va_list):
 * it cannot be defined again, and the BPF target's differs (a pointer,
 * where x86-64 has a 24-byte array), so uses are written as what it
 * stands for in the kernel and the typedef itself is left out.
 */
static bool is_builtin(const struct hdr *h, const struct btf_type *t)
{
	return d2b_btf_kind(t) == BTF_KIND_TYPEDEF &&
	       !strncmp(d2b_btf__name(h->btf, t), "__builtin_", 10);
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return a ? (v + a - 1) / a * a : v;
}

static void hdr_fail(struct hdr *h, int err)
{
	if (!h->err)
		h->err = err;
}

/* Counts work; false (and the error set) once the budget is spent. */
static bool hdr_spend(struct hdr *h, uint64_t units)
{
	h->work += units;
	if (h->work <= h->budget)
		return true;
	hdr_fail(h, -E2BIG);
	return false;
}

static int64_t size_of(const struct hdr *h, uint32_t id)
{
	int64_t s = d2b_btf__resolve_size(h->btf, id);

	return s < 0 ? 0 : s;
}

/* ---- name table: open addressing on the string ---- */

static uint64_t nslot_hash(const void *slot, const void *ctx)
{
	const char *name = ((const struct nslot *)slot)->name;

	(void)ctx;
	return hash_bytes(name, strlen(name), 0);
}

/* The slot of @name, added when @add; NULL when absent or out of memory. */
static struct nslot *nmap_get(struct nmap *m, const char *name, bool add)
{
	size_t j;

	if (add && (m->used + 1) * 2 > m->cap &&
	    hash_table__grow((void **)&m->slots, &m->cap, 256, sizeof(*m->slots), nslot_hash, NULL))
		return NULL;
	if (!m->cap)
		return NULL;
	j = hash_bytes(name, strlen(name), 0) & (m->cap - 1);
	while (m->slots[j].name) {
		if (!strcmp(m->slots[j].name, name))
			return &m->slots[j];
		j = (j + 1) & (m->cap - 1);
	}
	if (!add)
		return NULL;
	m->slots[j].name = name;
	m->used++;
	return &m->slots[j];
}

/* Struct, union and enum tags share one C namespace; families tell them apart. */
static uint32_t tag_family(const struct btf_type *t)
{
	if (d2b_btf_kind(t) == BTF_KIND_FWD)
		return d2b_btf_kflag(t) ? 1 : 0;
	if (d2b_btf_kind(t) == BTF_KIND_UNION)
		return 1;
	return d2b_btf_kind(t) == BTF_KIND_STRUCT ? 0 : 2;
}

/* Types to sort: by key (a name), kind, then shallow_cmp(). */
struct root {
	const char *key;
	uint32_t id;
	uint16_t kind;
};

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/*
 * Orders two types of one kind by what they are, not by their ids: size,
 * then each member's (or constant's) name and offset (or value); for a
 * typedef, the kind and name of its target. Only equal-looking types
 * fall back to their ids. This is what makes ___N suffixes and the order
 * of same-named types the same in two BTFs of one kernel.
 */
static int shallow_cmp(const struct hdr *h, uint32_t a, uint32_t b)
{
	const struct btf_type *x = type_of(h, a), *y = type_of(h, b);
	uint16_t i;
	int c;

	if (d2b_btf_kind(x) == BTF_KIND_TYPEDEF && d2b_btf_kind(y) == BTF_KIND_TYPEDEF) {
		x = type_of(h, x->type);
		y = type_of(h, y->type);
		if (!x || !y)
			return x ? 1 : y ? -1 : cmp_u64(a, b);
		c = cmp_u64(d2b_btf_kind(x), d2b_btf_kind(y));
		if (!c)
			c = strcmp(d2b_btf__name(h->btf, x), d2b_btf__name(h->btf, y));
		return c ? c : cmp_u64(a, b);
	}
	c = cmp_u64(d2b_btf_kind(x), d2b_btf_kind(y));
	if (!c)
		c = cmp_u64(x->size, y->size);
	if (!c)
		c = cmp_u64(d2b_btf_vlen(x), d2b_btf_vlen(y));
	for (i = 0; !c && i < d2b_btf_vlen(x); i++) {
		uint32_t nx, ny;
		uint64_t vx, vy;

		if (is_composite(d2b_btf_kind(x))) {
			const struct btf_member *mx = (const struct btf_member *)d2b_btf_extra(x) + i;
			const struct btf_member *my = (const struct btf_member *)d2b_btf_extra(y) + i;

			nx = mx->name_off, ny = my->name_off;
			vx = mx->offset, vy = my->offset;
		} else if (d2b_btf_kind(x) == BTF_KIND_ENUM) {
			const struct btf_enum *ex = (const struct btf_enum *)d2b_btf_extra(x) + i;
			const struct btf_enum *ey = (const struct btf_enum *)d2b_btf_extra(y) + i;

			nx = ex->name_off, ny = ey->name_off;
			vx = (uint32_t)ex->val, vy = (uint32_t)ey->val;
		} else if (d2b_btf_kind(x) == BTF_KIND_ENUM64) {
			const struct btf_enum64 *ex = (const struct btf_enum64 *)d2b_btf_extra(x) + i;
			const struct btf_enum64 *ey = (const struct btf_enum64 *)d2b_btf_extra(y) + i;

			nx = ex->name_off, ny = ey->name_off;
			vx = (uint64_t)ex->val_hi32 << 32 | ex->val_lo32;
			vy = (uint64_t)ey->val_hi32 << 32 | ey->val_lo32;
		} else {
			break;
		}
		c = strcmp(d2b_btf__str(h->btf, nx) ?: "", d2b_btf__str(h->btf, ny) ?: "");
		if (!c)
			c = cmp_u64(vx, vy);
	}
	return c ? c : cmp_u64(a, b);
}

static int root_cmp(const void *a, const void *b, void *ctx)
{
	const struct root *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return shallow_cmp(ctx, x->id, y->id);
}

/*
 * Pass 1: ranks. Definitions (structs, unions, enums with values,
 * typedefs) are ranked in the order of root_cmp(), so that the ranks do
 * not depend on type ids. Then each forward declaration (FWD, enum
 * without values) takes the plain name when a definition of its family
 * holds it, else one rank shared by all declarations of that family and
 * name.
 */
static int assign_names(struct hdr *h)
{
	struct root *defs = NULL;
	size_t nr = 0, cap = 0, i;
	struct nslot *s;
	uint32_t id, fam;
	int ret = -ENOMEM;

	for (id = 1; id < h->nr; id++) {
		const struct btf_type *t = type_of(h, id);
		uint16_t kind = d2b_btf_kind(t);

		if (!*d2b_btf__name(h->btf, t) ||
		    !(kind == BTF_KIND_TYPEDEF || is_composite(kind) || (is_enum(kind) && d2b_btf_vlen(t))))
			continue;
		if (grow_buf((void **)&defs, &cap, sizeof(*defs), nr + 1))
			goto out;
		defs[nr].key = d2b_btf__name(h->btf, t);
		defs[nr].id = id;
		defs[nr].kind = kind;
		nr++;
	}
	if (nr)
		qsort_r(defs, nr, sizeof(*defs), root_cmp, h);
	for (i = 0; i < nr; i++) {
		const struct btf_type *t = type_of(h, defs[i].id);

		s = nmap_get(defs[i].kind == BTF_KIND_TYPEDEF ? &h->idents : &h->tags, defs[i].key, true);
		if (!s)
			goto out;
		if (!s->count++)
			s->first_fam = tag_family(t);
		h->rank[defs[i].id] = s->count;
	}
	for (id = 1; id < h->nr; id++) {
		const struct btf_type *t = type_of(h, id);
		const char *name = d2b_btf__name(h->btf, t);

		if (!*name || !(d2b_btf_kind(t) == BTF_KIND_FWD || (is_enum(d2b_btf_kind(t)) && !d2b_btf_vlen(t))))
			continue;
		s = nmap_get(&h->tags, name, true);
		if (!s)
			goto out;
		fam = tag_family(t);
		if (s->count && s->first_fam == fam && !s->fwd_rank[fam]) {
			h->rank[id] = 1;
			continue;
		}
		if (!s->fwd_rank[fam]) {
			s->fwd_rank[fam] = ++s->count;
			if (s->count == 1)
				s->first_fam = fam;
		}
		h->rank[id] = s->fwd_rank[fam];
	}
	ret = 0;
out:
	free(defs);
	return ret;
}

static void put_name(struct hdr *h, uint32_t id)
{
	const char *name = d2b_btf__name(h->btf, type_of(h, id));

	if (!*name) {
		fprintf(h->out, "__anon_%u", id);
		return;
	}
	fputs(name, h->out);
	if (h->rank[id] > 1)
		fprintf(h->out, "___%u", h->rank[id]);
}

/* ---- pass 2 and 3: walking type expressions ---- */

static int add_req(struct hdr *h, uint32_t id, enum level level)
{
	if (grow_buf((void **)&h->reqs, &h->cap_reqs, sizeof(*h->reqs), h->nr_reqs + 1))
		return -ENOMEM;
	h->reqs[h->nr_reqs].id = id;
	h->reqs[h->nr_reqs].level = level;
	h->nr_reqs++;
	return 0;
}

static int walk_expr(struct hdr *h, uint32_t id, bool by_value, bool in_params, int depth);

static int walk_members(struct hdr *h, uint32_t id, bool in_params, int depth)
{
	const struct btf_type *t = type_of(h, id);
	uint32_t i;
	int ret;

	for (i = 0; i < d2b_btf_nr_refs(t); i++) {
		ret = walk_expr(h, d2b_btf_ref(t, i), true, in_params, depth);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Follows the type expression @id (modifiers, pointers, arrays, function
 * prototypes) to the types it names. Ordering mode: appends what each of
 * them must be (enum level) before the expression is written, and walks
 * the members of anonymous types written inline. Analysis mode (h->scan):
 * appends the anonymous structs and unions met as children, marks the
 * anonymous enums met as written inline, and gives a name to anonymous
 * types met inside a parameter list (C would scope them to it).
 * @by_value: the expression needs the type complete (a member, an array
 * element); @in_params: inside a prototype's parameters, where a struct
 * tag must be declared beforehand.
 */
static int walk_expr(struct hdr *h, uint32_t id, bool by_value, bool in_params, int depth)
{
	const struct btf_type *t;
	int ret;

	for (;; depth++) {
		if (depth >= MAX_DEPTH)
			return 0;
		if (!hdr_spend(h, 1))
			return h->err;
		t = type_of(h, id);
		if (!t)
			return 0;
		switch (d2b_btf_kind(t)) {
		case BTF_KIND_PTR:
			by_value = false;
			break;
		case BTF_KIND_ARRAY:
			by_value = true;
			break;
		case BTF_KIND_FUNC_PROTO: {
			uint32_t i;

			/* references after the return type: the parameters */
			for (i = 1; i < d2b_btf_nr_refs(t); i++) {
				ret = walk_expr(h, d2b_btf_ref(t, i), false, true, depth + 1);
				if (ret)
					return ret;
			}
			/* the return type belongs to the enclosing declaration */
			by_value = false;
			break;
		}
		case BTF_KIND_TYPEDEF:
			if (is_builtin(h, t)) {
				id = t->type;
				continue;
			}
			if (h->scan)
				return 0;
			return add_req(h, id, by_value ? LVL_DEF : LVL_DECL);
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			if (is_inline(h, id)) {
				if (!h->scan)
					return walk_members(h, id, in_params, depth + 1);
				if (in_params)
					h->flags[id] |= F_PROMOTED;
				return add_req(h, id, LVL_DEF);
			}
			if (h->scan)
				return 0;
			return add_req(h, id, by_value ? LVL_DEF : in_params ? LVL_DECL : LVL_MENTION);
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			if (is_inline(h, id)) {
				if (h->scan)
					h->flags[id] |= in_params ? F_PROMOTED : F_INLINED;
				return 0;
			}
			if (h->scan)
				return 0;
			/* enums need nothing, so they are simply defined first */
			return add_req(h, id, d2b_btf_vlen(t) ? LVL_DEF : LVL_DECL);
		case BTF_KIND_FWD:
			if (h->scan)
				return 0;
			return add_req(h, id, in_params ? LVL_DECL : LVL_MENTION);
		default:
			if (!d2b_btf_is_mod(d2b_btf_kind(t)))
				return 0;
			break;
		}
		/* a declarator: on to the type it is built on */
		id = d2b_btf_ref(t, 0);
	}
}

static int push_frame(struct hdr *h, uint32_t id, enum level level)
{
	struct frame *f;

	if (grow_buf((void **)&h->frames, &h->cap_frames, sizeof(*h->frames), h->nr_frames + 1))
		return -ENOMEM;
	f = &h->frames[h->nr_frames++];
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->level = level;
	f->req_base = f->req_next = h->nr_reqs;
	return 0;
}

/* The requirements walked since push_frame() are the top frame's. */
static void seal_frame(struct hdr *h)
{
	h->frames[h->nr_frames - 1].req_end = h->nr_reqs;
}

static void pop_frame(struct hdr *h)
{
	h->nr_reqs = h->frames[h->nr_frames - 1].req_base;
	h->nr_frames--;
}

/* Analysis children of @id: the inline types its members or target use. */
static int scan_children(struct hdr *h, uint32_t id)
{
	const struct btf_type *t = type_of(h, id);
	int ret;

	ret = push_frame(h, id, LVL_DEF);
	if (ret)
		return ret;
	h->flags[id] |= F_GREY;
	if (d2b_btf_kind(t) == BTF_KIND_TYPEDEF)
		ret = walk_expr(h, t->type, false, false, 0);
	else
		ret = walk_members(h, id, false, 0);
	seal_frame(h);
	return ret;
}

/*
 * Pass 2. Anonymous structs and unions are written inline, inside the
 * definition that uses them, which C cannot do when an anonymous type
 * contains itself (through a pointer) or when it would nest without
 * bound. A depth-first walk from every named struct, union and typedef
 * over "is written inside" edges finds both: an edge back to a type on
 * the stack closes a cycle, and a type's height (the deepest inline
 * nesting below it) is known when it finishes. Such types, and those
 * used in a parameter list, are promoted: written once as __anon_ID.
 * The walk also marks the anonymous enums that some definition writes
 * inline; the others are written on their own for their constants.
 */
static int hdr_analyse(struct hdr *h)
{
	uint32_t root;
	int ret = 0;

	h->scan = true;
	for (root = 1; root < h->nr && !ret; root++) {
		const struct btf_type *t = type_of(h, root);
		uint16_t kind = d2b_btf_kind(t);

		if (h->flags[root] & F_BLACK)
			continue;
		if (!(is_composite(kind) && !is_anon(h, t)) && kind != BTF_KIND_TYPEDEF)
			continue;
		ret = scan_children(h, root);
		while (!ret && h->nr_frames) {
			struct frame *f = &h->frames[h->nr_frames - 1];
			uint32_t id, hgt;

			if (f->req_next < f->req_end) {
				uint32_t c = h->reqs[f->req_next++].id;

				if (h->flags[c] & F_GREY) {
					h->flags[c] |= F_PROMOTED;
				} else if (h->flags[c] & F_BLACK) {
					if (!(h->flags[c] & F_PROMOTED) && h->height[c] > f->height)
						f->height = h->height[c];
				} else {
					ret = scan_children(h, c);
				}
				continue;
			}
			id = f->id;
			hgt = f->height + 1;
			if (is_anon(h, type_of(h, id)) && hgt > MAX_INLINE)
				h->flags[id] |= F_PROMOTED;
			h->height[id] = hgt > UINT8_MAX ? UINT8_MAX : (uint8_t)hgt;
			h->flags[id] = (h->flags[id] & ~F_GREY) | F_BLACK;
			pop_frame(h);
			if (h->nr_frames && !(h->flags[id] & F_PROMOTED)) {
				f = &h->frames[h->nr_frames - 1];
				if (h->height[id] > f->height)
					f->height = h->height[id];
			}
		}
	}
	h->nr_frames = 0;
	h->nr_reqs = 0;
	h->scan = false;
	return ret;
}

static int hdr_emit(struct hdr *h, uint32_t id, bool fwd)
{
	if (grow_buf((void **)&h->seq, &h->cap_seq, sizeof(*h->seq), h->nr_seq + 1))
		return -ENOMEM;
	h->seq[h->nr_seq++] = id << 1 | fwd;
	return 0;
}

/* A forward declaration of @id unless one is written or implied already. */
static int hdr_declare(struct hdr *h, uint32_t id)
{
	if (h->flags[id] & (F_DECLARED | F_DEFINED))
		return 0;
	h->flags[id] |= F_DECLARED;
	return hdr_emit(h, id, true);
}

/*
 * Meets requirement (@id, @level): does it at once when it needs nothing
 * else (a forward declaration, an enum), or pushes a frame whose own
 * requirements come first. A definition already on the stack is a cycle
 * by value, which valid BTF does not have; it is skipped, as is a typedef
 * whose line needs itself (only a self-referencing prototype can).
 */
static int hdr_start(struct hdr *h, uint32_t id, enum level level)
{
	const struct btf_type *t = type_of(h, id);
	uint16_t *fl = &h->flags[id];
	int ret;

	if (!t)
		return 0;
	switch (d2b_btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (level == LVL_MENTION)
			return 0;
		if (level == LVL_DECL)
			return hdr_declare(h, id);
		if (*fl & (F_DEFINED | F_BUSY_DEF))
			return 0;
		*fl |= F_BUSY_DEF;
		ret = push_frame(h, id, level);
		if (!ret)
			ret = walk_members(h, id, false, 0);
		break;
	case BTF_KIND_FWD:
		return level == LVL_MENTION ? 0 : hdr_declare(h, id);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (!d2b_btf_vlen(t))
			return hdr_declare(h, id);
		if (*fl & F_DEFINED)
			return 0;
		*fl |= F_DEFINED | F_DECLARED;
		return hdr_emit(h, id, false);
	case BTF_KIND_TYPEDEF:
		if (is_builtin(h, t)) {
			*fl |= F_DEFINED | F_DECLARED;
			return 0;
		}
		if (level == LVL_DEF) {
			if (*fl & (F_DEFINED | F_BUSY_DEF))
				return 0;
			*fl |= F_BUSY_DEF;
			ret = push_frame(h, id, level);
			if (!ret)
				ret = add_req(h, id, LVL_DECL);
			if (!ret)
				ret = walk_expr(h, t->type, true, false, 0);
		} else {
			if (*fl & (F_DECLARED | F_BUSY_DECL))
				return 0;
			*fl |= F_BUSY_DECL;
			ret = push_frame(h, id, LVL_DECL);
			if (!ret)
				ret = walk_expr(h, t->type, false, false, 0);
		}
		break;
	default:
		return 0;
	}
	if (!ret)
		seal_frame(h);
	return ret;
}

/* All requirements of the top frame are met: write it. */
static int hdr_finish(struct hdr *h)
{
	struct frame *f = &h->frames[h->nr_frames - 1];
	uint16_t *fl = &h->flags[f->id];
	bool writes = true;
	size_t i;
	int ret = 0;

	if (d2b_btf_kind(type_of(h, f->id)) == BTF_KIND_TYPEDEF && f->level == LVL_DEF) {
		*fl = (*fl & ~F_BUSY_DEF) | F_DEFINED;
		writes = false;
	} else if (d2b_btf_kind(type_of(h, f->id)) == BTF_KIND_TYPEDEF) {
		*fl = (*fl & ~F_BUSY_DECL) | F_DECLARED;
	} else {
		*fl = (*fl & ~F_BUSY_DEF) | F_DEFINED | F_DECLARED;
	}
	if (writes) {
		ret = hdr_emit(h, f->id, false);
		/* the text just written names these tags at file scope */
		for (i = f->req_base; i < f->req_end; i++)
			if (h->reqs[i].level == LVL_MENTION)
				h->flags[h->reqs[i].id] |= F_DECLARED;
	}
	pop_frame(h);
	return ret;
}

/*
 * Pass 3: the order of declarations.
 *
 * C wants a struct complete before it is embedded by value (as a member,
 * an array element, through a typedef), a typedef written before its
 * name is used, and a struct tag declared before it appears in a
 * parameter list (elsewhere at file scope, naming `struct S` declares it,
 * which is all a pointer needs). Each root is met with a depth-first
 * walk: a type's requirements, collected from its members' type
 * expressions, are met first (by defining, declaring, or nothing), then
 * the type is written; so definitions come out in post-order. A pointer
 * only needs a declaration, which is what breaks cycles: a struct
 * reaching itself through a pointer meets "declare S" while S is on the
 * stack and gets a forward declaration. A typedef has two levels: its
 * line needs what its target expression needs as seen through a pointer,
 * while using it by value also needs the target complete.
 *
 * The walk keeps its frames and their requirements on explicit stacks
 * (frames are popped in order, so one requirement array serves them all):
 * chains of thousands of types must not recurse. Roots are sorted by name,
 * kind and id, and requirements come in member order, so the text depends
 * on the types, not on how their ids happen to be numbered, and two
 * kernels' headers diff cleanly.
 */
static int order_from(struct hdr *h, uint32_t id, enum level level)
{
	int ret;

	ret = hdr_start(h, id, level);
	while (!ret && h->nr_frames) {
		struct frame *f = &h->frames[h->nr_frames - 1];

		if (f->req_next < f->req_end) {
			struct req r = h->reqs[f->req_next++];

			ret = hdr_start(h, r.id, r.level);
			continue;
		}
		ret = hdr_finish(h);
	}
	return ret;
}

/* ---- roots ---- */

static const char *root_key(const struct hdr *h, const struct btf_type *t)
{
	const char *name = d2b_btf__name(h->btf, t);

	/* an anonymous enum sorts by its first constant */
	if (!*name && d2b_btf_kind(t) == BTF_KIND_ENUM && d2b_btf_vlen(t))
		name = d2b_btf__str(h->btf, ((const struct btf_enum *)d2b_btf_extra(t))->name_off);
	if (!*name && d2b_btf_kind(t) == BTF_KIND_ENUM64 && d2b_btf_vlen(t))
		name = d2b_btf__str(h->btf, ((const struct btf_enum64 *)d2b_btf_extra(t))->name_off);
	return name ? name : "";
}

/* Does type @t (rank @rank) answer to @name, plain or with its ___N? */
static bool name_matches(struct hdr *h, const struct btf_type *t, uint32_t rank,
			 struct nmap *want, char *buf, size_t buflen)
{
	const char *name = d2b_btf__name(h->btf, t);
	struct nslot *s = nmap_get(want, name, false);
	bool hit = false;

	if (s) {
		s->hits++;
		hit = true;
	}
	if (rank > 1 && (size_t)snprintf(buf, buflen, "%s___%u", name, rank) < buflen) {
		s = nmap_get(want, buf, false);
		if (s) {
			s->hits++;
			hit = true;
		}
	}
	return hit;
}

static int collect_roots(struct hdr *h, const struct c_header_opts *opts, struct root **out,
			 size_t *nr_out, char *err, size_t errlen)
{
	struct nmap want = { 0 };
	struct root *roots = NULL;
	size_t nr = 0, cap = 0, i;
	char buf[512];
	uint32_t id;
	int ret = 0;

	if (opts && opts->types) {
		for (i = 0; i < opts->nr_types; i++) {
			if (!nmap_get(&want, opts->types[i], true)) {
				ret = -ENOMEM;
				goto out;
			}
		}
	}
	for (id = 1; id < h->nr; id++) {
		const struct btf_type *t = type_of(h, id);
		uint16_t kind = d2b_btf_kind(t);
		bool anon = is_anon(h, t), take;

		if (opts && opts->types) {
			take = !anon && (is_composite(kind) || is_enum(kind) ||
					 kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_FWD) &&
			       name_matches(h, t, h->rank[id], &want, buf, sizeof(buf));
		} else if (is_composite(kind)) {
			take = !anon || (h->flags[id] & F_PROMOTED);
		} else if (is_enum(kind)) {
			take = !anon || (h->flags[id] & (F_PROMOTED | F_INLINED)) != F_INLINED;
		} else {
			take = kind == BTF_KIND_TYPEDEF || kind == BTF_KIND_FWD;
		}
		if (!take)
			continue;
		if (grow_buf((void **)&roots, &cap, sizeof(*roots), nr + 1)) {
			ret = -ENOMEM;
			goto out;
		}
		roots[nr].key = root_key(h, t);
		roots[nr].id = id;
		roots[nr].kind = kind;
		nr++;
	}
	if (opts && opts->types) {
		for (i = 0; i < opts->nr_types; i++) {
			struct nslot *s = nmap_get(&want, opts->types[i], false);

			if (s && !s->hits) {
				snprintf(err, errlen, "--types: no struct, union, enum or typedef named '%s'",
					 opts->types[i]);
				ret = -ENOENT;
				goto out;
			}
		}
	}
	if (nr)
		qsort_r(roots, nr, sizeof(*roots), root_cmp, h);
out:
	free(want.slots);
	if (ret) {
		free(roots);
		return ret;
	}
	*out = roots;
	*nr_out = nr;
	return 0;
}

/* ---- pass 4: writing ---- */

static void put_indent(struct hdr *h, int n)
{
	while (n-- > 0)
		fputc('\t', h->out);
}

/* @s as a C string literal. */
static void put_cstr(struct hdr *h, const char *s)
{
	fputc('"', h->out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(h->out, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(h->out, "\\%03o", c);
		else
			fputc(c, h->out);
	}
	fputc('"', h->out);
}

/* DECL_TAGs on @id (component @idx, -1 for the type itself) as attributes. */
static void put_decl_tags(struct hdr *h, uint32_t id, int32_t idx)
{
	uint32_t tag;

	if (!h->tag_head)
		return;
	for (tag = h->tag_head[id]; tag; tag = h->tag_next[tag]) {
		const struct btf_type *t = type_of(h, tag);

		if (((const struct btf_decl_tag *)d2b_btf_extra(t))->component_idx != idx)
			continue;
		fputs(" __btf_decl_tag(", h->out);
		put_cstr(h, d2b_btf__name(h->btf, t));
		fputc(')', h->out);
	}
}

/* A DWARF alignment of @bytes is kept only where it is consistent. */
static uint32_t type_attr_align(const struct hdr *h, uint32_t id)
{
	uint32_t a;
	int64_t size;

	if (!h->align)
		return 0;
	a = btf_align__get(h->align, id, BTF_ALIGN_TYPE);
	size = size_of(h, id);
	if (!is_pow2(a) || size <= 0 || size % a)
		return 0;
	return a;
}

static uint32_t hdr_plan(struct hdr *h, uint32_t id, int depth);

/*
 * Size in bytes of type @id as the BPF target compiles what we write: the
 * BTF size, except that long double (a FLOAT of 10 to 16 bytes) is a
 * double there. Padding makes up the difference.
 */
static uint64_t csize_of(const struct hdr *h, uint32_t id)
{
	uint64_t mult = 1;
	uint32_t cur = id;
	int i;

	for (i = 0; i < MAX_CHAIN; i++) {
		const struct btf_type *t = type_of(h, cur);

		if (!t)
			break;
		if (d2b_btf_kind(t) == BTF_KIND_FLOAT)
			return t->size > 8 ? mult * 8 : mult * t->size;
		if (d2b_btf_kind(t) == BTF_KIND_ARRAY) {
			mult *= ((const struct btf_array *)d2b_btf_extra(t))->nelems;
			if (mult > UINT32_MAX)
				break;
			cur = ((const struct btf_array *)d2b_btf_extra(t))->type;
		} else if (d2b_btf_kind(t) == BTF_KIND_TYPEDEF || d2b_btf_is_mod(d2b_btf_kind(t))) {
			cur = t->type;
		} else {
			break;
		}
	}
	return size_of(h, id);
}

/* Alignment in bytes of type @id as the compiler sees what we write. */
static uint32_t align_of(struct hdr *h, uint32_t id, int depth)
{
	uint32_t attr = 0, a = 1, ta;
	int i;

	for (i = 0; i < MAX_CHAIN; i++) {
		const struct btf_type *t = type_of(h, id);

		if (!t)
			break;
		switch (d2b_btf_kind(t)) {
		case BTF_KIND_INT:
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			a = is_pow2(t->size) && t->size <= 16 ? t->size : 1;
			goto out;
		case BTF_KIND_FLOAT:
			a = t->size > 8 ? 8 : is_pow2(t->size) ? t->size : 1;
			goto out;
		case BTF_KIND_PTR:
			a = d2b_btf__ptr_size(h->btf);
			goto out;
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			a = hdr_plan(h, id, depth + 1);
			goto out;
		case BTF_KIND_TYPEDEF:
			ta = type_attr_align(h, id);
			if (ta > attr)
				attr = ta;
			id = t->type;
			continue;
		default:
			if (!d2b_btf_is_mod(d2b_btf_kind(t)) && d2b_btf_kind(t) != BTF_KIND_ARRAY)
				goto out;
			id = d2b_btf_ref(t, 0);	/* a modifier's target, an ARRAY's element */
			continue;
		}
	}
out:
	return a > attr ? a : attr;
}

struct mem_info {
	uint32_t type;
	const char *name;
	uint64_t off;		/* bits */
	uint32_t bits;		/* bitfield width, 0: not a bitfield */
};

static void member_info(const struct hdr *h, const struct btf_type *t, uint16_t i,
			struct mem_info *mi)
{
	const struct btf_member *m = (const struct btf_member *)d2b_btf_extra(t) + i;
	const char *name = d2b_btf__str(h->btf, m->name_off);
	uint32_t id = m->type;
	int n;

	mi->type = m->type;
	mi->name = name ? name : "";
	mi->off = d2b_btf_member_bit_offset(t, m);
	mi->bits = d2b_btf_member_bitfield_size(t, m);
	if (d2b_btf_kflag(t))
		return;
	/* without kind_flag, a bitfield is an INT narrower than its size */
	for (n = 0; n < MAX_CHAIN; n++) {
		const struct btf_type *r = type_of(h, id);
		uint32_t data;

		if (!r ||
		    (d2b_btf_kind(r) != BTF_KIND_TYPEDEF && !d2b_btf_is_mod(d2b_btf_kind(r)))) {
			if (!r || d2b_btf_kind(r) != BTF_KIND_INT)
				return;
			data = *(const uint32_t *)d2b_btf_extra(r);
			if (BTF_INT_BITS(data) && BTF_INT_BITS(data) < r->size * 8) {
				mi->bits = BTF_INT_BITS(data);
				mi->off += BTF_INT_OFFSET(data);
			}
			return;
		}
		id = r->type;
	}
}

/* A member C can write: named, a bitfield, or an anonymous inline struct/union. */
static bool member_writable(const struct hdr *h, const struct mem_info *mi)
{
	const struct btf_type *t;
	uint32_t id;
	int n;

	if (*mi->name || mi->bits)
		return true;
	/* `const struct { ... };` is an anonymous member too */
	id = mi->type;
	for (n = 0; n < MAX_CHAIN && (t = type_of(h, id)) && d2b_btf_is_mod(d2b_btf_kind(t)); n++)
		id = t->type;
	return t && is_composite(d2b_btf_kind(t)) && is_inline(h, id);
}

/* Unnamed bitfields covering bits [@from, @to), none straddling its unit. */
static void put_padding(struct hdr *h, uint64_t from, uint64_t to, int indent)
{
	while (from < to && hdr_spend(h, 1)) {
		uint64_t w = (from / 64 + 1) * 64, u;

		if (w > to)
			w = to;
		w -= from;
		for (u = 8; u < 64; u *= 2)
			if (from / u == (from + w - 1) / u)
				break;
		put_indent(h, indent);
		fprintf(h->out, "%s: %" PRIu64 ";\n",
			u == 8 ? "char" : u == 16 ? "short" : u == 32 ? "int" : h->long64, w);
		from += w;
	}
}

struct layout {
	uint64_t pos;		/* struct: bits laid out so far */
	uint64_t end;		/* union: end of the longest member */
	uint32_t natural;	/* alignment from the members, bytes */
	uint32_t align;		/* with the type's own attribute */
	uint32_t attr;		/* the type's aligned() attribute, 0: none */
	bool fits;		/* every offset and the size as in BTF */
};

static void put_decl(struct hdr *h, uint32_t id, const char *name, uint32_t rank,
		     int indent, int depth);

/*
 * Lays out struct or union @id the way the compiler will lay out what we
 * write, packed or not (System V rules, which the BPF target follows):
 * a member goes to the next multiple of its alignment; a bitfield stays
 * where it is unless it would straddle a unit of its type's alignment;
 * unnamed bitfields (our padding) move nothing and align nothing. Where
 * that falls short of the BTF offset, padding fills the gap; where it
 * goes past, or the rounded size differs from the BTF size in a way
 * padding cannot mend, the layout does not fit. With @print, writes the
 * members and padding at @indent.
 */
static void lay_out(struct hdr *h, uint32_t id, bool packed, bool print, int indent, int depth,
		    struct layout *lo)
{
	const struct btf_type *t = type_of(h, id);
	bool is_union = d2b_btf_kind(t) == BTF_KIND_UNION;
	uint64_t size_bits = (uint64_t)t->size * 8, csize;
	uint16_t i, vlen = d2b_btf_vlen(t);

	memset(lo, 0, sizeof(*lo));
	lo->natural = 1;
	lo->fits = true;
	for (i = 0; i < vlen && !h->err; i++) {
		struct mem_info mi;
		uint32_t nat, attr = 0, mal;
		uint64_t msize, start, len;

		member_info(h, t, i, &mi);
		if (!member_writable(h, &mi) || !hdr_spend(h, 1))
			continue;
		msize = (uint64_t)size_of(h, mi.type) * 8;
		nat = align_of(h, mi.type, depth);
		if (h->align && !mi.bits) {
			attr = btf_align__get(h->align, id, i);
			if (!is_pow2(attr) || mi.off % ((uint64_t)attr * 8))
				attr = 0;
		}
		mal = packed ? 1 : nat;
		if (attr > mal)
			mal = attr;
		else
			attr = 0;	/* changes nothing: not written */
		len = mi.bits ? mi.bits : csize_of(h, mi.type) * 8;
		if (is_union) {
			start = 0;
			if (mi.off)
				lo->fits = false;
			if (len > lo->end)
				lo->end = len;
		} else {
			uint64_t p = lo->pos, u = (uint64_t)nat * 8;
			int k;

			/* try where the compiler puts it, then after padding up to the offset */
			for (k = 0; k < 2; k++) {
				if (!mi.bits)
					start = align_up(p, (uint64_t)mal * 8);
				else if (packed || !u || p % u + mi.bits <= msize)
					start = p;
				else
					start = align_up(p, u);
				if (start >= mi.off)
					break;
				p = mi.off;
			}
			if (start != mi.off)
				lo->fits = false;
			if (print && k)
				put_padding(h, lo->pos, mi.off, indent);
			lo->pos = start + len;
		}
		/* alignment: named bitfields count their type's, padding none */
		if (!packed && (*mi.name || !mi.bits) && nat > lo->natural)
			lo->natural = nat;
		if (attr > lo->natural)
			lo->natural = attr;
		if (!print)
			continue;
		put_indent(h, indent);
		put_decl(h, mi.type, mi.name, 0, indent, depth + 1);
		if (mi.bits)
			fprintf(h->out, ": %u", mi.bits);
		if (attr)
			fprintf(h->out, " __attribute__((aligned(%u)))", attr);
		put_decl_tags(h, id, i);
		fputs(";\n", h->out);
	}
	lo->attr = type_attr_align(h, id);
	lo->align = lo->natural;
	if (lo->attr > lo->align)
		lo->align = lo->attr;
	else
		lo->attr = 0;
	csize = align_up(is_union ? lo->end : lo->pos, (uint64_t)lo->align * 8);
	if (csize > size_bits || (csize < size_bits && size_bits % ((uint64_t)lo->align * 8))) {
		lo->fits = false;
	} else if (csize < size_bits && print) {
		if (is_union) {
			/* union members all start at 0: pad inside a struct */
			put_indent(h, indent);
			fputs("struct {\n", h->out);
			put_padding(h, 0, size_bits, indent + 1);
			put_indent(h, indent);
			fputs("};\n", h->out);
		} else {
			put_padding(h, lo->pos, size_bits, indent);
		}
	}
}

/* Decides whether @id must be packed; returns its alignment as written. */
static uint32_t hdr_plan(struct hdr *h, uint32_t id, int depth)
{
	struct layout lo;

	if (h->flags[id] & F_PLANNED)
		return h->calign[id];
	if (depth >= MAX_DEPTH)
		return 1;
	lay_out(h, id, false, false, 0, depth, &lo);
	if (!lo.fits) {
		h->flags[id] |= F_PACKED;
		lay_out(h, id, true, false, 0, depth, &lo);
	}
	h->flags[id] |= F_PLANNED;
	h->calign[id] = lo.align;
	return lo.align;
}

/* Definition of struct or union @id: named, or inline at @indent. */
static void put_composite(struct hdr *h, uint32_t id, int indent, int depth)
{
	const struct btf_type *t = type_of(h, id);
	struct layout lo;
	bool packed;

	fputs(d2b_btf_kind(t) == BTF_KIND_UNION ? "union" : "struct", h->out);
	if (!is_inline(h, id)) {
		fputc(' ', h->out);
		put_name(h, id);
	}
	hdr_plan(h, id, depth);
	packed = h->flags[id] & F_PACKED;
	if (!d2b_btf_vlen(t) && !t->size) {
		fputs(" {}", h->out);
	} else {
		fputs(" {\n", h->out);
		lay_out(h, id, packed, true, indent + 1, depth, &lo);
		put_indent(h, indent);
		fputc('}', h->out);
		if (packed && lo.attr)
			fprintf(h->out, " __attribute__((packed, aligned(%u)))", lo.attr);
		else if (packed)
			fputs(" __attribute__((packed))", h->out);
		else if (lo.attr)
			fprintf(h->out, " __attribute__((aligned(%u)))", lo.attr);
	}
	put_decl_tags(h, id, -1);
}

/*
 * C gives an enum int's size (or long's, for values that need it); BTF
 * may say otherwise (packed enums, ENUM64 with small values).
 */
static const char *enum_size_attr(const struct btf_type *t)
{
	static const char *const mode[] = {
		[1] = " __attribute__((mode(QI)))", [2] = " __attribute__((mode(HI)))",
		[4] = " __attribute__((mode(SI)))", [8] = " __attribute__((mode(DI)))",
	};
	bool is64 = d2b_btf_kind(t) == BTF_KIND_ENUM64, uns = !d2b_btf_kflag(t);	/* kind_flag: signed */
	int64_t min = 0;
	uint64_t max = 0;
	uint32_t natural, packed;
	uint16_t i;

	for (i = 0; i < d2b_btf_vlen(t); i++) {
		int64_t v;

		if (is64) {
			const struct btf_enum64 *e = (const struct btf_enum64 *)d2b_btf_extra(t) + i;
			uint64_t u = (uint64_t)e->val_hi32 << 32 | e->val_lo32;

			v = uns ? (int64_t)(u > INT64_MAX ? INT64_MAX : u) : (int64_t)u;
			if (uns && u > max)
				max = u;
		} else {
			const struct btf_enum *e = (const struct btf_enum *)d2b_btf_extra(t) + i;

			v = uns ? (int64_t)(uint32_t)e->val : (int64_t)e->val;
		}
		if (v < min)
			min = v;
		if (v > 0 && (uint64_t)v > max)
			max = v;
	}
	if (min < 0) {
		natural = min >= INT32_MIN && max <= INT32_MAX ? 4 : 8;
		packed = min >= INT8_MIN && max <= INT8_MAX ? 1 :
			 min >= INT16_MIN && max <= INT16_MAX ? 2 : natural;
	} else {
		natural = max <= UINT32_MAX ? 4 : 8;
		packed = max <= UINT8_MAX ? 1 : max <= UINT16_MAX ? 2 : natural;
	}
	if (t->size == natural)
		return "";
	if (t->size < 4 && t->size == packed)
		return " __attribute__((packed))";
	return t->size < ARRAY_SIZE(mode) && mode[t->size] ? mode[t->size] : "";
}

/* An enumerator's name, made unique among the C file's ordinary identifiers. */
static void put_enumerator(struct hdr *h, const char *name)
{
	struct nslot *s = nmap_get(&h->idents, name, true);

	if (!s) {
		hdr_fail(h, -ENOMEM);
		return;
	}
	fputs(name, h->out);
	if (++s->count > 1)
		fprintf(h->out, "___%u", s->count);
}

static void put_enum(struct hdr *h, uint32_t id, int indent)
{
	const struct btf_type *t = type_of(h, id);
	bool is64 = d2b_btf_kind(t) == BTF_KIND_ENUM64, uns = !d2b_btf_kflag(t);	/* kind_flag: signed */
	uint16_t i;

	fputs("enum", h->out);
	if (!is_inline(h, id)) {
		fputc(' ', h->out);
		put_name(h, id);
	}
	fputs(" {\n", h->out);
	for (i = 0; i < d2b_btf_vlen(t) && !h->err; i++) {
		const char *name;

		put_indent(h, indent + 1);
		if (is64) {
			const struct btf_enum64 *e = (const struct btf_enum64 *)d2b_btf_extra(t) + i;
			uint64_t u = (uint64_t)e->val_hi32 << 32 | e->val_lo32;
			int64_t v = (int64_t)u;

			name = d2b_btf__str(h->btf, e->name_off);
			put_enumerator(h, name ? name : "");
			if (uns)
				fprintf(h->out, " = %" PRIu64 "%s,\n", u, u > INT32_MAX ? "ULL" : "");
			else if (v == INT64_MIN)
				fputs(" = (-9223372036854775807LL - 1),\n", h->out);
			else
				fprintf(h->out, " = %" PRId64 "%s,\n", v,
					v < INT32_MIN || v > INT32_MAX ? "LL" : "");
		} else {
			const struct btf_enum *e = (const struct btf_enum *)d2b_btf_extra(t) + i;

			name = d2b_btf__str(h->btf, e->name_off);
			put_enumerator(h, name ? name : "");
			if (uns)
				fprintf(h->out, " = %" PRIu32 ",\n", (uint32_t)e->val);
			else
				fprintf(h->out, " = %" PRId32 ",\n", e->val);
		}
	}
	put_indent(h, indent);
	fputc('}', h->out);
	fputs(enum_size_attr(t), h->out);
}

/* The type a declarator is built around. */
static void put_base(struct hdr *h, uint32_t id, int indent, int depth)
{
	const struct btf_type *t = type_of(h, id);

	if (!t) {
		fputs("void", h->out);
		return;
	}
	switch (d2b_btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
		fputs(d2b_btf__name(h->btf, t), h->out);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (is_inline(h, id) && depth < MAX_DEPTH) {
			put_composite(h, id, indent, depth);
			break;
		}
		fputs(d2b_btf_kind(t) == BTF_KIND_UNION ? "union " : "struct ", h->out);
		put_name(h, id);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (is_inline(h, id)) {
			put_enum(h, id, indent);
			break;
		}
		fputs("enum ", h->out);
		put_name(h, id);
		break;
	case BTF_KIND_FWD:
		fputs(d2b_btf_kflag(t) ? "union " : "struct ", h->out);
		put_name(h, id);
		break;
	case BTF_KIND_TYPEDEF:
		put_name(h, id);
		break;
	default:
		fputs("void", h->out);
		break;
	}
}

static uint16_t kind_at(const struct hdr *h, const uint32_t *chain, int i)
{
	return d2b_btf_kind(type_of(h, chain[i]));
}

/* Start of the run of modifiers (and arrays, which pass them on) ending at @i. */
static int qual_run(const struct hdr *h, const uint32_t *chain, int i)
{
	while (i > 0 && (d2b_btf_is_mod(kind_at(h, chain, i - 1)) ||
			 kind_at(h, chain, i - 1) == BTF_KIND_ARRAY))
		i--;
	return i;
}

/*
 * The qualifiers in chain[@from, @to): const/volatile/restrict (each once)
 * when @cv, type tags otherwise. Returns whether anything was written.
 */
static bool put_quals(struct hdr *h, const uint32_t *chain, int from, int to, bool cv,
		      bool space_before)
{
	static const char *const words[] = { "const", "volatile", "restrict" };
	unsigned int seen = 0, bit;
	bool any = false;
	int i;

	for (i = from; i < to; i++) {
		const struct btf_type *t = type_of(h, chain[i]);

		switch (d2b_btf_kind(t)) {
		case BTF_KIND_CONST:
			bit = 0;
			break;
		case BTF_KIND_VOLATILE:
			bit = 1;
			break;
		case BTF_KIND_RESTRICT:
			bit = 2;
			break;
		case BTF_KIND_TYPE_TAG:
			if (cv)
				continue;
			fputs(space_before || any ? " __btf_type_tag(" : "__btf_type_tag(", h->out);
			put_cstr(h, d2b_btf__name(h->btf, t));
			fputc(')', h->out);
			any = true;
			continue;
		default:
			continue;
		}
		if (!cv || (seen & (1u << bit)))
			continue;
		seen |= 1u << bit;
		if (space_before || any)
			fputc(' ', h->out);
		fputs(words[bit], h->out);
		any = true;
	}
	return any;
}

/* Is the next operation inward of chain[@i] an array or a prototype? */
static bool suffix_inside(const struct hdr *h, const uint32_t *chain, int n, int i)
{
	for (i++; i < n && d2b_btf_is_mod(kind_at(h, chain, i)); i++)
		;
	return i < n && (kind_at(h, chain, i) == BTF_KIND_ARRAY ||
			 kind_at(h, chain, i) == BTF_KIND_FUNC_PROTO);
}

static void put_params(struct hdr *h, const struct btf_type *t, int indent, int depth)
{
	const struct btf_param *p = d2b_btf_extra(t);
	uint16_t i, vlen = d2b_btf_vlen(t);

	if (!vlen) {
		fputs("void", h->out);
		return;
	}
	for (i = 0; i < vlen && !h->err; i++) {
		if (i)
			fputs(", ", h->out);
		if (i == vlen - 1 && !p[i].type) {
			/* "(...)" alone is not C before C23: leave the list unspecified */
			if (i)
				fputs("...", h->out);
			break;
		}
		put_decl(h, p[i].type, "", 0, indent, depth);
	}
}

/*
 * Writes the declaration of @name (with ___@rank when above 1; "" for an
 * abstract declarator) of type @id. The chain of pointers, arrays,
 * prototypes and modifiers above the base type is collected outermost
 * first; the base type comes first with the qualifiers that reach it,
 * then the pointers inside out, the name, and the array and parameter
 * suffixes outside in, with parentheses where a pointer is applied to an
 * array or a function. Qualifiers above an array apply to its elements.
 */
static void put_decl(struct hdr *h, uint32_t id, const char *name, uint32_t rank,
		     int indent, int depth)
{
	uint32_t chain[MAX_CHAIN];
	bool has_ptr = false, pending;
	int n = 0, i, j;

	for (;;) {
		const struct btf_type *t = type_of(h, id);
		uint16_t kind;

		if (!t)
			break;
		kind = d2b_btf_kind(t);
		if (!d2b_btf_is_declarator(kind) && !is_builtin(h, t))
			break;
		if (n == MAX_CHAIN || depth + n >= MAX_DEPTH) {
			id = 0;		/* too deep to be real: cut to void */
			break;
		}
		if (is_builtin(h, t)) {
			id = t->type;
			depth++;
			continue;
		}
		chain[n++] = id;
		has_ptr |= kind == BTF_KIND_PTR;
		id = d2b_btf_ref(t, 0);
	}
	if (!hdr_spend(h, n + 1))
		return;
	depth += n;

	j = qual_run(h, chain, n);
	if (put_quals(h, chain, j, n, true, false))
		fputc(' ', h->out);
	put_base(h, id, indent, depth + 1);
	put_quals(h, chain, j, n, false, true);
	if (*name || has_ptr)
		fputc(' ', h->out);

	pending = false;
	for (i = n - 1; i >= 0; i--) {
		if (kind_at(h, chain, i) != BTF_KIND_PTR)
			continue;
		if (pending)
			fputc(' ', h->out);
		if (suffix_inside(h, chain, n, i))
			fputc('(', h->out);
		fputc('*', h->out);
		j = qual_run(h, chain, i);
		pending = put_quals(h, chain, j, i, true, false);
		pending |= put_quals(h, chain, j, i, false, pending);
	}
	if (*name) {
		if (pending)
			fputc(' ', h->out);
		fputs(name, h->out);
		if (rank > 1)
			fprintf(h->out, "___%u", rank);
	}
	for (i = 0; i < n && !h->err; i++) {
		const struct btf_type *t = type_of(h, chain[i]);

		switch (d2b_btf_kind(t)) {
		case BTF_KIND_PTR:
			if (suffix_inside(h, chain, n, i))
				fputc(')', h->out);
			break;
		case BTF_KIND_ARRAY:
			fprintf(h->out, "[%u]", ((const struct btf_array *)d2b_btf_extra(t))->nelems);
			break;
		case BTF_KIND_FUNC_PROTO:
			fputc('(', h->out);
			put_params(h, t, indent, depth + 1);
			fputc(')', h->out);
			break;
		default:
			break;
		}
	}
}

static void put_typedef(struct hdr *h, uint32_t id)
{
	const struct btf_type *t = type_of(h, id);
	uint32_t attr = type_attr_align(h, id);

	fputs("typedef ", h->out);
	put_decl(h, t->type, d2b_btf__name(h->btf, t), h->rank[id], 0, 0);
	if (attr > align_of(h, t->type, 0))
		fprintf(h->out, " __attribute__((aligned(%u)))", attr);
	put_decl_tags(h, id, -1);
}

static void put_entry(struct hdr *h, uint32_t e)
{
	uint32_t id = e >> 1;
	const struct btf_type *t = type_of(h, id);

	if (e & 1) {
		switch (d2b_btf_kind(t)) {
		case BTF_KIND_UNION:
			fputs("union ", h->out);
			break;
		case BTF_KIND_FWD:
			fputs(d2b_btf_kflag(t) ? "union " : "struct ", h->out);
			break;
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
			fputs("enum ", h->out);
			break;
		default:
			fputs("struct ", h->out);
			break;
		}
		put_name(h, id);
		fputs(";\n\n", h->out);
		return;
	}
	switch (d2b_btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		put_composite(h, id, 0, 0);
		break;
	case BTF_KIND_TYPEDEF:
		put_typedef(h, id);
		break;
	default:
		put_enum(h, id, 0);
		break;
	}
	fputs(";\n\n", h->out);
}

static const char prologue[] =
	"#ifndef __VMLINUX_H__\n"
	"#define __VMLINUX_H__\n"
	"\n"
	"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	"#ifdef __clang__\n"
	"#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n"
	"#endif\n"
	"#endif\n"
	"\n";

static const char epilogue[] =
	"#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n"
	"#ifdef __clang__\n"
	"#pragma clang attribute pop\n"
	"#endif\n"
	"#endif\n"
	"\n"
	"#endif /* __VMLINUX_H__ */\n";

/* Compilers without the BTF tag attributes (gcc) skip them. */
static void put_tag_macros(struct hdr *h, bool type_tags, bool decl_tags)
{
	static const char *const which[] = { "type", "decl" };
	int i;

	if (!type_tags && !decl_tags)
		return;
	fputs("#ifndef __has_attribute\n#define __has_attribute(x) 0\n#endif\n", h->out);
	for (i = 0; i < 2; i++) {
		if (!(i ? decl_tags : type_tags))
			continue;
		fprintf(h->out,
			"#ifndef __btf_%s_tag\n"
			"#if __has_attribute(btf_%s_tag)\n"
			"#define __btf_%s_tag(x) __attribute__((btf_%s_tag(x)))\n"
			"#else\n"
			"#define __btf_%s_tag(x)\n"
			"#endif\n"
			"#endif\n",
			which[i], which[i], which[i], which[i], which[i]);
	}
	fputc('\n', h->out);
}

/* DECL_TAGs on structs, unions, their members and typedefs, in id order. */
static int index_decl_tags(struct hdr *h, bool *type_tags, bool *decl_tags)
{
	uint32_t id;

	*type_tags = *decl_tags = false;
	for (id = h->nr; id-- > 1;) {
		const struct btf_type *t = type_of(h, id), *target;

		if (d2b_btf_kind(t) == BTF_KIND_TYPE_TAG)
			*type_tags = true;
		if (d2b_btf_kind(t) != BTF_KIND_DECL_TAG)
			continue;
		target = type_of(h, t->type);
		if (!target || (!is_composite(d2b_btf_kind(target)) &&
				d2b_btf_kind(target) != BTF_KIND_TYPEDEF))
			continue;
		if (!h->tag_head) {
			h->tag_head = calloc(h->nr, sizeof(*h->tag_head));
			h->tag_next = calloc(h->nr, sizeof(*h->tag_next));
			if (!h->tag_head || !h->tag_next)
				return -ENOMEM;
		}
		h->tag_next[id] = h->tag_head[t->type];
		h->tag_head[t->type] = id;
		*decl_tags = true;
	}
	return 0;
}

int c_header__write(const struct d2b_btf *btf, const struct c_header_opts *opts,
			FILE *out, char *err, size_t errlen)
{
	struct hdr h = { .btf = btf, .out = out };
	struct root *roots = NULL;
	bool type_tags, decl_tags;
	size_t nr_roots = 0, i;
	int ret;

	err[0] = '\0';
	h.align = opts ? opts->align : NULL;
	h.nr = d2b_btf__type_cnt(btf);
	h.budget = WORK_BASE + (uint64_t)WORK_PER_TYPE * h.nr;
	h.long64 = d2b_btf__ptr_size(btf) == 8 ? "long" : "long long";
	h.flags = calloc(h.nr, sizeof(*h.flags));
	h.rank = calloc(h.nr, sizeof(*h.rank));
	h.calign = calloc(h.nr, sizeof(*h.calign));
	h.height = calloc(h.nr, sizeof(*h.height));
	if (!h.flags || !h.rank || !h.calign || !h.height) {
		ret = -ENOMEM;
		goto out;
	}
	ret = assign_names(&h);
	if (!ret)
		ret = index_decl_tags(&h, &type_tags, &decl_tags);
	if (!ret)
		ret = hdr_analyse(&h);
	if (!ret)
		ret = collect_roots(&h, opts, &roots, &nr_roots, err, errlen);
	for (i = 0; !ret && i < nr_roots; i++) {
		const struct btf_type *t = type_of(&h, roots[i].id);

		ret = order_from(&h, roots[i].id,
				 d2b_btf_kind(t) == BTF_KIND_FWD ? LVL_DECL : LVL_DEF);
	}
	if (ret)
		goto out;

	fputs(prologue, out);
	put_tag_macros(&h, type_tags, decl_tags);
	for (i = 0; i < h.nr_seq && !h.err; i++)
		put_entry(&h, h.seq[i]);
	fputs(epilogue, out);
	ret = h.err;
	if (!ret && (fflush(out) || ferror(out)))
		ret = -EIO;
out:
	if (ret && !err[0]) {
		if (ret == -E2BIG)
			snprintf(err, errlen, "type graph too large to write as C (more than %" PRIu64 " steps)",
				 h.budget);
		else if (ret == -EIO)
			snprintf(err, errlen, "cannot write the header");
		else
			snprintf(err, errlen, "cannot write the header: %s", strerror(-ret));
	}
	free(roots);
	free(h.flags);
	free(h.rank);
	free(h.calign);
	free(h.height);
	free(h.tag_head);
	free(h.tag_next);
	free(h.tags.slots);
	free(h.idents.slots);
	free(h.reqs);
	free(h.frames);
	free(h.seq);
	return ret;
}
