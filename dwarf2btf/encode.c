// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The encoder: the per-kind layout of BTF in both directions between type
 * graph nodes and BTF records. Forward, it writes the graph that
 * deduplication reduced (struct dedup_result) as BTF for a target: which
 * FUNCs exist, as in the kernel build (one per name, left out when its
 * prototypes differ between CUs or its code does not take its arguments
 * where the prototype says), which types are alive, their ids in order of
 * first appearance, and the downgrades for targets without some kinds.
 * Backward, it imports a base BTF's types as graph nodes (split output).
 */
#include <errno.h>
#include <linux/btf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "btf_align.h"
#include "btf_features.h"
#include "dedup.h"
#include "encode.h"
#include "name_map.h"
#include "strset.h"
#include "tgraph.h"
#include "util.h"
#include "workers.h"

#define PERCPU_SECTION ".data..percpu"

struct func_group {
	uint32_t name;
	uint32_t first;		/* node written, 0 when the name is left out */
	uint32_t proto;		/* FUNC_PROTO node of the first */
	bool unsafe;
	bool inconsistent;
};

struct encoder {
	const struct tgraph *g;
	const struct dedup_result *d;
	struct d2b_btf *btf;
	unsigned int features;
	uint32_t *id;		/* BTF id of each block, 0 = not written */
	bool *live;
	/* FUNC nodes in order, and the node of the FUNC written for the name, or 0 */
	uint32_t (*funcs)[2];
	size_t nr_funcs;
	uint32_t *str_map;	/* graph string offset -> BTF string offset */
	/* the record being written (encode_write_type()) */
	void *scratch;
	size_t scratch_cap;	/* bytes */
	char *err;
	size_t errlen;
};

/*
 * Do two prototypes take and return the same types? Parameter names may
 * differ (a weak fallback names its parameter __unused) without making the
 * prototype wrong for a tracer.
 */
static bool encode_protos_agree(const struct encoder *e, uint32_t a, uint32_t b)
{
	const struct tgraph *g = e->g;
	const uint32_t *cls = e->d->cls;
	const struct tnode *x = &g->nodes[a], *y = &g->nodes[b];
	uint32_t j;

	if (x->vlen != y->vlen)
		return false;
	for (j = 0; j < tnode_nr_edges(x); j++)
		if (cls[g->edges[x->edge + j]] != cls[g->edges[y->edge + j]])
			return false;
	return true;
}

/* The node of the FUNC written for the name of FUNC @node, 0 if none. */
static uint32_t encode_func_of(const struct encoder *e, uint32_t node)
{
	size_t lo = 0, hi = e->nr_funcs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->funcs[mid][0] < node)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < e->nr_funcs && e->funcs[lo][0] == node ? e->funcs[lo][1] : 0;
}

#define FUNC_AHEAD 8

static int encode_group_funcs(struct encoder *e, const struct encode_opts *opts, struct encode_stats *stats)
{
	const struct dedup_result *d = e->d;
	const struct tgraph *g = e->g;
	struct name_map m = { 0 };
	struct func_group *groups = NULL;
	size_t nr = 0, cap = 0, i, k;
	int ret = name_map__init(&m, d->nr_funcs);

	if (ret)
		goto out;
	e->funcs = malloc((d->nr_funcs + 1) * sizeof(*e->funcs));
	if (!e->funcs) {
		ret = -ENOMEM;
		goto out;
	}
	for (k = 0; k < d->nr_funcs; k++) {
		const struct tnode *n = &g->nodes[d->funcs[k]];
		uint32_t proto = g->edges[n->edge], *v;
		struct func_group *grp;
		bool found;

		/* the FUNCs lie all over the graph: their nodes, then their edges ahead */
		if (k + 2 * FUNC_AHEAD < d->nr_funcs)
			__builtin_prefetch(&g->nodes[d->funcs[k + 2 * FUNC_AHEAD]]);
		if (k + FUNC_AHEAD < d->nr_funcs)
			__builtin_prefetch(&g->edges[g->nodes[d->funcs[k + FUNC_AHEAD]].edge]);
		if (!name_map__room(&m)) {
			ret = -ENOMEM;
			goto out;
		}
		v = name_map__slot(&m, BTF_KIND_FUNC, n->name, &found);
		if (!found) {
			ret = grow_buf((void **)&groups, &cap, sizeof(*groups), nr + 1);
			if (ret)
				goto out;
			*v = (uint32_t)nr;
			groups[nr] = (struct func_group){ .name = n->name, .first = d->funcs[k],
							  .proto = proto };
			nr++;
		}
		grp = &groups[*v];
		grp->unsafe |= !!(n->flags & TNODE_FUNC_UNSAFE);
		grp->inconsistent |= !encode_protos_agree(e, grp->proto, proto);
		e->funcs[e->nr_funcs][0] = d->funcs[k];
		e->funcs[e->nr_funcs][1] = *v;	/* the group for now */
		e->nr_funcs++;
	}
	for (i = 0; i < nr; i++) {
		const char *why = NULL;

		if (groups[i].unsafe) {
			stats->funcs_unsafe++;
			why = "its code does not take the arguments where the prototype says";
		} else if (groups[i].inconsistent) {
			stats->funcs_inconsistent++;
			why = "its prototypes differ between CUs";
		}
		if (!why)
			continue;
		groups[i].first = 0;
		if (opts->verbose && opts->log)
			fprintf(opts->log, "dwarf2btf: left out function '%s': %s\n",
				strset__str(g->strs, groups[i].name), why);
	}
	for (i = 0; i < e->nr_funcs; i++)
		e->funcs[i][1] = groups[e->funcs[i][1]].first;
out:
	name_map__free(&m);
	free(groups);
	return ret;
}

/* Is node @i written, as a root or because a written type refers to it? */
static int encode_mark_live(struct encoder *e)
{
	const struct dedup_result *d = e->d;
	const struct tgraph *g = e->g;
	uint32_t *stack, c;
	size_t top = 0, k;

	stack = malloc(d->nr_cls * sizeof(*stack));
	if (!stack)
		return -ENOMEM;
	/* the roots: the FUNC written for each name, its DECL_TAGs, the root types */
	for (k = 0; k < e->nr_funcs; k++) {
		c = d->cls[e->funcs[k][0]];
		if (e->funcs[k][1] == e->funcs[k][0] && !e->live[c]) {
			e->live[c] = true;
			stack[top++] = e->funcs[k][0];
		}
	}
	/* a target without DECL_TAG gets none of them */
	for (k = 0; (e->features & BTF_FEAT_DECL_TAG) && k < d->nr_tags; k++) {
		const struct tnode *n = &g->nodes[d->tags[k]];
		uint32_t target = g->edges[n->edge];
		bool root = g->nodes[target].kind == BTF_KIND_FUNC ? encode_func_of(e, target) != 0 :
				n->flags & TNODE_ROOT;

		c = d->cls[d->tags[k]];
		if (root && !e->live[c]) {
			e->live[c] = true;
			stack[top++] = d->tags[k];
		}
	}
	for (c = 0; c < d->nr_cls; c++) {
		if (bit_test(d->rooted, c) && !e->live[c]) {
			e->live[c] = true;
			stack[top++] = d->first[c];
		}
	}
	while (top) {
		uint32_t r = stack[--top], j;
		const struct tnode *n = &g->nodes[r];
		const uint32_t *ed = g->edges + n->edge;

		for (j = 0; j < tnode_nr_edges(n); j++) {
			uint32_t t = ed[j];

			c = d->cls[t];
			/* FUNCs are written per name, by encode_group_funcs() */
			if (!t || g->nodes[t].kind == BTF_KIND_FUNC || e->live[c])
				continue;
			e->live[c] = true;
			stack[top++] = d->first[c];
		}
	}
	free(stack);
	return 0;
}

static int64_t encode_map_str(struct encoder *e, uint32_t off)
{
	int64_t r;

	if (!off || e->str_map[off])
		return e->str_map[off];
	r = d2b_btf__add_str(e->btf, strset__str(e->g->strs, off));
	if (r > 0)
		e->str_map[off] = (uint32_t)r;
	return r;
}

static uint32_t encode_map_type(struct encoder *e, uint32_t node)
{
	const struct dedup_result *d = e->d;

	if (!node)
		return 0;
	if (e->g->nodes[node].kind == BTF_KIND_FUNC)
		node = encode_func_of(e, node);
	return e->id[d->cls[node]];
}

struct var_ref {
	uint32_t id;
	uint32_t off;
	uint32_t size;
};

static int encode_cmp_var(const void *a, const void *b)
{
	const struct var_ref *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * The kind, vlen and kind_flag node @n is written with: what it is, or for
 * a target without FLOAT or ENUM64 what the kernel build's encoder writes
 * then (an INT of the float's size; before 6.0, an ENUM of the low 32
 * bits of each value, unsigned, whatever its size).
 */
static uint32_t encode_info(const struct encoder *e, const struct tnode *n)
{
	if (n->kind == BTF_KIND_FLOAT && !(e->features & BTF_FEAT_FLOAT))
		return d2b_btf_mkinfo(BTF_KIND_INT, 0, 0);
	if ((n->kind == BTF_KIND_ENUM || n->kind == BTF_KIND_ENUM64) &&
	    !(e->features & BTF_FEAT_ENUM64))
		return d2b_btf_mkinfo(BTF_KIND_ENUM, n->vlen, 0);
	if (n->kind == BTF_KIND_VAR)
		return d2b_btf_mkinfo(n->kind, 0, 0);
	return d2b_btf_mkinfo(n->kind, n->vlen, n->kflag);
}

/*
 * Writes the BTF record of node @i: its own fields by kind, then its
 * references, which are the node's edges in order (d2b_btf_ref_at()).
 */
static int encode_write_type(struct encoder *e, uint32_t i)
{
	const struct tgraph *g = e->g;
	const struct tnode *n = &g->nodes[i];
	const uint32_t *dd = g->data + n->data, *ed = g->edges + n->edge;
	uint32_t info = encode_info(e, n), j, *w;
	long len = d2b_btf_kind_extra_size(BTF_INFO_KIND(info), BTF_INFO_VLEN(info));
	struct btf_type *t;
	int64_t s;

	if (len < 0 || n->kind == BTF_KIND_DATASEC)
		return err_printf(e->err, e->errlen, -EINVAL, "internal error: node %u of kind %u", i, n->kind);
	if (grow_buf(&e->scratch, &e->scratch_cap, 1, sizeof(*t) + (size_t)len))
		return -ENOMEM;
	t = e->scratch;
	w = (uint32_t *)(t + 1);
	s = encode_map_str(e, n->name);
	if (s < 0)
		return (int)s;
	*t = (struct btf_type){ .name_off = (uint32_t)s, .info = info };
	switch (n->kind) {
	case BTF_KIND_INT:
		t->size = n->size;
		w[0] = dd[0];
		break;
	case BTF_KIND_FLOAT:
		t->size = n->size;
		if (BTF_INFO_KIND(info) == BTF_KIND_INT)
			w[0] = n->size * 8;	/* as pahole without --btf_gen_floats */
		break;
	case BTF_KIND_ARRAY:
		((struct btf_array *)w)->nelems = n->size;
		break;
	case BTF_KIND_VAR:
		((struct btf_var *)w)->linkage = n->size;
		break;
	case BTF_KIND_DECL_TAG:
		((struct btf_decl_tag *)w)->component_idx = (int32_t)dd[0];
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		struct btf_member *m = (struct btf_member *)w;

		t->size = n->size;
		for (j = 0; j < n->vlen; j++) {
			s = encode_map_str(e, dd[2 * j]);
			if (s < 0)
				return (int)s;
			m[j].name_off = (uint32_t)s;
			m[j].offset = dd[2 * j + 1];
		}
		break;
	}
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: {
		uint32_t words = n->kind == BTF_KIND_ENUM ? 2 : 3;
		uint32_t out = BTF_INFO_KIND(info) == BTF_KIND_ENUM ? 2 : 3;

		t->size = n->size;
		for (j = 0; j < n->vlen; j++) {
			s = encode_map_str(e, dd[j * words]);
			if (s < 0)
				return (int)s;
			w[j * out] = (uint32_t)s;
			memcpy(&w[j * out + 1], &dd[j * words + 1], (out - 1) * sizeof(*w));
		}
		break;
	}
	case BTF_KIND_FUNC_PROTO: {
		struct btf_param *p = (struct btf_param *)w;

		for (j = 0; j < n->vlen; j++) {
			s = encode_map_str(e, dd[j]);
			if (s < 0)
				return (int)s;
			p[j].name_off = (uint32_t)s;
		}
		break;
	}
	default:	/* FWD, modifiers, TYPEDEF, FUNC: no fields of their own */
		break;
	}
	for (j = 0; j < tnode_nr_edges(n); j++)
		*d2b_btf_ref_at(t, j) = encode_map_type(e, ed[j]);
	s = d2b_btf__add_type(e->btf, t, t + 1, (size_t)len);
	return s < 0 ? (int)s : 0;
}

static int encode_write_datasec(struct encoder *e, struct var_ref *vars, size_t nr)
{
	struct btf_var_secinfo *si;
	struct btf_type t = { 0 };
	int64_t name, r;
	size_t i;

	if (nr > 0xffff)
		return err_printf(e->err, e->errlen, -E2BIG, "%zu per-CPU variables, more than a DATASEC can hold", nr);
	qsort(vars, nr, sizeof(*vars), encode_cmp_var);
	si = zalloc(nr, sizeof(*si));
	if (!si)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		si[i].type = vars[i].id;
		si[i].offset = vars[i].off;
		si[i].size = vars[i].size;
	}
	name = d2b_btf__add_str(e->btf, PERCPU_SECTION);
	if (name < 0) {
		free(si);
		return (int)name;
	}
	t.name_off = (uint32_t)name;
	t.info = d2b_btf_mkinfo(BTF_KIND_DATASEC, (uint16_t)nr, 0);
	t.size = vars[nr - 1].off + vars[nr - 1].size;
	r = d2b_btf__add_type(e->btf, &t, si, nr * sizeof(*si));
	free(si);
	return r < 0 ? (int)r : 0;
}

/* DWARF's alignments of the types written, by BTF id; the first one seen wins. */
static int encode_collect_aligns(struct encoder *e, struct btf_align **out)
{
	const struct dedup_result *d = e->d;
	const struct tgraph *g = e->g;
	struct btf_align *a = btf_align__new();
	size_t i;
	int err;

	if (!a)
		return -ENOMEM;
	for (i = 0; i < g->nr_aligns; i++) {
		const struct talign *t = &g->aligns[i];
		uint32_t id = e->id[d->cls[t->node]];

		if (d->dead[t->node] || !id || (g->nodes[t->node].flags & TNODE_BASE) ||
		    btf_align__get(a, id, t->member))
			continue;
		err = btf_align__add(a, id, t->member, t->align);
		if (err) {
			btf_align__free(a);
			return err;
		}
	}
	*out = a;
	return 0;
}

/* encode_collect_aligns() on a thread of its own, while the types are written. */
struct aligns_job {
	struct encoder *e;
	struct btf_align *out;
};

static int encode_aligns_task(void *arg)
{
	struct aligns_job *j = arg;

	return encode_collect_aligns(j->e, &j->out);
}

/*
 * Gives each live block its BTF id, in order of first appearance: each
 * block is written at its first node alive. That of a FUNC block is the
 * FUNC written for the name: its block is live through it alone
 * (encode_mark_live()). A base type keeps its id, and types equal to it are
 * written as it. @order gets the nodes to write, *@nr of them.
 */
static int encode_assign_ids(struct encoder *e, const struct encode_opts *opts, uint32_t *order,
		      size_t *nr)
{
	const struct dedup_result *d = e->d;
	uint32_t next = 1, c;
	uint64_t *at;
	size_t i;

	if (opts->base) {
		next = d2b_btf__type_cnt(opts->base);
		for (i = 1; i < d->nr_nodes && (e->g->nodes[i].flags & TNODE_BASE); i++)
			if (!e->id[d->cls[i]])
				e->id[d->cls[i]] = (uint32_t)i;
	}
	at = zalloc(d->nr_nodes / 64 + 1, sizeof(*at));
	if (!at)
		return -ENOMEM;
	for (c = 0; c < d->nr_cls; c++)
		if (e->live[c] && !e->id[c])
			bit_test_set(at, d->first[c]);
	*nr = 0;
	for (i = 0; i <= d->nr_nodes / 64; i++) {
		uint64_t w = at[i];

		while (w) {
			uint32_t node = (uint32_t)(i * 64 + (size_t)__builtin_ctzll(w));

			w &= w - 1;
			if (next == BTF_MAX_TYPE) {
				free(at);
				return err_printf(e->err, e->errlen, -E2BIG, "more than %u types, the most BTF can hold",
					    BTF_MAX_TYPE);
			}
			e->id[d->cls[node]] = next++;
			order[(*nr)++] = node;
		}
	}
	free(at);
	return 0;
}

int encode__btf(const struct tgraph *g, const struct dedup_result *d,
		const struct encode_opts *opts, struct d2b_btf **out, struct encode_stats *stats,
		char *err, size_t errlen)
{
	struct encoder e = { .g = g, .d = d, .features = opts->features, .err = err,
			     .errlen = errlen };
	struct aligns_job aj = { .e = &e };
	struct bg_task aligner = { .started = false };
	struct var_ref *vars = NULL;
	uint32_t *order = NULL;
	size_t nr_vars = 0, vars_cap = 0, nr = 0, i;
	int ret = -ENOMEM;

	memset(stats, 0, sizeof(*stats));
	*out = NULL;
	e.btf = d2b_btf__new();
	e.id = zalloc(d->nr_cls, sizeof(*e.id));
	e.live = zalloc(d->nr_cls, sizeof(*e.live));
	e.str_map = zalloc(strset__size(g->strs), sizeof(*e.str_map));
	order = malloc(d->nr_cls * sizeof(*order));
	if (!e.btf || !e.id || !e.live || !e.str_map || !order)
		goto out;
	d2b_btf__set_ptr_size(e.btf, opts->ptr_size);
	ret = encode_group_funcs(&e, opts, stats);
	if (!ret)
		ret = encode_mark_live(&e);
	if (ret)
		goto out;
	if (opts->base)
		d2b_btf__set_base(e.btf, opts->base);
	ret = encode_assign_ids(&e, opts, order, &nr);
	if (ret)
		goto out;
	/* the alignments need the ids only: at -j2 and up, found while the types are written */
	if (opts->align_out)
		bg_task__start(&aligner, encode_aligns_task, &aj, opts->jobs > 1);
	for (i = 0; i < nr; i++) {
		const struct tnode *n = &g->nodes[order[i]];

		ret = encode_write_type(&e, order[i]);
		if (ret)
			goto out;
		if (n->kind == BTF_KIND_FUNC)
			stats->funcs++;
		if (n->kind == BTF_KIND_VAR) {
			const uint32_t *dd = g->data + n->data;

			ret = grow_buf((void **)&vars, &vars_cap, sizeof(*vars), nr_vars + 1);
			if (ret)
				goto out;
			vars[nr_vars++] = (struct var_ref){ .id = e.id[d->cls[order[i]]],
							    .off = dd[0], .size = dd[1] };
		}
	}
	stats->vars = (uint32_t)nr_vars;
	ret = bg_task__join(&aligner);
	if (ret)
		goto out;
	if (opts->align_out) {
		*opts->align_out = aj.out;
		aj.out = NULL;
	}
	if (nr_vars) {
		ret = encode_write_datasec(&e, vars, nr_vars);
		if (ret)
			goto out;
	}
	*out = e.btf;
	e.btf = NULL;
out:
	bg_task__join(&aligner);
	btf_align__free(aj.out);
	if (ret == -ENOMEM)
		err_printf(e.err, e.errlen, ret, "out of memory");
	d2b_btf__free(e.btf);
	free(e.id);
	free(e.live);
	free(e.funcs);
	free(e.str_map);
	free(e.scratch);
	free(order);
	free(vars);
	return ret;
}

void encode__prepare(struct tgraph *g, unsigned int features)
{
	size_t i;

	/*
	 * For a target without TYPE_TAG: every reference to a type tag goes to
	 * what the tag annotates, as the kernel build's encoder writes it then.
	 */
	if (features & BTF_FEAT_TYPE_TAG)
		return;
	for (i = 0; i < g->nr_edges; i++) {
		uint32_t t = g->edges[i];
		int depth = 0;

		while (t && g->nodes[t].kind == BTF_KIND_TYPE_TAG && depth++ < 64)
			t = g->edges[g->nodes[t].edge];
		g->edges[i] = t;
	}
}

/*
 * Node of @t's shape; names of members and parameters through @g's
 * strings. Its edges are @t's references (d2b_btf_ref()), in their order.
 */
static int encode_import_type(struct tgraph *g, const struct d2b_btf *btf,
			      const struct btf_type *t)
{
	uint8_t kind = (uint8_t)d2b_btf_kind(t);
	uint16_t vlen = kind == BTF_KIND_DATASEC ? 0 : d2b_btf_vlen(t);
	const void *x = d2b_btf_extra(t);
	struct tnode *n;
	uint32_t *d, *e, j;
	int64_t id, name;

	if (d2b_btf_kind_extra_size(kind, 0) < 0)
		return -EINVAL;
	id = tgraph__add_node(g, kind, vlen);
	if (id < 0)
		return (int)id;
	name = strset__add(g->strs, d2b_btf__name(btf, t));
	if (name < 0)
		return (int)name;
	n = &g->nodes[id];
	n->name = (uint32_t)name;
	n->kflag = d2b_btf_kflag(t);
	n->flags = TNODE_BASE;
	d = tgraph__node_data(g, (uint32_t)id);
	e = tgraph__node_edges(g, (uint32_t)id);
	switch (kind) {
	case BTF_KIND_INT:
		n->size = t->size;
		memcpy(d, x, sizeof(*d));
		break;
	case BTF_KIND_FLOAT:
	case BTF_KIND_DATASEC:
		n->size = t->size;
		break;
	case BTF_KIND_FWD:
		/* a base declaration is a type of its own, bound to no CU */
		n->size = UINT32_MAX;
		break;
	case BTF_KIND_ARRAY:
		n->size = ((const struct btf_array *)x)->nelems;
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = x;

		n->size = t->size;
		for (j = 0; j < vlen; j++) {
			name = strset__add(g->strs, d2b_btf__str(btf, m[j].name_off) ?: "");
			if (name < 0)
				return (int)name;
			d[2 * j] = (uint32_t)name;
			d[2 * j + 1] = m[j].offset;
		}
		break;
	}
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: {
		uint32_t words = kind == BTF_KIND_ENUM ? 2 : 3;
		const uint32_t *v = x;

		n->size = t->size;
		for (j = 0; j < vlen; j++) {
			name = strset__add(g->strs, d2b_btf__str(btf, v[j * words]) ?: "");
			if (name < 0)
				return (int)name;
			d[j * words] = (uint32_t)name;
			memcpy(&d[j * words + 1], &v[j * words + 1], (words - 1) * sizeof(*d));
		}
		break;
	}
	case BTF_KIND_FUNC_PROTO: {
		const struct btf_param *p = x;

		for (j = 0; j < vlen; j++) {
			name = strset__add(g->strs, d2b_btf__str(btf, p[j].name_off) ?: "");
			if (name < 0)
				return (int)name;
			d[j] = (uint32_t)name;
		}
		break;
	}
	case BTF_KIND_VAR:
		n->size = ((const struct btf_var *)x)->linkage;
		break;
	case BTF_KIND_DECL_TAG:
		d[0] = (uint32_t)((const struct btf_decl_tag *)x)->component_idx;
		break;
	default:	/* PTR, modifiers, TYPEDEF, FUNC: their reference alone */
		break;
	}
	/* a DATASEC node has no edges: a base's section is never written again */
	for (j = 0; j < tnode_nr_edges(n); j++)
		e[j] = d2b_btf_ref(t, j);
	return 0;
}

int encode__import_btf(struct tgraph *g, const struct d2b_btf *base)
{
	uint32_t id, cnt = d2b_btf__type_cnt(base);
	int err;

	if (g->nr_nodes != 1)
		return -EINVAL;
	for (id = 1; id < cnt; id++) {
		err = encode_import_type(g, base, d2b_btf__type_by_id(base, id));
		if (err)
			return err;
	}
	return 0;
}
