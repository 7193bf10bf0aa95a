// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* A unit's DIEs, stepped through by a table of its abbreviations. */
#include <dwarf.h>
#include <errno.h>
#include <gelf.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "die_reader.h"
#include "memo.h"
#include "util.h"

#define MAX_NAMES	32
/* compilers number abbreviations from 1 up; a higher code is libdw's to find */
#define MAX_CODE	8192
/* an offset or size that does not fit in an int16_t is not tabled */
#define NO_OFF		(-1)
/* runs of keyed bytes a DIE's key copies at most, without stepping through them */
#define KEY_RUNS	4

enum {
	SIZE_VARIES = -1,	/* LEB128, string, block: read to step over */
	SIZE_UNKNOWN = -2,	/* DW_FORM_indirect, a form not known here */
};

/* What die_reader__key() makes of an attribute. */
enum {
	KEY_SKIP,		/* not in the key */
	KEY_VALUE,		/* its value is */
	KEY_REF,		/* DW_AT_type: in die_key.refs */
	KEY_NONE,		/* cannot be keyed: nor can its DIE */
};

struct abbrev_attr {
	uint16_t name;
	uint16_t form;
	int8_t want;		/* index into names, or -1 */
	int8_t size;		/* of the value, or SIZE_* */
	int16_t off;		/* from the first attribute, or NO_OFF past a varying one */
	uint8_t key;		/* KEY_* */
};

struct abbrev_entry {
	Dwarf_Abbrev *abbrev;	/* NULL: no such code */
	uint32_t first;		/* its attributes: attrs[first, first + nr) */
	uint16_t nr;
	uint16_t tag;
	bool children;
	bool usable;		/* every form known: else libdw reads such DIEs */
	int16_t fixed;		/* bytes of all attributes, or NO_OFF if they vary */
	int16_t sibling;	/* index of DW_AT_sibling, or -1 */
	bool keyable;		/* by die_reader__key(): no attribute is KEY_NONE */
	/* which attribute names below 192 it has: most lookups are for absent ones */
	uint64_t has[3];
	uint32_t key_id;	/* its number in die_reader.shapes, once asked for; or 0 */
	/*
	 * With all attributes at fixed offsets: what key_die() copies, the
	 * runs of keyed values, and which attribute is the DW_AT_type (or -1).
	 */
	bool planned;		/* else key_die() steps through the attributes */
	uint8_t nr_runs;
	int8_t ref;
	uint8_t run_off[KEY_RUNS];
	uint8_t run_len[KEY_RUNS];
};

struct die_reader {
	unsigned int names[MAX_NAMES];
	unsigned int nr_names;
	/* index into names of the attribute names below 256, or -1: looked up per attribute */
	int8_t want[256];
	bool little_endian;

	/* the unit begun; NULL: none */
	Dwarf_CU *cu;
	const unsigned char *start;	/* its header */
	const unsigned char *end;
	uint8_t addr_size;
	uint8_t offset_size;
	Dwarf_Half version;
	uint8_t unit_type;

	/* .debug_info as the handle of the unit last begun holds it: units end within */
	Dwarf *dwarf;
	const unsigned char *info;
	size_t info_size;
	/* its .debug_abbrev, where the attribute specs are read; NULL: libdw reads them */
	const unsigned char *abbrevs;
	size_t abbrevs_size;
	/* its location lists: DWARF 2-4's .debug_loc, DWARF 5's .debug_loclists */
	const unsigned char *loc;
	size_t loc_size;
	const unsigned char *loclists;
	size_t loclists_size;

	struct abbrev_entry *codes;	/* by abbreviation code */
	size_t nr_codes;
	size_t codes_cap;
	struct abbrev_attr *attrs;
	size_t nr_attrs;
	size_t attrs_cap;

	/*
	 * For die_reader__key(): every abbreviation's tag, children flag and
	 * keyed attributes (name, form, a DW_FORM_implicit_const value), over
	 * all units, numbered from 1 in order of first sight.
	 */
	struct memo *shapes;
	uint32_t nr_shapes;
	unsigned char *shape;	/* scratch */
	size_t shape_cap;
};

struct die_reader *die_reader__new(const unsigned int *names, unsigned int nr,
				   bool little_endian)
{
	struct die_reader *r;
	unsigned int i;

	if (nr > MAX_NAMES)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->shapes = memo__new();
	if (!r->shapes) {
		free(r);
		return NULL;
	}
	memcpy(r->names, names, nr * sizeof(*names));
	r->nr_names = nr;
	memset(r->want, -1, sizeof(r->want));
	for (i = 0; i < nr; i++)
		if (names[i] < sizeof(r->want))
			r->want[names[i]] = (int8_t)i;
	r->little_endian = little_endian;
	return r;
}

void die_reader__free(struct die_reader *r)
{
	if (!r)
		return;
	free(r->codes);
	free(r->attrs);
	memo__free(r->shapes);
	free(r->shape);
	free(r);
}

void die_reader__end_unit(struct die_reader *r)
{
	r->cu = NULL;
	r->dwarf = NULL;
}

/*
 * The .debug_info section that holds @addr, as libdw reads it (its own
 * Elf, decompressed and relocated in place). A unit's length comes from
 * its header, which may claim more bytes than the section has.
 */
static int find_info(struct die_reader *r, Dwarf *dwarf, const void *addr)
{
	Elf *elf = dwarf_getelf(dwarf);
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	r->dwarf = NULL;
	r->abbrevs = NULL;
	r->abbrevs_size = 0;
	r->loc = r->loclists = NULL;
	r->loc_size = r->loclists_size = 0;
	if (!elf || elf_getshdrstrndx(elf, &shstrndx))
		return -EINVAL;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;
		Elf_Data *data;
		GElf_Shdr sh;
		bool info;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name)
			continue;
		if (name[0] == '.' && name[1] == 'z')
			name += 2;
		else if (name[0] == '.')
			name++;
		info = !strcmp(name, "debug_info");
		if (!info && strcmp(name, "debug_abbrev") && strcmp(name, "debug_loc") &&
		    strcmp(name, "debug_loclists"))
			continue;
		/* libdw has decompressed what it reads: the data is what it sees */
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf)
			continue;
		if (!strcmp(name, "debug_loc")) {
			r->loc = data->d_buf;
			r->loc_size = data->d_size;
		} else if (!strcmp(name, "debug_loclists")) {
			r->loclists = data->d_buf;
			r->loclists_size = data->d_size;
		} else if (!info) {
			r->abbrevs = data->d_buf;
			r->abbrevs_size = data->d_size;
		} else if ((const char *)addr >= (const char *)data->d_buf &&
			   (const char *)addr < (const char *)data->d_buf + data->d_size) {
			r->dwarf = dwarf;
			r->info = data->d_buf;
			r->info_size = data->d_size;
		}
	}
	return r->dwarf ? 0 : -ENOENT;
}

/* Bytes of a value of form @form, or SIZE_*. */
static int form_size(const struct die_reader *r, unsigned int form)
{
	switch (form) {
	case DW_FORM_flag_present:
	case DW_FORM_implicit_const:
		return 0;
	case DW_FORM_data1:
	case DW_FORM_ref1:
	case DW_FORM_flag:
	case DW_FORM_strx1:
	case DW_FORM_addrx1:
		return 1;
	case DW_FORM_data2:
	case DW_FORM_ref2:
	case DW_FORM_strx2:
	case DW_FORM_addrx2:
		return 2;
	case DW_FORM_strx3:
	case DW_FORM_addrx3:
		return 3;
	case DW_FORM_data4:
	case DW_FORM_ref4:
	case DW_FORM_strx4:
	case DW_FORM_addrx4:
	case DW_FORM_ref_sup4:
		return 4;
	case DW_FORM_data8:
	case DW_FORM_ref8:
	case DW_FORM_ref_sig8:
	case DW_FORM_ref_sup8:
		return 8;
	case DW_FORM_data16:
		return 16;
	case DW_FORM_addr:
		return r->addr_size;
	case DW_FORM_ref_addr:
		return r->version == 2 ? r->addr_size : r->offset_size;
	case DW_FORM_strp:
	case DW_FORM_line_strp:
	case DW_FORM_sec_offset:
	case DW_FORM_strp_sup:
	case DW_FORM_GNU_ref_alt:
	case DW_FORM_GNU_strp_alt:
		return r->offset_size;
	case DW_FORM_udata:
	case DW_FORM_sdata:
	case DW_FORM_ref_udata:
	case DW_FORM_strx:
	case DW_FORM_addrx:
	case DW_FORM_loclistx:
	case DW_FORM_rnglistx:
	case DW_FORM_GNU_addr_index:
	case DW_FORM_GNU_str_index:
	case DW_FORM_string:
	case DW_FORM_block1:
	case DW_FORM_block2:
	case DW_FORM_block4:
	case DW_FORM_block:
	case DW_FORM_exprloc:
		return SIZE_VARIES;
	default:
		return SIZE_UNKNOWN;
	}
}

static uint64_t read_uleb(const unsigned char **pp, const unsigned char *end, bool *ok)
{
	const unsigned char *p = *pp;
	uint64_t v = 0;
	unsigned int shift = 0;

	while (p < end) {
		unsigned char b = *p++;

		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80)) {
			*pp = p;
			return v;
		}
	}
	*ok = false;
	return 0;
}

/* The byte after the value of @a at @p, or NULL past the unit. */
static const unsigned char *skip_value(const struct die_reader *r, const unsigned char *p,
				       const struct abbrev_attr *a)
{
	const unsigned char *end = r->end;
	uint64_t len;
	bool ok = true;

	if (a->size >= 0) {
		len = (uint64_t)a->size;
	} else {
		switch (a->form) {
		case DW_FORM_string: {
			const unsigned char *nul = memchr(p, 0, (size_t)(end - p));

			return nul ? nul + 1 : NULL;
		}
		case DW_FORM_block1:
		case DW_FORM_block2:
		case DW_FORM_block4: {
			unsigned int n = a->form == DW_FORM_block1 ? 1 :
					 a->form == DW_FORM_block2 ? 2 : 4;

			if ((size_t)(end - p) < n)
				return NULL;
			len = read_fixed(p, n, r->little_endian);
			p += n;
			break;
		}
		case DW_FORM_block:
		case DW_FORM_exprloc:
			len = read_uleb(&p, end, &ok);
			if (!ok)
				return NULL;
			break;
		default:	/* the LEB128 forms */
			read_uleb(&p, end, &ok);
			return ok ? p : NULL;
		}
	}
	return len <= (uint64_t)(end - p) ? p + len : NULL;
}

static bool is_ref_form(unsigned int form)
{
	switch (form) {
	case DW_FORM_ref1:
	case DW_FORM_ref2:
	case DW_FORM_ref4:
	case DW_FORM_ref8:
	case DW_FORM_ref_udata:
	case DW_FORM_ref_addr:
	case DW_FORM_ref_sig8:
	case DW_FORM_ref_sup4:
	case DW_FORM_ref_sup8:
	case DW_FORM_GNU_ref_alt:
		return true;
	default:
		return false;
	}
}

/* Values that mean something only with the unit's bases. */
static bool is_unit_form(unsigned int form)
{
	switch (form) {
	case DW_FORM_strx:
	case DW_FORM_strx1:
	case DW_FORM_strx2:
	case DW_FORM_strx3:
	case DW_FORM_strx4:
	case DW_FORM_addrx:
	case DW_FORM_addrx1:
	case DW_FORM_addrx2:
	case DW_FORM_addrx3:
	case DW_FORM_addrx4:
	case DW_FORM_loclistx:
	case DW_FORM_rnglistx:
	case DW_FORM_GNU_addr_index:
	case DW_FORM_GNU_str_index:
		return true;
	default:
		return false;
	}
}

static uint8_t key_class(unsigned int name, unsigned int form)
{
	switch (name) {
	case DW_AT_sibling:
	case DW_AT_decl_file:
	case DW_AT_decl_line:
	case DW_AT_decl_column:
		return KEY_SKIP;
	}
	if (is_ref_form(form))
		return name == DW_AT_type ? KEY_REF : KEY_NONE;
	return is_unit_form(form) ? KEY_NONE : KEY_VALUE;
}

static int shape_put(struct die_reader *r, size_t *len, const void *p, size_t n)
{
	int err = grow_buf((void **)&r->shape, &r->shape_cap, 1, *len + n);

	if (err)
		return err;
	memcpy(r->shape + *len, p, n);
	*len += n;
	return 0;
}

/*
 * The copy plan of @e, whose attributes sit at fixed offsets: adjacent
 * keyed values are one run. No plan for more runs than KEY_RUNS, offsets
 * past 255, or two DW_AT_type attributes (key_die() refuses the DIE).
 */
static void plan_runs(struct die_reader *r, struct abbrev_entry *e)
{
	int end = -1;
	uint16_t i;

	e->planned = false;
	e->nr_runs = 0;
	e->ref = -1;
	if (e->fixed == NO_OFF || e->fixed > UINT8_MAX)
		return;
	for (i = 0; i < e->nr; i++) {
		const struct abbrev_attr *a = &r->attrs[e->first + i];

		if (a->key == KEY_REF) {
			if (e->ref >= 0 || i > INT8_MAX)
				goto none;
			e->ref = (int8_t)i;
		}
		if (a->key != KEY_VALUE || !a->size)
			continue;
		if (a->off == end) {
			e->run_len[e->nr_runs - 1] += (uint8_t)a->size;
		} else {
			if (e->nr_runs == KEY_RUNS)
				goto none;
			e->run_off[e->nr_runs] = (uint8_t)a->off;
			e->run_len[e->nr_runs++] = (uint8_t)a->size;
		}
		end = a->off + a->size;
	}
	e->planned = true;
	return;
none:
	e->nr_runs = 0;
}

/*
 * e->key_id, the number of the shape of @e: its tag, children flag and
 * keyed attributes (name, form, a DW_FORM_implicit_const value). Found
 * when a key first needs it: most abbreviations are never keyed.
 */
static int shape_number(struct die_reader *r, struct abbrev_entry *e)
{
	uint8_t head[3] = { (uint8_t)e->tag, (uint8_t)(e->tag >> 8), e->children };
	size_t len = 0;
	const uint32_t *id;
	uint32_t next;
	uint64_t hash;
	uint16_t i;
	int err;

	err = shape_put(r, &len, head, sizeof(head));
	for (i = 0; !err && i < e->nr; i++) {
		const struct abbrev_attr *a = &r->attrs[e->first + i];
		uint16_t nf[2] = { a->name, a->form };
		Dwarf_Sword data;

		if (a->key != KEY_VALUE && a->key != KEY_REF)
			continue;
		err = shape_put(r, &len, nf, sizeof(nf));
		if (err || a->form != DW_FORM_implicit_const)
			continue;
		if (dwarf_getabbrevattr_data(e->abbrev, i, NULL, NULL, &data, NULL)) {
			e->keyable = false;
			return 0;
		}
		err = shape_put(r, &len, &data, sizeof(data));
	}
	if (err)
		return err;
	hash = hash_bytes(r->shape, len, 0);
	plan_runs(r, e);
	id = memo__find(r->shapes, r->shape, len, hash);
	if (id) {
		e->key_id = *id;
		return 0;
	}
	if (r->nr_shapes == UINT32_MAX)
		return 0;
	next = r->nr_shapes + 1;
	err = memo__add(r->shapes, r->shape, len, hash, &next, sizeof(next));
	if (!err)
		e->key_id = r->nr_shapes = next;
	return err;
}

/*
 * Where the attribute specs of @abbrev start in its bytes [@p, @end) of
 * .debug_abbrev, after its code, tag and children flag; NULL unless they
 * are libdw's.
 */
static const unsigned char *specs_start(Dwarf_Abbrev *abbrev, const unsigned char *p,
					const unsigned char *end)
{
	bool ok = true;

	if (!p || read_uleb(&p, end, &ok) != dwarf_getabbrevcode(abbrev) ||
	    read_uleb(&p, end, &ok) != dwarf_getabbrevtag(abbrev) || !ok || p >= end)
		return NULL;
	return p + 1;
}

/*
 * Attribute spec @i of @abbrev: read on from *@specs, its bytes in
 * .debug_abbrev, or asked of libdw when *@specs is NULL (or they end
 * early: libdw then reads them all). dwarf_getabbrevattr_data() reads all
 * the specs before the one asked for, each time: quadratic in the specs
 * of an abbreviation. False after the last.
 */
static bool next_spec(Dwarf_Abbrev *abbrev, const unsigned char **specs,
		      const unsigned char *end, size_t i, unsigned int *name, unsigned int *form)
{
	const unsigned char *p = *specs;
	Dwarf_Sword data;
	uint64_t n, f;
	bool ok = true;

	if (p) {
		n = read_uleb(&p, end, &ok);
		f = read_uleb(&p, end, &ok);
		/* a DW_FORM_implicit_const value: skipped as any LEB128 */
		if (f == DW_FORM_implicit_const)
			read_uleb(&p, end, &ok);
		if (ok && n <= UINT_MAX && f <= UINT_MAX) {
			*specs = p;
			*name = (unsigned int)n;
			*form = (unsigned int)f;
			return n || f;
		}
		*specs = NULL;
	}
	return !dwarf_getabbrevattr_data(abbrev, i, name, form, &data, NULL);
}

static int add_abbrev(struct die_reader *r, Dwarf_Abbrev *abbrev, const unsigned char *bytes,
		      const unsigned char *end)
{
	unsigned int code = dwarf_getabbrevcode(abbrev), name, form, j;
	const unsigned char *specs = specs_start(abbrev, bytes, end);
	struct abbrev_entry *e;
	long off = 0;
	size_t i;
	int err;

	if (!code || code >= MAX_CODE)
		return 0;
	if (code >= r->nr_codes) {
		err = grow_buf((void **)&r->codes, &r->codes_cap, sizeof(*r->codes), code + 1);
		if (err)
			return err;
		memset(r->codes + r->nr_codes, 0, (code + 1 - r->nr_codes) * sizeof(*r->codes));
		r->nr_codes = code + 1;
	}
	e = &r->codes[code];
	if (e->abbrev)
		return -EINVAL;	/* a code twice: let libdw tell */
	*e = (struct abbrev_entry){
		.abbrev = abbrev, .first = (uint32_t)r->nr_attrs,
		.tag = (uint16_t)dwarf_getabbrevtag(abbrev),
		.children = dwarf_abbrevhaschildren(abbrev) == 1, .usable = true, .sibling = -1,
		.keyable = true,
	};
	/*
	 * Listed until there are no more: dwarf_getattrcnt() miscounts
	 * abbreviations that hold DW_FORM_implicit_const values (elfutils
	 * 0.188).
	 */
	for (i = 0; next_spec(abbrev, &specs, end, i, &name, &form); i++) {
		struct abbrev_attr *a;
		int size = form_size(r, form);

		if (i == UINT16_MAX || name > UINT16_MAX || form > UINT16_MAX)
			return -E2BIG;
		err = grow_buf((void **)&r->attrs, &r->attrs_cap, sizeof(*r->attrs),
			       r->nr_attrs + 1);
		if (err)
			return err;
		a = &r->attrs[r->nr_attrs++];
		*a = (struct abbrev_attr){
			.name = (uint16_t)name, .form = (uint16_t)form, .want = -1,
			.size = (int8_t)size,
			.off = off >= 0 && off <= INT16_MAX ? (int16_t)off : NO_OFF,
			.key = key_class(name, form),
		};
		e->keyable &= a->key != KEY_NONE;
		if (name < 64 * ARRAY_SIZE(e->has))
			e->has[name / 64] |= 1ULL << (name % 64);
		if (name < sizeof(r->want))
			a->want = r->want[name];
		for (j = 0; name >= sizeof(r->want) && j < r->nr_names; j++)
			if (r->names[j] == name)
				a->want = (int8_t)j;
		if (name == DW_AT_sibling)
			e->sibling = (int16_t)i;
		if (size == SIZE_UNKNOWN)
			e->usable = false;
		off = off >= 0 && size >= 0 ? off + size : NO_OFF;
	}
	e->nr = (uint16_t)i;
	e->fixed = off >= 0 && off <= INT16_MAX ? (int16_t)off : NO_OFF;
	return 0;
}

int die_reader__begin_unit(struct die_reader *r, Dwarf_Die *cudie)
{
	Dwarf_Off die_off = dwarf_dieoffset(cudie), hdr = dwarf_cuoffset(cudie), next, off;
	Dwarf_Off abbrev_off;
	const unsigned char *table;
	Dwarf *dwarf = dwarf_cu_getdwarf(cudie->cu);
	const unsigned char *addr = cudie->addr;
	uint8_t unit_type;
	size_t i;
	int err;

	r->cu = NULL;
	r->nr_codes = 0;
	r->nr_attrs = 0;
	if (dwarf_cu_info(cudie->cu, &r->version, &unit_type, NULL, NULL, NULL, &r->addr_size,
			  &r->offset_size))
		return -EINVAL;
	r->unit_type = unit_type;
	/* DWARF 4's type units sit in .debug_types, which dwarf_next_unit() reads otherwise */
	if (r->version < 5 && unit_type == DW_UT_type)
		return -EOPNOTSUPP;
	if (hdr > die_off || dwarf_next_unit(dwarf, die_off - hdr, &next, NULL, NULL, &abbrev_off,
					     NULL, NULL, NULL, NULL) ||
	    next <= die_off)
		return -EINVAL;
	if (r->dwarf != dwarf || addr < r->info || addr >= r->info + r->info_size) {
		err = find_info(r, dwarf, addr);
		if (err)
			return err;
	}
	/* the unit as the section holds it */
	if (hdr > (size_t)(addr - r->info) ||
	    next - die_off > r->info_size - (size_t)(addr - r->info))
		return -EINVAL;
	table = r->abbrevs && abbrev_off < r->abbrevs_size ? r->abbrevs + abbrev_off : NULL;
	for (off = 0;;) {
		size_t len = 0;
		const unsigned char *specs;
		Dwarf_Abbrev *abbrev = dwarf_getabbrev(cudie, off, &len);

		if (abbrev == DWARF_END_ABBREV)
			break;
		if (!abbrev || !len)
			return -EINVAL;
		/* its bytes, if within the section */
		specs = table && off <= r->abbrevs_size - abbrev_off &&
			len <= r->abbrevs_size - abbrev_off - off ? table + off : NULL;
		err = add_abbrev(r, abbrev, specs, specs ? specs + len : NULL);
		if (err)
			return err;
		off += len;
	}
	for (i = 0; i < r->nr_codes; i++)
		if (r->codes[i].abbrev && !r->codes[i].usable)
			r->codes[i].abbrev = NULL;
	r->start = (const unsigned char *)cudie->addr - hdr;
	r->end = (const unsigned char *)cudie->addr + (next - die_off);
	r->cu = cudie->cu;
	return 0;
}

/* The table's entry for the DIE at @p, and *@attrs: where its attributes start; or NULL. */
static inline const struct abbrev_entry *entry_at(const struct die_reader *r,
						  const unsigned char *p,
						  const unsigned char **attrs)
{
	uint64_t code;
	bool ok = true;

	if (p < r->start || p >= r->end)
		return NULL;
	if (*p < 0x80) {
		code = *p++;
	} else {
		code = read_uleb(&p, r->end, &ok);
		if (!ok)
			return NULL;
	}
	*attrs = p;
	return code < r->nr_codes && r->codes[code].abbrev ? &r->codes[code] : NULL;
}

static const struct abbrev_entry *entry_of(const struct die_reader *r, const Dwarf_Die *die,
					   const unsigned char **attrs)
{
	return r->cu && die->cu == r->cu ? entry_at(r, die->addr, attrs) : NULL;
}

/* The byte after the attributes of a DIE of @e that start at @p, or NULL. */
static const unsigned char *attrs_stepped_end(const struct die_reader *r,
					      const struct abbrev_entry *e,
					      const unsigned char *p)
{
	uint16_t i;

	for (i = 0; p && i < e->nr; i++)
		p = skip_value(r, p, &r->attrs[e->first + i]);
	return p;
}

/* the fixed layouts in line: most DIEs, and this is asked for every step */
static inline const unsigned char *attrs_end(const struct die_reader *r,
					     const struct abbrev_entry *e,
					     const unsigned char *p)
{
	if (e->fixed != NO_OFF)
		return e->fixed <= r->end - p ? p + e->fixed : NULL;
	return attrs_stepped_end(r, e, p);
}

/* Where attribute @i of a DIE of @e, whose attributes start at @p, is; or NULL. */
static const unsigned char *value_at(const struct die_reader *r, const struct abbrev_entry *e,
				     const unsigned char *p, uint16_t i)
{
	const struct abbrev_attr *a = &r->attrs[e->first + i];
	uint16_t k;

	if (a->off != NO_OFF)
		return a->off < r->end - p ? p + a->off : NULL;
	for (k = 0; p && k < i; k++)
		p = skip_value(r, p, &r->attrs[e->first + k]);
	return p;
}

/*
 * The DIE that starts at @p: 0, 1 (a null entry: no more), -1 (ask libdw).
 * *@out is written only for 0.
 */
static int die_at(const struct die_reader *r, const unsigned char *p, Dwarf_Die *out)
{
	const struct abbrev_entry *e;
	const unsigned char *attrs;

	if (p < r->end && !*p)
		return 1;
	e = entry_at(r, p, &attrs);
	if (!e)
		return -1;
	*out = (Dwarf_Die){ .addr = (void *)p, .cu = r->cu, .abbrev = e->abbrev };
	return 0;
}

int die_reader__child(struct die_reader *r, Dwarf_Die *die, Dwarf_Die *child)
{
	const unsigned char *p;
	const struct abbrev_entry *e = entry_of(r, die, &p);
	int ret;

	if (!e)
		return dwarf_child(die, child);
	if (!e->children)
		return 1;
	p = attrs_end(r, e, p);
	ret = p ? die_at(r, p, child) : -1;
	return ret < 0 ? dwarf_child(die, child) : ret;
}

/* The unit offset a reference of @form at @v holds; false for forms not within the unit. */
static inline bool read_unit_ref(const struct die_reader *r, unsigned int form,
				 const unsigned char *v, uint64_t *to)
{
	unsigned int size;
	bool ok = true;

	switch (form) {
	case DW_FORM_ref1:
	case DW_FORM_ref2:
	case DW_FORM_ref4:
	case DW_FORM_ref8:
		size = form == DW_FORM_ref1 ? 1 : form == DW_FORM_ref2 ? 2 :
		       form == DW_FORM_ref4 ? 4 : 8;
		if (size > (size_t)(r->end - v))
			return false;
		*to = read_fixed(v, size, r->little_endian);
		return true;
	case DW_FORM_ref_udata:
		*to = read_uleb(&v, r->end, &ok);
		return ok;
	default:
		return false;
	}
}

/*
 * Where the DIE after @e's DIE and all its children starts; @p: its
 * attributes. DW_AT_sibling, where the compiler wrote one, jumps over a
 * subtree; else its DIEs are stepped over one by one.
 */
static const unsigned char *after_children(const struct die_reader *r,
					   const struct abbrev_entry *e, const unsigned char *p)
{
	const unsigned char *attrs = p;	/* of the DIE stepped over */
	size_t depth = 0;

	for (;;) {
		if (e->children && e->sibling >= 0) {
			const unsigned char *v = value_at(r, e, p, (uint16_t)e->sibling);
			uint64_t to;

			/* forward only, within the unit: else libdw judges */
			if (!v || !read_unit_ref(r, r->attrs[e->first + e->sibling].form, v, &to) ||
			    to <= (uint64_t)(attrs - r->start) ||
			    to >= (uint64_t)(r->end - r->start))
				return NULL;
			p = r->start + to;
		} else {
			p = attrs_end(r, e, p);
			if (!p)
				return NULL;
			depth += e->children;
		}
		/* the null entries that end the levels left */
		while (depth && p < r->end && !*p) {
			p++;
			depth--;
		}
		if (!depth)
			return p;
		e = entry_at(r, p, &p);
		if (!e)
			return NULL;
		attrs = p;
	}
}

/* @sibling may be @die: die_at() writes it only once @die is done with */
int die_reader__sibling(struct die_reader *r, Dwarf_Die *die, Dwarf_Die *sibling)
{
	const unsigned char *p;
	const struct abbrev_entry *e = entry_of(r, die, &p);
	int ret;

	if (!e)
		return dwarf_siblingof(die, sibling);
	p = after_children(r, e, p);
	ret = p ? die_at(r, p, sibling) : -1;
	return ret < 0 ? dwarf_siblingof(die, sibling) : ret;
}

int die_reader__skip_tag(struct die_reader *r, Dwarf_Die *die, unsigned int tag)
{
	const unsigned char *p, *next;
	const struct abbrev_entry *e = entry_of(r, die, &p);
	int ret;

	while (e && e->tag == tag) {
		next = e->children ? after_children(r, e, p) : attrs_end(r, e, p);
		if (!next || next >= r->end)
			break;
		if (!*next)
			return 1;
		e = entry_at(r, next, &p);
		if (!e)
			break;
		*die = (Dwarf_Die){ .addr = (void *)next, .cu = r->cu, .abbrev = e->abbrev };
	}
	if (e && e->tag != tag)
		return 0;
	/* a DIE the table does not know: libdw from there on */
	while (dwarf_tag(die) == (int)tag) {
		ret = dwarf_siblingof(die, die);
		if (ret)
			return ret;
	}
	return 0;
}

bool die_reader__ref_offset(const struct die_reader *r, const Dwarf_Attribute *attr,
			    Dwarf_Off *off)
{
	const unsigned char *v = attr->valp;
	uint64_t to;

	if (!r->cu || attr->cu != r->cu || v < r->start || v >= r->end ||
	    !read_unit_ref(r, attr->form, v, &to) || to >= (uint64_t)(r->end - r->start))
		return false;
	*off = (Dwarf_Off)(r->start - r->info) + to;
	return true;
}

void die_reader__bind(struct die_reader *r, Dwarf_Die *die)
{
	const unsigned char *p;
	const struct abbrev_entry *e;

	if (!die->abbrev && (e = entry_of(r, die, &p)))
		die->abbrev = e->abbrev;
}

/* Skips @n bytes at *@p, or a ULEB128 (@n 0): false past @end. */
static bool loc_skip(const unsigned char **p, const unsigned char *end, size_t n)
{
	bool ok = true;

	if (!n) {
		read_uleb(p, end, &ok);
		return ok;
	}
	if (n > (size_t)(end - *p))
		return false;
	*p += n;
	return true;
}

/* The first operation of the expression of @len bytes at @p: 0, 1 if empty, -1 beyond @end. */
static int loc_expr_op(const unsigned char *p, const unsigned char *end, uint64_t len,
		       uint8_t *op)
{
	if (len > (uint64_t)(end - p))
		return -1;
	if (!len)
		return 1;
	*op = *p;
	return 0;
}

/* The first entry with an expression of the location list at @off, as libdw reads it. */
static int loc_list_op(const struct die_reader *r, uint64_t off, uint8_t *op)
{
	const unsigned char *base = r->version >= 5 ? r->loclists : r->loc;
	size_t size = r->version >= 5 ? r->loclists_size : r->loc_size;
	const unsigned char *p, *end;
	unsigned int a = r->addr_size;
	bool ok = true;
	uint64_t len;

	if (!base || off >= size || (a != 4 && a != 8))
		return -1;
	p = base + off;
	end = base + size;
	for (;;) {
		if (r->version < 5) {
			uint64_t begin, last, escape = a == 8 ? UINT64_MAX : UINT32_MAX;

			if ((size_t)(end - p) < 2 * (size_t)a)
				return -1;
			begin = read_fixed(p, a, r->little_endian);
			last = read_fixed(p + a, a, r->little_endian);
			p += 2 * a;
			/* a base address selection, and the end of the list */
			if (begin == escape)
				continue;
			if (!begin && !last)
				return 1;
			if (end - p < 2)
				return -1;
			len = read_fixed(p, 2, r->little_endian);
			return loc_expr_op(p + 2, end, len, op);
		}
		if (p >= end)
			return -1;
		switch (*p++) {
		case DW_LLE_end_of_list:
			return 1;
		case DW_LLE_base_addressx:
			if (!loc_skip(&p, end, 0))
				return -1;
			continue;
		case DW_LLE_base_address:
			if (!loc_skip(&p, end, a))
				return -1;
			continue;
		case DW_LLE_startx_endx:
		case DW_LLE_startx_length:
		case DW_LLE_offset_pair:
			if (!loc_skip(&p, end, 0) || !loc_skip(&p, end, 0))
				return -1;
			break;
		case DW_LLE_default_location:
			break;
		case DW_LLE_start_end:
			if (!loc_skip(&p, end, 2 * a))
				return -1;
			break;
		case DW_LLE_start_length:
			if (!loc_skip(&p, end, a) || !loc_skip(&p, end, 0))
				return -1;
			break;
		default:
			return -1;
		}
		len = read_uleb(&p, end, &ok);
		return ok ? loc_expr_op(p, end, len, op) : -1;
	}
}

int die_reader__first_loc_op(const struct die_reader *r, const Dwarf_Attribute *attr,
			     uint8_t *op)
{
	const unsigned char *p = attr->valp, *end = r->end;
	bool ok = true;
	uint64_t len;

	if (!r->cu || attr->cu != r->cu || p < r->start || p >= end)
		return -1;
	/* split DWARF's locations are in its .dwo file */
	if (r->unit_type == DW_UT_skeleton || r->unit_type == DW_UT_split_compile)
		return -1;
	switch (attr->form) {
	case DW_FORM_exprloc:
	case DW_FORM_block:
		len = read_uleb(&p, end, &ok);
		return ok ? loc_expr_op(p, end, len, op) : -1;
	case DW_FORM_block1:
		return loc_expr_op(p + 1, end, *p, op);
	case DW_FORM_block2:
	case DW_FORM_block4: {
		unsigned int n = attr->form == DW_FORM_block2 ? 2 : 4;

		if ((size_t)(end - p) < n)
			return -1;
		return loc_expr_op(p + n, end, read_fixed(p, n, r->little_endian), op);
	}
	case DW_FORM_sec_offset:
		if ((size_t)(end - p) < r->offset_size)
			return -1;
		return loc_list_op(r, read_fixed(p, r->offset_size, r->little_endian), op);
	case DW_FORM_data4:
	case DW_FORM_data8: {
		unsigned int n = attr->form == DW_FORM_data4 ? 4 : 8;

		/* a location list's offset before DWARF 4, a constant after */
		if (r->version >= 4 || (size_t)(end - p) < n)
			return -1;
		return loc_list_op(r, read_fixed(p, n, r->little_endian), op);
	}
	default:
		return -1;
	}
}

/* @name of a DIE of @e whose attributes start at @p: 1, 0 (none), -1 (ask libdw). */
static int find_attr(const struct die_reader *r, const struct abbrev_entry *e,
		     const unsigned char *p, unsigned int name, Dwarf_Attribute *attr)
{
	uint16_t i;

	if (name < 64 * ARRAY_SIZE(e->has) && !(e->has[name / 64] >> (name % 64) & 1))
		return 0;
	for (i = 0; i < e->nr; i++) {
		const struct abbrev_attr *a = &r->attrs[e->first + i];
		const unsigned char *v;

		if (a->name != name)
			continue;
		/* its value is in the abbreviation, where only libdw points */
		if (a->form == DW_FORM_implicit_const)
			return -1;
		v = value_at(r, e, p, i);
		if (!v)
			return -1;
		*attr = (Dwarf_Attribute){
			.code = name, .form = a->form, .valp = (unsigned char *)v, .cu = r->cu,
		};
		return 1;
	}
	return 0;
}

Dwarf_Attribute *die_reader__attr(struct die_reader *r, Dwarf_Die *die, unsigned int name,
				  Dwarf_Attribute *attr)
{
	const unsigned char *p;
	const struct abbrev_entry *e = entry_of(r, die, &p);
	int ret = e ? find_attr(r, e, p, name, attr) : -1;

	if (ret < 0)
		return dwarf_attr(die, name, attr);
	return ret ? attr : NULL;
}

static bool is_unit_tag(unsigned int tag)
{
	return tag == DW_TAG_compile_unit || tag == DW_TAG_partial_unit ||
	       tag == DW_TAG_type_unit || tag == DW_TAG_skeleton_unit;
}

Dwarf_Attribute *die_reader__attr_integrate(struct die_reader *r, Dwarf_Die *die,
					    unsigned int name, Dwarf_Attribute *attr)
{
	const unsigned char *p;
	const struct abbrev_entry *e = entry_of(r, die, &p);
	Dwarf_Attribute origin;
	int ret;

	/* units: their skeletons too */
	if (!e || is_unit_tag(e->tag))
		return dwarf_attr_integrate(die, name, attr);
	ret = find_attr(r, e, p, name, attr);
	if (ret > 0)
		return attr;
	if (!ret && !find_attr(r, e, p, DW_AT_abstract_origin, &origin) &&
	    !find_attr(r, e, p, DW_AT_specification, &origin))
		return NULL;
	return dwarf_attr_integrate(die, name, attr);
}

const char *die_reader__name(struct die_reader *r, Dwarf_Die *die)
{
	Dwarf_Attribute attr;

	return dwarf_formstring(die_reader__attr_integrate(r, die, DW_AT_name, &attr));
}

int64_t die_reader__read(struct die_reader *r, Dwarf_Die *die, Dwarf_Attribute *out)
{
	const unsigned char *p;
	const struct abbrev_entry *e = entry_of(r, die, &p);
	int64_t have = 0;
	uint16_t i;

	if (!e)
		return -1;
	for (i = 0; p && i < e->nr; i++) {
		const struct abbrev_attr *a = &r->attrs[e->first + i];

		if (a->want >= 0) {
			if (a->form == DW_FORM_implicit_const)
				return -1;
			out[a->want] = (Dwarf_Attribute){
				.code = a->name, .form = a->form, .valp = (unsigned char *)p,
				.cu = r->cu,
			};
			have |= (int64_t)1 << a->want;
		}
		p = skip_value(r, p, a);
	}
	return p ? have : -1;
}

/* Most runs are one value of 1, 2 or 4 bytes: copies of a known size. */
static unsigned char *copy_run(unsigned char *out, const unsigned char *src, size_t len)
{
	switch (len) {
	case 1:
		*out = *src;
		break;
	case 2:
		memcpy(out, src, 2);
		break;
	case 4:
		memcpy(out, src, 4);
		break;
	default:
		memcpy(out, src, len);
	}
	return out + len;
}

/* The keyed values of a DIE of @e at @p to @out, by its plan; *@ref: its DW_AT_type. */
static inline __attribute__((always_inline)) unsigned char *
key_planned(const struct die_reader *r, const struct abbrev_entry *e, const unsigned char *p,
	    unsigned char *out, Dwarf_Attribute *ref)
{
	uint8_t i;

	for (i = 0; i < e->nr_runs; i++)
		out = copy_run(out, p + e->run_off[i], e->run_len[i]);
	if (e->ref >= 0) {
		const struct abbrev_attr *a = &r->attrs[e->first + e->ref];

		*ref = (Dwarf_Attribute){
			.code = a->name, .form = a->form, .valp = (unsigned char *)p + a->off,
			.cu = r->cu,
		};
	}
	return out;
}

/* As key_planned(), value by value; NULL for a second DW_AT_type. */
static unsigned char *key_stepped(const struct die_reader *r, const struct abbrev_entry *e,
				  const unsigned char *p, unsigned char *out,
				  Dwarf_Attribute *ref)
{
	uint16_t i;

	/* attrs_end() has stepped over these values already: none fails */
	for (i = 0; i < e->nr; i++) {
		const struct abbrev_attr *a = &r->attrs[e->first + i];
		const unsigned char *next = a->size >= 0 ? p + a->size : skip_value(r, p, a);

		if (a->key == KEY_VALUE) {
			memcpy(out, p, (size_t)(next - p));
			out += next - p;
		} else if (a->key == KEY_REF) {
			/* lookups would find the first one only */
			if (ref->form)
				return NULL;
			*ref = (Dwarf_Attribute){
				.code = a->name, .form = a->form, .valp = (unsigned char *)p,
				.cu = r->cu,
			};
		}
		p = next;
	}
	return out;
}

/*
 * Appends the DIE of @ce whose attributes start at @p; *@end: the byte after
 * them. Inlined: it runs for each member, enumerator and parameter of every
 * keyed definition: millions of times on a kernel.
 */
static inline __attribute__((always_inline)) int
key_die(struct die_reader *r, const struct abbrev_entry *ce, const unsigned char *p,
	struct die_key *key, const unsigned char **end)
{
	struct abbrev_entry *e = r->codes + (ce - r->codes);
	const unsigned char *q = attrs_end(r, e, p);
	Dwarf_Attribute *ref;
	unsigned char *out;
	int err;

	if (!q || !e->keyable)
		return 1;
	if (!e->key_id) {
		err = shape_number(r, e);
		if (err)
			return err;
		if (!e->key_id)
			return 1;
	}
	err = grow_buf((void **)&key->bytes, &key->cap, 1,
		       key->len + sizeof(e->key_id) + (size_t)(q - p));
	if (!err)
		err = grow_buf((void **)&key->refs, &key->refs_cap, sizeof(*key->refs),
			       key->nr_refs + 1);
	if (err)
		return err;
	out = key->bytes + key->len;
	memcpy(out, &e->key_id, sizeof(e->key_id));
	out += sizeof(e->key_id);
	/* its DW_AT_type goes straight to its place, or none */
	ref = &key->refs[key->nr_refs];
	ref->form = 0;
	out = e->planned ? key_planned(r, e, p, out, ref) : key_stepped(r, e, p, out, ref);
	if (!out)
		return 1;
	key->len = (size_t)(out - key->bytes);
	key->nr_refs++;
	*end = q;
	return 0;
}

int die_reader__key(struct die_reader *r, Dwarf_Die *die, unsigned int child_tag,
		    struct die_key *key)
{
	const unsigned char *p;
	const struct abbrev_entry *e = entry_of(r, die, &p);
	int ret;

	key->len = 0;
	key->nr_refs = 0;
	if (!e)
		return 1;
	ret = key_die(r, e, p, key, &p);
	if (ret || !e->children)
		return ret;
	for (;;) {
		const unsigned char *attrs;
		const struct abbrev_entry *c;

		if (p >= r->end)
			return 1;
		if (!*p)
			return 0;
		c = entry_at(r, p, &attrs);
		if (!c)
			return 1;
		if (c->tag != child_tag || c->children)
			return 1;
		ret = key_die(r, c, attrs, key, &p);
		if (ret)
			return ret;
	}
}
