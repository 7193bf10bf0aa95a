// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * libFuzzer target: the multi-threaded pipeline. An input of fuzz_dwarf.c
 * (DWARF sections wrapped into an ELF file) converted as `dwarf2btf -j1`
 * and as `dwarf2btf -j2`: worker threads convert the units and share
 * deduplication's work. Invariant checked (a broken one aborts): both
 * succeed or both fail, and succeed with byte-identical BTF.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_dwarf dw;
	void *one = NULL, *two = NULL;
	uint32_t one_size = 0, two_size = 0;
	char path[64];
	int fd, r1, r2;

	fuzz_dwarf__parse(data, size, &dw);
	fd = fuzz_dwarf__memfd(&dw, path, sizeof(path));
	if (fd < 0)
		return 0;
	r1 = fuzz_convert(path, 1, NULL, &one, &one_size);
	r2 = fuzz_convert(path, 2, NULL, &two, &two_size);
	if (r1 != r2) {
		fprintf(stderr, "fuzz: -j1 %s, -j2 %s\n", r1 ? "fails" : "succeeds",
			r2 ? "fails" : "succeeds");
		abort();
	}
	if (!r1 && (one_size != two_size || memcmp(one, two, one_size))) {
		fprintf(stderr, "fuzz: -j1 and -j2 write different BTF (%u and %u bytes)\n",
			one_size, two_size);
		abort();
	}
	free(one);
	free(two);
	close(fd);
	return 0;
}
