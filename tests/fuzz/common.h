/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Shared by the libFuzzer targets: bytes into an anonymous file, DWARF
 * sections wrapped into an ELF executable, and the convert -> dedup ->
 * validate pipeline with the rule that our own output must always be
 * valid BTF.
 */
#ifndef D2B_FUZZ_COMMON_H
#define D2B_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

struct d2b_btf;

/*
 * Writes @size bytes to a new memfd; returns the descriptor and its path
 * ("/proc/self/fd/N") in @path, or -1.
 */
int fuzz_memfd(const void *data, size_t size, char *path, size_t pathlen);

/*
 * The first @sep_len bytes of @sep in @data: returns what follows them and
 * sets *@head to the length before them; no @sep: NULL, *@head = @size.
 */
const uint8_t *fuzz_cut(const uint8_t *data, size_t size, const char *sep, size_t sep_len,
			size_t *head);

/*
 * The input of fuzz_dwarf.c (format described there): one flags byte, then
 * .debug_abbrev, .debug_info, .debug_str, .debug_line_str,
 * .debug_str_offsets, .debug_addr and symbol names, separated by "DWARFSEC".
 */
#define FUZZ_NR_PARTS 7
#define FUZZ_FLAG_BIG_ENDIAN 1
#define FUZZ_FLAG_ELF32 2
#define FUZZ_FLAG_AARCH64 4
#define FUZZ_BUILD_ID_LEN 20

struct fuzz_dwarf {
	unsigned int flags;
	struct {
		const uint8_t *p;
		size_t len;
	} part[FUZZ_NR_PARTS];
	/* with a .note.gnu.build-id of FUZZ_BUILD_ID_LEN bytes, if not NULL */
	const uint8_t *build_id;
	/* with a .gnu_debugaltlink naming this file and build-id, if not NULL */
	const char *alt_name;
	const uint8_t *alt_id;
};

/* Splits @data into @dw's flags and parts; no build-id or alternate file. */
void fuzz_dwarf__parse(const uint8_t *data, size_t size, struct fuzz_dwarf *dw);

/*
 * Writes @dw as an ELF executable to a new memfd; returns the descriptor
 * and its path in @path, or -1.
 */
int fuzz_dwarf__memfd(const struct fuzz_dwarf *dw, char *path, size_t pathlen);

/*
 * input__open, convert__dwarf, dedup__run, encode__btf, d2b_btf__validate,
 * the raw, ELF and C header writers on the file at @path, as
 * `dwarf2btf -jJOBS [--base BASE] PATH` (-o OUT, --format elf, --header)
 * does, with @jobs threads and split BTF on @base if not NULL. Returns 0
 * and the raw BTF (in the input's byte order, as written to OUT) in *@raw
 * (free() it) when @raw is not NULL, or -1 when the input is refused: any
 * error is fine; a crash, a leak or a hang is not.
 */
int fuzz_convert(const char *path, unsigned int jobs, const struct d2b_btf *base, void **raw,
		 uint32_t *raw_size);

/* fuzz_convert() with one job, no base, no result. */
void fuzz_convert_file(const char *path);

#endif
