/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Shared by exec_trace.bpf.c and loader.c: one ring buffer record. */
#ifndef EXEC_TRACE_H
#define EXEC_TRACE_H

struct exec_event {
	unsigned int pid;
	unsigned int ppid;
	char comm[16];
};

#endif
