// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Which BTF kinds a target accepts: see include/btf_features.h. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "btf.h"
#include "btf_features.h"
#include "util.h"

static const struct {
	const char *name;
	unsigned int bit;
	uint16_t kind;		/* the kind it brings */
	uint32_t since;		/* kernel version that accepts it */
} feature_table[] = {
	{ "float", BTF_FEAT_FLOAT, BTF_KIND_FLOAT, KERNEL_VERSION_CODE(5, 13) },
	{ "decl_tag", BTF_FEAT_DECL_TAG, BTF_KIND_DECL_TAG, KERNEL_VERSION_CODE(5, 16) },
	{ "type_tag", BTF_FEAT_TYPE_TAG, BTF_KIND_TYPE_TAG, KERNEL_VERSION_CODE(5, 17) },
	{ "enum64", BTF_FEAT_ENUM64, BTF_KIND_ENUM64, KERNEL_VERSION_CODE(6, 0) },
};

unsigned int btf_features__for_kernel(uint32_t version)
{
	unsigned int out = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(feature_table); i++)
		if (version >= feature_table[i].since)
			out |= feature_table[i].bit;
	return out;
}

int btf_features__parse(const char *list, unsigned int *out, char *bad, size_t badlen)
{
	const char *p = list;

	*out = 0;
	while (*p) {
		size_t len = strcspn(p, ","), i;
		bool found = false;

		if (len == 3 && !strncmp(p, "all", 3)) {
			*out = BTF_FEAT_ALL;
			found = true;
		} else if (len == 4 && !strncmp(p, "none", 4)) {
			found = true;
		}
		for (i = 0; i < ARRAY_SIZE(feature_table) && !found; i++) {
			if (strlen(feature_table[i].name) == len && !strncmp(p, feature_table[i].name, len)) {
				*out |= feature_table[i].bit;
				found = true;
			}
		}
		if (!found) {
			snprintf(bad, badlen, "%.*s", (int)len, p);
			return -EINVAL;
		}
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

const char *btf_features__str(unsigned int f, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(feature_table); i++) {
		if (!(f & feature_table[i].bit))
			continue;
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
					 used ? "," : "", feature_table[i].name);
	}
	if (!used)
		snprintf(buf, len, "none");
	return buf;
}

/* The feature_table[] entry of what @t needs, -1 when every target takes it. */
static int feature_of(const struct btf_type *t)
{
	uint16_t kind = d2b_btf_kind(t);
	size_t i;

	/* older kernels reject kind_flag, the sign, on ENUM: it came with ENUM64 */
	if (kind == BTF_KIND_ENUM && d2b_btf_kflag(t))
		kind = BTF_KIND_ENUM64;
	for (i = 0; i < ARRAY_SIZE(feature_table); i++)
		if (feature_table[i].kind == kind)
			return (int)i;
	return -1;
}

int btf_features__check(const struct d2b_btf *btf, unsigned int features, char *err, size_t errlen)
{
	uint32_t id;

	for (id = 1; id < d2b_btf__type_cnt(btf); id++) {
		const struct btf_type *t = d2b_btf__type_by_id(btf, id);
		int f = feature_of(t);

		if (f >= 0 && !(features & feature_table[f].bit)) {
			snprintf(err, errlen, "type [%u] %s '%s': needs BTF feature %s, which the target lacks",
				 id, d2b_btf_kind_name(d2b_btf_kind(t)), d2b_btf__name(btf, t),
				 feature_table[f].name);
			return -EINVAL;
		}
	}
	return 0;
}
