// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * die_reader against libdw: every DIE of every unit of a few files (this
 * test's own executable, and the fixtures built as DWARF 4 and DWARF 5
 * shared objects when a C compiler is at hand) is stepped to by both, and
 * each call the converter makes gives the same answer, the first operation
 * of each parameter's location too (funcs.c built with -O2 as DWARF 2 to 5
 * for location lists). The reader must also have answered most DIEs
 * itself, not by falling back to libdw.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "die_reader.h"

#include "check.h"

/*
 * Looked up one by one; die_reader__read() looks for all but the last two,
 * which GCC's DWARF 5 often keeps in the abbreviation (implicit_const):
 * DIEs that have such an attribute it leaves to libdw.
 */
static const unsigned int names[] = {
	DW_AT_name, DW_AT_type, DW_AT_data_member_location, DW_AT_byte_size, DW_AT_bit_size,
	DW_AT_data_bit_offset, DW_AT_declaration, DW_AT_external, DW_AT_const_value,
	DW_AT_upper_bound, DW_AT_count, DW_AT_location, DW_AT_sibling,
	DW_AT_abstract_origin, DW_AT_specification, DW_AT_encoding, DW_AT_low_pc,
	DW_AT_high_pc, DW_AT_producer, DW_AT_prototyped, DW_AT_alignment,
	DW_AT_decl_file, DW_AT_decl_line,
};
#define NR_NAMES (sizeof(names) / sizeof(names[0]))
#define NR_READ (NR_NAMES - 2)

struct stats {
	size_t dies;
	size_t fast;		/* stepped to by the reader itself */
	size_t attrs;
	size_t reads;		/* die_reader__read() answered */
	size_t skipped;		/* members die_reader__skip_tag() stepped over */
	size_t refs;		/* references die_reader__ref_offset() followed */
	size_t locs;		/* locations die_reader__first_loc_op() read */
	size_t loc_lists;	/* of them, location lists */
	size_t bad;
	char first[512];	/* the first difference */
};

static void differ(struct stats *st, Dwarf_Die *die, const char *what, unsigned int name)
{
	if (!st->bad++)
		snprintf(st->first, sizeof(st->first), "DIE at 0x%llx: %s (attribute 0x%x)",
			 (unsigned long long)dwarf_dieoffset(die), what, name);
}

static bool same_attr(const Dwarf_Attribute *a, const Dwarf_Attribute *b)
{
	if (!a || !b)
		return a == b;
	return a->code == b->code && a->form == b->form && a->valp == b->valp && a->cu == b->cu;
}

/* die_reader__first_loc_op() of @attr, where it answers, is dwarf_getlocations()' first op. */
static void compare_loc(struct die_reader *r, Dwarf_Die *lib, Dwarf_Attribute *attr,
			struct stats *st)
{
	Dwarf_Addr base, start, end;
	Dwarf_Op *expr;
	size_t len;
	uint8_t op;
	int got = die_reader__first_loc_op(r, attr, &op), want;

	if (got < 0)
		return;
	st->locs++;
	st->loc_lists += attr->form != DW_FORM_exprloc && attr->form != DW_FORM_block1;
	want = dwarf_getlocations(attr, 0, &base, &start, &end, &expr, &len) > 0 && len ?
	       expr[0].atom : -1;
	if ((got ? -1 : op) != want)
		differ(st, lib, "die_reader__first_loc_op", attr->code);
}

/* die_reader__ref_offset() of @attr, where it answers, is where libdw's reference leads. */
static void compare_ref(struct die_reader *r, Dwarf_Die *lib, Dwarf_Attribute *attr,
			struct stats *st)
{
	Dwarf_Die target;
	Dwarf_Off off;

	if (!die_reader__ref_offset(r, attr, &off))
		return;
	st->refs++;
	if (!dwarf_formref_die(attr, &target) || dwarf_dieoffset(&target) != off)
		differ(st, lib, "die_reader__ref_offset", attr->code);
}

static void compare_die(struct die_reader *r, Dwarf_Die *lib, Dwarf_Die *ours, struct stats *st)
{
	Dwarf_Attribute want[NR_NAMES], got[NR_NAMES], la, oa;
	int64_t have;
	size_t i;

	st->dies++;
	if (lib->addr != ours->addr || lib->cu != ours->cu) {
		differ(st, lib, "another DIE", 0);
		return;
	}
	if (dwarf_tag(lib) != dwarf_tag(ours))
		differ(st, lib, "another tag", 0);
	if (die_reader__name(r, ours) != dwarf_diename(lib))
		differ(st, lib, "another name", DW_AT_name);
	for (i = 0; i < NR_NAMES; i++) {
		Dwarf_Attribute *l = dwarf_attr(lib, names[i], &want[i]);

		st->attrs++;
		if (!same_attr(l, die_reader__attr(r, ours, names[i], &oa)))
			differ(st, lib, "die_reader__attr", names[i]);
		else if (l)
			compare_ref(r, lib, &oa, st);
		if (l && names[i] == DW_AT_location && dwarf_tag(lib) == DW_TAG_formal_parameter)
			compare_loc(r, lib, &oa, st);
		if (!same_attr(dwarf_attr_integrate(lib, names[i], &la),
			       die_reader__attr_integrate(r, ours, names[i], &oa)))
			differ(st, lib, "die_reader__attr_integrate", names[i]);
		if (!l)
			want[i].code = 0;
	}
	have = die_reader__read(r, ours, got);
	if (have < 0)
		return;
	st->reads++;
	for (i = 0; i < NR_READ; i++) {
		bool has = have & ((int64_t)1 << i);

		if (has != (want[i].code != 0) || (has && !same_attr(&want[i], &got[i])))
			differ(st, lib, "die_reader__read", names[i]);
	}
}

/* die_reader__skip_tag() from @ours stops where libdw's siblings of @lib do. */
static void compare_skip(struct die_reader *r, Dwarf_Die *lib, Dwarf_Die *ours,
			 struct stats *st)
{
	Dwarf_Die l = *lib, o = *ours;
	int lr = 0, or;

	while (lr == 0 && dwarf_tag(&l) == DW_TAG_member)
		lr = dwarf_siblingof(&l, &l);
	or = die_reader__skip_tag(r, &o, DW_TAG_member);
	if (lr != or || (!lr && l.addr != o.addr))
		differ(st, lib, "die_reader__skip_tag", 0);
	st->skipped += dwarf_tag(lib) == DW_TAG_member;
}

/* @lib and @ours are the same DIE; so must their children be. */
static void walk(struct die_reader *r, Dwarf_Die *lib, Dwarf_Die *ours, struct stats *st,
		 int depth)
{
	Dwarf_Die lc, oc;
	int lr, or;

	compare_die(r, lib, ours, st);
	if (depth > 64 || st->bad)
		return;
	lr = dwarf_child(lib, &lc);
	or = die_reader__child(r, ours, &oc);
	while (lr == 0 && or == 0) {
		st->fast += oc.abbrev != NULL;
		compare_skip(r, &lc, &oc, st);
		walk(r, &lc, &oc, st, depth + 1);
		if (st->bad)
			return;
		lr = dwarf_siblingof(&lc, &lc);
		or = die_reader__sibling(r, &oc, &oc);
	}
	if (lr != or)
		differ(st, lib, lr ? "a DIE libdw does not see" : "a DIE missed", 0);
}

/* @lists: optimized code, whose parameters have location lists */
static void check_file(const char *path, const char *label, bool lists)
{
	struct die_reader *r = die_reader__new(names, NR_READ, true);
	struct stats st = { 0 };
	Dwarf_Off off = 0, next;
	size_t hsize, units = 0, begun = 0;
	char name[256];
	Dwarf *dw;
	int fd;

	fd = open(path, O_RDONLY);
	dw = fd >= 0 ? dwarf_begin(fd, DWARF_C_READ) : NULL;
	snprintf(name, sizeof(name), "die_reader.%s", label);
	if (!r || !dw) {
		check(false, name, "%s: cannot read its DWARF", path);
		goto out;
	}
	while (!st.bad && !dwarf_next_unit(dw, off, &next, &hsize, NULL, NULL, NULL, NULL, NULL,
					   NULL)) {
		Dwarf_Die cu;

		if (dwarf_offdie(dw, off + hsize, &cu)) {
			units++;
			begun += !die_reader__begin_unit(r, &cu);
			walk(r, &cu, &cu, &st, 0);
			die_reader__end_unit(r);
		}
		off = next;
	}
	check(!st.bad && units && begun == units && st.dies > 20, name,
	      "%s: %zu units (%zu begun), %zu DIEs: %s", path, units, begun, st.dies,
	      st.bad ? st.first : "too few");
	snprintf(name, sizeof(name), "die_reader.%s.skip", label);
	check(!st.bad && st.skipped > 0, name, "%s: skipped from %zu members", path, st.skipped);
	snprintf(name, sizeof(name), "die_reader.%s.refs", label);
	check(!st.bad && st.refs > 0, name, "%s: %zu references followed", path, st.refs);
	if (lists) {
		snprintf(name, sizeof(name), "die_reader.%s.locations", label);
		check(!st.bad && st.loc_lists > 0, name,
		      "%s: %zu parameter locations read, %zu of them lists", path, st.locs,
		      st.loc_lists);
	}
	snprintf(name, sizeof(name), "die_reader.%s.own-steps", label);
	/* all but the unit DIEs, which libdw hands out */
	check(st.fast + units >= st.dies && st.reads * 4 >= st.dies * 3, name,
	      "%s: %zu of %zu DIEs stepped to, %zu of them read, by the reader itself", path,
	      st.fast, st.dies, st.reads);
	printf("# %s: %zu units, %zu DIEs, %zu attribute lookups compared\n", path, units,
	       st.dies, st.attrs);
out:
	if (dw)
		dwarf_end(dw);
	if (fd >= 0)
		close(fd);
	die_reader__free(r);
}

static const char *const fixtures[] = { "structs", "bitfields", "enums", "funcs", "btf_tags" };

int main(void)
{
	const char *tmp = getenv("D2B_TMP");
	char so[512], cmd[2048];
	size_t i;

	check_file("/proc/self/exe", "self", false);
	if (!tmp || system("command -v cc >/dev/null 2>&1")) {
		printf("SKIP: die_reader.fixtures: no C compiler or no D2B_TMP\n");
		return failures ? 1 : 0;
	}
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		int v;

		for (v = 4; v <= 5; v++) {
			char label[64];

			snprintf(so, sizeof(so), "%s/%s-%d.so", tmp, fixtures[i], v);
			snprintf(cmd, sizeof(cmd),
				 "cc -gdwarf-%d -O0 -shared -fPIC -o %s tests/fixtures/%s.c", v, so,
				 fixtures[i]);
			snprintf(label, sizeof(label), "%s-dwarf%d", fixtures[i], v);
			if (system(cmd)) {
				check(false, label, "cannot build: %s", cmd);
				continue;
			}
			check_file(so, label, false);
		}
	}
	/* DWARF 2 and 3: location lists by data4 offsets into .debug_loc; 4: sec_offset; 5: .debug_loclists */
	for (i = 2; i <= 5; i++) {
		char label[64];

		snprintf(so, sizeof(so), "%s/funcs-O2-%zu.so", tmp, i);
		snprintf(cmd, sizeof(cmd),
			 "cc -gdwarf-%zu -O2 -shared -fPIC -o %s tests/fixtures/funcs.c", i, so);
		snprintf(label, sizeof(label), "funcs-O2-dwarf%zu", i);
		if (system(cmd)) {
			check(false, label, "cannot build: %s", cmd);
			continue;
		}
		check_file(so, label, true);
	}
	return failures ? 1 : 0;
}
