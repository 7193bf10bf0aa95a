/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The unit tests' one assertion: prints "PASS: name" or "FAIL: name: why"
 * (the protocol tests/run.sh counts) and remembers failures for the exit
 * status. Each test is one translation unit, so static is enough.
 */
#ifndef D2B_TEST_CHECK_H
#define D2B_TEST_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int failures;
static bool last_failed;	/* the latest check failed */

__attribute__((format(printf, 3, 4), unused))
static void check(bool ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	last_failed = !ok;
	if (ok) {
		printf("PASS: %s\n", name);
		return;
	}
	failures++;
	printf("FAIL: %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#endif
