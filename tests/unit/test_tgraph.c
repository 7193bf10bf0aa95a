// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Unit tests for appending CU graphs: equal data words (member names and
 * offsets) are stored once per string set, never shared across string
 * sets or between kinds, and mapping names to the final string set
 * rewrites each stored block once, whichever node owns it; a graph emptied
 * for reuse is as a new one.
 */
#include <linux/btf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strset.h"
#include "tgraph.h"

#include "check.h"
#include "tgraph_build.h"

/* Fills @g with a CU: struct @name { int a; int @second; } and an int. */
static struct tgraph *fill_cu(struct tgraph *g, struct strset *s, const char *name,
			      const char *second, uint8_t kind)
{
	int64_t i, st;
	uint32_t *d;

	i = tgraph__add_node(g, BTF_KIND_INT, 0);
	st = tgraph__add_node(g, kind, 2);
	if (i < 0 || st < 0)
		die("out of memory");
	g->nodes[i].name = str(s, "int");
	g->nodes[i].size = 4;
	tgraph__node_data(g, (uint32_t)i)[0] = 32;
	g->nodes[st].name = str(s, name);
	g->nodes[st].size = 8;
	d = tgraph__node_data(g, (uint32_t)st);
	d[0] = str(s, "a");
	d[1] = 0;
	d[2] = str(s, second);
	d[3] = kind == BTF_KIND_STRUCT ? 32 : 0;
	tgraph__node_edges(g, (uint32_t)st)[0] = (uint32_t)i;
	tgraph__node_edges(g, (uint32_t)st)[1] = (uint32_t)i;
	return g;
}

static struct tgraph *cu(struct strset *s, const char *name, const char *second, uint8_t kind)
{
	struct tgraph *g = tgraph__new(s);

	if (!g)
		die("out of memory");
	return fill_cu(g, s, name, second, kind);
}

static void append(struct tgraph *dst, struct tgraph *src, uint32_t domain)
{
	if (tgraph__append(dst, src, domain))
		die("append failed");
	tgraph__free(src);
}

static const char *member(const struct tgraph *g, const struct strset *s, uint32_t node, int m)
{
	return strset__str(s, g->data[g->nodes[node].data + 2 * m]);
}

static bool same_graph(const struct tgraph *a, const struct tgraph *b)
{
	return a->nr_nodes == b->nr_nodes && a->nr_data == b->nr_data &&
	       a->nr_edges == b->nr_edges && a->nr_aligns == b->nr_aligns &&
	       a->nr_units == b->nr_units &&
	       !memcmp(a->nodes, b->nodes, a->nr_nodes * sizeof(*a->nodes)) &&
	       !memcmp(a->data, b->data, a->nr_data * sizeof(*a->data)) &&
	       !memcmp(a->edges, b->edges, a->nr_edges * sizeof(*a->edges)) &&
	       (!a->nr_units || !memcmp(a->units, b->units, a->nr_units * sizeof(*a->units)));
}

/*
 * A graph emptied by tgraph__reset() takes what a new one would, as a CU
 * (the converter refills its workers' graphs) and as the result of appends,
 * whose table of stored words must forget the words gone.
 */
static void test_reset(struct strset *s)
{
	struct tgraph *kept = cu(s, "old", "x", BTF_KIND_UNION);
	struct tgraph *fresh = cu(s, "foo", "b", BTF_KIND_STRUCT);
	struct tgraph *res = tgraph__new(NULL), *res_fresh = tgraph__new(NULL);

	if (!res || !res_fresh || tgraph__add_align(kept, 1, 0, 8))
		die("out of memory");
	tgraph__reset(kept);
	fill_cu(kept, s, "foo", "b", BTF_KIND_STRUCT);
	check(same_graph(kept, fresh), "reset.cu_as_new",
	      "%zu nodes, %zu data words, %zu edges, %zu aligns after reset; new: %zu, %zu, %zu, %zu",
	      kept->nr_nodes, kept->nr_data, kept->nr_edges, kept->nr_aligns,
	      fresh->nr_nodes, fresh->nr_data, fresh->nr_edges, fresh->nr_aligns);

	/* words stored before the reset, at the place the new ones take */
	append(res, cu(s, "bar", "b", BTF_KIND_STRUCT), 0);
	append(res, cu(s, "baz", "c", BTF_KIND_STRUCT), 0);
	tgraph__reset(res);
	append(res, cu(s, "foo", "c", BTF_KIND_STRUCT), 0);
	append(res, cu(s, "foo", "b", BTF_KIND_STRUCT), 0);
	append(res_fresh, cu(s, "foo", "c", BTF_KIND_STRUCT), 0);
	append(res_fresh, cu(s, "foo", "b", BTF_KIND_STRUCT), 0);
	check(same_graph(res, res_fresh), "reset.append_as_new",
	      "%zu nodes, %zu data words, %zu units after reset; new: %zu, %zu, %zu",
	      res->nr_nodes, res->nr_data, res->nr_units,
	      res_fresh->nr_nodes, res_fresh->nr_data, res_fresh->nr_units);
	tgraph__free(kept);
	tgraph__free(fresh);
	tgraph__free(res);
	tgraph__free(res_fresh);
}

int main(void)
{
	struct strset *w0 = strset__new(), *w1 = strset__new();
	struct tgraph *g = tgraph__new(NULL);
	uint32_t *map0 = NULL, *map1 = NULL, size, off;
	const char *data;
	int w;

	if (!w0 || !w1 || !g)
		die("out of memory");
	/* nodes: 1 int, 2 foo (w0) | 3 int, 4 foo (w0) | 5 int, 6 bar (w0, same words)
	 * | 7 int, 8 foo (w1) | 9 int, 10 foo with member b | 11 int, 12 union foo */
	append(g, cu(w0, "foo", "b", BTF_KIND_STRUCT), 0);
	append(g, cu(w0, "foo", "b", BTF_KIND_STRUCT), 0);
	append(g, cu(w0, "bar", "b", BTF_KIND_STRUCT), 0);
	append(g, cu(w1, "foo", "b", BTF_KIND_STRUCT), 1);
	append(g, cu(w0, "foo", "c", BTF_KIND_STRUCT), 0);
	append(g, cu(w0, "foo", "b", BTF_KIND_UNION), 0);
	tgraph__end_append(g);

	check(g->nr_nodes == 13, "append.nodes", "%zu nodes, expected 13", g->nr_nodes);
	check(g->nodes[4].data == g->nodes[2].data && g->nodes[6].data == g->nodes[2].data,
	      "append.shares_equal_words", "data at %u, %u and %u", g->nodes[2].data,
	      g->nodes[4].data, g->nodes[6].data);
	check(g->nodes[3].data == g->nodes[1].data, "append.shares_int_encoding",
	      "int data at %u and %u", g->nodes[1].data, g->nodes[3].data);
	check(g->nodes[8].data != g->nodes[2].data, "append.not_across_string_sets",
	      "worker 1's struct shares worker 0's words");
	check(g->nodes[10].data != g->nodes[2].data, "append.different_words_apart",
	      "a struct with other members shares the words");
	check(g->nodes[12].data != g->nodes[2].data, "append.not_across_kinds",
	      "a union shares a struct's words");
	check((g->nodes[2].flags & TNODE_DATA_OWNER) && !(g->nodes[4].flags & TNODE_DATA_OWNER) &&
	      !(g->nodes[6].flags & TNODE_DATA_OWNER), "append.one_owner",
	      "flags %#x %#x %#x", g->nodes[2].flags, g->nodes[4].flags, g->nodes[6].flags);
	check(g->nodes[4].edge != g->nodes[2].edge && g->edges[g->nodes[4].edge] == 3,
	      "append.edges_own", "second struct's first edge goes to %u",
	      g->edges[g->nodes[4].edge]);
	/* int and foo of worker 0, int and foo of worker 1, foo with c, the union */
	check(g->nr_data == 1 + 4 + 1 + 4 + 4 + 4, "append.stored_once",
	      "%zu data words, expected 18", g->nr_data);

	/* map both workers' names into the graph's own string set */
	for (w = 0; w < 2; w++) {
		struct strset *s = w ? w1 : w0;
		uint32_t **map = w ? &map1 : &map0;

		data = strset__data(s, &size);
		*map = calloc(size, sizeof(**map));
		if (!*map)
			die("out of memory");
		/* shift every offset, so that a block mapped twice shows */
		str(g->strs, w ? "padding for worker one" : "padding");
		for (off = 1; off < size; off += (uint32_t)strlen(data + off) + 1)
			(*map)[off] = str(g->strs, data + off);
	}
	tgraph__map_names(g, 1, 7, map0);
	tgraph__map_names(g, 7, 9, map1);
	tgraph__map_names(g, 9, 13, map0);
	check(!strcmp(strset__str(g->strs, g->nodes[6].name), "bar") &&
	      !strcmp(member(g, g->strs, 6, 0), "a") && !strcmp(member(g, g->strs, 6, 1), "b"),
	      "map_names.shared_once", "bar's members are '%s' and '%s'",
	      member(g, g->strs, 6, 0), member(g, g->strs, 6, 1));
	check(!strcmp(member(g, g->strs, 8, 1), "b") && !strcmp(member(g, g->strs, 10, 1), "c"),
	      "map_names.each_domain", "members '%s' and '%s'", member(g, g->strs, 8, 1),
	      member(g, g->strs, 10, 1));

	test_reset(w0);
	free(map0);
	free(map1);
	tgraph__free(g);
	strset__free(w0);
	strset__free(w1);
	return failures ? 1 : 0;
}
