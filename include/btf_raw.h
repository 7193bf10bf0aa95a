/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Raw BTF, both ways: reading it from outside (raw files, ELF .BTF
 * sections) and writing it out.
 */
#ifndef D2B_BTF_RAW_H
#define D2B_BTF_RAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct d2b_btf;

/*
 * Parse a raw BTF blob in either byte order. The header, the section
 * layout and the tiling of the type section are checked here; on failure
 * returns -errno and writes a message (lowercase, no trailing full stop)
 * to @err.
 */
int d2b_btf__parse_raw(const void *data, size_t size, struct d2b_btf **out,
		   char *err, size_t errlen);

/* Raw BTF, or the .BTF section of an ELF file, from @path. */
int d2b_btf__parse_file(const char *path, struct d2b_btf **out, char *err, size_t errlen);

/*
 * The same for split BTF (a module's) on top of @base, which must outlive
 * the result; @base NULL: not split.
 */
int d2b_btf__parse_raw_split(const void *data, size_t size, const struct d2b_btf *base,
			 struct d2b_btf **out, char *err, size_t errlen);
int d2b_btf__parse_file_split(const char *path, const struct d2b_btf *base, struct d2b_btf **out,
			  char *err, size_t errlen);

/*
 * Serialise to raw BTF (the classic 24-byte header, types, then strings)
 * in host byte order, or swapped when @swap. Caller frees *data.
 */
int d2b_btf__raw_data(const struct d2b_btf *btf, bool swap, void **data, uint32_t *size);

#endif
