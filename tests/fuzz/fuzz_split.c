// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * libFuzzer target: split BTF, as `dwarf2btf --base BASE MODULE -o OUT`
 * makes it for a kernel module: a raw BTF blob as the base, the DWARF of
 * the "module" on top. Input: the base blob, the 8 bytes "SPLITBTF", then
 * an input of fuzz_dwarf.c (DWARF sections wrapped into an ELF file).
 * The base must pass the validator, as main.c requires of --base.
 * Invariant checked (a broken one aborts): split BTF we wrote parses back on the same base and
 * passes the validator.
 */
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "btf.h"
#include "btf_raw.h"
#include "validate.h"
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct d2b_btf *base = NULL, *back = NULL;
	const uint8_t *rest;
	struct fuzz_dwarf dw;
	char path[64], err[512];
	size_t base_len;
	uint32_t raw_size;
	void *raw;
	int fd;

	rest = fuzz_cut(data, size, "SPLITBTF", 8, &base_len);
	if (!rest || d2b_btf__parse_raw(data, base_len, &base, err, sizeof(err)))
		return 0;
	if (d2b_btf__validate(base, err, sizeof(err))) {
		d2b_btf__free(base);
		return 0;
	}
	fuzz_dwarf__parse(rest, size - (size_t)(rest - data), &dw);
	fd = fuzz_dwarf__memfd(&dw, path, sizeof(path));
	if (fd >= 0 && fuzz_convert(path, 1, base, &raw, &raw_size) == 0) {
		if (d2b_btf__parse_raw_split(raw, raw_size, base, &back, err, sizeof(err)) ||
		    d2b_btf__validate(back, err, sizeof(err))) {
			fprintf(stderr, "fuzz: our split BTF does not read back on its base: %s\n",
				err);
			abort();
		}
		d2b_btf__free(back);
		free(raw);
	}
	if (fd >= 0)
		close(fd);
	d2b_btf__free(base);
	return 0;
}
