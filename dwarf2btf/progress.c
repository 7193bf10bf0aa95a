// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Progress line on a terminal. Everything that touches the line or the
 * state behind it does so holding the terminal stream's own lock
 * (flockfile), because the convert stage calls in from its workers (under
 * its own lock, one at a time) while other workers may be writing log
 * lines through p->log.
 */
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include "progress.h"

/* Redraws of the CU count at most this often, in seconds. */
#define PROGRESS_INTERVAL 0.1

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* With p->out locked. */
static void clear_locked(struct progress *p)
{
	size_t i;

	if (!p->shown)
		return;
	fputc('\r', p->out);
	for (i = 0; i < p->shown; i++)
		fputc(' ', p->out);
	fputc('\r', p->out);
	fflush(p->out);
	p->shown = 0;
}

/* With p->out locked. */
static void draw_locked(struct progress *p)
{
	char line[128];
	size_t len;
	int n;

	if (!p->stage)
		return;
	if (p->total)
		n = snprintf(line, sizeof(line), "dwarf2btf: %s, %zu/%zu %s (%zu%%)", p->stage,
			     p->done, p->total, p->bytes ? "MB" : "CUs", p->done * 100 / p->total);
	else if (p->bytes)
		n = snprintf(line, sizeof(line), "dwarf2btf: %s, %zu MB", p->stage, p->done);
	else
		n = snprintf(line, sizeof(line), "dwarf2btf: %s", p->stage);
	if (n < 0)
		return;
	len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
	fputc('\r', p->out);
	fputs(line, p->out);
	/* cover what is left of a longer line drawn before */
	while (len < p->shown) {
		fputc(' ', p->out);
		len++;
	}
	fflush(p->out);
	p->shown = len;
	p->last_draw = mono_now();
}

/* A log line clears the progress line, goes out, and the line comes back. */
static ssize_t log_write(void *cookie, const char *buf, size_t size)
{
	struct progress *p = cookie;
	size_t n;

	flockfile(p->out);
	clear_locked(p);
	n = fwrite(buf, 1, size, p->out);
	if (size && buf[size - 1] == '\n')
		draw_locked(p);
	funlockfile(p->out);
	return size && !n ? -1 : (ssize_t)n;
}

void progress__init(struct progress *p, FILE *out, bool enabled)
{
	cookie_io_functions_t io = { .write = log_write };

	memset(p, 0, sizeof(*p));
	p->log = out;
	if (!enabled)
		return;
	p->cookie = fopencookie(p, "w", io);
	if (!p->cookie)
		return;		/* no display rather than log lines run together */
	setvbuf(p->cookie, NULL, _IOLBF, BUFSIZ);
	p->out = out;
	p->log = p->cookie;
}

void progress__stage(struct progress *p, const char *stage)
{
	if (!p->out)
		return;
	flockfile(p->out);
	if (p->bytes) {
		/* a count of bytes belongs to the stage that made it */
		p->bytes = false;
		p->done = p->total = 0;
	}
	p->stage = stage;
	draw_locked(p);
	funlockfile(p->out);
}

void progress__cus(void *ctx, size_t done, size_t total)
{
	struct progress *p = ctx;

	if (!p->out)
		return;
	flockfile(p->out);
	p->bytes = false;
	p->done = done;
	p->total = total;
	if (done == total || mono_now() - p->last_draw >= PROGRESS_INTERVAL)
		draw_locked(p);
	funlockfile(p->out);
}

void progress__end(struct progress *p)
{
	FILE *out = p->out;

	if (!out)
		return;
	if (p->cookie) {
		fclose(p->cookie);	/* flushes through log_write */
		p->cookie = NULL;
	}
	flockfile(out);
	clear_locked(p);
	funlockfile(out);
	p->out = NULL;
	p->log = out;
}

void progress__bytes(void *ctx, uint64_t done, uint64_t total)
{
	struct progress *p = ctx;

	if (!p->out)
		return;
	flockfile(p->out);
	p->bytes = true;
	p->done = (size_t)(done / 1000000);
	p->total = (size_t)(total / 1000000);
	if (mono_now() - p->last_draw >= PROGRESS_INTERVAL)
		draw_locked(p);
	funlockfile(p->out);
}
