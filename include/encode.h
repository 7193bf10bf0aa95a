/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The encoder: between type graph nodes and BTF records, both ways. It
 * writes what deduplication left (struct dedup_result) as the final BTF,
 * choosing the FUNCs that are safe to describe, and imports a base BTF as
 * graph nodes for split output.
 */
#ifndef D2B_ENCODE_H
#define D2B_ENCODE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct d2b_btf;
struct btf_align;
struct dedup_result;
struct tgraph;

struct encode_opts {
	unsigned int jobs;	/* 2 and up: alignments gathered on a thread of their own */
	unsigned int features;	/* BTF_FEAT_* the target accepts */
	const struct d2b_btf *base;	/* write split BTF on top of it (its types are graph nodes 1..n) */
	struct btf_align **align_out;	/* if set: DWARF's alignments, by BTF id */
	int verbose;
	FILE *log;
	uint8_t ptr_size;
};

struct encode_stats {
	uint32_t funcs;			/* FUNCs written */
	uint32_t funcs_unsafe;		/* left out: arguments not where the prototype says */
	uint32_t funcs_inconsistent;	/* left out: prototypes differ between CUs */
	uint32_t vars;
};

/*
 * Rewrites @g for a target that accepts only @features (BTF_FEAT_*), where
 * that changes which types are equal: to be called before dedup__run().
 */
void encode__prepare(struct tgraph *g, unsigned int features);

/*
 * The BTF of @g as deduplicated into @res: one type per block alive, in
 * order of first appearance. On failure returns -errno with the message
 * in @err.
 */
int encode__btf(const struct tgraph *g, const struct dedup_result *res,
		const struct encode_opts *opts, struct d2b_btf **out, struct encode_stats *stats,
		char *err, size_t errlen);

/*
 * Adds every type of @base as nodes 1 .. n-1 of the still empty graph @g,
 * so that node i stands for base type id i (split BTF on top of it).
 */
int encode__import_btf(struct tgraph *g, const struct d2b_btf *base);

#endif
