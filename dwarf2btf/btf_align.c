// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Alignment side table: a map from (type id, member index) (name_map.h). */
#include <errno.h>
#include <stdlib.h>

#include "btf_align.h"
#include "name_map.h"
#include "util.h"

struct btf_align {
	struct name_map map;	/* (id, member) -> alignment */
};

static uint64_t align_key(uint32_t id, uint32_t member)
{
	return ((uint64_t)id << 32 | member) + 1;
}

struct btf_align *btf_align__new(void)
{
	return calloc(1, sizeof(struct btf_align));
}

void btf_align__free(struct btf_align *a)
{
	if (!a)
		return;
	name_map__free(&a->map);
	free(a);
}

int btf_align__add(struct btf_align *a, uint32_t id, uint32_t member, uint32_t align)
{
	bool found;

	if (!name_map__room(&a->map))
		return -ENOMEM;
	*name_map__slot_key(&a->map, align_key(id, member), &found) = align;
	return 0;
}

uint32_t btf_align__get(const struct btf_align *a, uint32_t id, uint32_t member)
{
	const uint32_t *v;

	if (!a || !a->map.keys)
		return 0;
	v = name_map__find_key(&a->map, align_key(id, member));
	return v ? *v : 0;
}
