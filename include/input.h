/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The input stage: an ELF file with DWARF, and the facts from its symbol
 * table that BTF needs (which functions have code, where per-CPU
 * variables live).
 */
#ifndef D2B_INPUT_H
#define D2B_INPUT_H

#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "package.h"

struct input;

struct percpu_sym {
	uint64_t off;		/* offset inside the per-CPU section */
	uint64_t size;
	const char *name;
};

/*
 * Opens @path: an ELF file, gzip-compressed or not; or a package, an
 * archive or an xz/zstd stream holding one (package.h), as is @path "-",
 * standard input. @popts (may be NULL) picks the kernel in a package and
 * reports unpacking. On failure returns -errno with a message in @err.
 */
int input__open(const char *path, const struct package_opts *popts, struct input **out,
		char *err, size_t errlen);
void input__close(struct input *in);

const char *input__path(const struct input *in);
/* The path of the vmlinux inside the package read, NULL for a plain file. */
const char *input__member(const struct input *in);
bool input__big_endian(const struct input *in);
/*
 * Section @name of the file: 0, and where its bytes lie for input__pread(),
 * when they are what it holds; -ENOENT if there is none; -ENOTSUP if they
 * are not (compressed, SHT_NOBITS, a relocatable file's, which relocations
 * change).
 */
int input__file_section(const struct input *in, const char *name, uint64_t *off,
			uint64_t *size);
/*
 * Section @name of @elf, an ELF file as a handle's libdw reads it (its
 * sections decompressed in place once libdw has read them): its header in
 * *@sh, its bytes in *@data (NULL for none); false if there is no such section.
 */
bool input__elf_section(Elf *elf, const char *name, GElf_Shdr *sh, Elf_Data **data);
/* @len bytes of the file at @off: 0, -EIO if the file ends before, or -errno. */
int input__pread(const struct input *in, void *buf, size_t len, uint64_t off);
uint8_t input__ptr_size(const struct input *in);
uint16_t input__machine(const struct input *in);

/* A libdw handle of its own, for one worker thread. */
struct dwarf_handle {
	int fd;
	Elf *elf;
	Dwarf *dwarf;
	Dwfl *dwfl;	/* relocatable input: owns all of the above */
	Dwfl_Module *mod;
	int alt_fd;	/* dwz alternate file, when .gnu_debugaltlink names one */
	Elf *alt_elf;
	Dwarf *alt_dwarf;
};

/*
 * Opens another handle on the same file: libdw handles must not be shared
 * between threads, while separate handles share no mutable state.
 */
int input__dwarf_open(const struct input *in, struct dwarf_handle *h);
void input__dwarf_close(struct dwarf_handle *h);

/* The GNU build-id of the input, NULL when it has none. */
const unsigned char *input__build_id(const struct input *in, size_t *len);

/*
 * The Linux version the input was built from (its linux_banner), as
 * major << 16 | minor << 8 | patch; 0 when it is not a kernel.
 */
uint32_t input__kernel_version(const struct input *in);

/* Is there an STT_FUNC symbol called @name? */
bool input__has_func_sym(const struct input *in, const char *name);

/* The per-CPU section: address, size, and its symbols sorted by offset. */
bool input__percpu(const struct input *in, uint64_t *addr, uint64_t *size);
const struct percpu_sym *input__percpu_sym(const struct input *in, uint64_t off);

#endif
