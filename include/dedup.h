/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The dedup stage: reduces the type graph to one node per distinct type,
 * resolves forward declarations, picks the FUNCs that are safe to
 * describe, and builds the final BTF.
 */
#ifndef D2B_DEDUP_H
#define D2B_DEDUP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct btf;
struct btf_align;
struct tgraph;

struct dedup_opts {
	unsigned int jobs;	/* threads for the parallel parts */
	unsigned int features;	/* BTF_FEAT_* the target accepts */
	const struct btf *base;	/* write split BTF on top of it (its types are graph nodes 1..n) */
	struct btf_align **align_out;	/* if set: DWARF's alignments, by BTF id */
	int verbose;
	FILE *log;
	uint8_t ptr_size;
	bool no_early;		/* tests: declarations resolved by merging alone */
};

struct dedup_stats {
	uint32_t rounds;		/* refinement rounds, all passes */
	uint32_t fwds_resolved;
	uint32_t decls_early;		/* of them, before refinement (0: undone or not tried) */
	bool early_undone;		/* a name turned out to have several definitions */
	bool early_refined;		/* and only after refining with them resolved */
	uint32_t funcs;			/* FUNCs written */
	uint32_t funcs_unsafe;		/* left out: arguments not where the prototype says */
	uint32_t funcs_inconsistent;	/* left out: prototypes differ between CUs */
	uint32_t vars;
};

/* Consumes nothing: @g may be modified (FWD references redirected). */
int dedup__run(struct tgraph *g, const struct dedup_opts *opts, struct btf **out,
	       struct dedup_stats *stats, char *err, size_t errlen);

#endif
