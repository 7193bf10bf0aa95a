/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * BTF built by hand for the unit tests: one function per kind, each
 * appending a type to a struct d2b_btf and returning its id (die() on
 * failure), and short macros over them that use a `struct d2b_btf *b` in
 * scope, e.g.
 *
 *	uint32_t i = INT("int", 4, 32, BTF_INT_SIGNED);
 *	uint32_t s = SOU(STRUCT, "s", 8, false, { "a", i, 0 }, { "b", i, 32 });
 *
 * Include after check.h.
 */
#ifndef D2B_TEST_BTF_BUILD_H
#define D2B_TEST_BTF_BUILD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "btf.h"

/* brace lists below leave trailing fields (a bitfield width) zero on purpose */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct mem { const char *name; uint32_t type, off, bits; };
struct en { const char *name; int64_t val; };
struct par { const char *name; uint32_t type; };
struct sec { uint32_t type, off, size; };

/* "count, array" from a brace list of T */
#define LIST(T, ...) (uint16_t)(sizeof((T[]){ __VA_ARGS__ }) / sizeof(T)), (T[]){ __VA_ARGS__ }

__attribute__((unused))
static uint32_t str(struct d2b_btf *b, const char *s)
{
	int64_t off = s && *s ? d2b_btf__add_str(b, s) : 0;

	if (off < 0)
		die("d2b_btf__add_str failed");
	return (uint32_t)off;
}

__attribute__((unused))
static uint32_t add_raw(struct d2b_btf *b, uint32_t name_off, uint16_t kind, uint16_t vlen,
			bool kflag, uint32_t size_type, const void *extra, size_t len)
{
	struct btf_type t = {
		.name_off = name_off,
		.info = d2b_btf_mkinfo(kind, vlen, kflag),
		.size = size_type,
	};
	int64_t id = d2b_btf__add_type(b, &t, extra, len);

	if (id < 0)
		die("d2b_btf__add_type failed");
	return (uint32_t)id;
}

__attribute__((unused))
static uint32_t add(struct d2b_btf *b, uint16_t kind, const char *name, uint16_t vlen,
		    bool kflag, uint32_t size_type, const void *extra, size_t len)
{
	return add_raw(b, str(b, name), kind, vlen, kflag, size_type, extra, len);
}

__attribute__((unused))
static uint32_t add_int(struct d2b_btf *b, const char *name, uint32_t size, uint32_t off,
			uint32_t bits, uint32_t enc)
{
	uint32_t data = enc << 24 | off << 16 | bits;

	return add(b, BTF_KIND_INT, name, 0, false, size, &data, sizeof(data));
}

__attribute__((unused))
static uint32_t add_arr(struct d2b_btf *b, uint32_t elem, uint32_t index, uint32_t n)
{
	struct btf_array a = { .type = elem, .index_type = index, .nelems = n };

	return add(b, BTF_KIND_ARRAY, NULL, 0, false, 0, &a, sizeof(a));
}

__attribute__((unused))
static uint32_t add_sou(struct d2b_btf *b, uint16_t kind, const char *name, uint32_t size,
			bool kflag, uint16_t n, const struct mem *m)
{
	struct btf_member *ms = calloc(n ? n : 1, sizeof(*ms));
	uint32_t i, id;

	if (!ms)
		die("out of memory");
	for (i = 0; i < n; i++) {
		ms[i].name_off = str(b, m[i].name);
		ms[i].type = m[i].type;
		ms[i].offset = kflag ? m[i].bits << 24 | m[i].off : m[i].off;
	}
	id = add(b, kind, name, n, kflag, size, ms, n * sizeof(*ms));
	free(ms);
	return id;
}

/* Does a member have a bitfield width (then its STRUCT needs kind_flag)? */
__attribute__((unused))
static bool any_bits(uint16_t n, const struct mem *m)
{
	uint16_t i;

	for (i = 0; i < n; i++)
		if (m[i].bits)
			return true;
	return false;
}

__attribute__((unused))
static uint32_t add_enum(struct d2b_btf *b, uint16_t kind, const char *name, uint32_t size,
			 bool kflag, uint16_t n, const struct en *e)
{
	struct btf_enum64 *e64 = calloc(n ? n : 1, sizeof(*e64));
	struct btf_enum *e32 = calloc(n ? n : 1, sizeof(*e32));
	uint32_t i, id;

	if (!e64 || !e32)
		die("out of memory");
	for (i = 0; i < n; i++) {
		e32[i].name_off = e64[i].name_off = str(b, e[i].name);
		e32[i].val = (int32_t)e[i].val;
		e64[i].val_lo32 = (uint32_t)e[i].val;
		e64[i].val_hi32 = (uint32_t)((uint64_t)e[i].val >> 32);
	}
	if (kind == BTF_KIND_ENUM64)
		id = add(b, kind, name, n, kflag, size, e64, n * sizeof(*e64));
	else
		id = add(b, kind, name, n, kflag, size, e32, n * sizeof(*e32));
	free(e64);
	free(e32);
	return id;
}

__attribute__((unused))
static uint32_t add_proto(struct d2b_btf *b, uint32_t ret, uint16_t n, const struct par *p)
{
	struct btf_param *ps = calloc(n ? n : 1, sizeof(*ps));
	uint32_t i, id;

	if (!ps)
		die("out of memory");
	for (i = 0; i < n; i++) {
		ps[i].name_off = str(b, p[i].name);
		ps[i].type = p[i].type;
	}
	id = add(b, BTF_KIND_FUNC_PROTO, NULL, n, false, ret, ps, n * sizeof(*ps));
	free(ps);
	return id;
}

__attribute__((unused))
static uint32_t add_var(struct d2b_btf *b, const char *name, uint32_t type, uint32_t linkage)
{
	struct btf_var v = { .linkage = linkage };

	return add(b, BTF_KIND_VAR, name, 0, false, type, &v, sizeof(v));
}

__attribute__((unused))
static uint32_t add_dsec(struct d2b_btf *b, const char *name, uint32_t size, uint16_t n,
			 const struct sec *s)
{
	struct btf_var_secinfo *vs = calloc(n ? n : 1, sizeof(*vs));
	uint32_t i, id;

	if (!vs)
		die("out of memory");
	for (i = 0; i < n; i++) {
		vs[i].type = s[i].type;
		vs[i].offset = s[i].off;
		vs[i].size = s[i].size;
	}
	id = add(b, BTF_KIND_DATASEC, name, n, false, size, vs, n * sizeof(*vs));
	free(vs);
	return id;
}

__attribute__((unused))
static uint32_t add_dtag(struct d2b_btf *b, const char *value, uint32_t type, int32_t idx)
{
	struct btf_decl_tag d = { .component_idx = idx };

	return add(b, BTF_KIND_DECL_TAG, value, 0, false, type, &d, sizeof(d));
}

#define INT(n, sz, bits, enc)	add_int(b, n, sz, 0, bits, enc)
#define INTX(n, sz, off, bits)	add_int(b, n, sz, off, bits, 0)
#define REF(kind, n, t)		add(b, BTF_KIND_##kind, n, 0, false, t, NULL, 0)
#define PTR(t)			REF(PTR, NULL, t)
#define ARR(elem, idx, n)	add_arr(b, elem, idx, n)
#define SOU(kind, n, sz, kf, ...) \
	add_sou(b, BTF_KIND_##kind, n, sz, kf, LIST(struct mem, __VA_ARGS__))
/* a STRUCT with kind_flag if a member has a bitfield width */
#define STRUCT(n, sz, ...) \
	add_sou(b, BTF_KIND_STRUCT, n, sz, any_bits(LIST(struct mem, __VA_ARGS__)), \
		LIST(struct mem, __VA_ARGS__))
#define ENUM(kind, n, sz, ...)	ENUMK(kind, n, sz, false, __VA_ARGS__)
#define ENUMK(kind, n, sz, kf, ...) \
	add_enum(b, BTF_KIND_##kind, n, sz, kf, LIST(struct en, __VA_ARGS__))
#define PROTO(ret, ...)		add_proto(b, ret, LIST(struct par, __VA_ARGS__))
#define FUNC(n, proto, link)	add(b, BTF_KIND_FUNC, n, link, false, proto, NULL, 0)
#define VAR(n, t, link)		add_var(b, n, t, link)
#define DSEC(n, sz, ...)	add_dsec(b, n, sz, LIST(struct sec, __VA_ARGS__))
#define FLOAT(n, sz)		add(b, BTF_KIND_FLOAT, n, 0, false, sz, NULL, 0)
#define DTAG(v, t, idx)		add_dtag(b, v, t, idx)
#define FWD(n)			add(b, BTF_KIND_FWD, n, 0, false, 0, NULL, 0)

#endif
