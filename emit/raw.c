// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Raw BTF writer: the 24-byte header, the type records, then the strings,
 * in host byte order or swapped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "btf_swap.h"
#include "strset.h"

int btf__raw_data(const struct btf *btf, bool swap, void **data, uint32_t *size)
{
	const struct strset *strs = btf__strset(btf);
	struct btf_header hdr = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.flags = 0,
		.hdr_len = sizeof(hdr),
	};
	uint32_t types_len, strs_len, id;
	size_t off;
	const void *types;
	const char *str_data;
	uint64_t total;
	char *buf;

	types = btf__types_data(btf, &types_len);
	str_data = strset__data(strs, &strs_len);
	total = (uint64_t)sizeof(hdr) + types_len + strs_len;
	if (total > UINT32_MAX)
		return -E2BIG;

	hdr.type_off = 0;
	hdr.type_len = types_len;
	hdr.str_off = types_len;
	hdr.str_len = strs_len;

	buf = malloc(total);
	if (!buf)
		return -ENOMEM;
	/* no types at all: the buffer is still NULL */
	if (types_len)
		memcpy(buf + sizeof(hdr), types, types_len);
	memcpy(buf + sizeof(hdr) + types_len, str_data, strs_len);

	if (swap) {
		/* each record is read in host order, then turned around */
		for (id = 1, off = sizeof(hdr); id < btf__type_cnt(btf); id++) {
			size_t len = btf__type_rec_size(btf, id);

			if (btf_type_swap(buf + off, false) != (long)len) {
				/* a record whose kind and vlen disagree with its length */
				free(buf);
				return -EINVAL;
			}
			off += len;
		}
		btf_header_swap(&hdr);
	}
	memcpy(buf, &hdr, sizeof(hdr));

	*data = buf;
	*size = (uint32_t)total;
	return 0;
}
