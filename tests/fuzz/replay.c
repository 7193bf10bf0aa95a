// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * A main() for a fuzz target without libFuzzer: runs
 * LLVMFuzzerTestOneInput() once on each file given, or on each file of a
 * directory given. For builds that only replay inputs, such as the
 * ThreadSanitizer build of fuzz_jobs (tests/cases/tsan.sh), where
 * libFuzzer's own bookkeeping, shared by the threads, would be reported.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		perror(path);
		return -1;
	}
	do {
		if (len == cap) {
			uint8_t *p = realloc(buf, cap = cap ? 2 * cap : 65536);

			if (!p) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long runs = 0;
	int i, ret = 0;

	for (i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		struct dirent *e;

		if (!d) {
			ret |= run_file(argv[i]);
			runs++;
			continue;
		}
		while ((e = readdir(d))) {
			char path[4096];

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
			ret |= run_file(path);
			runs++;
		}
		closedir(d);
	}
	fprintf(stderr, "replay: %lu inputs\n", runs);
	return ret ? 1 : 0;
}
