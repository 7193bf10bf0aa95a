// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Unit tests for the C header writer on BTF built by hand: alignment
 * attributes from a hand-made DWARF alignment table (which the converter
 * does not fill yet), declaration order, declarators, names shared by
 * several types, enum values, packing, --types, and hostile shapes that
 * must neither hang nor crash: self-referencing anonymous types, a
 * prototype that takes a pointer to itself, by-value chains 20000 deep,
 * and a type graph that expands exponentially.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "btf_align.h"
#include "c_header.h"

#include "check.h"

/* ---- builders ---- */

/* brace lists below leave a member's bitfield width zero on purpose */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

struct mem {
	const char *name;
	uint32_t type;
	uint32_t off;	/* bits */
	uint32_t bits;	/* bitfield width */
};

static uint32_t str(struct d2b_btf *b, const char *s)
{
	int64_t off = s && *s ? d2b_btf__add_str(b, s) : 0;

	if (off < 0)
		die("d2b_btf__add_str");
	return (uint32_t)off;
}

static uint32_t add(struct d2b_btf *b, uint16_t kind, const char *name, uint16_t vlen, bool kflag,
		    uint32_t size_type, const void *extra, size_t len)
{
	struct btf_type t = {
		.name_off = str(b, name),
		.info = d2b_btf_mkinfo(kind, vlen, kflag),
		.size = size_type,
	};
	int64_t id = d2b_btf__add_type(b, &t, extra, len);

	if (id < 0)
		die("d2b_btf__add_type");
	return (uint32_t)id;
}

static uint32_t add_int(struct d2b_btf *b, const char *name, uint32_t size, bool is_signed)
{
	uint32_t data = (is_signed ? BTF_INT_SIGNED : 0) << 24 | size * 8;

	return add(b, BTF_KIND_INT, name, 0, false, size, &data, sizeof(data));
}

static uint32_t add_ref(struct d2b_btf *b, uint16_t kind, const char *name, uint32_t type)
{
	return add(b, kind, name, 0, false, type, NULL, 0);
}

static uint32_t add_arr(struct d2b_btf *b, uint32_t elem, uint32_t index, uint32_t n)
{
	struct btf_array a = { .type = elem, .index_type = index, .nelems = n };

	return add(b, BTF_KIND_ARRAY, NULL, 0, false, 0, &a, sizeof(a));
}

static uint32_t add_sou(struct d2b_btf *b, uint16_t kind, const char *name, uint32_t size,
			uint16_t n, const struct mem *m)
{
	struct btf_member ms[64];
	bool kflag = false;
	uint16_t i;

	if (n > 64)
		die("too many members");
	for (i = 0; i < n; i++)
		kflag |= m[i].bits != 0;
	for (i = 0; i < n; i++) {
		ms[i].name_off = str(b, m[i].name);
		ms[i].type = m[i].type;
		ms[i].offset = kflag ? m[i].bits << 24 | m[i].off : m[i].off;
	}
	return add(b, kind, name, n, kflag, size, ms, n * sizeof(*ms));
}

#define STRUCT(name, size, ...) \
	add_sou(b, BTF_KIND_STRUCT, name, size, \
		(uint16_t)(sizeof((struct mem[]){ __VA_ARGS__ }) / sizeof(struct mem)), \
		(struct mem[]){ __VA_ARGS__ })

static uint32_t add_enum32(struct d2b_btf *b, const char *name, bool is_signed, const char *n1,
			   int32_t v1, const char *n2, int32_t v2)
{
	struct btf_enum e[2] = {
		{ .name_off = str(b, n1), .val = v1 },
		{ .name_off = str(b, n2), .val = v2 },
	};

	return add(b, BTF_KIND_ENUM, name, 2, is_signed, 4, e, sizeof(e));
}

static uint32_t add_enum64(struct d2b_btf *b, const char *name, bool is_signed, const char *n1,
			   uint64_t v1)
{
	struct btf_enum64 e = {
		.name_off = str(b, n1), .val_lo32 = (uint32_t)v1, .val_hi32 = (uint32_t)(v1 >> 32),
	};

	return add(b, BTF_KIND_ENUM64, name, 1, is_signed, 8, &e, sizeof(e));
}

static uint32_t add_proto(struct d2b_btf *b, uint32_t ret, uint16_t n, const uint32_t *params)
{
	struct btf_param p[8];
	uint16_t i;

	for (i = 0; i < n; i++) {
		p[i].name_off = 0;
		p[i].type = params[i];
	}
	return add(b, BTF_KIND_FUNC_PROTO, NULL, n, false, ret, p, n * sizeof(*p));
}

/* The header for @b, or NULL with *@ret (and @err) set on failure. */
static char *header(const struct d2b_btf *b, const struct c_header_opts *opts, int *ret,
		    char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		die("open_memstream");
	*ret = c_header__write(b, opts, f, err, errlen);
	fclose(f);
	if (*ret) {
		free(text);
		return NULL;
	}
	return text;
}

/* @text for a failure message */
static const char *show(const char *text)
{
	return text ? text : "(no header)";
}

static const char *find(const char *text, const char *needle)
{
	return text ? strstr(text, needle) : NULL;
}

/* Offset of @needle in @text, or a large number when missing. */
static long pos(const char *text, const char *needle)
{
	const char *p = find(text, needle);

	return p ? p - text : 1L << 30;
}

/* ---- tests ---- */

static void test_aligned(void)
{
	struct d2b_btf *b = d2b_btf__new();
	struct btf_align *a = btf_align__new();
	struct c_header_opts opts = { 0 };
	uint32_t i_int, i_char, i_long, cl, as, s16, td, bad;
	char err[256], *with, *without;
	int ret;

	if (!b || !a)
		die("out of memory");
	i_int = add_int(b, "int", 4, true);
	i_char = add_int(b, "char", 1, true);
	i_long = add_int(b, "long int", 8, true);
	/* struct __attribute__((aligned(64))) cacheline { int v; } */
	cl = STRUCT("cacheline", 64, { "v", i_int, 0 });
	/* struct aligned_s { char c; int x __attribute__((aligned(16))); } */
	as = STRUCT("aligned_s", 32, { "c", i_char, 0 }, { "x", i_int, 128 });
	s16 = STRUCT("s16", 16, { "a", i_long, 0 }, { "b", i_long, 64 });
	td = add_ref(b, BTF_KIND_TYPEDEF, "s16_t", s16);
	/* a table that contradicts BTF: x is not at a multiple of 64 bytes */
	bad = STRUCT("bad", 8, { "c", i_char, 0 }, { "x", i_int, 32 });
	if (btf_align__add(a, cl, BTF_ALIGN_TYPE, 64) || btf_align__add(a, as, 1, 16) ||
	    btf_align__add(a, td, BTF_ALIGN_TYPE, 16) || btf_align__add(a, bad, 1, 64) ||
	    btf_align__add(a, bad, BTF_ALIGN_TYPE, 3))
		die("btf_align__add");

	without = header(b, &opts, &ret, err, sizeof(err));
	opts.align = a;
	with = header(b, &opts, &ret, err, sizeof(err));
	check(with && without, "aligned.written", "%s", err);
	check(find(with, "\tint v;\n} __attribute__((aligned(64)));") != NULL,
	      "aligned.type", "no aligned(64) on struct cacheline:\n%s", show(with));
	check(find(with, "\tint x __attribute__((aligned(16)));") != NULL &&
	      !find(with, "long: 56;"), "aligned.member",
	      "member x should be aligned(16) without padding before it:\n%s", show(with));
	check(find(with, "typedef struct s16 s16_t __attribute__((aligned(16)));") != NULL,
	      "aligned.typedef", "typedef s16_t should carry aligned(16):\n%s", show(with));
	check(!find(with, "aligned(3)") && find(with, "struct bad {\n\tchar c;\n\tint x;\n};") != NULL,
	      "aligned.inconsistent", "a contradicting table must be ignored:\n%s", show(with));
	check(!find(without, "aligned(") && find(without, "\tint v;\n\tint: 32;\n\tlong: 64;") &&
	      find(without, "\tchar c;\n\tlong: 56;\n\tlong: 64;\n\tint x;"),
	      "aligned.padding_without_table", "without a table, padding instead:\n%s", show(without));
	free(with);
	free(without);
	btf_align__free(a);
	d2b_btf__free(b);
}

static void test_order_and_declarators(void)
{
	struct d2b_btf *b = d2b_btf__new();
	struct c_header_opts opts = { 0 };
	uint32_t i_int, v_ptr, proto, fp, arr, sa, sb, sc, sc_ptr, idx, tdn, fwd_b_ptr;
	const char *types[] = { "A" };
	char err[256], *h, *h2, *sel;
	int ret;

	if (!b)
		die("out of memory");
	i_int = add_int(b, "int", 4, true);
	idx = add_int(b, "unsigned int", 4, false);
	v_ptr = add_ref(b, BTF_KIND_PTR, NULL, 0);
	proto = add_proto(b, i_int, 1, &v_ptr);
	fp = add_ref(b, BTF_KIND_PTR, NULL, proto);
	arr = add_arr(b, fp, idx, 4);
	/* ids: A uses B by value and C by pointer; C uses A by value */
	sa = d2b_btf__type_cnt(b);
	sb = sa + 1;
	sc = sa + 2;
	sc_ptr = sa + 3;
	fwd_b_ptr = sa + 4;
	STRUCT("A", 56, { "b", sb, 0 }, { "c", sc_ptr, 128 }, { "cb", arr, 192 });
	STRUCT("B", 16, { "x", i_int, 0 }, { "self", fwd_b_ptr, 64 });
	STRUCT("C", 56, { "a", sa, 0 });
	add_ref(b, BTF_KIND_PTR, NULL, sc);
	add_ref(b, BTF_KIND_PTR, NULL, sb);
	tdn = add_ref(b, BTF_KIND_TYPEDEF, "node_t", sb);
	(void)tdn;

	h = header(b, &opts, &ret, err, sizeof(err));
	h2 = header(b, &opts, &ret, err, sizeof(err));
	check(h && h2 && !strcmp(h, h2), "order.deterministic", "two runs differ");
	check(pos(h, "struct B {") < pos(h, "struct A {") && pos(h, "struct A {") < pos(h, "struct C {"),
	      "order.by_value", "B, A, C expected in that order:\n%s", show(h));
	check(find(h, "\tint (*cb[4])(void *);\n") != NULL, "declarator.fn_ptr_array",
	      "no 'int (*cb[4])(void *)':\n%s", show(h));
	check(find(h, "\tstruct C *c;\n") != NULL && !find(h, "\nstruct C;\n"),
	      "order.pointer_mention", "a pointer member needs no forward declaration:\n%s", show(h));
	check(find(h, "#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n") == h &&
	      find(h, "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)") &&
	      find(h, "#pragma clang attribute pop") &&
	      find(h, "#endif /* __VMLINUX_H__ */\n"), "prologue_epilogue", "guard or pragma missing");

	opts.types = types;
	opts.nr_types = 1;
	sel = header(b, &opts, &ret, err, sizeof(err));
	check(sel && find(sel, "struct A {") && find(sel, "struct B {") && !find(sel, "struct C {") &&
	      !find(sel, "node_t"), "types.filter",
	      "--types A: A and B (by value) only, C only named:\n%s", show(sel));
	types[0] = "nosuch";
	free(header(b, &opts, &ret, err, sizeof(err)));
	check(ret == -ENOENT && strstr(err, "nosuch"), "types.unknown", "ret %d, '%s'", ret, err);
	free(h);
	free(h2);
	free(sel);
	d2b_btf__free(b);
}

static void test_names_and_enums(void)
{
	struct d2b_btf *b = d2b_btf__new();
	struct c_header_opts opts = { 0 };
	uint32_t i_int, i_char, arr, va_tag, idx, va;
	char err[256], *h;
	int ret;

	if (!b)
		die("out of memory");
	i_int = add_int(b, "int", 4, true);
	i_char = add_int(b, "char", 1, true);
	idx = add_int(b, "unsigned int", 4, false);
	STRUCT("dup", 4, { "x", i_int, 0 });
	STRUCT("dup", 8, { "x", i_int, 0 }, { "y", i_int, 32 });
	add_enum32(b, "e1", true, "X", -1, "Y", 1);
	add_enum32(b, "e2", false, "X", 5, "Z", -1);
	add_enum64(b, "e64u", false, "BIG", UINT64_MAX);
	add_enum64(b, "e64s", true, "MIN", (uint64_t)INT64_MIN);
	add_enum64(b, "e64small", false, "SMALL", 1);
	/* struct { char c; int i; } __attribute__((packed)), 5 bytes */
	STRUCT("pk", 5, { "c", i_char, 0 }, { "i", i_int, 8 });
	/* gcc's typedef __builtin_va_list, and va_list on it */
	va_tag = STRUCT("__va_list_tag", 24, { "gp_offset", i_int, 0 });
	arr = add_arr(b, va_tag, idx, 1);
	va = add_ref(b, BTF_KIND_TYPEDEF, "__builtin_va_list", arr);
	add_ref(b, BTF_KIND_TYPEDEF, "va_list", va);

	h = header(b, &opts, &ret, err, sizeof(err));
	check(h && find(h, "struct dup {\n\tint x;\n};") && find(h, "struct dup___2 {\n\tint x;\n\tint y;\n};"),
	      "names.suffix", "two structs 'dup' need dup and dup___2:\n%s", show(h));
	check(find(h, "\tX = -1,\n") && find(h, "\tX___2 = 5,\n") && find(h, "\tZ = 4294967295,\n"),
	      "enum.values", "enumerators (signed per kind_flag, renamed when shared):\n%s", show(h));
	check(find(h, "\tBIG = 18446744073709551615ULL,\n") &&
	      find(h, "\tMIN = (-9223372036854775807LL - 1),\n") &&
	      find(h, "} __attribute__((mode(DI)));"), "enum.enum64",
	      "ENUM64 values need suffixes and an 8-byte enum:\n%s", show(h));
	check(find(h, "struct pk {\n\tchar c;\n\tint i;\n} __attribute__((packed));") != NULL,
	      "packed", "struct pk must be packed:\n%s", show(h));
	check(find(h, "typedef struct __va_list_tag va_list[1];") && !find(h, "typedef struct __va_list_tag __builtin_va_list"),
	      "builtin_typedef", "__builtin_va_list must be written as what it stands for:\n%s", show(h));
	free(h);
	d2b_btf__free(b);
}

static void test_hostile(void)
{
	struct d2b_btf *b = d2b_btf__new();
	struct c_header_opts opts = { 0 };
	uint32_t i_int, anon, self_ptr, proto, fp_ptr, first, i, prev;
	char err[256], *h;
	int ret;

	if (!b)
		die("out of memory");
	i_int = add_int(b, "int", 4, true);
	/* an anonymous struct holding a pointer to itself, used by "holder" */
	anon = d2b_btf__type_cnt(b);
	self_ptr = anon + 1;
	STRUCT(NULL, 16, { "next", self_ptr, 0 }, { "v", i_int, 64 });
	add_ref(b, BTF_KIND_PTR, NULL, anon);
	STRUCT("holder", 16, { "a", anon, 0 });
	/* a prototype whose parameter points to the prototype itself */
	proto = d2b_btf__type_cnt(b);
	fp_ptr = proto + 1;
	add_proto(b, i_int, 1, &fp_ptr);
	add_ref(b, BTF_KIND_PTR, NULL, proto);
	STRUCT("cb_holder", 8, { "cb", fp_ptr, 0 });
	h = header(b, &opts, &ret, err, sizeof(err));
	check(h && find(h, "__anon_") && find(h, "struct holder {"), "hostile.self_anon",
	      "ret %d %s:\n%s", ret, err, show(h));
	check(h && find(h, "struct cb_holder {"), "hostile.proto_cycle", "ret %d %s", ret, err);
	free(h);
	d2b_btf__free(b);

	/* 20000 structs, each holding the next by value: written last first */
	b = d2b_btf__new();
	if (!b)
		die("out of memory");
	i_int = add_int(b, "int", 4, true);
	first = d2b_btf__type_cnt(b);
	for (i = 0; i < 20000; i++) {
		char name[32];

		snprintf(name, sizeof(name), "s%u", i);
		if (i < 19999)
			STRUCT(name, 4, { "n", first + i + 1, 0 });
		else
			STRUCT(name, 4, { "v", i_int, 0 });
	}
	h = header(b, &opts, &ret, err, sizeof(err));
	check(h && pos(h, "struct s19999 {") < pos(h, "struct s0 {") &&
	      pos(h, "struct s1 {") < pos(h, "struct s0 {"), "hostile.deep_chain",
	      "ret %d %s", ret, err);
	free(h);
	d2b_btf__free(b);

	/* prototypes taking two pointers to the next: 2^60 paths */
	b = d2b_btf__new();
	if (!b)
		die("out of memory");
	i_int = add_int(b, "int", 4, true);
	prev = i_int;
	for (i = 0; i < 60; i++) {
		uint32_t params[2], p;

		p = add_ref(b, BTF_KIND_PTR, NULL, prev);
		params[0] = params[1] = p;
		prev = add_proto(b, i_int, 2, params);
	}
	prev = add_ref(b, BTF_KIND_PTR, NULL, prev);
	STRUCT("bomb", 8, { "f", prev, 0 });
	h = header(b, &opts, &ret, err, sizeof(err));
	check(!h && ret == -E2BIG, "hostile.exponential", "want -E2BIG, got %d", ret);
	free(h);
	d2b_btf__free(b);
}

int main(void)
{
	test_aligned();
	test_order_and_declarators();
	test_names_and_enums();
	test_hostile();
	return failures ? 1 : 0;
}
