// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Type graph storage: three growing arrays and a string set. */
#include <errno.h>
#include <linux/btf.h>
#include <stdlib.h>
#include <string.h>

#include "hash_table.h"
#include "strset.h"
#include "tgraph.h"
#include "util.h"

struct tgraph *tgraph__new(struct strset *strs)
{
	struct tgraph *g = calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->own_strs = !strs;
	g->strs = strs ? strs : strset__new();
	/*
	 * Room for data and edges from the start: in a graph without any
	 * (only base types), looking at a node's data or edges would be
	 * pointer arithmetic on NULL.
	 */
	if (!g->strs || grow_buf((void **)&g->data, &g->data_cap, sizeof(*g->data), 1) ||
	    grow_buf((void **)&g->edges, &g->edges_cap, sizeof(*g->edges), 1) ||
	    tgraph__add_node(g, 0, 0) != 0) {
		tgraph__free(g);
		return NULL;
	}
	return g;
}

void tgraph__free(struct tgraph *g)
{
	if (!g)
		return;
	free(g->nodes);
	free(g->data);
	free(g->edges);
	free(g->aligns);
	free(g->blocks);
	free(g->units);
	if (g->own_strs)
		strset__free(g->strs);
	free(g);
}

void tgraph__reset(struct tgraph *g)
{
	memset(&g->nodes[0], 0, sizeof(g->nodes[0]));
	g->nr_nodes = 1;
	g->nr_data = 0;
	g->nr_edges = 0;
	g->nr_aligns = 0;
	g->nr_units = 0;
	if (g->blocks_used)
		memset(g->blocks, 0, g->blocks_cap * sizeof(*g->blocks));
	g->blocks_used = 0;
}

const struct tkind_layout tgraph_kind_layout[BTF_KIND_MAX + 1] = {
	[BTF_KIND_INT] = { 1, 0, 0, 0 },
	[BTF_KIND_PTR] = { 0, 0, 1, 0 },
	[BTF_KIND_ARRAY] = { 0, 0, 2, 0 },
	[BTF_KIND_STRUCT] = { 0, 2, 0, 1 },
	[BTF_KIND_UNION] = { 0, 2, 0, 1 },
	[BTF_KIND_ENUM] = { 0, 2, 0, 0 },
	[BTF_KIND_TYPEDEF] = { 0, 0, 1, 0 },
	[BTF_KIND_VOLATILE] = { 0, 0, 1, 0 },
	[BTF_KIND_CONST] = { 0, 0, 1, 0 },
	[BTF_KIND_RESTRICT] = { 0, 0, 1, 0 },
	[BTF_KIND_FUNC] = { 0, 0, 1, 0 },
	[BTF_KIND_FUNC_PROTO] = { 0, 1, 1, 1 },
	[BTF_KIND_VAR] = { 2, 0, 1, 0 },
	[BTF_KIND_DECL_TAG] = { 1, 0, 1, 0 },
	[BTF_KIND_TYPE_TAG] = { 0, 0, 1, 0 },
	[BTF_KIND_ENUM64] = { 0, 3, 0, 0 },
};

bool tgraph__data_is_name(uint8_t kind, uint32_t i)
{
	switch (kind) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
	case BTF_KIND_ENUM:
		return i % 2 == 0;
	case BTF_KIND_ENUM64:
		return i % 3 == 0;
	case BTF_KIND_FUNC_PROTO:
		return true;
	default:
		return false;
	}
}

int tgraph__add_align(struct tgraph *g, uint32_t id, uint32_t member, uint32_t align)
{
	int err = grow_buf((void **)&g->aligns, &g->aligns_cap, sizeof(*g->aligns),
			   g->nr_aligns + 1);

	if (err)
		return err;
	g->aligns[g->nr_aligns++] = (struct talign){ .node = id, .member = member, .align = align };
	return 0;
}

int64_t tgraph__add_empty(struct tgraph *g)
{
	int err;

	if (g->nr_nodes >= UINT32_MAX - 1)
		return -E2BIG;
	err = grow_buf((void **)&g->nodes, &g->nodes_cap, sizeof(*g->nodes), g->nr_nodes + 1);
	if (err)
		return err;
	memset(&g->nodes[g->nr_nodes], 0, sizeof(g->nodes[0]));
	return (int64_t)g->nr_nodes++;
}

int tgraph__set_shape(struct tgraph *g, uint32_t id, uint8_t kind, uint16_t vlen)
{
	struct tnode *n = &g->nodes[id];
	uint32_t nd, ne;
	int err;

	n->kind = kind;
	n->vlen = vlen;
	nd = tnode_nr_data(n);
	ne = tnode_nr_edges(n);
	if (g->nr_data + nd >= UINT32_MAX || g->nr_edges + ne >= UINT32_MAX)
		return -E2BIG;
	err = grow_buf((void **)&g->data, &g->data_cap, sizeof(*g->data), g->nr_data + nd);
	if (!err)
		err = grow_buf((void **)&g->edges, &g->edges_cap, sizeof(*g->edges),
			       g->nr_edges + ne);
	if (err)
		return err;
	n->data = (uint32_t)g->nr_data;
	n->edge = (uint32_t)g->nr_edges;
	/* the buffers are still NULL while only data-less nodes exist */
	if (nd)
		memset(g->data + g->nr_data, 0, nd * sizeof(*g->data));
	if (ne)
		memset(g->edges + g->nr_edges, 0, ne * sizeof(*g->edges));
	g->nr_data += nd;
	g->nr_edges += ne;
	return 0;
}

int64_t tgraph__add_node(struct tgraph *g, uint8_t kind, uint16_t vlen)
{
	int64_t id = tgraph__add_empty(g);
	int err;

	if (id < 0)
		return id;
	err = tgraph__set_shape(g, (uint32_t)id, kind, vlen);
	return err ? err : id;
}

static uint64_t block_hash(uint8_t kind, uint16_t vlen, const uint32_t *words, uint32_t nd,
			   uint32_t domain)
{
	return hash_bytes(words, nd * sizeof(*words), hash_mix(kind | (uint64_t)vlen << 8, domain));
}

static uint8_t block_tag(uint64_t hash)
{
	return (uint8_t)(hash >> 56);
}

static uint64_t tblock_hash(const void *slot, const void *graph)
{
	const struct tblock *b = slot;
	const struct tgraph *g = graph;

	return block_hash(b->kind, b->vlen, g->data + b->data, tkind_nr_data(b->kind, b->vlen),
			  b->domain);
}

static int blocks_grow(struct tgraph *g)
{
	return hash_table__grow((void **)&g->blocks, &g->blocks_cap, 4096, sizeof(*g->blocks),
				tblock_hash, g);
}

/*
 * Gives node @id (already in @dst) the data words @words: those of an
 * equal earlier block of the same domain, or a copy of its own.
 */
static int append_data(struct tgraph *dst, uint32_t id, const uint32_t *words, uint32_t domain)
{
	struct tnode *n = &dst->nodes[id];
	uint32_t nd = tnode_nr_data(n);
	uint64_t hash;
	size_t s;
	int err;

	if (!nd) {
		n->data = (uint32_t)dst->nr_data;
		return 0;
	}
	if ((dst->blocks_used + 1) * 2 > dst->blocks_cap) {
		err = blocks_grow(dst);
		if (err)
			return err;
	}
	hash = block_hash(n->kind, n->vlen, words, nd, domain);
	for (s = hash & (dst->blocks_cap - 1); dst->blocks[s].node;
	     s = (s + 1) & (dst->blocks_cap - 1)) {
		const struct tblock *b = &dst->blocks[s];

		if (b->tag == block_tag(hash) && b->domain == domain && b->kind == n->kind &&
		    b->vlen == n->vlen &&
		    !memcmp(dst->data + b->data, words, nd * sizeof(*words))) {
			n->data = b->data;
			return 0;
		}
	}
	memcpy(dst->data + dst->nr_data, words, nd * sizeof(*words));
	n->data = (uint32_t)dst->nr_data;
	n->flags |= TNODE_DATA_OWNER;
	dst->nr_data += nd;
	dst->blocks[s] = (struct tblock){
		.node = id, .data = n->data, .domain = domain, .vlen = n->vlen, .kind = n->kind,
		.tag = block_tag(hash),
	};
	dst->blocks_used++;
	return 0;
}

int tgraph__append(struct tgraph *dst, const struct tgraph *src, uint32_t domain)
{
	uint32_t base = (uint32_t)dst->nr_nodes - 1;	/* src node 1 lands at base + 1 */
	size_t nd = src->nr_data, ne = src->nr_edges, nn = src->nr_nodes - 1, i;
	int err;

	if (dst->nr_nodes + nn >= UINT32_MAX || dst->nr_data + nd >= UINT32_MAX ||
	    dst->nr_edges + ne >= UINT32_MAX)
		return -E2BIG;
	err = grow_buf((void **)&dst->nodes, &dst->nodes_cap, sizeof(*dst->nodes),
		       dst->nr_nodes + nn);
	if (!err)
		err = grow_buf((void **)&dst->data, &dst->data_cap, sizeof(*dst->data),
			       dst->nr_data + nd);
	if (!err)
		err = grow_buf((void **)&dst->edges, &dst->edges_cap, sizeof(*dst->edges),
			       dst->nr_edges + ne);
	if (!err && nn)
		err = grow_buf((void **)&dst->units, &dst->units_cap, sizeof(*dst->units),
			       dst->nr_units + 1);
	if (err)
		return err;
	for (i = 0; i < nn; i++) {
		const struct tnode *sn = &src->nodes[i + 1];
		struct tnode *n = &dst->nodes[dst->nr_nodes];

		*n = *sn;
		n->flags &= ~TNODE_DATA_OWNER;
		n->edge += (uint32_t)dst->nr_edges;
		err = append_data(dst, (uint32_t)dst->nr_nodes, src->data + sn->data, domain);
		if (err)
			return err;
		dst->nr_nodes++;
	}
	for (i = 0; i < ne; i++)
		dst->edges[dst->nr_edges + i] = src->edges[i] ? src->edges[i] + base : 0;
	for (i = 0; i < src->nr_aligns; i++) {
		const struct talign *a = &src->aligns[i];

		err = tgraph__add_align(dst, a->node + base, a->member, a->align);
		if (err)
			return err;
	}
	if (nn)
		dst->units[dst->nr_units++] = base + 1;
	dst->nr_edges += ne;
	return 0;
}

void tgraph__end_append(struct tgraph *g)
{
	free(g->blocks);
	g->blocks = NULL;
	g->blocks_cap = 0;
	g->blocks_used = 0;
}

void tgraph__map_names(struct tgraph *g, size_t first, size_t end, const uint32_t *map)
{
	size_t i;

	for (i = first; i < end; i++) {
		struct tnode *n = &g->nodes[i];
		uint32_t *d = g->data + n->data, nd = tnode_nr_data(n), j;

		n->name = map[n->name];
		if (!(n->flags & TNODE_DATA_OWNER))
			continue;
		for (j = 0; j < nd; j++)
			if (tgraph__data_is_name(n->kind, j))
				d[j] = map[d[j]];
	}
}
