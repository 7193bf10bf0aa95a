// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Unit tests for the parts of fetch.c and package.c that need no server
 * and no package: build-id text, the kernel's notes file (notes before
 * and after the build-id, padding, a note cut short) and the magic bytes
 * that route a file to the package reader.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fetch.h"
#include "package.h"

#include "check.h"

static void test_parse(void)
{
	unsigned char id[FETCH_MAX_BUILD_ID];
	char hex[2 * FETCH_MAX_BUILD_ID + 1], long_hex[2 * FETCH_MAX_BUILD_ID + 3];
	size_t len = 0;

	check(!fetch__parse_build_id("01D2640d3a", id, &len) && len == 5 && id[0] == 0x01 &&
	      id[1] == 0xd2 && id[4] == 0x3a, "fetch.parse", "len %zu", len);
	fetch__format_build_id(id, len, hex, sizeof(hex));
	check(!strcmp(hex, "01d2640d3a"), "fetch.format", "'%s'", hex);
	check(fetch__parse_build_id("abc", id, &len) == -EINVAL, "fetch.parse-odd", "accepted");
	check(fetch__parse_build_id("", id, &len) == -EINVAL, "fetch.parse-empty", "accepted");
	check(fetch__parse_build_id("zz", id, &len) == -EINVAL, "fetch.parse-not-hex", "accepted");
	memset(long_hex, 'a', sizeof(long_hex) - 1);
	long_hex[sizeof(long_hex) - 1] = '\0';
	check(fetch__parse_build_id(long_hex, id, &len) == -EINVAL, "fetch.parse-too-long",
	      "accepted");
}

/* Appends one note: name "@name" (NUL included), type @type, @desc. */
static size_t put_note(unsigned char *buf, size_t off, const char *name, uint32_t type,
		       const void *desc, uint32_t descsz)
{
	uint32_t namesz = (uint32_t)strlen(name) + 1;

	memcpy(buf + off, &namesz, 4);
	memcpy(buf + off + 4, &descsz, 4);
	memcpy(buf + off + 8, &type, 4);
	off += 12;
	memcpy(buf + off, name, namesz);
	off += (namesz + 3) & ~3U;
	memcpy(buf + off, desc, descsz);
	return off + ((descsz + 3) & ~3U);
}

/* Writes @len bytes of @buf to a temporary file; its path in @path. */
static void write_notes(const unsigned char *buf, size_t len, char *path)
{
	int fd;

	strcpy(path, "/tmp/d2b-notes.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		die("cannot write a notes file");
	close(fd);
}

static void test_notes(void)
{
	static const unsigned char want[20] = { 0x32, 0xa7, 0xf3, 0xba, 0xce, 0xe6, 0xbf, 0x69,
						0xda, 0x94, 0xf4, 0x97, 0xa8, 0xa0, 0x76, 0x48,
						0x3b, 0xae, 0xa2, 0x0e };
	unsigned char buf[256] = { 0 }, id[FETCH_MAX_BUILD_ID];
	char path[64], err[256];
	uint32_t xen = 0x10101;
	size_t off = 0, len = 0;
	int ret;

	/* as on a running kernel: Xen and Linux notes around the build-id */
	off = put_note(buf, off, "Xen", 1, &xen, 4);
	off = put_note(buf, off, "GNU", 1, &xen, 4);	/* GNU, but not a build-id */
	off = put_note(buf, off, "GNU", 3, want, sizeof(want));
	off = put_note(buf, off, "Linux", 0x100, &xen, 1);
	write_notes(buf, off, path);
	ret = fetch__kernel_build_id(path, id, &len, err, sizeof(err));
	check(!ret && len == sizeof(want) && !memcmp(id, want, len), "fetch.notes",
	      "ret %d len %zu: %s", ret, len, ret ? err : "");
	unlink(path);

	/* cut inside the build-id's description */
	off = put_note(buf, 0, "Xen", 1, &xen, 4);
	off = put_note(buf, off, "GNU", 3, want, sizeof(want));
	write_notes(buf, off - 8, path);
	ret = fetch__kernel_build_id(path, id, &len, err, sizeof(err));
	check(ret == -ENOENT && strstr(err, "no GNU build-id note"), "fetch.notes-cut",
	      "ret %d: %s", ret, err);
	unlink(path);

	ret = fetch__kernel_build_id("/nonexistent/notes", id, &len, err, sizeof(err));
	check(ret == -ENOENT && strstr(err, "/nonexistent/notes: "), "fetch.notes-missing",
	      "ret %d: %s", ret, err);
}

static void test_detect(void)
{
	unsigned char tar[512] = { 0 };
	static const struct {
		const char *name;
		const char *head;
		size_t len;
		bool want;
	} cases[] = {
		{ "ar", "!<arch>\ndebian-binary", 21, true },
		{ "rpm", "\xed\xab\xee\xdb\x03\x00", 6, true },
		{ "xz", "\xfd" "7zXZ\0\0", 7, true },
		{ "zstd", "\x28\xb5\x2f\xfd\0", 5, true },
		{ "cpio", "070701000", 9, true },
		{ "elf", "\x7f" "ELF\2\1\1", 7, false },
		{ "gzip", "\x1f\x8b\x08\0", 4, false },
		{ "short-ar", "!<arch>", 7, false },
		{ "text", "hello, world", 12, false },
	};
	char name[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(name, sizeof(name), "package.detect-%s", cases[i].name);
		check(package__detect(cases[i].head, cases[i].len) == cases[i].want, name,
		      "detected %d", !cases[i].want);
	}
	memcpy(tar + 257, "ustar", 5);
	check(package__detect(tar, sizeof(tar)), "package.detect-tar", "not detected");
	check(!package__detect(tar, 260), "package.detect-tar-short", "detected");
}

int main(void)
{
	test_parse();
	test_notes();
	test_detect();
	if (failures) {
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	return 0;
}
