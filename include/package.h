/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Packages as input: a distribution's debug package (.deb, .ddeb, .rpm),
 * a tar or cpio archive, or a vmlinux compressed with xz or zstd, read as
 * a stream (a file or standard input) with libarchive. The debug vmlinux
 * found inside is decompressed into an anonymous memory file, never to
 * disk, which the input stage then reads as it reads any ELF file.
 */
#ifndef D2B_PACKAGE_H
#define D2B_PACKAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct package_opts {
	const char *kernel;	/* the release to take (--kernel); NULL: the only one */
	/* bytes of the vmlinux unpacked so far, of @total (0: unknown) */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *progress_ctx;
};

/*
 * Do the first @len bytes of a file, @head, start a package or a stream
 * that package__extract() reads (ar, rpm, tar, cpio, xz, zstd)?
 */
bool package__detect(const void *head, size_t len);

/*
 * Reads the package @path ("-": standard input), named @name in messages,
 * and writes its debug vmlinux (usr/lib/debug/boot/vmlinux-REL[.debug] or
 * usr/lib/debug/lib/modules/REL/vmlinux) decompressed into a new memory
 * file. A stream that is no archive (a compressed or plain file on
 * standard input) is the vmlinux itself. Returns the memory file's
 * descriptor, with the member's path in @member; or -errno with the
 * message in @err.
 */
int package__extract(const char *path, const char *name, const struct package_opts *opts,
		     char *member, size_t memberlen, char *err, size_t errlen);

#endif
