// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The convert stage's driver: the units of the input, converted on worker
 * threads and put together into one type graph.
 *
 * Worker threads (workers.h), each with a libdw handle of its own, take
 * CUs in turn and convert each into a graph of its own (convert_die.c);
 * finished CU graphs are appended to the result strictly in CU order, so
 * the result does not depend on the thread count or on scheduling. Each
 * worker keeps its names in a string set of its own; they are merged into
 * the result's once all are done (merge_names()).
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <gelf.h>
#include <errno.h>
#include <inttypes.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "convert.h"
#include "convert_die.h"
#include "encode.h"
#include "input.h"
#include "strset.h"
#include "tgraph.h"
#include "util.h"
#include "workers.h"

/* A DWARF 4 type unit, in .debug_types; its offset is in that section. */
#define UNIT_IN_TYPES (1ULL << 63)

/* .debug_info as a worker's handle maps it from the file, if it does. */
struct mapped_section {
	const char *base;
	size_t size;
	size_t released;	/* pages before this offset are given back */
};

/*
 * A CU's graph goes back to the worker that converted it once appended,
 * to be emptied and filled again: freed by the worker appending it, its
 * arrays went back to the converter's malloc arena, whose lock the
 * converter then waited for (in realloc, free and libdw's tsearch).
 */
#define SPENT_MAX 8

/* One worker thread: its share of the job, and what it keeps between units. */
struct worker {
	struct convert_job *job;
	uint32_t index;
	struct strset *strs;	/* the names of the CUs it converts */
	struct tgraph *spent[SPENT_MAX];	/* appended graphs, under the lock */
	unsigned int nr_spent;

	struct cu_conv *conv;
	struct dwarf_handle h;
	bool open;		/* h is */
	struct mapped_section info;
	struct tgraph *spare;	/* a graph to fill again */
	size_t units;		/* converted so far */
	char errmsg[512];
};

/* Shared by the workers. */
struct convert_job {
	const struct input *in;
	const struct convert_opts *opts;
	const Dwarf_Off *cus;
	size_t nr_cus;

	pthread_mutex_t lock;
	size_t next_cu;		/* next CU to hand out */
	size_t next_append;	/* next CU to append to the result */
	bool appending;		/* a worker is appending (append_ready()) */
	struct tgraph **done;	/* converted CUs waiting for their turn */
	uint32_t *cu_worker;	/* whose string set a CU's names are in */
	uint32_t *cu_first;	/* first node of each CU in the result, and the end */
	struct worker *workers;
	struct tgraph *result;
	size_t max_nodes;	/* refuse a result larger than this */
	size_t skipped;
	size_t reused;
	int err;
	char errmsg[512];
};

/*
 * Appends finished CUs in CU order. Called with the lock held, which it
 * drops while copying, so that the other workers hand in theirs meanwhile
 * instead of waiting for the lock; one worker appends at a time, and none after a failure.
 */
static int append_ready(struct convert_job *job)
{
	if (job->appending)
		return 0;
	job->appending = true;
	while (job->next_append < job->nr_cus && job->done[job->next_append]) {
		size_t idx = job->next_append;
		struct tgraph *g = job->done[idx];
		uint32_t worker = job->cu_worker[idx];
		struct worker *w = &job->workers[worker];
		int err;

		pthread_mutex_unlock(&job->lock);
		job->cu_first[idx] = (uint32_t)job->result->nr_nodes;
		err = tgraph__append(job->result, g, worker);
		if (!err && job->result->nr_nodes > job->max_nodes)
			err = -E2BIG;
		pthread_mutex_lock(&job->lock);
		if (w->nr_spent < SPENT_MAX)
			w->spent[w->nr_spent++] = g;
		else
			tgraph__free(g);
		job->done[idx] = NULL;
		job->next_append++;
		if (err)
			return err;
	}
	job->appending = false;
	return 0;
}

/* .debug_info as this worker's handle maps it from the file, if it does. */
static struct mapped_section mapped_debug_info(struct dwarf_handle *h)
{
	struct mapped_section m = { 0 };
	Elf_Data *data;
	GElf_Shdr sh;

	/* relocated (dwfl) or decompressed sections are in memory of their own */
	if (!h->elf || !input__elf_section(h->elf, ".debug_info", &sh, &data) ||
	    (sh.sh_flags & SHF_COMPRESSED))
		return m;
	if (data && data->d_buf && data->d_size == sh.sh_size) {
		m.base = data->d_buf;
		m.size = data->d_size;
	}
	return m;
}

/*
 * At least this much at a time: every madvise() flushes the other
 * workers' TLBs too, so fewer calls halve the shootdowns, for
 * RELEASE_BATCH more resident per worker at most.
 */
#define RELEASE_BATCH (2u << 20)

/*
 * Gives back the pages of .debug_info before the unit whose DIE is at
 * @die_off, so that the resident size does not grow with the file (a later
 * reference into them just reads them in again, from the page cache).
 * Called before converting each unit, once libdw has found it: libdw reads
 * the headers of all units up to the one asked for, and the kernel maps
 * 64 KiB around each, in units other workers convert (in their own
 * mappings) and, after a fresh handle, in all units before.
 */
static void release_before(struct mapped_section *m, uint64_t die_off)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), start, end;

	/* the unit's header sits just before its DIE: keep a margin */
	if (!m->base || (die_off & UNIT_IN_TYPES) || die_off < 64 || die_off > m->size)
		return;
	start = ((uintptr_t)m->base + m->released + page - 1) & ~(page - 1);
	end = ((uintptr_t)m->base + die_off - 64) & ~(page - 1);
	if (end >= start + RELEASE_BATCH) {
		madvise((void *)start, end - start, MADV_DONTNEED);
		m->released = end - (uintptr_t)m->base;
	}
}

/*
 * libdw keeps what it learns of each unit (abbreviations, unit records)
 * until dwarf_end(): tens of MB by the last unit of the 6.1 kernel. A
 * fresh handle every REOPEN_UNITS units bounds that; the name cache holds
 * addresses in the old handle's mappings, so it starts over too. The new
 * handle reads the headers of all units before unit @idx: a few at a time,
 * giving their pages back in between (at once, the kernel's read-around
 * would map 90 MB of the 6.1 kernel for a moment).
 */
#define REOPEN_UNITS 256
#define CATCH_UP_STEP 32

/* Opens the worker's handle, again if it was; @idx: the unit it is to convert next. */
static int worker_open(struct worker *w, size_t idx)
{
	const struct convert_job *job = w->job;
	size_t k;
	int err;

	if (w->open)
		input__dwarf_close(&w->h);
	w->open = false;
	err = input__dwarf_open(job->in, &w->h);
	if (err) {
		snprintf(w->errmsg, sizeof(w->errmsg), "%s: cannot open DWARF: %s",
			 input__path(job->in), strerror(-err));
		return err;
	}
	w->open = true;
	cu_conv__set_dwarf(w->conv, w->h.dwarf);
	w->info = mapped_debug_info(&w->h);
	for (k = CATCH_UP_STEP; k < idx; k += CATCH_UP_STEP) {
		Dwarf_Die die;

		if (!(job->cus[k] & UNIT_IN_TYPES) && dwarf_offdie(w->h.dwarf, job->cus[k], &die))
			release_before(&w->info, job->cus[k]);
	}
	return 0;
}

/* The next unit to convert, job->nr_cus when none is left; takes back the worker's graphs. */
static size_t worker_take(struct worker *w)
{
	struct convert_job *job = w->job;
	struct tgraph *spent[SPENT_MAX];
	unsigned int nr_spent;
	size_t idx;

	pthread_mutex_lock(&job->lock);
	idx = job->next_cu++;
	if (job->err)
		idx = job->nr_cus;
	nr_spent = w->nr_spent;
	memcpy(spent, w->spent, nr_spent * sizeof(*spent));
	w->nr_spent = 0;
	pthread_mutex_unlock(&job->lock);
	/* one to fill again, the others back to this worker's arena */
	while (nr_spent) {
		if (!w->spare)
			w->spare = spent[--nr_spent];
		else
			tgraph__free(spent[--nr_spent]);
	}
	return idx;
}

/* Hands in the graph @g of unit @idx, and appends what is ready. */
static int worker_hand_in(struct worker *w, size_t idx, struct tgraph *g, bool skipped)
{
	struct convert_job *job = w->job;
	int err;

	pthread_mutex_lock(&job->lock);
	job->done[idx] = g;
	job->cu_worker[idx] = w->index;
	job->skipped += skipped;
	err = append_ready(job);
	if (!err && job->opts->progress)
		job->opts->progress(job->opts->progress_ctx, job->next_append, job->nr_cus);
	pthread_mutex_unlock(&job->lock);
	if (err == -E2BIG)
		snprintf(w->errmsg, sizeof(w->errmsg),
			 "%s: more than %zu type nodes (one per byte of debug info): the units refer into other units far more than compilers write",
			 input__path(job->in), job->max_nodes);
	else if (err)
		snprintf(w->errmsg, sizeof(w->errmsg), "%s: out of memory", input__path(job->in));
	return err;
}

static int worker_unit(struct worker *w, size_t idx)
{
	const struct convert_job *job = w->job;
	Dwarf_Off off = job->cus[idx];
	struct tgraph *g;
	Dwarf_Die cudie;
	int r;

	if (++w->units % REOPEN_UNITS == 0) {
		r = worker_open(w, idx);
		if (r)
			return r;
	}
	if (!(off & UNIT_IN_TYPES ? dwarf_offdie_types(w->h.dwarf, off & ~UNIT_IN_TYPES, &cudie) :
				    dwarf_offdie(w->h.dwarf, off, &cudie))) {
		snprintf(w->errmsg, sizeof(w->errmsg), "%s: unreadable compile unit at 0x%" PRIx64,
			 input__path(job->in), (uint64_t)off);
		return -EINVAL;
	}
	release_before(&w->info, off);
	if (w->spare)
		tgraph__reset(w->spare);
	g = w->spare ? w->spare : tgraph__new(w->strs);
	w->spare = NULL;
	if (!g)
		return -ENOMEM;
	r = cu_conv__unit(w->conv, &cudie, (uint32_t)idx, g);
	if (r < 0) {
		tgraph__free(g);
		return r;
	}
	if (r && job->opts->verbose && job->opts->log)
		fprintf(job->opts->log, "dwarf2btf: %s: skipping CU '%s': not C (language 0x%x)\n",
			input__path(job->in), dwarf_diename(&cudie) ?: "?", dwarf_srclang(&cudie));
	return worker_hand_in(w, idx, g, r == 1);
}

/* A worker thread: units until none is left or one fails; the first failure is the job's. */
static int convert_worker(void *arg)
{
	struct worker *w = arg;
	struct convert_job *job = w->job;
	size_t idx;
	int err;

	w->conv = cu_conv__new(job->in, !job->opts->no_memo, w->errmsg, sizeof(w->errmsg));
	err = w->conv ? worker_open(w, 0) : -ENOMEM;
	while (!err && (idx = worker_take(w)) < job->nr_cus)
		err = worker_unit(w, idx);
	if (w->open)
		input__dwarf_close(&w->h);
	w->open = false;
	pthread_mutex_lock(&job->lock);
	if (w->conv)
		job->reused += cu_conv__reused(w->conv);
	if (err && !job->err) {
		job->err = err;
		snprintf(job->errmsg, sizeof(job->errmsg), "%s",
			 w->errmsg[0] ? w->errmsg : strerror(-err));
	}
	pthread_mutex_unlock(&job->lock);
	tgraph__free(w->spare);
	w->spare = NULL;
	cu_conv__free(w->conv);
	w->conv = NULL;
	return err;
}

/*
 * A CU converts every DIE it refers to, in other units too, once more: a
 * few bytes of hand-made DWARF (thousands of units, each referring to the
 * same long chain of types in another one) would make billions of nodes.
 * Compiler output makes one node per 20 to 50 bytes of .debug_info (the
 * 6.1 kernel: 3.4 million for 164 MB), so the graph may have one node per
 * byte of debug info (main and dwz file), and at least MIN_NODE_LIMIT.
 */
#define MIN_NODE_LIMIT ((size_t)4 << 20)

static size_t debug_info_bytes(Dwarf *dwarf)
{
	static const char *const names[] = { ".debug_info", ".debug_types", ".zdebug_info" };
	Elf *elf = dwarf ? dwarf_getelf(dwarf) : NULL;
	size_t i, total = 0;

	for (i = 0; elf && i < ARRAY_SIZE(names); i++) {
		Elf_Data *data;
		GElf_Shdr sh;

		/* libdw has inflated compressed sections in place */
		if (input__elf_section(elf, names[i], &sh, &data) && sh.sh_type != SHT_NOBITS)
			total += data ? data->d_size : sh.sh_size;
	}
	return total;
}

/*
 * The unit DIEs' offsets from the unit headers in .debug_info itself, a
 * few bytes read a unit. libdw makes a unit record and reads the unit DIE
 * of each, in a handle of its own, on one thread before any worker
 * starts, several times slower. 1 when the file is not
 * that plain (DWARF 4 type units, a dwz file, compressed or relocated
 * DWARF, a header this does not know) and libdw is to list the units.
 */
static int list_units_raw(const struct input *in, Dwarf_Off **out, size_t *nr,
			  size_t *max_nodes)
{
	bool le = !input__big_endian(in);
	uint64_t off, size, u = 0, x, y;
	Dwarf_Off *cus = NULL;
	size_t cap = 0, n = 0;
	int ret = 1;

	if (input__file_section(in, ".debug_info", &off, &size) ||
	    input__file_section(in, ".debug_types", &x, &y) != -ENOENT ||
	    input__file_section(in, ".zdebug_types", &x, &y) != -ENOENT ||
	    input__file_section(in, ".gnu_debugaltlink", &x, &y) != -ENOENT)
		return 1;
	while (u < size) {
		/* unit_length, version, the rest of a DWARF 5 type unit's header at most */
		unsigned char h[4 + 8 + 2 + 2 + 8 + 8 + 8];
		size_t avail = size - u < sizeof(h) ? (size_t)(size - u) : sizeof(h);
		unsigned int osz = 4, p = 4, len_size;
		uint64_t len;
		uint16_t version;
		uint8_t type = DW_UT_compile;

		if (avail < 4 || input__pread(in, h, avail, off + u))
			goto out;
		len = read_fixed(h, 4, le);
		if (len == 0xffffffff) {
			if (avail < 12)
				goto out;
			len = read_fixed(h + 4, 8, le);
			osz = 8;
			p = 12;
		} else if (len >= 0xfffffff0) {
			goto out;
		}
		len_size = p;
		if (len > size - u - p || avail < p + 2)
			goto out;
		version = (uint16_t)read_fixed(h + p, 2, le);
		p += 2;
		if (version < 2 || version > 5)
			goto out;
		if (version < 5) {
			p += osz + 1;
		} else {
			if (avail < p + 1)
				goto out;
			type = h[p];
			p += 2 + osz;
			if (type == DW_UT_type || type == DW_UT_split_type)
				p += 8 + osz;
			else if (type == DW_UT_skeleton || type == DW_UT_split_compile)
				p += 8;
			else if (type != DW_UT_compile && type != DW_UT_partial)
				goto out;
		}
		/* the header and at least the unit DIE's code */
		if (p >= len_size + len)
			goto out;
		if (type == DW_UT_compile || type == DW_UT_partial || type == DW_UT_type) {
			ret = grow_buf((void **)&cus, &cap, sizeof(*cus), n + 1);
			if (ret)
				goto out;
			ret = 1;
			cus[n++] = u + p;
		}
		u += len_size + len;
	}
	*out = cus;
	*nr = n;
	cus = NULL;
	*max_nodes = size;
	ret = 0;
out:
	free(cus);
	return ret;
}

static int list_cus(const struct input *in, bool by_libdw, Dwarf_Off **out, size_t *nr,
		    size_t *max_nodes, bool *raw, char *err, size_t errlen)
{
	struct dwarf_handle h;
	Dwarf_CU *cu = NULL;
	Dwarf_Off *cus = NULL;
	size_t cap = 0, n = 0;
	Dwarf_Die cudie;
	uint8_t unit_type;
	Dwarf_Half version;
	int r, ret;

	ret = by_libdw ? 1 : list_units_raw(in, out, nr, max_nodes);
	*raw = !ret;
	if (ret <= 0) {
		if (ret)
			snprintf(err, errlen, "out of memory");
		else if (*max_nodes < MIN_NODE_LIMIT)
			*max_nodes = MIN_NODE_LIMIT;
		return ret;
	}
	ret = input__dwarf_open(in, &h);
	if (ret) {
		snprintf(err, errlen, "%s: cannot read DWARF", input__path(in));
		return ret;
	}
	while ((r = dwarf_get_units(h.dwarf, cu, &cu, &version, &unit_type, &cudie, NULL)) == 0) {
		if (unit_type != DW_UT_compile && unit_type != DW_UT_partial &&
		    unit_type != DW_UT_type)
			continue;
		ret = grow_buf((void **)&cus, &cap, sizeof(*cus), n + 1);
		if (ret)
			goto out;
		cus[n++] = dwarf_dieoffset(&cudie) |
			   (version < 5 && unit_type == DW_UT_type ? UNIT_IN_TYPES : 0);
	}
	if (r < 0) {
		int dwerr = dwarf_errno();

		/* libdw sets no error for a header cut short at the end of the section */
		snprintf(err, errlen, "%s: corrupt DWARF unit headers: %s", input__path(in),
			 dwerr ? dwarf_errmsg(dwerr) : "a unit header is cut short");
		ret = -EINVAL;
		goto out;
	}
	*out = cus;
	*nr = n;
	cus = NULL;
	*max_nodes = debug_info_bytes(h.dwarf) + debug_info_bytes(h.alt_dwarf);
	if (*max_nodes < MIN_NODE_LIMIT)
		*max_nodes = MIN_NODE_LIMIT;
out:
	free(cus);
	input__dwarf_close(&h);
	return ret;
}

/*
 * CU graphs keep their workers' string offsets; with every worker done,
 * each worker's strings go into the result's set once, then its CUs'
 * nodes are renamed. The first worker's set becomes the result's when the
 * result has no names yet (no base BTF), and its CUs keep their names: at
 * -j1 nothing is renamed. Offsets depend on which worker converted what
 * either way; nothing after conversion depends on their values.
 */
static int merge_names(struct convert_job *job, unsigned int nworkers)
{
	uint32_t **maps = calloc(nworkers, sizeof(*maps));
	unsigned int w, first = 0;
	size_t i;
	int ret = 0;

	if (!maps)
		return -ENOMEM;
	if (strset__size(job->result->strs) <= 1 && job->result->own_strs) {
		struct strset *empty = job->result->strs;

		job->result->strs = job->workers[0].strs;
		job->workers[0].strs = empty;
		first = 1;
	}
	for (w = first; w < nworkers; w++) {
		uint32_t size, off = 1;
		const char *data = strset__data(job->workers[w].strs, &size);

		maps[w] = calloc(size, sizeof(*maps[w]));
		if (!maps[w]) {
			ret = -ENOMEM;
			goto out;
		}
		while (off < size) {
			int64_t r = strset__add(job->result->strs, data + off);

			if (r < 0) {
				ret = (int)r;
				goto out;
			}
			maps[w][off] = (uint32_t)r;
			off += (uint32_t)strlen(data + off) + 1;
		}
	}
	job->cu_first[job->nr_cus] = (uint32_t)job->result->nr_nodes;
	for (i = 0; i < job->nr_cus; i++)
		if (maps[job->cu_worker[i]])
			tgraph__map_names(job->result, job->cu_first[i], job->cu_first[i + 1],
					  maps[job->cu_worker[i]]);
out:
	for (w = 0; w < nworkers; w++)
		free(maps[w]);
	free(maps);
	return ret;
}


/* What @nthreads workers share, and theirs: 0 or -ENOMEM. */
static int convert_job_init(struct convert_job *job, unsigned int nthreads)
{
	unsigned int i;

	job->done = calloc(job->nr_cus, sizeof(*job->done));
	job->cu_worker = calloc(job->nr_cus, sizeof(*job->cu_worker));
	job->cu_first = calloc(job->nr_cus + 1, sizeof(*job->cu_first));
	job->workers = calloc(nthreads, sizeof(*job->workers));
	job->result = tgraph__new(NULL);
	if (!job->done || !job->cu_worker || !job->cu_first || !job->workers || !job->result)
		return -ENOMEM;
	for (i = 0; i < nthreads; i++) {
		job->workers[i].job = job;
		job->workers[i].index = i;
		job->workers[i].strs = strset__new();
		if (!job->workers[i].strs)
			return -ENOMEM;
	}
	return 0;
}

static void convert_job_fini(struct convert_job *job, unsigned int nthreads)
{
	unsigned int i;

	for (i = 0; job->done && i < job->nr_cus; i++)
		tgraph__free(job->done[i]);
	for (i = 0; job->workers && i < nthreads; i++) {
		struct worker *w = &job->workers[i];

		while (w->nr_spent)
			tgraph__free(w->spent[--w->nr_spent]);
		strset__free(w->strs);
	}
	tgraph__free(job->result);
	free(job->done);
	free(job->cu_worker);
	free(job->cu_first);
	free(job->workers);
}

int convert__dwarf(const struct input *in, const struct convert_opts *opts,
		   struct tgraph **out, struct convert_stats *stats,
		   char *err, size_t errlen)
{
	struct convert_job job = { .in = in, .opts = opts };
	unsigned int nthreads = 0, ran = 0;
	Dwarf_Off *cus = NULL;
	bool raw_units = false;
	int ret;

	*out = NULL;
	ret = list_cus(in, opts->libdw_units, &cus, &job.nr_cus, &job.max_nodes, &raw_units, err,
		       errlen);
	if (ret)
		return ret;
	job.cus = cus;
	if (!job.nr_cus) {
		snprintf(err, errlen, "%s: no compile units in the DWARF", input__path(in));
		ret = -ENODATA;
		goto out;
	}
	nthreads = opts->jobs ? opts->jobs : 1;
	if (nthreads > job.nr_cus)
		nthreads = (unsigned int)job.nr_cus;
	ret = convert_job_init(&job, nthreads);
	if (ret)
		goto out_nomem;
	if (opts->base) {
		ret = encode__import_btf(job.result, opts->base);
		if (ret) {
			snprintf(err, errlen, "%s: cannot use the base BTF: %s", input__path(in),
				 strerror(-ret));
			goto out;
		}
	}
	if (opts->progress)
		opts->progress(opts->progress_ctx, 0, job.nr_cus);
	pthread_mutex_init(&job.lock, NULL);
	ret = workers__run(nthreads, convert_worker, job.workers, sizeof(*job.workers), &ran);
	pthread_mutex_destroy(&job.lock);
	if (job.err) {
		snprintf(err, errlen, "%s", job.errmsg);
		ret = job.err;
		goto out;
	}
	if (ret)
		goto out_nomem;
	tgraph__end_append(job.result);
	ret = merge_names(&job, nthreads);
	if (ret)
		goto out_nomem;
	if (stats) {
		stats->nr_cus = job.nr_cus;
		stats->nr_skipped_cus = job.skipped;
		stats->nr_threads = ran;
		stats->nr_reused = job.reused;
		stats->units_from_headers = raw_units;
	}
#ifdef __GLIBC__
	/* the workers' per-CU memory, freed but kept by the allocator */
	malloc_trim(0);
#endif
	*out = job.result;
	job.result = NULL;
	goto out;
out_nomem:
	snprintf(err, errlen, "out of memory");
out:
	convert_job_fini(&job, nthreads);
	free(cus);
	return ret;
}
