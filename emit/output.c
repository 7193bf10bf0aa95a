// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Atomic file output. The data goes to an unnamed file (O_TMPFILE) in the
 * output's directory, is synced, gets a temporary name and is renamed over
 * the output: an existing output is never half-written, and a process
 * killed while writing leaves nothing behind. Where the file system has no
 * O_TMPFILE, a named temporary file (mkstemp) is used instead.
 *
 * An output that exists and is not a regular file (/dev/stdout, a FIFO)
 * is written into directly: there is nothing to replace. A symbolic link
 * is followed, so the file it points to is replaced and the link stays.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "output.h"

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* strerror() with a lowercase first letter, as messages want. */
static void set_err(char *err, size_t errlen, const char *path, const char *what, int errnum)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "%s", strerror(errnum));
	msg[0] = (char)tolower((unsigned char)msg[0]);
	snprintf(err, errlen, "%s: %s: %s", path, what, msg);
}

/* Into an existing file that cannot be replaced: a device, a FIFO. */
static int write_into(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY), ret;

	if (fd < 0) {
		set_err(err, errlen, path, "cannot open", errno);
		return -errno;
	}
	ret = write_all(fd, data, len);
	if (close(fd) && !ret && errno != EINTR)
		ret = -errno;
	if (ret)
		set_err(err, errlen, path, "cannot write", -ret);
	return ret;
}

/* An unnamed file in @dir, linked as "@dir/.@base.XXXXXX" once written. */
static int write_tmpfile(const char *dir, const char *base, const void *data, size_t len,
			 char **tmp_out)
{
	char proc[64], *tmp = NULL;
	int fd, ret, tries;

	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
	if (fd < 0)
		return -errno;
	ret = write_all(fd, data, len);
	if (!ret && fsync(fd))
		ret = -errno;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	for (tries = 0; !ret && tries < 100; tries++) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		free(tmp);
		if (asprintf(&tmp, "%s/.%s.%06lx", dir, base,
			     (unsigned long)(ts.tv_nsec ^ getpid() ^ tries * 7919) & 0xffffff) < 0) {
			tmp = NULL;
			ret = -ENOMEM;
			break;
		}
		if (!linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW))
			break;
		ret = errno == EEXIST ? 0 : -errno;
	}
	if (!ret && tries == 100)
		ret = -EEXIST;
	/* no /proc to link from: the caller falls back to a named file */
	if (ret == -ENOENT && access(proc, F_OK))
		ret = -EOPNOTSUPP;
	if (close(fd) && !ret && errno != EINTR)
		ret = -errno;
	if (ret) {
		free(tmp);
		return ret;
	}
	*tmp_out = tmp;
	return 0;
}

/* The same with a named temporary file from the start. */
static int write_mkstemp(const char *dir, const char *base, const void *data, size_t len,
			 char **tmp_out)
{
	char *tmp;
	mode_t mask;
	int fd, ret;

	if (asprintf(&tmp, "%s/.%s.XXXXXX", dir, base) < 0)
		return -ENOMEM;
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = -errno;
		free(tmp);
		return ret;
	}
	/* mkstemp makes 0600; give the file the mode open(2) would have */
	mask = umask(0);
	umask(mask);
	ret = write_all(fd, data, len);
	if (!ret && fchmod(fd, 0666 & ~mask))
		ret = -errno;
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret && errno != EINTR)
		ret = -errno;
	if (ret) {
		unlink(tmp);
		free(tmp);
		return ret;
	}
	*tmp_out = tmp;
	return 0;
}

int output__write(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
	char *real = NULL, *dup_dir = NULL, *dup_base = NULL, *tmp = NULL;
	const char *target = path, *dir, *base;
	struct stat st;
	int ret;

	if (!strcmp(path, "-")) {
		ret = write_all(STDOUT_FILENO, data, len);
		if (ret)
			set_err(err, errlen, "<stdout>", "cannot write", -ret);
		return ret;
	}
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			set_err(err, errlen, path, "cannot write", EISDIR);
			return -EISDIR;
		}
		if (!S_ISREG(st.st_mode))
			return write_into(path, data, len, err, errlen);
		/* replace what a symbolic link points to, not the link */
		real = realpath(path, NULL);
		if (real)
			target = real;
	}
	dup_dir = strdup(target);
	dup_base = strdup(target);
	if (!dup_dir || !dup_base) {
		ret = -ENOMEM;
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	dir = dirname(dup_dir);
	base = basename(dup_base);
	ret = write_tmpfile(dir, base, data, len, &tmp);
	if (ret == -EOPNOTSUPP || ret == -EISDIR || ret == -EINVAL)
		ret = write_mkstemp(dir, base, data, len, &tmp);
	if (ret) {
		/* nothing was created: the directory refuses new files, or is full */
		set_err(err, errlen, path, ret == -ENOSPC || ret == -EDQUOT || ret == -EIO ?
			"cannot write" : "cannot create", -ret);
		goto out;
	}
	if (rename(tmp, target)) {
		ret = -errno;
		set_err(err, errlen, path, "cannot write", errno);
		unlink(tmp);
	}
out:
	free(tmp);
	free(real);
	free(dup_dir);
	free(dup_base);
	return ret;
}
