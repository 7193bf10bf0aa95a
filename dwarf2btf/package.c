// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Packages as input, read with libarchive: it knows ar (.deb, .ddeb), the
 * rpm lead and header, cpio, tar and the compressions distributions use
 * (xz, zstd, gzip, bzip2), and reads all of them as one forward stream,
 * so a package piped in on standard input works as a file does.
 *
 * A .deb is an ar archive whose data.tar.* member is itself an archive:
 * that member is read through a second libarchive handle fed from the
 * first one's data blocks. Its control.tar.* member comes first and holds
 * md5sums, the list of every regular file in the package: from it the
 * kernels in the package are known before the 1-2 GB of data.tar is
 * decompressed, and reading stops right after the vmlinux. An rpm or a
 * plain archive has no such list in a form libarchive reads, so it is read
 * to its end to learn whether it holds another kernel.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "package.h"
#include "util.h"

/*
 * Largest vmlinux taken into memory: PACKAGE_MAX_RATIO times the package's
 * size (at least PACKAGE_MIN_LIMIT; standard input has no size), and never
 * beyond PACKAGE_MAX_VMLINUX. A debug vmlinux is 0.3-1.2 GB and Debian's
 * package of one unpacks 6.4:1; an entry that claims or grows to more is
 * refused before it fills the memory (an "xz bomb").
 */
#define PACKAGE_MAX_RATIO	64
#define PACKAGE_MIN_LIMIT	(64ULL << 20)
#define PACKAGE_MAX_VMLINUX	(8ULL << 30)
/* Largest md5sums list read: a kernel's lists 5,000 files, 400 KB. */
#define PACKAGE_MAX_LIST	(16U << 20)
#define PACKAGE_BLOCK		(1U << 20)

enum walk_state {
	WALK_MORE,		/* keep reading */
	WALK_DONE,		/* the vmlinux is out and nothing else is needed */
};

struct walk {
	const char *name;		/* the package, for messages */
	const struct package_opts *opts;
	char **rels;			/* releases of the kernels seen, distinct */
	size_t nr_rels, cap_rels;
	bool listed;			/* rels came from md5sums: complete */
	int fd;				/* the vmlinux, or -1 */
	uint64_t limit;			/* its largest size */
	char *member;
	size_t memberlen;
	char *buf;			/* PACKAGE_BLOCK bytes */
	char *err;
	size_t errlen;
};

/* A .deb member read as an archive of its own. */
struct nested {
	struct archive *outer;
};

static int fail(struct walk *w, int ret, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	n = (size_t)snprintf(w->err, w->errlen, "%s: ", w->name);
	if (n >= w->errlen)
		return ret;
	va_start(ap, fmt);
	vsnprintf(w->err + n, w->errlen - n, fmt, ap);
	va_end(ap);
	return ret;
}

static const char *archive_msg(struct archive *a)
{
	const char *msg = archive_error_string(a);

	return msg ? msg : "unknown error";
}

bool package__detect(const void *head, size_t len)
{
	static const struct {
		size_t off, len;
		const char *magic;
	} magics[] = {
		{ 0, 8, "!<arch>\n" },			/* ar: .deb, .ddeb */
		{ 0, 4, "\xed\xab\xee\xdb" },		/* rpm lead */
		{ 0, 6, "\xfd" "7zXZ\0" },		/* xz */
		{ 0, 4, "\x28\xb5\x2f\xfd" },		/* zstd */
		{ 0, 6, "070701" },			/* cpio, new ASCII */
		{ 0, 6, "070702" },			/* ... with checksums */
		{ 0, 6, "070707" },			/* ... old ASCII */
		{ 257, 5, "ustar" },			/* tar, POSIX and GNU */
	};
	const unsigned char *h = head;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(magics); i++)
		if (len >= magics[i].off + magics[i].len &&
		    !memcmp(h + magics[i].off, magics[i].magic, magics[i].len))
			return true;
	return false;
}

/*
 * The kernel release in a debug vmlinux's path inside a package, into
 * @rel: usr/lib/debug/boot/vmlinux-REL (Debian, Ubuntu; SUSE adds
 * ".debug") or usr/lib/debug/lib/modules/REL/vmlinux (Fedora, RHEL).
 */
static bool release_of(const char *path, char *rel, size_t len)
{
	static const char boot[] = "usr/lib/debug/boot/vmlinux-";
	static const char mods[] = "usr/lib/debug/lib/modules/";
	const char *r, *end;
	size_t n;

	while (*path == '.' && path[1] == '/')
		path += 2;
	while (*path == '/')
		path++;
	if (!strncmp(path, boot, sizeof(boot) - 1)) {
		r = path + sizeof(boot) - 1;
		n = strlen(r);
		if (n > 6 && !strcmp(r + n - 6, ".debug"))
			n -= 6;
		if (memchr(r, '/', n))
			return false;
	} else if (!strncmp(path, mods, sizeof(mods) - 1)) {
		r = path + sizeof(mods) - 1;
		end = strchr(r, '/');
		if (!end || strcmp(end, "/vmlinux"))
			return false;
		n = (size_t)(end - r);
	} else {
		return false;
	}
	if (!n || n >= len)
		return false;
	memcpy(rel, r, n);
	rel[n] = '\0';
	return true;
}

static int add_release(struct walk *w, const char *rel)
{
	size_t i;

	for (i = 0; i < w->nr_rels; i++)
		if (!strcmp(w->rels[i], rel))
			return 0;
	if (grow_buf((void **)&w->rels, &w->cap_rels, sizeof(*w->rels), w->nr_rels + 1))
		return -ENOMEM;
	w->rels[w->nr_rels] = strdup(rel);
	if (!w->rels[w->nr_rels])
		return -ENOMEM;
	w->nr_rels++;
	return 0;
}

static bool has_release(const struct walk *w, const char *rel)
{
	size_t i;

	for (i = 0; i < w->nr_rels; i++)
		if (!strcmp(w->rels[i], rel))
			return true;
	return false;
}

/* "a, b, c": the releases seen, for messages. */
static void list_releases(const struct walk *w, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < w->nr_rels && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", w->rels[i]);
}

/* The current entry's data, all of it, into a new memory file: w->fd. */
static int extract_entry(struct walk *w, struct archive *a, struct archive_entry *e,
			 const char *path)
{
	uint64_t total = 0, size = 0;
	la_ssize_t n;
	int fd, ret = 0;

	if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0)
		size = (uint64_t)archive_entry_size(e);
	if (size > w->limit)
		return fail(w, -EFBIG, "%s is %llu bytes, more than any vmlinux", path,
			    (unsigned long long)size);
	fd = memfd_create("dwarf2btf-package", MFD_CLOEXEC);
	if (fd < 0)
		return fail(w, -errno, "cannot unpack: %s", strerror(errno));
	while ((n = archive_read_data(a, w->buf, PACKAGE_BLOCK)) > 0) {
		const char *p = w->buf;
		size_t left = (size_t)n;

		total += (uint64_t)n;
		if (total > w->limit) {
			ret = fail(w, -EFBIG, "%s unpacks to more than %llu bytes, more than any vmlinux",
				   path, (unsigned long long)w->limit);
			goto out;
		}
		while (left) {
			ssize_t wr = write(fd, p, left);

			if (wr < 0 && errno == EINTR)
				continue;
			if (wr <= 0) {
				ret = fail(w, wr < 0 ? -errno : -ENOSPC, "cannot unpack %s: %s", path,
					   strerror(wr < 0 ? errno : ENOSPC));
				goto out;
			}
			p += wr;
			left -= (size_t)wr;
		}
		if (w->opts && w->opts->progress)
			w->opts->progress(w->opts->progress_ctx, total, size);
	}
	if (n < 0) {
		ret = fail(w, -EINVAL, "truncated or corrupt package: %s (in %s)", archive_msg(a),
			   path);
		goto out;
	}
	if (size && total != size) {
		ret = fail(w, -EINVAL, "truncated or corrupt package: %s has %llu of its %llu bytes",
			   path, (unsigned long long)total, (unsigned long long)size);
		goto out;
	}
out:
	if (ret) {
		close(fd);
		return ret;
	}
	w->fd = fd;
	snprintf(w->member, w->memberlen, "%s", path);
	return 0;
}

/* libarchive's read callback for a nested archive: the outer entry's blocks. */
static la_ssize_t nested_read(struct archive *a, void *ctx, const void **buf)
{
	struct nested *nest = ctx;
	la_int64_t off;
	size_t size;
	int r;

	r = archive_read_data_block(nest->outer, buf, &size, &off);
	if (r == ARCHIVE_EOF)
		return 0;
	if (r < ARCHIVE_WARN) {
		archive_set_error(a, EINVAL, "%s", archive_msg(nest->outer));
		return -1;
	}
	return (la_ssize_t)size;
}

/* A .deb's md5sums: every regular file, so every kernel, in the package. */
static int read_md5sums(struct walk *w, struct archive *a)
{
	char *text = NULL, *line, *save = NULL;
	size_t len = 0, cap = 0;
	la_ssize_t n;
	int ret = 0;

	for (;;) {
		if (grow_buf((void **)&text, &cap, 1, len + PACKAGE_BLOCK + 1)) {
			free(text);
			return fail(w, -ENOMEM, "out of memory");
		}
		n = archive_read_data(a, text + len, PACKAGE_BLOCK);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len > PACKAGE_MAX_LIST) {
			free(text);
			return fail(w, -EFBIG, "md5sums of more than %u bytes", PACKAGE_MAX_LIST);
		}
	}
	if (n < 0) {
		free(text);
		return fail(w, -EINVAL, "truncated or corrupt package: %s (in md5sums)",
			    archive_msg(a));
	}
	text[len] = '\0';
	/* "<32 hex digits>  <path without the leading ./>" */
	for (line = strtok_r(text, "\n", &save); line && !ret; line = strtok_r(NULL, "\n", &save)) {
		char rel[256];
		char *path = strstr(line, "  ");

		if (path && release_of(path + 2, rel, sizeof(rel)))
			ret = add_release(w, rel) ? fail(w, -ENOMEM, "out of memory") : 0;
	}
	free(text);
	w->listed = !ret;
	return ret;
}

static int walk_archive(struct walk *w, struct archive *a, bool control);

/* The current entry of @outer, a .deb member, read as an archive. */
static int walk_nested(struct walk *w, struct archive *outer, bool control)
{
	struct nested nest = { .outer = outer };
	struct archive *a = archive_read_new();
	int ret;

	if (!a)
		return fail(w, -ENOMEM, "out of memory");
	archive_read_support_filter_xz(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_format_tar(a);
	if (archive_read_open(a, &nest, NULL, nested_read, NULL) != ARCHIVE_OK)
		ret = fail(w, -EINVAL, "truncated or corrupt package: %s", archive_msg(a));
	else
		ret = walk_archive(w, a, control);
	archive_read_free(a);
	return ret;
}

/*
 * The kernels the package holds, once known: with no --kernel, one only;
 * with --kernel, that one. Returns 0 or -errno with the message.
 */
static int check_choice(struct walk *w)
{
	char list[1024];
	const char *want = w->opts ? w->opts->kernel : NULL;

	list_releases(w, list, sizeof(list));
	if (want && !has_release(w, want))
		return w->nr_rels ?
		       fail(w, -ENOENT, "no debug vmlinux of kernel %s in the package (it holds: %s)",
			    want, list) :
		       fail(w, -ENOENT, "no debug vmlinux of kernel %s in the package (it holds none)",
			    want);
	if (!want && w->nr_rels > 1)
		return fail(w, -EINVAL, "the package holds the debug vmlinux of %zu kernels: %s (pick one with --kernel)",
			    w->nr_rels, list);
	return 0;
}

/*
 * Reads the entries of @a: a .deb's members (descending into them), or
 * the files of a tar, cpio or rpm payload. @control: @a is a .deb's
 * control.tar, where only md5sums matters. Returns WALK_MORE, WALK_DONE
 * or -errno with the message.
 */
static int walk_archive(struct walk *w, struct archive *a, bool control)
{
	const char *want = w->opts ? w->opts->kernel : NULL;
	struct archive_entry *e;
	int r, ret;

	while ((r = archive_read_next_header(a, &e)) != ARCHIVE_EOF) {
		const char *path;
		char rel[256];
		int fmt;

		if (r < ARCHIVE_WARN)
			return fail(w, -EINVAL, "truncated or corrupt package: %s", archive_msg(a));
		path = archive_entry_pathname(e);
		if (!path)
			continue;
		fmt = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
		if (fmt == ARCHIVE_FORMAT_AR) {
			if (!strncmp(path, "control.tar", 11) || !strncmp(path, "data.tar", 8)) {
				ret = walk_nested(w, a, path[0] == 'c');
				if (ret)
					return ret;
			}
			continue;
		}
		if (fmt == ARCHIVE_FORMAT_RAW) {
			/* no archive: the stream is the vmlinux */
			ret = extract_entry(w, a, e, "<stream>");
			return ret ? ret : WALK_DONE;
		}
		if (control) {
			if (!strcmp(path, "./md5sums") || !strcmp(path, "md5sums")) {
				ret = read_md5sums(w, a);
				if (!ret)
					ret = check_choice(w);
				if (ret)
					return ret;
			}
			continue;
		}
		if (archive_entry_filetype(e) != AE_IFREG || !release_of(path, rel, sizeof(rel)))
			continue;
		/* several paths of one kernel (links, copies): its first one */
		if (add_release(w, rel))
			return fail(w, -ENOMEM, "out of memory");
		if (w->fd >= 0 || (want && strcmp(rel, want)))
			continue;
		ret = extract_entry(w, a, e, path);
		if (ret)
			return ret;
		if (want || (w->listed && w->nr_rels == 1))
			return WALK_DONE;
	}
	return WALK_MORE;
}

int package__extract(const char *path, const char *name, const struct package_opts *opts,
		     char *member, size_t memberlen, char *err, size_t errlen)
{
	struct walk w = { .name = name, .opts = opts, .fd = -1, .member = member,
			  .memberlen = memberlen, .err = err, .errlen = errlen,
			  .limit = PACKAGE_MAX_VMLINUX };
	struct archive *a;
	struct stat st;
	size_t i;
	int ret, r;

	member[0] = '\0';
	if (strcmp(path, "-") && !stat(path, &st) && S_ISREG(st.st_mode)) {
		w.limit = (uint64_t)st.st_size * PACKAGE_MAX_RATIO;
		if (w.limit < PACKAGE_MIN_LIMIT)
			w.limit = PACKAGE_MIN_LIMIT;
		if (w.limit > PACKAGE_MAX_VMLINUX)
			w.limit = PACKAGE_MAX_VMLINUX;
	}
	w.buf = malloc(PACKAGE_BLOCK);
	a = archive_read_new();
	if (!a || !w.buf) {
		ret = fail(&w, -ENOMEM, "out of memory");
		goto out;
	}
	/*
	 * Only what packages use: no formats or filters that are not needed
	 * (libarchive's "all" would also run external programs for lrzip,
	 * lzop, ...), and no text formats (mtree) that take any stream.
	 */
	archive_read_support_filter_rpm(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_lzma(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_format_ar(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_cpio(a);
	archive_read_support_format_empty(a);
	/* bids lowest: whatever is no archive is one stream, decompressed */
	archive_read_support_format_raw(a);
	if (!strcmp(path, "-"))
		r = archive_read_open_fd(a, STDIN_FILENO, PACKAGE_BLOCK);
	else
		r = archive_read_open_filename(a, path, PACKAGE_BLOCK);
	if (r != ARCHIVE_OK) {
		ret = fail(&w, -EINVAL, "truncated or corrupt package: %s", archive_msg(a));
		goto out;
	}
	ret = walk_archive(&w, a, false);
	if (ret < 0)
		goto out;
	if ((archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_EMPTY) {
		/* filter 0 is the bytes as read: more filters, compressed data cut short */
		ret = fail(&w, -EINVAL, archive_filter_count(a) > 1 ?
			   "truncated or corrupt package: no data after decompressing it" :
			   "empty file, not an ELF file");
		goto out;
	}
	ret = check_choice(&w);
	if (!ret && w.fd < 0)
		ret = fail(&w, -ENOENT, "no debug vmlinux in the package (looked for usr/lib/debug/boot/vmlinux-* and usr/lib/debug/lib/modules/*/vmlinux)");
out:
	if (a)
		archive_read_free(a);
	for (i = 0; i < w.nr_rels; i++)
		free(w.rels[i]);
	free(w.rels);
	free(w.buf);
	if (ret < 0) {
		if (w.fd >= 0)
			close(w.fd);
		return ret;
	}
	return w.fd;
}
