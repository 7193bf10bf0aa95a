// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * libFuzzer target: gzip-compressed input (SUSE's vmlinux-*.gz), as
 * `dwarf2btf FILE.gz -o OUT` reads it. Input: a flags byte, a position
 * byte, then the file (ELF with DWARF, or anything), which is compressed
 * here so that mutations land in the file and not only in the deflate
 * stream; then, by the flags: bit 0 the stream is cut at position/256 of
 * its length, bit 1 the byte at that point is inverted, bit 2 a second
 * gzip member of the same file follows (gzip readers concatenate them).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One gzip member of @len bytes from @p appended at @out + *@used. */
static int gzip_member(const uint8_t *p, size_t len, uint8_t *out, size_t cap, size_t *used)
{
	z_stream z;
	int ret;

	memset(&z, 0, sizeof(z));
	/* 15 + 16: a gzip header and trailer; level 1: fast */
	if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	z.next_in = (Bytef *)p;
	z.avail_in = (uInt)len;
	z.next_out = out + *used;
	z.avail_out = (uInt)(cap - *used);
	ret = deflate(&z, Z_FINISH);
	*used += z.total_out;
	deflateEnd(&z);
	return ret == Z_STREAM_END ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int flags;
	size_t len, cap, used = 0, at;
	char path[64];
	uint8_t *gz;
	int fd;

	if (size < 2 || size > (1u << 24))
		return 0;
	flags = data[0];
	len = size - 2;
	cap = 2 * (compressBound((uLong)len) + 64);
	gz = malloc(cap);
	if (!gz)
		return 0;
	if (gzip_member(data + 2, len, gz, cap, &used) ||
	    (flags & 4 && gzip_member(data + 2, len, gz, cap, &used)))
		goto out;
	at = used * data[1] / 256;
	if (flags & 2)
		gz[at] ^= 0xff;
	if (flags & 1)
		used = at;
	fd = fuzz_memfd(gz, used, path, sizeof(path));
	if (fd >= 0) {
		fuzz_convert_file(path);
		close(fd);
	}
out:
	free(gz);
	return 0;
}
