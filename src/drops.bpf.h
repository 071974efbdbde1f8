/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Drops anywhere in the kernel: the skb:kfree_skb tracepoint, for the packets the user traces.
 * The kfree_skb programs (skbtracer.bpf.c: tp_btf, or raw_tracepoint where the kernel's BTF is
 * not at hand, shared with the end of tracking) call send_drop(), so the table programs'
 * verifier budget is untouched; the table exit only calls note_drop_verdict(). Included by
 * skbtracer.bpf.c after the packet parser, send_event() and track.bpf.h.
 */
#ifndef DROPS_BPF_H
#define DROPS_BPF_H

#define NF_DROP_CODE 0
#define NF_STOLEN_CODE 2
#define NF_CODE_MASK 0xff
#define NO_CONSUMED_REASON 0xffffffff

/* Set by user space before load. */
const volatile bool report_drops = false;    /* off with --no-drops, or refused by the kernel */
const volatile bool drop_has_reason = false; /* kfree_skb's third argument (5.17+) */
/* SKB_CONSUMED where the enum has it: a normal free, never a drop (6.3+ send it elsewhere). */
const volatile __u32 drop_consumed_reason = NO_CONSUMED_REASON;
const volatile bool stack_traces = false; /* --stack */
/* kprobes on a kernel whose kretprobe stacks stop at the trampoline (before 5.15): entry's */
const volatile bool stack_at_entry = false;

/* skb → the DROP verdict a table call of this run gave it, until the skb is freed. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct drop_tie_info);
} dropped_by_verdict SEC(".maps");

/* --stack: kernel stacks of drops and DROP verdicts (max_entries 1 without it). */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, STACK_ENTRIES);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

/* The freed packet parsed as a table call's would be, and the event being built. */
struct drop_work {
	struct event parsed;
	struct drop_event out;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct drop_work);
} drop_work SEC(".maps");

static __always_inline __s32 stack_id(void *ctx)
{
	long id;

	if (!stack_traces)
		return NO_STACK;
	id = bpf_get_stackid(ctx, &stacks, 0);
	if (id < 0) {
		count(COUNTER_STACK_LOST);
		return NO_STACK;
	}
	return id;
}

static __always_inline bool drop_verdict(__u32 verdict)
{
	__u32 code = verdict & NF_CODE_MASK;

	/* NF_STOLEN with an errno: nftables (6.x) dropped and freed the skb itself */
	return code == NF_DROP_CODE || (code == NF_STOLEN_CODE && verdict >> 16);
}

/* Copies a name of the call's event: true when it was longer (its byte DROP_NAME_LEN - 1 is no NUL). */
static __always_inline bool copy_name(char *dst, const char *src)
{
	return bpf_probe_read_kernel_str(dst, DROP_NAME_LEN, src) == DROP_NAME_LEN &&
	       src[DROP_NAME_LEN - 1];
}

static __always_inline void tie_from_call(struct drop_tie_info *t, const struct event *e, __u8 tie)
{
	t->call_ts_ns = e->ts_ns;
	t->verdict = e->verdict;
	t->tie = tie;
	t->engine = e->engine;
	t->family = e->family;
	t->hook = e->hook;
	if (e->engine == ENGINE_NFTABLES) {
		t->cut = (copy_name(t->table, e->table) ? DROP_CUT_TABLE : 0) |
			 (copy_name(t->chain, e->chain) ? DROP_CUT_CHAIN : 0);
	} else {
		copy_name(t->table, e->legacy_table); /* at most 31 bytes */
		t->cut = 0;
		t->chain[0] = '\0';
	}
}

/* At a traced table call's entry: its stack, kept for a DROP verdict where exits cannot take it. */
static __always_inline void note_entry_stack(void *ctx, struct event *e)
{
	e->stack_id = stack_at_entry ? stack_id(ctx) : NO_STACK;
}

/*
 * At a traced table call's exit: its stack (--stack) for a DROP verdict, and the skb noted so
 * the kfree_skb that follows is told it was this verdict's.
 */
static __always_inline void note_drop_verdict(void *ctx, struct event *e)
{
	struct drop_tie_info tie;

	if (!drop_verdict(e->verdict)) {
		e->stack_id = NO_STACK;
		return;
	}
	if (!stack_at_entry)
		e->stack_id = stack_id(ctx);
	if (!report_drops || (e->verdict & NF_CODE_MASK) != NF_DROP_CODE) /* already freed */
		return;
	__builtin_memset(&tie, 0, sizeof(tie));
	tie_from_call(&tie, e, DROP_TIE_AFTER);
	bpf_map_update_elem(&dropped_by_verdict, &e->skb, &tie, BPF_ANY);
}

/* A traced table call of this skb still running on this CPU (it frees the skb itself). */
static __always_inline struct pending_call *running_call(__u64 skb)
{
	__u32 zero = 0;
	struct call_stack *stack = bpf_map_lookup_elem(&call_stacks, &zero);

	if (!stack)
		return NULL;
	for (__u32 i = 0; i < MAX_NESTING; i++) {
		struct pending_call *call = &stack->calls[i];

		if (i < stack->depth && call->event.skb == skb && !call->silent)
			return call;
	}
	return NULL;
}

/* Ethertype of a freed skb: skb->protocol, set by the receive and output paths. */
static __always_inline __u16 drop_l3proto(struct sk_buff *skb)
{
	return bpf_ntohs(BPF_CORE_READ(skb, protocol));
}

static __always_inline __u32 drop_netns(struct sk_buff *skb)
{
	struct net_device *dev = BPF_CORE_READ(skb, dev);

	if (dev)
		return BPF_CORE_READ(dev, nd_net.net, ns.inum);
	return BPF_CORE_READ(skb, sk, __sk_common.skc_net.net, ns.inum);
}

/* Parses the packet at its network header into w->parsed, as fill_packet() does. */
static __always_inline void drop_parse(struct drop_work *w, struct sk_buff *skb, __u16 l3proto)
{
	struct event *e = &w->parsed;

	parse_packet(packet_of(e), skb, l3proto);
	e->pkt_type = BPF_CORE_READ_BITFIELD_PROBED(skb, pkt_type);
}

/* The filter's tests of where to look (pid, netns, interface): tracked packets pass them too. */
static __always_inline bool drop_where_matches(struct sk_buff *skb)
{
	__u32 flags = filter.flags;

	if ((flags & FILTER_PID) && bpf_get_current_pid_tgid() >> 32 != filter.pid)
		return false;
	if ((flags & FILTER_NETNS) && drop_netns(skb) != filter.netns)
		return false;
	if ((flags & FILTER_IFACE) && !iface_matches(BPF_CORE_READ(skb, dev), false))
		return false;
	return true;
}

/* The filter's tests of the packet's contents, on the packet as it is when freed. */
static __always_inline bool drop_contents_match(struct sk_buff *skb)
{
	__u32 zero = 0;
	__u16 l3proto = drop_l3proto(skb);
	struct drop_work *w;

	if (pcap_enabled &&
	    !pcap_filter_matches_pf(
		    skb, l3proto == ETHERTYPE_IPV6 ? PF_FAMILY_IPV6 : PF_FAMILY_IPV4, l3proto))
		return false;
	if (!(filter.flags & ~(FILTER_PID | FILTER_NETNS | FILTER_IFACE)))
		return true;
	w = bpf_map_lookup_elem(&drop_work, &zero);
	if (!w)
		return false;
	drop_parse(w, skb, l3proto);
	return packet_matches(packet_of(&w->parsed));
}

/*
 * Is this freed skb one the user follows? The one place that decides: an skb a shown table
 * call dropped or is dropping; else, where the filter looks (pid, netns, interface), a tracked
 * packet (it matched at a table, maybe before NAT rewrote it) or one whose contents match the
 * filter now (a packet no table saw: rp_filter, no route in a namespace without tables).
 */
static __always_inline bool drop_is_traced(struct sk_buff *skb)
{
	__u64 key = (__u64)skb;

	if (bpf_map_lookup_elem(&dropped_by_verdict, &key) || running_call(key))
		return true;
	if (!drop_where_matches(skb))
		return false;
	if (track_packets && track_lookup(key))
		return true;
	return drop_contents_match(skb);
}

/* Fills the drop event for skb and sends it. */
static __always_inline void send_drop(void *ctx, struct sk_buff *skb, __u64 location, __u32 reason)
{
	__u64 key = (__u64)skb;
	__u32 zero = 0;
	struct drop_work *w = bpf_map_lookup_elem(&drop_work, &zero);
	const struct track_slot *tracked;
	struct drop_tie_info *after;
	struct pending_call *call;
	struct net_device *dev;
	struct drop_event *d;

	if (!w)
		return;
	d = &w->out;
	__builtin_memset(d, 0, sizeof(*d));
	d->kind = EVENT_DROP;
	d->version = EVENT_DROP_VERSION;
	d->ts_ns = bpf_ktime_get_ns();
	d->skb = key;
	d->location = location;
	d->reason = reason;
	d->has_reason = drop_has_reason;
	d->netns = drop_netns(skb);
	d->pid = bpf_get_current_pid_tgid() >> 32;
	d->cpu = bpf_get_smp_processor_id();
	d->stack_id = stack_id(ctx);
	tracked = track_packets ? track_lookup(key) : NULL;
	if (tracked) {
		d->packet_id = tracked->packet.id;
		if (!track_unchanged(tracked, key))
			d->packet_id = 0;
	}
	dev = BPF_CORE_READ(skb, dev);
	if (dev)
		read_ifname(d->ifname, dev, false);
	after = bpf_map_lookup_elem(&dropped_by_verdict, &key);
	call = after ? NULL : running_call(key);
	if (after)
		__builtin_memcpy(&d->tie, after, sizeof(d->tie));
	else if (call)
		tie_from_call(&d->tie, &call->event, DROP_TIE_INSIDE);
	if (after)
		bpf_map_delete_elem(&dropped_by_verdict, &key); /* the address is free again */
	drop_parse(w, skb, drop_l3proto(skb));
	read_link_layer(&w->parsed, skb, false);
	__builtin_memcpy(&d->packet, &w->parsed.flags, sizeof(d->packet));
	if (!use_ringbuf) {
		if (bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, d, sizeof(*d)))
			count(COUNTER_LOST);
		return;
	}
	if (bpf_ringbuf_output(&events, d, sizeof(*d), ring_wakeup()))
		count(COUNTER_LOST);
}

#endif
