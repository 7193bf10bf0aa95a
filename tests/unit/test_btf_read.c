// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Unit tests for the raw BTF writer, reader and validator: round trips in
 * both byte orders, then one broken blob per rule, each of which must be
 * rejected with a message that names the rule.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf.h"
#include "btf_raw.h"
#include "strset.h"
#include "validate.h"

#define SYSFS_VMLINUX "/sys/kernel/btf/vmlinux"

#include "check.h"
#include "btf_build.h"

/* 127 characters: the longest name the kernel takes */
#define NAME127 "n123456789012345678901234567890123456789012345678901234567890" \
		"123456789012345678901234567890123456789012345678901234567890123456"
#define NAME128 NAME127 "x"

/* ---- blobs and their mutation ---- */

struct blob {
	uint8_t *d;
	size_t size;
	size_t cap;
	bool swap;
};

#define HDR_LEN 24
#define H_HDR_LEN 4
#define H_TYPE_OFF 8
#define H_TYPE_LEN 12
#define H_STR_OFF 16
#define H_STR_LEN 20
/* type record 1 starts right after the header in what d2b_btf__raw_data writes */
#define T1_NAME (HDR_LEN + 0)
#define T1_INFO (HDR_LEN + 4)

static uint32_t get32(const struct blob *bl, size_t off)
{
	uint32_t v;

	memcpy(&v, bl->d + off, 4);
	return bl->swap ? __builtin_bswap32(v) : v;
}

static void put32(struct blob *bl, size_t off, uint32_t v)
{
	if (bl->swap)
		v = __builtin_bswap32(v);
	memcpy(bl->d + off, &v, 4);
}

static void put16(struct blob *bl, size_t off, uint16_t v)
{
	if (bl->swap)
		v = __builtin_bswap16(v);
	memcpy(bl->d + off, &v, 2);
}

/* @n zero bytes at @off */
static void insert(struct blob *bl, size_t off, size_t n)
{
	if (bl->size + n > bl->cap)
		die("blob slack too small");
	memmove(bl->d + off + n, bl->d + off, bl->size - off);
	memset(bl->d + off, 0, n);
	bl->size += n;
}

static void mut_short(struct blob *bl) { bl->size = 20; }
static void mut_magic(struct blob *bl) { put16(bl, 0, 0x1234); }
static void mut_version(struct blob *bl) { bl->d[2] = 2; }
static void mut_flags(struct blob *bl) { bl->d[3] = 1; }
static void mut_hdr_short(struct blob *bl) { put32(bl, H_HDR_LEN, 16); }
static void mut_hdr_beyond(struct blob *bl) { put32(bl, H_HDR_LEN, (uint32_t)bl->size + 8); }

static void mut_hdr_nonzero(struct blob *bl)
{
	insert(bl, HDR_LEN, 8);
	put32(bl, H_HDR_LEN, HDR_LEN + 8);
	bl->d[HDR_LEN + 4] = 1;
}

static void mut_hdr_zero(struct blob *bl)
{
	insert(bl, HDR_LEN, 8);
	put32(bl, H_HDR_LEN, HDR_LEN + 8);
}

static void mut_type_unaligned(struct blob *bl) { put32(bl, H_TYPE_OFF, 2); }

static void mut_type_beyond(struct blob *bl)
{
	put32(bl, H_TYPE_LEN, get32(bl, H_TYPE_LEN) + 1000);
}

static void mut_str_beyond(struct blob *bl)
{
	put32(bl, H_STR_LEN, get32(bl, H_STR_LEN) + 100);
}

static void mut_overlap(struct blob *bl)
{
	put32(bl, H_STR_OFF, get32(bl, H_STR_OFF) - 4);
}

static void mut_gap_before(struct blob *bl)
{
	put32(bl, H_TYPE_OFF, 4);
	put32(bl, H_TYPE_LEN, get32(bl, H_TYPE_LEN) - 4);
}

static void mut_gap_between(struct blob *bl)
{
	uint32_t str_off = get32(bl, H_STR_OFF);

	insert(bl, HDR_LEN + str_off, 4);
	put32(bl, H_STR_OFF, str_off + 4);
}

static void mut_trailing(struct blob *bl)
{
	insert(bl, bl->size, 4);
}

static void mut_str_empty(struct blob *bl)
{
	bl->size -= get32(bl, H_STR_LEN);
	put32(bl, H_STR_LEN, 0);
}

static void mut_str_first(struct blob *bl) { bl->d[HDR_LEN + get32(bl, H_STR_OFF)] = 'x'; }
static void mut_str_last(struct blob *bl) { bl->d[bl->size - 1] = 'x'; }

static void mut_truncated(struct blob *bl)
{
	uint32_t type_len = get32(bl, H_TYPE_LEN);

	insert(bl, HDR_LEN + type_len, 4);
	put32(bl, H_TYPE_LEN, type_len + 4);
	put32(bl, H_STR_OFF, type_len + 4);
}

static void mut_overrun(struct blob *bl)
{
	put32(bl, T1_INFO, d2b_btf_mkinfo(BTF_KIND_STRUCT, 1000, false));
}

static void mut_kind25(struct blob *bl) { put32(bl, T1_INFO, d2b_btf_mkinfo(25, 0, false)); }
static void mut_kind0(struct blob *bl) { put32(bl, T1_INFO, d2b_btf_mkinfo(0, 0, false)); }
static void mut_name_off(struct blob *bl) { put32(bl, T1_NAME, 100000); }
/* the name of the first member of struct pair, after INT (16 bytes), PTR (12) and its own 12 */
static void mut_member_name_off(struct blob *bl) { put32(bl, HDR_LEN + 40, 100000); }

/* The small valid BTF the raw-level mutations start from. */
static void base_types(struct d2b_btf *b)
{
	uint32_t i = INT("int", 4, 32, BTF_INT_SIGNED);
	uint32_t p = PTR(i);

	SOU(STRUCT, "pair", 16, false, { "a", i, 0 }, { "p", p, 64 });
}

/* ---- the table of broken BTF ---- */

struct bad_case {
	const char *name;
	const char *expect;	/* substring of the error message */
	void (*mutate)(struct blob *bl);
	void (*build)(struct d2b_btf *b);
};

#define BASE base_types(b)

/* X(name, expected message part, raw mutation or NULL, types to build...) */
#define BAD_CASES(X)								\
	/* header and layout */							\
	X(hdr_short_blob, "too short for the 24-byte BTF header", mut_short, BASE)	\
	X(hdr_bad_magic, "not BTF (bad magic", mut_magic, BASE)		\
	X(hdr_version, "unsupported BTF version 2", mut_version, BASE)		\
	X(hdr_flags, "unsupported BTF header flags 0x1", mut_flags, BASE)	\
	X(hdr_len_short, "header length 16 shorter than 24", mut_hdr_short, BASE) \
	X(hdr_len_beyond, "beyond blob size", mut_hdr_beyond, BASE)		\
	X(hdr_len_nonzero_tail, "nonzero byte at header offset 28", mut_hdr_nonzero, BASE) \
	X(type_off_unaligned, "type section offset 2 not 4-byte aligned", mut_type_unaligned, BASE) \
	X(type_sec_beyond, "type section (offset 0, length", mut_type_beyond, BASE) \
	X(str_sec_beyond, "string section (offset", mut_str_beyond, BASE)	\
	X(sections_overlap, "overlap", mut_overlap, BASE)			\
	X(gap_before_types, "gap of 4 bytes before the type section", mut_gap_before, BASE) \
	X(gap_between_sections, "gap of 4 bytes between the type and string sections", \
	  mut_gap_between, BASE)						\
	X(bytes_after_strings, "4 bytes after the string section", mut_trailing, BASE) \
	X(str_sec_empty, "empty string section", mut_str_empty, BASE)		\
	X(str_sec_first_not_nul, "does not start with a NUL byte", mut_str_first, BASE) \
	X(str_sec_last_not_nul, "does not end with a NUL byte", mut_str_last, BASE) \
	/* tiling */								\
	X(record_truncated, "type [4]: record truncated", mut_truncated, BASE)	\
	X(record_overruns, "type [1] STRUCT: record of 12012 bytes (vlen 1000) overruns",	\
	  mut_overrun, BASE)							\
	X(unknown_kind_25, "type [1]: unknown kind 25", mut_kind25, BASE)	\
	X(unknown_kind_0, "type [1]: unknown kind 0", mut_kind0, BASE)		\
	/* ids and names */							\
	X(ref_missing_type, "type [2] PTR '': target references missing type [99]", NULL,	\
	  INT("int", 4, 32, 0); PTR(99))					\
	X(name_off_outside, "type [1] INT '': name offset 100000 outside the string section", \
	  mut_name_off, BASE)							\
	X(member_name_off_outside,						\
	  "type [3] STRUCT 'pair': member 0 name offset 100000 outside the string section",	\
	  mut_member_name_off, BASE)						\
	X(name_starts_digit, "type [2] TYPEDEF '1abc': name starts with a digit", NULL,	\
	  REF(TYPEDEF, "1abc", INT("int", 4, 32, 0)))				\
	X(name_bad_char, "type [1] STRUCT 'a-b': name has a character not allowed", NULL, \
	  SOU(STRUCT, "a-b", 0, false))						\
	X(name_dot_in_func, "type [3] FUNC 'f.isra.0': name has a character", NULL, \
	  FUNC("f.isra.0", PROTO(INT("int", 4, 32, 0)), 1))			\
	X(name_too_long, "name too long", NULL,					\
	  REF(TYPEDEF, NAME128, INT("int", 4, 32, 0)))				\
	X(member_name_invalid, "member 1 'b c': name has a character", NULL,	\
	  uint32_t i = INT("int", 4, 32, 0);					\
	  SOU(STRUCT, "s", 8, false, { "a", i, 0 }, { "b c", i, 32 }))		\
	X(typedef_unnamed, "type [2] TYPEDEF '': name is empty", NULL,		\
	  REF(TYPEDEF, NULL, INT("int", 4, 32, 0)))				\
	X(var_unnamed, "type [2] VAR '': name is empty", NULL,			\
	  VAR(NULL, INT("int", 4, 32, 0), 1))					\
	X(decl_tag_empty, "type [2] DECL_TAG '': name is empty", NULL,		\
	  DTAG(NULL, SOU(STRUCT, "s", 0, false), -1))				\
	/* INT */								\
	X(int_size_3, "int size 3 not 1, 2, 4, 8 or 16", NULL, INT("x", 3, 24, 0)) \
	X(int_bits_129, "int bits 129 exceed 128", NULL, INT("x", 16, 129, 0))	\
	X(int_bits_beyond_size, "int offset 4 + bits 30 exceed size 4 bytes", NULL, \
	  INTX("x", 4, 4, 30))							\
	X(int_two_encodings, "at most one of SIGNED, CHAR, BOOL", NULL,		\
	  INT("x", 1, 8, BTF_INT_SIGNED | BTF_INT_CHAR))			\
	X(int_reserved_bits, "reserved int bits set", NULL, INT("x", 4, 32, 0x10)) \
	X(int_kflag, "type [1] INT 'x': kind_flag set", NULL,			\
	  uint32_t d = 32;							\
	  add(b, BTF_KIND_INT, "x", 0, true, 4, &d, 4))				\
	/* PTR and modifiers */							\
	X(ptr_named, "type [2] PTR 'p': has a name, expected none", NULL,	\
	  REF(PTR, "p", INT("int", 4, 32, 0)))					\
	X(const_named, "type [2] CONST 'c': has a name", NULL,			\
	  REF(CONST, "c", INT("int", 4, 32, 0)))				\
	X(ptr_vlen, "type [1] PTR '': vlen 1, expected 0", NULL,			\
	  add(b, BTF_KIND_PTR, NULL, 1, false, 0, NULL, 0))			\
	X(volatile_kflag, "type [1] VOLATILE '': kind_flag set", NULL,		\
	  add(b, BTF_KIND_VOLATILE, NULL, 0, true, 0, NULL, 0))			\
	X(ptr_to_func, "type [3] PTR '': target [2] FUNC is not a type", NULL,	\
	  FUNC("f", PROTO(0), 0); PTR(2))					\
	X(typedef_to_var, "target [2] VAR is not a type", NULL,			\
	  REF(TYPEDEF, "t", VAR("v", INT("int", 4, 32, 0), 0)))			\
	/* ARRAY */								\
	X(array_index_not_int, "index type [2] STRUCT is not a regular INT", NULL, \
	  uint32_t i = INT("int", 4, 32, 0);					\
	  ARR(i, SOU(STRUCT, "s", 0, false), 4))				\
	X(array_index_bitfield_int, "index type [2] INT is not a regular INT", NULL, \
	  uint32_t i = INT("int", 4, 32, 0);					\
	  ARR(i, INTX("b", 4, 0, 3), 4))					\
	X(array_elem_void, "element type [0] void has no size", NULL,		\
	  ARR(0, INT("int", 4, 32, 0), 4))					\
	X(array_elem_fwd, "element type [2] FWD has no size", NULL,		\
	  uint32_t i = INT("int", 4, 32, 0);					\
	  ARR(FWD("s"), i, 4))							\
	X(array_elem_proto, "element type [2] FUNC_PROTO has no size", NULL,	\
	  uint32_t i = INT("int", 4, 32, 0);					\
	  ARR(PROTO(i), i, 4))							\
	X(array_named, "type [2] ARRAY 'a': has a name", NULL,			\
	  struct btf_array a = { 1, 1, 2 };					\
	  INT("int", 4, 32, 0);							\
	  add(b, BTF_KIND_ARRAY, "a", 0, false, 0, &a, sizeof(a)))		\
	X(array_too_big, "elements of 8 bytes overflow 32 bits", NULL,		\
	  uint32_t i = INT("int", 4, 32, 0);					\
	  ARR(INT("long", 8, 64, 0), i, 0x20000000))				\
	/* STRUCT and UNION */							\
	X(member_beyond_size, "member 'b' offset 96 beyond struct size 8", NULL,	\
	  uint32_t i = INT("int", 4, 32, 0);					\
	  SOU(STRUCT, "foo", 8, false, { "a", i, 0 }, { "b", i, 96 }))		\
	X(member_end_beyond_size, "member 'p' (offset 0, size 8) beyond struct size 4", \
	  NULL, SOU(STRUCT, "foo", 4, false, { "p", PTR(0), 0 }))		\
	X(member_offsets_decrease, "member 'b' offset 0 before previous member's 32", \
	  NULL, uint32_t i = INT("int", 4, 32, 0);				\
	  SOU(STRUCT, "s", 8, false, { "a", i, 32 }, { "b", i, 0 }))		\
	X(member_misaligned_no_kflag, "member 'e' bit offset 3 not a multiple of 8", \
	  NULL, uint32_t e = ENUM(ENUM, "e", 4, { "A", 0 });			\
	  SOU(STRUCT, "s", 8, false, { "e", e, 3 }))				\
	X(member_legacy_bitfield_beyond, "member 'x' bits [30, 35) beyond struct size 4", \
	  NULL, SOU(STRUCT, "s", 4, false, { "x", INTX("int", 4, 0, 5), 30 }))	\
	X(bitfield_wider_than_int, "member 'x' bitfield width 33 wider than its type's 32 bits", \
	  NULL, SOU(STRUCT, "s", 8, true, { "x", INT("int", 4, 32, 0), 0, 33 }))	\
	X(bitfield_of_struct, "member 'x' is a bitfield of [1] STRUCT, not an INT or ENUM", \
	  NULL, uint32_t in = SOU(STRUCT, "in", 4, false);			\
	  SOU(STRUCT, "s", 8, true, { "x", in, 0, 3 }))				\
	X(bitfield_beyond_size, "member 'x' bits [30, 33) beyond struct size 4", NULL, \
	  SOU(STRUCT, "s", 4, true, { "x", INT("int", 4, 32, 0), 30, 3 }))	\
	X(member_fwd, "member 'x' type [1] FWD has no size", NULL,		\
	  SOU(STRUCT, "s", 4, false, { "x", FWD("f"), 0 }))			\
	X(member_void, "member 'x' type [0] void has no size", NULL,		\
	  SOU(STRUCT, "s", 4, false, { "x", 0, 0 }))				\
	X(union_nonzero_offset, "member 'b' offset 32: union members are at offset 0", \
	  NULL, uint32_t i = INT("int", 4, 32, 0);				\
	  SOU(UNION, "u", 8, false, { "a", i, 0 }, { "b", i, 32 }))		\
	X(union_bitfield_offset, "member 'b' offset 8: union members are at offset 0", \
	  NULL, uint32_t i = INT("int", 4, 32, 0);				\
	  SOU(UNION, "u", 4, true, { "a", i, 0, 3 }, { "b", i, 8, 3 }))		\
	/* ENUM */								\
	X(enum_size_3, "enum size 3 not 1, 2, 4 or 8", NULL,			\
	  ENUM(ENUM, "e", 3, { "A", 1 }))					\
	X(enum64_size_16, "enum size 16 not 1, 2, 4 or 8", NULL,		\
	  ENUM(ENUM64, "e", 16, { "A", 1 }))					\
	X(enumerator_unnamed, "enumerator 1 '': name is empty", NULL,		\
	  ENUM(ENUM, "e", 4, { "A", 1 }, { NULL, 2 }))				\
	X(enumerator64_bad_name, "enumerator 0 '9x': name starts with a digit", NULL, \
	  ENUM(ENUM64, "e", 8, { "9x", 1 }))					\
	/* FUNC and FUNC_PROTO */						\
	X(func_not_proto, "type [2] FUNC 'f': type [1] INT is not a FUNC_PROTO", NULL, \
	  FUNC("f", INT("int", 4, 32, 0), 1))					\
	X(func_via_typedef, "type [2] TYPEDEF is not a FUNC_PROTO", NULL,		\
	  FUNC("f", REF(TYPEDEF, "fn_t", PROTO(0)), 1))				\
	X(func_linkage_3, "linkage 3 not static (0), global (1) or extern (2)", NULL, \
	  FUNC("f", PROTO(0), 3))						\
	X(func_unnamed, "type [2] FUNC '': name is empty", NULL, FUNC(NULL, PROTO(0), 0)) \
	X(func_param_unnamed, "param 1 of its FUNC_PROTO [2] has no name", NULL,	\
	  uint32_t i = INT("int", 4, 32, 0);					\
	  FUNC("f", PROTO(i, { "a", i }, { NULL, i }), 1))			\
	X(varargs_not_last, "param 0 is varargs (void) but not last of 2", NULL,	\
	  uint32_t i = INT("int", 4, 32, 0);					\
	  PROTO(i, { NULL, 0 }, { "a", i }))					\
	X(varargs_named, "varargs param 1 has a name", NULL,			\
	  uint32_t i = INT("int", 4, 32, 0);					\
	  PROTO(i, { "a", i }, { "rest", 0 }))					\
	X(proto_named, "type [1] FUNC_PROTO 'p': has a name", NULL,		\
	  add(b, BTF_KIND_FUNC_PROTO, "p", 0, false, 0, NULL, 0))		\
	X(proto_param_fwd, "param 0 type [1] FWD has no size", NULL,		\
	  PROTO(0, { "a", FWD("s") }))						\
	X(proto_return_proto, "return type [1] FUNC_PROTO has no size", NULL,	\
	  PROTO(PROTO(0)))							\
	/* VAR and DATASEC */							\
	X(var_extern, "linkage 2 not static (0) or global allocated (1)", NULL,	\
	  VAR("v", INT("int", 4, 32, 0), 2))					\
	X(var_void, "type [1] VAR 'v': variable of type void", NULL, VAR("v", 0, 1)) \
	X(var_fwd, "type [2] VAR 'v': type [1] FWD has no size", NULL,		\
	  VAR("v", FWD("s"), 1))						\
	X(datasec_unsorted, "entry 1 offset 0 before the end of entry 0 (8)", NULL, \
	  uint32_t i = INT("int", 4, 32, 0);					\
	  uint32_t v1 = VAR("a", i, 1), v2 = VAR("b", i, 1);			\
	  DSEC(".data", 16, { v1, 4, 4 }, { v2, 0, 4 }))			\
	X(datasec_overlap, "entry 1 offset 2 before the end of entry 0 (4)", NULL, \
	  uint32_t i = INT("int", 4, 32, 0);					\
	  uint32_t v1 = VAR("a", i, 1), v2 = VAR("b", i, 1);			\
	  DSEC(".data", 16, { v1, 0, 4 }, { v2, 2, 4 }))			\
	X(datasec_not_var, "entry 0 type [1] INT is not a VAR", NULL,		\
	  DSEC(".data", 16, { INT("int", 4, 32, 0), 0, 4 }))			\
	X(datasec_beyond, "entry 0 (offset 8, size 4) beyond datasec size 8", NULL, \
	  DSEC(".bss", 8, { VAR("a", INT("int", 4, 32, 0), 1), 8, 4 }))		\
	X(datasec_var_too_big, "entry 0 VAR [2] of 8 bytes larger than its size 4", NULL, \
	  DSEC(".bss", 8, { VAR("a", INT("long", 8, 64, 0), 1), 0, 4 }))	\
	X(datasec_size_0, "datasec size 0", NULL,				\
	  add(b, BTF_KIND_DATASEC, ".bss", 0, false, 0, NULL, 0))		\
	X(datasec_bad_name, "type [1] DATASEC '.data-x': name has a character", NULL, \
	  add(b, BTF_KIND_DATASEC, ".data-x", 0, false, 4, NULL, 0))		\
	/* FLOAT */								\
	X(float_size_3, "float size 3 not 2, 4, 8, 12 or 16", NULL, FLOAT("f", 3)) \
	/* DECL_TAG */								\
	X(decl_tag_bad_member_idx, "component index 2 out of range for [2] STRUCT with 2 members", \
	  NULL, uint32_t i = INT("int", 4, 32, 0);				\
	  DTAG("tag", SOU(STRUCT, "s", 8, false, { "a", i, 0 }, { "b", i, 32 }), 2)) \
	X(decl_tag_bad_param_idx, "component index 1 out of range for [3] FUNC with 1 params", \
	  NULL, uint32_t i = INT("int", 4, 32, 0);				\
	  DTAG("tag", FUNC("f", PROTO(i, { "a", i }), 1), 1))			\
	X(decl_tag_var_idx, "component index 0 on [2] VAR, which takes only -1", NULL, \
	  DTAG("tag", VAR("v", INT("int", 4, 32, 0), 1), 0))			\
	X(decl_tag_idx_below, "component index -2 below -1", NULL,		\
	  DTAG("tag", VAR("v", INT("int", 4, 32, 0), 1), -2))			\
	X(decl_tag_on_int, "target [1] INT is not a STRUCT, UNION, FUNC, VAR or TYPEDEF", \
	  NULL, DTAG("tag", INT("int", 4, 32, 0), -1))				\
	/* TYPE_TAG */								\
	X(type_tag_after_const, "type [3] CONST '': TYPE_TAG below this modifier", NULL, \
	  uint32_t i = INT("int", 4, 32, 0);					\
	  PTR(REF(CONST, NULL, REF(TYPE_TAG, "user", i))))			\
	X(type_tag_after_typedef, "type [3] TYPEDEF 't': TYPE_TAG below this modifier", \
	  NULL, REF(TYPEDEF, "t", REF(TYPE_TAG, "user", INT("int", 4, 32, 0))))	\
	X(type_tag_unnamed, "type [2] TYPE_TAG '': name is empty", NULL,	\
	  REF(TYPE_TAG, NULL, INT("int", 4, 32, 0)))				\
	/* cycles and chains */							\
	X(typedef_cycle, "reference cycle through [2] TYPEDEF with no pointer", NULL, \
	  REF(TYPEDEF, "a", 2); REF(TYPEDEF, "b", 1))				\
	X(struct_contains_itself, "type [1] STRUCT 's': reference cycle through [1] STRUCT", \
	  NULL, SOU(STRUCT, "s", 8, false, { "self", 1, 0 }))			\
	X(struct_cycle_via_typedef, "reference cycle", NULL,			\
	  SOU(STRUCT, "s", 8, false, { "x", 2, 0 }); REF(TYPEDEF, "s_t", 1))	\
	X(array_of_itself, "type [2] ARRAY '': reference cycle through [2] ARRAY", NULL, \
	  uint32_t i = INT("int", 4, 32, 0);					\
	  ARR(2, i, 2))								\
	X(pointer_loop, "type [1] PTR '': loop of pointers and modifiers", NULL, PTR(1)) \
	X(pointer_const_loop, "type [1] CONST '': loop of pointers and modifiers", NULL, \
	  REF(CONST, NULL, 2); PTR(1))						\
	X(chain_deeper_than_32, "type [34] CONST '': modifier chain deeper than 32", NULL, \
	  uint32_t t = INT("int", 4, 32, 0);					\
	  for (int k = 0; k < 33; k++)						\
		t = REF(CONST, NULL, t);)

#define BUILD_FN(nm, exp, mut, ...) static void build_##nm(struct d2b_btf *b) { __VA_ARGS__; }
BAD_CASES(BUILD_FN)

#define TABLE_ROW(nm, exp, mut, ...) { #nm, exp, mut, build_##nm },
static const struct bad_case bad_cases[] = { BAD_CASES(TABLE_ROW) };

/* Serialise, mutate, parse and validate; 0 or the first error. */
static int run_blob(struct d2b_btf *src, bool swap, void (*mutate)(struct blob *),
		    struct d2b_btf **parsed, char *err, size_t errlen)
{
	struct blob bl = { .swap = swap };
	struct d2b_btf *got = NULL;
	uint32_t size;
	void *raw;
	int ret;

	ret = d2b_btf__raw_data(src, swap, &raw, &size);
	if (ret) {
		snprintf(err, errlen, "d2b_btf__raw_data failed: %d", ret);
		return ret;
	}
	bl.cap = size + 64;
	bl.d = calloc(1, bl.cap);
	if (!bl.d)
		die("out of memory");
	memcpy(bl.d, raw, size);
	bl.size = size;
	free(raw);
	if (mutate)
		mutate(&bl);
	err[0] = '\0';
	ret = d2b_btf__parse_raw(bl.d, bl.size, &got, err, errlen);
	if (!ret)
		ret = d2b_btf__validate(got, err, errlen);
	free(bl.d);
	if (parsed && !ret)
		*parsed = got;
	else
		d2b_btf__free(got);
	return ret;
}

static void test_bad_cases(void)
{
	size_t i;
	int order;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];

		for (order = 0; order < 2; order++) {
			struct d2b_btf *b = d2b_btf__new();
			char name[128], err[512];
			int ret;

			if (!b)
				die("out of memory");
			c->build(b);
			ret = run_blob(b, order, c->mutate, NULL, err, sizeof(err));
			snprintf(name, sizeof(name), "reject %s (%s)", c->name,
				 order ? "swapped" : "native");
			check(ret < 0 && strstr(err, c->expect), name,
			      "got %d '%s', want an error containing '%s'", ret, err, c->expect);
			d2b_btf__free(b);
		}
	}
}

/* ---- valid BTF ---- */

/* Every kind, and the corners the rules must let through. */
static void all_kinds(struct d2b_btf *b)
{
	uint32_t i = INT("int", 4, 32, BTF_INT_SIGNED);
	uint32_t u = INT("long unsigned int", 8, 64, 0);
	uint32_t c = INT("char", 1, 8, BTF_INT_CHAR);
	uint32_t i128 = INT("__int128", 16, 128, BTF_INT_SIGNED);
	uint32_t cc = REF(CONST, NULL, c);
	uint32_t cp = PTR(cc);
	uint32_t arr = ARR(c, u, 16);
	uint32_t fwd = FWD("later");
	uint32_t lh, lhp, e, e64, proto, vproto, f, v1, v2, tt, utag, node, l1, l2, flex, anon;

	INT("_Bool", 1, 8, BTF_INT_BOOL);
	/* struct list_head { struct list_head *next, *prev; }: the PTR comes next */
	lhp = d2b_btf__type_cnt(b) + 1;
	lh = SOU(STRUCT, "list_head", 16, false, { "next", lhp, 0 }, { "prev", lhp, 64 });
	PTR(lh);
	e = ENUM(ENUM, "color", 4, { "RED", 0 }, { "GREEN", 1 });
	e64 = ENUM(ENUM64, "big", 8, { "HUGE", 1LL << 40 });
	SOU(STRUCT, "bits", 32, true,
	    { "a", i, 0, 3 }, { "b", u, 3, 61 }, { "c", e, 64, 2 }, { "d", e64, 66, 40 },
	    { NULL, arr, 128, 0 });
	SOU(UNION, "u", 16, false, { "x", i, 0 }, { "y", cp, 0 }, { "z", i128, 0 });
	/* pre-kind_flag bitfields: the INT carries the width, offsets need no alignment */
	l1 = INTX("unsigned int", 4, 0, 3);
	l2 = INTX("unsigned int", 4, 0, 5);
	SOU(STRUCT, "legacy", 4, false, { "f", l1, 0 }, { "g", l2, 3 });
	/* empty struct, flexible array, anonymous member */
	SOU(STRUCT, "empty", 0, false);
	flex = ARR(c, i, 0);
	anon = SOU(UNION, NULL, 0, false);
	SOU(STRUCT, "flex", 8, false, { "n", u, 0 }, { "data", flex, 64 }, { NULL, anon, 64 });
	REF(VOLATILE, NULL, REF(RESTRICT, NULL, lhp));
	REF(TYPEDEF, "fn_t", PROTO(0));
	REF(TYPEDEF, "void_t", 0);
	REF(TYPEDEF, NAME127, i);
	PTR(fwd);
	proto = PROTO(i, { "a", i }, { "s", lhp });
	f = FUNC("func", proto, BTF_FUNC_GLOBAL);
	vproto = PROTO(0, { "fmt", cp }, { NULL, 0 });
	FUNC("printk", vproto, BTF_FUNC_EXTERN);
	/* unnamed params are fine in a proto no FUNC uses */
	PROTO(i, { NULL, i });
	v1 = VAR("counter", i, BTF_VAR_GLOBAL_ALLOCATED);
	v2 = VAR("local.1", lh, BTF_VAR_STATIC);
	DSEC(".data..percpu", 32, { v1, 0, 4 }, { v2, 8, 16 });
	FLOAT("long double", 16);
	FLOAT("float", 4);
	DTAG("kfunc", f, -1);
	DTAG("arg", f, 1);
	DTAG("member_tag", lh, 0);
	DTAG("var tag value with spaces", v1, -1);
	/* int __user *: PTR -> TYPE_TAG -> TYPE_TAG -> CONST -> INT */
	utag = REF(TYPE_TAG, "user", REF(TYPE_TAG, "rcu", REF(CONST, NULL, i)));
	tt = PTR(utag);
	REF(TYPEDEF, "uptr_t", tt);
	/* struct node { node_t *next; }: a cycle through a PTR and a typedef */
	node = d2b_btf__type_cnt(b);
	SOU(STRUCT, "node", 8, false, { "next", node + 2, 0 });
	REF(TYPEDEF, "node_t", node);
	PTR(node + 1);
}

static void chain_32(struct d2b_btf *b)
{
	uint32_t t = INT("int", 4, 32, 0);
	int k;

	for (k = 0; k < 32; k++)
		t = REF(CONST, NULL, t);
	PTR(t);
}

/* A module's types on top of all_kinds: ids and string offsets continue the base's. */
static void module_types(struct d2b_btf *b)
{
	uint32_t m = d2b_btf__type_cnt(b);

	INT("mod_int", 2, 16, 0);
	SOU(STRUCT, "mod_state", 16, false, { "count", 1, 0 }, { "self", m + 2, 64 });
	PTR(m + 1);
}

static bool same_btf(const struct d2b_btf *a, const struct d2b_btf *b, char *why, size_t len)
{
	uint32_t as, bs, id;
	const void *ad, *bd;

	if (d2b_btf__type_cnt(a) != d2b_btf__type_cnt(b)) {
		snprintf(why, len, "type count %u vs %u", d2b_btf__type_cnt(a), d2b_btf__type_cnt(b));
		return false;
	}
	for (id = 1; id < d2b_btf__type_cnt(a); id++) {
		size_t n = d2b_btf__type_rec_size(a, id);

		if (n != d2b_btf__type_rec_size(b, id) ||
		    memcmp(d2b_btf__type_by_id(a, id), d2b_btf__type_by_id(b, id), n)) {
			snprintf(why, len, "type [%u] differs", id);
			return false;
		}
	}
	ad = d2b_btf__types_data(a, &as);
	bd = d2b_btf__types_data(b, &bs);
	if (as != bs || memcmp(ad, bd, as)) {
		snprintf(why, len, "type sections differ");
		return false;
	}
	ad = strset__data(d2b_btf__strset(a), &as);
	bd = strset__data(d2b_btf__strset(b), &bs);
	if (as != bs || memcmp(ad, bd, as)) {
		snprintf(why, len, "string sections differ (%u vs %u bytes)", as, bs);
		return false;
	}
	return true;
}

/*
 * BTF built by @build, on top of what @base_build builds when that is not
 * NULL (split BTF, as a module's), in either byte order: it validates,
 * reads back the same and writes the same bytes again. Only the split's own
 * records are swapped (fuzz_split found d2b_btf__raw_data() swapping from
 * id 1, past the end of its buffer).
 */
static void test_round_trip(const char *what, void (*build)(struct d2b_btf *),
			    void (*base_build)(struct d2b_btf *))
{
	struct d2b_btf *b = d2b_btf__new(), *base = NULL;
	char name[128], err[512];
	int order, ret;

	if (!b)
		die("out of memory");
	if (base_build) {
		base = d2b_btf__new();
		if (!base)
			die("out of memory");
		base_build(base);
		d2b_btf__set_base(b, base);
	}
	build(b);
	ret = d2b_btf__validate(b, err, sizeof(err));
	snprintf(name, sizeof(name), "%s validates", what);
	check(!ret, name, "%s", err);

	for (order = 0; order < 2; order++) {
		bool swap = order, host_be = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
		void *raw = NULL, *raw2 = NULL;
		uint32_t size = 0, size2 = 0;
		struct d2b_btf *got = NULL;
		const char *tag = swap ? "swapped" : "native";

		ret = d2b_btf__raw_data(b, swap, &raw, &size);
		snprintf(name, sizeof(name), "%s serialises (%s)", what, tag);
		check(!ret, name, "d2b_btf__raw_data: %d", ret);
		if (ret)
			continue;
		ret = d2b_btf__parse_raw_split(raw, size, base, &got, err, sizeof(err));
		snprintf(name, sizeof(name), "%s parses back (%s)", what, tag);
		check(!ret, name, "%s", err);
		if (!ret) {
			snprintf(name, sizeof(name), "%s same types and strings (%s)", what, tag);
			check(d2b_btf__start_id(got) == d2b_btf__start_id(b) &&
			      same_btf(b, got, err, sizeof(err)), name, "%s", err);
			snprintf(name, sizeof(name), "%s byte order recorded (%s)", what, tag);
			check(d2b_btf__big_endian(got) == (host_be != swap), name, "big_endian %d",
			      d2b_btf__big_endian(got));
			ret = d2b_btf__validate(got, err, sizeof(err));
			snprintf(name, sizeof(name), "%s validates after parsing (%s)", what, tag);
			check(!ret, name, "%s", err);
			ret = d2b_btf__raw_data(got, swap, &raw2, &size2);
			snprintf(name, sizeof(name), "%s re-serialises byte for byte (%s)", what, tag);
			check(!ret && size2 == size && !memcmp(raw, raw2, size), name,
			      "ret %d, %u vs %u bytes", ret, size2, size);
		}
		if (swap) {
			uint16_t magic;

			memcpy(&magic, raw, 2);
			snprintf(name, sizeof(name), "%s swapped magic is 0x9feb", what);
			check(magic == 0x9feb, name, "magic 0x%04x", magic);
		}
		free(raw);
		free(raw2);
		d2b_btf__free(got);
	}
	d2b_btf__free(b);
	d2b_btf__free(base);
}
static void test_longer_header(void)
{
	struct d2b_btf *b = d2b_btf__new(), *got = NULL;
	char err[512];
	int order, ret;

	if (!b)
		die("out of memory");
	base_types(b);
	for (order = 0; order < 2; order++) {
		got = NULL;
		ret = run_blob(b, order, mut_hdr_zero, &got, err, sizeof(err));
		check(!ret && got && d2b_btf__type_cnt(got) == 4,
		      order ? "accept 32-byte header with zero tail (swapped)" :
			      "accept 32-byte header with zero tail (native)", "%s", err);
		d2b_btf__free(got);
	}
	d2b_btf__free(b);
}

/* Names pointing into the middle of a string, and repeated strings. */
static void mut_suffix(struct blob *bl)
{
	/* type 1 "int": point at "nt"; the struct's "pair" at "air" */
	put32(bl, T1_NAME, get32(bl, T1_NAME) + 1);
	put32(bl, HDR_LEN + 16 + 12, get32(bl, HDR_LEN + 16 + 12) + 1);
}

static void test_string_offsets(void)
{
	struct d2b_btf *b = d2b_btf__new(), *got = NULL;
	char err[512];
	int64_t off;
	int ret;

	if (!b)
		die("out of memory");
	base_types(b);
	ret = run_blob(b, false, mut_suffix, &got, err, sizeof(err));
	check(!ret, "parse names that point into strings", "%s", err);
	if (ret) {
		d2b_btf__free(b);
		return;
	}
	check(!strcmp(d2b_btf__name(got, d2b_btf__type_by_id(got, 1)), "nt") &&
	      !strcmp(d2b_btf__name(got, d2b_btf__type_by_id(got, 3)), "air"),
	      "suffix names read back", "'%s' '%s'", d2b_btf__name(got, d2b_btf__type_by_id(got, 1)),
	      d2b_btf__name(got, d2b_btf__type_by_id(got, 3)));
	off = d2b_btf__add_str(got, "pair");
	check(off == d2b_btf__type_by_id(b, 3)->name_off, "existing string found at its offset",
	      "offset %lld", (long long)off);
	off = d2b_btf__add_str(got, "brand_new");
	check(off == strset__size(d2b_btf__strset(b)) &&
	      !strcmp(d2b_btf__str(got, (uint32_t)off), "brand_new"),
	      "new string appended after the raw section", "offset %lld", (long long)off);
	d2b_btf__free(got);
	d2b_btf__free(b);
}

static void test_raw_strset(void)
{
	static const char dup[] = "\0a\0b\0a\0";
	struct strset *set = NULL;
	int ret;

	ret = strset__new_raw(dup, sizeof(dup) - 1, &set);
	check(!ret && strset__find(set, "a") == 1 && strset__find(set, "b") == 3 &&
	      !strcmp(strset__str(set, 5), "a") && strset__size(set) == 7,
	      "raw string set keeps bytes and first offsets", "ret %d", ret);
	strset__free(set);
	set = NULL;
	/* a split BTF's strings may start with a name: the base's hold "" */
	ret = strset__new_raw("x\0", 2, &set);
	check(ret == 0 && set && !strcmp(strset__str(set, 0), "x"),
	      "raw string set of split BTF starts with a name", "ret %d", ret);
	strset__free(set);
	set = NULL;
	ret = strset__new_raw("\0x", 2, &set);
	check(ret == -EINVAL && !set, "raw string set needs a trailing NUL", "ret %d", ret);
}

/* Offsets survive the table's growth; prefixes of a string are strings of their own. */
static void test_strset_grow(void)
{
	struct strset *set = strset__new();
	int64_t offs[20000], off;
	char name[32];
	int k, bad = -1;

	if (!set)
		die("out of memory");
	for (k = 0; k < 20000; k++) {
		snprintf(name, sizeof(name), "s%d", k);
		offs[k] = strset__add(set, name);
	}
	for (k = 0; k < 20000 && bad < 0; k++) {
		snprintf(name, sizeof(name), "s%d", k);
		if (offs[k] <= 0 || strset__add(set, name) != offs[k] ||
		    strset__find(set, name) != offs[k] ||
		    strcmp(strset__str(set, (uint32_t)offs[k]), name))
			bad = k;
	}
	check(bad < 0, "20000 strings keep their offsets as the table grows", "string s%d", bad);
	off = strset__add_len(set, "s1234", 3);
	check(off == offs[12] && strset__find(set, "s123456") == -ENOENT,
	      "a string's prefix is found as its own string only", "offset %lld", (long long)off);
	strset__free(set);
}

/* In-memory BTF whose record length disagrees with its kind and vlen. */
static void test_record_mismatch(void)
{
	struct d2b_btf *b = d2b_btf__new();
	struct btf_member m = { 0 };
	char err[512] = "";
	int ret;

	if (!b)
		die("out of memory");
	/* vlen 2 but one member's worth of data */
	add(b, BTF_KIND_STRUCT, "s", 2, false, 8, &m, sizeof(m));
	ret = d2b_btf__validate(b, err, sizeof(err));
	check(ret < 0 && strstr(err, "record of 24 bytes does not match kind and vlen 2"),
	      "reject record length mismatch", "got %d '%s'", ret, err);
	d2b_btf__free(b);
}

static void test_type_count(void)
{
	struct d2b_btf *b = d2b_btf__new();
	char err[512] = "";
	uint32_t k;
	int ret;

	if (!b)
		die("out of memory");
	/* ids 1 .. 0xffffe: the most the kernel takes */
	for (k = 1; k < BTF_MAX_TYPE; k++)
		PTR(0);
	ret = d2b_btf__validate(b, err, sizeof(err));
	check(!ret, "accept 0xffffe types", "%s", err);
	PTR(0);
	ret = d2b_btf__validate(b, err, sizeof(err));
	check(ret < 0 && strstr(err, "1048576 type ids (void included), the kernel takes at most 1048575"),
	      "reject 0xfffff types", "got %d '%s'", ret, err);
	d2b_btf__free(b);
}

/* ---- files ---- */

static int write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	ok = fwrite(data, 1, size, f) == size;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* A minimal relocatable ELF holding @data as section @scn_name. */
static int write_elf(const char *path, int class, const char *scn_name, const void *data,
		     size_t size, bool compress)
{
	char names[64];
	size_t name_off = sizeof("\0.shstrtab");
	Elf_Scn *strscn, *scn;
	GElf_Ehdr eh;
	GElf_Shdr sh;
	Elf_Data *d;
	Elf *e;
	int fd, ret = -1;

	memset(names, 0, sizeof(names));
	memcpy(names + 1, ".shstrtab", sizeof(".shstrtab"));
	snprintf(names + name_off, sizeof(names) - name_off, "%s", scn_name);
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -1;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!e || !gelf_newehdr(e, class) || !gelf_getehdr(e, &eh))
		goto out;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = ET_REL;
	eh.e_machine = class == ELFCLASS32 ? EM_386 : EM_X86_64;
	eh.e_version = EV_CURRENT;
	/* compressing needs the byte order recorded first */
	if (!gelf_update_ehdr(e, &eh))
		goto out;

	strscn = elf_newscn(e);
	d = strscn ? elf_newdata(strscn) : NULL;
	if (!d || !gelf_getshdr(strscn, &sh))
		goto out;
	d->d_buf = names;
	d->d_size = name_off + strlen(scn_name) + 1;
	d->d_type = ELF_T_BYTE;
	d->d_align = 1;
	sh.sh_name = 1;
	sh.sh_type = SHT_STRTAB;
	if (!gelf_update_shdr(strscn, &sh))
		goto out;

	scn = elf_newscn(e);
	d = scn ? elf_newdata(scn) : NULL;
	if (!d || !gelf_getshdr(scn, &sh))
		goto out;
	d->d_buf = (void *)data;
	d->d_size = size;
	d->d_type = ELF_T_BYTE;
	d->d_align = 4;
	sh.sh_name = (GElf_Word)name_off;
	sh.sh_type = SHT_PROGBITS;
	if (!gelf_update_shdr(scn, &sh))
		goto out;
	if (compress && elf_compress(scn, ELFCOMPRESS_ZLIB, 0) < 0)
		goto out;

	eh.e_shstrndx = (GElf_Half)elf_ndxscn(strscn);
	if (!gelf_update_ehdr(e, &eh) || elf_update(e, ELF_C_WRITE) < 0)
		goto out;
	ret = 0;
out:
	elf_end(e);
	close(fd);
	return ret;
}

static void test_files(void)
{
	static const char not_btf[] = "\x34\x12\x01\x00 and then some more";
	char dir[] = "/tmp/test_btf_read.XXXXXX", path[256], err[512] = "";
	struct d2b_btf *b = d2b_btf__new(), *got = NULL;
	uint32_t size;
	void *raw;
	int ret;

	if (!b || !mkdtemp(dir))
		die("cannot set up files");
	all_kinds(b);
	if (d2b_btf__raw_data(b, false, &raw, &size))
		die("d2b_btf__raw_data failed");

	snprintf(path, sizeof(path), "%s/x.btf", dir);
	if (write_file(path, raw, size))
		die("cannot write x.btf");
	ret = d2b_btf__parse_file(path, &got, err, sizeof(err));
	check(!ret && got && same_btf(b, got, err, sizeof(err)), "parse raw file", "%s", err);
	d2b_btf__free(got);
	unlink(path);

	snprintf(path, sizeof(path), "%s/vmlinux", dir);
	if (write_elf(path, ELFCLASS64, ".BTF", raw, size, false))
		die("cannot write ELF");
	ret = d2b_btf__parse_file(path, &got, err, sizeof(err));
	check(!ret && got && same_btf(b, got, err, sizeof(err)) && d2b_btf__ptr_size(got) == 8,
	      "parse ELF .BTF section", "%s", err);
	d2b_btf__free(got);

	if (write_elf(path, ELFCLASS64, ".BTF", raw, size, true))
		die("cannot write compressed ELF");
	ret = d2b_btf__parse_file(path, &got, err, sizeof(err));
	check(!ret && got && same_btf(b, got, err, sizeof(err)),
	      "parse compressed ELF .BTF section", "%s", err);
	d2b_btf__free(got);

	if (write_elf(path, ELFCLASS32, ".BTF", raw, size, false))
		die("cannot write ELF32");
	ret = d2b_btf__parse_file(path, &got, err, sizeof(err));
	check(!ret && got && d2b_btf__ptr_size(got) == 4, "ELF32 sets 4-byte pointers", "%s", err);
	d2b_btf__free(got);

	if (write_elf(path, ELFCLASS64, ".data", raw, size, false))
		die("cannot write ELF");
	ret = d2b_btf__parse_file(path, &got, err, sizeof(err));
	check(ret == -ENOENT && !got && strstr(err, "vmlinux: no .BTF section"),
	      "reject ELF without .BTF", "got %d '%s'", ret, err);

	/* a broken blob inside ELF: the message names file and section */
	((uint8_t *)raw)[2] = 7;
	if (write_elf(path, ELFCLASS64, ".BTF", raw, size, false))
		die("cannot write ELF");
	ret = d2b_btf__parse_file(path, &got, err, sizeof(err));
	check(ret < 0 && strstr(err, "vmlinux: .BTF: unsupported BTF version 7"),
	      "reject bad .BTF in ELF with file name", "got %d '%s'", ret, err);
	unlink(path);

	snprintf(path, sizeof(path), "%s/x.btf", dir);
	if (write_file(path, not_btf, sizeof(not_btf)))
		die("cannot write x.btf");
	ret = d2b_btf__parse_file(path, &got, err, sizeof(err));
	check(ret < 0 && strstr(err, "/x.btf: not BTF (bad magic 0x1234)"),
	      "reject non-BTF file with file name", "got %d '%s'", ret, err);
	unlink(path);

	ret = d2b_btf__parse_file(path, &got, err, sizeof(err));
	check(ret == -ENOENT && strstr(err, "x.btf: cannot open: no such file"),
	      "reject missing file", "got %d '%s'", ret, err);

	rmdir(dir);
	free(raw);
	d2b_btf__free(b);
}

/* The running kernel's own BTF, when there is one, must pass unchanged. */
static void test_sysfs_vmlinux(void)
{
	struct d2b_btf *got = NULL;
	char err[512] = "";
	void *raw = NULL, *file = NULL;
	uint32_t size = 0;
	size_t flen = 0;
	FILE *f;
	int ret;

	if (access(SYSFS_VMLINUX, R_OK)) {
		printf("SKIP: kernel BTF: %s not readable\n", SYSFS_VMLINUX);
		return;
	}
	ret = d2b_btf__parse_file(SYSFS_VMLINUX, &got, err, sizeof(err));
	check(!ret, "kernel BTF parses", "%s", err);
	if (ret)
		return;
	ret = d2b_btf__validate(got, err, sizeof(err));
	check(!ret, "kernel BTF validates", "%s", err);

	f = fopen(SYSFS_VMLINUX, "rb");
	if (f) {
		size_t cap = 64 << 20;

		file = malloc(cap);
		if (file)
			flen = fread(file, 1, cap, f);
		fclose(f);
	}
	ret = d2b_btf__raw_data(got, d2b_btf__big_endian(got) != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__),
			    &raw, &size);
	check(!ret && file && size == flen && !memcmp(raw, file, size),
	      "kernel BTF re-serialises byte for byte", "%u vs %zu bytes", size, flen);
	free(raw);
	free(file);
	d2b_btf__free(got);
}

/*
 * test_btf_read --write-bad DIR: each broken blob of the table (native byte
 * order) as DIR/NAME.btf, and DIR/cases.txt with "NAME<TAB>expected message
 * part" lines, for tests/cases/bad-input.sh to feed to the CLI and for the
 * fuzzers' seed corpora.
 */
static int write_bad_cases(const char *dir)
{
	char path[4096];
	FILE *list;
	size_t i;

	snprintf(path, sizeof(path), "%s/cases.txt", dir);
	list = fopen(path, "w");
	if (!list)
		return 2;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct d2b_btf *b = d2b_btf__new();
		struct blob bl = { 0 };
		uint32_t size;
		void *raw;

		if (!b)
			die("out of memory");
		c->build(b);
		if (d2b_btf__raw_data(b, false, &raw, &size))
			die("d2b_btf__raw_data failed");
		bl.cap = size + 64;
		bl.d = calloc(1, bl.cap);
		if (!bl.d)
			die("out of memory");
		memcpy(bl.d, raw, size);
		bl.size = size;
		free(raw);
		if (c->mutate)
			c->mutate(&bl);
		snprintf(path, sizeof(path), "%s/%s.btf", dir, c->name);
		if (write_file(path, bl.d, bl.size))
			die("cannot write a blob");
		fprintf(list, "%s\t%s\n", c->name, c->expect);
		free(bl.d);
		d2b_btf__free(b);
	}
	return fclose(list) ? 2 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--write-bad"))
		return write_bad_cases(argv[2]);
	test_round_trip("all kinds", all_kinds, NULL);
	test_round_trip("32 modifiers", chain_32, NULL);
	test_round_trip("small", base_types, NULL);
	test_round_trip("split", module_types, all_kinds);
	test_longer_header();
	test_string_offsets();
	test_raw_strset();
	test_strset_grow();
	test_bad_cases();
	test_record_mismatch();
	test_type_count();
	test_files();
	test_sysfs_vmlinux();
	if (failures)
		printf("%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
