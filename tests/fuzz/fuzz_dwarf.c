// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * libFuzzer target: raw DWARF sections, wrapped into a well-formed ELF
 * executable, through the converter. Mutations then hit the DWARF (DIE
 * trees, abbreviations, forms, references) rather than the ELF structure,
 * which the "elf" target covers.
 *
 * Input: one flags byte, then parts separated by the 8 bytes "DWARFSEC":
 *	.debug_abbrev, .debug_info, .debug_str, .debug_line_str,
 *	.debug_str_offsets, .debug_addr, symbols
 * Symbols are NUL-separated names: a name becomes an STT_FUNC symbol in
 * .text, or, written "%name", an 8-byte STT_OBJECT in .data..percpu at
 * offset 8 * its position. Flags: bit 0 big-endian ELF, bit 1 ELFCLASS32,
 * bit 2 EM_AARCH64 rather than EM_X86_64.
 * tests/fuzz/seeds.sh makes such inputs from the test fixtures.
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"

#define SEP "DWARFSEC"
#define SEP_LEN 8
#define NR_PARTS 7
#define MAX_SYMS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct part {
	const uint8_t *p;
	size_t len;
};

static const char *const part_names[NR_PARTS - 1] = {
	".debug_abbrev", ".debug_info", ".debug_str", ".debug_line_str",
	".debug_str_offsets", ".debug_addr",
};

/* Section header string table, built as sections are added. */
struct names {
	char buf[512];
	size_t len;
};

static size_t add_name(struct names *n, const char *s)
{
	size_t off = n->len, l = strlen(s) + 1;

	memcpy(n->buf + n->len, s, l);
	n->len += l;
	return off;
}

static Elf_Scn *new_section(Elf *e, struct names *n, const char *name, uint32_t type,
			    uint64_t flags, const void *buf, size_t len, Elf_Type dtype,
			    size_t align)
{
	Elf_Scn *scn = elf_newscn(e);
	Elf_Data *d;
	GElf_Shdr sh;

	if (!scn || !gelf_getshdr(scn, &sh))
		return NULL;
	d = elf_newdata(scn);
	if (!d)
		return NULL;
	d->d_buf = (void *)buf;
	d->d_size = len;
	d->d_type = dtype;
	d->d_align = align;
	sh.sh_name = (GElf_Word)add_name(n, name);
	sh.sh_type = type;
	sh.sh_flags = flags;
	sh.sh_addralign = align;
	if (!gelf_update_shdr(scn, &sh))
		return NULL;
	return scn;
}

static int write_elf(int fd, unsigned int flags, const struct part *parts)
{
	static const uint8_t text[16], percpu[8 * MAX_SYMS];
	bool is64 = !(flags & 2);
	struct names n = { .len = 1 };
	char *strtab = NULL;
	size_t strlen_ = 1, nsyms = 1, i, symsz;
	void *syms = NULL;
	Elf_Scn *text_scn, *percpu_scn, *symscn, *strscn, *shstr;
	const uint8_t *s, *end;
	GElf_Ehdr eh;
	GElf_Shdr sh;
	Elf *e;
	int ret = -1;

	e = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!e || !gelf_newehdr(e, is64 ? ELFCLASS64 : ELFCLASS32) || !gelf_getehdr(e, &eh))
		goto out;
	eh.e_ident[EI_DATA] = flags & 1 ? ELFDATA2MSB : ELFDATA2LSB;
	eh.e_type = ET_EXEC;
	eh.e_machine = flags & 4 ? EM_AARCH64 : EM_X86_64;
	eh.e_version = EV_CURRENT;
	if (!gelf_update_ehdr(e, &eh))
		goto out;

	text_scn = new_section(e, &n, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, text,
			       sizeof(text), ELF_T_BYTE, 16);
	percpu_scn = new_section(e, &n, ".data..percpu", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
				 percpu, sizeof(percpu), ELF_T_BYTE, 8);
	if (!text_scn || !percpu_scn)
		goto out;
	for (i = 0; i < NR_PARTS - 1; i++)
		if (!new_section(e, &n, part_names[i], SHT_PROGBITS, 0, parts[i].p, parts[i].len,
				 ELF_T_BYTE, 1))
			goto out;

	/* symbols */
	symsz = is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
	syms = calloc(MAX_SYMS + 1, symsz);
	strtab = calloc(1, parts[NR_PARTS - 1].len + 2);
	if (!syms || !strtab)
		goto out;
	s = parts[NR_PARTS - 1].p;
	end = s + parts[NR_PARTS - 1].len;
	while (s < end && nsyms <= MAX_SYMS) {
		const uint8_t *z = memchr(s, 0, (size_t)(end - s));
		size_t l = z ? (size_t)(z - s) : (size_t)(end - s);
		bool obj = l > 1 && s[0] == '%';
		GElf_Sym sym = { 0 };

		if (obj) {
			s++;
			l--;
		}
		if (l) {
			memcpy(strtab + strlen_, s, l);
			sym.st_name = (GElf_Word)strlen_;
			strlen_ += l + 1;
			sym.st_info = GELF_ST_INFO(STB_GLOBAL, obj ? STT_OBJECT : STT_FUNC);
			sym.st_shndx = (GElf_Half)elf_ndxscn(obj ? percpu_scn : text_scn);
			sym.st_value = obj ? 8 * (nsyms - 1) : 0;
			sym.st_size = 8;
			if (is64) {
				Elf64_Sym *p = (Elf64_Sym *)syms + nsyms;

				p->st_name = sym.st_name;
				p->st_info = sym.st_info;
				p->st_shndx = sym.st_shndx;
				p->st_value = sym.st_value;
				p->st_size = sym.st_size;
			} else {
				Elf32_Sym *p = (Elf32_Sym *)syms + nsyms;

				p->st_name = sym.st_name;
				p->st_info = sym.st_info;
				p->st_shndx = sym.st_shndx;
				p->st_value = (Elf32_Addr)sym.st_value;
				p->st_size = (Elf32_Word)sym.st_size;
			}
			nsyms++;
		}
		s += l + 1;
	}
	strscn = new_section(e, &n, ".strtab", SHT_STRTAB, 0, strtab, strlen_, ELF_T_BYTE, 1);
	symscn = new_section(e, &n, ".symtab", SHT_SYMTAB, 0, syms, nsyms * symsz, ELF_T_SYM, 8);
	if (!strscn || !symscn || !gelf_getshdr(symscn, &sh))
		goto out;
	sh.sh_link = (GElf_Word)elf_ndxscn(strscn);
	sh.sh_info = 1;
	sh.sh_entsize = symsz;
	if (!gelf_update_shdr(symscn, &sh))
		goto out;

	add_name(&n, ".shstrtab");
	shstr = new_section(e, &n, ".shstrtab", SHT_STRTAB, 0, n.buf, 0, ELF_T_BYTE, 1);
	if (!shstr)
		goto out;
	/* the name table is complete only now */
	elf_getdata(shstr, NULL)->d_size = n.len;
	eh.e_shstrndx = (GElf_Half)elf_ndxscn(shstr);
	if (!gelf_update_ehdr(e, &eh) || elf_update(e, ELF_C_WRITE) < 0)
		goto out;
	ret = 0;
out:
	elf_end(e);
	free(syms);
	free(strtab);
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t none[1];
	struct part parts[NR_PARTS];
	const uint8_t *p, *end;
	unsigned int flags;
	char path[64];
	size_t i;
	int fd;

	if (size < 1)
		return 0;
	for (i = 0; i < NR_PARTS; i++)
		parts[i] = (struct part){ none, 0 };
	flags = data[0];
	p = data + 1;
	end = data + size;
	for (i = 0; i < NR_PARTS && p <= end; i++) {
		const uint8_t *q = memmem(p, (size_t)(end - p), SEP, SEP_LEN);

		parts[i].p = p;
		parts[i].len = q ? (size_t)(q - p) : (size_t)(end - p);
		if (!q)
			break;
		p = q + SEP_LEN;
	}
	if (elf_version(EV_CURRENT) == EV_NONE)
		return 0;
	fd = memfd_create("fuzz-dwarf", MFD_CLOEXEC);
	if (fd < 0)
		return 0;
	if (write_elf(fd, flags, parts) == 0) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		fuzz_convert_file(path);
	}
	close(fd);
	return 0;
}
