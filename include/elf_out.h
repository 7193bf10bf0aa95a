/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A minimal ELF file that carries raw BTF in a .BTF section, for loaders
 * that only read ELF at their fallback paths (libbpf up to 1.0 looks at
 * /boot/vmlinux-$(uname -r) and friends).
 */
#ifndef D2B_ELF_OUT_H
#define D2B_ELF_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Builds in memory an ELF relocatable file (ET_REL) of the given class
 * (@is64: ELFCLASS64, else ELFCLASS32), byte order and e_machine, with the
 * sections: null, .BTF (@raw, copied as is: it must already be in the
 * target byte order), .note.gnu.build-id (only when @build_id_len > 0) and
 * .shstrtab. On success *out (malloc'd, caller frees) and *out_size are
 * set and 0 is returned; on failure -errno with a message in @err.
 */
int elf_out__image(const void *raw, size_t raw_size, bool big_endian, bool is64,
		   uint16_t machine, const unsigned char *build_id, size_t build_id_len,
		   void **out, size_t *out_size, char *err, size_t errlen);

#endif
