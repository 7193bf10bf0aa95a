// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The converter's memo of struct, union and enum definitions against
 * filling each one from its DIEs: on files with many units that share
 * headers (this test's own executable, two CUs of the multi_cu fixture
 * built as DWARF 4, whose bitfields have DW_AT_bit_offset, and as
 * DWARF 5), the graph must be the same node for node, word for word, at
 * one and two threads, and one thread must have used the memo. Names are
 * compared as strings: with two workers, the order in which their string
 * sets are merged, and so each name's offset, follows the scheduling
 * (the written BTF does not). And the units as read from their headers
 * (also 64-bit DWARF and DWARF 5 type units) against libdw's list of them:
 * the same graph.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "input.h"
#include "strset.h"
#include "tgraph.h"

#include "check.h"

static bool same_name(const struct tgraph *a, uint32_t x, const struct tgraph *b, uint32_t y)
{
	return !strcmp(strset__str(a->strs, x), strset__str(b->strs, y));
}

static bool same_data(const struct tgraph *a, const struct tnode *x, const struct tgraph *b,
		      const struct tnode *y)
{
	uint32_t i;

	for (i = 0; i < tnode_nr_data(x); i++) {
		uint32_t u = a->data[x->data + i], v = b->data[y->data + i];

		if (tgraph__data_is_name(x->kind, i) ? !same_name(a, u, b, v) : u != v)
			return false;
	}
	return true;
}

/* The first difference between @a and @b, or NULL. */
static const char *graph_diff(const struct tgraph *a, const struct tgraph *b, char *buf,
			      size_t len)
{
	size_t i;

	if (a->nr_nodes != b->nr_nodes) {
		snprintf(buf, len, "%zu nodes against %zu", a->nr_nodes, b->nr_nodes);
		return buf;
	}
	for (i = 0; i < a->nr_nodes; i++) {
		const struct tnode *x = &a->nodes[i], *y = &b->nodes[i];

		/* which node owns shared data words follows the workers too */
		if (!same_name(a, x->name, b, y->name) || x->size != y->size ||
		    x->vlen != y->vlen || x->kind != y->kind || x->kflag != y->kflag ||
		    (x->flags & ~TNODE_DATA_OWNER) != (y->flags & ~TNODE_DATA_OWNER) ||
		    !same_data(a, x, b, y) ||
		    memcmp(a->edges + x->edge, b->edges + y->edge,
			   tnode_nr_edges(x) * sizeof(uint32_t))) {
			snprintf(buf, len, "node %zu (kind %u) differs", i, x->kind);
			return buf;
		}
	}
	if (a->nr_aligns != b->nr_aligns ||
	    (a->nr_aligns && memcmp(a->aligns, b->aligns, a->nr_aligns * sizeof(*a->aligns))))
		return "other alignments";
	return NULL;
}


/* Units listed from their headers against libdw's list: the same graph. */
static void check_units(struct input *in, const char *path, const char *label)
{
	struct convert_opts raw = { .jobs = 1 }, by_libdw = { .jobs = 1, .libdw_units = true };
	struct convert_stats st_raw = { 0 }, st_libdw = { 0 };
	struct tgraph *a = NULL, *b = NULL;
	char err[512], buf[128], name[128];
	const char *diff = "not converted";

	snprintf(name, sizeof(name), "convert_units.%s", label);
	if (!convert__dwarf(in, &raw, &a, &st_raw, err, sizeof(err)) &&
	    !convert__dwarf(in, &by_libdw, &b, &st_libdw, err, sizeof(err)))
		diff = graph_diff(a, b, buf, sizeof(buf));
	check(!diff && st_raw.units_from_headers && !st_libdw.units_from_headers &&
	      st_raw.nr_cus == st_libdw.nr_cus && st_raw.nr_cus > 0, name,
	      "%s: %s; %zu units from the headers%s, %zu from libdw", path,
	      diff ? diff : "same graph", st_raw.nr_cus,
	      st_raw.units_from_headers ? "" : " (not read there)", st_libdw.nr_cus);
	tgraph__free(a);
	tgraph__free(b);
}
/* @shared: units define the same types, which one thread must take from the memo */
static void check_file(const char *path, const char *label, bool shared)
{
	struct tgraph *fresh = NULL, *kept = NULL;
	struct convert_stats st_fresh = { 0 }, st_kept = { 0 };
	struct input *in = NULL;
	char err[512], buf[128], name[128];
	unsigned int jobs;

	if (input__open(path, NULL, &in, err, sizeof(err))) {
		snprintf(name, sizeof(name), "convert_memo.%s", label);
		check(false, name, "%s", err);
		return;
	}
	for (jobs = 1; jobs <= 2; jobs++) {
		struct convert_opts o = { .jobs = jobs, .no_memo = true };
		const char *diff = "not converted";

		snprintf(name, sizeof(name), "convert_memo.%s.j%u", label, jobs);
		if (!convert__dwarf(in, &o, &fresh, &st_fresh, err, sizeof(err))) {
			o.no_memo = false;
			if (!convert__dwarf(in, &o, &kept, &st_kept, err, sizeof(err)))
				diff = graph_diff(fresh, kept, buf, sizeof(buf));
		}
		/* two workers may well take a unit each of two */
		check(!diff && st_fresh.nr_reused == 0 && (jobs > 1 || !shared || st_kept.nr_reused > 0), name,
		      "%s: %s; %zu definitions reused without the memo, %zu with it", path,
		      diff ? diff : "same graph", st_fresh.nr_reused, st_kept.nr_reused);
		printf("# %s, -j%u: %zu nodes, %zu definitions reused\n", path, jobs,
		       kept ? kept->nr_nodes : 0, st_kept.nr_reused);
		tgraph__free(fresh);
		tgraph__free(kept);
		fresh = kept = NULL;
	}
	check_units(in, path, label);
	input__close(in);
}

int main(void)
{
	/* 64-bit DWARF and type units: unit headers of other layouts */
	static const char *const flags[] = {
		"-gdwarf-4", "-gdwarf-5", "-gdwarf-4 -gdwarf64", "-gdwarf-5 -gdwarf64",
		"-gdwarf-5 -fdebug-types-section",
	};
	static const char *const labels[] = {
		"dwarf4", "dwarf5", "dwarf4-64bit", "dwarf5-64bit", "dwarf5-type-units",
	};
	const char *tmp = getenv("D2B_TMP");
	char out[512], cmd[2048];
	size_t v;

	check_file("/proc/self/exe", "self", true);
	if (!tmp || system("command -v cc >/dev/null 2>&1")) {
		printf("SKIP: convert_memo.fixtures: no C compiler or no D2B_TMP\n");
		return failures ? 1 : 0;
	}
	for (v = 0; v < sizeof(flags) / sizeof(flags[0]); v++) {
		char label[64];

		snprintf(out, sizeof(out), "%s/multi_cu-%s", tmp, labels[v]);
		snprintf(cmd, sizeof(cmd),
			 "cc %s -O0 -o %s tests/fixtures/multi_cu_a.c tests/fixtures/multi_cu_b.c",
			 flags[v], out);
		snprintf(label, sizeof(label), "multi_cu-%s", labels[v]);
		if (system(cmd)) {
			check(false, label, "cannot build: %s", cmd);
			continue;
		}
		/* type units define each type once */
		check_file(out, label, !strstr(flags[v], "types"));
	}
	return failures ? 1 : 0;
}
