/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A small JSON writer for --json: one compact object per run, as
 * bpftool -j prints. It places the commas and colons; strings are escaped
 * and always come out as valid UTF-8 (bytes that are not UTF-8, as a file
 * name may hold, become U+FFFD).
 */
#ifndef D2B_JSON_H
#define D2B_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	int depth;
	bool first[JSON_MAX_DEPTH];	/* nothing written yet at this level */
	bool after_key;
};

void json__init(struct json *j, FILE *out);
void json__begin_object(struct json *j);
/* Ends an object; at the outermost level also ends the line. */
void json__end_object(struct json *j);
void json__begin_array(struct json *j);
void json__end_array(struct json *j);
void json__key(struct json *j, const char *key);
void json__string(struct json *j, const char *s);
void json__uint(struct json *j, uint64_t v);
/* Fixed-point with @decimals digits; null when not finite. */
void json__double(struct json *j, double v, int decimals);
void json__bool(struct json *j, bool v);

/* Shorthands for "key": value. */
void json__key_string(struct json *j, const char *key, const char *s);
void json__key_uint(struct json *j, const char *key, uint64_t v);

#endif
