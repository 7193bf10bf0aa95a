// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * biolatency-like: block request issue to completion, as a log2
 * histogram per disk; reads struct request, its block_device and gendisk.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define MAX_SLOTS 27
#define REQ_OP_BITS 8
#define REQ_OP_MASK ((1 << REQ_OP_BITS) - 1)

struct hist_key {
	__u32 dev;
	__u32 op;
};

struct hist {
	__u64 slots[MAX_SLOTS];
	__u64 bytes;
	char disk[32];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, struct request *);
	__type(value, __u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct hist_key);
	__type(value, struct hist);
} hists SEC(".maps");

static __always_inline __u32 log2l(__u64 v)
{
	__u32 r = 0;

	while (v > 1 && r < MAX_SLOTS - 1) {
		v >>= 1;
		r++;
	}
	return r;
}

SEC("raw_tp/block_rq_issue")
int BPF_PROG(rq_issue, struct request *rq)
{
	__u64 ts = bpf_ktime_get_ns();

	bpf_map_update_elem(&start, &rq, &ts, BPF_ANY);
	return 0;
}

SEC("raw_tp/block_rq_complete")
int BPF_PROG(rq_complete, struct request *rq, int error, unsigned int nr_bytes)
{
	struct hist_key key = {};
	struct hist zero = {}, *h;
	struct gendisk *disk;
	__u64 *tsp, delta;

	tsp = bpf_map_lookup_elem(&start, &rq);
	if (!tsp)
		return 0;
	delta = (bpf_ktime_get_ns() - *tsp) / 1000;
	bpf_map_delete_elem(&start, &rq);
	key.dev = BPF_CORE_READ(rq, part, bd_dev);
	key.op = BPF_CORE_READ(rq, cmd_flags) & REQ_OP_MASK;
	h = bpf_map_lookup_elem(&hists, &key);
	if (!h) {
		bpf_map_update_elem(&hists, &key, &zero, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&hists, &key);
		if (!h)
			return 0;
		disk = BPF_CORE_READ(rq, q, disk);
		BPF_CORE_READ_STR_INTO(&h->disk, disk, disk_name);
	}
	__sync_fetch_and_add(&h->slots[log2l(delta)], 1);
	__sync_fetch_and_add(&h->bytes, (__u64)BPF_CORE_READ(rq, __data_len));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
