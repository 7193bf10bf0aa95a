// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * loader OBJ PROGRAM [ARGS...]: the end-to-end test's BPF loader, linked
 * statically against the system libbpf and run inside the test kernel.
 *
 * Opens and loads OBJ (exec_trace.bpf.o) with no custom BTF path, so
 * libbpf looks for the kernel's BTF where it always does
 * (/sys/kernel/btf/vmlinux, then /boot/vmlinux-$(uname -r), ...), attaches
 * its kprobe, then runs PROGRAM as its own child and waits for the
 * child's exec event. Prints
 *   loader: event pid=N ppid=N comm=NAME          for each event seen
 *   loader: ok comm=NAME ppid=N                    and exits 0 when the
 * child's event has the child's comm (basename of PROGRAM) and this
 * process as parent; otherwise explains and exits 1. libbpf's own
 * messages go to stderr.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "exec_trace.h"

static pid_t child;
static int found;
static struct exec_event seen;

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static int on_event(void *ctx, void *data, size_t len)
{
	const struct exec_event *e = data;

	(void)ctx;
	if (len < sizeof(*e))
		return 0;
	printf("loader: event pid=%u ppid=%u comm=%.16s\n", e->pid, e->ppid, e->comm);
	if (child && e->pid == (unsigned int)child) {
		seen = *e;
		found = 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_link *link;
	struct ring_buffer *rb;
	char want_comm[16];
	int err, i, status;

	if (argc < 3) {
		fprintf(stderr, "usage: loader OBJ PROGRAM [ARGS...]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(print_libbpf);

	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		printf("loader: cannot open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	err = bpf_object__load(obj);
	if (err) {
		printf("loader: load failed: %s\n", strerror(-err));
		return 1;
	}
	prog = bpf_object__next_program(obj, NULL);
	link = prog ? bpf_program__attach(prog) : NULL;
	if (!link) {
		printf("loader: attach failed: %s\n", strerror(errno));
		return 1;
	}
	rb = ring_buffer__new(bpf_object__find_map_fd_by_name(obj, "events"), on_event, NULL, NULL);
	if (!rb) {
		printf("loader: ring buffer: %s\n", strerror(errno));
		return 1;
	}

	fflush(NULL);
	child = fork();
	if (child < 0) {
		printf("loader: fork: %s\n", strerror(errno));
		return 1;
	}
	if (!child) {
		execv(argv[2], argv + 2);
		_exit(127);
	}
	waitpid(child, &status, 0);
	for (i = 0; i < 50 && !found; i++)
		ring_buffer__poll(rb, 100);

	snprintf(want_comm, sizeof(want_comm), "%s", basename(argv[2]));
	if (!found) {
		printf("loader: no exec event for child %d\n", (int)child);
		return 1;
	}
	if (strncmp(seen.comm, want_comm, sizeof(seen.comm)) ||
	    seen.ppid != (unsigned int)getpid()) {
		printf("loader: wrong event: comm=%.16s ppid=%u, want comm=%s ppid=%d\n",
		       seen.comm, seen.ppid, want_comm, (int)getpid());
		return 1;
	}
	printf("loader: ok comm=%.16s ppid=%u pid=%u\n", seen.comm, seen.ppid, seen.pid);
	ring_buffer__free(rb);
	bpf_link__destroy(link);
	bpf_object__close(obj);
	return 0;
}
