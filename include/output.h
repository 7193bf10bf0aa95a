/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Writing an output file so that it is either complete or not there at all. */
#ifndef D2B_OUTPUT_H
#define D2B_OUTPUT_H

#include <stddef.h>

/*
 * Writes @len bytes to @path through a temporary file in the same
 * directory, synced and renamed over @path: on any failure an existing
 * @path is untouched and no temporary file is left. "-" is stdout; an
 * existing @path that is not a regular file (a device, a FIFO) is written
 * into; a symbolic link is followed. Messages: "PATH: cannot create: ..."
 * (the directory takes no new file), "PATH: cannot write: ..." (no room).
 */
int output__write(const char *path, const void *data, size_t len, char *err, size_t errlen);

#endif
