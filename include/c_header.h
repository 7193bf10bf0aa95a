/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The C header writer: BTF as the declarations of a vmlinux.h for BPF
 * programs (docs/header.md).
 */
#ifndef D2B_C_HEADER_H
#define D2B_C_HEADER_H

#include <stddef.h>
#include <stdio.h>

struct d2b_btf;
struct btf_align;

struct c_header_opts {
	const char *const *types;	/* --types filter, NULL = all types */
	size_t nr_types;
	const struct btf_align *align;	/* NULL when the input was BTF */
};

/*
 * Writes the header for @btf to @out: every named struct, union, enum and
 * typedef (or, with opts->types, the named ones and what they need), each
 * complete before it is used by value, laid out at the BTF offsets and
 * sizes. Output depends only on @btf and @opts. Returns 0, or -errno with
 * a message in @err: -ENOENT for a --types name that matches nothing,
 * -E2BIG for a type graph too large to write, -EIO when @out fails.
 */
int c_header__write(const struct d2b_btf *btf, const struct c_header_opts *opts,
			FILE *out, char *err, size_t errlen);

#endif
