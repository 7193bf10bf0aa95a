// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * libFuzzer target: a raw BTF blob through the reader and the validator,
 * as `dwarf2btf --validate FILE` and `--diff A B` read it. Invariants
 * checked on the way (a broken one aborts):
 *  - a blob that parses serialises again, in either byte order, and parses
 *    back to the same types and strings;
 *  - comparing a parsed blob with itself finds no difference.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "btf_diff.h"
#include "btf_raw.h"
#include "strset.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_btf(const struct d2b_btf *a, const struct d2b_btf *b)
{
	uint32_t as, bs, id;
	const void *ad, *bd;

	if (d2b_btf__type_cnt(a) != d2b_btf__type_cnt(b))
		return false;
	for (id = 1; id < d2b_btf__type_cnt(a); id++) {
		size_t n = d2b_btf__type_rec_size(a, id);

		if (n != d2b_btf__type_rec_size(b, id) ||
		    memcmp(d2b_btf__type_by_id(a, id), d2b_btf__type_by_id(b, id), n))
			return false;
	}
	ad = strset__data(d2b_btf__strset(a), &as);
	bd = strset__data(d2b_btf__strset(b), &bs);
	return as == bs && !memcmp(ad, bd, as);
}

static void round_trip(const struct d2b_btf *btf, bool swap)
{
	struct d2b_btf *back = NULL;
	char err[512];
	uint32_t size;
	void *raw;

	if (d2b_btf__raw_data(btf, swap, &raw, &size))
		return;	/* too large: a clean error */
	if (d2b_btf__parse_raw(raw, size, &back, err, sizeof(err))) {
		fprintf(stderr, "fuzz: our own serialisation does not parse: %s\n", err);
		abort();
	}
	if (!same_btf(btf, back)) {
		fprintf(stderr, "fuzz: round trip (swap %d) changed the BTF\n", swap);
		abort();
	}
	d2b_btf__free(back);
	free(raw);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct btf_diff_stats stats;
	struct d2b_btf *btf = NULL;
	char err[512];
	uint32_t id;
	int ret;

	if (d2b_btf__parse_raw(data, size, &btf, err, sizeof(err)))
		return 0;
	ret = d2b_btf__validate(btf, err, sizeof(err));
	for (id = 0; id <= d2b_btf__type_cnt(btf); id++)
		d2b_btf__resolve_size(btf, id);
	round_trip(btf, false);
	round_trip(btf, true);
	/* --diff takes any blob that parses, valid or not */
	ret = btf_diff__run(btf, btf, NULL, &stats);
	if (ret == 0 && stats.total_differences) {
		fprintf(stderr, "fuzz: a BTF differs from itself (%llu differences)\n",
			(unsigned long long)stats.total_differences);
		abort();
	}
	d2b_btf__free(btf);
	return 0;
}
