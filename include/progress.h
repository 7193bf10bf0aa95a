/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A one-line progress display on a terminal: the stage and the compile
 * units converted so far, redrawn in place with '\r' at most ten times a
 * second and cleared at the end. The CLI owns one struct progress and
 * passes it down; the stages never draw themselves.
 *
 * Log lines (-v) written to progress->log while the line is shown clear
 * it first, so that they do not run into it; the line is drawn again at
 * the next update.
 */
#ifndef D2B_PROGRESS_H
#define D2B_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct progress {
	FILE *out;		/* the terminal; NULL: draw nothing */
	FILE *log;		/* for the stages' log lines: @out, or through it */
	FILE *cookie;		/* the stream behind @log when it clears the line */
	const char *stage;
	size_t done, total;	/* compile units, or MB when @bytes */
	bool bytes;
	double last_draw;	/* monotonic seconds; 0: draw at the next update */
	size_t shown;		/* characters of the line on the terminal now */
};

/*
 * Starts a display on @out when @enabled (the caller decides: a terminal
 * and no --quiet); otherwise, or when the log stream cannot be made,
 * p->log is @out and nothing is ever drawn.
 */
void progress__init(struct progress *p, FILE *out, bool enabled);
/* Names the current stage ("reading", "converting", ...) and draws. */
void progress__stage(struct progress *p, const char *stage);
/*
 * @done of @total compile units converted; the shape of the convert
 * stage's progress callback, so @ctx is the struct progress.
 */
void progress__cus(void *ctx, size_t done, size_t total);
/*
 * @done of @total bytes (0: unknown) unpacked or downloaded; the shape of
 * the package and debuginfod stages' callbacks.
 */
void progress__bytes(void *ctx, uint64_t done, uint64_t total);
/* Clears the line and closes p->log's stream if it made one. */
void progress__end(struct progress *p);

#endif
