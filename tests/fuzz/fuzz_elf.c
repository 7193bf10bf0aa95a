// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * libFuzzer target: a whole input file (ELF with DWARF, or anything) through
 * the converter, as `dwarf2btf INPUT -o OUT` would read it.
 */
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = fuzz_memfd(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	fuzz_convert_file(path);
	close(fd);
	return 0;
}
