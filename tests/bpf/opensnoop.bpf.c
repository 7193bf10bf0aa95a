// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * opensnoop-like: openat() entry and exit, matched by thread id; the file
 * name, flags, the return value, and the opener's mount namespace.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define NAME_LEN 256

struct open_args {
	const char *fname;
	int flags;
};

struct open_event {
	__u64 mntns;
	__u32 pid;
	int flags;
	int ret;
	char fname[NAME_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct open_args);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
int tp_openat_enter(struct trace_event_raw_sys_enter *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct open_args args = {
		.fname = (const char *)ctx->args[1],
		.flags = (int)ctx->args[2],
	};

	bpf_map_update_elem(&start, &tid, &args, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int tp_openat_exit(struct trace_event_raw_sys_exit *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct open_event e = {};
	struct open_args *ap;

	ap = bpf_map_lookup_elem(&start, &tid);
	if (!ap)
		return 0;
	e.pid = id >> 32;
	e.flags = ap->flags;
	e.ret = (int)ctx->ret;
	e.mntns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	bpf_probe_read_user_str(e.fname, sizeof(e.fname), ap->fname);
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	bpf_map_delete_elem(&start, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
