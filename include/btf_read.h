/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Reading BTF from outside (raw files, ELF .BTF sections) and checking it
 * against the rules the kernel applies when it loads BTF.
 */
#ifndef D2B_BTF_READ_H
#define D2B_BTF_READ_H

#include <stdbool.h>
#include <stddef.h>

struct btf;

/*
 * Parse a raw BTF blob in either byte order. The header, the section
 * layout and the tiling of the type section are checked here; on failure
 * returns -errno and writes a message (lowercase, no trailing full stop)
 * to @err.
 */
int btf__parse_raw(const void *data, size_t size, struct btf **out,
		   char *err, size_t errlen);

/* Raw BTF, or the .BTF section of an ELF file, from @path. */
int btf__parse_file(const char *path, struct btf **out, char *err, size_t errlen);

/*
 * The same for split BTF (a module's) on top of @base, which must outlive
 * the result; @base NULL: not split.
 */
int btf__parse_raw_split(const void *data, size_t size, const struct btf *base,
			 struct btf **out, char *err, size_t errlen);
int btf__parse_file_split(const char *path, const struct btf *base, struct btf **out,
			  char *err, size_t errlen);

/*
 * Apply the kernel's per-type rules (docs/btf-rules.md). Returns 0, or
 * -EINVAL with a message naming the type id and the rule broken.
 */
int btf__validate(const struct btf *btf, char *err, size_t errlen);

#endif
