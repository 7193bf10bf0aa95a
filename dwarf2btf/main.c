// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * dwarf2btf command line: parses options and runs the stages
 * read -> convert -> dedup -> encode -> validate -> emit (docs/design.md).
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "btf.h"
#include "btf_align.h"
#include "btf_diff.h"
#include "btf_features.h"
#include "btf_raw.h"
#include "c_header.h"
#include "convert.h"
#include "dedup.h"
#include "elf_out.h"
#include "encode.h"
#include "fetch.h"
#include "input.h"
#include "output.h"
#include "progress.h"
#include "report.h"
#include "tgraph.h"
#include "util.h"
#include "workers.h"
#include "validate.h"

#define EXIT_ERROR	1
#define EXIT_USAGE	2
#define EXIT_DIFFERENT	3

enum mode {
	MODE_CONVERT,
	MODE_DIFF,
	MODE_VALIDATE,
	MODE_HEADER,
};

struct options {
	enum mode mode;
	const char *input;
	const char *input2;
	const char *output;
	unsigned int jobs;
	int verbose;
	bool format_elf;		/* --format elf */
	uint32_t target_kernel;		/* --target-kernel, 0: from the input */
	unsigned int features;		/* --btf-features */
	bool features_set;
	bool quiet;			/* -q: no progress display */
	bool stats;			/* --stats */
	bool json;			/* --json: results and errors as JSON on stdout */
	const char *types;		/* --types: comma-separated names */
	const char *base;		/* --base: split BTF on top of this BTF */
	const char *kernel;		/* --kernel: which kernel of a package */
	const char *build_id;		/* --build-id: fetch this kernel's from debuginfod */
	const struct d2b_btf *base_btf;	/* ... read once, by main() */
};

/*
 * One screen: at most 24 lines of 80 columns, the two everyday commands
 * first; the details are in docs/dwarf2btf.1, which lists the same long
 * options (tests/cases/ux.sh checks both).
 */
static const char usage_text[] =
	"usage: dwarf2btf [OPTIONS] [INPUT] -o OUTPUT   DWARF of a debug vmlinux to BTF\n"
	"       dwarf2btf --header [INPUT] > vmlinux.h  C header for BPF programs\n"
	"       dwarf2btf --diff A B | --validate FILE\n"
	"INPUT: a debug vmlinux, its .deb/.ddeb/.rpm, or - (stdin); none: this kernel's\n"
	"e.g.   dwarf2btf linux-image-$(uname -r)-dbg_*.deb -o vmlinux.btf\n"
	"\n"
	"  -o, --output FILE     write to FILE (\"-\": stdout); a conversion also puts\n"
	"                        INPUT's build-id in FILE.build-id\n"
	"      --format raw|elf  raw BTF (default), or ELF with .BTF for libbpf <= 1.0\n"
	"      --header          a vmlinux.h from INPUT: DWARF, BTF or ELF with .BTF\n"
	"      --types LIST      with --header: only these types (comma-separated)\n"
	"      --base FILE       split BTF (a module's) on top of the BTF in FILE\n"
	"      --kernel REL      the kernel REL of a package that holds several\n"
	"      --build-id HEX    the debug vmlinux of build-id HEX, from DEBUGINFOD_URLS\n"
	"      --target-kernel X.Y  only BTF kinds kernel X.Y accepts (default: INPUT's)\n"
	"      --btf-features LIST  float,decl_tag,type_tag,enum64 | all | none\n"
	"  -j, --jobs N          worker threads (default: the number of online CPUs)\n"
	"  -q, --quiet           no progress line;  -v, --verbose  say what was left out\n"
	"      --stats           types per kind, strings, size, time per stage (stderr)\n"
	"      --json            statistics, results or errors as JSON on stdout\n"
	"      --diff A B        compare two BTFs type by type (exit 3: they differ)\n"
	"      --validate FILE   check FILE against the kernel's BTF rules\n"
	"  -h, --help            this help; all details: man dwarf2btf\n"
	"  -V, --version         the version\n";

static void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "dwarf2btf: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'dwarf2btf --help' for more information.\n");
	exit(EXIT_USAGE);
}

static unsigned int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned int)n : 1;
}

enum {
	OPT_DIFF = 256, OPT_VALIDATE, OPT_FORMAT, OPT_TARGET_KERNEL, OPT_BTF_FEATURES,
	OPT_STATS, OPT_JSON, OPT_HEADER, OPT_TYPES, OPT_BASE, OPT_KERNEL, OPT_BUILD_ID,
};

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "target-kernel", required_argument, NULL, OPT_TARGET_KERNEL },
	{ "btf-features", required_argument, NULL, OPT_BTF_FEATURES },
	{ "diff", no_argument, NULL, OPT_DIFF },
	{ "validate", no_argument, NULL, OPT_VALIDATE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "header", no_argument, NULL, OPT_HEADER },
	{ "types", required_argument, NULL, OPT_TYPES },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "build-id", required_argument, NULL, OPT_BUILD_ID },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* An option whose argument must be checked: into @o, or exits with a usage error. */
static void parse_value(int c, const char *arg, struct options *o)
{
	unsigned char id[FETCH_MAX_BUILD_ID];
	unsigned int major, minor;
	char bad[64], extra, *end;
	size_t len;
	long n;

	switch (c) {
	case 'j':
		errno = 0;
		n = strtol(arg, &end, 10);
		if (errno || *end || n < 1 || n > 1024)
			usage_error("invalid job count '%s'", arg);
		o->jobs = (unsigned int)n;
		break;
	case OPT_TARGET_KERNEL:
		if (sscanf(arg, "%u.%u%c", &major, &minor, &extra) < 2 ||
		    major > 255 || minor > 255)
			usage_error("invalid kernel version '%s' (want X.Y)", arg);
		o->target_kernel = KERNEL_VERSION_CODE(major, minor);
		break;
	case OPT_BTF_FEATURES:
		if (btf_features__parse(arg, &o->features, bad, sizeof(bad)))
			usage_error("unknown BTF feature '%s' (float, decl_tag, type_tag, enum64, all, none)",
				    bad);
		o->features_set = true;
		break;
	case OPT_BUILD_ID:
		if (fetch__parse_build_id(arg, id, &len))
			usage_error("invalid build-id '%s' (want 2 to 128 hex digits)", arg);
		o->build_id = arg;
		break;
	case OPT_FORMAT:
		if (!strcmp(arg, "elf"))
			o->format_elf = true;
		else if (!strcmp(arg, "raw"))
			o->format_elf = false;
		else
			usage_error("unknown output format '%s' (raw or elf)", arg);
		break;
	}
}

/* One option of longopts[] (a value of getopt_long()) into @o; may exit. */
static void parse_option(int c, const char *arg, struct options *o)
{
	switch (c) {
	case 'o':
		o->output = arg;
		break;
	case 'v':
		o->verbose++;
		break;
	case 'q':
		o->quiet = true;
		break;
	case OPT_STATS:
		o->stats = true;
		break;
	case OPT_JSON:
		o->json = true;
		break;
	case OPT_DIFF:
		o->mode = MODE_DIFF;
		break;
	case OPT_VALIDATE:
		o->mode = MODE_VALIDATE;
		break;
	case OPT_HEADER:
		o->mode = MODE_HEADER;
		break;
	case OPT_BASE:
		o->base = arg;
		break;
	case OPT_KERNEL:
		o->kernel = arg;
		break;
	case OPT_TYPES:
		o->types = arg;
		break;
	case 'j':
	case OPT_TARGET_KERNEL:
	case OPT_BTF_FEATURES:
	case OPT_BUILD_ID:
	case OPT_FORMAT:
		parse_value(c, arg, o);
		break;
	case 'h':
		fputs(usage_text, stdout);
		exit(0);
	case 'V':
		printf("dwarf2btf %s\n", DWARF2BTF_VERSION);
		exit(0);
	default:
		/* getopt_long has said what is wrong */
		fputs("Try 'dwarf2btf --help' for more information.\n", stderr);
		exit(EXIT_USAGE);
	}
}

/* The operands the mode takes, and the options that do not go together. */
static void check_operands(int nargs, char **args, struct options *o)
{
	if (o->types && o->mode != MODE_HEADER)
		usage_error("%s", "--types applies to --header");
	switch (o->mode) {
	case MODE_DIFF:
		if (nargs != 2)
			usage_error("%s", "--diff takes two files");
		o->input = args[0];
		o->input2 = args[1];
		break;
	case MODE_VALIDATE:
		if (nargs != 1)
			usage_error("%s", "--validate takes one file");
		o->input = args[0];
		break;
	case MODE_HEADER:
		if (nargs > 1)
			usage_error("%s", "--header takes at most one input file");
		o->input = nargs ? args[0] : NULL;
		if (o->json || o->stats)
			usage_error("%s", "--json and --stats apply to a conversion, not to --header");
		break;
	case MODE_CONVERT:
		if (nargs > 1)
			usage_error("%s", "too many input files");
		if (!o->output)
			usage_error("%s", "no output file (-o)");
		o->input = nargs ? args[0] : NULL;
		break;
	}
	if ((o->kernel || o->build_id) && (o->mode == MODE_DIFF || o->mode == MODE_VALIDATE))
		usage_error("%s", "--kernel and --build-id apply to a conversion or --header");
	if (o->build_id && o->input)
		usage_error("%s", "--build-id names the input: give no INPUT file");
	if (o->json && o->output && !strcmp(o->output, "-"))
		usage_error("%s", "--json writes to standard output: give -o a file");
	if (o->stats && (o->mode == MODE_DIFF || o->mode == MODE_VALIDATE))
		usage_error("%s", "--stats applies to a conversion (--diff and --validate print their own summary)");
}

static void parse_args(int argc, char **argv, struct options *o)
{
	int c;

	o->jobs = online_cpus();
	while ((c = getopt_long(argc, argv, "o:j:qvhV", longopts, NULL)) != -1)
		parse_option(c, optarg, o);
	check_operands(argc - optind, argv + optind, o);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void print_kind_counts(const struct d2b_btf *btf, FILE *f)
{
	uint32_t counts[BTF_NR_KINDS] = { 0 }, i;

	for (i = 1; i < d2b_btf__type_cnt(btf); i++)
		counts[d2b_btf_kind(d2b_btf__type_by_id(btf, i))]++;
	for (i = 1; i < BTF_NR_KINDS; i++)
		if (counts[i])
			fprintf(f, "dwarf2btf:   %-10s %u\n", d2b_btf_kind_name((uint16_t)i), counts[i]);
}

/*
 * Writes the converted BTF to o->output (raw, or wrapped in ELF), then the
 * input's build-id to o->output.build-id so that a BTF file can later be
 * matched with the kernel it describes (kbuild/check-build-id.sh). An
 * input without a build-id removes a stale .build-id file. *@written is
 * the size of the file written.
 */
static int write_output(const struct options *o, const struct input *in,
			const void *raw, uint32_t size, uint64_t *written,
			char *err, size_t errlen)
{
	const unsigned char *id;
	size_t id_len = 0, i, elf_size;
	char *path = NULL, line[2 * 64 + 2];
	void *elf = NULL;
	struct stat st;
	int ret;

	id = input__build_id(in, &id_len);
	if (o->format_elf) {
		ret = elf_out__image(raw, size, input__big_endian(in), input__ptr_size(in) == 8,
				     input__machine(in), id, id ? id_len : 0, &elf, &elf_size,
				     err, errlen);
		if (ret) {
			char msg[1024];

			/* a bounded copy: gcc's -Wformat-truncation (an error under CI) */
			snprintf(msg, sizeof(msg), "%s: %.*s", o->output, (int)sizeof(msg) / 2, err);
			snprintf(err, errlen, "%s", msg);
			return ret;
		}
		ret = output__write(o->output, elf, elf_size, err, errlen);
		free(elf);
		*written = elf_size;
	} else {
		ret = output__write(o->output, raw, size, err, errlen);
		*written = size;
	}
	/* BTF written into a device or a FIFO (-o /dev/stdout) has no file beside it */
	if (ret || !strcmp(o->output, "-") || stat(o->output, &st) || !S_ISREG(st.st_mode))
		return ret;
	if (asprintf(&path, "%s.build-id", o->output) < 0) {
		snprintf(err, errlen, "%s.build-id: out of memory", o->output);
		return -ENOMEM;
	}
	if (id && id_len && id_len <= 64) {
		for (i = 0; i < id_len; i++)
			snprintf(line + 2 * i, 3, "%02x", id[i]);
		line[2 * id_len] = '\n';
		ret = output__write(path, line, 2 * id_len + 1, err, errlen);
	} else if (unlink(path) && errno != ENOENT) {
		ret = -errno;
		snprintf(err, errlen, "%s: cannot remove stale build-id: %s", path, strerror(errno));
	}
	free(path);
	return ret;
}

/* The BTF kinds to write: as asked, else what the target kernel accepts. */
static unsigned int target_features(const struct options *o, const struct input *in,
				    FILE *log)
{
	uint32_t version = o->target_kernel ? o->target_kernel : input__kernel_version(in);
	unsigned int f;
	char names[64];

	if (o->features_set)
		f = o->features;
	else
		f = version ? btf_features__for_kernel(version) : BTF_FEAT_ALL;
	if (o->verbose && version)
		fprintf(log, "dwarf2btf: %s: %s %u.%u, BTF kinds beyond the basics: %s\n",
			o->input, o->target_kernel ? "target kernel" : "Linux",
			version >> 16, (version >> 8) & 0xff, btf_features__str(f, names, sizeof(names)));
	return f;
}

/* A failed run: "dwarf2btf: MSG" on stderr, or {"error":"MSG"} with --json. */
static void print_error(const struct options *o, const char *msg)
{
	if (o->json)
		report__json_error(msg, stdout);
	else
		fprintf(stderr, "dwarf2btf: %s\n", msg);
}

/* Progress on stderr only for a person watching a terminal. */
static bool want_progress(const struct options *o)
{
	const char *term = getenv("TERM");

	return !o->quiet && isatty(STDERR_FILENO) && !(term && !strcmp(term, "dumb"));
}

/*
 * Frees the type graph on another thread: unmapping it, the largest
 * allocation, then overlaps validating and writing the BTF, while the
 * other CPUs have nothing left to do.
 */
static int reap_graph(void *g)
{
	tgraph__free(g);
	return 0;
}

/*
 * The conversion pipeline, shared by converting and --header: the DWARF of
 * the open input @in to deduplicated, validated BTF in *@out. Fills the
 * times and counts of @s. *@align is the DWARF alignment table for the
 * header writer, NULL until encode__btf() hands one out. The graph is
 * freed by @reaper if there is one. On failure returns -errno with the
 * message in @err.
 */
static int build_btf(const struct options *o, struct input *in, struct progress *prog,
		     struct run_stats *s, struct d2b_btf **out, struct btf_align **align,
		     struct bg_task *reaper, char *err, size_t errlen)
{
	struct convert_opts copts = { .jobs = o->jobs, .verbose = o->verbose, .log = prog->log,
				      .progress = progress__cus, .progress_ctx = prog,
				      .base = o->base_btf };
	struct dedup_opts dopts = { .jobs = o->jobs, .verbose = o->verbose, .log = prog->log,
				    .base = o->base_btf };
	struct encode_opts eopts = { .jobs = o->jobs, .verbose = o->verbose, .log = prog->log,
				     .base = o->base_btf, .align_out = align };
	struct dedup_result res = { 0 };
	struct tgraph *g = NULL;
	struct d2b_btf *btf = NULL;
	double t = now(), t_conv;
	char derr[512];
	int ret;

	*out = NULL;
	*align = NULL;
	progress__stage(prog, "converting");
	ret = convert__dwarf(in, &copts, &g, &s->conv, err, errlen);
	if (ret)
		goto out;
	t_conv = now();
	s->seconds[RUN_CONVERT] = t_conv - t;
	/* a pass over every node: only for the report that shows it */
	if (o->stats || o->json)
		run_stats__count_graph(s, g);
	progress__stage(prog, "deduplicating");
	eopts.ptr_size = input__ptr_size(in);
	eopts.features = target_features(o, in, prog->log);
	encode__prepare(g, eopts.features);
	ret = dedup__run(g, &dopts, &res, &s->dedup, derr, sizeof(derr));
	if (!ret)
		ret = encode__btf(g, &res, &eopts, &btf, &s->encode, derr, sizeof(derr));
	if (ret) {
		/* the dedup and encode stages do not know the file: name it */
		snprintf(err, errlen, "%s: %s", o->input, derr);
		goto out;
	}
	t = now();
	s->seconds[RUN_DEDUP] = t - t_conv;
	dedup_result__free(&res);
	if (reaper)
		bg_task__start(reaper, reap_graph, g, true);
	else
		tgraph__free(g);
	g = NULL;
	progress__stage(prog, "validating");
	ret = d2b_btf__validate(btf, err, errlen);
	if (ret) {
		/*
		 * Compilers' DWARF converts to valid BTF (the fixtures and the
		 * real kernel test that); broken or hostile DWARF may describe
		 * what BTF cannot hold: a typedef without a name, a member
		 * beyond its struct, a name of 200 characters, ... The rule
		 * broken names the type (docs/robustness.md).
		 */
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s: DWARF describes types BTF cannot hold: %.900s",
			 input__path(in), err);
		snprintf(err, errlen, "%s", msg);
		goto out;
	}
	s->seconds[RUN_VALIDATE] = now() - t;
	*out = btf;
	btf = NULL;
out:
	dedup_result__free(&res);
	d2b_btf__free(btf);
	tgraph__free(g);
	return ret;
}

/* @pattern with each "%r" replaced by @release, after @root. */
static void kernel_path(char *buf, size_t len, const char *root, const char *pattern,
			const char *release)
{
	size_t n = (size_t)snprintf(buf, len, "%s", root);

	for (; *pattern && n + 1 < len; pattern++) {
		if (pattern[0] == '%' && pattern[1] == 'r') {
			n += (size_t)snprintf(buf + n, len - n, "%s", release);
			pattern++;
		} else {
			buf[n++] = *pattern;
			buf[n] = '\0';
		}
	}
}

/*
 * No INPUT: the running kernel's BTF (for --header, which reads BTF; a
 * conversion wants DWARF), else its debug vmlinux where distributions
 * install it (libbpf looks in the same places). D2B_ROOT, for the tests,
 * is put in front of every path.
 */
static int find_kernel_input(bool btf_ok, bool has_urls, char *path, size_t len, char *err,
			     size_t errlen)
{
	static const char *const where[] = {
		"/sys/kernel/btf/vmlinux",
		"/usr/lib/debug/boot/vmlinux-%r",
		"/usr/lib/debug/lib/modules/%r/vmlinux",
		"/boot/vmlinux-%r",
		"/lib/modules/%r/vmlinux-%r",
		"/lib/modules/%r/build/vmlinux",
		"/usr/lib/debug/boot/vmlinux-%r.debug",
	};
	const char *root = getenv("D2B_ROOT");
	struct utsname u;
	size_t i, n;

	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	for (i = btf_ok ? 0 : 1; i < ARRAY_SIZE(where); i++) {
		kernel_path(path, len, root ? root : "", where[i], u.release);
		if (!access(path, R_OK))
			return 0;
	}
	n = (size_t)snprintf(err, errlen, "no %sdebug vmlinux of the running kernel (%s); tried:",
			     btf_ok ? "BTF or " : "", u.release);
	for (i = btf_ok ? 0 : 1; i < ARRAY_SIZE(where) && n < errlen; i++) {
		kernel_path(path, len, root ? root : "", where[i], u.release);
		n += (size_t)snprintf(err + n, errlen - n, "\n  %s", path);
	}
	if (n < errlen)
		snprintf(err + n, errlen - n,
			 "\nthe debug vmlinux comes with linux-image-%s-dbg (Debian) or -dbgsym (Ubuntu),"
			 " kernel-debuginfo (RHEL, Fedora); or name an INPUT%s", u.release,
			 has_urls ? "" : ", or set DEBUGINFOD_URLS");
	return -ENOENT;
}

/*
 * Raw BTF or an ELF file's .BTF from @path, which must pass the validator:
 * the header writer relies on it, and so does the conversion for a --base,
 * whose types become the type graph's first nodes with their references
 * as they are (one to a missing type would lead outside its tables).
 */
static int read_valid_btf(const char *path, struct d2b_btf **out, char *err, size_t errlen)
{
	char msg[1024];
	int ret = d2b_btf__parse_file(path, out, err, errlen);

	if (ret)
		return ret;
	ret = d2b_btf__validate(*out, msg, sizeof(msg));
	if (ret) {
		snprintf(err, errlen, "%s: not valid BTF: %s", path, msg);
		d2b_btf__free(*out);
		*out = NULL;
	}
	return ret;
}

/*
 * No INPUT: --build-id's debug file from the debuginfod servers; else the
 * running kernel's local files (find_kernel_input()), else its build-id,
 * from /sys/kernel/notes, from the servers if DEBUGINFOD_URLS names any.
 * The path goes to @found, or to *@fetched (to be freed) when downloaded.
 */
static int default_input(const struct options *o, struct progress *prog, char *found,
			 size_t len, char **fetched, char *err, size_t errlen)
{
	unsigned char id[FETCH_MAX_BUILD_ID];
	const char *urls = getenv("DEBUGINFOD_URLS"), *root = getenv("D2B_ROOT");
	char notes[PATH_MAX], local[2048];
	size_t id_len;
	int ret;

	*fetched = NULL;
	if (o->build_id) {
		ret = fetch__parse_build_id(o->build_id, id, &id_len);
	} else {
		ret = find_kernel_input(o->mode == MODE_HEADER, urls && *urls, found, len, err,
					errlen);
		if (!ret || !urls || !*urls)
			return ret;
		snprintf(local, sizeof(local), "%s", err);
		snprintf(notes, sizeof(notes), "%s/sys/kernel/notes", root ? root : "");
		ret = fetch__kernel_build_id(notes, id, &id_len, err, errlen);
	}
	if (!ret) {
		progress__stage(prog, "downloading");
		ret = fetch__debuginfo(id, id_len, progress__bytes, prog, fetched, err, errlen);
	}
	if (ret && !o->build_id) {
		size_t n = strlen(err);

		snprintf(err + n, errlen - n, "\n%s", local);
	}
	return ret;
}

/* Opens o->input, a package's kernel as --kernel says. */
static int open_input(const struct options *o, struct progress *prog, struct input **in,
		      char *err, size_t errlen)
{
	struct package_opts popts = { .kernel = o->kernel, .progress = progress__bytes,
				      .progress_ctx = prog };
	int ret;

	ret = input__open(o->input, &popts, in, err, errlen);
	if (ret)
		return ret;
	if (o->kernel && !input__member(*in)) {
		snprintf(err, errlen, "%s: --kernel %s picks a kernel in a package, and this is none",
			 o->input, o->kernel);
		input__close(*in);
		*in = NULL;
		return -EINVAL;
	}
	if (o->verbose && input__member(*in))
		fprintf(prog->log, "dwarf2btf: %s: unpacked %s into memory\n", input__path(*in),
			input__member(*in));
	return 0;
}

static int cmd_convert(const struct options *opts)
{
	struct options co = *opts, *o = &co;
	struct run_stats s = { .output = o->output,
			       .format = o->format_elf ? "elf" : "raw", .base = o->base };
	struct bg_task reaper = { .started = false };
	struct btf_align *align = NULL;
	struct progress prog;
	struct input *in = NULL;
	struct d2b_btf *btf = NULL;
	void *raw = NULL;
	uint32_t size;
	char err[4096], found[PATH_MAX], *fetched = NULL;
	double t0 = now(), t;
	bool swap;
	int ret;

	progress__init(&prog, stderr, want_progress(o));
	if (!o->input) {
		ret = default_input(o, &prog, found, sizeof(found), &fetched, err, sizeof(err));
		if (ret)
			goto out_err;
		o->input = fetched ? fetched : found;
		if (o->verbose)
			fprintf(prog.log, "dwarf2btf: converting %s\n", o->input);
	}
	s.input = o->input;
	progress__stage(&prog, "reading");
	ret = open_input(o, &prog, &in, err, sizeof(err));
	if (ret)
		goto out_err;
	s.seconds[RUN_READ] = now() - t0;
	ret = build_btf(o, in, &prog, &s, &btf, &align, &reaper, err, sizeof(err));
	if (ret)
		goto out_err;
	t = now();
	progress__stage(&prog, "writing");
	swap = input__big_endian(in) != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	ret = d2b_btf__raw_data(btf, swap, &raw, &size);
	if (ret) {
		const char *why = "out of memory";

		if (ret == -E2BIG)
			why = "the BTF would be larger than the 4 GiB its 32-bit offsets address";
		else if (ret != -ENOMEM)
			why = "a type record disagrees with its kind (a dwarf2btf bug)";
		snprintf(err, sizeof(err), "%s: %s", o->output, why);
		goto out_err;
	}
	ret = write_output(o, in, raw, size, &s.output_bytes, err, sizeof(err));
	if (ret)
		goto out_err;
	progress__end(&prog);
	s.seconds[RUN_WRITE] = now() - t;
	s.total_seconds = now() - t0;
	run_stats__count_btf(&s, btf);
	run_stats__peak_rss(&s);
	if (o->json)
		run_stats__json(&s, stdout);
	else if (o->stats)
		run_stats__print(&s, stderr);
	if (o->verbose && !o->stats) {
		fprintf(stderr, "dwarf2btf: %s: %zu CUs (%zu not C), %u types, %u bytes\n",
			o->input, s.conv.nr_cus, s.conv.nr_skipped_cus, d2b_btf__type_cnt(btf) - 1, size);
		fprintf(stderr, "dwarf2btf: FUNCs: %u written, %u left out (arguments moved by the compiler), %u left out (prototypes differ between CUs)\n",
			s.encode.funcs, s.encode.funcs_unsafe, s.encode.funcs_inconsistent);
		print_kind_counts(btf, stderr);
		fprintf(stderr, "dwarf2btf: time: convert %.2fs, dedup %.2fs, validate and write %.2fs\n",
			s.seconds[RUN_READ] + s.seconds[RUN_CONVERT], s.seconds[RUN_DEDUP],
			s.seconds[RUN_VALIDATE] + s.seconds[RUN_WRITE]);
	}
	goto out;
out_err:
	progress__end(&prog);
	print_error(o, err);
out:
	progress__end(&prog);
	free(raw);
	d2b_btf__free(btf);
	btf_align__free(align);
	input__close(in);
	bg_task__join(&reaper);
	free(fetched);
	return ret ? EXIT_ERROR : 0;
}

static int cmd_diff(const struct options *o)
{
	struct d2b_btf *a = NULL, *b = NULL;
	struct btf_diff_stats stats;
	char err[1024], *lines = NULL;
	size_t len = 0;
	FILE *mem = NULL;	/* --json: the difference lines, parsed later */
	int ret;

	ret = d2b_btf__parse_file_split(o->input, o->base_btf, &a, err, sizeof(err));
	if (!ret)
		ret = d2b_btf__parse_file_split(o->input2, o->base_btf, &b, err, sizeof(err));
	if (!ret && o->json) {
		mem = open_memstream(&lines, &len);
		if (!mem) {
			ret = -errno;
			snprintf(err, sizeof(err), "out of memory");
		}
	}
	if (!ret) {
		ret = btf_diff__run(a, b, mem ? mem : stdout, &stats);
		if (ret == -E2BIG)
			snprintf(err, sizeof(err), "%s, %s: comparison stopped: the type descriptions grow beyond 256 MiB (anonymous types nested and shared far more than in any kernel)",
				 o->input, o->input2);
		else if (ret == -EIO)
			snprintf(err, sizeof(err), "<stdout>: cannot write the differences");
		else if (ret)
			snprintf(err, sizeof(err), "out of memory");
	}
	if (mem && fclose(mem) && !ret) {
		ret = -ENOMEM;
		snprintf(err, sizeof(err), "out of memory");
	}
	d2b_btf__free(a);
	d2b_btf__free(b);
	if (ret) {
		print_error(o, err);
		free(lines);
		return EXIT_ERROR;
	}
	if (o->json)
		report__diff_json(o->input, o->input2, &stats, lines, len, stdout);
	else
		btf_diff__print_summary(&stats, stdout);
	free(lines);
	return stats.total_differences ? EXIT_DIFFERENT : 0;
}

static int cmd_validate(const struct options *o)
{
	struct d2b_btf *btf = NULL;
	char err[1024];
	int ret;

	ret = d2b_btf__parse_file_split(o->input, o->base_btf, &btf, err, sizeof(err));
	if (!ret) {
		ret = d2b_btf__validate(btf, err, sizeof(err));
		/* with a target named, also the kinds its consumers know */
		if (!ret && (o->features_set || o->target_kernel))
			ret = btf_features__check(btf, o->features_set ? o->features :
						  btf_features__for_kernel(o->target_kernel),
						  err, sizeof(err));
		if (ret) {
			char msg[1100];

			snprintf(msg, sizeof(msg), "%s: %s", o->input, err);
			memcpy(err, msg, sizeof(err) - 1);
			err[sizeof(err) - 1] = '\0';
		}
	}
	if (ret) {
		print_error(o, err);
		d2b_btf__free(btf);
		return EXIT_ERROR;
	}
	if (o->json)
		report__validate_json(o->input, d2b_btf__type_cnt(btf) - 1, stdout);
	else
		printf("%s: valid BTF, %u types\n", o->input, d2b_btf__type_cnt(btf) - 1);
	d2b_btf__free(btf);
	return 0;
}

/* Does @path start with the BTF magic (either byte order)? */
static bool has_btf_magic(const char *path)
{
	unsigned char m[2];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = pread(fd, m, sizeof(m), 0) == (ssize_t)sizeof(m) &&
	     ((m[0] == 0x9f && m[1] == 0xeb) || (m[0] == 0xeb && m[1] == 0x9f));
	close(fd);
	return ok;
}

/*
 * The BTF to write a header for: raw BTF as it is; an ELF file with DWARF
 * converted as for -o; an ELF file without DWARF by its .BTF, validated.
 */
static int header_btf(const struct options *o, struct progress *prog, struct d2b_btf **btf,
		      struct btf_align **align, char *err, size_t errlen)
{
	struct run_stats s = { .input = o->input };
	struct input *in = NULL;
	int ret;

	*btf = NULL;
	*align = NULL;
	progress__stage(prog, "reading");
	if (!has_btf_magic(o->input)) {
		ret = open_input(o, prog, &in, err, errlen);
		if (ret != -ENODATA) {
			if (!ret)
				ret = build_btf(o, in, prog, &s, btf, align, NULL, err, errlen);
			input__close(in);
			return ret;
		}
	}
	return read_valid_btf(o->input, btf, err, errlen);
}

/* --types a,b,c: the names, in a copy of the list that *@buf owns. */
static int split_types(const char *list, char **buf, const char ***names, size_t *nr)
{
	size_t n = 0, cap = 0;
	char *p, *save = NULL;

	*names = NULL;
	*nr = 0;
	*buf = strdup(list);
	if (!*buf)
		return -ENOMEM;
	for (p = strtok_r(*buf, ", ", &save); p; p = strtok_r(NULL, ", ", &save)) {
		if (grow_buf((void **)names, &cap, sizeof(**names), n + 1))
			return -ENOMEM;
		(*names)[n++] = p;
	}
	*nr = n;
	return 0;
}

static int cmd_header(const struct options *o)
{
	struct options ho = *o;
	struct c_header_opts hopts = { 0 };
	struct btf_align *align = NULL;
	struct progress prog;
	struct d2b_btf *btf = NULL;
	char err[4096], msg[1024], found[PATH_MAX], *text = NULL, *list = NULL;
	char *fetched = NULL;
	const char **names = NULL;
	size_t len = 0;
	FILE *mem;
	int ret;

	progress__init(&prog, stderr, want_progress(o));
	if (!ho.input) {
		ret = default_input(o, &prog, found, sizeof(found), &fetched, err, sizeof(err));
		if (ret)
			goto out_err;
		ho.input = fetched ? fetched : found;
	}
	if (o->types) {
		ret = split_types(o->types, &list, &names, &hopts.nr_types);
		if (ret) {
			snprintf(err, sizeof(err), "out of memory");
			goto out_err;
		}
		hopts.types = names;
	}
	ret = header_btf(&ho, &prog, &btf, &align, err, sizeof(err));
	if (ret)
		goto out_err;
	hopts.align = align;
	progress__stage(&prog, "writing");
	mem = open_memstream(&text, &len);
	if (!mem) {
		ret = -ENOMEM;
		snprintf(err, sizeof(err), "out of memory");
		goto out_err;
	}
	ret = c_header__write(btf, &hopts, mem, msg, sizeof(msg));
	if (fclose(mem) && !ret) {
		ret = -ENOMEM;
		snprintf(msg, sizeof(msg), "out of memory");
	}
	if (ret) {
		snprintf(err, sizeof(err), "%s: %s", ho.input, msg);
		goto out_err;
	}
	ret = output__write(o->output ? o->output : "-", text, len, err, sizeof(err));
	if (ret)
		goto out_err;
	progress__end(&prog);
	if (o->verbose)
		fprintf(stderr, "dwarf2btf: %s: header of %zu bytes from %u types\n",
			ho.input, len, d2b_btf__type_cnt(btf) - 1);
	goto out;
out_err:
	progress__end(&prog);
	print_error(o, err);
out:
	free(text);
	free(list);
	free(names);
	free(fetched);
	d2b_btf__free(btf);
	btf_align__free(align);
	return ret ? EXIT_ERROR : 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct d2b_btf *base = NULL;
	char err[1024];
	int ret;

	parse_args(argc, argv, &o);
	if (o.base) {
		if (read_valid_btf(o.base, &base, err, sizeof(err))) {
			print_error(&o, err);
			return EXIT_ERROR;
		}
		o.base_btf = base;
	}
	switch (o.mode) {
	case MODE_DIFF:
		ret = cmd_diff(&o);
		break;
	case MODE_VALIDATE:
		ret = cmd_validate(&o);
		break;
	case MODE_HEADER:
		ret = cmd_header(&o);
		break;
	default:
		ret = cmd_convert(&o);
		break;
	}
	d2b_btf__free(base);
	/* a report on stdout that did not get out (a full disk) is a failure */
	if ((fflush(stdout) || ferror(stdout)) && ret != EXIT_ERROR) {
		fprintf(stderr, "dwarf2btf: <stdout>: cannot write\n");
		ret = EXIT_ERROR;
	}
	return ret;
}
