// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Helpers shared by the libFuzzer targets. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "btf.h"
#include "btf_align.h"
#include "btf_features.h"
#include "btf_raw.h"
#include "convert.h"
#include "c_header.h"
#include "dedup.h"
#include "elf_out.h"
#include "encode.h"
#include "common.h"
#include "input.h"
#include "tgraph.h"
#include "validate.h"

int fuzz_memfd(const void *data, size_t size, char *path, size_t pathlen)
{
	const char *p = data;
	int fd = memfd_create("fuzz-input", MFD_CLOEXEC);

	if (fd < 0)
		return -1;
	while (size) {
		ssize_t n = write(fd, p, size);

		if (n <= 0) {
			close(fd);
			return -1;
		}
		p += n;
		size -= (size_t)n;
	}
	snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	return fd;
}

void fuzz_convert_file(const char *path)
{
	struct convert_opts copts = { .jobs = 1 };
	struct btf_align *align = NULL;
	struct dedup_opts dopts = { 0 };
	struct encode_opts eopts = { .align_out = &align };
	struct dedup_result res = { 0 };
	struct encode_stats estats;
	struct c_header_opts hopts = { 0 };
	uint32_t version;
	FILE *header;
	struct convert_stats cstats;
	struct dedup_stats dstats;
	struct input *in = NULL;
	struct tgraph *g = NULL;
	struct d2b_btf *btf = NULL;
	char err[1024];
	void *raw = NULL;
	uint32_t size;
	size_t id_len;

	if (input__open(path, NULL, &in, err, sizeof(err)))
		return;
	if (convert__dwarf(in, &copts, &g, &cstats, err, sizeof(err)))
		goto out;
	eopts.ptr_size = input__ptr_size(in);
	/* as main.c: the BTF kinds the input's kernel takes, else all */
	version = input__kernel_version(in);
	eopts.features = version ? btf_features__for_kernel(version) : BTF_FEAT_ALL;
	encode__prepare(g, eopts.features);
	if (dedup__run(g, &dopts, &res, &dstats, err, sizeof(err)) ||
	    encode__btf(g, &res, &eopts, &btf, &estats, err, sizeof(err)))
		goto out;
	/* broken DWARF may describe what BTF cannot hold: an error, as in main.c */
	if (d2b_btf__validate(btf, err, sizeof(err)))
		goto out;
	if (d2b_btf__raw_data(btf, input__big_endian(in), &raw, &size) == 0) {
		const unsigned char *id = input__build_id(in, &id_len);
		void *image;
		size_t image_size;

		/* --format elf */
		if (elf_out__image(raw, size, input__big_endian(in), input__ptr_size(in) == 8,
				   input__machine(in), id, id_len, &image, &image_size, err,
				   sizeof(err)) == 0)
			free(image);
		free(raw);
	}
	/* --header straight from DWARF, with its alignments */
	header = fopen("/dev/null", "w");
	if (header) {
		hopts.align = align;
		c_header__write(btf, &hopts, header, err, sizeof(err));
		fclose(header);
	}
out:
	dedup_result__free(&res);
	btf_align__free(align);
	d2b_btf__free(btf);
	tgraph__free(g);
	input__close(in);
}
