/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A set of NUL-terminated strings stored back to back in one buffer, as
 * BTF's string section wants them. Adding a string that is already there
 * returns the offset of the first copy. Offset 0 is always "".
 */
#ifndef D2B_STRSET_H
#define D2B_STRSET_H

#include <stddef.h>
#include <stdint.h>

struct strset;

struct strset *strset__new(void);
/*
 * A set holding exactly the @len bytes at @data, a BTF string section
 * (first and last byte NUL), so that every offset into it keeps its
 * meaning; each string is indexed at the offset where it starts. -EINVAL
 * if @data is not such a section.
 */
int strset__new_raw(const char *data, size_t len, struct strset **out);
void strset__free(struct strset *set);

/* Offset of @str (length @len, no NUL inside) in the set, or -errno. */
int64_t strset__add_len(struct strset *set, const char *str, size_t len);
int64_t strset__add(struct strset *set, const char *str);
/* Offset of @str if present, else -ENOENT. */
int64_t strset__find(const struct strset *set, const char *str);

const char *strset__str(const struct strset *set, uint32_t off);
const char *strset__data(const struct strset *set, uint32_t *size);
uint32_t strset__size(const struct strset *set);

#endif
