// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * libFuzzer target: the C header writer (vmlinux.h) fed from a raw BTF
 * blob that parses and passes the validator, as `dwarf2btf --header` would
 * get it; once for all types and once filtered to the first named one.
 * Errors are fine; a crash, leak or hang is not.
 */
#include <stdint.h>
#include <stdio.h>

#include "btf.h"
#include "btf_raw.h"
#include "c_header.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct c_header_opts opts = { 0 };
	struct d2b_btf *btf = NULL;
	const char *name = NULL;
	char err[512];
	FILE *out;
	uint32_t id;

	if (d2b_btf__parse_raw(data, size, &btf, err, sizeof(err)))
		return 0;
	if (d2b_btf__validate(btf, err, sizeof(err)))
		goto out;
	out = fopen("/dev/null", "w");
	if (!out)
		goto out;
	c_header__write(btf, &opts, out, err, sizeof(err));
	for (id = 1; id < d2b_btf__type_cnt(btf) && !name; id++) {
		const char *n = d2b_btf__name(btf, d2b_btf__type_by_id(btf, id));

		if (*n)
			name = n;
	}
	if (name) {
		opts.types = &name;
		opts.nr_types = 1;
		c_header__write(btf, &opts, out, err, sizeof(err));
	}
	fclose(out);
out:
	d2b_btf__free(btf);
	return 0;
}
