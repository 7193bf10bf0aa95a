/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A kernel's debug vmlinux from debuginfod servers, by its GNU build-id:
 * the running kernel's is in /sys/kernel/notes. The servers are those of
 * DEBUGINFOD_URLS; libdebuginfod keeps what it downloads in its cache
 * (DEBUGINFOD_CACHE_PATH) and gives up after DEBUGINFOD_TIMEOUT.
 */
#ifndef D2B_FETCH_H
#define D2B_FETCH_H

#include <stddef.h>
#include <stdint.h>

#define FETCH_MAX_BUILD_ID	64

/* HEX (2 to 128 hex digits) into @id, *@len bytes: 0, or -EINVAL. */
int fetch__parse_build_id(const char *hex, unsigned char *id, size_t *len);
/* @id as lowercase hex into @buf. */
void fetch__format_build_id(const unsigned char *id, size_t len, char *buf, size_t buflen);

/*
 * The GNU build-id in the kernel notes file @path (/sys/kernel/notes):
 * 0, or -errno with the message in @err.
 */
int fetch__kernel_build_id(const char *path, unsigned char *id, size_t *len, char *err,
			   size_t errlen);

/*
 * Asks the servers of DEBUGINFOD_URLS for the debug file of build-id @id
 * (@progress, if not NULL, hears of the bytes downloaded). 0 and its path
 * in the cache in *@path (free() it); or -errno with a message in @err
 * that names the build-id and the servers.
 */
int fetch__debuginfo(const unsigned char *id, size_t len,
		     void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
		     char **path, char *err, size_t errlen);

#endif
