// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Unit tests for btf_diff__run(): the same types written in different orders
 * (so with different ids) must compare equal, and each single change must
 * show up as exactly the expected lines and per-kind counts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf.h"
#include "btf_diff.h"

#include "check.h"
#include "btf_build.h"

/* ---- a tiny declarative type list, emitted in any order ---- */

#define NONE (-1)		/* reference to void */
#define MAXV 8

struct tsub {
	const char *name;
	int ref;		/* index into the list, or NONE */
	long long val;		/* member bit offset, enum value, secinfo offset */
	unsigned int bits;	/* bitfield width, secinfo size */
};

struct tdef {
	int kind;
	const char *name;
	unsigned int size;	/* also INT encoding bits live in flag */
	int ref;		/* PTR/TYPEDEF/... target, FUNC proto, ARRAY elem */
	int flag;		/* INT encoding, FUNC/VAR linkage, ENUM signed, FWD union */
	unsigned int nelems;	/* ARRAY */
	int comp;		/* DECL_TAG component */
	int vlen;
	struct tsub sub[MAXV];
};

static uint32_t rid(const uint32_t *ids, int ref)
{
	return ref == NONE ? 0 : ids[ref];
}

/* Appends the type @d describes, its references through @ids. */
static void emit(struct d2b_btf *b, const struct tdef *d, const uint32_t *ids)
{
	uint16_t n = (uint16_t)d->vlen, kind = (uint16_t)d->kind;
	uint32_t ref = rid(ids, d->ref);
	struct mem m[MAXV];
	struct en e[MAXV];
	struct par p[MAXV];
	struct sec s[MAXV];
	bool kflag = false;
	int i;

	switch (kind) {
	case BTF_KIND_INT:
		add_int(b, d->name, d->size, 0, d->size * 8, (uint32_t)d->flag);
		break;
	case BTF_KIND_PTR:
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_TYPE_TAG:
		add(b, kind, d->name, 0, false, ref, NULL, 0);
		break;
	case BTF_KIND_FUNC:
		add(b, kind, d->name, (uint16_t)d->flag, false, ref, NULL, 0);
		break;
	case BTF_KIND_ARRAY:
		add_arr(b, ref, rid(ids, d->sub[0].ref), d->nelems);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		for (i = 0; i < n; i++) {
			m[i] = (struct mem){ d->sub[i].name, rid(ids, d->sub[i].ref),
					     (uint32_t)d->sub[i].val, d->sub[i].bits };
			kflag |= d->sub[i].bits != 0;
		}
		add_sou(b, kind, d->name, d->size, kflag, n, m);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		for (i = 0; i < n; i++)
			e[i] = (struct en){ d->sub[i].name, d->sub[i].val };
		add_enum(b, kind, d->name, d->size, d->flag, n, e);
		break;
	case BTF_KIND_FWD:
		add(b, kind, d->name, 0, d->flag, 0, NULL, 0);
		break;
	case BTF_KIND_FUNC_PROTO:
		for (i = 0; i < n; i++)
			p[i] = (struct par){ d->sub[i].name, rid(ids, d->sub[i].ref) };
		add_proto(b, ref, n, p);
		break;
	case BTF_KIND_VAR:
		add_var(b, d->name, ref, (uint32_t)d->flag);
		break;
	case BTF_KIND_DATASEC:
		for (i = 0; i < n; i++)
			s[i] = (struct sec){ rid(ids, d->sub[i].ref), (uint32_t)d->sub[i].val,
					     d->sub[i].bits };
		add_dsec(b, d->name, d->size, n, s);
		break;
	case BTF_KIND_FLOAT:
		add(b, kind, d->name, 0, false, d->size, NULL, 0);
		break;
	case BTF_KIND_DECL_TAG:
		add_dtag(b, d->name, ref, d->comp);
		break;
	default:
		die("kind");
	}
}

/*
 * Build a BTF from @n definitions, written in the order @perm gives (NULL:
 * as listed). Ids therefore differ between permutations.
 */
static struct d2b_btf *build(const struct tdef *defs, int n, const int *perm)
{
	uint32_t ids[256];
	struct d2b_btf *btf = d2b_btf__new();
	int i;

	if (!btf || n > 256)
		die("d2b_btf__new");
	for (i = 0; i < n; i++)
		ids[perm ? perm[i] : i] = (uint32_t)i + 1;
	for (i = 0; i < n; i++)
		emit(btf, &defs[perm ? perm[i] : i], ids);
	return btf;
}

enum {
	T_INT, T_UINT, T_CHAR, T_PCHAR, T_CCHAR, T_PCCHAR, T_U32, T_LIST,
	T_PLIST, T_TASK, T_ANON_U, T_STATE, T_ARR, T_PROTO, T_FUNC, T_VAR,
	T_SEC, T_DOUBLE, T_FWD, T_TAG, T_DUP1, T_DUP2, T_CYC, T_PCYC, T_HOLDER,
	T_BIG, T_VPROTO, T_PVPROTO, T_VFN, T_OPAQUE, T_CPCHAR, T_PPCHAR,
	T_NR
};

static const struct tdef base[T_NR] = {
	[T_INT] = { .kind = BTF_KIND_INT, "int", 4, .flag = BTF_INT_SIGNED },
	[T_UINT] = { .kind = BTF_KIND_INT, "unsigned int", 4 },
	[T_CHAR] = { .kind = BTF_KIND_INT, "char", 1, .flag = BTF_INT_SIGNED | BTF_INT_CHAR },
	[T_PCHAR] = { .kind = BTF_KIND_PTR, NULL, 0, T_CHAR },
	[T_CCHAR] = { .kind = BTF_KIND_CONST, NULL, 0, T_CHAR },
	[T_PCCHAR] = { .kind = BTF_KIND_PTR, NULL, 0, T_CCHAR },
	[T_U32] = { .kind = BTF_KIND_TYPEDEF, "u32", 0, T_UINT },
	[T_LIST] = { .kind = BTF_KIND_STRUCT, "list_head", 16, .vlen = 2, .sub = {
		{ "next", T_PLIST, 0 }, { "prev", T_PLIST, 64 } } },
	[T_PLIST] = { .kind = BTF_KIND_PTR, NULL, 0, T_LIST },
	[T_TASK] = { .kind = BTF_KIND_STRUCT, "task", 48, .vlen = 6, .sub = {
		{ "list", T_LIST, 0 }, { "flags", T_UINT, 128, 3 },
		{ "pid", T_INT, 160 }, { "comm", T_ARR, 192 },
		{ NULL, T_ANON_U, 256 }, { "name", T_PCCHAR, 320 } } },
	[T_ANON_U] = { .kind = BTF_KIND_UNION, NULL, 8, .vlen = 2, .sub = {
		{ "a", T_INT, 0 }, { "b", T_U32, 0 } } },
	[T_STATE] = { .kind = BTF_KIND_ENUM, "state", 4, .flag = 1, .vlen = 2, .sub = {
		{ "A", NONE, 0 }, { "B", NONE, -1 } } },
	[T_ARR] = { .kind = BTF_KIND_ARRAY, NULL, 0, T_CHAR, .nelems = 8, .sub = { { NULL, T_UINT } } },
	[T_PROTO] = { .kind = BTF_KIND_FUNC_PROTO, NULL, 0, NONE, .vlen = 2, .sub = {
		{ "x", T_INT }, { "s", T_PCCHAR } } },
	[T_FUNC] = { .kind = BTF_KIND_FUNC, "do_thing", 0, T_PROTO, .flag = BTF_FUNC_GLOBAL },
	[T_VAR] = { .kind = BTF_KIND_VAR, "jiffies", 0, T_UINT, .flag = BTF_VAR_GLOBAL_ALLOCATED },
	[T_SEC] = { .kind = BTF_KIND_DATASEC, ".data", 8, .vlen = 1, .sub = { { NULL, T_VAR, 0, 4 } } },
	[T_DOUBLE] = { .kind = BTF_KIND_FLOAT, "double", 8 },
	[T_FWD] = { .kind = BTF_KIND_FWD, "fwd_only", 0 },
	[T_TAG] = { .kind = BTF_KIND_DECL_TAG, "user", 0, T_TASK, .comp = 1 },
	[T_DUP1] = { .kind = BTF_KIND_STRUCT, "dup", 4, .vlen = 1, .sub = { { "x", T_INT, 0 } } },
	[T_DUP2] = { .kind = BTF_KIND_STRUCT, "dup", 4, .vlen = 1, .sub = { { "y", T_UINT, 0 } } },
	[T_CYC] = { .kind = BTF_KIND_STRUCT, NULL, 8, .vlen = 1, .sub = { { "self", T_PCYC, 0 } } },
	[T_PCYC] = { .kind = BTF_KIND_PTR, NULL, 0, T_CYC },
	[T_HOLDER] = { .kind = BTF_KIND_STRUCT, "holder", 8, .vlen = 1, .sub = { { "c", T_CYC, 0 } } },
	[T_BIG] = { .kind = BTF_KIND_ENUM64, "big", 8, .vlen = 1, .sub = { { "X", NONE, 1LL << 40 } } },
	[T_VPROTO] = { .kind = BTF_KIND_FUNC_PROTO, NULL, 0, T_INT, .vlen = 2, .sub = {
		{ NULL, T_PCHAR }, { NULL, NONE } } },
	[T_PVPROTO] = { .kind = BTF_KIND_PTR, NULL, 0, T_VPROTO },
	[T_VFN] = { .kind = BTF_KIND_TYPEDEF, "vfn", 0, T_PVPROTO },
	[T_OPAQUE] = { .kind = BTF_KIND_STRUCT, "opaque", 4, .vlen = 1, .sub = { { "x", T_INT, 0 } } },
	[T_CPCHAR] = { .kind = BTF_KIND_CONST, NULL, 0, T_PCHAR },
	[T_PPCHAR] = { .kind = BTF_KIND_PTR, NULL, 0, T_CPCHAR },
};

/* Entries in base by kind, for the expected counts. */
static int base_count(int kind)
{
	int i, n = 0;

	for (i = 0; i < T_NR; i++)
		if (base[i].kind == kind)
			n++;
	return n;
}

struct result {
	int err;
	struct btf_diff_stats st;
	char *out;		/* the lines, each ending in \n */
	size_t len;
};

static void run_diff(const struct tdef *da, int na, const int *pa,
		     const struct tdef *db, int nb, const int *pb, struct result *r)
{
	struct d2b_btf *a = build(da, na, pa);
	struct d2b_btf *b = build(db, nb, pb);
	FILE *f;

	memset(r, 0, sizeof(*r));
	f = open_memstream(&r->out, &r->len);
	if (!f)
		die("open_memstream");
	r->err = btf_diff__run(a, b, f, &r->st);
	fclose(f);
	d2b_btf__free(a);
	d2b_btf__free(b);
}

static bool has_line(const struct result *r, const char *line)
{
	size_t n = strlen(line);
	const char *p = r->out;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);

		if (l == n && !memcmp(p, line, n))
			return true;
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

static int nr_lines(const struct result *r)
{
	int n = 0;
	size_t i;

	for (i = 0; i < r->len; i++)
		n += r->out[i] == '\n';
	return n;
}

static bool ks_is(const struct result *r, int kind, uint32_t matched, uint32_t only_a,
		  uint32_t only_b, uint32_t differ)
{
	const struct btf_diff_kind_stats *k = &r->st.kind[kind];

	return k->matched == matched && k->only_a == only_a &&
	       k->only_b == only_b && k->differ == differ;
}

static void show(const struct result *r)
{
	if (last_failed)
		fprintf(stderr, "--- output ---\n%s--- end ---\n", r->out ? r->out : "");
	last_failed = false;
}

static void test_same(void)
{
	int rev[T_NR], shuf[T_NR], i, kind;
	struct result r;
	bool counts = true;

	for (i = 0; i < T_NR; i++) {
		rev[i] = T_NR - 1 - i;
		shuf[i] = (i * 7) % T_NR;	/* 7 is coprime with T_NR */
	}
	check(T_NR % 7 != 0, "same: permutation", "T_NR=%d", T_NR);

	run_diff(base, T_NR, NULL, base, T_NR, rev, &r);
	check(!r.err && r.st.total_differences == 0 && r.len == 0, "same: reversed ids",
	      "err=%d total=%llu", r.err, (unsigned long long)r.st.total_differences);
	for (kind = 1; kind < BTF_NR_KINDS; kind++) {
		const struct btf_diff_kind_stats *k = &r.st.kind[kind];
		uint32_t n = (uint32_t)base_count(kind);

		if (k->a != n || k->b != n || k->only_a || k->only_b || k->differ)
			counts = false;
	}
	check(counts, "same: per-kind counts", "mismatch");
	check(ks_is(&r, BTF_KIND_STRUCT, (uint32_t)base_count(BTF_KIND_STRUCT), 0, 0, 0),
	      "same: duplicate named structs matched", "matched=%u",
	      r.st.kind[BTF_KIND_STRUCT].matched);
	check(r.st.kind[BTF_KIND_PTR].matched == 0, "same: PTR is not an entry", "%s", "");
	show(&r);
	free(r.out);

	run_diff(base, T_NR, shuf, base, T_NR, rev, &r);
	check(!r.err && r.st.total_differences == 0, "same: shuffled ids", "total=%llu",
	      (unsigned long long)r.st.total_differences);
	show(&r);
	free(r.out);
}

/* Diff base against a copy with @mut applied. */
static void run_mut(void (*mut)(struct tdef *), struct result *r)
{
	static int rev[T_NR];
	struct tdef b[T_NR + 1];
	int i;

	for (i = 0; i < T_NR; i++)
		rev[i] = T_NR - 1 - i;
	memcpy(b, base, sizeof(base));
	mut(b);
	run_diff(base, T_NR, NULL, b, T_NR, rev, r);
}

static void mut_offset(struct tdef *d) { d[T_TASK].sub[2].val = 168; }
static void mut_mtype(struct tdef *d) { d[T_TASK].sub[2].ref = T_UINT; }
static void mut_bits(struct tdef *d) { d[T_TASK].sub[1].bits = 4; }
static void mut_size(struct tdef *d) { d[T_TASK].size = 56; }
static void mut_enum(struct tdef *d) { d[T_STATE].sub[1].val = -2; }
static void mut_pname(struct tdef *d) { d[T_PROTO].sub[0].name = "y"; }
static void mut_link(struct tdef *d) { d[T_FUNC].flag = BTF_FUNC_STATIC; }
static void mut_anon(struct tdef *d) { d[T_ANON_U].sub[0].ref = T_UINT; }
static void mut_tdef(struct tdef *d) { d[T_U32].ref = T_INT; }
static void mut_fwd(struct tdef *d)
{
	d[T_OPAQUE] = (struct tdef){ .kind = BTF_KIND_FWD, "opaque", 0 };
}

static const char task_a[] =
	"struct task size=48 {list:struct list_head@0; flags:unsigned int@128:3; "
	"pid:int@160; comm:char[8]@192; :union size=8 {a:int@0; b:u32@0}@256; "
	"name:const char *@320}";

static void test_changes(void)
{
	struct result r;
	char line[512];

	run_mut(mut_offset, &r);
	snprintf(line, sizeof(line), "< STRUCT task: %s", task_a);
	check(!r.err && ks_is(&r, BTF_KIND_STRUCT, 6, 1, 1, 1) && nr_lines(&r) == 2 &&
	      has_line(&r, line) && strstr(r.out, "> STRUCT task: ") &&
	      strstr(r.out, "pid:int@168;"), "member offset", "stats/lines");
	check(r.st.total_differences == 2, "member offset: total", "%llu",
	      (unsigned long long)r.st.total_differences);
	show(&r);
	free(r.out);

	run_mut(mut_mtype, &r);
	check(!r.err && ks_is(&r, BTF_KIND_STRUCT, 6, 1, 1, 1) && nr_lines(&r) == 2 &&
	      strstr(r.out, "pid:unsigned int@160;"), "member type", "stats/lines");
	show(&r);
	free(r.out);

	run_mut(mut_bits, &r);
	check(!r.err && ks_is(&r, BTF_KIND_STRUCT, 6, 1, 1, 1) && nr_lines(&r) == 2 &&
	      strstr(r.out, "flags:unsigned int@128:4;"), "bitfield width", "stats/lines");
	show(&r);
	free(r.out);

	run_mut(mut_size, &r);
	check(!r.err && ks_is(&r, BTF_KIND_STRUCT, 6, 1, 1, 1) && nr_lines(&r) == 2 &&
	      strstr(r.out, "> STRUCT task: struct task size=56 {"), "struct size", "stats/lines");
	show(&r);
	free(r.out);

	run_mut(mut_enum, &r);
	check(!r.err && ks_is(&r, BTF_KIND_ENUM, 0, 1, 1, 1) && nr_lines(&r) == 2 &&
	      has_line(&r, "< ENUM state: enum state size=4 signed {A=0, B=-1}") &&
	      has_line(&r, "> ENUM state: enum state size=4 signed {A=0, B=-2}"),
	      "enum value", "stats/lines");
	show(&r);
	free(r.out);

	run_mut(mut_pname, &r);
	check(!r.err && ks_is(&r, BTF_KIND_FUNC, 0, 1, 1, 1) && nr_lines(&r) == 2 &&
	      has_line(&r, "< FUNC do_thing: func do_thing(x:int, s:const char *) -> void") &&
	      has_line(&r, "> FUNC do_thing: func do_thing(y:int, s:const char *) -> void"),
	      "func param name", "stats/lines");
	show(&r);
	free(r.out);

	run_mut(mut_link, &r);
	check(!r.err && r.st.total_differences == 0 && r.len == 0 &&
	      ks_is(&r, BTF_KIND_FUNC, 1, 0, 0, 0), "func linkage ignored", "total=%llu",
	      (unsigned long long)r.st.total_differences);
	show(&r);
	free(r.out);

	run_mut(mut_anon, &r);
	check(!r.err && ks_is(&r, BTF_KIND_UNION, 0, 1, 1, 1) &&
	      ks_is(&r, BTF_KIND_STRUCT, 6, 1, 1, 1) && nr_lines(&r) == 4 &&
	      has_line(&r, "< UNION (anon): union size=8 {a:int@0; b:u32@0}") &&
	      has_line(&r, "> UNION (anon): union size=8 {a:unsigned int@0; b:u32@0}") &&
	      strstr(r.out, "> STRUCT task: ") &&
	      strstr(r.out, ":union size=8 {a:unsigned int@0; b:u32@0}@256;"),
	      "anonymous nested member", "stats/lines");
	show(&r);
	free(r.out);

	run_mut(mut_tdef, &r);
	check(!r.err && ks_is(&r, BTF_KIND_TYPEDEF, 1, 1, 1, 1) && nr_lines(&r) == 2 &&
	      has_line(&r, "< TYPEDEF u32: typedef u32 = unsigned int") &&
	      has_line(&r, "> TYPEDEF u32: typedef u32 = int") &&
	      r.st.total_differences == 2, "typedef target", "stats/lines");
	show(&r);
	free(r.out);

	run_mut(mut_fwd, &r);
	check(!r.err && ks_is(&r, BTF_KIND_STRUCT, 6, 1, 0, 0) &&
	      ks_is(&r, BTF_KIND_FWD, 1, 0, 1, 0) && nr_lines(&r) == 2 &&
	      has_line(&r, "< STRUCT opaque: struct opaque size=4 {x:int@0}") &&
	      has_line(&r, "> FWD opaque: fwd struct opaque") &&
	      r.st.kind[BTF_KIND_STRUCT].a == 7 && r.st.kind[BTF_KIND_STRUCT].b == 6 &&
	      r.st.kind[BTF_KIND_FWD].a == 1 && r.st.kind[BTF_KIND_FWD].b == 2,
	      "fwd vs struct", "stats/lines");
	show(&r);
	free(r.out);
}

static void test_extra_func(void)
{
	struct tdef b[T_NR + 1];
	struct result r;

	memcpy(b, base, sizeof(base));
	b[T_NR] = (struct tdef){ .kind = BTF_KIND_FUNC, "extra", 0, T_PROTO, .flag = BTF_FUNC_STATIC };
	run_diff(base, T_NR, NULL, b, T_NR + 1, NULL, &r);
	check(!r.err && ks_is(&r, BTF_KIND_FUNC, 1, 0, 1, 0) && nr_lines(&r) == 1 &&
	      has_line(&r, "> FUNC extra: func extra(x:int, s:const char *) -> void") &&
	      r.st.kind[BTF_KIND_FUNC].a == 1 && r.st.kind[BTF_KIND_FUNC].b == 2,
	      "extra func", "stats/lines");
	show(&r);
	free(r.out);
}

/* Against an empty BTF every entry is printed: check the renderings. */
static void test_render(void)
{
	static const char *const want[] = {
		"< INT int: int 'int' size=4 bits=32 offset=0 enc=signed",
		"< INT unsigned int: int 'unsigned int' size=4 bits=32 offset=0 enc=none",
		"< INT char: int 'char' size=1 bits=8 offset=0 enc=signed|char",
		"< STRUCT list_head: struct list_head size=16 {next:struct list_head *@0; "
			"prev:struct list_head *@64}",
		"< STRUCT (anon): struct size=8 {self:<cycle> *@0}",
		"< STRUCT holder: struct holder size=8 {c:struct size=8 {self:<cycle> *@0}@0}",
		"< STRUCT dup: struct dup size=4 {x:int@0}",
		"< STRUCT dup: struct dup size=4 {y:unsigned int@0}",
		"< ENUM64 big: enum64 big size=8 unsigned {X=1099511627776}",
		"< FWD fwd_only: fwd struct fwd_only",
		"< TYPEDEF vfn: typedef vfn = fn(int)(char *, ...) *",
		"< VAR jiffies: var jiffies:unsigned int linkage=global",
		"< DATASEC .data: datasec .data size=8 {jiffies@0+4}",
		"< FLOAT double: float double size=8",
		"< DECL_TAG user: decl_tag user -> struct task[1]",
	};
	struct result r;
	size_t i;

	run_diff(base, T_NR, NULL, base, 0, NULL, &r);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		check(has_line(&r, want[i]), "render", "missing line '%s'", want[i]);
	{
		char line[600];

		snprintf(line, sizeof(line), "< STRUCT task: %s", task_a);
		check(has_line(&r, line), "render: task", "missing '%s'", line);
	}
	check(!r.err && r.st.kind[BTF_KIND_STRUCT].only_a == 7 &&
	      r.st.kind[BTF_KIND_STRUCT].differ == 0, "render: stats", "%s", "");
	/* sorted by kind number, then name, then description */
	check(strstr(r.out, "< INT char") < strstr(r.out, "< INT int:") &&
	      strstr(r.out, "< INT unsigned") < strstr(r.out, "< STRUCT") &&
	      strstr(r.out, "< STRUCT (anon)") < strstr(r.out, "< STRUCT dup") &&
	      strstr(r.out, "{x:int@0}") < strstr(r.out, "{y:unsigned"),
	      "render: sorted", "%s", "");
	show(&r);
	free(r.out);
}

static void test_qualifiers(void)
{
	static const struct tdef d[] = {
		/* 0 */ { .kind = BTF_KIND_INT, "char", 1, .flag = BTF_INT_SIGNED },
		/* 1 */ { .kind = BTF_KIND_PTR, NULL, 0, 0 },
		/* 2 */ { .kind = BTF_KIND_CONST, NULL, 0, 1 },	/* char * const */
		/* 3 */ { .kind = BTF_KIND_CONST, NULL, 0, 0 },
		/* 4 */ { .kind = BTF_KIND_PTR, NULL, 0, 3 },	/* const char * */
		/* 5 */ { .kind = BTF_KIND_PTR, NULL, 0, 1 },	/* char ** */
		/* 6 */ { .kind = BTF_KIND_TYPE_TAG, "user", 0, 1 },
		/* 7 */ { .kind = BTF_KIND_STRUCT, "q", 32, .vlen = 4, .sub = {
			{ "a", 2, 0 }, { "b", 4, 64 }, { "c", 5, 128 }, { "d", 6, 192 } } },
	};
	struct result r;

	run_diff(d, 8, NULL, d, 0, NULL, &r);
	check(has_line(&r, "< STRUCT q: struct q size=32 {a:char * const@0; "
			   "b:const char *@64; c:char **@128; d:char * __tag(user)@192}"),
	      "qualifiers", "got %s", r.out);
	free(r.out);
}

/* Bad input: cycles without pointers and very deep chains must terminate. */
static void test_hostile(void)
{
	struct tdef d[200];
	struct result r;
	int i;

	memset(d, 0, sizeof(d));
	d[0] = (struct tdef){ .kind = BTF_KIND_CONST, NULL, 0, 0 };		/* const of itself */
	d[1] = (struct tdef){ .kind = BTF_KIND_STRUCT, NULL, 4, .vlen = 2, .sub = {
		{ "me", 1, 0 }, { "c", 0, 0 } } };			/* contains itself */
	d[2] = (struct tdef){ .kind = BTF_KIND_TYPEDEF, "t", 0, 3 };
	d[3] = (struct tdef){ .kind = BTF_KIND_VOLATILE, NULL, 0, 2 };	/* through a typedef */
	d[4] = (struct tdef){ .kind = BTF_KIND_STRUCT, "deep", 8, .vlen = 1, .sub = { { "p", 5, 0 } } };
	for (i = 5; i < 199; i++)
		d[i] = (struct tdef){ .kind = BTF_KIND_PTR, NULL, 0, i + 1 };
	d[199] = (struct tdef){ .kind = BTF_KIND_INT, "int", 4 };

	run_diff(d, 200, NULL, d, 0, NULL, &r);
	check(!r.err && has_line(&r, "< STRUCT (anon): struct size=4 {me:<cycle>@0; "
				     "c:const <cycle>@0}") &&
	      has_line(&r, "< TYPEDEF t: typedef t = volatile t") &&
	      strstr(r.out, "< STRUCT deep: struct deep size=8 {p:<cycle> ***"),
	      "hostile: cycles and depth",
	      "err=%d out=%s", r.err, r.out);
	free(r.out);

	/* the same graph under other ids renders the same */
	{
		int rev[200];

		for (i = 0; i < 200; i++)
			rev[i] = 199 - i;
		run_diff(d, 200, NULL, d, 200, rev, &r);
		check(!r.err && r.st.total_differences == 0, "hostile: deterministic",
		      "total=%llu", (unsigned long long)r.st.total_differences);
		free(r.out);
	}
}

/* A DAG of anonymous structs renders exponentially: capped, not hung. */
static void test_blowup(void)
{
	struct tdef d[31];
	struct result r;
	int i, j;

	memset(d, 0, sizeof(d));
	for (i = 0; i < 30; i++) {
		d[i] = (struct tdef){ .kind = BTF_KIND_STRUCT, .size = 8, .vlen = MAXV };
		for (j = 0; j < MAXV; j++)
			d[i].sub[j] = (struct tsub){ .name = "m", .ref = i + 1 };
	}
	d[30] = (struct tdef){ .kind = BTF_KIND_INT, .name = "int", .size = 4 };

	run_diff(d, 31, NULL, d, 0, NULL, &r);
	check(!r.err && r.st.kind[BTF_KIND_STRUCT].only_a == 30 &&
	      strstr(r.out, " <truncated>\n"), "blowup: truncated", "err=%d", r.err);
	free(r.out);
}

static void test_summary(void)
{
	struct result r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	run_mut(mut_fwd, &r);
	f = open_memstream(&buf, &len);
	if (!f)
		die("open_memstream");
	btf_diff__print_summary(&r.st, f);
	fclose(f);
	check(strstr(buf, "kind INT a=3 b=3 matched=3 only_a=0 only_b=0 differ=0\n") == buf &&
	      strstr(buf, "\nkind STRUCT a=7 b=6 matched=6 only_a=1 only_b=0 differ=0\n") &&
	      strstr(buf, "\nkind FWD a=1 b=2 matched=1 only_a=0 only_b=1 differ=0\n") &&
	      strstr(buf, "\nkind PTR a=6 b=6 matched=0 only_a=0 only_b=0 differ=0\n") &&
	      strstr(buf, "\nkind ENUM64 a=1 b=1 matched=1 only_a=0 only_b=0 differ=0\n"
			  "differences 2\n") &&
	      !strstr(buf, "kind VOLATILE") && !strstr(buf, "kind UNKNOWN"),
	      "summary format", "got:\n%s", buf);
	free(buf);
	free(r.out);

	/* NULL output and NULL stats are allowed */
	{
		struct d2b_btf *a = build(base, T_NR, NULL);

		check(btf_diff__run(a, a, NULL, NULL) == 0, "null out/stats", "%s", "");
		d2b_btf__free(a);
	}
}

int main(void)
{
	test_same();
	test_changes();
	test_extra_func();
	test_render();
	test_qualifiers();
	test_hostile();
	test_blowup();
	test_summary();
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	return 0;
}
