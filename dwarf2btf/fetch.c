// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * debuginfod client: the kernel's build-id from its notes, and the debug
 * vmlinux of a build-id through libdebuginfod, which does the HTTP, the
 * cache, the timeouts and the choice among several servers.
 */
#include <elfutils/debuginfod.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fetch.h"
#include "util.h"

/* The notes file is a few hundred bytes; this is far more. */
#define NOTES_MAX	65536
#define NT_GNU_BUILD_ID_TYPE	3

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int fetch__parse_build_id(const char *hex, unsigned char *id, size_t *len)
{
	size_t n = strlen(hex), i;

	if (n < 2 || n % 2 || n / 2 > FETCH_MAX_BUILD_ID)
		return -EINVAL;
	for (i = 0; i < n / 2; i++) {
		int hi = hex_digit(hex[2 * i]), lo = hex_digit(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		id[i] = (unsigned char)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

void fetch__format_build_id(const unsigned char *id, size_t len, char *buf, size_t buflen)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < len && 2 * i + 2 < buflen; i++)
		snprintf(buf + 2 * i, 3, "%02x", id[i]);
}

static uint32_t note_word(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * /sys/kernel/notes is the kernel's .notes section as it is in memory:
 * ELF notes in the machine's byte order, name and description each padded
 * to 4 bytes.
 */
int fetch__kernel_build_id(const char *path, unsigned char *id, size_t *len, char *err,
			   size_t errlen)
{
	unsigned char *buf;
	size_t size = 0, off = 0;
	ssize_t n;
	int fd, ret = -ENOENT;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s (the running kernel's build-id is there)", path,
			 strerror(-ret));
		return ret;
	}
	buf = malloc(NOTES_MAX);
	if (!buf) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	/* a sysfs binary file: read until it ends */
	while (size < NOTES_MAX && (n = read(fd, buf + size, NOTES_MAX - size)) > 0)
		size += (size_t)n;
	close(fd);
	while (off + 12 <= size) {
		uint32_t namesz = note_word(buf + off), descsz = note_word(buf + off + 4);
		uint32_t type = note_word(buf + off + 8);
		size_t name_off = off + 12, desc_off, next;

		if (namesz > size || descsz > size)
			break;
		desc_off = name_off + ((namesz + 3) & ~3U);
		next = desc_off + ((descsz + 3) & ~3U);
		if (next > size)
			break;
		if (type == NT_GNU_BUILD_ID_TYPE && namesz == 4 &&
		    !memcmp(buf + name_off, "GNU", 4) && descsz && descsz <= FETCH_MAX_BUILD_ID) {
			memcpy(id, buf + desc_off, descsz);
			*len = descsz;
			ret = 0;
			break;
		}
		off = next;
	}
	free(buf);
	if (ret)
		snprintf(err, errlen, "%s: no GNU build-id note", path);
	return ret;
}

struct fetch_progress {
	void (*fn)(void *ctx, uint64_t done, uint64_t total);
	void *ctx;
};

static int on_progress(debuginfod_client *c, long a, long b)
{
	struct fetch_progress *p = debuginfod_get_user_data(c);

	if (p->fn)
		p->fn(p->ctx, a > 0 ? (uint64_t)a : 0, b > 0 ? (uint64_t)b : 0);
	return 0;	/* go on */
}

int fetch__debuginfo(const unsigned char *id, size_t len,
		     void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
		     char **path, char *err, size_t errlen)
{
	struct fetch_progress p = { .fn = progress, .ctx = ctx };
	const char *urls = getenv("DEBUGINFOD_URLS");
	char hex[2 * FETCH_MAX_BUILD_ID + 1];
	debuginfod_client *c;
	int fd;

	*path = NULL;
	fetch__format_build_id(id, len, hex, sizeof(hex));
	if (!urls || !*urls) {
		snprintf(err, errlen, "build-id %s: no debuginfod server to ask (DEBUGINFOD_URLS is not set)",
			 hex);
		return -ENOSYS;
	}
	c = debuginfod_begin();
	if (!c) {
		snprintf(err, errlen, "build-id %s: cannot start the debuginfod client", hex);
		return -ENOMEM;
	}
	debuginfod_set_user_data(c, &p);
	debuginfod_set_progressfn(c, on_progress);
	fd = debuginfod_find_debuginfo(c, id, (int)len, path);
	debuginfod_end(c);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	free(*path);
	*path = NULL;
	if (fd == -ENOENT)
		snprintf(err, errlen, "build-id %s: not found on the debuginfod servers (%s)", hex,
			 urls);
	else
		snprintf(err, errlen, "build-id %s: debuginfod: %s (servers: %s)", hex,
			 strerror(-fd), urls);
	return fd;
}
