// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * libbpf-check FILE: parse FILE (raw BTF or an ELF file with .BTF) with
 * the system libbpf, as BPF loaders do. Prints "ok types=N" and exits 0,
 * or prints the error and exits 1. Usage errors exit 2.
 */
#include <stdio.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int main(int argc, char **argv)
{
	struct btf *btf;
	long err;

	if (argc != 2) {
		fprintf(stderr, "usage: libbpf-check FILE\n");
		return 2;
	}
	libbpf_set_print(quiet_print);
	btf = btf__parse(argv[1], NULL);
	err = libbpf_get_error(btf);
	if (err) {
		char msg[256];

		libbpf_strerror((int)err, msg, sizeof(msg));
		printf("error: %s: btf__parse: %s (%ld)\n", argv[1], msg, err);
		return 1;
	}
	printf("ok types=%u\n", btf__type_cnt(btf) - 1);
	btf__free(btf);
	return 0;
}
