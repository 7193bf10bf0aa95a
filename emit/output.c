// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Atomic file output: temporary file, fsync, rename. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int output__write(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
	char *dup = NULL, *tmp = NULL;
	mode_t mask;
	int fd = -1, ret;

	if (!strcmp(path, "-")) {
		ret = write_all(STDOUT_FILENO, data, len);
		if (ret)
			snprintf(err, errlen, "<stdout>: %s", strerror(-ret));
		return ret;
	}
	dup = strdup(path);
	if (!dup || asprintf(&tmp, "%s/.%s.XXXXXX", dirname(dup), basename((char *)path)) < 0) {
		tmp = NULL;
		ret = -ENOMEM;
		snprintf(err, errlen, "%s: out of memory", path);
		goto out;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "%s: cannot create: %s", path, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto out;
	}
	/* mkstemp makes 0600; give the file the mode open(2) would have */
	mask = umask(0);
	umask(mask);
	ret = write_all(fd, data, len);
	if (!ret && fchmod(fd, 0666 & ~mask))
		ret = -errno;
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	fd = -1;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		snprintf(err, errlen, "%s: cannot write: %s", path, strerror(-ret));
out:
	if (ret && tmp)
		unlink(tmp);
	free(tmp);
	free(dup);
	return ret;
}
