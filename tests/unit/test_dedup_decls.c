// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Unit tests for the deep hash's FWD marks: a CU whose chain of types ends
 * in a declaration far beyond DEEP_PASSES edges is told apart from the CUs
 * where the chain ends in the definition before refinement starts (no
 * round), and the chains still become one; the closure after
 * declarations are joined, which makes pointers to them one; and early
 * resolution (declarations sent to their definition before refinement),
 * where it holds and each way it falls back, against merging alone; and
 * its deep hash of types with and without cycles.
 */
#include <linux/btf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "btf_features.h"
#include "btf_raw.h"
#include "dedup.h"
#include "encode.h"
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
static int dedup_raw(struct tgraph *g, unsigned int jobs, bool no_early, struct dedup_stats *st,
		     uint32_t *n, uint32_t *fwds, void **raw, uint32_t *size, char *err,
		     size_t errlen)
{
	struct dedup_opts opts = { .jobs = jobs, .no_early = no_early };
	struct encode_opts eopts = { .jobs = jobs, .features = BTF_FEAT_ALL, .ptr_size = 8 };
	struct dedup_result res;
	struct encode_stats est;
	struct d2b_btf *btf = NULL;
	int ret;

	tgraph__end_append(g);
	ret = dedup__run(g, &opts, &res, st, err, errlen);
	if (!ret)
		ret = encode__btf(g, &res, &eopts, &btf, &est, err, errlen);
	dedup_result__free(&res);
	if (!ret && raw)
		ret = d2b_btf__raw_data(btf, false, raw, size);
	*n = ret ? 0 : d2b_btf__type_cnt(btf) - 1;
	*fwds = 0;
	for (uint32_t id = 1; id <= *n; id++)
		*fwds += d2b_btf_kind(d2b_btf__type_by_id(btf, id)) == BTF_KIND_FWD;
	d2b_btf__free(btf);
	return ret;
}

static int dedup_count(struct tgraph *g, unsigned int jobs, bool no_early, struct dedup_stats *st,
		       uint32_t *n, uint32_t *fwds, char *err, size_t errlen)
{
	return dedup_raw(g, jobs, no_early, st, n, fwds, NULL, NULL, err, errlen);
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

/* With @no_early the FWD marks keep the declaring CU apart; without, it is resolved at once. */
static void run(unsigned int jobs, bool no_early)
{
	const char *how = no_early ? "merge" : "early";
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
	ret = dedup_count(g, jobs, no_early, &st, &n, &fwds, err, sizeof(err));
	snprintf(name, sizeof(name), "dedup_decls.j%u.%s.no_round", jobs, how);
	check(!ret && st.rounds == 0, name, "%s; %u refinement rounds", ret ? err : "converted",
	      st.rounds);
	/* int, the 16 structs and their pointers, and t */
	snprintf(name, sizeof(name), "dedup_decls.j%u.%s.one_chain", jobs, how);
	check(!ret && n == 2 * CHAIN + 2 && !fwds && st.fwds_resolved == 1 &&
	      st.decls_early == !no_early && !st.early_undone, name,
	      "%u types (%u FWD), %u declarations resolved, %u of them early%s", n, fwds,
	      st.fwds_resolved, st.decls_early, st.early_undone ? " (undone)" : "");
	tgraph__free(g);
}

/* pointers in the closure's chains: one more pass of close_congruence() each */
#define PTRS 8

/* more than DEEP_PASSES: the deep hash does not see where they end */
#define TYPEDEFS 8

enum t_kind { T_X, T_Y, T_U, T_X_DEEP, T_U_DEEP, T_DECL };

/*
 * CU @cu: p8 -> p7 -> ... -> p1 -> struct t (with member int x, int y or
 * unsigned int x, the last two also through TYPEDEFS typedefs, or only a
 * declaration), the pointers made first so that each is looked at before
 * the one it points to; without the chain when @chain is false.
 */
static struct tgraph *ptr_cu(struct strset *s, uint32_t cu, enum t_kind kind, bool chain)
{
	struct tgraph *g = tgraph__new(s);
	uint32_t i, type_int, member, ptr[PTRS], t;
	bool deep = kind == T_X_DEEP || kind == T_U_DEEP;
	char name[16];

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
		g->nodes[type_int].name = str(s, kind == T_U || kind == T_U_DEEP ? "unsigned int" : "int");
		g->nodes[type_int].size = 4;
		tgraph__node_data(g, type_int)[0] = 32;
		g->nodes[t].size = 4;
		tgraph__node_data(g, t)[0] = str(s, kind == T_Y ? "y" : "x");
		for (member = type_int, i = 0; deep && i < TYPEDEFS; i++) {
			uint32_t td = node(g, BTF_KIND_TYPEDEF, 0);

			snprintf(name, sizeof(name), "a%u", TYPEDEFS - 1 - i);
			g->nodes[td].name = str(s, name);
			tgraph__node_edges(g, td)[0] = member;
			member = td;
		}
		tgraph__node_edges(g, t)[0] = member;
	}
	for (i = 0; chain && i < PTRS; i++)
		tgraph__node_edges(g, ptr[i])[0] = i ? ptr[i - 1] : t;
	return g;
}

/*
 * Pointers become one only once what they point to is: after a
 * declaration joins its definition (resolved), or the declarations of a
 * name defined twice join each other (by_name), one link a pass, in
 * merging (the early resolution would make them one in refinement).
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
	ret = dedup_count(g, jobs, true, &st, &n, &fwds, err, sizeof(err));
	/* the pointers once, int, and t: defined, or defined twice and declared */
	want = by_name ? PTRS + 4 : PTRS + 2;
	snprintf(name, sizeof(name), "dedup_decls.j%u.closure_%s", jobs,
		 by_name ? "by_name" : "resolved");
	check(!ret && n == want && fwds == by_name && st.fwds_resolved == !by_name, name,
	      "%s; %u types (%u FWD, want %u and %u), %u declarations resolved",
	      ret ? err : "converted", n, fwds, want, by_name, st.fwds_resolved);
	tgraph__free(g);
}

/* The CUs of @kinds, with their pointer chains, appended to a new graph. */
static struct tgraph *ptr_graph(const enum t_kind *kinds, uint32_t nr_cus)
{
	struct tgraph *g = tgraph__new(NULL);
	uint32_t cu;

	if (!g)
		die("out of memory");
	for (cu = 0; cu < nr_cus; cu++)
		append_cu(g, ptr_cu(g->strs, cu, kinds[cu], true));
	return g;
}

/*
 * Early resolution where it is exact: t defined once and declared; and
 * where it is not, so that refinement runs again without it: t defined with
 * members of other names (found before refinement), or of the same names
 * but other types (found after seeding, however deep the difference: the
 * deep hash takes in all of a type that reaches no cycle). Either way the
 * BTF is the one merging alone gives.
 */
static void run_early(unsigned int jobs)
{
	static const enum t_kind cases[][3] = {
		{ T_X, T_DECL, T_DECL }, { T_X, T_Y, T_DECL }, { T_X, T_U, T_DECL },
		{ T_X_DEEP, T_U_DEEP, T_DECL },
	};
	static const char *const what[] = { "resolved", "other_members", "other_types",
					    "other_types_deep" };
	size_t c;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct dedup_stats st, ref;
		uint32_t n, fwds, rn, rfwds, size = 0, rsize = 0;
		void *raw = NULL, *rraw = NULL;
		char err[256] = "", name[64];
		struct tgraph *g = ptr_graph(cases[c], 3), *rg = ptr_graph(cases[c], 3);
		int ret, rret;
		bool undone = c != 0, refined = c >= 2;

		ret = dedup_raw(g, jobs, false, &st, &n, &fwds, &raw, &size, err, sizeof(err));
		rret = dedup_raw(rg, jobs, true, &ref, &rn, &rfwds, &rraw, &rsize, err,
				 sizeof(err));
		snprintf(name, sizeof(name), "dedup_decls.j%u.early_%s", jobs, what[c]);
		check(!ret && !rret && st.early_undone == undone && st.early_refined == refined &&
		      st.decls_early == (undone ? 0 : 2) && ref.decls_early == 0, name,
		      "%s; %u declarations resolved early, %sundone%s",
		      ret || rret ? err : "converted", st.decls_early,
		      st.early_undone ? "" : "not ", st.early_refined ? " after refining" : "");
		snprintf(name, sizeof(name), "dedup_decls.j%u.early_%s.same_btf", jobs, what[c]);
		check(!ret && !rret && size && size == rsize && !memcmp(raw, rraw, size) &&
		      st.fwds_resolved == ref.fwds_resolved, name,
		      "%u types (%u FWD) against %u (%u FWD) by merging alone", n, fwds, rn, rfwds);
		free(raw);
		free(rraw);
		tgraph__free(g);
		tgraph__free(rg);
	}
}

/* named typedefs in a chain: far beyond DEEP_PASSES */
#define CHAIN_TYPEDEFS 20

/*
 * A CU of two anonymous structs that point at each other, the second's
 * member called @inner (made first with @b_first), and a chain of
 * typedefs c0 -> c1 -> ... -> @base. No name breaks that cycle, so its
 * nodes take the deep hash's passes, while the chain is hashed whole.
 */
static struct tgraph *cycle_cu(struct strset *s, const char *inner, const char *base, bool b_first)
{
	struct tgraph *g = tgraph__new(s);
	uint32_t a, b, pa, pb, t, i, prev;
	char name[16];

	if (!g)
		die("out of memory");
	b = b_first ? node(g, BTF_KIND_STRUCT, 1) : 0;
	a = node(g, BTF_KIND_STRUCT, 1);
	if (!b_first)
		b = node(g, BTF_KIND_STRUCT, 1);
	pa = node(g, BTF_KIND_PTR, 0);
	pb = node(g, BTF_KIND_PTR, 0);
	g->nodes[a].size = g->nodes[b].size = 8;
	g->nodes[a].flags |= TNODE_ROOT;
	tgraph__node_data(g, a)[0] = str(s, "a");
	tgraph__node_data(g, b)[0] = str(s, inner);
	tgraph__node_edges(g, a)[0] = pb;
	tgraph__node_edges(g, pb)[0] = b;
	tgraph__node_edges(g, b)[0] = pa;
	tgraph__node_edges(g, pa)[0] = a;
	t = node(g, BTF_KIND_INT, 0);
	g->nodes[t].name = str(s, base);
	g->nodes[t].size = 4;
	tgraph__node_data(g, t)[0] = 32;
	for (prev = t, i = 0; i < CHAIN_TYPEDEFS; i++) {
		uint32_t td = node(g, BTF_KIND_TYPEDEF, 0);

		snprintf(name, sizeof(name), "c%u", CHAIN_TYPEDEFS - 1 - i);
		g->nodes[td].name = str(s, name);
		g->nodes[td].flags |= TNODE_ROOT;
		tgraph__node_edges(g, td)[0] = prev;
		prev = td;
	}
	return g;
}

/*
 * Early resolution's deep hash: the cycles of two CUs, made in another
 * order, become one, that of a third CU whose struct has another member
 * name stays apart; the chains that differ at their far end are apart
 * at seeding (no round). The BTF is the one merging alone gives.
 */
static void run_cycles(unsigned int jobs)
{
	struct tgraph *g[2];
	struct dedup_stats st[2];
	uint32_t n[2], fwds[2], size[2] = { 0, 0 };
	void *raw[2] = { NULL, NULL };
	char err[256] = "", name[64];
	int ret[2], k;

	for (k = 0; k < 2; k++) {
		g[k] = tgraph__new(NULL);
		if (!g[k])
			die("out of memory");
		append_cu(g[k], cycle_cu(g[k]->strs, "b", "int", false));
		append_cu(g[k], cycle_cu(g[k]->strs, "b", "int", true));
		append_cu(g[k], cycle_cu(g[k]->strs, "c", "unsigned int", false));
		ret[k] = dedup_raw(g[k], jobs, k, &st[k], &n[k], &fwds[k], &raw[k], &size[k], err,
				   sizeof(err));
	}
	/* two cycles of four, two ints, two chains */
	snprintf(name, sizeof(name), "dedup_decls.j%u.cycles", jobs);
	check(!ret[0] && n[0] == 2 * 4 + 2 + 2 * CHAIN_TYPEDEFS && !st[0].early_undone &&
	      st[0].rounds == 0, name, "%s; %u types, %u rounds%s", ret[0] ? err : "converted",
	      n[0], st[0].rounds, st[0].early_undone ? ", early resolution undone" : "");
	snprintf(name, sizeof(name), "dedup_decls.j%u.cycles.same_btf", jobs);
	check(!ret[0] && !ret[1] && size[0] && size[0] == size[1] && !memcmp(raw[0], raw[1], size[0]),
	      name, "%u types against %u by merging alone", n[0], n[1]);
	for (k = 0; k < 2; k++) {
		free(raw[k]);
		tgraph__free(g[k]);
	}
}

int main(void)
{
	run(1, false);
	run(1, true);
	run(2, false);
	run(2, true);
	run_early(1);
	run_early(2);
	run_early(3);
	run_cycles(1);
	run_cycles(2);
	run_closure(1, false);
	run_closure(1, true);
	run_closure(2, false);
	run_closure(2, true);
	return failures != 0;
}
