/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Shared by the libFuzzer targets: bytes into an anonymous file, and the
 * convert -> dedup -> validate pipeline with the rule that our own output
 * must always be valid BTF.
 */
#ifndef D2B_FUZZ_COMMON_H
#define D2B_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

/*
 * Writes @size bytes to a new memfd; returns the descriptor and its path
 * ("/proc/self/fd/N") in @path, or -1.
 */
int fuzz_memfd(const void *data, size_t size, char *path, size_t pathlen);

/*
 * input__open, convert__dwarf (one job), dedup__run, encode__btf, d2b_btf__validate, the
 * raw, ELF and C header writers on the file at @path, as `dwarf2btf -j1 PATH`
 * (-o OUT, --format elf, --header) does: any error is fine; a crash, a leak
 * or a hang is not.
 */
void fuzz_convert_file(const char *path);

#endif
