// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * libFuzzer target: raw DWARF sections, wrapped into a well-formed ELF
 * executable, through the converter. Mutations then hit the DWARF (DIE
 * trees, abbreviations, forms, references) rather than the ELF structure,
 * which the "elf" target covers.
 *
 * Input (tests/fuzz/common.c writes the ELF): one flags byte, then parts
 * separated by the 8 bytes "DWARFSEC":
 *	.debug_abbrev, .debug_info, .debug_str, .debug_line_str,
 *	.debug_str_offsets, .debug_addr, symbols
 * Symbols are NUL-separated names: a name becomes an STT_FUNC symbol in
 * .text, or, written "%name", an 8-byte STT_OBJECT in .data..percpu at
 * offset 8 * its position. Flags: bit 0 big-endian ELF, bit 1 ELFCLASS32,
 * bit 2 EM_AARCH64 rather than EM_X86_64.
 * tests/fuzz/seeds.sh makes such inputs from the test fixtures.
 */
#include <stdint.h>
#include <unistd.h>

#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_dwarf dw;
	char path[64];
	int fd;

	fuzz_dwarf__parse(data, size, &dw);
	fd = fuzz_dwarf__memfd(&dw, path, sizeof(path));
	if (fd < 0)
		return 0;
	fuzz_convert_file(path);
	close(fd);
	return 0;
}
