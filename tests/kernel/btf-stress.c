// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * btf-stress: the guest side of the module stress test
 * (tests/kernel/stress.sh), linked statically and run in the debug kernel.
 *
 *   btf-stress read FILE EXPECTED STOPFILE SEED
 *	Reads FILE (/sys/kernel/btf/vmlinux) over and over until STOPFILE
 *	exists, while the module comes and goes: pread at random offsets
 *	and sizes (also across and beyond the end), whole sequential reads
 *	in random chunks, a descriptor held across an unload, and mmap.
 *	Every byte read must equal EXPECTED's at the same offset, and the
 *	file's size EXPECTED's. The only errors allowed are the ones of a
 *	file that is not there (ENOENT at open) or went away while open
 *	(ENODEV); mmap may be refused with ENODEV (sysfs offers it only to
 *	attributes that ask for it). Prints one summary line.
 *
 *   btf-stress failnth KO EXPECTED MAX STEP
 *	Loads KO with finit_module() with the Nth slab allocation of the
 *	call failing (/proc/thread-self/fail-nth; failslab must be set up),
 *	for N = 1, 1 + STEP, 1 + 2 * STEP, ... until a load makes fewer than
 *	N allocations (or N > MAX). After each failed load no /sys/kernel/btf may be left;
 *	after each successful one the file must equal EXPECTED, and the
 *	module is removed again. Prints one summary line.
 *
 * Exit status 0 when every check held, 1 otherwise (the reason is
 * printed), 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define MODNAME "btf_vmlinux"
#define SYSFS_DIR "/sys/kernel/btf"

struct expected {
	unsigned char *data;
	size_t size;
};

struct read_stats {
	unsigned long opens, absent, reads, bytes, gone, mmaps;
	int mmap_errno;
};

static uint64_t rng_state;

/* xorshift64*: reproducible from the seed the test prints */
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static size_t rng_below(size_t n)
{
	return n ? rng() % n : 0;
}

static int load_expected(const char *path, struct expected *e)
{
	struct stat st;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		fprintf(stderr, "btf-stress: %s: %s\n", path, strerror(errno));
		return -1;
	}
	e->size = st.st_size;
	e->data = malloc(e->size ? e->size : 1);
	n = e->data ? pread(fd, e->data, e->size, 0) : -1;
	close(fd);
	if (n < 0 || (size_t)n != e->size) {
		fprintf(stderr, "btf-stress: %s: cannot read it whole\n", path);
		return -1;
	}
	return 0;
}

/*
 * Checks one read of LEN bytes wanted at OFF that returned N: at most LEN,
 * at least one byte unless at the end. Returns 0 when it matched, 1 when the file went away (ENODEV), -1 on a mismatch.
 */
static int check_read(const struct expected *e, const unsigned char *buf, size_t off,
		      size_t len, ssize_t n, int err, struct read_stats *s)
{
	size_t want;

	if (n < 0) {
		if (err == ENODEV) {
			s->gone++;
			return 1;
		}
		printf("btf-stress: read of %zu bytes at %zu: %s\n", len, off, strerror(err));
		return -1;
	}
	want = off >= e->size ? 0 : e->size - off;
	if (want > len)
		want = len;
	/* short reads are allowed (sysfs gives at most a page), not empty ones */
	if ((size_t)n > want || (!n && want)) {
		printf("btf-stress: read of %zu bytes at %zu returned %zd, expected %zu\n",
		       len, off, n, want);
		return -1;
	}
	if (n && memcmp(buf, e->data + off, n)) {
		printf("btf-stress: MISMATCH: %zd bytes at %zu differ from the expected file\n",
		       n, off);
		return -1;
	}
	s->reads++;
	s->bytes += n;
	return 0;
}

static int read_random(int fd, const struct expected *e, unsigned char *buf, size_t cap,
		       struct read_stats *s)
{
	int i, rounds = 1 + rng_below(16);

	for (i = 0; i < rounds; i++) {
		size_t off = rng_below(e->size + 4096);
		size_t len = 1 + rng_below(rng_below(4) ? 4096 : cap);
		ssize_t n = pread(fd, buf, len, off);
		int ret = check_read(e, buf, off, len, n, errno, s);

		if (ret)
			return ret;
	}
	return 0;
}

static int read_whole(int fd, const struct expected *e, unsigned char *buf, size_t chunk,
		      struct read_stats *s)
{
	size_t off = 0;

	for (;;) {
		ssize_t n = read(fd, buf, chunk);
		int ret = check_read(e, buf, off, chunk, n, errno, s);

		if (ret)
			return ret;
		if (!n)
			return 0;
		off += n;
	}
}

static int try_mmap(int fd, const struct expected *e, struct read_stats *s)
{
	size_t len = e->size < 65536 ? e->size : 65536;
	void *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED) {
		if (errno != ENODEV && errno != EIO) {
			printf("btf-stress: mmap: %s\n", strerror(errno));
			return -1;
		}
		s->mmap_errno = errno;
		return 0;
	}
	s->mmaps++;
	if (memcmp(p, e->data, len)) {
		printf("btf-stress: MISMATCH: the mapped file differs from the expected file\n");
		munmap(p, len);
		return -1;
	}
	munmap(p, len);
	return 0;
}

static int cmd_read(const char *file, const char *expected, const char *stop,
		    unsigned long seed)
{
	struct read_stats s = { 0 };
	struct timespec nap = { 0, 0 };
	size_t cap = 256 * 1024;
	struct expected e;
	unsigned char *buf;
	struct stat st;
	int ret = 0;

	if (load_expected(expected, &e))
		return 1;
	buf = malloc(cap);
	if (!buf)
		return 1;
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	while (!ret && access(stop, F_OK)) {
		int fd = open(file, O_RDONLY);

		s.opens++;
		if (fd < 0) {
			if (errno != ENOENT) {
				printf("btf-stress: open %s: %s\n", file, strerror(errno));
				ret = -1;
			}
			s.absent++;
			nap.tv_nsec = 1000000 * (1 + rng_below(20));
			nanosleep(&nap, NULL);
			continue;
		}
		if (!fstat(fd, &st) && (size_t)st.st_size != e.size) {
			printf("btf-stress: %s has %lld bytes, expected %zu\n", file,
			       (long long)st.st_size, e.size);
			ret = -1;
		}
		switch (ret ? -1 : (int)rng_below(4)) {
		case 0:
			ret = read_random(fd, &e, buf, cap, &s);
			break;
		case 1:
			ret = read_whole(fd, &e, buf, 1 + rng_below(cap), &s);
			break;
		case 2:
			/* hold the descriptor, perhaps across an unload */
			nap.tv_nsec = 1000000 * (1 + rng_below(200));
			nanosleep(&nap, NULL);
			ret = read_random(fd, &e, buf, cap, &s);
			break;
		case 3:
			ret = try_mmap(fd, &e, &s);
			break;
		}
		close(fd);
		if (ret > 0)
			ret = 0;
	}
	printf("btf-stress: reader %lu: %lu opens (%lu while absent), %lu reads matched (%lu bytes), %lu on a removed file, %lu mmaps matched, mmap refused: %s\n",
	       seed, s.opens, s.absent, s.reads, s.bytes, s.gone, s.mmaps,
	       s.mmap_errno ? strerror(s.mmap_errno) : "never");
	free(buf);
	free(e.data);
	return ret ? 1 : 0;
}

/* The whole of /sys/kernel/btf/vmlinux, compared: 0 when it matched */
static int same_as_expected(const struct expected *e)
{
	struct read_stats s = { 0 };
	size_t cap = 65536;
	unsigned char *buf = malloc(cap);
	int fd = open(SYSFS_DIR "/vmlinux", O_RDONLY);
	int ret = -1;

	if (fd >= 0 && buf)
		ret = read_whole(fd, e, buf, cap, &s);
	if (!ret && s.bytes != e->size)
		ret = -1;
	if (fd >= 0)
		close(fd);
	free(buf);
	return ret;
}

static int cmd_failnth(const char *ko, const char *expected, unsigned long max,
		       unsigned long step)
{
	unsigned long n, failed = 0, loaded = 0;
	char num[32];
	struct expected e;
	int nth, fd, err;
	long rc;

	if (load_expected(expected, &e))
		return 1;
	/* opened once: reading it back must not allocate */
	nth = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth < 0) {
		printf("btf-stress: /proc/thread-self/fail-nth: %s (CONFIG_FAULT_INJECTION?)\n",
		       strerror(errno));
		return 1;
	}
	for (n = 1; n <= max; n += step) {
		fd = open(ko, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			printf("btf-stress: %s: %s\n", ko, strerror(errno));
			return 1;
		}
		snprintf(num, sizeof(num), "%lu", n);
		if (pwrite(nth, num, strlen(num), 0) < 0) {
			printf("btf-stress: writing fail-nth: %s\n", strerror(errno));
			return 1;
		}
		rc = syscall(SYS_finit_module, fd, "", 0);
		err = errno;
		memset(num, 0, sizeof(num));
		if (pread(nth, num, sizeof(num) - 1, 0) < 0) {
			printf("btf-stress: reading fail-nth: %s\n", strerror(errno));
			return 1;
		}
		close(fd);
		if (atoi(num)) {
			/* fewer than n allocations: every failure point was tried */
			if (pwrite(nth, "0", 1, 0) < 0)
				return 1;
			if (rc || same_as_expected(&e) ||
			    syscall(SYS_delete_module, MODNAME, O_NONBLOCK)) {
				printf("btf-stress: the load without a failure did not serve the file\n");
				return 1;
			}
			break;
		}
		if (!rc) {
			loaded++;
			if (same_as_expected(&e)) {
				printf("btf-stress: fail-nth %lu: loaded, but the file differs\n", n);
				return 1;
			}
			if (syscall(SYS_delete_module, MODNAME, O_NONBLOCK)) {
				printf("btf-stress: fail-nth %lu: rmmod: %s\n", n, strerror(errno));
				return 1;
			}
			continue;
		}
		failed++;
		if (!access(SYSFS_DIR, F_OK)) {
			printf("btf-stress: fail-nth %lu: load failed (%s) but %s is left\n", n,
			       strerror(err), SYSFS_DIR);
			return 1;
		}
	}
	if (n > max) {
		printf("btf-stress: more than %lu allocations in one load\n", max);
		return 1;
	}
	printf("btf-stress: failnth: N = 1 to %lu, step %lu (a load makes fewer than %lu allocations): %lu loads failed cleanly, %lu succeeded anyway\n",
	       n - step, step, n, failed, loaded);
	free(e.data);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 6 && !strcmp(argv[1], "read"))
		return cmd_read(argv[2], argv[3], argv[4], strtoul(argv[5], NULL, 10));
	if (argc == 6 && !strcmp(argv[1], "failnth") && strtoul(argv[5], NULL, 10))
		return cmd_failnth(argv[2], argv[3], strtoul(argv[4], NULL, 10),
				   strtoul(argv[5], NULL, 10));
	fprintf(stderr, "usage: btf-stress read FILE EXPECTED STOPFILE SEED\n"
			"       btf-stress failnth KO EXPECTED MAX STEP\n");
	return 2;
}
