// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Helpers shared by the libFuzzer targets. */
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "btf.h"
#include "btf_align.h"
#include "btf_features.h"
#include "btf_raw.h"
#include "convert.h"
#include "c_header.h"
#include "dedup.h"
#include "elf_out.h"
#include "encode.h"
#include "common.h"
#include "input.h"
#include "tgraph.h"
#include "validate.h"

#define SEP "DWARFSEC"
#define SEP_LEN 8
#define MAX_SYMS 256

int fuzz_memfd(const void *data, size_t size, char *path, size_t pathlen)
{
	const char *p = data;
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	while (size) {
		ssize_t n = write(fd, p, size);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		p += n;
		size -= (size_t)n;
	}
	snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	return fd;
}

const uint8_t *fuzz_cut(const uint8_t *data, size_t size, const char *sep, size_t sep_len,
			size_t *head)
{
	const uint8_t *q = memmem(data, size, sep, sep_len);

	*head = q ? (size_t)(q - data) : size;
	return q ? q + sep_len : NULL;
}

void fuzz_dwarf__parse(const uint8_t *data, size_t size, struct fuzz_dwarf *dw)
{
	static const uint8_t none[1];
	const uint8_t *p = data + 1, *end = data + size;
	size_t i;

	memset(dw, 0, sizeof(*dw));
	for (i = 0; i < FUZZ_NR_PARTS; i++)
		dw->part[i].p = none;
	if (size < 1)
		return;
	dw->flags = data[0];
	for (i = 0; i < FUZZ_NR_PARTS && p; i++) {
		dw->part[i].p = p;
		p = fuzz_cut(p, (size_t)(end - p), SEP, SEP_LEN, &dw->part[i].len);
	}
}

static const char *const part_names[FUZZ_NR_PARTS - 1] = {
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

/* .note.gnu.build-id: one note, "GNU", NT_GNU_BUILD_ID, the id */
struct build_id_note {
	GElf_Nhdr nh;
	char name[4];
	uint8_t id[FUZZ_BUILD_ID_LEN];
};

static int write_elf(int fd, const struct fuzz_dwarf *dw)
{
	static const uint8_t text[16], percpu[8 * MAX_SYMS];
	unsigned int flags = dw->flags;
	bool is64 = !(flags & FUZZ_FLAG_ELF32);
	const size_t last = FUZZ_NR_PARTS - 1;
	struct build_id_note note;
	struct names n = { .len = 1 };
	char *strtab = NULL, *altlink = NULL;
	size_t strlen_ = 1, nsyms = 1, i, symsz, altlen;
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
	eh.e_ident[EI_DATA] = flags & FUZZ_FLAG_BIG_ENDIAN ? ELFDATA2MSB : ELFDATA2LSB;
	eh.e_type = ET_EXEC;
	eh.e_machine = flags & FUZZ_FLAG_AARCH64 ? EM_AARCH64 : EM_X86_64;
	eh.e_version = EV_CURRENT;
	if (!gelf_update_ehdr(e, &eh))
		goto out;

	text_scn = new_section(e, &n, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, text,
			       sizeof(text), ELF_T_BYTE, 16);
	percpu_scn = new_section(e, &n, ".data..percpu", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
				 percpu, sizeof(percpu), ELF_T_BYTE, 8);
	if (!text_scn || !percpu_scn)
		goto out;
	for (i = 0; i < last; i++)
		if (!new_section(e, &n, part_names[i], SHT_PROGBITS, 0, dw->part[i].p,
				 dw->part[i].len, ELF_T_BYTE, 1))
			goto out;
	if (dw->build_id) {
		note.nh = (GElf_Nhdr){ .n_namesz = 4, .n_descsz = FUZZ_BUILD_ID_LEN,
				       .n_type = NT_GNU_BUILD_ID };
		memcpy(note.name, "GNU", 4);
		memcpy(note.id, dw->build_id, FUZZ_BUILD_ID_LEN);
		if (!new_section(e, &n, ".note.gnu.build-id", SHT_NOTE, SHF_ALLOC, &note,
				 sizeof(note), ELF_T_NHDR, 4))
			goto out;
	}
	if (dw->alt_name) {
		/* the name, NUL, the alternate file's build-id */
		altlen = strlen(dw->alt_name) + 1;
		altlink = malloc(altlen + FUZZ_BUILD_ID_LEN);
		if (!altlink)
			goto out;
		memcpy(altlink, dw->alt_name, altlen);
		memcpy(altlink + altlen, dw->alt_id, FUZZ_BUILD_ID_LEN);
		if (!new_section(e, &n, ".gnu_debugaltlink", SHT_PROGBITS, 0, altlink,
				 altlen + FUZZ_BUILD_ID_LEN, ELF_T_BYTE, 1))
			goto out;
	}

	/* symbols */
	symsz = is64 ? sizeof(Elf64_Sym) : sizeof(Elf32_Sym);
	syms = calloc(MAX_SYMS + 1, symsz);
	strtab = calloc(1, dw->part[last].len + 2);
	if (!syms || !strtab)
		goto out;
	s = dw->part[last].p;
	end = s + dw->part[last].len;
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
	free(altlink);
	return ret;
}

int fuzz_dwarf__memfd(const struct fuzz_dwarf *dw, char *path, size_t pathlen)
{
	int fd;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -1;
	fd = memfd_create("fuzz-dwarf", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (write_elf(fd, dw)) {
		close(fd);
		return -1;
	}
	snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	return fd;
}

int fuzz_convert(const char *path, unsigned int jobs, const struct d2b_btf *base, void **raw_out,
		 uint32_t *raw_size)
{
	struct convert_opts copts = { .jobs = jobs, .base = base };
	struct btf_align *align = NULL;
	struct dedup_opts dopts = { .jobs = jobs, .base = base };
	struct encode_opts eopts = { .jobs = jobs, .base = base, .align_out = &align };
	struct dedup_result res = { 0 };
	struct encode_stats estats;
	struct c_header_opts hopts = { 0 };
	uint32_t version;
	FILE *header;
	struct convert_stats cstats;
	struct dedup_stats dstats;
	struct input *in = NULL;
	struct tgraph *g = NULL;
	struct d2b_btf *btf = NULL;
	char err[1024];
	void *raw = NULL;
	uint32_t size;
	size_t id_len;
	int ret = -1;

	if (input__open(path, NULL, &in, err, sizeof(err)))
		return -1;
	if (convert__dwarf(in, &copts, &g, &cstats, err, sizeof(err)))
		goto out;
	eopts.ptr_size = input__ptr_size(in);
	/* as main.c: the BTF kinds the input's kernel takes, else all */
	version = input__kernel_version(in);
	eopts.features = version ? btf_features__for_kernel(version) : BTF_FEAT_ALL;
	encode__prepare(g, eopts.features);
	if (dedup__run(g, &dopts, &res, &dstats, err, sizeof(err)) ||
	    encode__btf(g, &res, &eopts, &btf, &estats, err, sizeof(err)))
		goto out;
	/* broken DWARF may describe what BTF cannot hold: an error, as in main.c */
	if (d2b_btf__validate(btf, err, sizeof(err)))
		goto out;
	if (d2b_btf__raw_data(btf, input__big_endian(in), &raw, &size) == 0) {
		const unsigned char *id = input__build_id(in, &id_len);
		void *image;
		size_t image_size;

		/* --format elf */
		if (elf_out__image(raw, size, input__big_endian(in), input__ptr_size(in) == 8,
				   input__machine(in), id, id_len, &image, &image_size, err,
				   sizeof(err)) == 0)
			free(image);
		if (raw_out) {
			*raw_out = raw;
			*raw_size = size;
			raw = NULL;
			ret = 0;
		}
		free(raw);
	}
	/* --header straight from DWARF, with its alignments */
	header = fopen("/dev/null", "w");
	if (header) {
		hopts.align = align;
		c_header__write(btf, &hopts, header, err, sizeof(err));
		fclose(header);
	}
out:
	dedup_result__free(&res);
	btf_align__free(align);
	d2b_btf__free(btf);
	tgraph__free(g);
	input__close(in);
	return ret;
}

void fuzz_convert_file(const char *path)
{
	fuzz_convert(path, 1, NULL, NULL, NULL);
}
