// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* --stats and --json output of the CLI. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "json.h"
#include "report.h"
#include "strset.h"
#include "tgraph.h"

static const char *const stage_names[RUN_NR_STAGES] = {
	[RUN_READ] = "read",
	[RUN_CONVERT] = "convert",
	[RUN_DEDUP] = "dedup",
	[RUN_VALIDATE] = "validate",
	[RUN_WRITE] = "write",
};

void run_stats__count_graph(struct run_stats *s, const struct tgraph *g)
{
	size_t i;

	memset(s->before, 0, sizeof(s->before));
	s->nr_before = 0;
	/* node 0 is void; a base BTF's types (split output) are not ours */
	for (i = 1; i < g->nr_nodes; i++) {
		uint8_t k = g->nodes[i].kind;

		if (g->nodes[i].flags & TNODE_BASE)
			continue;

		s->before[k < BTF_NR_KINDS ? k : 0]++;
		s->nr_before++;
	}
}

void run_stats__count_btf(struct run_stats *s, const struct d2b_btf *btf)
{
	uint32_t i, size, off;
	const char *data;

	memset(s->after, 0, sizeof(s->after));
	s->nr_after = 0;
	/* split BTF: only its own types, after the base's */
	for (i = d2b_btf__start_id(btf); i < d2b_btf__type_cnt(btf); i++) {
		uint16_t k = d2b_btf_kind(d2b_btf__type_by_id(btf, i));

		s->after[k < BTF_NR_KINDS ? k : 0]++;
		s->nr_after++;
	}
	data = strset__data(d2b_btf__strset(btf), &size);
	s->str_bytes = size;
	s->nr_strings = 0;
	/* offset 0 is the empty string every BTF starts with */
	for (off = 1; off < size; off += (uint32_t)strnlen(data + off, size - off) + 1)
		s->nr_strings++;
}

void run_stats__peak_rss(struct run_stats *s)
{
	struct rusage ru;

	/* Linux: ru_maxrss in kilobytes */
	s->peak_rss = getrusage(RUSAGE_SELF, &ru) ? 0 : (uint64_t)ru.ru_maxrss * 1024;
}

static const char *kind_label(unsigned int k)
{
	return k ? d2b_btf_kind_name((uint16_t)k) : "UNKNOWN";
}

void run_stats__print(const struct run_stats *s, FILE *out)
{
	unsigned int k, i;

	fprintf(out, "dwarf2btf: %s -> %s (%s)\n", s->input, s->output, s->format);
	if (s->base)
		fprintf(out, "  split BTF on    %s (its types counted in neither column)\n", s->base);
	fprintf(out, "  compile units   %zu (%zu not C, skipped), %u thread%s\n",
		s->conv.nr_cus, s->conv.nr_skipped_cus, s->conv.nr_threads,
		s->conv.nr_threads == 1 ? "" : "s");
	fprintf(out, "  %-14s %14s %14s\n", "kind", "before dedup", "after dedup");
	for (k = 0; k < BTF_NR_KINDS; k++) {
		if (!s->before[k] && !s->after[k])
			continue;
		fprintf(out, "  %-14s %14" PRIu32 " %14" PRIu32 "\n", kind_label(k),
			s->before[k], s->after[k]);
	}
	fprintf(out, "  %-14s %14" PRIu64 " %14" PRIu64 "\n", "total", s->nr_before, s->nr_after);
	fprintf(out, "  strings         %" PRIu32 " (%" PRIu32 " bytes)\n",
		s->nr_strings, s->str_bytes);
	fprintf(out, "  output          %" PRIu64 " bytes\n", s->output_bytes);
	fprintf(out, "  FUNCs           %" PRIu32 " written; left out: %" PRIu32
		" arguments moved by the compiler,\n"
		"                  %" PRIu32 " prototypes differ between CUs\n",
		s->encode.funcs, s->encode.funcs_unsafe, s->encode.funcs_inconsistent);
	fprintf(out, "  VARs            %" PRIu32 " per-CPU\n", s->encode.vars);
	fprintf(out, "  seconds         ");
	for (i = 0; i < RUN_NR_STAGES; i++)
		fprintf(out, "%s %.2f,%s", stage_names[i], s->seconds[i],
			i == RUN_VALIDATE ? "\n                  " : " ");
	fprintf(out, "total %.2f\n", s->total_seconds);
	if (s->peak_rss)
		fprintf(out, "  peak memory     %" PRIu64 " MiB\n", s->peak_rss >> 20);
}

static void json_kinds(struct json *j, const uint32_t *counts, uint64_t total)
{
	unsigned int k;

	json__begin_object(j);
	json__key_uint(j, "total", total);
	json__key(j, "per_kind");
	json__begin_object(j);
	/* every kind, so that the keys do not depend on the input */
	for (k = 1; k < BTF_NR_KINDS; k++)
		json__key_uint(j, kind_label(k), counts[k]);
	if (counts[0])
		json__key_uint(j, kind_label(0), counts[0]);
	json__end_object(j);
	json__end_object(j);
}

void run_stats__json(const struct run_stats *s, FILE *out)
{
	struct json j;
	unsigned int i;

	json__init(&j, out);
	json__begin_object(&j);
	json__key_string(&j, "input", s->input);
	json__key_string(&j, "output", s->output);
	json__key_string(&j, "format", s->format);
	if (s->base)
		json__key_string(&j, "base", s->base);
	json__key(&j, "cus");
	json__begin_object(&j);
	json__key_uint(&j, "total", s->conv.nr_cus);
	json__key_uint(&j, "skipped_not_c", s->conv.nr_skipped_cus);
	json__end_object(&j);
	json__key_uint(&j, "threads", s->conv.nr_threads);
	json__key(&j, "types_before_dedup");
	json_kinds(&j, s->before, s->nr_before);
	json__key(&j, "types");
	json_kinds(&j, s->after, s->nr_after);
	json__key(&j, "strings");
	json__begin_object(&j);
	json__key_uint(&j, "count", s->nr_strings);
	json__key_uint(&j, "bytes", s->str_bytes);
	json__end_object(&j);
	json__key_uint(&j, "output_bytes", s->output_bytes);
	json__key(&j, "funcs");
	json__begin_object(&j);
	json__key_uint(&j, "written", s->encode.funcs);
	json__key(&j, "left_out");
	json__begin_object(&j);
	json__key_uint(&j, "arguments_moved", s->encode.funcs_unsafe);
	json__key_uint(&j, "prototypes_differ", s->encode.funcs_inconsistent);
	json__end_object(&j);
	json__end_object(&j);
	json__key_uint(&j, "vars", s->encode.vars);
	json__key(&j, "seconds");
	json__begin_object(&j);
	for (i = 0; i < RUN_NR_STAGES; i++) {
		json__key(&j, stage_names[i]);
		json__double(&j, s->seconds[i], 3);
	}
	json__key(&j, "total");
	json__double(&j, s->total_seconds, 3);
	json__end_object(&j);
	json__key_uint(&j, "peak_rss_bytes", s->peak_rss);
	json__end_object(&j);
	fflush(out);
}

void report__json_error(const char *msg, FILE *out)
{
	struct json j;

	json__init(&j, out);
	json__begin_object(&j);
	json__key_string(&j, "error", msg);
	json__end_object(&j);
	fflush(out);
}

/* One "< KIND NAME: description" line of btf_diff__run() as an object. */
static void json_diff_line(struct json *j, char *line)
{
	char *kind, *name, *desc, *sep;

	if ((line[0] != '<' && line[0] != '>') || line[1] != ' ')
		return;
	kind = line + 2;
	sep = strchr(kind, ' ');
	if (!sep)
		return;
	*sep = '\0';
	name = sep + 1;
	sep = strstr(name, ": ");
	if (sep) {
		*sep = '\0';
		desc = sep + 2;
	} else {
		desc = "";
	}
	json__begin_object(j);
	json__key_string(j, "side", line[0] == '<' ? "a" : "b");
	json__key_string(j, "kind", kind);
	json__key_string(j, "name", strcmp(name, "(anon)") ? name : "");
	json__key_string(j, "description", desc);
	json__end_object(j);
}

void report__diff_json(const char *a, const char *b, const struct btf_diff_stats *stats,
		       const char *lines, size_t len, FILE *out)
{
	const char *p = lines, *end = lines + len;
	char *buf = NULL;
	size_t cap = 0;
	struct json j;
	unsigned int k;

	json__init(&j, out);
	json__begin_object(&j);
	json__key_string(&j, "a", a);
	json__key_string(&j, "b", b);
	json__key(&j, "equal");
	json__bool(&j, !stats->total_differences);
	json__key(&j, "kinds");
	json__begin_object(&j);
	for (k = 0; k < BTF_NR_KINDS; k++) {
		const struct btf_diff_kind_stats *ks = &stats->kind[k];

		if (!ks->a && !ks->b)
			continue;
		json__key(&j, kind_label(k));
		json__begin_object(&j);
		json__key_uint(&j, "a", ks->a);
		json__key_uint(&j, "b", ks->b);
		json__key_uint(&j, "matched", ks->matched);
		json__key_uint(&j, "only_a", ks->only_a);
		json__key_uint(&j, "only_b", ks->only_b);
		json__key_uint(&j, "differ", ks->differ);
		json__end_object(&j);
	}
	json__end_object(&j);
	json__key_uint(&j, "total_differences", stats->total_differences);
	json__key(&j, "differences");
	json__begin_array(&j);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n + 1 > cap) {
			char *nb = realloc(buf, n + 1);

			if (!nb)
				break;	/* the summary above is still right */
			buf = nb;
			cap = n + 1;
		}
		memcpy(buf, p, n);
		buf[n] = '\0';
		json_diff_line(&j, buf);
		p += n + 1;
	}
	json__end_array(&j);
	json__end_object(&j);
	free(buf);
	fflush(out);
}

void report__validate_json(const char *file, uint32_t nr_types, FILE *out)
{
	struct json j;

	json__init(&j, out);
	json__begin_object(&j);
	json__key_string(&j, "file", file);
	json__key(&j, "valid");
	json__bool(&j, true);
	json__key_uint(&j, "types", nr_types);
	json__end_object(&j);
	fflush(out);
}
