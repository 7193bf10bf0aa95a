/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The convert stage: every DWARF compile unit of the input becomes nodes
 * of one type graph, CU after CU in file order whatever the thread count.
 */
#ifndef D2B_CONVERT_H
#define D2B_CONVERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct d2b_btf;
struct input;
struct tgraph;

struct convert_opts {
	unsigned int jobs;	/* worker threads, at least 1 */
	int verbose;
	FILE *log;		/* notes on what was skipped, when verbose */
	/*
	 * Optional: called with the number of CUs appended to the result so
	 * far and the total, first with 0 before the workers start, then as
	 * CUs are appended (under the converter's lock: one call at a time,
	 * from any worker thread).
	 */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
	/* split BTF: the base's types become the graph's first nodes */
	const struct d2b_btf *base;
	/* fill every struct, union and enum from its DIEs (the tests compare) */
	bool no_memo;
	/* list the units with libdw, not from their headers (the tests compare) */
	bool libdw_units;
};

struct convert_stats {
	size_t nr_cus;
	size_t nr_skipped_cus;	/* not C */
	unsigned int nr_threads;	/* worker threads that ran */
	size_t nr_reused;	/* definitions filled from one converted before */
	bool units_from_headers;	/* listed without libdw (list_units_raw()) */
};

int convert__dwarf(const struct input *in, const struct convert_opts *opts,
		   struct tgraph **out, struct convert_stats *stats,
		   char *err, size_t errlen);

#endif
