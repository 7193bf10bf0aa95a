/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * What the CLI tells about a run (--stats, --json): the stages' stats
 * structs and counts taken from their results, printed as a table for
 * people or as one JSON object for programs. Nothing here runs a stage.
 */
#ifndef D2B_REPORT_H
#define D2B_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "btf.h"
#include "btf_diff.h"
#include "convert.h"
#include "dedup.h"
#include "encode.h"

struct tgraph;

enum run_stage {
	RUN_READ,		/* opening the input */
	RUN_CONVERT,
	RUN_DEDUP,
	RUN_VALIDATE,
	RUN_WRITE,
	RUN_NR_STAGES,
};

struct run_stats {
	const char *input;
	const char *output;
	const char *format;			/* "raw", "elf" */
	const char *base;			/* --base: the BTF split on, or NULL */
	struct convert_stats conv;
	struct dedup_stats dedup;
	struct encode_stats encode;
	/* split BTF (--base): the base's types are counted in neither */
	uint32_t before[BTF_NR_KINDS];		/* type graph nodes per kind, before dedup */
	uint32_t after[BTF_NR_KINDS];		/* BTF types per kind; 0: unknown kinds */
	uint64_t nr_before, nr_after;
	uint32_t nr_strings;			/* without the empty string at offset 0 */
	uint32_t str_bytes;			/* the string section */
	uint64_t output_bytes;			/* the file written */
	double seconds[RUN_NR_STAGES];
	double total_seconds;
	uint64_t peak_rss;			/* bytes, 0 if unknown */
};

void run_stats__count_graph(struct run_stats *s, const struct tgraph *g);
void run_stats__count_btf(struct run_stats *s, const struct d2b_btf *btf);
/* Takes the peak memory use of the process so far. */
void run_stats__peak_rss(struct run_stats *s);

/* The table --stats prints (to stderr). */
void run_stats__print(const struct run_stats *s, FILE *out);
/* One JSON object on one line. */
void run_stats__json(const struct run_stats *s, FILE *out);

/* {"error":"@msg"} on one line. */
void report__json_error(const char *msg, FILE *out);

/*
 * --diff --json: the summary per kind and every difference, parsed from
 * the lines btf_diff__run() wrote (@lines, @len bytes).
 */
void report__diff_json(const char *a, const char *b, const struct btf_diff_stats *stats,
		       const char *lines, size_t len, FILE *out);

/* --validate --json */
void report__validate_json(const char *file, uint32_t nr_types, FILE *out);

#endif
