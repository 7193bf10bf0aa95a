/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The unit tests' one assertion: prints "PASS: name" or "FAIL: name: why"
 * (the protocol tests/run.sh counts) and remembers failures for the exit
 * status; and die() for a test whose setup fails. Each test is one
 * translation unit, so static is enough.
 */
#ifndef D2B_TEST_CHECK_H
#define D2B_TEST_CHECK_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

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

/* The setup failed (out of memory, a fixture unreadable): not a test result. */
__attribute__((noreturn, unused))
static void die(const char *what)
{
	fprintf(stderr, "%s: %s\n", program_invocation_short_name, what);
	exit(2);
}

#endif
