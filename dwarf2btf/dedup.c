// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Deduplication: the type graph partitioned into blocks of equal types.
 *
 * Two types are the same when they have the same local shape (kind, name,
 * size, member names and offsets, enumerator values, ...) and the types
 * they refer to, position by position, are the same. On a graph with
 * cycles (struct list_head { struct list_head *next; }) this is a greatest
 * fixed point: the coarsest partition of the nodes that is stable under
 * "same shape, and edges into the same blocks", computed as DFA
 * minimisation is (Moore's algorithm). Forward declarations make it more
 * than that: a FWD stands for the definition its own CU sees (tgraph.h:
 * its size is the CU's index), and the kernel has names defined
 * differently in different places, so which declarations are the same as
 * which definitions is decided after refinement, by merging blocks.
 *
 * dedup__run() runs these phases, in this order:
 *
 * 1. Early resolution (struct early, early_begin(); not for split BTF).
 *    Most declared names have one definition, and then a declaration can
 *    only mean it: every edge to such a declaration is sent to the name's
 *    first definition and every named FWD is made the same in each CU, so
 *    that refinement does not keep each CU's copies apart. This is a
 *    speculation, checked in 2 and 4.
 *
 * 2. Seeding (deep_hash(), hash_cons()). block := hash-cons of the local
 *    shape and of a hash of the shapes reachable within DEEP_PASSES edges
 *    and of whether a FWD is reachable at all (mark_decls()). Equal types
 *    get equal hashes, so this partition is still coarser than the answer,
 *    but nearly the answer. The hash runs a unit at a time (an appended
 *    CU's edges stay within it), types that reach no cycle are hashed
 *    whole by a depth-first search (deep_finite()), and blocks are
 *    numbered in order of first appearance. With early resolution,
 *    early_holds() then checks that each name whose declarations were sent
 *    has all its definitions in one block.
 *
 * 3. Refinement rounds (dedup_refine(), partition_split(), split_blocks())
 *    until stable: the stability check finds the blocks with a node whose
 *    edges lead into other blocks than its block's first node's, and a
 *    round hash-conses (block, blocks of the edge targets) of those blocks
 *    alone. Rounds only split, so the loop ends; more than MAX_ROUNDS is
 *    refused (only hand-made chains need them).
 *
 * 4. The check of early resolution, again (dedup_refine_all()): if a
 *    round split a block of definitions, early_holds(); if a name then has two
 *    definitions, its declarations may each stand for another: every edge
 *    and FWD size is put back (early_undo()) and 2 and 3 run again without
 *    early resolution.
 *
 * 5. Merging (struct merge, merge_blocks()): union-find over the refined
 *    blocks, with trials that can be undone.
 *    a. merge_named(): each named block (STRUCT, UNION, ENUM, TYPEDEF,
 *       FUNC) joins the first earlier block of its kind and name it unifies
 *       with (dedup_unify()): structurally equal when each declaration may
 *       stand for a definition of its name, consistently. Within
 *       UNIFY_BUDGET.
 *    b. merge_decls(): a declaration no context bound joins the one
 *       definition of its name, if there is exactly one; then
 *       close_congruence(): hash-cons the blocks again, as joins can make
 *       other blocks equal; repeated until nothing joins (MAX_MERGE_PASSES).
 *    c. The declarations of a name left over become one, and a last
 *       congruence closure compares declarations by name.
 *
 * 6. Settling (dedup_settle()): the last pass over the nodes, by ranges in
 *    parallel: each node's block becomes its merged block, declarations
 *    joined to a definition die, and what the encoder needs is gathered on
 *    the way (each block's first node alive, the FUNCs and DECL_TAGs in
 *    node order, the blocks with a root type): struct dedup_result.
 *
 * No two nodes are ever merged unless no path can tell them apart: distinct
 * types that share a name stay distinct, recursive types through pointers
 * merge across CUs, and a FWD whose name is defined in several different
 * ways stays a FWD. The passes over all nodes run on -j threads, each over
 * a range of nodes or units, and their results are joined in the order of
 * the ranges; seeding and the blocks keep the order of first appearance,
 * so the result is the same for any thread count. Which blocks become BTF,
 * and which FUNCs, is the encoder's (encode.c). Figures for the 6.1
 * kernels: docs/performance.md.
 */
#include <errno.h>
#include <linux/btf.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "dedup.h"
#include "hash_table.h"
#include "name_map.h"
#include "strset.h"
#include "tgraph.h"
#include "util.h"
#include "workers.h"

struct dedup {
	struct tgraph *g;
	size_t n;
	uint32_t *cls;		/* block of each node */
	uint32_t *rep;		/* first node of each block */
	uint32_t *first;	/* first node written of each block after merging */
	uint64_t *deep;		/* deep_hash() of each node, while refining */
	uint32_t nr_cls;
	bool *dead;		/* FWDs redirected to their definition */
	/* gathered by dedup_settle() for the encoder, in node order */
	uint32_t *funcs;	/* the FUNCs outside the base */
	size_t nr_funcs;
	uint32_t *tags;		/* the DECL_TAGs */
	size_t nr_tags;
	uint64_t *rooted;	/* by block: has a root (TNODE_ROOT) of another kind */

	/* hash-consing table of representative nodes; 0 = empty */
	uint32_t *slots;
	size_t nslots;

	char *err;
	size_t errlen;
	/* a round split a block of named definitions: early_holds() again */
	bool defs_split;
	/* merging stopped early (UNIFY_BUDGET, MAX_MERGE_PASSES): still valid BTF */
	uint64_t unify_steps;
	bool merge_cut_short;
};

static uint64_t shape_hash(const struct tgraph *g, uint32_t i)
{
	const struct tnode *n = &g->nodes[i];
	uint64_t h = hash_mix(n->kind | (uint64_t)n->kflag << 8 | (uint64_t)n->vlen << 16,
			      (uint64_t)n->name << 32 | n->size);

	return hash_bytes(g->data + n->data, tnode_nr_data(n) * sizeof(uint32_t), h);
}

/* Inlined: seeding asks this of nearly every node, most often with no data to compare. */
static inline __attribute__((always_inline)) bool
shape_equal(const struct tgraph *g, uint32_t a, uint32_t b)
{
	const struct tnode *x = &g->nodes[a], *y = &g->nodes[b];
	uint32_t nd;

	if (x->kind != y->kind || x->kflag != y->kflag || x->vlen != y->vlen ||
	    x->name != y->name || x->size != y->size)
		return false;
	nd = tnode_nr_data(x);
	return x->data == y->data || !nd ||
	       !memcmp(g->data + x->data, g->data + y->data, nd * sizeof(uint32_t));
}

static uint64_t edges_hash(const struct dedup *d, uint32_t i)
{
	const struct tnode *n = &d->g->nodes[i];
	const uint32_t *e = d->g->edges + n->edge;
	uint32_t j, ne = tnode_nr_edges(n);
	uint64_t h = hash_mix(0, d->cls[i]);

	for (j = 0; j < ne; j++)
		h = hash_mix(h, d->cls[e[j]]);
	return h;
}

static bool edges_equal(const struct dedup *d, uint32_t a, uint32_t b)
{
	const struct tnode *x = &d->g->nodes[a], *y = &d->g->nodes[b];
	const uint32_t *ea = d->g->edges + x->edge, *eb = d->g->edges + y->edge;
	uint32_t j, ne = tnode_nr_edges(x);

	if (d->cls[a] != d->cls[b])
		return false;
	for (j = 0; j < ne; j++)
		if (d->cls[ea[j]] != d->cls[eb[j]])
			return false;
	return true;
}

/* A slot of the hash-consing table holds a representative: its deep hash. */
static uint64_t slots_hash(const void *slot, const void *deep)
{
	return ((const uint64_t *)deep)[*(const uint32_t *)slot];
}

/* Doubles the hash-consing table, keeping the representatives in it. */
static int slots_grow(struct dedup *d)
{
	return hash_table__grow((void **)&d->slots, &d->nslots, 1024, sizeof(*d->slots),
				slots_hash, d->deep);
}

/*
 * Seeds the blocks of nodes [@lo, @hi), after those before @lo: out[i] :=
 * block of the first node with the local shape and deep hash of i. Blocks
 * are numbered in order of first appearance; *@nr is their number so far
 * (1 at first: void's block), and rep[b] the first node of block b. The
 * table grows with the blocks.
 */
#define CONS_AHEAD 16

static int hash_cons(struct dedup *d, uint32_t *out, uint32_t *rep, uint32_t *nr,
		     size_t lo, size_t hi)
{
	size_t i;
	int err;

	for (i = lo; i < hi; i++) {
		uint64_t h = d->deep[i];
		size_t mask = d->nslots - 1, s = h & mask;

		/*
		 * The table and the nodes are far larger than the caches: ask
		 * for a later node's slot now, and for what the slot of a
		 * nearer one holds.
		 */
		if (i + CONS_AHEAD < hi) {
			uint32_t r = d->slots[d->deep[i + CONS_AHEAD / 2] & mask];

			__builtin_prefetch(&d->slots[d->deep[i + CONS_AHEAD] & mask]);
			if (r) {
				__builtin_prefetch(&d->deep[r]);
				__builtin_prefetch(&d->g->nodes[r]);
			}
		}

		for (;;) {
			uint32_t r = d->slots[s];
			bool eq;

			if (!r) {
				d->slots[s] = (uint32_t)i;
				rep[*nr] = (uint32_t)i;
				out[i] = (*nr)++;
				break;
			}
			eq = d->deep[r] == d->deep[i] && shape_equal(d->g, r, (uint32_t)i);
			if (eq) {
				out[i] = out[r];
				break;
			}
			s = (s + 1) & mask;
		}
		/* nr - 1 blocks in the table: keep it at most half full */
		if ((size_t)*nr * 2 > d->nslots) {
			err = slots_grow(d);
			if (err)
				return err;
		}
	}
	return 0;
}

/* Lookup table from (kind, name) to the one block or node defining it, or AMBIGUOUS. */
#define AMBIGUOUS UINT32_MAX

/* Kind a declaration resolves to; 0 when @n is not a declaration. */
static inline uint8_t decl_kind(const struct tnode *n)
{
	if (n->kind == BTF_KIND_FWD && n->name)
		return n->kflag ? BTF_KIND_UNION : BTF_KIND_STRUCT;
	if (n->kind == BTF_KIND_ENUM && !n->vlen && n->name)
		return BTF_KIND_ENUM;
	return 0;
}

/* Kind a declaration of ours resolves to; 0 when @n is not one. */
static inline uint8_t decl_target_kind(const struct tnode *n)
{
	/* the base BTF is fixed: its declarations stay what they are */
	return n->flags & TNODE_BASE ? 0 : decl_kind(n);
}

static uint8_t def_kind(const struct tnode *n)
{
	switch (n->kind) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return n->name ? n->kind : 0;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		/* an enum declaration may be completed by an enum of either width */
		return n->name && n->vlen ? BTF_KIND_ENUM : 0;
	default:
		return 0;
	}
}

/*
 * Declarations resolved before refinement: a speculation, checked after.
 *
 * A FWD stands for the definition its own CU sees (its size is the CU's
 * index), so refinement keeps every type that reaches one apart from the
 * other CUs' copies: more than half as many blocks as nodes, which merging
 * then joins pair by pair, on one thread. Most names have one definition, though, and then each declaration
 * of the name can only mean that one. So before refinement every edge to a
 * declaration whose name has a definition goes to the name's first
 * definition instead, and every named FWD is made the same in each CU
 * (size 0): refinement then leaves about one block per distinct type.
 *
 * That is what merging would have found if each such name still has one
 * definition after refinement, all its definition nodes in one block: a
 * declaration joins the only definition of its name there too, and the
 * declarations of a name without any become one. If a name with
 * redirected declarations keeps two definitions (two different struct foo),
 * its declarations may each stand for another one: every edge and size is
 * put back and refinement runs again without this, as it always did.
 *
 * A declared name with definitions of several shapes is not tried: each
 * CU's declarations of it would keep their types apart (early_begin()).
 *
 * The deep hash works a CU at a time, and the redirected edges leave their
 * CU: there an edge to a named definition counts as that definition's
 * kind, name and size (atom_hash()), from every CU alike.
 */
struct early {
	struct name_map defs;	/* (kind, name) -> first definition node */
	uint8_t *sent;		/* by slot of defs: a declaration was sent there */
	uint32_t *to;		/* by node: the definition its declaration goes to, or 0 */
	uint32_t (*sizes)[2];	/* FWDs made the same in every CU: node, CU index */
	size_t nr_sizes;
	size_t sizes_cap;
	uint32_t (*moved)[2];	/* edges redirected: index, old target */
	size_t nr_moved;
	size_t moved_cap;
	uint32_t nr_decls;	/* declarations with a definition */
	uint32_t bad;		/* a node of the name that made it fail */
};

static void early_free(struct early *e)
{
	name_map__free(&e->defs);
	free(e->sent);
	free(e->to);
	free(e->sizes);
	free(e->moved);
	memset(e, 0, sizeof(*e));
}

/*
 * One thread's share of early_begin() and early_holds(): nodes [lo, hi).
 * The parts find the definitions of their nodes, then (with all of them
 * known) send their declarations; what each changes is its own.
 */
struct early_part {
	struct tgraph *g;
	struct early *e;
	const uint32_t *cls;	/* early_holds() */
	uint32_t lo;
	uint32_t hi;
	struct name_map defs;	/* the first definition of each name in [lo, hi) */
	uint8_t *sent;		/* as early.sent */
	uint32_t (*sizes)[2];	/* as early.sizes */
	size_t nr_sizes;
	size_t sizes_cap;
	uint32_t nr_decls;
	uint32_t bad;		/* the first node of [lo, hi) that makes it fail, or 0 */
	int err;
};

static int early_defs_part(void *arg)
{
	struct early_part *p = arg;
	uint32_t i;

	p->err = name_map__init(&p->defs, 0);
	for (i = p->lo; i < p->hi && !p->err; i++) {
		const struct tnode *nd = &p->g->nodes[i];
		uint8_t k = def_kind(nd);
		uint32_t *slot;
		bool found;

		if (!k)
			continue;
		if (!name_map__room(&p->defs)) {
			p->err = -ENOMEM;
			break;
		}
		slot = name_map__slot(&p->defs, k, nd->name, &found);
		if (!found)
			*slot = i;
		else if (*slot != AMBIGUOUS && !shape_equal(p->g, *slot, i))
			*slot = AMBIGUOUS;
	}
	return p->err;
}

static int early_decls_part(void *arg)
{
	struct early_part *p = arg;
	struct early *e = p->e;
	uint32_t i;

	for (i = p->lo; i < p->hi; i++) {
		struct tnode *nd = &p->g->nodes[i];
		uint8_t k = decl_target_kind(nd);
		const uint32_t *def;

		if (!k)
			continue;
		def = name_map__find(&e->defs, k, nd->name);
		/*
		 * Definitions of several shapes: each CU's declaration of the
		 * name may stand for another, so its types stay apart, and
		 * often most types reach one (arm64 6.1: struct of_bus).
		 * Merging alone does better.
		 */
		if (def && *def == AMBIGUOUS) {
			p->bad = i;
			break;
		}
		if (nd->kind == BTF_KIND_FWD) {
			p->err = grow_buf((void **)&p->sizes, &p->sizes_cap, sizeof(*p->sizes),
					  p->nr_sizes + 1);
			if (p->err)
				break;
			p->sizes[p->nr_sizes][0] = i;
			p->sizes[p->nr_sizes][1] = nd->size;
			p->nr_sizes++;
			nd->size = 0;
		}
		if (!def)
			continue;
		e->to[i] = *def;
		p->sent[def - e->defs.vals] = 1;
		p->nr_decls++;
	}
	return p->err;
}

/* Adds the definitions @p found to those of the parts before it, in e->defs. */
static int early_join_defs(struct early *e, const struct tgraph *g, const struct early_part *p)
{
	size_t s;

	for (s = 0; s <= p->defs.mask; s++) {
		uint64_t key = p->defs.keys[s] - 1;
		uint32_t v = p->defs.vals[s], *slot;
		bool found;

		if (!p->defs.keys[s])
			continue;
		if (!name_map__room(&e->defs))
			return -ENOMEM;
		slot = name_map__slot(&e->defs, (uint8_t)(key >> 32), (uint32_t)key, &found);
		if (!found)
			*slot = v;
		else if (*slot != AMBIGUOUS && (v == AMBIGUOUS || !shape_equal(g, *slot, v)))
			*slot = AMBIGUOUS;
	}
	return 0;
}

static void early_parts_free(struct early_part *parts, unsigned int jobs)
{
	unsigned int t;

	for (t = 0; parts && t < jobs; t++) {
		name_map__free(&parts[t].defs);
		free(parts[t].sent);
		free(parts[t].sizes);
	}
	free(parts);
}

/* @jobs parts of the nodes, at least one (*@jobs is set to their number) */
static struct early_part *early_parts(struct tgraph *g, size_t n, struct early *e,
				      unsigned int *jobs)
{
	struct early_part *parts;
	unsigned int t;

	if (*jobs < 1)
		*jobs = 1;
	parts = calloc(*jobs, sizeof(*parts));
	for (t = 0; parts && t < *jobs; t++) {
		parts[t].g = g;
		parts[t].e = e;
		parts[t].lo = (uint32_t)(1 + (n - 1) * t / *jobs);
		parts[t].hi = (uint32_t)(1 + (n - 1) * (t + 1) / *jobs);
	}
	return parts;
}

/*
 * Finds each declaration's definition, and makes the FWDs the same in every
 * CU: 0, -ENOMEM, or 1 if a declared name has definitions of several
 * shapes (e->bad: a declaration of it). Shapes are equal or not whichever
 * part compares them, so the parts' definitions join into the same map
 * entries in any order.
 */
static int early_begin(struct tgraph *g, size_t n, struct early *e, unsigned int jobs)
{
	struct early_part *parts;
	unsigned int t;
	int err;

	parts = early_parts(g, n, e, &jobs);
	err = parts ? workers__run(jobs, early_defs_part, parts, sizeof(*parts), NULL) : -ENOMEM;
	for (t = 0; !err && t < jobs; t++)
		err = parts[t].err;
	/* the first part's map is the start of all: the others join it */
	if (!err) {
		e->defs = parts[0].defs;
		memset(&parts[0].defs, 0, sizeof(parts[0].defs));
	}
	for (t = 1; !err && t < jobs; t++)
		err = early_join_defs(e, g, &parts[t]);
	if (err)
		goto out;
	e->sent = zalloc(e->defs.mask + 1, sizeof(*e->sent));
	e->to = zalloc(n, sizeof(*e->to));
	err = e->sent && e->to ? 0 : -ENOMEM;
	for (t = 0; !err && t < jobs; t++) {
		parts[t].sent = zalloc(e->defs.mask + 1, sizeof(*parts[t].sent));
		if (!parts[t].sent)
			err = -ENOMEM;
	}
	if (!err)
		err = workers__run(jobs, early_decls_part, parts, sizeof(*parts), NULL);
	/* every part's sizes, for early_undo(), and the first declaration that fails */
	for (t = 0; !err && t < jobs; t++) {
		const struct early_part *p = &parts[t];
		size_t s;

		err = p->err;
		if (!err && p->nr_sizes)
			err = grow_buf((void **)&e->sizes, &e->sizes_cap, sizeof(*e->sizes),
				       e->nr_sizes + p->nr_sizes);
		if (err)
			break;
		if (p->nr_sizes)
			memcpy(e->sizes + e->nr_sizes, p->sizes, p->nr_sizes * sizeof(*p->sizes));
		e->nr_sizes += p->nr_sizes;
		for (s = 0; s <= e->defs.mask; s++)
			e->sent[s] |= p->sent[s];
		e->nr_decls += p->nr_decls;
		if (p->bad && !e->bad)
			e->bad = p->bad;
	}
	if (!err && e->bad)
		err = 1;
out:
	early_parts_free(parts, jobs);
	return err;
}

static int early_holds_part(void *arg)
{
	struct early_part *p = arg;
	const struct early *e = p->e;
	uint32_t i;

	for (i = p->lo; i < p->hi; i++) {
		const struct tnode *nd = &p->g->nodes[i];
		uint8_t k = def_kind(nd);
		const uint32_t *def;

		if (!k)
			continue;
		def = name_map__find(&e->defs, k, nd->name);
		if (e->sent[def - e->defs.vals] && p->cls[i] != p->cls[*def]) {
			p->bad = i;
			break;
		}
	}
	return 0;
}

/*
 * Does each name that declarations were sent to have one definition? If
 * not, e->bad is a definition of such a name outside the first's block.
 * 1 or 0, or -ENOMEM.
 */
static int early_holds(struct tgraph *g, size_t n, const uint32_t *cls, struct early *e,
		       unsigned int jobs)
{
	struct early_part *parts;
	unsigned int t;
	int ret;

	parts = early_parts(g, n, e, &jobs);
	if (!parts)
		return -ENOMEM;
	for (t = 0; t < jobs; t++)
		parts[t].cls = cls;
	ret = workers__run(jobs, early_holds_part, parts, sizeof(*parts), NULL);
	for (t = 0; !ret && t < jobs && !e->bad; t++)
		e->bad = parts[t].bad;
	early_parts_free(parts, jobs);
	return ret ? ret : !e->bad;
}

/* Puts back every edge and FWD size early_begin() and the deep hash changed. */
static void early_undo(struct tgraph *g, const struct early *e)
{
	size_t i;

	for (i = 0; i < e->nr_moved; i++)
		g->edges[e->moved[i][0]] = e->moved[i][1];
	for (i = 0; i < e->nr_sizes; i++)
		g->nodes[e->sizes[i][0]].size = e->sizes[i][1];
}
/*
 * Hash of the shapes reachable within DEEP_PASSES edges, and of whether a
 * FWD can be reached at all (mark_decls()). Equal types get equal
 * hashes, so the partition by (shape, deep hash) is still coarser than the
 * answer, and a collision only costs a refinement round; but it is already
 * nearly the answer, which saves most of the rounds. With early resolution
 * (struct early) only nodes that reach a cycle take the passes, the others
 * being hashed whole (deep_finite()). DEEP_PASSES is where more passes
 * cost more than the rounds they save: a round only hash-conses the
 * blocks it splits (split_blocks()); docs/performance.md has the figures.
 */
#define DEEP_PASSES 5

/*
 * The passes run unit by unit: an appended CU's edges stay within it
 * (tgraph.units), so all passes over its nodes read and write a few
 * kilobytes that stay in cache, instead of the whole graph per pass. The
 * hashes are the same as passes over the whole graph would give, and the
 * same for any thread count.
 */
struct deep_range {
	uint32_t lo;
	uint32_t hi;
};

struct deep_queue;

/* One thread's: the chunks of ranges it takes from @q, scratch for the largest range. */
struct deep_part {
	struct tgraph *g;
	uint64_t *deep;
	struct deep_queue *q;
	uint64_t *shape;
	uint64_t *buf[2];	/* the passes' hashes; [0] is void's, 0 */
	uint32_t *first_edge;	/* the range's edges, as indexes into buf */
	uint32_t *edges;
	uint8_t *reach;		/* by index into buf: reaches a FWD */
	/* with early resolution: deep_finite()'s search, and the nodes that reach a cycle */
	uint8_t *state;
	uint32_t (*stack)[2];
	uint32_t *cyclic;
	/* early resolution (struct early), or NULL: the edges this part redirected */
	const uint32_t *to;
	uint32_t (*moved)[2];
	size_t nr_moved;
	size_t moved_cap;
	struct dedup *seed;	/* the first part's: it seeds (deep_seed()) */
	int err;
};

#define GOLDEN 0x9e3779b97f4a7c15ULL

/*
 * Which nodes of the range can reach a FWD. A FWD stands for the
 * definition its own CU sees (tgraph.h: its size is the CU's index), so no
 * type that reaches one equals a type of another CU, however far away the
 * FWD is: the deep hash says so at once, where its passes would need as
 * many as the FWD is far. The marks spread against the edges during the
 * passes (in place: along ascending nodes, a whole chain in one pass) and
 * then by sweeps until they stop changing. A CU's edges lead both ways in
 * node order, so spreading alone takes several sweeps a unit (a search
 * over reversed edges cost more than the passes); after the
 * passes, one sweep finds nothing left. Hand-made chains could take one
 * sweep a link: past MAX_MARK_SWEEPS the range goes unmarked, which costs
 * refinement rounds, not correctness.
 */
#define MAX_MARK_SWEEPS 64

/* Marks the FWDs; false when there are none, or of several CUs (not appended). */
static bool mark_decls(struct deep_part *p, uint32_t lo, uint32_t m, uint32_t *cu)
{
	bool found = false;
	uint32_t i;

	p->reach[0] = 0;
	for (i = 0; i < m; i++) {
		const struct tnode *n = &p->g->nodes[lo + i];

		p->reach[i + 1] = n->kind == BTF_KIND_FWD;
		if (!p->reach[i + 1])
			continue;
		if (found && n->size != *cu) {
			memset(p->reach, 0, m + 1);
			return false;
		}
		*cu = n->size;
		found = true;
	}
	return found;
}

/* Spreads the marks until they hold; false if that takes too many sweeps. */
static bool spread_marks(struct deep_part *p, uint32_t m)
{
	uint8_t *reach = p->reach;
	uint32_t i, k;
	int sweeps;

	for (sweeps = 0; sweeps < MAX_MARK_SWEEPS; sweeps++) {
		bool changed = false;

		for (i = 0; i < m; i++) {
			uint8_t r = reach[i + 1];

			if (r)
				continue;
			for (k = p->first_edge[i]; k < p->first_edge[i + 1]; k++)
				r |= reach[p->edges[k]];
			reach[i + 1] = r;
			changed |= r;
		}
		if (!changed)
			return true;
	}
	return false;
}

/*
 * An edge to a named definition, with early resolution: the same from any
 * CU, and cheap (a struct's members are not hashed for each pointer to it).
 */
static uint64_t atom_hash(const struct tnode *n)
{
	return hash_mix(n->kind | (uint64_t)n->vlen << 16 | 1ULL << 40, (uint64_t)n->name << 32 | n->size);
}

/*
 * Index into the passes' hashes of edge @j of node @i: void, a node of the
 * range, or with early resolution an atom after them (the *@atoms-th).
 * Redirects the edge if it leads to a declaration with a definition.
 */
static uint32_t deep_edge(struct deep_part *p, struct deep_range r, uint32_t i, uint32_t j,
			  uint32_t *atoms)
{
	struct tgraph *g = p->g;
	uint32_t *e = g->edges + g->nodes[i].edge + j, t = *e, s;

	if (!t)
		return 0;
	if (!p->to)
		return t - r.lo + 1;
	if (p->to[t]) {
		if (grow_buf((void **)&p->moved, &p->moved_cap, sizeof(*p->moved),
			     p->nr_moved + 1)) {
			p->err = -ENOMEM;
			return 0;
		}
		p->moved[p->nr_moved][0] = (uint32_t)(e - g->edges);
		p->moved[p->nr_moved][1] = t;
		p->nr_moved++;
		*e = t = p->to[t];
	}
	if (!def_kind(&g->nodes[t]))
		return t - r.lo + 1;
	s = r.hi - r.lo + 1 + (*atoms)++;
	p->buf[0][s] = p->buf[1][s] = atom_hash(&g->nodes[t]);
	return s;
}

/*
 * One pass of the deep hash over a range of @m nodes; @marks: spread the
 * marks of mark_decls() along too. Inlined with @marks a constant: without
 * marks (early resolution, or no FWD in the range) a pass does a load per
 * edge and a load and a store per node less.
 */
static inline __attribute__((always_inline)) void
deep_pass(const struct deep_part *p, uint32_t m, const uint64_t *restrict in,
	  uint64_t *restrict out, bool marks)
{
	const uint32_t *restrict first = p->first_edge, *restrict edges = p->edges;
	const uint64_t *restrict shape = p->shape;
	uint8_t *restrict reach = p->reach;
	uint32_t i, k;

	for (i = 0; i < m; i++) {
		uint64_t h = shape[i], mult = GOLDEN;
		uint8_t mark = marks ? reach[i + 1] : 0;

		/* independent products, one mix: no chain through the edges */
		for (k = first[i]; k < first[i + 1]; k++) {
			h += in[edges[k]] * mult;	/* GOLDEN * (2 * j + 1) */
			mult += 2 * GOLDEN;
			if (marks)
				mark |= reach[edges[k]];
		}
		out[i + 1] = hash_mix(h, first[i + 1] - first[i]);
		if (marks)
			reach[i + 1] = mark;
	}
}

/* Node @i's hash from its shape and its edges' hashes in @in, as a pass makes it. */
static inline uint64_t deep_mix(const struct deep_part *p, uint32_t i, const uint64_t *in)
{
	uint64_t h = p->shape[i], mult = GOLDEN;
	uint32_t k;

	for (k = p->first_edge[i]; k < p->first_edge[i + 1]; k++) {
		h += in[p->edges[k]] * mult;
		mult += 2 * GOLDEN;
	}
	return hash_mix(h, p->first_edge[i + 1] - p->first_edge[i]);
}

/*
 * With early resolution an edge to a named definition is an atom, and
 * what is left of a CU's graph has next to no cycles (C names the types
 * that lead back to themselves). A node that reaches no cycle unfolds
 * into a finite tree, which one search hashes whole, children first: the
 * hash the passes would give with as many passes as the tree is deep.
 * Only nodes that reach a cycle unfold without end and go through the
 * passes; of two equal types either both or neither do, so equal types
 * still get equal hashes. Returns how many there are, in p->cyclic.
 */
enum { DFS_NEW, DFS_OPEN, DFS_OPEN_CYCLIC, DFS_FINITE, DFS_CYCLIC };

static uint32_t deep_finite(struct deep_part *p, uint32_t m)
{
	uint8_t *state = p->state;
	uint32_t (*stack)[2] = p->stack;
	uint32_t s, nr_cyclic = 0;

	memset(state, DFS_NEW, m);
	for (s = 0; s < m; s++) {
		size_t top = 1;

		if (state[s] != DFS_NEW)
			continue;
		state[s] = DFS_OPEN;
		stack[0][0] = s;
		stack[0][1] = p->first_edge[s];
		while (top) {
			uint32_t v = stack[top - 1][0], k = stack[top - 1][1], t;

			if (k < p->first_edge[v + 1]) {
				stack[top - 1][1] = k + 1;
				t = p->edges[k];
				/* void and atoms are leaves */
				if (!t || t > m)
					continue;
				if (state[t - 1] == DFS_NEW) {
					state[t - 1] = DFS_OPEN;
					stack[top][0] = t - 1;
					stack[top][1] = p->first_edge[t - 1];
					top++;
				} else if (state[t - 1] != DFS_FINITE) {
					state[v] = DFS_OPEN_CYCLIC;
				}
				continue;
			}
			top--;
			if (state[v] == DFS_OPEN) {
				p->buf[0][v + 1] = p->buf[1][v + 1] = deep_mix(p, v, p->buf[0]);
				state[v] = DFS_FINITE;
				continue;
			}
			state[v] = DFS_CYCLIC;
			p->cyclic[nr_cyclic++] = v;
			if (top)
				state[stack[top - 1][0]] = DFS_OPEN_CYCLIC;
		}
	}
	return nr_cyclic;
}

#define RANGE_AHEAD 32

static void deep_hash_range(struct deep_part *p, struct deep_range r)
{
	const struct tgraph *g = p->g;
	uint32_t i, m = r.hi - r.lo, ne = 0, cu = 0, atoms = 0;
	uint64_t *deep;
	bool marked;
	int pass;

	/* the edges of the range once, so that the passes read nothing else */
	for (i = 0; i < m; i++) {
		uint32_t j, nr = tnode_nr_edges(&g->nodes[r.lo + i]);

		/*
		 * Edges lead anywhere in the range, whose nodes early resolution
		 * was the last to read: prefetch their targets.
		 */
		if (p->to && i + 2 * RANGE_AHEAD < m)
			__builtin_prefetch(&p->to[r.lo + i + 2 * RANGE_AHEAD]);
		if (p->to && i + RANGE_AHEAD < m)
			__builtin_prefetch(&g->nodes[r.lo + i + RANGE_AHEAD]);
		p->first_edge[i] = ne;
		for (j = 0; j < nr; j++)
			p->edges[ne++] = deep_edge(p, r, r.lo + i, j, &atoms);
		p->shape[i] = p->buf[0][i + 1] = shape_hash(g, r.lo + i);
	}
	p->first_edge[m] = ne;
	p->buf[0][0] = p->buf[1][0] = 0;
	if (p->to) {
		uint32_t nr = deep_finite(p, m), k;

		for (pass = 0; nr && pass < DEEP_PASSES; pass++) {
			const uint64_t *in = p->buf[pass % 2];
			uint64_t *out = p->buf[(pass + 1) % 2];

			for (k = 0; k < nr; k++)
				out[p->cyclic[k] + 1] = deep_mix(p, p->cyclic[k], in);
		}
		memcpy(p->deep + r.lo, p->buf[DEEP_PASSES % 2] + 1, m * sizeof(*p->deep));
		return;
	}
	/* early resolution leaves no FWD standing for its CU alone: no marks */
	marked = mark_decls(p, r.lo, m, &cu);
	for (pass = 0; pass < DEEP_PASSES; pass++) {
		const uint64_t *in = p->buf[pass % 2];
		uint64_t *out = p->buf[(pass + 1) % 2];

		if (marked)
			deep_pass(p, m, in, out, true);
		else
			deep_pass(p, m, in, out, false);
	}
	deep = p->buf[DEEP_PASSES % 2] + 1;
	if (marked && spread_marks(p, m)) {
		for (i = 0; i < m; i++)
			if (p->reach[i + 1])
				deep[i] = hash_mix(deep[i], (uint64_t)cu + 1);
	}
	memcpy(p->deep + r.lo, deep, m * sizeof(*p->deep));
}

/*
 * The threads take the ranges a chunk of about DEEP_CHUNK nodes at a
 * time, and the first thread seeds (hash_cons()) each chunk in node order
 * once it is hashed, between chunks of its own: seeding, which takes one
 * thread, then overlaps the others' hashing instead of following it. One
 * thread hashes all before it seeds: seeding after each chunk of its own
 * hashing, it finds its table pushed out of the caches.
 */
#define DEEP_CHUNK 65536

struct deep_queue {
	pthread_mutex_t lock;
	pthread_cond_t hashed;
	const struct deep_range *ranges;
	size_t *chunks;		/* the first range of each chunk, then the number of ranges */
	size_t nr_chunks;
	size_t next;		/* the next chunk to hash */
	uint8_t *done;		/* by chunk: hashed */
	bool stop;		/* a thread failed */
};

/* The next chunk to hash, or SIZE_MAX when none is left. */
static size_t deep_take(struct deep_queue *q)
{
	size_t k = SIZE_MAX;

	pthread_mutex_lock(&q->lock);
	if (!q->stop && q->next < q->nr_chunks)
		k = q->next++;
	pthread_mutex_unlock(&q->lock);
	return k;
}

static void deep_hash_chunk(struct deep_part *p, size_t k)
{
	struct deep_queue *q = p->q;
	size_t r;

	for (r = q->chunks[k]; r < q->chunks[k + 1] && !p->err; r++)
		deep_hash_range(p, q->ranges[r]);
	pthread_mutex_lock(&q->lock);
	q->done[k] = 1;
	q->stop |= p->err != 0;
	pthread_cond_broadcast(&q->hashed);
	pthread_mutex_unlock(&q->lock);
}


/* The first thread's part: seeds each chunk in turn, hashing while none is ready. */
static int deep_seed(struct dedup *d, struct deep_part *p)
{
	struct deep_queue *q = p->q;
	size_t seeded = 0;
	int err = 0;

	d->nr_cls = 1;	/* void */
	while (seeded < q->nr_chunks) {
		size_t k = SIZE_MAX;
		bool ready;

		pthread_mutex_lock(&q->lock);
		while (!(ready = q->done[seeded]) && !q->stop && q->next == q->nr_chunks)
			pthread_cond_wait(&q->hashed, &q->lock);
		if (!ready && !q->stop)
			k = q->next++;
		err = q->stop ? -ENOMEM : 0;
		pthread_mutex_unlock(&q->lock);
		if (err)
			break;
		if (k != SIZE_MAX) {
			deep_hash_chunk(p, k);
			continue;
		}
		err = hash_cons(d, d->cls, d->rep, &d->nr_cls, q->ranges[q->chunks[seeded]].lo,
				q->ranges[q->chunks[seeded + 1] - 1].hi);
		if (err) {
			pthread_mutex_lock(&q->lock);
			q->stop = true;
			pthread_mutex_unlock(&q->lock);
			break;
		}
		seeded++;
	}
	return err;
}

static int deep_hash_part(void *arg)
{
	struct deep_part *p = arg;
	size_t k;

	if (p->seed)
		return deep_seed(p->seed, p);
	while ((k = deep_take(p->q)) != SIZE_MAX)
		deep_hash_chunk(p, k);
	return 0;
}

/*
 * The units as ranges of nodes, or one range of all nodes when an edge
 * leaves its unit (a graph not made by appending). Nodes before the first
 * unit (a base BTF) are a range of their own. *@largest: the most nodes
 * in one range, *@largest_edges: the most edges.
 */
static struct deep_range *deep_ranges(const struct tgraph *g, size_t n, size_t *nr,
				      uint32_t *largest, size_t *largest_edges)
{
	struct deep_range *r = malloc((g->nr_units + 1) * sizeof(*r));
	size_t k, cnt = 0;
	uint32_t i, lo = 1;

	if (!r)
		return NULL;
	for (k = 0; k <= g->nr_units; k++) {
		uint32_t hi = k < g->nr_units ? g->units[k] : (uint32_t)n;

		if (hi > lo)
			r[cnt++] = (struct deep_range){ lo, hi };
		lo = hi;
	}
	*largest = 0;
	*largest_edges = 0;
	for (k = 0; k < cnt; k++) {
		size_t edges = 0;

		for (i = r[k].lo; i < r[k].hi; i++) {
			const struct tnode *nd = &g->nodes[i];
			const uint32_t *e = g->edges + nd->edge;
			uint32_t j, ne = tnode_nr_edges(nd);

			for (j = 0; j < ne; j++)
				if (e[j] && (e[j] < r[k].lo || e[j] >= r[k].hi))
					goto whole;
			edges += ne;
		}
		if (r[k].hi - r[k].lo > *largest)
			*largest = r[k].hi - r[k].lo;
		if (edges > *largest_edges)
			*largest_edges = edges;
	}
	*nr = cnt;
	return r;
whole:
	r[0] = (struct deep_range){ 1, (uint32_t)n };
	*nr = n > 1;
	*largest = (uint32_t)n;
	*largest_edges = g->nr_edges;
	return r;
}

/* Chunks of about DEEP_CHUNK nodes, whole ranges each; one for all on one thread. */
static int deep_chunks(struct deep_queue *q, const struct deep_range *ranges, size_t nr,
		       unsigned int jobs)
{
	size_t k, in_chunk = 0;

	q->ranges = ranges;
	q->chunks = malloc((nr + 1) * sizeof(*q->chunks));
	q->done = calloc(nr + 1, 1);
	if (!q->chunks || !q->done)
		return -ENOMEM;
	for (k = 0; k < nr; k++) {
		if (!in_chunk)
			q->chunks[q->nr_chunks++] = k;
		in_chunk += ranges[k].hi - ranges[k].lo;
		if (jobs > 1 && in_chunk >= DEEP_CHUNK)
			in_chunk = 0;
	}
	q->chunks[q->nr_chunks] = nr;
	return 0;
}

/* A part's scratch, for ranges of up to @largest nodes and @largest_edges edges. */
static int deep_part_alloc(struct deep_part *p, uint32_t largest, size_t largest_edges)
{
	/* at least one, as malloc(0) may give NULL */
	p->shape = malloc(((size_t)largest + 1) * sizeof(*p->shape));
	/* and room for as many atoms as edges */
	p->buf[0] = malloc((largest + largest_edges + 1) * sizeof(*p->buf[0]));
	p->buf[1] = malloc((largest + largest_edges + 1) * sizeof(*p->buf[1]));
	p->first_edge = malloc(((size_t)largest + 1) * sizeof(*p->first_edge));
	p->edges = malloc(((size_t)largest_edges + 1) * sizeof(*p->edges));
	p->reach = malloc(largest + largest_edges + 1);
	if (p->to) {
		p->state = malloc((size_t)largest + 1);
		p->stack = malloc(((size_t)largest + 1) * sizeof(*p->stack));
		p->cyclic = malloc(((size_t)largest + 1) * sizeof(*p->cyclic));
		if (!p->state || !p->stack || !p->cyclic)
			return -ENOMEM;
	}
	if (!p->shape || !p->buf[0] || !p->buf[1] || !p->first_edge || !p->edges || !p->reach)
		return -ENOMEM;
	return 0;
}

static void deep_part_free(struct deep_part *p)
{
	free(p->moved);
	free(p->shape);
	free(p->buf[0]);
	free(p->buf[1]);
	free(p->first_edge);
	free(p->edges);
	free(p->reach);
	free(p->state);
	free(p->stack);
	free(p->cyclic);
}

/* The parts' errors, then the edges they redirected into @early->moved, in part order. */
static int deep_gather(struct early *early, const struct deep_part *parts, unsigned int jobs)
{
	unsigned int t;
	int ret = 0;

	for (t = 0; !ret && t < jobs; t++)
		ret = parts[t].err;
	for (t = 0; !ret && early && t < jobs; t++) {
		if (!parts[t].nr_moved)
			continue;
		ret = grow_buf((void **)&early->moved, &early->moved_cap, sizeof(*early->moved),
			       early->nr_moved + parts[t].nr_moved);
		if (ret)
			break;
		memcpy(early->moved + early->nr_moved, parts[t].moved,
		       parts[t].nr_moved * sizeof(*early->moved));
		early->nr_moved += parts[t].nr_moved;
	}
	return ret;
}

/*
 * The deep hash of every node and the seeded blocks (d->cls, d->rep,
 * d->nr_cls, hash-consed in d->slots) on @jobs threads; @to: early
 * resolution's definitions, or NULL. d->cls may be @to itself: a chunk is
 * seeded only once hashed, and hashing reads @to within its chunk alone.
 */
static int deep_hash(struct dedup *d, unsigned int jobs, struct early *early, const uint32_t *to)
{
	struct deep_queue q = { .lock = PTHREAD_MUTEX_INITIALIZER,
				.hashed = PTHREAD_COND_INITIALIZER };
	struct deep_part *parts = NULL;
	struct deep_range *ranges;
	size_t nr = 0, largest_edges = 0;
	uint32_t largest = 0;
	unsigned int t;
	int ret = -ENOMEM;

	if (jobs < 1)
		jobs = 1;
	ranges = deep_ranges(d->g, d->n, &nr, &largest, &largest_edges);
	d->deep = malloc(d->n * sizeof(*d->deep));
	parts = calloc(jobs, sizeof(*parts));
	if (!ranges || !d->deep || !parts || deep_chunks(&q, ranges, nr, jobs))
		goto out;
	d->deep[0] = 0;
	d->cls[0] = 0;
	d->rep[0] = 0;
	memset(d->slots, 0, d->nslots * sizeof(*d->slots));
	for (t = 0; t < jobs; t++) {
		parts[t].g = d->g;
		parts[t].deep = d->deep;
		parts[t].q = &q;
		parts[t].to = to;
		if (deep_part_alloc(&parts[t], largest, largest_edges))
			goto out;
	}
	parts[0].seed = d;
	ret = workers__run(jobs, deep_hash_part, parts, sizeof(*parts), NULL);
	if (!ret)
		ret = deep_gather(early, parts, jobs);
out:
	for (t = 0; parts && t < jobs; t++)
		deep_part_free(&parts[t]);
	free(q.chunks);
	free(q.done);
	pthread_cond_destroy(&q.hashed);
	pthread_mutex_destroy(&q.lock);
	free(ranges);
	free(parts);
	return ret;
}

/*
 * Each round tells blocks apart by one more edge of what they lead to. The
 * deep hash has looked DEEP_PASSES edges ahead already, so real input is
 * stable at once or after a round or two, which
 * partition_split() finds without a table. Only chains of many types
 * that differ at their far end alone (a pointer to a pointer to ...,
 * thousands deep) need more where the deep hash does not take them in
 * whole (without early resolution, or reaching a cycle), at two passes
 * over the whole graph per link: hand-made DWARF could keep this busy for
 * hours. Such input is refused.
 */
#define MAX_ROUNDS 256

struct stable_part {
	const struct dedup *d;
	const uint32_t *rep;
	/* the nodes of the blocks the last round split, or NULL: check all */
	const uint64_t *moved;
	uint32_t lo;
	uint32_t hi;
	uint32_t *split;	/* blocks with a node that disagrees with their rep */
	size_t nr_split;
	size_t split_cap;
	int err;
};

/* Is node @i, or a target of its edges, in a block the last round split? */
static bool near_moved(const struct dedup *d, const uint64_t *moved, uint32_t i)
{
	const struct tnode *n = &d->g->nodes[i];
	const uint32_t *e = d->g->edges + n->edge;
	uint32_t j, ne = tnode_nr_edges(n);

	if (bit_test(moved, i))
		return true;
	for (j = 0; j < ne; j++)
		if (bit_test(moved, e[j]))
			return true;
	return false;
}

static int stable_part(void *arg)
{
	struct stable_part *p = arg;
	uint32_t i;

	for (i = p->lo; i < p->hi; i++) {
		uint32_t c = p->d->cls[i], r = p->rep[c];

		if (p->moved && !near_moved(p->d, p->moved, i))
			continue;
		if (r == i || edges_equal(p->d, r, i))
			continue;
		if (p->nr_split && p->split[p->nr_split - 1] == c)
			continue;
		p->err = grow_buf((void **)&p->split, &p->split_cap, sizeof(*p->split),
				  p->nr_split + 1);
		if (p->err)
			break;
		p->split[p->nr_split++] = c;
	}
	return p->err;
}

/*
 * Which blocks a round would split: those with a node whose edges do not
 * lead into the blocks its block's first node (rep) leads into. That
 * needs no table and only reads, so the nodes are shared out between the
 * threads. Sets (*@split)[b] for each, or leaves *@split NULL if none.
 *
 * After a round (@moved: the nodes of the blocks it split) only a node of
 * such a block, or one with an edge into one, can disagree: every other
 * node agreed with its rep before, the rep is still its block's first
 * node, and the targets of their edges are still in one block each. A
 * round splits few nodes, so the check after it reads a bit for each node
 * and edge instead of both nodes' edges and blocks.
 */
static int partition_split(const struct dedup *d, const uint32_t *rep, unsigned int jobs,
			   const uint64_t *moved, uint8_t **split)
{
	struct stable_part *parts;
	unsigned int t;
	size_t k;
	int err;

	*split = NULL;
	if (jobs < 1)
		jobs = 1;
	parts = calloc(jobs, sizeof(*parts));
	if (!parts)
		return -ENOMEM;
	for (t = 0; t < jobs; t++)
		parts[t] = (struct stable_part){
			.d = d, .rep = rep, .moved = moved,
			.lo = (uint32_t)(d->n * t / jobs), .hi = (uint32_t)(d->n * (t + 1) / jobs),
		};
	err = workers__run(jobs, stable_part, parts, sizeof(*parts), NULL);
	for (t = 0; !err && t < jobs; t++) {
		err = parts[t].err;
		if (err || !parts[t].nr_split)
			continue;
		if (!*split)
			*split = zalloc(d->nr_cls, sizeof(**split));
		if (!*split) {
			err = -ENOMEM;
			break;
		}
		for (k = 0; k < parts[t].nr_split; k++)
			(*split)[parts[t].split[k]] = 1;
	}
	for (t = 0; t < jobs; t++)
		free(parts[t].split);
	free(parts);
	return err;
}

/*
 * A round of hash-consing (block, blocks of the edge targets) over the
 * blocks marked in @split alone: the others would come out of it as they
 * are. Each split block's first part keeps its number, the others get new
 * ones; then all are numbered again in order of first appearance, as
 * hash_cons() numbers them, and d->rep gets their first nodes. Marks the
 * nodes of the split blocks in @moved.
 */
static int split_blocks(struct dedup *d, uint8_t *split, uint64_t *moved)
{
	uint32_t *nodes = NULL, *ids = NULL, *slots = NULL, *map = NULL, nr = d->nr_cls, next = 0;
	size_t cnt = 0, i, k, mask = 1023;
	int ret = -ENOMEM;

	for (i = 1; i < d->n; i++)
		cnt += split[d->cls[i]];
	while (mask + 1 < cnt * 2)
		mask = mask * 2 + 1;
	nodes = malloc(cnt * sizeof(*nodes));
	ids = malloc(cnt * sizeof(*ids));
	slots = zalloc(mask + 1, sizeof(*slots));
	if (!nodes || !ids || !slots)
		goto out;
	for (i = 1, k = 0; i < d->n; i++) {
		if (!split[d->cls[i]])
			continue;
		nodes[k++] = (uint32_t)i;
		bit_test_set(moved, (uint32_t)i);
		d->defs_split = d->defs_split || def_kind(&d->g->nodes[i]);
	}
	for (k = 0; k < cnt; k++) {
		uint32_t x = nodes[k], c = d->cls[x];
		size_t s;

		for (s = edges_hash(d, x) & mask; slots[s]; s = (s + 1) & mask)
			if (edges_equal(d, nodes[slots[s] - 1], x))
				break;
		if (slots[s]) {
			ids[k] = ids[slots[s] - 1];
			continue;
		}
		slots[s] = (uint32_t)k + 1;
		/* 2: the block's number is taken */
		ids[k] = split[c] == 1 ? c : nr++;
		split[c] = 2;
	}
	for (k = 0; k < cnt; k++)
		d->cls[nodes[k]] = ids[k];
	map = malloc(nr * sizeof(*map));
	if (!map)
		goto out;
	memset(map, 0xff, nr * sizeof(*map));
	for (i = 0; i < d->n; i++) {
		uint32_t c = d->cls[i];

		if (map[c] == UINT32_MAX) {
			map[c] = next;
			d->rep[next++] = (uint32_t)i;
		}
		d->cls[i] = map[c];
	}
	d->nr_cls = next;
	ret = 0;
out:
	free(nodes);
	free(ids);
	free(slots);
	free(map);
	return ret;
}

/*
 * Seeds the blocks and splits them until stable: 0, -ENOMEM, -ELOOP, or 1
 * when @early turns out not to hold already after seeding.
 */
static int dedup_refine(struct dedup *d, unsigned int jobs, struct early *early, uint32_t *rounds)
{
	const uint32_t *to = early ? early->to : NULL;
	uint8_t *split = NULL;
	uint64_t *moved = NULL;
	int err;

	/*
	 * With early resolution seeding leaves few blocks for the nodes, and a
	 * table that fits the caches is faster; without it more than half as
	 * many, and the table is half full at once, as a doubling would rehash
	 * a million blocks from random places.
	 */
	d->nslots = 1024;
	while (d->nslots < (early ? d->n / 16 : d->n))
		d->nslots *= 2;
	/*
	 * The blocks take over the array of declarations' definitions, whose
	 * pages are in memory: new pages cost a page fault each.
	 */
	if (early) {
		d->cls = early->to;
		early->to = NULL;
	} else {
		d->cls = malloc(d->n * sizeof(*d->cls));
	}
	d->rep = malloc(d->n * sizeof(*d->rep));
	d->slots = malloc(d->nslots * sizeof(*d->slots));
	if (!d->cls || !d->rep || !d->slots)
		return -ENOMEM;
	*rounds = 0;
	err = deep_hash(d, jobs, early, to);
	if (err)
		return err;
	free(d->deep);
	d->deep = NULL;
	/* rounds only split: a name whose definitions are apart now stays so */
	if (early) {
		err = early_holds(d->g, d->n, d->cls, early, jobs);
		if (err <= 0)
			return err ? err : 1;
	}
	err = partition_split(d, d->rep, jobs, NULL, &split);
	while (!err && split) {
		size_t words = d->n / 64 + 1;

		if (*rounds == MAX_ROUNDS) {
			err = -ELOOP;
			break;
		}
		if (!moved)
			moved = malloc(words * sizeof(*moved));
		if (!moved) {
			err = -ENOMEM;
			break;
		}
		memset(moved, 0, words * sizeof(*moved));
		err = split_blocks(d, split, moved);
		free(split);
		split = NULL;
		(*rounds)++;
		if (!err)
			err = partition_split(d, d->rep, jobs, moved, &split);
	}
	free(split);
	free(moved);
	if (!err) {
		/* merging keeps them: as many as blocks */
		uint32_t *rep = realloc(d->rep, d->nr_cls * sizeof(*rep));

		if (rep)
			d->rep = rep;
	}
	free(d->slots);
	d->slots = NULL;
	return err;
}

/*
 * Refinement, with the declarations resolved before it (struct early)
 * unless that turns out not to be exact: then as without.
 */
static int dedup_refine_all(struct dedup *d, const struct dedup_opts *opts, struct dedup_stats *stats)
{
	struct early e = { 0 };
	uint32_t rounds = 0;
	bool refined;
	int ret;

	/* a base's declarations stay what they are: merging knows how */
	if (opts->no_early || opts->base)
		return dedup_refine(d, opts->jobs, NULL, &stats->rounds);
	ret = early_begin(d->g, d->n, &e, opts->jobs);
	refined = !ret;
	if (!ret)
		ret = dedup_refine(d, opts->jobs, &e, &stats->rounds);
	if (!ret && d->defs_split) {
		ret = early_holds(d->g, d->n, d->cls, &e, opts->jobs);
		ret = ret < 0 ? ret : !ret;
	}
	if (!ret)
		stats->decls_early = e.nr_decls;
	if (ret <= 0 && ret != -ELOOP)
		goto out;
	if (ret == 1 && opts->verbose && opts->log) {
		const struct tnode *n = &d->g->nodes[e.bad];
		uint8_t k = def_kind(n) ? def_kind(n) : decl_kind(n);

		fprintf(opts->log, "dwarf2btf: dedup: %s %s has different definitions: its declarations are resolved by merging\n",
			d2b_btf_kind_word(k), strset__str(d->g->strs, n->name));
	}
	early_undo(d->g, &e);
	free(d->cls);
	free(d->rep);
	free(d->slots);
	d->cls = d->rep = NULL;
	d->slots = NULL;
	stats->early_undone = true;
	stats->early_refined = refined;
	ret = dedup_refine(d, opts->jobs, NULL, &rounds);
	stats->rounds += rounds;
out:
	early_free(&e);
	return ret;
}

/*
 * The merge phase: union-find over the blocks of the refined partition.
 * Trial unifications log every parent they write, so that a failed trial
 * is undone exactly.
 */
struct merge {
	struct dedup *d;
	uint32_t *parent;
	uint32_t *rep;		/* first node of each refined block */
	uint32_t (*log)[2];	/* block, old parent */
	size_t nlog;
	size_t logcap;
	uint32_t (*stack)[2];
	size_t nstack;
	size_t stackcap;
	uint64_t steps;		/* pairs dedup_unify() looked at, all trials */
	uint64_t budget;
	uint64_t *pairs;	/* pair_seen(): open addressing, 0 = empty */
	size_t pairs_cap;
	size_t *pair_slots;	/* the slots in use, to empty them */
	size_t nr_pairs;
	size_t pair_slots_cap;
	/*
	 * The blocks that were roots when last listed, in order: after
	 * merging same-named types a few percent of the blocks, which the
	 * later passes need alone.
	 */
	uint32_t *roots;
	size_t nr_roots;
};

static uint32_t uf_find(const struct merge *m, uint32_t c)
{
	while (m->parent[c] != c)
		c = m->parent[c];
	return c;
}

/* Find with path compression: only outside trials, which must stay undoable. */
static uint32_t uf_find_compress(struct merge *m, uint32_t c)
{
	uint32_t root = uf_find(m, c);

	while (m->parent[c] != root) {
		uint32_t next = m->parent[c];

		m->parent[c] = root;
		c = next;
	}
	return root;
}

/* Drops from m->roots the blocks joined to others since; joins never make a root. */
static void roots_refresh(struct merge *m)
{
	size_t k, kept = 0;

	for (k = 0; k < m->nr_roots; k++)
		if (uf_find_compress(m, m->roots[k]) == m->roots[k])
			m->roots[kept++] = m->roots[k];
	m->nr_roots = kept;
}

/* Joins two roots; a definition stays root over a declaration, else the older block. */
static int uf_link(struct merge *m, uint32_t a, uint32_t b)
{
	const struct tgraph *g = m->d->g;
	bool da = decl_target_kind(&g->nodes[m->rep[a]]) != 0;
	bool db = decl_target_kind(&g->nodes[m->rep[b]]) != 0;
	uint32_t root = a, child = b;
	int err;

	if (da != db ? da : b < a) {
		root = b;
		child = a;
	}
	err = grow_buf((void **)&m->log, &m->logcap, sizeof(*m->log), m->nlog + 1);
	if (err)
		return err;
	m->log[m->nlog][0] = child;
	m->log[m->nlog][1] = m->parent[child];
	m->nlog++;
	m->parent[child] = root;
	return 0;
}

static int push_pair(struct merge *m, uint32_t a, uint32_t b)
{
	int err = grow_buf((void **)&m->stack, &m->stackcap, sizeof(*m->stack), m->nstack + 1);

	if (err)
		return err;
	m->stack[m->nstack][0] = a;
	m->stack[m->nstack][1] = b;
	m->nstack++;
	return 0;
}

/* Pairs a trial compared without joining them; emptied after each trial. */
static int pair_seen(struct merge *m, uint32_t x, uint32_t y, bool *seen)
{
	uint64_t key = ((uint64_t)x << 32 | y) + 1;
	size_t i;
	int err;

	if ((m->nr_pairs + 1) * 2 > m->pairs_cap) {
		size_t ncap = m->pairs_cap ? m->pairs_cap * 2 : 1024, k;
		uint64_t *np = zalloc(ncap, sizeof(*np));

		if (!np)
			return -ENOMEM;
		for (k = 0; k < m->pairs_cap; k++) {
			if (!m->pairs[k])
				continue;
			i = hash_mix(0, m->pairs[k]) & (ncap - 1);
			while (np[i])
				i = (i + 1) & (ncap - 1);
			np[i] = m->pairs[k];
		}
		free(m->pairs);
		m->pairs = np;
		m->pairs_cap = ncap;
	}
	for (i = hash_mix(0, key) & (m->pairs_cap - 1); m->pairs[i]; i = (i + 1) & (m->pairs_cap - 1)) {
		if (m->pairs[i] == key) {
			*seen = true;
			return 0;
		}
	}
	err = grow_buf((void **)&m->pair_slots, &m->pair_slots_cap, sizeof(*m->pair_slots),
		       m->nr_pairs + 1);
	if (err)
		return err;
	m->pairs[i] = key;
	m->pair_slots[m->nr_pairs++] = i;
	*seen = false;
	return 0;
}

static void pairs_clear(struct merge *m)
{
	size_t i;

	for (i = 0; i < m->nr_pairs; i++)
		m->pairs[m->pair_slots[i]] = 0;
	m->nr_pairs = 0;
}

/*
 * Can blocks @a and @b be one type, if each declaration may stand for a
 * definition of its name (consistently: a declaration is bound once)? On
 * success the blocks and everything the proof needed stay joined; on
 * failure nothing changes. Returns 1, 0, or -errno.
 */
static int dedup_unify(struct merge *m, uint32_t a, uint32_t b)
{
	const struct dedup *d = m->d;
	const struct tgraph *g = d->g;
	size_t mark = m->nlog;
	int err;

	/* out of budget: the two stay apart, which is correct if less compact */
	if (m->steps >= m->budget) {
		m->d->merge_cut_short = true;
		return 0;
	}
	m->nstack = 0;
	err = push_pair(m, a, b);
	while (!err && m->nstack) {
		uint32_t x, y, nx, ny, j;
		uint8_t dx, dy;

		if (++m->steps > m->budget) {
			m->d->merge_cut_short = true;
			goto mismatch;
		}
		m->nstack--;
		x = uf_find(m, m->stack[m->nstack][0]);
		y = uf_find(m, m->stack[m->nstack][1]);
		if (x == y)
			continue;
		nx = m->rep[x];
		ny = m->rep[y];
		dx = decl_target_kind(&g->nodes[nx]);
		dy = decl_target_kind(&g->nodes[ny]);
		if (g->nodes[nx].name != g->nodes[ny].name)
			goto mismatch;
		/*
		 * A base declaration matches a definition of ours of its name
		 * here, where a type of ours is found equal to a base type;
		 * the two stay apart, as the base cannot change ...
		 */
		if ((g->nodes[nx].flags & TNODE_BASE) != (g->nodes[ny].flags & TNODE_BASE)) {
			const struct tnode *bn = g->nodes[nx].flags & TNODE_BASE ? &g->nodes[nx] :
										   &g->nodes[ny];
			const struct tnode *on = bn == &g->nodes[nx] ? &g->nodes[ny] : &g->nodes[nx];
			uint8_t k = decl_kind(bn);

			/*
			 * ... and a declaration of ours, the base's: not joined
			 * either, so that ours may still find its definition
			 * among our types; an unresolved one joins the base's
			 * in close_congruence().
			 */
			if (k && (k == def_kind(on) || k == decl_target_kind(on)))
				continue;
		}
		if (dx || dy) {
			uint8_t kx = dx ? dx : def_kind(&g->nodes[nx]);
			uint8_t ky = dy ? dy : def_kind(&g->nodes[ny]);

			if (kx != ky || !kx)
				goto mismatch;
			err = uf_link(m, x, y);
			continue;
		}
		if (!shape_equal(g, nx, ny))
			goto mismatch;
		/*
		 * Between a base type and one of ours, only structs and unions
		 * are joined: a pointer of ours to our definition of a type the
		 * base only declares must stay ours, as in libbpf. The pair is
		 * remembered instead, so that cycles end.
		 */
		if ((g->nodes[nx].flags & TNODE_BASE) != (g->nodes[ny].flags & TNODE_BASE) &&
		    g->nodes[nx].kind != BTF_KIND_STRUCT && g->nodes[nx].kind != BTF_KIND_UNION) {
			bool seen;

			err = pair_seen(m, x, y, &seen);
			if (err || seen)
				continue;
		} else {
			err = uf_link(m, x, y);
		}
		for (j = 0; !err && j < tnode_nr_edges(&g->nodes[nx]); j++)
			err = push_pair(m, d->cls[g->edges[g->nodes[nx].edge + j]],
					d->cls[g->edges[g->nodes[ny].edge + j]]);
	}
	pairs_clear(m);
	if (!err) {
		/* joined for good: nothing will undo this trial */
		m->nlog = mark;
		return 1;
	}
mismatch:
	pairs_clear(m);
	while (m->nlog > mark) {
		m->nlog--;
		m->parent[m->log[m->nlog][0]] = m->log[m->nlog][1];
	}
	return err;
}

/* Named kinds whose same-named blocks are tried against each other. */
static bool is_candidate(const struct tnode *n)
{
	switch (n->kind) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_FUNC:
		return n->name != 0;
	default:
		return false;
	}
}

/*
 * The walks of one unit's named blocks read its nodes, edges and blocks
 * in the order of its types' references, each a cache miss: ask for all
 * of them at once, as a stream, when the first block of the unit comes up.
 * Blocks are in order of their first nodes, so units come up in order.
 */
#define CACHE_LINE 64

struct unit_stream {
	size_t unit;
	uint32_t end;		/* the unit's nodes end before this one */
};

static void prefetch_range(const void *p, size_t bytes)
{
	const char *b = p;
	size_t i;

	for (i = 0; i < bytes; i += CACHE_LINE)
		__builtin_prefetch(b + i);
}

static void prefetch_unit(const struct merge *m, struct unit_stream *u, uint32_t c)
{
	const struct dedup *d = m->d;
	const struct tgraph *g = d->g;
	uint32_t r = m->rep[c], lo, hi;
	size_t e_lo, e_hi, blocks;

	if (r < u->end || !g->nr_units || r < g->units[0])
		return;
	while (u->unit + 1 < g->nr_units && g->units[u->unit + 1] <= r)
		u->unit++;
	lo = g->units[u->unit];
	hi = u->unit + 1 < g->nr_units ? g->units[u->unit + 1] : (uint32_t)d->n;
	u->end = hi;
	e_lo = g->nodes[lo].edge;
	e_hi = hi < d->n ? g->nodes[hi].edge : g->nr_edges;
	prefetch_range(&g->nodes[lo], (hi - lo) * sizeof(*g->nodes));
	prefetch_range(&d->cls[lo], (hi - lo) * sizeof(*d->cls));
	if (e_hi > e_lo)
		prefetch_range(&g->edges[e_lo], (e_hi - e_lo) * sizeof(*g->edges));
	/* the blocks first seen in it: at most one a node */
	blocks = d->nr_cls - c < hi - lo ? d->nr_cls - c : hi - lo;
	prefetch_range(&m->parent[c], blocks * sizeof(*m->parent));
	prefetch_range(&m->rep[c], blocks * sizeof(*m->rep));
}

/*
 * Each named block is joined to the first earlier block of its kind and
 * name it unifies with, as a type may have several genuinely different
 * definitions under one name.
 */
static int merge_named(struct merge *m)
{
	struct dedup *d = m->d;
	struct name_map map = { 0 };
	struct unit_stream stream = { 0 };
	uint32_t *next, nr_canon = 0;
	size_t nr = 0, c;
	int ret = 0;

	for (c = 1; c < d->nr_cls; c++)
		nr += is_candidate(&d->g->nodes[m->rep[c]]);
	next = zalloc(d->nr_cls, sizeof(*next));	/* chains of canonical blocks */
	if (name_map__init(&map, nr) || !next) {
		ret = -ENOMEM;
		goto out;
	}
	for (c = 1; c < d->nr_cls; c++) {
		const struct tnode *n = &d->g->nodes[m->rep[c]];
		uint32_t *head, k, last = 0;
		bool found, merged = false;

		if (!is_candidate(n) || uf_find(m, (uint32_t)c) != c)
			continue;
		prefetch_unit(m, &stream, (uint32_t)c);
		head = name_map__slot(&map, n->kind, n->name, &found);
		for (k = found ? *head : 0; k; last = k, k = next[k]) {
			ret = dedup_unify(m, k, (uint32_t)c);
			if (ret < 0)
				goto out;
			if (ret) {
				merged = true;
				break;
			}
		}
		ret = 0;
		if (merged)
			continue;
		if (last)
			next[last] = (uint32_t)c;
		else
			*head = (uint32_t)c;
		nr_canon++;
	}
out:
	name_map__free(&map);
	free(next);
	return ret;
}

/*
 * Declarations no context bound: to the one definition of their name if
 * there is exactly one; with @join_rest, the others of a name become one.
 * Adds the number of joins to *@joined.
 */
static int merge_decls(struct merge *m, bool join_rest, size_t *joined)
{
	struct dedup *d = m->d;
	struct name_map defs = { 0 }, decls = { 0 };
	size_t nr_defs = 0, nr_decls = 0, k;
	int ret = 0;

	roots_refresh(m);
	/* sized by the names they hold, far fewer than the blocks */
	for (k = 0; k < m->nr_roots; k++) {
		const struct tnode *n = &d->g->nodes[m->rep[m->roots[k]]];

		nr_defs += !!def_kind(n);
		nr_decls += !!decl_target_kind(n);
	}
	if (name_map__init(&defs, nr_defs) || name_map__init(&decls, join_rest ? nr_decls : 0)) {
		ret = -ENOMEM;
		goto out;
	}
	for (k = 0; k < m->nr_roots; k++) {
		uint32_t c = m->roots[k];
		const struct tnode *n = &d->g->nodes[m->rep[c]];
		uint8_t kind = def_kind(n);
		uint32_t *v;
		bool found;

		if (!kind || uf_find(m, c) != c)
			continue;
		v = name_map__slot(&defs, kind, n->name, &found);
		*v = found ? AMBIGUOUS : c;
	}
	for (k = 0; k < m->nr_roots && !ret; k++) {
		uint32_t c = m->roots[k];
		const struct tnode *n = &d->g->nodes[m->rep[c]];
		uint8_t kind = decl_target_kind(n);
		const uint32_t *def;
		uint32_t *v;
		bool found;

		if (!kind || uf_find(m, c) != c)
			continue;
		def = name_map__find(&defs, kind, n->name);
		if (def && *def != AMBIGUOUS) {
			ret = uf_link(m, *def, c);
			(*joined)++;
			continue;
		}
		if (!join_rest)
			continue;
		v = name_map__slot(&decls, kind, n->name, &found);
		if (found) {
			ret = uf_link(m, *v, c);
			(*joined)++;
		} else {
			*v = c;
		}
	}
out:
	name_map__free(&defs);
	name_map__free(&decls);
	return ret;
}

/*
 * With @by_name, declarations compare by what they declare, whatever their
 * CU; else as any node.
 */
static bool shape_equal_merged(const struct tgraph *g, uint32_t a, uint32_t b, bool by_name)
{
	const struct tnode *x = &g->nodes[a], *y = &g->nodes[b];

	if (by_name && x->kind == BTF_KIND_FWD)
		return y->kind == BTF_KIND_FWD && x->name == y->name && x->kflag == y->kflag;
	return shape_equal(g, a, b);
}

static uint64_t shape_hash_merged(const struct tgraph *g, uint32_t i, bool by_name)
{
	const struct tnode *n = &g->nodes[i];

	if (by_name && n->kind == BTF_KIND_FWD)
		return hash_mix(n->kind | (uint64_t)n->kflag << 8, n->name);
	return shape_hash(g, i);
}

/*
 * Joins made above can make other blocks equal (two pointers, one to a
 * declaration now joined to the definition the other points to): hash-cons
 * the blocks again until nothing more joins.
 *
 * Each block's shape hash and edge targets are gathered once, so that a
 * pass after the first reads only those and looks up again only the
 * blocks an edge of which now leads to another root (the later passes
 * join a few hundred blocks, then a few). The
 * table is kept from pass to pass: an entry of a block whose key has
 * changed since stays where it was, harmless as entries are only compared
 * afresh; and each block not looked up again still has an entry for its
 * key, so that a block moving to that key finds it.
 */
struct congruence {
	uint32_t *slots;	/* blocks by key, 0 = empty */
	size_t mask;
	size_t used;
	uint32_t *first;	/* per root k: its targets from targets[first[k]] */
	uint32_t *targets;	/* edge targets, as the roots they last led to */
	uint64_t *shape;	/* per root k: shape_hash_merged() */
	bool by_name;
};

static void congruence_free(struct congruence *cc)
{
	free(cc->slots);
	free(cc->first);
	free(cc->shape);
	free(cc->targets);
}

/* The table, and each root's shape hash and edge targets. */
static int congruence_gather(struct merge *m, struct congruence *cc)
{
	const struct tgraph *g = m->d->g;
	size_t nslots = 1024, nr_targets = 0, k;

	/* a table for the blocks left, far fewer than refinement's */
	roots_refresh(m);
	while (nslots < m->nr_roots * 2)
		nslots *= 2;
	cc->mask = nslots - 1;
	cc->slots = zalloc(nslots, sizeof(*cc->slots));
	cc->first = malloc((m->nr_roots + 1) * sizeof(*cc->first));
	cc->shape = malloc((m->nr_roots + 1) * sizeof(*cc->shape));
	if (!cc->slots || !cc->first || !cc->shape)
		return -ENOMEM;
	for (k = 0; k < m->nr_roots; k++)
		nr_targets += tnode_nr_edges(&g->nodes[m->rep[m->roots[k]]]);
	cc->targets = malloc((nr_targets + 1) * sizeof(*cc->targets));
	if (!cc->targets)
		return -ENOMEM;
	nr_targets = 0;
	for (k = 0; k < m->nr_roots; k++) {
		uint32_t r = m->rep[m->roots[k]], j;
		const struct tnode *n = &g->nodes[r];

		cc->first[k] = (uint32_t)nr_targets;
		cc->shape[k] = shape_hash_merged(g, r, cc->by_name);
		for (j = 0; j < tnode_nr_edges(n); j++)
			cc->targets[nr_targets++] = m->d->cls[g->edges[n->edge + j]];
	}
	cc->first[m->nr_roots] = (uint32_t)nr_targets;
	return 0;
}

/*
 * Looks root @k up again if an edge of it now leads to another root than
 * on the last pass (any root when @all): joins it to an equal block
 * entered under its key, or enters it. *@joined counts the joins.
 */
static int congruence_visit(struct merge *m, struct congruence *cc, size_t k, bool all,
			    size_t *joined)
{
	struct dedup *d = m->d;
	const struct tgraph *g = d->g;
	uint32_t c = m->roots[k], r = m->rep[c], j, *t = cc->targets + cc->first[k];
	uint32_t ne = cc->first[k + 1] - cc->first[k];
	bool moved = all;
	uint64_t h;
	size_t s;
	int err;

	if (uf_find_compress(m, c) != c)
		return 0;
	for (j = 0; j < ne; j++) {
		uint32_t root = uf_find_compress(m, t[j]);

		moved |= root != t[j];
		t[j] = root;
	}
	if (!moved)
		return 0;
	h = cc->shape[k];
	for (j = 0; j < ne; j++)
		h = hash_mix(h, t[j]);
	for (s = h & cc->mask;; s = (s + 1) & cc->mask) {
		uint32_t o = cc->slots[s], or;

		if (!o) {
			cc->slots[s] = c;
			cc->used++;
			return 0;
		}
		o = uf_find(m, o);
		if (o == c)
			continue;
		or = m->rep[o];
		if (!shape_equal_merged(g, or, r, cc->by_name))
			continue;
		for (j = 0; j < ne; j++)
			if (uf_find(m, d->cls[g->edges[g->nodes[or].edge + j]]) != t[j])
				break;
		if (j < ne)
			continue;
		err = uf_link(m, o, c);
		if (!err)
			(*joined)++;
		return err;
	}
}

static int close_congruence(struct merge *m, bool decls_by_name)
{
	struct congruence cc = { .by_name = decls_by_name };
	size_t nslots, k, joined;
	bool all = true;
	int err;

	err = congruence_gather(m, &cc);
	if (err)
		goto out;
	nslots = cc.mask + 1;
	do {
		joined = 0;
		/* stale entries fill the table only slowly; past 3/4 start afresh */
		if (cc.used + m->nr_roots > nslots / 4 * 3) {
			memset(cc.slots, 0, nslots * sizeof(*cc.slots));
			cc.used = 0;
			all = true;
		}
		for (k = 0; k < m->nr_roots; k++) {
			err = congruence_visit(m, &cc, k, all, &joined);
			if (err)
				goto out;
		}
		all = false;
		m->nlog = 0;
	} while (joined);
out:
	congruence_free(&cc);
	return err;
}

/*
 * The last pass over the nodes, by ranges in parallel: each node's block
 * becomes its merged block, and declarations joined to a definition die.
 * What the encoder needs of the nodes is gathered on the way (struct
 * dedup_result: each block's first node alive, the FUNCs and DECL_TAGs in
 * node order, the blocks with a root type), so that the nodes, the largest
 * array, are read once here instead of four times on one thread.
 */
struct settle_part {
	struct dedup *d;
	const uint32_t *root;	/* by refined block: its merged block */
	const uint32_t *rep;	/* by merged block: a node of it */
	uint32_t lo;
	uint32_t hi;
	uint64_t *seen;		/* by block: a node alive in [lo, hi) */
	uint64_t *rooted;	/* by block: a root type alive in [lo, hi) */
	uint32_t (*firsts)[2];	/* block, its first node alive in [lo, hi) */
	size_t nr_firsts;
	size_t firsts_cap;
	uint32_t *funcs;
	size_t nr_funcs;
	size_t funcs_cap;
	uint32_t *tags;
	size_t nr_tags;
	size_t tags_cap;
	uint32_t fwds_resolved;
	int err;
};

static int dedup_push_u32(uint32_t **a, size_t *nr, size_t *cap, uint32_t v)
{
	int err = grow_buf((void **)a, cap, sizeof(**a), *nr + 1);

	if (!err)
		(*a)[(*nr)++] = v;
	return err;
}

static int dedup_settle_part(void *arg)
{
	struct settle_part *p = arg;
	struct dedup *d = p->d;
	const struct tnode *nodes = d->g->nodes;
	uint32_t i;

	for (i = p->lo; i < p->hi && !p->err; i++) {
		const struct tnode *n = &nodes[i];
		uint32_t root = p->root[d->cls[i]];

		d->cls[i] = root;
		/* a declaration joined to a definition is written as that definition */
		if (decl_target_kind(n) && !decl_target_kind(&nodes[p->rep[root]])) {
			d->dead[i] = true;
			p->fwds_resolved++;
			continue;
		}
		if (!bit_test_set(p->seen, root)) {
			p->err = grow_buf((void **)&p->firsts, &p->firsts_cap, sizeof(*p->firsts),
					  p->nr_firsts + 1);
			if (p->err)
				break;
			p->firsts[p->nr_firsts][0] = root;
			p->firsts[p->nr_firsts][1] = i;
			p->nr_firsts++;
		}
		if (n->kind == BTF_KIND_FUNC) {
			if (!(n->flags & TNODE_BASE))
				p->err = dedup_push_u32(&p->funcs, &p->nr_funcs, &p->funcs_cap, i);
		} else if (n->kind == BTF_KIND_DECL_TAG) {
			p->err = dedup_push_u32(&p->tags, &p->nr_tags, &p->tags_cap, i);
		} else if (n->flags & TNODE_ROOT) {
			bit_test_set(p->rooted, root);
		}
	}
	return p->err;
}

static int dedup_settle(struct merge *m, unsigned int jobs, struct dedup_stats *stats)
{
	struct dedup *d = m->d;
	size_t words = (d->nr_cls + 63) / 64, k;
	struct settle_part *parts;
	unsigned int t;
	uint32_t c;
	int ret = -ENOMEM;

	if (jobs < 1)
		jobs = 1;
	/* the forest made flat, for the parts to read */
	for (c = 0; c < d->nr_cls; c++)
		m->parent[c] = uf_find_compress(m, c);
	d->cls[0] = m->parent[d->cls[0]];
	parts = calloc(jobs, sizeof(*parts));
	d->rooted = zalloc(words, sizeof(*d->rooted));
	if (!parts || !d->rooted)
		goto out;
	for (t = 0; t < jobs; t++) {
		struct settle_part *p = &parts[t];

		p->d = d;
		p->root = m->parent;
		p->rep = m->rep;
		p->lo = (uint32_t)(1 + (d->n - 1) * t / jobs);
		p->hi = (uint32_t)(1 + (d->n - 1) * (t + 1) / jobs);
		p->seen = zalloc(words, sizeof(*p->seen));
		p->rooted = zalloc(words, sizeof(*p->rooted));
		if (!p->seen || !p->rooted)
			goto out;
	}
	ret = workers__run(jobs, dedup_settle_part, parts, sizeof(*parts), NULL);
	for (t = 0; !ret && t < jobs; t++) {
		ret = parts[t].err;
		d->nr_funcs += parts[t].nr_funcs;
		d->nr_tags += parts[t].nr_tags;
	}
	if (ret)
		goto out;
	/* one more, as malloc(0) may give NULL */
	d->funcs = malloc((d->nr_funcs + 1) * sizeof(*d->funcs));
	d->tags = malloc((d->nr_tags + 1) * sizeof(*d->tags));
	if (!d->funcs || !d->tags) {
		ret = -ENOMEM;
		goto out;
	}
	d->nr_funcs = d->nr_tags = 0;
	/* in node order: a block's first node alive is in the first part it is in */
	for (t = 0; t < jobs; t++) {
		const struct settle_part *p = &parts[t];

		if (p->nr_funcs)
			memcpy(d->funcs + d->nr_funcs, p->funcs, p->nr_funcs * sizeof(*p->funcs));
		d->nr_funcs += p->nr_funcs;
		if (p->nr_tags)
			memcpy(d->tags + d->nr_tags, p->tags, p->nr_tags * sizeof(*p->tags));
		d->nr_tags += p->nr_tags;
		for (k = 0; k < p->nr_firsts; k++)
			if (!d->first[p->firsts[k][0]])
				d->first[p->firsts[k][0]] = p->firsts[k][1];
		for (k = 0; k < words; k++)
			d->rooted[k] |= p->rooted[k];
		stats->fwds_resolved += p->fwds_resolved;
	}
out:
	for (t = 0; parts && t < jobs; t++) {
		free(parts[t].seen);
		free(parts[t].rooted);
		free(parts[t].firsts);
		free(parts[t].funcs);
		free(parts[t].tags);
	}
	free(parts);
	return ret;
}

/*
 * Work bounds for merging. Each named block is tried against the earlier
 * blocks of its name, each trial walking both types in step: with
 * thousands of same-named types that differ only deep inside (hand-made
 * DWARF), that is quadratic in their number times their depth. The 6.1
 * kernel takes a few steps per node; past UNIFY_BUDGET steps per node
 * (and a floor), further trials fail, so such types stay apart. Likewise
 * the passes that join declarations and what becomes equal through them
 * stop after MAX_MERGE_PASSES (real input: two or three). Stopping early
 * only leaves types that could have been one as two: the BTF stays valid.
 */
#define UNIFY_BUDGET		64
#define UNIFY_BUDGET_MIN	((uint64_t)1 << 24)
#define MAX_MERGE_PASSES	64

static int merge_blocks(struct dedup *d, unsigned int jobs, struct dedup_stats *stats)
{
	struct merge m = { .d = d };
	size_t i, joined, passes = 0;
	int ret = -ENOMEM;

	m.budget = UNIFY_BUDGET * (uint64_t)d->n + UNIFY_BUDGET_MIN;

	m.parent = malloc(d->nr_cls * sizeof(*m.parent));
	m.rep = d->rep;
	d->rep = NULL;
	d->first = zalloc(d->nr_cls, sizeof(*d->first));
	if (!m.parent || !d->first)
		goto out;
	for (i = 0; i < d->nr_cls; i++)
		m.parent[i] = (uint32_t)i;
	ret = merge_named(&m);
	m.nlog = 0;
	/* all blocks: each pass drops those joined since (roots_refresh()) */
	m.roots = malloc(d->nr_cls * sizeof(*m.roots));
	if (!ret && !m.roots)
		ret = -ENOMEM;
	for (i = 1; !ret && i < d->nr_cls; i++)
		m.roots[m.nr_roots++] = (uint32_t)i;
	/*
	 * Declarations whose name has one definition join it; that can make
	 * more types equal, and two definitions of a name one: repeat. Then
	 * the rest of each name become one declaration.
	 */
	for (joined = 1; !ret && joined; passes++) {
		if (passes == MAX_MERGE_PASSES) {
			d->merge_cut_short = true;
			break;
		}
		joined = 0;
		ret = merge_decls(&m, false, &joined);
		/* after the first pass, nothing has changed since the last closure */
		if (!ret && (joined || !passes))
			ret = close_congruence(&m, false);
	}
	if (!ret)
		ret = merge_decls(&m, true, &joined);
	if (!ret)
		ret = close_congruence(&m, true);
	d->unify_steps = m.steps;
	if (ret)
		goto out;
	ret = dedup_settle(&m, jobs, stats);
out:
	free(m.parent);
	free(m.rep);
	free(m.log);
	free(m.stack);
	free(m.pairs);
	free(m.pair_slots);
	free(m.roots);
	return ret;
}

/* What becomes of the FUNCs of one name. */
int dedup__run(struct tgraph *g, const struct dedup_opts *opts, struct dedup_result *res,
	       struct dedup_stats *stats, char *err, size_t errlen)
{
	struct dedup d = { .g = g, .n = g->nr_nodes, .err = err, .errlen = errlen };
	int ret = -ENOMEM;

	memset(stats, 0, sizeof(*stats));
	memset(res, 0, sizeof(*res));
	d.dead = zalloc(d.n, sizeof(*d.dead));
	if (!d.dead) {
		err_printf(d.err, d.errlen, ret, "out of memory");
		goto out;
	}
	ret = dedup_refine_all(&d, opts, stats);
	if (ret == -ELOOP) {
		err_printf(d.err, d.errlen, ret, "deduplication does not settle in %d rounds: the types form chains of hundreds of links that differ only at their far end (pointer to pointer to ...), which no compiler writes",
		     MAX_ROUNDS);
		goto out;
	}
	if (ret) {
		err_printf(d.err, d.errlen, ret, "out of memory");
		goto out;
	}
	ret = merge_blocks(&d, opts->jobs, stats);
	if (ret) {
		err_printf(d.err, d.errlen, ret, "out of memory");
		goto out;
	}
	if (opts->verbose && opts->log)
		fprintf(opts->log, "dwarf2btf: dedup: %zu nodes, %u distinct, %u rounds, %u declarations resolved (%u before refinement), %llu unification steps\n",
			d.n, d.nr_cls, stats->rounds, stats->fwds_resolved,
			stats->decls_early,
			(unsigned long long)d.unify_steps);
	if (d.merge_cut_short && opts->log)
		fprintf(opts->log, "dwarf2btf: note: merging same-named types stopped at its work limit: some equal types are written twice\n");
	*res = (struct dedup_result){
		.nr_nodes = d.n, .nr_cls = d.nr_cls, .cls = d.cls, .first = d.first, .dead = d.dead,
		.funcs = d.funcs, .nr_funcs = d.nr_funcs, .tags = d.tags, .nr_tags = d.nr_tags,
		.rooted = d.rooted,
	};
	d.cls = d.first = d.funcs = d.tags = NULL;
	d.dead = NULL;
	d.rooted = NULL;
out:
	free(d.cls);
	free(d.rep);
	free(d.first);
	free(d.deep);
	free(d.funcs);
	free(d.tags);
	free(d.rooted);
	free(d.dead);
	free(d.slots);
	return ret;
}

void dedup_result__free(struct dedup_result *res)
{
	free(res->cls);
	free(res->first);
	free(res->dead);
	free(res->funcs);
	free(res->tags);
	free(res->rooted);
	memset(res, 0, sizeof(*res));
}
