/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Comparing two BTFs type by type, independently of type ids and order.
 *
 * Types of the kinds INT, FLOAT, STRUCT, UNION, ENUM, ENUM64, FWD,
 * TYPEDEF, FUNC, VAR, DATASEC and DECL_TAG are "entries", keyed by
 * (kind, name); anonymous ones are keyed by (kind, ""). Each entry is
 * rendered to a one-line description in which referenced types appear as
 * type expressions (names for named types, the full description inline
 * for anonymous ones), so the description does not depend on ids. For each
 * key the multisets of descriptions on both sides are compared.
 *
 * FUNC linkage is deliberately not part of a FUNC's description: it is not
 * a property of the type, and pahole writes static for every function.
 * Array index types are ignored as well. See docs/comparing.md.
 */
#ifndef D2B_BTF_DIFF_H
#define D2B_BTF_DIFF_H

#include <stdint.h>
#include <stdio.h>

#include "btf.h"

struct btf_diff_kind_stats {
	uint32_t a;		/* types of this kind in A (entries or not) */
	uint32_t b;		/* same in B */
	uint32_t matched;	/* entries whose description is on both sides */
	uint32_t only_a;	/* entries left over in A */
	uint32_t only_b;	/* entries left over in B */
	uint32_t differ;	/* keys on both sides with unequal multisets */
};

struct btf_diff_stats {
	/* indexed by kind; kinds unknown to us are counted under 0 */
	struct btf_diff_kind_stats kind[BTF_NR_KINDS];
	/* sum of only_a and only_b over all kinds: the number of lines */
	uint64_t total_differences;
};

/*
 * Compare @a with @b. Writes one line per unmatched entry to @out (may be
 * NULL), sorted by kind, name and description:
 *
 *	< KIND NAME: description	(only in A)
 *	> KIND NAME: description	(only in B)
 *
 * with NAME "(anon)" for anonymous entries. Fills @stats (may be NULL).
 * Returns 0 or -errno (-ENOMEM, -E2BIG for input whose descriptions grow
 * beyond all reason, -EIO when writing @out fails).
 */
int btf_diff__run(const struct d2b_btf *a, const struct d2b_btf *b, FILE *out,
	      struct btf_diff_stats *stats);

/*
 * Print one line per kind that has a type on either side, in kind-number
 * order, then the total:
 *
 *	kind STRUCT a=8211 b=8210 matched=8209 only_a=2 only_b=1 differ=1
 *	differences 3
 */
void btf_diff__print_summary(const struct btf_diff_stats *stats, FILE *out);

#endif
