// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * libFuzzer target: dwz output, a file whose DWARF refers into an
 * alternate file (DW_FORM_GNU_ref_alt, DW_FORM_GNU_strp_alt,
 * DW_TAG_imported_unit of partial units there) named by its
 * .gnu_debugaltlink. Input: an input of fuzz_dwarf.c for the file, the 8
 * bytes "ALTDWARF", another for the alternate file. The alternate file gets
 * a .note.gnu.build-id, and the file a .gnu_debugaltlink naming it by
 * path and that build-id, or (bit 3 of the file's flags byte) a build-id
 * that does not match. Then the pipeline, as `dwarf2btf FILE -o OUT`.
 */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FLAG_WRONG_ID 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t id[FUZZ_BUILD_ID_LEN] = "dwarf2btf fuzz alt.";
	static const uint8_t other[FUZZ_BUILD_ID_LEN] = "another build-id...";
	struct fuzz_dwarf dw, alt;
	char path[64], alt_path[64];
	const uint8_t *rest;
	size_t head;
	int fd, alt_fd;

	rest = fuzz_cut(data, size, "ALTDWARF", 8, &head);
	if (!rest)
		return 0;
	fuzz_dwarf__parse(rest, size - (size_t)(rest - data), &alt);
	alt.build_id = id;
	alt_fd = fuzz_dwarf__memfd(&alt, alt_path, sizeof(alt_path));
	if (alt_fd < 0)
		return 0;
	fuzz_dwarf__parse(data, head, &dw);
	dw.alt_name = alt_path;
	dw.alt_id = dw.flags & FLAG_WRONG_ID ? other : id;
	fd = fuzz_dwarf__memfd(&dw, path, sizeof(path));
	if (fd >= 0) {
		fuzz_convert_file(path);
		close(fd);
	}
	close(alt_fd);
	return 0;
}
