/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * For unit tests that build type graphs by hand: names through the
 * graphs' string set. Needs check.h's die().
 */
#ifndef D2B_TEST_TGRAPH_BUILD_H
#define D2B_TEST_TGRAPH_BUILD_H

#include <stdint.h>

#include "strset.h"

/* The offset of @name in @s, added if new. */
static uint32_t str(struct strset *s, const char *name)
{
	int64_t off = strset__add(s, name);

	if (off < 0)
		die("out of memory");
	return (uint32_t)off;
}

#endif
