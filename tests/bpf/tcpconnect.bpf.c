// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * tcpconnect-like: tcp_v4_connect() and tcp_v6_connect() entry and
 * return; addresses and ports from struct sock_common (fields inside
 * anonymous unions and structs), the IPv6 address, and a bitfield.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#define AF_INET 2
#define AF_INET6 10

struct conn_event {
	__u8 saddr[16];
	__u8 daddr[16];
	__u32 pid;
	__u16 dport;
	__u16 sport;
	__u16 family;
	__u8 reuse;
	__u8 state;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct sock *);
} sockets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} events SEC(".maps");

static __always_inline int enter(struct sock *sk)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_update_elem(&sockets, &tid, &sk, BPF_ANY);
	return 0;
}

static __always_inline int leave(int ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct conn_event *e;
	struct sock **skp;
	struct sock *sk;

	skp = bpf_map_lookup_elem(&sockets, &tid);
	if (!skp)
		return 0;
	sk = *skp;
	bpf_map_delete_elem(&sockets, &tid);
	if (ret)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	e->dport = BPF_CORE_READ(sk, __sk_common.skc_dport);
	e->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->state = BPF_CORE_READ(sk, __sk_common.skc_state);
	e->reuse = BPF_CORE_READ_BITFIELD_PROBED(&sk->__sk_common, skc_reuse);
	if (e->family == AF_INET) {
		BPF_CORE_READ_INTO(e->saddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO(e->daddr, sk, __sk_common.skc_daddr);
	} else {
		BPF_CORE_READ_INTO(e->saddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr32);
		BPF_CORE_READ_INTO(e->daddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr32);
	}
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("kprobe/tcp_v4_connect")
int BPF_KPROBE(tcp_v4_connect_entry, struct sock *sk)
{
	return enter(sk);
}

SEC("kretprobe/tcp_v4_connect")
int BPF_KRETPROBE(tcp_v4_connect_ret, int ret)
{
	return leave(ret);
}

SEC("kprobe/tcp_v6_connect")
int BPF_KPROBE(tcp_v6_connect_entry, struct sock *sk)
{
	return enter(sk);
}

SEC("kretprobe/tcp_v6_connect")
int BPF_KRETPROBE(tcp_v6_connect_ret, int ret)
{
	return leave(ret);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
