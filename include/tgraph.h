/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The type graph: what the converter makes of DWARF and the deduplicator
 * reduces to BTF. One node per converted type, in the shape of a BTF type,
 * with the parts that refer to other types (edges) kept apart from the
 * rest (data), so that deduplication can compare nodes without knowing
 * what each kind means.
 *
 * Per kind (vlen as in BTF unless said otherwise):
 *   INT          size; data: [encoding word]
 *   FLOAT        size
 *   FWD          kflag (union); size = index of the CU, because a declaration
 *                stands for the definition its own CU would see, and that may
 *                differ from CU to CU when several types share a name
 *   PTR, CONST, VOLATILE, RESTRICT, TYPEDEF, TYPE_TAG: edges: [target]
 *   ARRAY        size = element count; edges: [element, index]
 *   STRUCT/UNION size; data: [name, offset word] per member; edges: [type] per member
 *   ENUM         size; data: [name, value] per enumerator
 *   ENUM64       size; data: [name, low, high] per enumerator
 *   FUNC_PROTO   data: [name] per param; edges: [return, params...]
 *   FUNC         vlen = linkage; edges: [proto]
 *   VAR          size = linkage; data: [section offset, size]; edges: [type]
 *   DECL_TAG     data: [component index]; edges: [target]
 *
 * Node 0 is void. Names are offsets into the graph's string set.
 */
#ifndef D2B_TGRAPH_H
#define D2B_TGRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strset;

/* A node made for a DWARF type DIE: emitted even if nothing refers to it. */
#define TNODE_ROOT		0x1
/* A FUNC whose code does not follow its prototype (optimized parameters). */
#define TNODE_FUNC_UNSAFE	0x2
/* A type of the base BTF (split output): node i is base type id i. */
#define TNODE_BASE		0x4
/* The node whose append stored its data words (see tgraph__append). */
#define TNODE_DATA_OWNER	0x8

struct tnode {
	uint32_t name;
	uint32_t size;
	uint32_t data;		/* index of the first word in tgraph.data */
	uint32_t edge;		/* index of the first edge in tgraph.edges */
	uint16_t vlen;
	uint8_t kind;
	uint8_t kflag : 1;
	uint8_t flags : 7;
};

/* DW_AT_alignment of a node (member BTF_ALIGN_TYPE) or of one of its members. */
struct talign {
	uint32_t node;
	uint32_t member;
	uint32_t align;
};

/*
 * An entry of tgraph.blocks: the node owning a data block, its domain, and
 * what a probe compares, so that it reads no node: where its words are,
 * the owner's kind and vlen, and 8 bits of its hash.
 */
struct tblock {
	uint32_t node;
	uint32_t data;
	uint32_t domain;
	uint16_t vlen;
	uint8_t kind;
	uint8_t tag;
};

struct tgraph {
	struct tnode *nodes;
	size_t nr_nodes;
	size_t nodes_cap;
	uint32_t *data;
	size_t nr_data;
	size_t data_cap;
	uint32_t *edges;
	size_t nr_edges;
	size_t edges_cap;
	struct strset *strs;
	bool own_strs;
	struct talign *aligns;
	size_t nr_aligns;
	size_t aligns_cap;
	/*
	 * First node of each graph tgraph__append() added: its edges stay
	 * within it (and void), which deduplication uses to hash unit by unit.
	 */
	uint32_t *units;
	size_t nr_units;
	size_t units_cap;
	/* data blocks stored by tgraph__append(), by content; see there */
	struct tblock *blocks;
	size_t blocks_cap;
	size_t blocks_used;
};

/* A graph with a string set of its own, or using @strs (not freed with it). */
struct tgraph *tgraph__new(struct strset *strs);
void tgraph__free(struct tgraph *g);
/*
 * Empties @g to void alone, as tgraph__new() made it, keeping its arrays
 * for the next graph of about the size (and its string set).
 */
void tgraph__reset(struct tgraph *g);

/* Words of data and edges per kind: fixed + per entry * vlen. */
struct tkind_layout {
	uint8_t data, data_per, edges, edges_per;
};

extern const struct tkind_layout tgraph_kind_layout[];

/* Words of data and number of edges a node of this kind and vlen has. */
static inline uint32_t tkind_nr_data(uint8_t kind, uint16_t vlen)
{
	const struct tkind_layout *l = &tgraph_kind_layout[kind];

	return l->data + l->data_per * (uint32_t)vlen;
}

static inline uint32_t tnode_nr_data(const struct tnode *n)
{
	return tkind_nr_data(n->kind, n->vlen);
}

/* Is data word @i of a node of @kind a name (a string offset)? */
bool tgraph__data_is_name(uint8_t kind, uint32_t i);

static inline uint32_t tnode_nr_edges(const struct tnode *n)
{
	const struct tkind_layout *l = &tgraph_kind_layout[n->kind];

	return l->edges + l->edges_per * (uint32_t)n->vlen;
}

/*
 * Appends a node with room for its data and edges (zeroed); returns its
 * index or -errno.
 */
int64_t tgraph__add_node(struct tgraph *g, uint8_t kind, uint16_t vlen);
/* Records DWARF's alignment of node @id (@member: BTF_ALIGN_TYPE) or a member. */
int tgraph__add_align(struct tgraph *g, uint32_t id, uint32_t member, uint32_t align);

/* Appends a node whose kind is not known yet (see tgraph__set_shape). */
int64_t tgraph__add_empty(struct tgraph *g);
/* Gives node @id its kind and vlen, and room for its data and edges. */
int tgraph__set_shape(struct tgraph *g, uint32_t id, uint8_t kind, uint16_t vlen);

static inline uint32_t *tgraph__node_data(struct tgraph *g, uint32_t id)
{
	return g->data + g->nodes[id].data;
}

static inline uint32_t *tgraph__node_edges(struct tgraph *g, uint32_t id)
{
	return g->edges + g->nodes[id].edge;
}

/*
 * Appends all of @src to @dst, renumbering node indices. Names are copied
 * as they are: when the two graphs use different string sets, the caller
 * maps them afterwards with tgraph__map_names(). @domain names @src's string
 * set. A node whose data words (member names and offsets, enumerators,
 * parameter names) equal those of a node appended before from the same
 * domain shares them: the same struct converted in each of 2,000 CUs is
 * stored once a domain (TNODE_DATA_OWNER marks the first). Appended data
 * is not to be written to.
 */
int tgraph__append(struct tgraph *dst, const struct tgraph *src, uint32_t domain);
/* Frees what tgraph__append() keeps to find equal data: appending is over. */
void tgraph__end_append(struct tgraph *g);
/*
 * Replaces every name of nodes [@first, @end) by map[name]; the names in
 * shared data once, through the node that owns it.
 */
void tgraph__map_names(struct tgraph *g, size_t first, size_t end, const uint32_t *map);

#endif
