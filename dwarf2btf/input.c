// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Input stage: open the ELF file, check that it carries DWARF, and collect
 * from its symbol table the function names with code (only those become
 * BTF FUNCs, as in the kernel build) and the per-CPU variables.
 */
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "input.h"
#include "package.h"
#include "util.h"

#define PERCPU_SECTION ".data..percpu"

struct func_name {
	const char *name;	/* NULL: empty slot */
	uint64_t hash;
};

struct input {
	const char *path;	/* as the user named it, for messages */
	char *open_path;	/* what workers open: the file, or a gunzipped copy */
	int memfd;		/* the gunzipped or unpacked copy, or -1 */
	char member[512];	/* the vmlinux's path in a package, or "" */
	int fd;
	Elf *elf;
	bool is_rel;
	bool big_endian;
	uint8_t ptr_size;
	uint16_t machine;

	/* STT_FUNC names: open addressing, NULL name = empty, mask + 1 slots */
	struct func_name *func_set;
	size_t func_mask;

	unsigned char build_id[64];
	size_t build_id_len;
	uint32_t kernel_version;	/* from linux_banner, KERNEL_VERSION() style */

	bool has_percpu;
	uint64_t percpu_addr;
	uint64_t percpu_size;
	struct percpu_sym *percpu_syms;	/* sorted by offset */
	size_t nr_percpu_syms;
};

static int fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return ret;
}

/*
 * Slot of @name (whose hash_bytes() is @hash) in the function name set,
 * or the empty slot for it. The hashes in the slots spare most compares
 * with names in the symbol table, which are cold: the walk asks for the
 * name of every function with a body in every CU, inline ones of headers
 * included.
 */
static size_t func_slot(const struct input *in, const char *name, uint64_t hash)
{
	size_t i = hash & in->func_mask;

	while (in->func_set[i].name &&
	       (in->func_set[i].hash != hash || strcmp(in->func_set[i].name, name)))
		i = (i + 1) & in->func_mask;
	return i;
}

/* The set of @nr names (duplicates allowed); frees @names. */
static int func_set_build(struct input *in, const char **names, size_t nr)
{
	size_t slots = 1024, i;

	while (slots < nr * 2)
		slots *= 2;
	in->func_set = zalloc(slots, sizeof(*in->func_set));
	if (!in->func_set) {
		free(names);
		return -ENOMEM;
	}
	in->func_mask = slots - 1;
	for (i = 0; i < nr; i++) {
		uint64_t hash = hash_bytes(names[i], strlen(names[i]), 0);

		in->func_set[func_slot(in, names[i], hash)] =
			(struct func_name){ .name = names[i], .hash = hash };
	}
	free(names);
	return 0;
}

static int cmp_percpu(const void *a, const void *b)
{
	const struct percpu_sym *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The first section called @name or @zname (if not NULL), its header in *@sh; or NULL. */
static Elf_Scn *find_section(Elf *elf, size_t shstrndx, const char *name, const char *zname,
			     GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		const char *n;

		if (!gelf_getshdr(scn, sh))
			continue;
		n = elf_strptr(elf, shstrndx, sh->sh_name);
		if (n && (!strcmp(n, name) || (zname && !strcmp(n, zname))))
			return scn;
	}
	return NULL;
}

static bool has_section(Elf *elf, size_t shstrndx, const char *name, const char *zname)
{
	GElf_Shdr sh;

	return find_section(elf, shstrndx, name, zname, &sh) && sh.sh_type != SHT_NOBITS;
}

static bool has_symtab(Elf *elf)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB)
			return true;
	return false;
}

/*
 * A file cut short (an interrupted download or copy) has section headers
 * or sections beyond its end, which libelf quietly leaves out: say so,
 * rather than "no DWARF found" or worse.
 */
static int check_truncated(struct input *in, const GElf_Ehdr *eh, size_t shstrndx,
			   char *err, size_t errlen)
{
	Elf_Scn *scn = NULL;
	uint64_t size, end;
	struct stat st;
	size_t shnum;

	if (fstat(in->fd, &st) || !S_ISREG(st.st_mode))
		return 0;
	size = (uint64_t)st.st_size;
	/* e_shnum 0 with headers: the count is in section 0, when readable */
	shnum = eh->e_shnum;
	if (!shnum && elf_getshdrnum(in->elf, &shnum))
		shnum = 1;
	end = eh->e_shoff + (uint64_t)shnum * eh->e_shentsize;
	if (eh->e_shoff && (eh->e_shoff > size || end > size))
		return fail(err, errlen, -EINVAL,
			    "%s: truncated or corrupt: %llu bytes, but the section headers end at byte %llu",
			    in->path, (unsigned long long)size, (unsigned long long)end);
	while ((scn = elf_nextscn(in->elf, scn))) {
		const char *name;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
			continue;
		if (sh.sh_offset <= size && sh.sh_size <= size - sh.sh_offset)
			continue;
		name = elf_strptr(in->elf, shstrndx, sh.sh_name);
		return fail(err, errlen, -EINVAL,
			    "%s: truncated or corrupt: %llu bytes, but section %s ends at byte %llu",
			    in->path, (unsigned long long)size, name ? name : "?",
			    (unsigned long long)(sh.sh_offset + sh.sh_size));
	}
	return 0;
}

/*
 * The release of a kernel image, from its banner "Linux version 6.1.0-13-amd64
 * (...)" in .rodata, for a message naming its debug package.
 */
static bool kernel_release(Elf *elf, size_t shstrndx, char *rel, size_t len)
{
	static const char banner[] = "Linux version ";
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		const char *n, *p, *end;
		Elf_Data *data;
		GElf_Shdr sh;
		size_t i;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS)
			continue;
		n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!n || strcmp(n, ".rodata"))
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf)
			return false;
		p = memmem(data->d_buf, data->d_size, banner, sizeof(banner) - 1);
		if (!p)
			return false;
		p += sizeof(banner) - 1;
		end = (const char *)data->d_buf + data->d_size;
		for (i = 0; i + 1 < len && p + i < end; i++) {
			char c = p[i];

			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			      (c >= 'A' && c <= 'Z') || c == '.' || c == '-' || c == '_' ||
			      c == '+' || c == '~'))
				break;
			rel[i] = c;
		}
		rel[i] = '\0';
		return i > 0;
	}
	return false;
}

/* Why a file that libelf does not take is not an ELF file. */
static const char *not_elf_why(int fd)
{
	unsigned char magic[4];
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0)
		return "empty file, not an ELF file";
	if (pread(fd, magic, sizeof(magic), 0) == (ssize_t)sizeof(magic) &&
	    !memcmp(magic, ELFMAG, SELFMAG))
		return "truncated or corrupt ELF header";
	return "not an ELF file";
}

/* No .debug_info: say where the DWARF would be. */
static int no_dwarf(struct input *in, size_t shstrndx, char *err, size_t errlen)
{
	const char *btf = has_section(in->elf, shstrndx, ".BTF", NULL) ?
			  "; it has a .BTF section, which is BTF already" : "";
	char rel[128];

	if (kernel_release(in->elf, shstrndx, rel, sizeof(rel)))
		return fail(err, errlen, -ENODATA,
			    "%s: no DWARF found: Linux %s without debug info; the vmlinux with DWARF is in its debug package (Debian: linux-image-%s-dbg, Ubuntu: linux-image-unsigned-%s-dbgsym, Fedora/RHEL: kernel-debuginfo-%s)%s",
			    in->path, rel, rel, rel, rel, btf);
	return fail(err, errlen, -ENODATA,
		    "%s: no DWARF found (install the -dbg or -debuginfo package)%s", in->path, btf);
}

/* The GNU build-id note, from whichever SHT_NOTE section holds it. */
static void read_build_id(struct input *in)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(in->elf, scn))) {
		size_t off = 0, name_off, desc_off;
		Elf_Data *data;
		GElf_Shdr sh;
		GElf_Nhdr nh;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data)
			continue;
		while ((off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
			if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
			    memcmp((char *)data->d_buf + name_off, "GNU", 4) ||
			    !nh.n_descsz || nh.n_descsz > sizeof(in->build_id))
				continue;
			memcpy(in->build_id, (char *)data->d_buf + desc_off, nh.n_descsz);
			in->build_id_len = nh.n_descsz;
			return;
		}
	}
}

/*
 * "Linux version 6.1.0-56-cloud-amd64 (...)": the kernel the input was built
 * from, which decides what BTF its consumers accept.
 */
static void read_banner(struct input *in, const GElf_Sym *sym)
{
	unsigned int major, minor, patch = 0;
	char text[64] = "";
	Elf_Scn *scn = elf_getscn(in->elf, sym->st_shndx);
	Elf_Data *data;
	GElf_Shdr sh;
	uint64_t off;

	if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS)
		return;
	data = elf_getdata(scn, NULL);
	off = sym->st_value - sh.sh_addr;
	if (!data || sym->st_value < sh.sh_addr || off >= data->d_size)
		return;
	memcpy(text, (char *)data->d_buf + off,
	       data->d_size - off < sizeof(text) - 1 ? data->d_size - off : sizeof(text) - 1);
	if (sscanf(text, "Linux version %u.%u.%u", &major, &minor, &patch) >= 2 &&
	    major < 256 && minor < 256)
		in->kernel_version = major << 16 | minor << 8 | (patch < 256 ? patch : 255);
}

static int collect_symbols(struct input *in, char *err, size_t errlen)
{
	size_t shstrndx, nr_funcs = 0, nfuncs_cap = 0, npercpu_cap = 0, percpu_ndx = 0, i;
	const char **funcs = NULL;
	Elf_Scn *scn = NULL, *symscn = NULL;
	GElf_Shdr symsh;
	Elf_Data *data;
	int ret;

	if (elf_getshdrstrndx(in->elf, &shstrndx))
		return fail(err, errlen, -EINVAL, "%s: bad section header string table", in->path);
	while ((scn = elf_nextscn(in->elf, scn))) {
		GElf_Shdr sh;
		const char *n;

		if (!gelf_getshdr(scn, &sh))
			continue;
		if (sh.sh_type == SHT_SYMTAB) {
			symscn = scn;
			symsh = sh;
		}
		n = elf_strptr(in->elf, shstrndx, sh.sh_name);
		if (n && !strcmp(n, PERCPU_SECTION)) {
			in->has_percpu = true;
			in->percpu_addr = sh.sh_addr;
			in->percpu_size = sh.sh_size;
			percpu_ndx = elf_ndxscn(scn);
		}
	}
	if (!symscn)
		return 0;	/* no FUNCs or VARs then; types still convert */
	data = elf_getdata(symscn, NULL);
	if (!data || !symsh.sh_entsize)
		return fail(err, errlen, -EINVAL, "%s: unreadable symbol table", in->path);

	for (i = 0; i < symsh.sh_size / symsh.sh_entsize; i++) {
		GElf_Sym sym;
		const char *name;

		if (!gelf_getsym(data, (int)i, &sym))
			break;
		name = elf_strptr(in->elf, symsh.sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		if (GELF_ST_TYPE(sym.st_info) == STT_OBJECT && !strcmp(name, "linux_banner"))
			read_banner(in, &sym);
		if (GELF_ST_TYPE(sym.st_info) == STT_FUNC) {
			ret = grow_buf((void **)&funcs, &nfuncs_cap, sizeof(*funcs), nr_funcs + 1);
			if (ret)
				goto nomem;
			funcs[nr_funcs++] = name;
		} else if (GELF_ST_TYPE(sym.st_info) == STT_OBJECT && percpu_ndx &&
			   sym.st_shndx == percpu_ndx && sym.st_size) {
			struct percpu_sym *p;
			uint64_t off = sym.st_value;

			/* executables hold addresses, relocatable objects offsets */
			if (in->percpu_addr && off >= in->percpu_addr)
				off -= in->percpu_addr;
			ret = grow_buf((void **)&in->percpu_syms, &npercpu_cap,
				       sizeof(*in->percpu_syms), in->nr_percpu_syms + 1);
			if (ret)
				goto nomem;
			p = &in->percpu_syms[in->nr_percpu_syms++];
			p->off = off;
			p->size = sym.st_size;
			p->name = name;
		}
	}
	if (nr_funcs && func_set_build(in, funcs, nr_funcs))
		return fail(err, errlen, -ENOMEM, "%s: out of memory", in->path);
	if (in->nr_percpu_syms)
		qsort(in->percpu_syms, in->nr_percpu_syms, sizeof(*in->percpu_syms), cmp_percpu);
	return 0;
nomem:
	free(funcs);
	return fail(err, errlen, -ENOMEM, "%s: out of memory", in->path);
}

/*
 * Most an inflated file may grow to: GUNZIP_MAX_RATIO times the compressed
 * size (at least GUNZIP_MIN_LIMIT), and never beyond GUNZIP_MAX_SIZE. A
 * debug vmlinux compresses about 5:1; a few MiB of gzip could otherwise
 * inflate to more memory than the machine has (a "gzip bomb").
 */
#define GUNZIP_MAX_RATIO	64
#define GUNZIP_MIN_LIMIT	(64ULL << 20)
#define GUNZIP_MAX_SIZE		(8ULL << 30)

/*
 * Reads the input from in->memfd, an anonymous memory file, which every
 * worker can open again by its /proc/self/fd path.
 */
static int use_memfd(struct input *in, char *err, size_t errlen)
{
	if (asprintf(&in->open_path, "/proc/self/fd/%d", in->memfd) < 0) {
		in->open_path = NULL;
		return fail(err, errlen, -ENOMEM, "out of memory");
	}
	if (in->fd >= 0)
		close(in->fd);
	in->fd = open(in->open_path, O_RDONLY | O_CLOEXEC);
	if (in->fd < 0)
		return fail(err, errlen, -errno, "%s: %s", in->path, strerror(errno));
	return 0;
}

/* Does the file start like a package or a compressed stream? */
static bool is_package(int fd)
{
	unsigned char head[512];
	ssize_t n = pread(fd, head, sizeof(head), 0);

	return n > 0 && package__detect(head, (size_t)n);
}

/* The debug vmlinux in the package @path, unpacked into memory. */
static int unpack(struct input *in, const char *path, const struct package_opts *popts,
		  char *err, size_t errlen)
{
	in->memfd = package__extract(path, in->path, popts, in->member, sizeof(in->member),
				     err, errlen);
	if (in->memfd < 0) {
		int ret = in->memfd;

		in->memfd = -1;
		return ret;
	}
	return use_memfd(in, err, errlen);
}

/*
 * SUSE ships vmlinux-*.gz: inflate it into an anonymous memory file.
 */
static int maybe_gunzip(struct input *in, char *err, size_t errlen)
{
	uint64_t total = 0, limit = GUNZIP_MIN_LIMIT;
	unsigned char magic[2];
	char buf[1 << 16];
	gzFile gz = NULL;
	const char *msg;
	struct stat st;
	int dupfd, ret = 0, n, zerr;

	if (pread(in->fd, magic, 2, 0) != 2 || magic[0] != 0x1f || magic[1] != 0x8b) {
		in->open_path = strdup(in->path);
		return in->open_path ? 0 : fail(err, errlen, -ENOMEM, "out of memory");
	}
	in->memfd = memfd_create("dwarf2btf-gunzip", MFD_CLOEXEC);
	if (in->memfd < 0)
		return fail(err, errlen, -errno, "%s: cannot inflate: %s", in->path, strerror(errno));
	/* gzclose closes the descriptor it is given */
	dupfd = dup(in->fd);
	if (dupfd < 0 || !(gz = gzdopen(dupfd, "rb"))) {
		if (dupfd >= 0)
			close(dupfd);
		return fail(err, errlen, -ENOMEM, "%s: cannot inflate", in->path);
	}
	if (fstat(in->fd, &st) == 0 && (uint64_t)st.st_size > limit / GUNZIP_MAX_RATIO)
		limit = (uint64_t)st.st_size * GUNZIP_MAX_RATIO;
	if (limit > GUNZIP_MAX_SIZE)
		limit = GUNZIP_MAX_SIZE;
	gzbuffer(gz, sizeof(buf));
	while ((n = gzread(gz, buf, sizeof(buf))) > 0) {
		total += (uint64_t)n;
		if (total > limit) {
			ret = fail(err, errlen, -EFBIG,
				   "%s: gzip data inflates to more than %llu bytes, more than any vmlinux",
				   in->path, (unsigned long long)limit);
			goto out;
		}
		if (write(in->memfd, buf, (size_t)n) != n) {
			ret = fail(err, errlen, -errno, "%s: cannot inflate: %s", in->path,
				   strerror(errno));
			goto out;
		}
	}
	msg = gzerror(gz, &zerr);
	/* zlib names the stream "<fd:N>: "; the file is named already */
	if (msg[0] == '<' && strstr(msg, ": "))
		msg = strstr(msg, ": ") + 2;
	if (n < 0 || zerr != Z_OK) {
		ret = fail(err, errlen, -EINVAL, "%s: corrupt or truncated gzip data (%s)",
			   in->path, msg);
		goto out;
	}
	ret = use_memfd(in, err, errlen);
out:
	gzclose(gz);
	return ret;
}

/*
 * libdwfl lays a relocatable file's sections out at addresses of its own
 * and relocates DW_OP_addr to them: per-CPU variables' DWARF addresses are
 * then relative to where it put .data..percpu, the same in every handle.
 */
static void rel_percpu_addr(struct input *in, struct dwarf_handle *h)
{
	Elf_Scn *scn = NULL;
	Dwarf_Addr bias;
	size_t shstrndx;
	Elf *elf;

	if (!in->has_percpu || !h->mod || !(elf = dwfl_module_getelf(h->mod, &bias)) ||
	    elf_getshdrstrndx(elf, &shstrndx))
		return;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && !strcmp(name, PERCPU_SECTION)) {
			in->percpu_addr = sh.sh_addr + bias;
			return;
		}
	}
}

int input__open(const char *path, const struct package_opts *popts, struct input **out,
		char *err, size_t errlen)
{
	struct dwarf_handle h;
	struct input *in;
	size_t shstrndx = 0;
	bool shstrndx_ok;
	GElf_Ehdr eh;
	int ret;

	*out = NULL;
	elf_version(EV_CURRENT);
	in = calloc(1, sizeof(*in));
	if (!in)
		return fail(err, errlen, -ENOMEM, "out of memory");
	in->path = strcmp(path, "-") ? path : "<stdin>";
	in->memfd = -1;
	in->fd = -1;
	if (strcmp(path, "-")) {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0) {
			ret = fail(err, errlen, -errno, "%s: %s", path, strerror(errno));
			goto out_err;
		}
	}
	if (in->fd < 0 || is_package(in->fd))
		ret = unpack(in, path, popts, err, errlen);
	else
		ret = maybe_gunzip(in, err, errlen);
	if (ret)
		goto out_err;
	in->elf = elf_begin(in->fd, ELF_C_READ_MMAP, NULL);
	if (!in->elf || elf_kind(in->elf) != ELF_K_ELF || !gelf_getehdr(in->elf, &eh)) {
		ret = fail(err, errlen, -EINVAL, "%s: %s", in->path, not_elf_why(in->fd));
		goto out_err;
	}
	in->big_endian = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	in->ptr_size = eh.e_ident[EI_CLASS] == ELFCLASS64 ? 8 : 4;
	in->machine = eh.e_machine;
	shstrndx_ok = !elf_getshdrstrndx(in->elf, &shstrndx);
	ret = check_truncated(in, &eh, shstrndx_ok ? shstrndx : 0, err, errlen);
	if (ret)
		goto out_err;
	if (!shstrndx_ok) {
		ret = fail(err, errlen, -EINVAL, "%s: truncated or corrupt ELF section headers", in->path);
		goto out_err;
	}
	if (!has_section(in->elf, shstrndx, ".debug_info", ".zdebug_info")) {
		ret = no_dwarf(in, shstrndx, err, errlen);
		goto out_err;
	}
	/* without a symbol table there are no relocations for libdwfl to apply */
	in->is_rel = eh.e_type == ET_REL && has_symtab(in->elf);
	ret = input__dwarf_open(in, &h);
	if (ret == -ENOENT) {
		ret = fail(err, errlen, ret,
			   "%s: dwz alternate debug file not found (see .gnu_debugaltlink)", in->path);
		goto out_err;
	}
	if (ret) {
		ret = fail(err, errlen, ret, "%s: cannot read DWARF: %s", path,
			   in->is_rel ? dwfl_errmsg(-1) : dwarf_errmsg(-1));
		goto out_err;
	}
	ret = collect_symbols(in, err, errlen);
	if (!ret && in->is_rel)
		rel_percpu_addr(in, &h);
	input__dwarf_close(&h);
	if (ret)
		goto out_err;
	read_build_id(in);
	*out = in;
	return 0;

out_err:
	input__close(in);
	return ret;
}

void input__close(struct input *in)
{
	if (!in)
		return;
	if (in->elf)
		elf_end(in->elf);
	if (in->fd >= 0)
		close(in->fd);
	if (in->memfd >= 0)
		close(in->memfd);
	free(in->open_path);
	free(in->func_set);
	free(in->percpu_syms);
	free(in);
}

const char *input__path(const struct input *in)
{
	return in->path;
}

bool input__big_endian(const struct input *in)
{
	return in->big_endian;
}

int input__file_section(const struct input *in, const char *name, uint64_t *off,
			uint64_t *size)
{
	size_t shstrndx;
	GElf_Shdr sh;

	if (elf_getshdrstrndx(in->elf, &shstrndx) ||
	    !find_section(in->elf, shstrndx, name, NULL, &sh))
		return -ENOENT;
	if (in->is_rel || sh.sh_type == SHT_NOBITS || (sh.sh_flags & SHF_COMPRESSED))
		return -ENOTSUP;
	*off = sh.sh_offset;
	*size = sh.sh_size;
	return 0;
}

bool input__elf_section(Elf *elf, const char *name, GElf_Shdr *sh, Elf_Data **data)
{
	Elf_Scn *scn;
	size_t shstrndx;

	if (!elf || elf_getshdrstrndx(elf, &shstrndx))
		return false;
	scn = find_section(elf, shstrndx, name, NULL, sh);
	if (!scn)
		return false;
	*data = sh->sh_type == SHT_NOBITS ? NULL : elf_getdata(scn, NULL);
	return true;
}

int input__pread(const struct input *in, void *buf, size_t len, uint64_t off)
{
	ssize_t r;

	if (off > (uint64_t)INT64_MAX)
		return -EINVAL;
	do
		r = pread(in->fd, buf, len, (off_t)off);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return (size_t)r == len ? 0 : -EIO;
}

uint8_t input__ptr_size(const struct input *in)
{
	return in->ptr_size;
}

uint16_t input__machine(const struct input *in)
{
	return in->machine;
}

/* Does @elf carry the GNU build-id @id? */
static bool has_build_id(Elf *elf, const void *id, size_t len)
{
	const void *have;
	ssize_t n = dwelf_elf_gnu_build_id(elf, &have);

	return n > 0 && (size_t)n == len && !memcmp(have, id, len);
}

/*
 * dwz moves what several files share into an alternate file named by
 * .gnu_debugaltlink: as written (absolute, or relative to the input's
 * directory), or by build-id under /usr/lib/debug/.build-id. libdw 0.188
 * does not find it for a Dwarf made from an Elf, so do it here.
 */
static int open_alt(const struct input *in, struct dwarf_handle *h)
{
	const char *name;
	const void *id;
	char *paths[3] = { NULL, NULL, NULL };
	ssize_t idlen;
	size_t i;
	int ret = -ENOENT;

	idlen = dwelf_dwarf_gnu_debugaltlink(h->dwarf, &name, &id);
	if (idlen <= 0)
		return 0;
	if (name[0] == '/') {
		paths[0] = strdup(name);
	} else {
		const char *slash = strrchr(in->path, '/');

		if (asprintf(&paths[0], "%.*s%s", slash ? (int)(slash - in->path + 1) : 0,
			     in->path, name) < 0)
			paths[0] = NULL;
	}
	if (idlen > 1) {
		const unsigned char *b = id;
		char hex[129];
		ssize_t k;

		for (k = 0; k < idlen && k < 64; k++)
			snprintf(hex + 2 * k, 3, "%02x", b[k]);
		if (asprintf(&paths[1], "/usr/lib/debug/.build-id/%.2s/%s.debug", hex, hex + 2) < 0)
			paths[1] = NULL;
	}
	for (i = 0; i < 2 && ret; i++) {
		if (!paths[i])
			continue;
		h->alt_fd = open(paths[i], O_RDONLY | O_CLOEXEC);
		if (h->alt_fd < 0)
			continue;
		h->alt_elf = elf_begin(h->alt_fd, ELF_C_READ_MMAP, NULL);
		if (h->alt_elf && has_build_id(h->alt_elf, id, (size_t)idlen))
			h->alt_dwarf = dwarf_begin_elf(h->alt_elf, DWARF_C_READ, NULL);
		if (h->alt_dwarf) {
			dwarf_setalt(h->dwarf, h->alt_dwarf);
			ret = 0;
			break;
		}
		if (h->alt_elf)
			elf_end(h->alt_elf);
		close(h->alt_fd);
		h->alt_elf = NULL;
		h->alt_fd = -1;
	}
	for (i = 0; i < ARRAY_SIZE(paths); i++)
		free(paths[i]);
	return ret;
}

static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

int input__dwarf_open(const struct input *in, struct dwarf_handle *h)
{
	Dwfl_Module *mod;
	Dwarf_Addr bias;
	int fd;

	memset(h, 0, sizeof(*h));
	h->fd = -1;
	h->alt_fd = -1;
	fd = open(in->open_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (in->is_rel) {
		/* relocatable objects (kernel modules): libdwfl applies the relocations */
		h->dwfl = dwfl_begin(&offline_callbacks);
		if (!h->dwfl) {
			close(fd);
			return -ENOMEM;
		}
		mod = dwfl_report_offline(h->dwfl, "", in->open_path, fd);
		dwfl_report_end(h->dwfl, NULL, NULL);
		if (mod)
			h->dwarf = dwfl_module_getdwarf(mod, &bias);
		h->mod = mod;
	} else {
		h->fd = fd;
		h->elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		if (h->elf)
			h->dwarf = dwarf_begin_elf(h->elf, DWARF_C_READ, NULL);
	}
	if (!h->dwarf) {
		input__dwarf_close(h);
		return -EINVAL;
	}
	if (!h->dwfl) {
		int err = open_alt(in, h);

		if (err) {
			input__dwarf_close(h);
			return err;
		}
	}
	return 0;
}

void input__dwarf_close(struct dwarf_handle *h)
{
	if (h->alt_dwarf)
		dwarf_end(h->alt_dwarf);
	if (h->alt_elf)
		elf_end(h->alt_elf);
	if (h->alt_fd >= 0)
		close(h->alt_fd);
	if (h->dwfl) {
		/* owns the Dwarf, the Elf and the descriptor */
		dwfl_end(h->dwfl);
	} else {
		if (h->dwarf)
			dwarf_end(h->dwarf);
		if (h->elf)
			elf_end(h->elf);
		if (h->fd >= 0)
			close(h->fd);
	}
	memset(h, 0, sizeof(*h));
	h->fd = -1;
	h->alt_fd = -1;
}

const unsigned char *input__build_id(const struct input *in, size_t *len)
{
	*len = in->build_id_len;
	return in->build_id_len ? in->build_id : NULL;
}

uint32_t input__kernel_version(const struct input *in)
{
	return in->kernel_version;
}

bool input__has_func_sym(const struct input *in, const char *name)
{
	uint64_t hash;

	if (!in->func_set)
		return false;
	hash = hash_bytes(name, strlen(name), 0);
	return in->func_set[func_slot(in, name, hash)].name != NULL;
}

bool input__percpu(const struct input *in, uint64_t *addr, uint64_t *size)
{
	*addr = in->percpu_addr;
	*size = in->percpu_size;
	return in->has_percpu;
}

const struct percpu_sym *input__percpu_sym(const struct input *in, uint64_t off)
{
	size_t lo = 0, hi = in->nr_percpu_syms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (in->percpu_syms[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < in->nr_percpu_syms && in->percpu_syms[lo].off == off ?
	       &in->percpu_syms[lo] : NULL;
}

const char *input__member(const struct input *in)
{
	return in->member[0] ? in->member : NULL;
}
