// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Unit tests for the deep hash's FWD marks: a CU whose chain of types ends
 * in a declaration far beyond DEEP_PASSES edges is told apart from the CUs
 * where the chain ends in the definition before refinement starts (no
 * round), and the chains still become one; and the closure after
 * declarations are joined, which makes pointers to them one.
 */
#include <linux/btf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "btf_features.h"
#include "dedup.h"
#include "strset.h"
#include "tgraph.h"

#include "check.h"
#include "tgraph_build.h"

/* structs in the chain, each through a pointer: 2 * CHAIN edges to its end */
#define CHAIN 16

static uint32_t node(struct tgraph *g, uint8_t kind, uint16_t vlen)
{
	int64_t id = tgraph__add_node(g, kind, vlen);

	if (id < 0)
		die("out of memory");
	return (uint32_t)id;
}

/* Appends the CU graph @c to @g and frees it. */
static void append_cu(struct tgraph *g, struct tgraph *c)
{
	if (!c || tgraph__append(g, c, 0))
		die("append failed");
	tgraph__free(c);
}

/*
 * Deduplicates @g, its CUs appended: 0 or the error, and *@n types
 * written, *@fwds of them FWDs.
 */
static int dedup_count(struct tgraph *g, unsigned int jobs, struct dedup_stats *st,
		       uint32_t *n, uint32_t *fwds, char *err, size_t errlen)
{
	struct dedup_opts opts = { .jobs = jobs, .features = BTF_FEAT_ALL, .ptr_size = 8 };
	struct btf *btf = NULL;
	int ret;

	tgraph__end_append(g);
	ret = dedup__run(g, &opts, &btf, st, err, errlen);
	*n = ret ? 0 : btf__type_cnt(btf) - 1;
	*fwds = 0;
	for (uint32_t id = 1; id <= *n; id++)
		*fwds += btf_kind(btf__type_by_id(btf, id)) == BTF_KIND_FWD;
	btf__free(btf);
	return ret;
}

/*
 * CU @cu: struct s0 { struct s1 *next; } ... struct s15 { struct t *next; }
 * and struct t { int x; }, or only a declaration of t.
 */
static struct tgraph *chain_cu(struct strset *s, uint32_t cu, bool declared)
{
	struct tgraph *g = tgraph__new(s);
	uint32_t i, type_int, st[CHAIN], ptr[CHAIN], t;
	char name[16];

	if (!g)
		die("out of memory");
	type_int = node(g, BTF_KIND_INT, 0);
	g->nodes[type_int].name = str(s, "int");
	g->nodes[type_int].size = 4;
	tgraph__node_data(g, type_int)[0] = 32;
	for (i = 0; i < CHAIN; i++) {
		st[i] = node(g, BTF_KIND_STRUCT, 1);
		ptr[i] = node(g, BTF_KIND_PTR, 0);
		snprintf(name, sizeof(name), "s%u", i);
		g->nodes[st[i]].name = str(s, name);
		g->nodes[st[i]].size = 8;
		g->nodes[st[i]].flags |= TNODE_ROOT;
		tgraph__node_data(g, st[i])[0] = str(s, "next");
		tgraph__node_edges(g, st[i])[0] = ptr[i];
	}
	t = node(g, declared ? BTF_KIND_FWD : BTF_KIND_STRUCT, declared ? 0 : 1);
	g->nodes[t].name = str(s, "t");
	g->nodes[t].flags |= TNODE_ROOT;
	if (declared) {
		g->nodes[t].size = cu;
	} else {
		g->nodes[t].size = 4;
		tgraph__node_data(g, t)[0] = str(s, "x");
		tgraph__node_edges(g, t)[0] = type_int;
	}
	for (i = 0; i < CHAIN; i++)
		tgraph__node_edges(g, ptr[i])[0] = i + 1 < CHAIN ? st[i + 1] : t;
	return g;
}

static void run(unsigned int jobs)
{
	struct tgraph *g = tgraph__new(NULL);
	struct dedup_stats st;
	char err[256] = "", name[64];
	uint32_t cu, fwds, n;
	int ret;

	if (!g)
		die("out of memory");
	/* the declaring CU between two defining ones */
	for (cu = 0; cu < 3; cu++)
		append_cu(g, chain_cu(g->strs, cu, cu == 1));
	ret = dedup_count(g, jobs, &st, &n, &fwds, err, sizeof(err));
	snprintf(name, sizeof(name), "dedup_decls.j%u.no_round", jobs);
	check(!ret && st.rounds == 0, name, "%s; %u refinement rounds", ret ? err : "converted",
	      st.rounds);
	/* int, the 16 structs and their pointers, and t */
	snprintf(name, sizeof(name), "dedup_decls.j%u.one_chain", jobs);
	check(!ret && n == 2 * CHAIN + 2 && !fwds && st.fwds_resolved == 1, name,
	      "%u types (%u FWD), %u declarations resolved", n, fwds, st.fwds_resolved);
	tgraph__free(g);
}

/* pointers in the closure's chains: one more pass of close_congruence() each */
#define PTRS 8

enum t_kind { T_X, T_Y, T_DECL };

/*
 * CU @cu: p8 -> p7 -> ... -> p1 -> struct t (with member x or y, or only a
 * declaration), the pointers made first so that each is looked at before
 * the one it points to; without the chain when @chain is false.
 */
static struct tgraph *ptr_cu(struct strset *s, uint32_t cu, enum t_kind kind, bool chain)
{
	struct tgraph *g = tgraph__new(s);
	uint32_t i, type_int, ptr[PTRS], t;

	if (!g)
		die("out of memory");
	for (i = 0; chain && i < PTRS; i++) {
		ptr[PTRS - 1 - i] = node(g, BTF_KIND_PTR, 0);
		g->nodes[ptr[PTRS - 1 - i]].flags |= TNODE_ROOT;
	}
	t = node(g, kind == T_DECL ? BTF_KIND_FWD : BTF_KIND_STRUCT, kind != T_DECL);
	g->nodes[t].name = str(s, "t");
	g->nodes[t].flags |= TNODE_ROOT;
	if (kind == T_DECL) {
		g->nodes[t].size = cu;
	} else {
		type_int = node(g, BTF_KIND_INT, 0);
		g->nodes[type_int].name = str(s, "int");
		g->nodes[type_int].size = 4;
		tgraph__node_data(g, type_int)[0] = 32;
		g->nodes[t].size = 4;
		tgraph__node_data(g, t)[0] = str(s, kind == T_X ? "x" : "y");
		tgraph__node_edges(g, t)[0] = type_int;
	}
	for (i = 0; chain && i < PTRS; i++)
		tgraph__node_edges(g, ptr[i])[0] = i ? ptr[i - 1] : t;
	return g;
}

/*
 * Pointers become one only once what they point to is: after a
 * declaration joins its definition (resolved), or the declarations of a
 * name defined twice join each other (by_name), one link a pass.
 */
static void run_closure(unsigned int jobs, bool by_name)
{
	static const enum t_kind resolved[] = { T_X, T_DECL };
	static const enum t_kind twice[] = { T_X, T_Y, T_DECL, T_DECL };
	const enum t_kind *kinds = by_name ? twice : resolved;
	uint32_t nr_cus = by_name ? 4 : 2, cu, fwds, n, want;
	struct tgraph *g = tgraph__new(NULL);
	struct dedup_stats st;
	char err[256] = "", name[64];
	int ret;

	if (!g)
		die("out of memory");
	for (cu = 0; cu < nr_cus; cu++)
		append_cu(g, ptr_cu(g->strs, cu, kinds[cu], kinds[cu] == T_DECL || !by_name));
	ret = dedup_count(g, jobs, &st, &n, &fwds, err, sizeof(err));
	/* the pointers once, int, and t: defined, or defined twice and declared */
	want = by_name ? PTRS + 4 : PTRS + 2;
	snprintf(name, sizeof(name), "dedup_decls.j%u.closure_%s", jobs,
		 by_name ? "by_name" : "resolved");
	check(!ret && n == want && fwds == by_name && st.fwds_resolved == !by_name, name,
	      "%s; %u types (%u FWD, want %u and %u), %u declarations resolved",
	      ret ? err : "converted", n, fwds, want, by_name, st.fwds_resolved);
	tgraph__free(g);
}

int main(void)
{
	run(1);
	run(2);
	run_closure(1, false);
	run_closure(1, true);
	run_closure(2, false);
	run_closure(2, true);
	return failures != 0;
}
