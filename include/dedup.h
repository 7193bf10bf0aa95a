/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The dedup stage: partitions the type graph into blocks of equal types,
 * one block per distinct type, with forward declarations joined to their
 * definition. Writing the blocks as BTF is the encoder's (encode.h).
 */
#ifndef D2B_DEDUP_H
#define D2B_DEDUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct d2b_btf;
struct tgraph;

struct dedup_opts {
	unsigned int jobs;	/* threads for the parallel parts */
	const struct d2b_btf *base;	/* split output: the graph's first nodes are its types */
	int verbose;
	FILE *log;
	bool no_early;		/* tests: declarations resolved by merging alone */
};

struct dedup_stats {
	uint32_t rounds;		/* refinement rounds, all passes */
	uint32_t fwds_resolved;
	uint32_t decls_early;		/* of them, before refinement (0: undone or not tried) */
	bool early_undone;		/* a name turned out to have several definitions */
	bool early_refined;		/* and only after refining with them resolved */
};

/* The partition, and what the encoder needs of the nodes, gathered on the way. */
struct dedup_result {
	size_t nr_nodes;
	uint32_t nr_cls;	/* blocks */
	uint32_t *cls;		/* block of each node */
	uint32_t *first;	/* first node alive of each block: the one written */
	bool *dead;		/* declarations written as the definition they joined */
	uint32_t *funcs;	/* the FUNC nodes outside the base, in node order */
	size_t nr_funcs;
	uint32_t *tags;		/* the DECL_TAG nodes, in node order */
	size_t nr_tags;
	uint64_t *rooted;	/* bitmap by block: has a root (TNODE_ROOT) not FUNC or DECL_TAG */
};

/*
 * Deduplicates @g into *@res (freed with dedup_result__free(), also after
 * a failure). Early resolution may leave @g changed: references to a
 * declaration sent to its definition, FWD sizes made the same in every CU.
 * On failure returns -errno with the message in @err.
 */
int dedup__run(struct tgraph *g, const struct dedup_opts *opts, struct dedup_result *res,
	       struct dedup_stats *stats, char *err, size_t errlen);
void dedup_result__free(struct dedup_result *res);

#endif
