// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * runqlat-like: time from wakeup to running, per pid namespace level; the
 * task state field was renamed (state -> __state in 5.14), which real
 * tools handle with a ___flavor struct and bpf_core_field_exists().
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define TASK_RUNNING 0
#define MAX_SLOTS 26

/* the layout before 5.14 */
struct task_struct___o {
	volatile long state;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} start SEC(".maps");

__u64 hist[MAX_SLOTS] = {};

static __always_inline long task_state(struct task_struct *t)
{
	struct task_struct___o *o = (void *)t;

	if (bpf_core_field_exists(o->state))
		return BPF_CORE_READ(o, state);
	return BPF_CORE_READ(t, __state);
}

static __always_inline int enqueue(struct task_struct *p)
{
	__u32 pid = BPF_CORE_READ(p, pid);
	__u64 ts = bpf_ktime_get_ns();

	if (!pid)
		return 0;
	bpf_map_update_elem(&start, &pid, &ts, BPF_ANY);
	return 0;
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(sched_wakeup, struct task_struct *p)
{
	return enqueue(p);
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new, struct task_struct *p)
{
	return enqueue(p);
}

SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	__u64 *tsp, delta;
	__u32 pid, slot = 0;

	if (task_state(prev) == TASK_RUNNING)
		enqueue(prev);
	pid = BPF_CORE_READ(next, pid);
	tsp = bpf_map_lookup_elem(&start, &pid);
	if (!tsp)
		return 0;
	delta = (bpf_ktime_get_ns() - *tsp) / 1000;
	while (delta > 1 && slot < MAX_SLOTS - 1) {
		delta >>= 1;
		slot++;
	}
	/* the pid namespace level, deep inside task_struct */
	if (BPF_CORE_READ(next, thread_pid, level) < 8)
		__sync_fetch_and_add(&hist[slot], 1);
	bpf_map_delete_elem(&start, &pid);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
