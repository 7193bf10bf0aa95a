// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * ELF output: raw BTF wrapped in a minimal relocatable ELF file.
 *
 * Layout (offsets aligned as noted):
 *   ELF header
 *   .BTF                  (align 8)
 *   .note.gnu.build-id    (align 4, optional)
 *   .shstrtab
 *   section header table  (align 8)
 * Everything is written field by field in the target's byte order and
 * class, so the result does not depend on the host.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_out.h"

struct wbuf {
	unsigned char *p;
	size_t pos;
	bool be;
	bool is64;
};

static void put(struct wbuf *w, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned int shift = w->be ? 8 * (n - 1 - i) : 8 * i;

		w->p[w->pos + i] = (unsigned char)(v >> shift);
	}
	w->pos += n;
}

static void put16(struct wbuf *w, uint64_t v) { put(w, v, 2); }
static void put32(struct wbuf *w, uint64_t v) { put(w, v, 4); }
/* Elf32_Addr/Elf32_Off/Elf32_Word vs Elf64_Addr/Elf64_Off/Elf64_Xword */
static void put_word(struct wbuf *w, uint64_t v) { put(w, v, w->is64 ? 8 : 4); }

static size_t align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* section name offsets in .shstrtab */
static const char shstrtab[] = "\0.BTF\0.note.gnu.build-id\0.shstrtab";
#define NAME_BTF	1
#define NAME_NOTE	6
#define NAME_SHSTRTAB	25

struct sec {
	uint32_t name;
	uint32_t type;
	uint64_t off;
	uint64_t size;
	uint64_t align;
};

int elf_out__image(const void *raw, size_t raw_size, bool big_endian, bool is64,
		   uint16_t machine, const unsigned char *build_id, size_t build_id_len,
		   void **out, size_t *out_size, char *err, size_t errlen)
{
	size_t ehsize = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	size_t shentsize = is64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr);
	struct sec secs[4];
	unsigned int nsec = 0, i, shstrndx;
	size_t off, note_size = 0, shoff, total;
	struct wbuf w = { .be = big_endian, .is64 = is64 };

	*out = NULL;
	*out_size = 0;
	if (build_id_len > 256) {
		snprintf(err, errlen, "build-id of %zu bytes is too long", build_id_len);
		return -EINVAL;
	}

	memset(secs, 0, sizeof(secs));
	nsec = 1;			/* SHN_UNDEF */
	off = align_up(ehsize, 8);
	secs[nsec++] = (struct sec){ NAME_BTF, SHT_PROGBITS, off, raw_size, 8 };
	off += raw_size;
	if (build_id_len) {
		/* namesz, descsz, type, "GNU\0", descriptor padded to 4 */
		note_size = 12 + 4 + align_up(build_id_len, 4);
		off = align_up(off, 4);
		secs[nsec++] = (struct sec){ NAME_NOTE, SHT_NOTE, off, note_size, 4 };
		off += note_size;
	}
	shstrndx = nsec;
	secs[nsec++] = (struct sec){ NAME_SHSTRTAB, SHT_STRTAB, off, sizeof(shstrtab), 1 };
	off += sizeof(shstrtab);
	shoff = align_up(off, 8);
	total = shoff + nsec * shentsize;
	if (!is64 && total > UINT32_MAX) {
		snprintf(err, errlen, "BTF of %zu bytes is too large for a 32-bit ELF file", raw_size);
		return -EFBIG;
	}

	w.p = calloc(1, total);
	if (!w.p) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}

	/* ELF header */
	memcpy(w.p, ELFMAG, SELFMAG);
	w.p[EI_CLASS] = is64 ? ELFCLASS64 : ELFCLASS32;
	w.p[EI_DATA] = big_endian ? ELFDATA2MSB : ELFDATA2LSB;
	w.p[EI_VERSION] = EV_CURRENT;
	w.p[EI_OSABI] = ELFOSABI_NONE;
	w.pos = EI_NIDENT;
	put16(&w, ET_REL);
	put16(&w, machine);
	put32(&w, EV_CURRENT);
	put_word(&w, 0);			/* e_entry */
	put_word(&w, 0);			/* e_phoff */
	put_word(&w, shoff);		/* e_shoff */
	put32(&w, 0);			/* e_flags */
	put16(&w, ehsize);
	put16(&w, 0);			/* e_phentsize */
	put16(&w, 0);			/* e_phnum */
	put16(&w, shentsize);
	put16(&w, nsec);
	put16(&w, shstrndx);

	/* contents */
	if (raw_size)
		memcpy(w.p + secs[1].off, raw, raw_size);
	if (build_id_len) {
		w.pos = secs[2].off;
		put32(&w, 4);			/* n_namesz: "GNU\0" */
		put32(&w, build_id_len);	/* n_descsz */
		put32(&w, NT_GNU_BUILD_ID);
		memcpy(w.p + w.pos, "GNU", 4);
		memcpy(w.p + w.pos + 4, build_id, build_id_len);
	}
	memcpy(w.p + secs[shstrndx].off, shstrtab, sizeof(shstrtab));

	/* section headers; the first stays all zero */
	for (i = 1; i < nsec; i++) {
		w.pos = shoff + i * shentsize;
		put32(&w, secs[i].name);
		put32(&w, secs[i].type);
		put_word(&w, 0);			/* sh_flags */
		put_word(&w, 0);			/* sh_addr */
		put_word(&w, secs[i].off);
		put_word(&w, secs[i].size);
		put32(&w, 0);			/* sh_link */
		put32(&w, 0);			/* sh_info */
		put_word(&w, secs[i].align);
		put_word(&w, 0);			/* sh_entsize */
	}

	*out = w.p;
	*out_size = total;
	return 0;
}
