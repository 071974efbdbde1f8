// SPDX-License-Identifier: GPL-2.0
/* Kernel side: entry and exit of ipt_do_table / ip6t_do_table. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "skbtracer.h"

#define MAX_NESTING 4
#define IPV6_MAX_EXT_HEADERS 8
/* A kretprobe sees the stack pointer a few words above the kprobe's (return address popped). */
#define SP_SLACK 64
#define MAC_HEADER_UNSET 0xffff
#define ARPHRD_ETHER 1
/* IPv6 next-header values (uapi/linux/in6.h: macros, so not in vmlinux.h). */
#define IPPROTO_HOPOPTS 0
#define IPPROTO_ROUTING 43
#define IPPROTO_FRAGMENT 44
#define IPPROTO_ICMPV6 58
#define IPPROTO_DSTOPTS 60

/* Set by user space before load. */
const volatile struct filter filter = {};
/* Ring buffer since 5.8 (commit 457f44363a88); perf buffer before. */
const volatile bool use_ringbuf = true;
/* (priv, skb, state) since 5.16, (skb, state, table) before: commit ae689334225f. */
const volatile bool new_prototype = true;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, COUNTER_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* An entry waiting for its exit. key identifies the call: skb (fexit) or stack pointer. */
struct pending_call {
	__u64 key;
	__u64 key2;
	struct event event;
};

/* Per-CPU stack of calls in progress: softirqs and targets such as REJECT nest calls. */
struct call_stack {
	__u32 depth;
	struct pending_call calls[MAX_NESTING];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct call_stack);
} call_stacks SEC(".maps");

/* On-the-wire headers: ABI, not kernel internals, so no CO-RE. */
struct ipv4_header {
	__u8 version_ihl;
	__u8 tos;
	__be16 tot_len;
	__be16 id;
	__be16 frag_off;
	__u8 ttl;
	__u8 protocol;
	__be16 check;
	__u8 saddr[4];
	__u8 daddr[4];
};

struct ipv6_header {
	__be32 version_class_label;
	__be16 payload_len;
	__u8 nexthdr;
	__u8 hop_limit;
	__u8 saddr[16];
	__u8 daddr[16];
};

struct l4_header {
	__be16 sport; /* ICMP: type, code */
	__be16 dport; /* ICMP: checksum */
	__be16 icmp_id;
	__be16 icmp_seq;
	__u8 tcp_unused[5];
	__u8 tcp_flags;
};

static __always_inline void count(enum counter which)
{
	__u32 key = which;
	__u64 *value = bpf_map_lookup_elem(&counters, &key);

	if (value)
		*value += 1;
}

static __always_inline bool iface_matches(struct net_device *dev)
{
	char name[IFNAME_LEN];

	if (!dev || bpf_probe_read_kernel_str(name, sizeof(name), dev->name) < 0)
		return false;
	for (int i = 0; i < IFNAME_LEN; i++) {
		if (name[i] != filter.iface[i])
			return false;
		if (!name[i])
			return true;
	}
	return true;
}

static __always_inline bool same_addr(const __u8 *addr, int len)
{
	for (int i = 0; i < 16; i++) {
		if (i < len && addr[i] != filter.addr[i])
			return false;
	}
	return true;
}

static __always_inline bool addr_matches(const struct event *e)
{
	int len = e->pf == PF_FAMILY_IPV4 ? 4 : 16;

	return filter.addr_family == e->pf && (same_addr(e->saddr, len) || same_addr(e->daddr, len));
}

static __always_inline bool packet_matches(const struct event *e)
{
	__u32 flags = filter.flags;
	bool ports = e->flags & EVENT_HAS_PORTS;

	if ((flags & FILTER_ADDR) && !addr_matches(e))
		return false;
	if ((flags & FILTER_PROTO) && e->l4proto != filter.l4proto)
		return false;
	if ((flags & FILTER_PORT) &&
	    !(ports && (e->sport == filter.port || e->dport == filter.port)))
		return false;
	if ((flags & FILTER_SPORT) && !(ports && e->sport == filter.sport))
		return false;
	if ((flags & FILTER_DPORT) && !(ports && e->dport == filter.dport))
		return false;
	if ((flags & FILTER_ICMPID) && !((e->flags & EVENT_HAS_ICMP) && e->icmp_id == filter.icmpid))
		return false;
	return true;
}

static __always_inline void parse_l4(struct event *e, const void *l4)
{
	struct l4_header h;

	if (bpf_probe_read_kernel(&h, sizeof(h), l4))
		return;
	switch (e->l4proto) {
	case IPPROTO_TCP:
		e->tcp_flags = h.tcp_flags;
		/* fallthrough */
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
		e->sport = bpf_ntohs(h.sport);
		e->dport = bpf_ntohs(h.dport);
		e->flags |= EVENT_HAS_PORTS;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		e->icmp_type = ((const __u8 *)&h.sport)[0];
		e->icmp_code = ((const __u8 *)&h.sport)[1];
		e->icmp_id = bpf_ntohs(h.icmp_id);
		e->icmp_seq = bpf_ntohs(h.icmp_seq);
		e->flags |= EVENT_HAS_ICMP;
		break;
	}
}

static __always_inline void parse_ipv4(struct event *e, const void *nh)
{
	struct ipv4_header ip;

	if (bpf_probe_read_kernel(&ip, sizeof(ip), nh))
		return;
	e->ip_len = bpf_ntohs(ip.tot_len);
	e->l4proto = ip.protocol;
	__builtin_memcpy(e->saddr, ip.saddr, 4);
	__builtin_memcpy(e->daddr, ip.daddr, 4);
	if (ip.frag_off & bpf_htons(0x1fff)) {
		e->flags |= EVENT_FRAGMENT;
		return;
	}
	parse_l4(e, nh + (ip.version_ihl & 0xf) * 4);
}

static __always_inline void parse_ipv6(struct event *e, const void *nh)
{
	struct ipv6_header ip;
	const void *next;
	__u8 nexthdr;

	if (bpf_probe_read_kernel(&ip, sizeof(ip), nh))
		return;
	e->ip_len = bpf_ntohs(ip.payload_len) + sizeof(ip);
	__builtin_memcpy(e->saddr, ip.saddr, 16);
	__builtin_memcpy(e->daddr, ip.daddr, 16);
	nexthdr = ip.nexthdr;
	next = nh + sizeof(ip);
	for (int i = 0; i < IPV6_MAX_EXT_HEADERS; i++) {
		__u8 ext[4];

		if (nexthdr != IPPROTO_HOPOPTS && nexthdr != IPPROTO_ROUTING &&
		    nexthdr != IPPROTO_DSTOPTS && nexthdr != IPPROTO_FRAGMENT &&
		    nexthdr != IPPROTO_AH)
			break;
		if (bpf_probe_read_kernel(ext, sizeof(ext), next))
			return;
		if (nexthdr == IPPROTO_FRAGMENT) {
			if ((ext[2] << 8 | ext[3]) & 0xfff8) {
				e->l4proto = ext[0];
				e->flags |= EVENT_FRAGMENT;
				return;
			}
			next += 8;
		} else if (nexthdr == IPPROTO_AH) {
			next += (ext[1] + 2) * 4;
		} else {
			next += (ext[1] + 1) * 8;
		}
		nexthdr = ext[0];
	}
	e->l4proto = nexthdr;
	parse_l4(e, next);
}

static __always_inline void read_dest_mac(struct event *e, struct sk_buff *skb)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 mac_header = BPF_CORE_READ(skb, mac_header);
	__u16 network_header = BPF_CORE_READ(skb, network_header);
	unsigned short dev_type = BPF_CORE_READ(skb, dev, type);

	/* Locally generated packets have no link-layer header yet. */
	if (mac_header == MAC_HEADER_UNSET || dev_type != ARPHRD_ETHER ||
	    network_header - mac_header < 14)
		return;
	if (!bpf_probe_read_kernel(e->dest_mac, sizeof(e->dest_mac), head + mac_header))
		e->flags |= EVENT_HAS_MAC;
}

/* Fills *e from the call's arguments; returns false when the filter rejects the packet. */
static __always_inline bool fill_event(struct event *e, struct sk_buff *skb,
				       const struct nf_hook_state *state, const void *table,
				       __u8 pf)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct net_device *in, *out;
	unsigned char *head;

	if ((filter.flags & FILTER_PID) && tgid != filter.pid)
		return false;
	e->netns = BPF_CORE_READ(state, net, ns.inum);
	if ((filter.flags & FILTER_NETNS) && e->netns != filter.netns)
		return false;
	in = BPF_CORE_READ(state, in);
	out = BPF_CORE_READ(state, out);
	if ((filter.flags & FILTER_IFACE) && !iface_matches(in) && !iface_matches(out))
		return false;

	e->pf = pf;
	head = BPF_CORE_READ(skb, head);
	if (pf == PF_FAMILY_IPV4)
		parse_ipv4(e, head + BPF_CORE_READ(skb, network_header));
	else
		parse_ipv6(e, head + BPF_CORE_READ(skb, network_header));
	if (!packet_matches(e))
		return false;

	e->ts_ns = bpf_ktime_get_ns();
	e->skb = (__u64)skb;
	e->pid = tgid;
	e->cpu = bpf_get_smp_processor_id();
	e->hook = BPF_CORE_READ_BITFIELD_PROBED(state, hook);
	e->pkt_type = BPF_CORE_READ_BITFIELD_PROBED(skb, pkt_type);
	bpf_probe_read_kernel_str(e->ifname, sizeof(e->ifname), in ? in->name : out->name);
	bpf_probe_read_kernel_str(e->table, sizeof(e->table),
				  ((const struct xt_table *)table)->name);
	read_dest_mac(e, skb);
	return true;
}

static __always_inline int on_entry(__u64 key, __u64 key2, struct sk_buff *skb,
				    const struct nf_hook_state *state, const void *table, __u8 pf)
{
	__u32 zero = 0;
	struct call_stack *stack = bpf_map_lookup_elem(&call_stacks, &zero);
	struct pending_call *call;
	__u32 depth;

	if (!stack)
		return 0;
	depth = stack->depth;
	if (depth >= MAX_NESTING) {
		count(COUNTER_UNPAIRED);
		return 0;
	}
	call = &stack->calls[depth];
	__builtin_memset(&call->event, 0, sizeof(call->event));
	if (!fill_event(&call->event, skb, state, table, pf))
		return 0;
	call->key = key;
	call->key2 = key2;
	stack->depth = depth + 1;
	return 0;
}

/*
 * Finds the pending call this exit belongs to, from the top of the stack down. Exits of calls
 * the filter rejected find nothing. Calls above the match lost their exit: counted, dropped.
 */
static __always_inline void send_event(void *ctx, struct event *e)
{
	long ret;

	if (use_ringbuf)
		ret = bpf_ringbuf_output(&events, e, sizeof(*e), 0);
	else
		ret = bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, e, sizeof(*e));
	if (ret)
		count(COUNTER_LOST);
}

static __always_inline int on_exit(void *ctx, __u64 key, __u64 key2, bool key_is_stack_pointer,
				   __u32 verdict)
{
	__u32 zero = 0;
	struct call_stack *stack = bpf_map_lookup_elem(&call_stacks, &zero);
	struct pending_call *call;
	__u32 depth, i;

	if (!stack)
		return 0;
	depth = stack->depth;
	for (i = 1; i <= MAX_NESTING; i++) {
		if (i > depth)
			return 0;
		call = &stack->calls[(depth - i) & (MAX_NESTING - 1)];
		if (key_is_stack_pointer ? key >= call->key && key - call->key <= SP_SLACK
					 : key == call->key && key2 == call->key2)
			break;
	}
	if (i > MAX_NESTING)
		return 0;
	for (__u32 lost = 1; lost < i; lost++)
		count(COUNTER_UNPAIRED);
	stack->depth = depth - i;
	call->event.verdict = verdict;
	call->event.cost_ns = bpf_ktime_get_ns() - call->event.ts_ns;
	send_event(ctx, &call->event);
	return 0;
}

/* Arguments in the order of the running kernel's prototype. */
#define ARGS_SKB(a, b) ((struct sk_buff *)(new_prototype ? (b) : (a)))
#define ARGS_STATE(b, c) ((const struct nf_hook_state *)(new_prototype ? (c) : (b)))
#define ARGS_TABLE(a, c) ((const void *)(new_prototype ? (a) : (c)))

static __always_inline int entry(__u64 key, bool key_is_skb, __u64 a, __u64 b, __u64 c, __u8 pf)
{
	struct sk_buff *skb = ARGS_SKB(a, b);
	const void *table = ARGS_TABLE(a, c);

	return on_entry(key_is_skb ? (__u64)skb : key, key_is_skb ? (__u64)table : 0, skb,
			ARGS_STATE(b, c), table, pf);
}

SEC("fentry/ipt_do_table")
int BPF_PROG(fentry_ipt_do_table, __u64 a, __u64 b, __u64 c)
{
	return entry(0, true, a, b, c, PF_FAMILY_IPV4);
}

SEC("fexit/ipt_do_table")
int BPF_PROG(fexit_ipt_do_table, __u64 a, __u64 b, __u64 c, unsigned int verdict)
{
	return on_exit(ctx, (__u64)ARGS_SKB(a, b), (__u64)ARGS_TABLE(a, c), false, verdict);
}

SEC("fentry/ip6t_do_table")
int BPF_PROG(fentry_ip6t_do_table, __u64 a, __u64 b, __u64 c)
{
	return entry(0, true, a, b, c, PF_FAMILY_IPV6);
}

SEC("fexit/ip6t_do_table")
int BPF_PROG(fexit_ip6t_do_table, __u64 a, __u64 b, __u64 c, unsigned int verdict)
{
	return on_exit(ctx, (__u64)ARGS_SKB(a, b), (__u64)ARGS_TABLE(a, c), false, verdict);
}

SEC("kprobe/ipt_do_table")
int BPF_KPROBE(kprobe_ipt_do_table, __u64 a, __u64 b, __u64 c)
{
	return entry(PT_REGS_SP(ctx), false, a, b, c, PF_FAMILY_IPV4);
}

SEC("kretprobe/ipt_do_table")
int BPF_KRETPROBE(kretprobe_ipt_do_table, unsigned int verdict)
{
	return on_exit(ctx, PT_REGS_SP(ctx), 0, true, verdict);
}

SEC("kprobe/ip6t_do_table")
int BPF_KPROBE(kprobe_ip6t_do_table, __u64 a, __u64 b, __u64 c)
{
	return entry(PT_REGS_SP(ctx), false, a, b, c, PF_FAMILY_IPV6);
}

SEC("kretprobe/ip6t_do_table")
int BPF_KRETPROBE(kretprobe_ip6t_do_table, unsigned int verdict)
{
	return on_exit(ctx, PT_REGS_SP(ctx), 0, true, verdict);
}

char LICENSE[] SEC("license") = "GPL";
