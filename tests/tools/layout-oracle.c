// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * layout-oracle REF ASSERTS.c BITFIELDS.c
 *
 * Facts about the layout of the types of a reference BTF (the kernel
 * build's own .BTF), read with libbpf so that no code of dwarf2btf is
 * involved, written as C to compile against a generated vmlinux.h:
 *
 *   ASSERTS.c    _Static_assert()s of sizeof() of every struct, union and
 *                typedef whose name is unique, and of offsetof() of their
 *                named members that are not bitfields, also those reached
 *                through anonymous members (x.field) and members of
 *                anonymous type (x.named.field);
 *   BITFIELDS.c  a host program that sets each bitfield of those types to
 *                all ones in a zeroed object and checks that exactly the
 *                bits the reference says, and no others, changed; it
 *                prints "FAIL: ..." lines and exits 1 on a mismatch.
 *
 * A name that two distinct types share would be written NAME___N by a
 * header writer, so such names are left out. Prints
 * "asserts=N bitfields=N skipped=N" (types left out for their names).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define MAX_NEST 32
/* objects larger than the checker's buffer are not bitfield-checked */
#define BUF_SIZE (1 << 20)

struct ctx {
	const struct btf *btf;
	FILE *asserts, *bits;
	unsigned long nr_asserts, nr_bits, nr_skipped;
	unsigned int *tag_count;	/* per type id: how many types share its name */
};

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* The type after modifiers and typedefs. */
static const struct btf_type *strip(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	int i;

	for (i = 0; t && i < 64; i++) {
		if (!btf_is_mod(t) && !btf_is_typedef(t))
			break;
		t = btf__type_by_id(btf, t->type);
	}
	return t;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Members of composite @t, an object of C type @ctype; @path is the member
 * designator so far ("" at the top), @base its bit offset.
 */
static void walk(struct ctx *c, const struct btf_type *t, const char *ctype,
		 const char *path, unsigned long base, unsigned long size, int depth)
{
	const struct btf_member *m = btf_members(t);
	int i, vlen = btf_vlen(t);

	if (depth > MAX_NEST)
		return;
	for (i = 0; i < vlen; i++, m++) {
		const char *name = btf__name_by_offset(c->btf, m->name_off);
		unsigned long off = base + btf_member_bit_offset(t, i);
		unsigned int bits = btf_member_bitfield_size(t, i);
		const struct btf_type *mt = strip(c->btf, m->type);
		char sub[1024];

		if (name && *name)
			snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", name);
		else
			snprintf(sub, sizeof(sub), "%s", path);
		if (bits) {
			if (!name || !*name || size > BUF_SIZE)
				continue;
			fprintf(c->bits,
				"\t{ %s *o = (void *)lo_buf; __builtin_memset(lo_buf, 0, sizeof(*o));"
				" o->%s = -1; lo_check(sizeof(*o), %lu, %u, \"%s.%s\"); }\n",
				ctype, sub, off, bits, ctype, sub);
			c->nr_bits++;
			continue;
		}
		if (name && *name) {
			if (off % 8)
				continue;
			fprintf(c->asserts,
				"_Static_assert(__builtin_offsetof(%s, %s) == %lu, \"offsetof(%s, %s) == %lu\");\n",
				ctype, sub, off / 8, ctype, sub, off / 8);
			c->nr_asserts++;
		}
		/* anonymous types have no assertions of their own: go inside */
		if (mt && btf_is_composite(mt) && !mt->name_off)
			walk(c, mt, ctype, sub, off, size, depth + 1);
	}
}

int main(int argc, char **argv)
{
	struct ctx c = { 0 };
	const char **names = NULL;
	struct btf *btf;
	__u32 id, n, nr_names = 0;
	int pass;

	if (argc != 4) {
		fprintf(stderr, "usage: layout-oracle REF.btf ASSERTS.c BITFIELDS.c\n");
		return 2;
	}
	libbpf_set_print(quiet);
	btf = btf__parse(argv[1], NULL);
	if (libbpf_get_error(btf)) {
		fprintf(stderr, "layout-oracle: %s: cannot parse\n", argv[1]);
		return 1;
	}
	c.btf = btf;
	n = btf__type_cnt(btf);
	c.asserts = fopen(argv[2], "w");
	c.bits = fopen(argv[3], "w");
	names = calloc(n, sizeof(*names));
	c.tag_count = calloc(n, sizeof(*c.tag_count));
	if (!c.asserts || !c.bits || !names || !c.tag_count) {
		fprintf(stderr, "layout-oracle: %s\n", strerror(errno));
		return 1;
	}

	/*
	 * Names shared by distinct types: struct, union and enum tags share a
	 * namespace (an enum without values only declares one), typedefs have
	 * their own. Sort the "kind:name" keys and count runs.
	 */
	for (pass = 0; pass < 2; pass++) {
		for (id = 1; id < n; id++) {
			const struct btf_type *t = btf__type_by_id(btf, id);
			const char *name = btf__name_by_offset(btf, t->name_off);
			char *key;

			if (!name || !*name)
				continue;
			if (!(btf_is_composite(t) || (btf_is_any_enum(t) && btf_vlen(t)) ||
			      btf_is_typedef(t)))
				continue;
			if (asprintf(&key, "%c:%s", btf_is_typedef(t) ? 't' : 's', name) < 0)
				return 1;
			if (!pass) {
				names[nr_names++] = key;
				continue;
			}
			{
				const char **lo = bsearch(&key, names, nr_names, sizeof(*names), cmp_str);
				const char **hi = lo;

				while (lo > names && !strcmp(lo[-1], key))
					lo--;
				while (hi + 1 < names + nr_names && !strcmp(hi[1], key))
					hi++;
				c.tag_count[id] = (unsigned int)(hi - lo + 1);
			}
			free(key);
		}
		if (!pass)
			qsort(names, nr_names, sizeof(*names), cmp_str);
	}

	fprintf(c.asserts, "/* generated by tests/tools/layout-oracle from %s */\n"
		"#include \"vmlinux.h\"\n\n", argv[1]);
	fprintf(c.bits,
		"/* generated by tests/tools/layout-oracle from %s */\n"
		"#include \"vmlinux.h\"\n\n"
		"static unsigned char lo_buf[%d] __attribute__((aligned(64)));\n"
		"static int lo_fails;\n\n"
		"static void lo_check(unsigned long size, unsigned long off, unsigned int bits, const char *what)\n"
		"{\n"
		"\tunsigned long i;\n\n"
		"\tfor (i = 0; i < size * 8; i++) {\n"
		"\t\tint set = (lo_buf[i / 8] >> (i %% 8)) & 1, want = i >= off && i < off + bits;\n\n"
		"\t\tif (set != want) {\n"
		"\t\t\t__builtin_printf(\"FAIL: bitfield %%s: bit %%lu is %%d, want bits %%lu..%%lu\\n\",\n"
		"\t\t\t\t\t what, i, set, off, off + bits - 1);\n"
		"\t\t\tlo_fails++;\n"
		"\t\t\treturn;\n"
		"\t\t}\n"
		"\t}\n"
		"}\n\n"
		"int main(void)\n{\n", argv[1], BUF_SIZE);

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id), *target;
		const char *name = btf__name_by_offset(btf, t->name_off);
		char ctype[512];
		long long size;

		if (!name || !*name)
			continue;
		if (btf_is_composite(t)) {
			snprintf(ctype, sizeof(ctype), "%s %s", btf_is_union(t) ? "union" : "struct", name);
			target = t;
		} else if (btf_is_typedef(t)) {
			/* the compiler's own, which no header can define */
			if (!strncmp(name, "__builtin_", 10))
				continue;
			snprintf(ctype, sizeof(ctype), "%s", name);
			target = strip(btf, t->type);
			/* the members of named types are checked with those */
			if (!target || target->name_off || !btf_is_composite(target))
				target = NULL;
		} else {
			continue;
		}
		if (c.tag_count[id] != 1) {
			c.nr_skipped++;
			continue;
		}
		size = btf__resolve_size(btf, id);
		if (size < 0)
			continue;
		fprintf(c.asserts, "_Static_assert(sizeof(%s) == %lld, \"sizeof(%s) == %lld\");\n",
			ctype, size, ctype, size);
		c.nr_asserts++;
		if (target)
			walk(&c, target, ctype, "", 0, (unsigned long)size, 0);
	}
	fprintf(c.bits, "\treturn lo_fails ? 1 : 0;\n}\n");
	if (fclose(c.asserts) || fclose(c.bits)) {
		fprintf(stderr, "layout-oracle: write error\n");
		return 1;
	}
	printf("asserts=%lu bitfields=%lu skipped=%lu\n", c.nr_asserts, c.nr_bits, c.nr_skipped);
	for (id = 0; id < nr_names; id++)
		free((void *)names[id]);
	free(names);
	free(c.tag_count);
	btf__free(btf);
	return 0;
}
