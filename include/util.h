/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Small helpers shared by every stage: buffer growth, hashing, reading words. */
#ifndef D2B_UTIL_H
#define D2B_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * The stages' error path: formats a message (lowercase, no full stop) into
 * @err of @errlen bytes, if any, and returns @ret (a negative errno).
 */
__attribute__((format(printf, 4, 5)))
static inline int err_printf(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

/*
 * Make room for @need elements of @elem bytes in *@buf, whose capacity in
 * elements is *@cap. Grows by half again, checking every multiplication.
 */
static inline int grow_buf(void **buf, size_t *cap, size_t elem, size_t need)
{
	size_t ncap;
	void *p;

	if (need <= *cap)
		return 0;
	ncap = *cap + *cap / 2;
	if (ncap < need)
		ncap = need;
	if (ncap < 16)
		ncap = 16;
	if (ncap > SIZE_MAX / elem)
		return -ENOMEM;
	p = realloc(*buf, ncap * elem);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = ncap;
	return 0;
}

/*
 * calloc() for a table that is read before it is written (hash tables,
 * maps by node). calloc() leaves fresh pages unwritten, so the first read
 * maps the zero page and the first store faults again and flushes the
 * other threads' TLBs, an interprocessor interrupt each time. Written here,
 * each page faults once.
 */
static inline void *zalloc(size_t nr, size_t elem)
{
	volatile char *p = calloc(nr, elem);
	size_t off;

	/* a store, not a memset(): compilers make malloc() and memset() a calloc() */
	for (off = 0; p && off < nr * elem; off += 4096)
		p[off] = 0;
	return (void *)p;
}

/* Bit @i of the bitmap @bits. */
static inline bool bit_test(const uint64_t *bits, uint32_t i)
{
	return bits[i / 64] >> (i % 64) & 1;
}

/* Sets bit @i; returns whether it was set. */
static inline bool bit_test_set(uint64_t *bits, uint32_t i)
{
	uint64_t m = 1ULL << (i % 64);
	bool was = bits[i / 64] & m;

	bits[i / 64] |= m;
	return was;
}

static inline uint64_t hash_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h *= 0xff51afd7ed558ccdULL;
	return h ^ (h >> 32);
}

static inline uint64_t hash_bytes(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = seed ^ (len * 0xc6a4a7935bd1e995ULL);

	while (len >= 8) {
		uint64_t v;

		memcpy(&v, p, 8);
		h = hash_mix(h, v);
		p += 8;
		len -= 8;
	}
	if (len) {
		uint64_t v = 0;

		memcpy(&v, p, len);
		h = hash_mix(h, v);
	}
	return h;
}

/* An unsigned value of @n bytes (at most 8) at @p, in either byte order. */
static inline uint64_t read_fixed(const unsigned char *p, unsigned int n, bool little_endian)
{
	uint64_t v = 0;
	unsigned int i;

	/* DWARF references are mostly 4 bytes: spelt out, this is one load */
	if (n == 4 && little_endian)
		return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
		       (uint64_t)p[3] << 24;
	if (n == 4)
		return (uint64_t)p[3] | (uint64_t)p[2] << 8 | (uint64_t)p[1] << 16 |
		       (uint64_t)p[0] << 24;
	for (i = 0; i < n; i++)
		v |= (uint64_t)p[little_endian ? i : n - 1 - i] << (8 * i);
	return v;
}

#endif
