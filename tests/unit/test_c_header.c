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
#include "btf_build.h"

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
	i_int = INT("int", 4, 32, BTF_INT_SIGNED);
	i_char = INT("char", 1, 8, BTF_INT_SIGNED);
	i_long = INT("long int", 8, 64, BTF_INT_SIGNED);
	/* struct __attribute__((aligned(64))) cacheline { int v; } */
	cl = STRUCT("cacheline", 64, { "v", i_int, 0 });
	/* struct aligned_s { char c; int x __attribute__((aligned(16))); } */
	as = STRUCT("aligned_s", 32, { "c", i_char, 0 }, { "x", i_int, 128 });
	s16 = STRUCT("s16", 16, { "a", i_long, 0 }, { "b", i_long, 64 });
	td = REF(TYPEDEF, "s16_t", s16);
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
	i_int = INT("int", 4, 32, BTF_INT_SIGNED);
	idx = INT("unsigned int", 4, 32, 0);
	v_ptr = REF(PTR, NULL, 0);
	proto = PROTO(i_int, { NULL, v_ptr });
	fp = REF(PTR, NULL, proto);
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
	REF(PTR, NULL, sc);
	REF(PTR, NULL, sb);
	tdn = REF(TYPEDEF, "node_t", sb);
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
	i_int = INT("int", 4, 32, BTF_INT_SIGNED);
	i_char = INT("char", 1, 8, BTF_INT_SIGNED);
	idx = INT("unsigned int", 4, 32, 0);
	STRUCT("dup", 4, { "x", i_int, 0 });
	STRUCT("dup", 8, { "x", i_int, 0 }, { "y", i_int, 32 });
	ENUMK(ENUM, "e1", 4, true, { "X", -1 }, { "Y", 1 });
	ENUMK(ENUM, "e2", 4, false, { "X", 5 }, { "Z", -1 });
	ENUMK(ENUM64, "e64u", 8, false, { "BIG", (int64_t)UINT64_MAX });
	ENUMK(ENUM64, "e64s", 8, true, { "MIN", (int64_t)(uint64_t)INT64_MIN });
	ENUMK(ENUM64, "e64small", 8, false, { "SMALL", (int64_t)1 });
	/* struct { char c; int i; } __attribute__((packed)), 5 bytes */
	STRUCT("pk", 5, { "c", i_char, 0 }, { "i", i_int, 8 });
	/* gcc's typedef __builtin_va_list, and va_list on it */
	va_tag = STRUCT("__va_list_tag", 24, { "gp_offset", i_int, 0 });
	arr = add_arr(b, va_tag, idx, 1);
	va = REF(TYPEDEF, "__builtin_va_list", arr);
	REF(TYPEDEF, "va_list", va);

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
	i_int = INT("int", 4, 32, BTF_INT_SIGNED);
	/* an anonymous struct holding a pointer to itself, used by "holder" */
	anon = d2b_btf__type_cnt(b);
	self_ptr = anon + 1;
	STRUCT(NULL, 16, { "next", self_ptr, 0 }, { "v", i_int, 64 });
	REF(PTR, NULL, anon);
	STRUCT("holder", 16, { "a", anon, 0 });
	/* a prototype whose parameter points to the prototype itself */
	proto = d2b_btf__type_cnt(b);
	fp_ptr = proto + 1;
	PROTO(i_int, { NULL, fp_ptr });
	REF(PTR, NULL, proto);
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
	i_int = INT("int", 4, 32, BTF_INT_SIGNED);
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
	i_int = INT("int", 4, 32, BTF_INT_SIGNED);
	prev = i_int;
	for (i = 0; i < 60; i++) {
		uint32_t p;

		p = REF(PTR, NULL, prev);
		prev = PROTO(i_int, { NULL, p }, { NULL, p });
	}
	prev = REF(PTR, NULL, prev);
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
