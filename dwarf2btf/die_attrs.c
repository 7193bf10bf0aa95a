// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* A DIE's wanted attributes, located through a per-abbreviation recipe. */
#include <dwarf.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "die_attrs.h"
#include "util.h"

#define MAX_NAMES	32
#define MAX_ATTRS	24	/* more in one abbreviation: libdw's way */
#define NR_RECIPES	1024	/* direct-mapped by abbreviation address */

struct recipe {
	Dwarf_Abbrev *abbrev;	/* NULL: slot empty */
	bool usable;
	uint8_t nr;
	struct {
		uint16_t name;
		uint16_t form;
		int8_t want;	/* index into names, or -1 */
	} attr[MAX_ATTRS];
};

struct die_attrs {
	unsigned int names[MAX_NAMES];
	unsigned int nr_names;
	bool little_endian;
	/* sizes of the unit last read */
	Dwarf_CU *cu;
	uint8_t addr_size;
	uint8_t offset_size;
	Dwarf_Half version;
	struct recipe recipes[NR_RECIPES];
};

struct die_attrs *die_attrs__new(const unsigned int *names, unsigned int nr, bool little_endian)
{
	struct die_attrs *r;

	if (nr > MAX_NAMES)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	memcpy(r->names, names, nr * sizeof(*names));
	r->nr_names = nr;
	r->little_endian = little_endian;
	return r;
}

void die_attrs__free(struct die_attrs *r)
{
	free(r);
}

void die_attrs__reset(struct die_attrs *r)
{
	size_t i;

	r->cu = NULL;
	for (i = 0; i < NR_RECIPES; i++)
		r->recipes[i].abbrev = NULL;
}

/*
 * The attributes are listed until dwarf_getabbrevattr_data() finds no
 * more: dwarf_getattrcnt() miscounts abbreviations that hold
 * DW_FORM_implicit_const values (elfutils 0.188: 3 for GCC's 5-attribute
 * members of __va_list_tag).
 */
static void recipe_build(const struct die_attrs *r, struct recipe *rc, Dwarf_Abbrev *abbrev)
{
	unsigned int j, name, form;
	Dwarf_Sword data;
	size_t i;

	rc->abbrev = abbrev;
	rc->usable = false;
	for (i = 0; !dwarf_getabbrevattr_data(abbrev, i, &name, &form, &data, NULL); i++) {
		if (i == MAX_ATTRS)
			return;
		if (name > UINT16_MAX || form > UINT16_MAX)
			return;
		rc->attr[i].name = (uint16_t)name;
		rc->attr[i].form = (uint16_t)form;
		rc->attr[i].want = -1;
		for (j = 0; j < r->nr_names; j++)
			if (r->names[j] == name)
				rc->attr[i].want = (int8_t)j;
		/* its value is in the abbreviation, where only libdw points */
		if (form == DW_FORM_implicit_const && rc->attr[i].want >= 0)
			return;
	}
	rc->nr = (uint8_t)i;
	rc->usable = true;
}

static const unsigned char *skip_leb(const unsigned char *p, const unsigned char *end)
{
	while (p < end && (*p & 0x80))
		p++;
	return p < end ? p + 1 : NULL;
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

static uint64_t read_fixed(const unsigned char *p, unsigned int n, bool little_endian)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[little_endian ? i : n - 1 - i] << (8 * i);
	return v;
}

/* The byte after the value of form @form at @p, or NULL. */
static const unsigned char *skip_form(const struct die_attrs *r, const unsigned char *p,
				      const unsigned char *end, unsigned int form)
{
	uint64_t len = 0;
	bool ok = true;

	switch (form) {
	case DW_FORM_flag_present:
	case DW_FORM_implicit_const:
		return p;
	case DW_FORM_data1:
	case DW_FORM_ref1:
	case DW_FORM_flag:
	case DW_FORM_strx1:
	case DW_FORM_addrx1:
		len = 1;
		break;
	case DW_FORM_data2:
	case DW_FORM_ref2:
	case DW_FORM_strx2:
	case DW_FORM_addrx2:
		len = 2;
		break;
	case DW_FORM_strx3:
	case DW_FORM_addrx3:
		len = 3;
		break;
	case DW_FORM_data4:
	case DW_FORM_ref4:
	case DW_FORM_strx4:
	case DW_FORM_addrx4:
	case DW_FORM_ref_sup4:
		len = 4;
		break;
	case DW_FORM_data8:
	case DW_FORM_ref8:
	case DW_FORM_ref_sig8:
	case DW_FORM_ref_sup8:
		len = 8;
		break;
	case DW_FORM_data16:
		len = 16;
		break;
	case DW_FORM_addr:
		len = r->addr_size;
		break;
	case DW_FORM_ref_addr:
		len = r->version == 2 ? r->addr_size : r->offset_size;
		break;
	case DW_FORM_strp:
	case DW_FORM_line_strp:
	case DW_FORM_sec_offset:
	case DW_FORM_strp_sup:
	case DW_FORM_GNU_ref_alt:
	case DW_FORM_GNU_strp_alt:
		len = r->offset_size;
		break;
	case DW_FORM_udata:
	case DW_FORM_sdata:
	case DW_FORM_ref_udata:
	case DW_FORM_strx:
	case DW_FORM_addrx:
	case DW_FORM_loclistx:
	case DW_FORM_rnglistx:
	case DW_FORM_GNU_addr_index:
	case DW_FORM_GNU_str_index:
		return skip_leb(p, end);
	case DW_FORM_string: {
		const unsigned char *nul = memchr(p, 0, (size_t)(end - p));

		return nul ? nul + 1 : NULL;
	}
	case DW_FORM_block1:
	case DW_FORM_block2:
	case DW_FORM_block4: {
		unsigned int n = form == DW_FORM_block1 ? 1 : form == DW_FORM_block2 ? 2 : 4;

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
	default:
		return NULL;	/* DW_FORM_indirect and what is not DWARF 5 */
	}
	return len <= (uint64_t)(end - p) ? p + len : NULL;
}

int64_t die_attrs__read(struct die_attrs *r, Dwarf_Die *die, const void *end,
			Dwarf_Attribute *out)
{
	const unsigned char *p = die->addr, *e = end;
	struct recipe *rc;
	int64_t have = 0;
	unsigned int i;

	if (!die->abbrev || !p || !e || e <= p)
		return -1;
	if (die->cu != r->cu) {
		if (dwarf_cu_info(die->cu, &r->version, NULL, NULL, NULL, NULL, &r->addr_size,
				  &r->offset_size)) {
			r->cu = NULL;
			return -1;
		}
		r->cu = die->cu;
	}
	rc = &r->recipes[hash_mix(0, (uintptr_t)die->abbrev) % NR_RECIPES];
	if (rc->abbrev != die->abbrev)
		recipe_build(r, rc, die->abbrev);
	if (!rc->usable)
		return -1;
	p = skip_leb(p, e);	/* the abbreviation code */
	for (i = 0; p && i < rc->nr; i++) {
		int want = rc->attr[i].want;

		if (want >= 0) {
			out[want] = (Dwarf_Attribute){
				.code = rc->attr[i].name, .form = rc->attr[i].form,
				.valp = (unsigned char *)p, .cu = die->cu,
			};
			have |= (int64_t)1 << want;
		}
		p = skip_form(r, p, e, rc->attr[i].form);
	}
	return p ? have : -1;
}
