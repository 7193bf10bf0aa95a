// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Id-independent comparison of two BTFs.
 *
 * Every entry type of both sides is rendered into one string arena; the
 * entries are then sorted together by (kind, name, description, side) so
 * that equal descriptions of a key end up next to each other and the
 * multiset comparison is a single linear walk.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "btf_diff.h"
#include "util.h"

/*
 * Nesting followed through pointers, modifiers and anonymous types before
 * giving up with "<cycle>". Real kernels stay far below this.
 */
#define DIFF_MAX_DEPTH 64
/*
 * Anonymous types are rendered inline wherever they are used, so a hostile
 * DAG of them can make a description grow exponentially: cap each one, and
 * the arena holding all of them. Two 6.1 kernels' BTF need about 20 MiB
 * in all; 42 KB of hostile BTF (1,100 typedefs of an anonymous struct of
 * 1,000 anonymous structs) reach any total, so keep it to 256 MiB.
 */
#define DIFF_MAX_DESC ((size_t)1 << 20)
#define DIFF_MAX_TOTAL ((size_t)256 << 20)

enum diff_side {
	SIDE_A,
	SIDE_B,
};

struct diff_entry {
	const char *name;	/* owned by the BTF */
	const char *desc;	/* into the arena, set once it stops moving */
	size_t desc_off;
	uint16_t kind;
	uint8_t side;
};

/* A DATASEC member, sorted so that member order does not matter. */
struct sec_var {
	uint32_t offset;
	uint32_t size;
	uint32_t type;
	const char *name;
};

struct diff_ctx {
	/* side being rendered */
	const struct d2b_btf *btf;
	uint8_t *on_path;	/* per type id: on the current render path */

	/* all descriptions, NUL-terminated, back to back */
	char *arena;
	size_t len;
	size_t cap;
	size_t start;		/* start of the description being rendered */
	bool truncated;
	int err;		/* sticky: appends become no-ops once set */

	struct diff_entry *entries;
	size_t nr_entries;
	size_t entries_cap;

	struct sec_var *vars;
	size_t vars_cap;
};

/*
 * The kinds compared as entries: every known kind but the declarators,
 * which are described inline where they are used.
 */
static bool diff__is_entry_kind(uint16_t kind)
{
	return kind != BTF_KIND_UNKN && kind <= BTF_KIND_MAX && !d2b_btf_is_declarator(kind);
}

/* Append without the per-description cap (for the truncation marker). */
static void diff__put_raw(struct diff_ctx *ctx, const char *s, size_t n)
{
	if (ctx->err)
		return;
	if (n > DIFF_MAX_TOTAL - ctx->len) {
		ctx->err = -E2BIG;
		return;
	}
	/* one spare byte for the terminating NUL */
	if (grow_buf((void **)&ctx->arena, &ctx->cap, 1, ctx->len + n + 1)) {
		ctx->err = -ENOMEM;
		return;
	}
	memcpy(ctx->arena + ctx->len, s, n);
	ctx->len += n;
}

static void diff__put(struct diff_ctx *ctx, const char *s, size_t n)
{
	if (ctx->err || ctx->truncated)
		return;
	/* stop before the piece that would cross the cap: deterministic */
	if (ctx->len - ctx->start + n > DIFF_MAX_DESC) {
		ctx->truncated = true;
		return;
	}
	diff__put_raw(ctx, s, n);
}

static void diff__puts(struct diff_ctx *ctx, const char *s)
{
	diff__put(ctx, s, strlen(s));
}

static void diff__put_u64(struct diff_ctx *ctx, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof(tmp);

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	diff__put(ctx, tmp + i, sizeof(tmp) - i);
}

static void diff__put_s64(struct diff_ctx *ctx, int64_t v)
{
	if (v < 0) {
		diff__put(ctx, "-", 1);
		/* negate in unsigned arithmetic: INT64_MIN has no positive */
		diff__put_u64(ctx, -(uint64_t)v);
	} else {
		diff__put_u64(ctx, (uint64_t)v);
	}
}

static bool diff__name_char_ok(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '\\';
}

/* Names come from the input: keep control bytes out of the output lines. */
static void diff__put_name(struct diff_ctx *ctx, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	while (*s) {
		size_t n = 0;
		char esc[4];

		while (s[n] && diff__name_char_ok((unsigned char)s[n]))
			n++;
		if (n) {
			diff__put(ctx, s, n);
			s += n;
			continue;
		}
		esc[0] = '\\';
		esc[1] = 'x';
		esc[2] = hex[(unsigned char)*s >> 4];
		esc[3] = hex[(unsigned char)*s & 0xf];
		diff__put(ctx, esc, sizeof(esc));
		s++;
	}
}

static bool diff__stopped(const struct diff_ctx *ctx)
{
	return ctx->err || ctx->truncated;
}

static void diff__render_expr(struct diff_ctx *ctx, uint32_t id, int depth);

static void diff__render_int(struct diff_ctx *ctx, const struct btf_type *t)
{
	static const char *const encs[] = { "signed", "char", "bool" };
	uint32_t v = *(const uint32_t *)d2b_btf_extra(t);
	uint32_t enc = BTF_INT_ENCODING(v);
	bool first = true;
	size_t i;

	diff__puts(ctx, "int '");
	diff__put_name(ctx, d2b_btf__name(ctx->btf, t));
	diff__puts(ctx, "' size=");
	diff__put_u64(ctx, t->size);
	diff__puts(ctx, " bits=");
	diff__put_u64(ctx, BTF_INT_BITS(v));
	diff__puts(ctx, " offset=");
	diff__put_u64(ctx, BTF_INT_OFFSET(v));
	diff__puts(ctx, " enc=");
	if (!enc) {
		diff__puts(ctx, "none");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(encs); i++) {
		if (!(enc & (1u << i)))
			continue;
		if (!first)
			diff__puts(ctx, "|");
		diff__puts(ctx, encs[i]);
		first = false;
	}
	enc &= ~((1u << ARRAY_SIZE(encs)) - 1);
	if (enc) {
		/* bits the kernel does not define: show them rather than drop */
		if (!first)
			diff__puts(ctx, "|");
		diff__puts(ctx, "0x");
		diff__put_u64(ctx, enc);
	}
}

static void diff__render_composite(struct diff_ctx *ctx, const struct btf_type *t,
				   int depth)
{
	const struct btf_member *m = d2b_btf_extra(t);
	const char *name = d2b_btf__name(ctx->btf, t);
	uint16_t i, vlen = d2b_btf_vlen(t);

	diff__puts(ctx, d2b_btf_kind(t) == BTF_KIND_UNION ? "union" : "struct");
	if (*name) {
		diff__puts(ctx, " ");
		diff__put_name(ctx, name);
	}
	diff__puts(ctx, " size=");
	diff__put_u64(ctx, t->size);
	diff__puts(ctx, " {");
	for (i = 0; i < vlen && !diff__stopped(ctx); i++, m++) {
		uint32_t bits = d2b_btf_member_bitfield_size(t, m);

		if (i)
			diff__puts(ctx, "; ");
		diff__put_name(ctx, d2b_btf__str(ctx->btf, m->name_off) ?: "");
		diff__puts(ctx, ":");
		diff__render_expr(ctx, m->type, depth + 1);
		diff__puts(ctx, "@");
		diff__put_u64(ctx, d2b_btf_member_bit_offset(t, m));
		if (bits) {
			diff__puts(ctx, ":");
			diff__put_u64(ctx, bits);
		}
	}
	diff__puts(ctx, "}");
}

static void diff__render_enum(struct diff_ctx *ctx, const struct btf_type *t)
{
	bool is64 = d2b_btf_kind(t) == BTF_KIND_ENUM64;
	const char *name = d2b_btf__name(ctx->btf, t);
	bool sign = d2b_btf_kflag(t);
	uint16_t i, vlen = d2b_btf_vlen(t);

	diff__puts(ctx, is64 ? "enum64" : "enum");
	if (*name) {
		diff__puts(ctx, " ");
		diff__put_name(ctx, name);
	}
	diff__puts(ctx, " size=");
	diff__put_u64(ctx, t->size);
	diff__puts(ctx, sign ? " signed {" : " unsigned {");
	for (i = 0; i < vlen && !diff__stopped(ctx); i++) {
		uint32_t name_off;
		uint64_t v;

		if (is64) {
			const struct btf_enum64 *e = (const struct btf_enum64 *)d2b_btf_extra(t) + i;

			name_off = e->name_off;
			v = (uint64_t)e->val_hi32 << 32 | e->val_lo32;
		} else {
			const struct btf_enum *e = (const struct btf_enum *)d2b_btf_extra(t) + i;

			name_off = e->name_off;
			/* sign-extend signed 32-bit values, zero-extend the rest */
			v = sign ? (uint64_t)(int64_t)(int32_t)(uint32_t)e->val : (uint32_t)e->val;
		}
		if (i)
			diff__puts(ctx, ", ");
		diff__put_name(ctx, d2b_btf__str(ctx->btf, name_off) ?: "");
		diff__puts(ctx, "=");
		if (sign)
			diff__put_s64(ctx, (int64_t)v);
		else
			diff__put_u64(ctx, v);
	}
	diff__puts(ctx, "}");
}

/* Parameters and return type of a FUNC_PROTO, with names for a FUNC. */
static void diff__render_params(struct diff_ctx *ctx, const struct btf_type *proto,
				bool names, int depth)
{
	const struct btf_param *p = d2b_btf_extra(proto);
	uint16_t i, vlen = d2b_btf_vlen(proto);

	diff__puts(ctx, "(");
	for (i = 0; i < vlen && !diff__stopped(ctx); i++, p++) {
		if (i)
			diff__puts(ctx, ", ");
		if (i == vlen - 1 && !p->type && !p->name_off) {
			diff__puts(ctx, "...");
			break;
		}
		if (names) {
			diff__put_name(ctx, d2b_btf__str(ctx->btf, p->name_off) ?: "");
			diff__puts(ctx, ":");
		}
		diff__render_expr(ctx, p->type, depth + 1);
	}
	diff__puts(ctx, ")");
}

static void diff__render_func(struct diff_ctx *ctx, const struct btf_type *t,
			      int depth)
{
	const struct btf_type *proto = d2b_btf__type_by_id(ctx->btf, t->type);

	diff__puts(ctx, "func ");
	diff__put_name(ctx, d2b_btf__name(ctx->btf, t));
	if (!proto || d2b_btf_kind(proto) != BTF_KIND_FUNC_PROTO || ctx->on_path[t->type]) {
		/* not a function: still show what it points at */
		diff__puts(ctx, " = ");
		diff__render_expr(ctx, t->type, depth + 1);
		return;
	}
	ctx->on_path[t->type] = 1;
	diff__render_params(ctx, proto, true, depth + 1);
	diff__puts(ctx, " -> ");
	diff__render_expr(ctx, proto->type, depth + 2);
	ctx->on_path[t->type] = 0;
}

static void diff__render_var(struct diff_ctx *ctx, const struct btf_type *t,
			     int depth)
{
	const struct btf_var *v = d2b_btf_extra(t);

	diff__puts(ctx, "var ");
	diff__put_name(ctx, d2b_btf__name(ctx->btf, t));
	diff__puts(ctx, ":");
	diff__render_expr(ctx, t->type, depth + 1);
	diff__puts(ctx, " linkage=");
	switch (v->linkage) {
	case BTF_VAR_STATIC:
		diff__puts(ctx, "static");
		break;
	case BTF_VAR_GLOBAL_ALLOCATED:
		diff__puts(ctx, "global");
		break;
	case BTF_VAR_GLOBAL_EXTERN:
		diff__puts(ctx, "extern");
		break;
	default:
		diff__put_u64(ctx, v->linkage);
		break;
	}
}

static int sec_var__cmp(const void *pa, const void *pb)
{
	const struct sec_var *a = pa, *b = pb;
	int c;

	if (a->offset != b->offset)
		return a->offset < b->offset ? -1 : 1;
	c = strcmp(a->name, b->name);
	if (c)
		return c;
	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	return 0;
}

/*
 * Members by the name of the variable they refer to, sorted by offset so
 * that only the layout counts, not the order the producer wrote them in.
 */
static void diff__render_datasec(struct diff_ctx *ctx, const struct btf_type *t,
				 int depth)
{
	const struct btf_var_secinfo *vs = d2b_btf_extra(t);
	uint16_t i, vlen = d2b_btf_vlen(t);

	if (grow_buf((void **)&ctx->vars, &ctx->vars_cap, sizeof(*ctx->vars), vlen)) {
		ctx->err = -ENOMEM;
		return;
	}
	for (i = 0; i < vlen; i++) {
		const struct btf_type *vt = d2b_btf__type_by_id(ctx->btf, vs[i].type);

		ctx->vars[i].offset = vs[i].offset;
		ctx->vars[i].size = vs[i].size;
		ctx->vars[i].type = vs[i].type;
		ctx->vars[i].name = vt ? d2b_btf__name(ctx->btf, vt) : "";
	}
	if (vlen)
		qsort(ctx->vars, vlen, sizeof(*ctx->vars), sec_var__cmp);

	diff__puts(ctx, "datasec ");
	diff__put_name(ctx, d2b_btf__name(ctx->btf, t));
	diff__puts(ctx, " size=");
	diff__put_u64(ctx, t->size);
	diff__puts(ctx, " {");
	for (i = 0; i < vlen && !diff__stopped(ctx); i++) {
		const struct sec_var *sv = &ctx->vars[i];

		if (i)
			diff__puts(ctx, ", ");
		if (*sv->name)
			diff__put_name(ctx, sv->name);
		else
			diff__render_expr(ctx, sv->type, depth + 1);
		diff__puts(ctx, "@");
		diff__put_u64(ctx, sv->offset);
		diff__puts(ctx, "+");
		diff__put_u64(ctx, sv->size);
	}
	diff__puts(ctx, "}");
}

static void diff__render_decl_tag(struct diff_ctx *ctx, const struct btf_type *t,
				  int depth)
{
	const struct btf_decl_tag *tag = d2b_btf_extra(t);
	const struct btf_type *tt = d2b_btf__type_by_id(ctx->btf, t->type);

	diff__puts(ctx, "decl_tag ");
	diff__put_name(ctx, d2b_btf__name(ctx->btf, t));
	diff__puts(ctx, " -> ");
	if (tt && *d2b_btf__name(ctx->btf, tt)) {
		diff__puts(ctx, d2b_btf_kind_word(d2b_btf_kind(tt)));
		diff__puts(ctx, " ");
		diff__put_name(ctx, d2b_btf__name(ctx->btf, tt));
	} else {
		diff__render_expr(ctx, t->type, depth + 1);
	}
	if (tag->component_idx != -1) {
		diff__puts(ctx, "[");
		diff__put_s64(ctx, tag->component_idx);
		diff__puts(ctx, "]");
	}
}

/*
 * Full description of an entry kind. The caller has marked @t as on the
 * render path. DATASEC must only be rendered at depth 0: it uses
 * ctx->vars, which nested rendering would clobber.
 */
static void diff__render_body(struct diff_ctx *ctx, const struct btf_type *t,
			      int depth)
{
	const char *name = d2b_btf__name(ctx->btf, t);

	switch (d2b_btf_kind(t)) {
	case BTF_KIND_INT:
		diff__render_int(ctx, t);
		break;
	case BTF_KIND_FLOAT:
		diff__puts(ctx, "float ");
		diff__put_name(ctx, name);
		diff__puts(ctx, " size=");
		diff__put_u64(ctx, t->size);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		diff__render_composite(ctx, t, depth);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		diff__render_enum(ctx, t);
		break;
	case BTF_KIND_FWD:
		diff__puts(ctx, d2b_btf_kflag(t) ? "fwd union " : "fwd struct ");
		diff__put_name(ctx, name);
		break;
	case BTF_KIND_TYPEDEF:
		diff__puts(ctx, "typedef ");
		diff__put_name(ctx, name);
		diff__puts(ctx, " = ");
		diff__render_expr(ctx, t->type, depth + 1);
		break;
	case BTF_KIND_FUNC:
		diff__render_func(ctx, t, depth);
		break;
	case BTF_KIND_VAR:
		diff__render_var(ctx, t, depth);
		break;
	case BTF_KIND_DATASEC:
		diff__render_datasec(ctx, t, depth);
		break;
	case BTF_KIND_DECL_TAG:
		diff__render_decl_tag(ctx, t, depth);
		break;
	default:
		break;
	}
}

/* Whether a qualifier on @id reads better after it, as in "char * const". */
static bool diff__qual_postfix(const struct d2b_btf *btf, uint32_t id)
{
	const struct btf_type *t = d2b_btf__type_by_id(btf, id);

	return t && (d2b_btf_kind(t) == BTF_KIND_PTR || d2b_btf_kind(t) == BTF_KIND_ARRAY);
}

static void diff__render_ref(struct diff_ctx *ctx, const struct btf_type *t,
			     int depth)
{
	const char *qual;

	switch (d2b_btf_kind(t)) {
	case BTF_KIND_PTR:
		diff__render_expr(ctx, t->type, depth + 1);
		/* "char **" rather than "char * *" */
		if (ctx->len > ctx->start && ctx->arena[ctx->len - 1] == '*')
			diff__puts(ctx, "*");
		else
			diff__puts(ctx, " *");
		break;
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
		qual = d2b_btf_kind_word(d2b_btf_kind(t));
		/*
		 * "const char *" and "char * const" are different types;
		 * prefix only when it cannot be misread.
		 */
		if (diff__qual_postfix(ctx->btf, t->type)) {
			diff__render_expr(ctx, t->type, depth + 1);
			diff__puts(ctx, " ");
			diff__puts(ctx, qual);
		} else {
			diff__puts(ctx, qual);
			diff__puts(ctx, " ");
			diff__render_expr(ctx, t->type, depth + 1);
		}
		break;
	case BTF_KIND_TYPE_TAG:
		diff__render_expr(ctx, t->type, depth + 1);
		diff__puts(ctx, " __tag(");
		diff__put_name(ctx, d2b_btf__name(ctx->btf, t));
		diff__puts(ctx, ")");
		break;
	case BTF_KIND_ARRAY: {
		const struct btf_array *arr = d2b_btf_extra(t);

		/* the index type carries no information: left out */
		diff__render_expr(ctx, arr->type, depth + 1);
		diff__puts(ctx, "[");
		diff__put_u64(ctx, arr->nelems);
		diff__puts(ctx, "]");
		break;
	}
	case BTF_KIND_FUNC_PROTO:
		diff__puts(ctx, "fn(");
		diff__render_expr(ctx, t->type, depth + 1);
		diff__puts(ctx, ")");
		diff__render_params(ctx, t, false, depth);
		break;
	default:
		break;
	}
}

/* How a type reads where it is referenced from another one. */
static void diff__render_expr(struct diff_ctx *ctx, uint32_t id, int depth)
{
	const struct btf_type *t;
	const char *name;
	uint16_t kind;

	if (diff__stopped(ctx))
		return;
	if (!id) {
		diff__puts(ctx, "void");
		return;
	}
	t = d2b_btf__type_by_id(ctx->btf, id);
	if (!t) {
		diff__puts(ctx, "<invalid>");
		return;
	}
	kind = d2b_btf_kind(t);
	name = d2b_btf__name(ctx->btf, t);

	switch (kind) {
	case BTF_KIND_INT:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPEDEF:
		if (*name) {
			diff__put_name(ctx, name);
			return;
		}
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_FWD:
		if (*name) {
			if (kind == BTF_KIND_FWD) {
				diff__puts(ctx, d2b_btf_kflag(t) ? "fwd union " : "fwd struct ");
			} else {
				diff__puts(ctx, d2b_btf_kind_word(kind));
				diff__puts(ctx, " ");
			}
			diff__put_name(ctx, name);
			return;
		}
		break;
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DATASEC:
	case BTF_KIND_DECL_TAG:
		/* not types in the C sense: by name only, never inline */
		diff__puts(ctx, d2b_btf_kind_word(kind));
		diff__puts(ctx, " ");
		diff__put_name(ctx, *name ? name : "(anon)");
		return;
	default:
		if (d2b_btf_is_declarator(kind))
			break;
		diff__puts(ctx, "<kind ");
		diff__put_u64(ctx, kind);
		diff__puts(ctx, ">");
		return;
	}

	/*
	 * From here on the type is rendered by what it refers to: only this
	 * can loop. Types referred to by name above never recurse.
	 */
	if (depth > DIFF_MAX_DEPTH || ctx->on_path[id]) {
		diff__puts(ctx, "<cycle>");
		return;
	}
	ctx->on_path[id] = 1;
	if (d2b_btf_is_declarator(kind))
		diff__render_ref(ctx, t, depth);
	else
		diff__render_body(ctx, t, depth);	/* anonymous: inline */
	ctx->on_path[id] = 0;
}

static int diff__add_entry(struct diff_ctx *ctx, uint32_t id,
			   const struct btf_type *t, enum diff_side side)
{
	static const char marker[] = " <truncated>";
	struct diff_entry *e;
	int err;

	err = grow_buf((void **)&ctx->entries, &ctx->entries_cap,
		       sizeof(*ctx->entries), ctx->nr_entries + 1);
	if (err)
		return err;

	ctx->start = ctx->len;
	ctx->truncated = false;
	ctx->on_path[id] = 1;
	diff__render_body(ctx, t, 0);
	ctx->on_path[id] = 0;
	if (ctx->truncated)
		diff__put_raw(ctx, marker, sizeof(marker) - 1);
	diff__put_raw(ctx, "", 1);
	if (ctx->err)
		return ctx->err;

	e = &ctx->entries[ctx->nr_entries++];
	e->name = d2b_btf__name(ctx->btf, t);
	e->desc = NULL;
	e->desc_off = ctx->start;
	e->kind = d2b_btf_kind(t);
	e->side = (uint8_t)side;
	return 0;
}

static int diff__collect(struct diff_ctx *ctx, const struct d2b_btf *btf,
			 enum diff_side side, struct btf_diff_stats *stats)
{
	uint32_t id, cnt = d2b_btf__type_cnt(btf);
	int err = 0;

	ctx->btf = btf;
	ctx->on_path = calloc(cnt, 1);
	if (!ctx->on_path)
		return -ENOMEM;

	/* a split BTF's own types; the base's are named where referred to */
	for (id = d2b_btf__start_id(btf); id < cnt; id++) {
		const struct btf_type *t = d2b_btf__type_by_id(btf, id);
		uint16_t kind = d2b_btf_kind(t);
		struct btf_diff_kind_stats *ks;

		ks = &stats->kind[kind < BTF_NR_KINDS ? kind : BTF_KIND_UNKN];
		if (side == SIDE_A)
			ks->a++;
		else
			ks->b++;
		if (!diff__is_entry_kind(kind))
			continue;
		err = diff__add_entry(ctx, id, t, side);
		if (err)
			goto out;
	}
out:
	free(ctx->on_path);
	ctx->on_path = NULL;
	ctx->btf = NULL;
	return err;
}

static int diff_entry__cmp_key(const struct diff_entry *a, const struct diff_entry *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int diff_entry__cmp(const void *pa, const void *pb)
{
	const struct diff_entry *a = pa, *b = pb;
	int c = diff_entry__cmp_key(a, b);

	if (c)
		return c;
	c = strcmp(a->desc, b->desc);
	if (c)
		return c;
	return (int)a->side - (int)b->side;
}

/* Same escaping as diff__put_name(), straight to the output. */
static void diff__fput_name(FILE *out, const char *s)
{
	while (*s) {
		size_t n = 0;

		while (s[n] && diff__name_char_ok((unsigned char)s[n]))
			n++;
		if (n) {
			fwrite(s, 1, n, out);
			s += n;
			continue;
		}
		fprintf(out, "\\x%02x", (unsigned char)*s);
		s++;
	}
}

static void diff__print_line(FILE *out, const struct diff_entry *e, char side_char)
{
	fprintf(out, "%c %s ", side_char, d2b_btf_kind_name(e->kind));
	diff__fput_name(out, *e->name ? e->name : "(anon)");
	fputs(": ", out);
	fputs(e->desc, out);
	fputc('\n', out);
}

/*
 * Walk the sorted entries: a group shares (kind, name), a run inside it
 * shares the description too, and has the A side first.
 */
static int diff__match(struct diff_ctx *ctx, FILE *out, struct btf_diff_stats *stats)
{
	size_t i = 0, n = ctx->nr_entries;

	while (i < n) {
		const struct diff_entry *g = &ctx->entries[i];
		struct btf_diff_kind_stats *ks = &stats->kind[g->kind];
		bool has_a = false, has_b = false, unequal = false;
		size_t gend = i;

		while (gend < n && !diff_entry__cmp_key(g, &ctx->entries[gend]))
			gend++;

		while (i < gend) {
			const struct diff_entry *r = &ctx->entries[i];
			uint32_t na = 0, nb = 0, both, k;

			while (i < gend && !strcmp(r->desc, ctx->entries[i].desc)) {
				if (ctx->entries[i].side == SIDE_A)
					na++;
				else
					nb++;
				i++;
			}
			both = na < nb ? na : nb;
			has_a |= na > 0;
			has_b |= nb > 0;
			unequal |= na != nb;
			ks->matched += both;
			ks->only_a += na - both;
			ks->only_b += nb - both;
			stats->total_differences += (uint64_t)(na - both) + (nb - both);
			if (!out)
				continue;
			for (k = both; k < na; k++)
				diff__print_line(out, r, '<');
			for (k = both; k < nb; k++)
				diff__print_line(out, r, '>');
		}
		if (has_a && has_b && unequal)
			ks->differ++;
	}
	if (out && ferror(out))
		return -EIO;
	return 0;
}

int btf_diff__run(const struct d2b_btf *a, const struct d2b_btf *b, FILE *out,
	      struct btf_diff_stats *stats)
{
	struct btf_diff_stats local = {};
	struct diff_ctx ctx = {};
	size_t i;
	int err;

	err = diff__collect(&ctx, a, SIDE_A, &local);
	if (err)
		goto out;
	err = diff__collect(&ctx, b, SIDE_B, &local);
	if (err)
		goto out;

	/* the arena no longer moves: offsets can become pointers */
	for (i = 0; i < ctx.nr_entries; i++)
		ctx.entries[i].desc = ctx.arena + ctx.entries[i].desc_off;
	if (ctx.nr_entries)
		qsort(ctx.entries, ctx.nr_entries, sizeof(*ctx.entries), diff_entry__cmp);

	err = diff__match(&ctx, out, &local);
out:
	if (stats)
		*stats = local;
	free(ctx.arena);
	free(ctx.entries);
	free(ctx.vars);
	return err;
}

void btf_diff__print_summary(const struct btf_diff_stats *stats, FILE *out)
{
	uint16_t k;

	for (k = 0; k < BTF_NR_KINDS; k++) {
		const struct btf_diff_kind_stats *ks = &stats->kind[k];

		if (!ks->a && !ks->b)
			continue;
		fprintf(out, "kind %s a=%" PRIu32 " b=%" PRIu32 " matched=%" PRIu32
			" only_a=%" PRIu32 " only_b=%" PRIu32 " differ=%" PRIu32 "\n",
			d2b_btf_kind_name(k), ks->a, ks->b, ks->matched, ks->only_a,
			ks->only_b, ks->differ);
	}
	fprintf(out, "differences %" PRIu64 "\n", stats->total_differences);
}
