// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Raw BTF, both ways. The reader checks the header and the section layout
 * the way the kernel does, converts a blob of the other byte order to host
 * order, and builds a struct d2b_btf whose string section is the blob's, byte
 * for byte; files may be raw BTF or ELF objects with a .BTF section. The
 * writer lays out the 24-byte header, the type records, then the strings,
 * in host byte order or swapped.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btf.h"
#include "btf_raw.h"
#include "strset.h"
#include "util.h"

/*
 * Largest raw BTF file or .BTF section accepted. The kernel loads at most
 * 16 MiB through BPF_BTF_LOAD and vmlinux BTF is a few MiB, so this only
 * keeps a hostile or mistaken input from exhausting memory.
 */
#define BTF_READ_MAX_SIZE (512u << 20)

/* Room for a message from the raw parser before the file name is added. */
#define MSG_LEN 512

/*
 * Byte order: every field of every type record, fixed part and trailing
 * data alike, is a 32-bit word, so a record is converted by swapping each
 * of its words; the only per-kind knowledge needed is the record's length,
 * which d2b_btf_kind_extra_size() gives.
 */
static void btf_raw_swap_header(struct btf_header *hdr)
{
	hdr->magic = __builtin_bswap16(hdr->magic);
	hdr->hdr_len = __builtin_bswap32(hdr->hdr_len);
	hdr->type_off = __builtin_bswap32(hdr->type_off);
	hdr->type_len = __builtin_bswap32(hdr->type_len);
	hdr->str_off = __builtin_bswap32(hdr->str_off);
	hdr->str_len = __builtin_bswap32(hdr->str_len);
}

/*
 * Length in bytes of the record starting with @t, whose info word is in
 * the opposite byte order when @foreign; -1 for a kind that does not exist.
 */
static long btf_raw_rec_len(const struct btf_type *t, bool foreign)
{
	uint32_t info = foreign ? __builtin_bswap32(t->info) : t->info;
	long extra = d2b_btf_kind_extra_size(BTF_INFO_KIND(info), BTF_INFO_VLEN(info));

	return extra < 0 ? -1 : (long)sizeof(*t) + extra;
}

/*
 * Swap the record at @rec in place. @foreign says which order it is in
 * now: the opposite one (kind and vlen are read after swapping info) or
 * the host's (they are read before). The caller has checked, with
 * btf_raw_rec_len(), that the whole record is there. Returns the record
 * length, or -1 for an unknown kind (nothing is swapped then).
 */
static long btf_raw_swap_rec(void *rec, bool foreign)
{
	long len = btf_raw_rec_len(rec, foreign);
	uint32_t *w = rec;
	long i;

	if (len < 0)
		return -1;
	for (i = 0; i < len / 4; i++)
		w[i] = __builtin_bswap32(w[i]);
	return len;
}


static const unsigned char elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

/* strerror() text with a lowercase first letter, as our messages want. */
static const char *errstr(int errnum, char *buf, size_t len)
{
	snprintf(buf, len, "%s", strerror(errnum));
	buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}

static int check_header(const unsigned char *p, size_t size, struct btf_header *hdr,
			bool *foreign, bool split, char *err, size_t errlen)
{
	uint64_t body, type_end, str_end;
	uint16_t magic;
	size_t i;

	/* the magic first: "not BTF" says more than "too short" about most files */
	if (size < sizeof(magic))
		return err_printf(err, errlen, -EINVAL, "not BTF (%zu bytes)", size);
	memcpy(&magic, p, sizeof(magic));
	if (magic != BTF_MAGIC && magic != __builtin_bswap16(BTF_MAGIC))
		return err_printf(err, errlen, -EINVAL, "not BTF (bad magic 0x%04x)", magic);
	if (size < sizeof(*hdr))
		return err_printf(err, errlen, -EINVAL,
			       "blob of %zu bytes too short for the %zu-byte BTF header",
			       size, sizeof(*hdr));
	memcpy(hdr, p, sizeof(*hdr));
	*foreign = magic != BTF_MAGIC;
	if (*foreign)
		btf_raw_swap_header(hdr);
	if (hdr->version != BTF_VERSION)
		return err_printf(err, errlen, -EINVAL, "unsupported BTF version %u",
			       hdr->version);
	if (hdr->flags)
		return err_printf(err, errlen, -EINVAL, "unsupported BTF header flags 0x%x",
			       hdr->flags);
	if (hdr->hdr_len < sizeof(*hdr))
		return err_printf(err, errlen, -EINVAL,
			       "header length %u shorter than %zu bytes",
			       hdr->hdr_len, sizeof(*hdr));
	if (hdr->hdr_len > size)
		return err_printf(err, errlen, -EINVAL,
			       "header length %u beyond blob size %zu", hdr->hdr_len, size);
	/* a longer header is fine as long as we would not ignore anything in it */
	for (i = sizeof(*hdr); i < hdr->hdr_len; i++)
		if (p[i])
			return err_printf(err, errlen, -EINVAL,
				       "unknown header field set (nonzero byte at header offset %zu)",
				       i);

	body = size - hdr->hdr_len;
	type_end = (uint64_t)hdr->type_off + hdr->type_len;
	str_end = (uint64_t)hdr->str_off + hdr->str_len;
	if (hdr->type_off % 4)
		return err_printf(err, errlen, -EINVAL,
			       "type section offset %u not 4-byte aligned", hdr->type_off);
	if (type_end > body)
		return err_printf(err, errlen, -EINVAL,
			       "type section (offset %u, length %u) beyond the %llu bytes after the header",
			       hdr->type_off, hdr->type_len, (unsigned long long)body);
	if (str_end > body)
		return err_printf(err, errlen, -EINVAL,
			       "string section (offset %u, length %u) beyond the %llu bytes after the header",
			       hdr->str_off, hdr->str_len, (unsigned long long)body);
	if (!hdr->str_len)
		return err_printf(err, errlen, -EINVAL, "empty string section");
	if (hdr->type_off < str_end && hdr->str_off < type_end)
		return err_printf(err, errlen, -EINVAL,
			       "type section [%u, %llu) and string section [%u, %llu) overlap",
			       hdr->type_off, (unsigned long long)type_end,
			       hdr->str_off, (unsigned long long)str_end);
	if (hdr->type_off)
		return err_printf(err, errlen, -EINVAL,
			       "gap of %u bytes before the type section", hdr->type_off);
	if (hdr->str_off != type_end)
		return err_printf(err, errlen, -EINVAL,
			       "gap of %llu bytes between the type and string sections",
			       (unsigned long long)(hdr->str_off - type_end));
	if (str_end != body)
		return err_printf(err, errlen, -EINVAL,
			       "%llu bytes after the string section",
			       (unsigned long long)(body - str_end));
	/* a split BTF's strings continue the base's, which start with "" */
	if (!split && p[hdr->hdr_len + hdr->str_off])
		return err_printf(err, errlen, -EINVAL,
			       "string section does not start with a NUL byte");
	if (p[hdr->hdr_len + hdr->str_off + hdr->str_len - 1])
		return err_printf(err, errlen, -EINVAL,
			       "string section does not end with a NUL byte");
	return 0;
}

int d2b_btf__parse_raw(const void *data, size_t size, struct d2b_btf **out,
		   char *err, size_t errlen)
{
	return d2b_btf__parse_raw_split(data, size, NULL, out, err, errlen);
}

int d2b_btf__parse_raw_split(const void *data, size_t size, const struct d2b_btf *base,
			 struct d2b_btf **out, char *err, size_t errlen)
{
	const unsigned char *p = data;
	struct btf_header hdr;
	struct d2b_btf *btf = NULL;
	char *types = NULL;
	uint32_t off, id;
	bool foreign = false;
	int ret;

	*out = NULL;
	ret = check_header(p, size, &hdr, &foreign, base != NULL, err, errlen);
	if (ret)
		return ret;

	ret = d2b_btf__new_from_strs((const char *)p + hdr.hdr_len + hdr.str_off,
				 hdr.str_len, &btf);
	if (ret) {
		err_printf(err, errlen, ret, "cannot load the string section: %s",
			ret == -ENOMEM ? "out of memory" : "invalid");
		goto out;
	}
	d2b_btf__set_big_endian(btf, (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__) != foreign);
	if (base)
		d2b_btf__set_base(btf, base);

	/* an aligned copy: the blob may sit at any address, and is swapped in place */
	types = malloc(hdr.type_len ? hdr.type_len : 1);
	if (!types) {
		ret = err_printf(err, errlen, -ENOMEM, "out of memory");
		goto out;
	}
	memcpy(types, p + hdr.hdr_len + hdr.type_off, hdr.type_len);

	for (off = 0, id = d2b_btf__start_id(btf); off < hdr.type_len; id++) {
		struct btf_type *t = (struct btf_type *)(types + off);
		uint32_t left = hdr.type_len - off;
		int64_t added;
		uint32_t info;
		long len;

		if (left < sizeof(*t)) {
			ret = err_printf(err, errlen, -EINVAL,
				      "type [%u]: record truncated, %u bytes left in the type section",
				      id, left);
			goto out;
		}
		info = foreign ? __builtin_bswap32(t->info) : t->info;
		len = btf_raw_rec_len(t, foreign);
		if (len < 0) {
			ret = err_printf(err, errlen, -EINVAL, "type [%u]: unknown kind %u",
				      id, BTF_INFO_KIND(info));
			goto out;
		}
		if ((unsigned long)len > left) {
			ret = err_printf(err, errlen, -EINVAL,
				      "type [%u] %s: record of %ld bytes (vlen %u) overruns the type section, %u bytes left",
				      id, d2b_btf_kind_name(BTF_INFO_KIND(info)), len,
				      BTF_INFO_VLEN(info), left);
			goto out;
		}
		if (foreign)
			btf_raw_swap_rec(t, true);
		added = d2b_btf__add_type(btf, t, t + 1, (size_t)len - sizeof(*t));
		if (added < 0) {
			ret = err_printf(err, errlen, (int)added, "type [%u]: cannot add: %s", id,
				      added == -E2BIG ? "too many types" : "out of memory");
			goto out;
		}
		off += (uint32_t)len;
	}
	*out = btf;
	btf = NULL;
	ret = 0;
out:
	free(types);
	d2b_btf__free(btf);
	return ret;
}

/* Whole file into memory, for raw BTF (small, and possibly a sysfs file). */
static int read_file(int fd, const char *path, char **data, size_t *size,
		     char *err, size_t errlen)
{
	size_t cap = 0, len = 0;
	char *buf = NULL;
	char ebuf[128];
	struct stat st;
	int ret;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > BTF_READ_MAX_SIZE)
		return err_printf(err, errlen, -EFBIG, "%s: file of %lld bytes larger than %u bytes",
			       path, (long long)st.st_size, BTF_READ_MAX_SIZE);
	for (;;) {
		ssize_t n;

		/* one byte past the limit tells "too large" from "exactly at it" */
		ret = grow_buf((void **)&buf, &cap, 1, len + 65536 < BTF_READ_MAX_SIZE + 1 ?
			       len + 65536 : BTF_READ_MAX_SIZE + 1);
		if (ret) {
			err_printf(err, errlen, ret, "%s: out of memory", path);
			goto fail;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = err_printf(err, errlen, -errno, "%s: read error: %s", path,
				      errstr(errno, ebuf, sizeof(ebuf)));
			goto fail;
		}
		if (!n)
			break;
		len += (size_t)n;
		if (len > BTF_READ_MAX_SIZE) {
			ret = err_printf(err, errlen, -EFBIG, "%s: file larger than %u bytes",
				      path, BTF_READ_MAX_SIZE);
			goto fail;
		}
	}
	*data = buf;
	*size = len;
	return 0;
fail:
	free(buf);
	return ret;
}

static int parse_elf(int fd, const char *path, const struct d2b_btf *base, struct d2b_btf **out,
		     char *err, size_t errlen)
{
	Elf_Scn *scn = NULL;
	char msg[MSG_LEN];
	Elf_Data *data;
	size_t shstrndx;
	GElf_Shdr sh;
	Elf *elf;
	int ret;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return err_printf(err, errlen, -EINVAL, "%s: libelf: %s", path, elf_errmsg(-1));
	/* libelf maps the file: vmlinux is hundreds of MiB, .BTF a few */
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		ret = err_printf(err, errlen, -EINVAL, "%s: not a readable ELF file: %s", path,
			      elf_errmsg(-1));
		goto out;
	}
	if (elf_getshdrstrndx(elf, &shstrndx)) {
		ret = err_printf(err, errlen, -EINVAL, "%s: no section name table: %s", path,
			      elf_errmsg(-1));
		goto out;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name;

		if (!gelf_getshdr(scn, &sh)) {
			ret = err_printf(err, errlen, -EINVAL, "%s: bad section header: %s", path,
				      elf_errmsg(-1));
			goto out;
		}
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name && !strcmp(name, ".BTF"))
			break;
	}
	if (!scn) {
		ret = err_printf(err, errlen, -ENOENT, "%s: no .BTF section", path);
		goto out;
	}
	if (sh.sh_type == SHT_NOBITS) {
		ret = err_printf(err, errlen, -EINVAL, "%s: .BTF section has no data", path);
		goto out;
	}
	if ((sh.sh_flags & SHF_COMPRESSED) && elf_compress(scn, 0, 0) < 0) {
		ret = err_printf(err, errlen, -EINVAL, "%s: cannot decompress .BTF: %s", path,
			      elf_errmsg(-1));
		goto out;
	}
	data = elf_getdata(scn, NULL);
	if (!data || !data->d_buf) {
		ret = err_printf(err, errlen, -EINVAL, "%s: cannot read .BTF: %s", path,
			      elf_errmsg(-1));
		goto out;
	}
	if (data->d_size > BTF_READ_MAX_SIZE) {
		ret = err_printf(err, errlen, -EFBIG, "%s: .BTF section of %zu bytes larger than %u bytes",
			      path, data->d_size, BTF_READ_MAX_SIZE);
		goto out;
	}
	ret = d2b_btf__parse_raw_split(data->d_buf, data->d_size, base, out, msg, sizeof(msg));
	if (ret) {
		err_printf(err, errlen, ret, "%s: .BTF: %s", path, msg);
		goto out;
	}
	/* BTF does not record the pointer size; the ELF class does */
	d2b_btf__set_ptr_size(*out, gelf_getclass(elf) == ELFCLASS32 ? 4 : 8);
out:
	elf_end(elf);
	return ret;
}

int d2b_btf__parse_file(const char *path, struct d2b_btf **out, char *err, size_t errlen)
{
	return d2b_btf__parse_file_split(path, NULL, out, err, errlen);
}

int d2b_btf__parse_file_split(const char *path, const struct d2b_btf *base, struct d2b_btf **out,
			  char *err, size_t errlen)
{
	unsigned char magic[4];
	char msg[MSG_LEN];
	char *data = NULL;
	size_t size = 0;
	ssize_t n;
	int fd, ret;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		return err_printf(err, errlen, ret, "%s: cannot open: %s", path,
			       errstr(-ret, msg, sizeof(msg)));
	}
	n = pread(fd, magic, sizeof(magic), 0);
	if (n == (ssize_t)sizeof(magic) && !memcmp(magic, elf_magic, sizeof(magic))) {
		ret = parse_elf(fd, path, base, out, err, errlen);
		goto out;
	}
	ret = read_file(fd, path, &data, &size, err, errlen);
	if (ret)
		goto out;
	ret = d2b_btf__parse_raw_split(data, size, base, out, msg, sizeof(msg));
	if (ret)
		err_printf(err, errlen, ret, "%s: %s", path, msg);
out:
	free(data);
	close(fd);
	return ret;
}

int d2b_btf__raw_data(const struct d2b_btf *btf, bool swap, void **data, uint32_t *size)
{
	const struct strset *strs = d2b_btf__strset(btf);
	struct btf_header hdr = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.flags = 0,
		.hdr_len = sizeof(hdr),
	};
	uint32_t types_len, strs_len, id;
	size_t off;
	const void *types;
	const char *str_data;
	uint64_t total;
	char *buf;

	types = d2b_btf__types_data(btf, &types_len);
	str_data = strset__data(strs, &strs_len);
	total = (uint64_t)sizeof(hdr) + types_len + strs_len;
	if (total > UINT32_MAX)
		return -E2BIG;

	hdr.type_off = 0;
	hdr.type_len = types_len;
	hdr.str_off = types_len;
	hdr.str_len = strs_len;

	buf = malloc(total);
	if (!buf)
		return -ENOMEM;
	/* no types at all: the buffer is still NULL */
	if (types_len)
		memcpy(buf + sizeof(hdr), types, types_len);
	memcpy(buf + sizeof(hdr) + types_len, str_data, strs_len);

	if (swap) {
		/* each record is read in host order, then turned around */
		for (id = d2b_btf__start_id(btf), off = sizeof(hdr); id < d2b_btf__type_cnt(btf);
		     id++) {
			size_t len = d2b_btf__type_rec_size(btf, id);

			if (btf_raw_swap_rec(buf + off, false) != (long)len) {
				/* a record whose kind and vlen disagree with its length */
				free(buf);
				return -EINVAL;
			}
			off += len;
		}
		btf_raw_swap_header(&hdr);
	}
	memcpy(buf, &hdr, sizeof(hdr));

	*data = buf;
	*size = (uint32_t)total;
	return 0;
}
