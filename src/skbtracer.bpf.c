// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel side: entry and exit of every packet-filter engine's table function
 * (ipt_do_table, ip6t_do_table, arpt_do_table, ebt_do_table, nft_do_chain).
 * Entry filters and records the packet; exit adds the verdict and sends the event.
 * Drops outside the tables: drops.bpf.h.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "skbtracer.h"
#include "pcap_filter.bpf.h"

#define MAX_NESTING 4
/* The candidate walk's limits (rule_candidates.bpf.h): beyond them, the full walk. */
#define CANDIDATE_DEPTH 16  /* chains entered one inside the other */
#define LIST_CANDIDATES 512 /* entries a list keeps (a power of two) */
#define EXPLORED_SLOTS 2048 /* chain starts entered (a hash set) */
#define EXPLORED_PROBES 8
#define STALE_CALL_NS 1000000000ULL
#define IPV6_MAX_EXT_HEADERS 8
/* A kretprobe sees the stack pointer a few words above the kprobe's (return address popped). */
#define SP_SLACK 64
#define MAC_HEADER_UNSET 0xffff
#define ARPHRD_ETHER 1
#define ETH_HEADER_LEN 14
/* IPv6 next-header values (uapi/linux/in6.h: macros, so not in vmlinux.h). */
#define IPPROTO_HOPOPTS 0
#define IPPROTO_ROUTING 43
#define IPPROTO_FRAGMENT 44
#define IPPROTO_ICMPV6 58
#define IPPROTO_DSTOPTS 60
#define NF_STOLEN 2

/* Set by user space before load. */
const volatile struct filter filter = {};
/* Ring buffer since 5.8 (commit 457f44363a88); perf buffer before. */
const volatile bool use_ringbuf = true;
/*
 * x_tables functions take (priv, skb, state) since 5.16 (commit ae689334225f), (skb, state,
 * table) before; indexed by enum hooked_function.
 */
const volatile bool new_prototype[FUNC_MAX] = {};
/*
 * Attribute legacy verdicts to rules by diffing this CPU's rule counters: with bpf_loop, or in
 * the object built with NO_BPF_LOOP, with a bounded loop (kernels before 5.17).
 */
const volatile bool track_rules = false;
/* --rules-budget: the counter walks' CPU time per CPU and second (0: no limit). */
const volatile __u64 rules_budget_ns = 0;
/* --debug: the walks' time goes on COUNTER_WALKS and COUNTER_WALK_NS. */
const volatile bool time_walks = false;
/* How to read __nft_trace_packet's arguments; NFT_TRACE_OFF without --nft-trace. */
const volatile __u32 nft_trace_variant = NFT_TRACE_OFF;

/*
 * Untyped: resolved from kallsyms, which lists data symbols only with CONFIG_KALLSYMS_ALL;
 * weak, so a kernel without them still loads. The object without bpf_loop (5.10) reads both;
 * the other only xt_recseq, and only where x_tables is built in (xt_module is 0).
 */
extern const void __per_cpu_offset __ksym __weak;
extern const void xt_recseq __ksym __weak;
/*
 * Set by user space where x_tables is a module: its struct module (sysfs), and where xt_recseq
 * is in the module's per-CPU area (the module's BTF). The verifier finds a typed ksym's address
 * in kallsyms too, so a typed xt_recseq would not help without CONFIG_KALLSYMS_ALL.
 */
const volatile __u64 xt_module = 0;
const volatile __u32 xt_recseq_offset = 0;

#define EVENTS_RING_SIZE (1 << 22)

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, EVENTS_RING_SIZE);
} events SEC(".maps");

/*
 * The reader empties the ring every POLL_MS (main.c) anyway: a record wakes it only once the
 * ring is a quarter full. A wakeup per record (the default when the reader has caught up) costs
 * an interrupt and a scheduler wakeup for each.
 */
static __always_inline __u64 ring_wakeup(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) > EVENTS_RING_SIZE / 4
		       ? BPF_RB_FORCE_WAKEUP
		       : BPF_RB_NO_WAKEUP;
}

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf_events SEC(".maps");

/* Where an event is put together in its size on the wire (send_event). */
struct wire_buffer {
	__u8 bytes[sizeof(struct event)] __attribute__((aligned(8)));
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct wire_buffer);
} wire_buffers SEC(".maps");

/* One value per CPU: where this CPU's copy is (this_cpu_offset). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} cpu_area SEC(".maps");

#include "counters.bpf.h"

/* Where a counter walk stands: in its call's slot, for the walk's global functions. */
struct table_walk {
	__u64 entries;	  /* address of the ruleset's first entry */
	__u64 cpu_offset; /* this CPU's per-CPU area */
	__u32 size;	  /* of the ruleset, in bytes */
	__u32 number;	  /* of entries */
	__u32 offset;	  /* of the next entry */
	__u32 index;	  /* of the next entry */
	/* diff: the snapshot that gets this call's hits too, or NO_SNAPSHOT */
	__u8 enclosing_level;
	bool multi_cpu;
	bool diff;
	bool broken;
	/* the candidate walk (rule_candidates.bpf.h) */
	bool candidates; /* its counters are in its candidate list, not in its snapshot */
	bool done;
	__u8 depth;		       /* resumptions pending */
	__u32 resume[CANDIDATE_DEPTH]; /* where each jump's caller goes on */
	__u32 underflow;	       /* the hook's policy entry */
	__u32 list;		       /* this CPU's candidate list it uses */
	__u32 stamp;		       /* marks this walk's explored chain starts */
	struct ipt_entry_head head;    /* the entry it reads (off the BPF stack) */
	struct entry_target_head target;
};

/* An entry waiting for its exit. key identifies the call: skb (fexit) or stack pointer. */
struct pending_call {
	__u64 key;
	__u64 key2;
	__u64 nft_pkt;	      /* nft_do_chain's pkt, to match its trace calls */
	__u64 table_private;  /* the table's xt_table_info at entry */
	__u32 recseq;	      /* this CPU's xt_recseq before the snapshot */
	__u32 recseq_step;    /* what the call adds to it: 2, or 0 inside another traversal */
	__u16 next_offset_at; /* where next_offset and counters are in this table's entries */
	__u16 counters_at;
	bool snapshot_taken;
	__u8 snapshot_level; /* which of the CPU's snapshots */
	bool silent;	     /* filtered out: walked only to keep an enclosing call's diff exact */
	bool interfered;     /* a nested call traversed the same table */
	bool exiting;	     /* its exit is walking the counters or sending the event */
	struct table_walk walk;
	struct event event;
};

/* Per-CPU stack of calls in progress: softirqs and targets such as REJECT nest calls. */
struct call_stack {
	__u32 depth;
	__u8 snapshots_used; /* snapshot levels held by pending calls */
	/*
	 * The snapshot still holds this CPU's counters of ruleset fresh_private (generation
	 * fresh_generation: addresses are reused), as the last exit walk left them, if xt_recseq
	 * is still fresh_recseq: no traversal since.
	 */
	bool fresh;
	__u32 fresh_recseq;
	__u64 fresh_private;
	__u64 fresh_generation;
	__u64 budget_second; /* --rules-budget: when this CPU's current second began */
	__u64 budget_spent;  /* and the counter walks' time in it */
	__u32 walk_stamp;    /* the last candidate walk's stamp */
	__u64 list_clock;    /* ticks at each use of a candidate list */
	struct pending_call calls[MAX_NESTING];
};

/* An entry the candidate walk kept: where this CPU's counter of it is, and its value. */
struct candidate {
	__u64 address;
	__u32 offset;  /* of the entry in the ruleset */
	__u32 counter; /* low 32 bits of pcnt, at entry */
};

/* A chain start the candidate walk has entered (stamp: the walk's). */
struct explored_start {
	__u32 stamp;
	__u32 offset;
};

/*
 * This CPU's rule counters (low 32 bits of pcnt) at entry, by entry index; or, during a
 * candidate walk, the chain starts it entered.
 */
struct counter_snapshot {
	union {
		__u32 pcnt[MAX_TABLE_ENTRIES];
		struct explored_start explored[EXPLORED_SLOTS];
	};
};

/* The entries a candidate walk kept for a ruleset, hook, addresses and protocol. */
struct candidate_list {
	__u64 table;   /* struct xt_table * */
	__u64 private; /* its ruleset (struct xt_table_info *) */
	__u64 generation;
	__u32 saddr;
	__u32 daddr;
	__u8 l4proto;
	__u8 hook;
	__u32 found;  /* entries kept; 0: no list */
	bool gave_up; /* no list: its walk could not finish (the full walk instead) */
	__u64 used;   /* the CPU's list_clock when last used */
	struct candidate candidates[LIST_CANDIDATES];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* set to CANDIDATE_LISTS × the number of possible CPUs */
	__type(key, __u32);
	__type(value, struct candidate_list);
} candidate_lists SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* set to SNAPSHOT_LEVELS × the number of possible CPUs */
	__type(key, __u32);
	__type(value, struct counter_snapshot);
} snapshots SEC(".maps");

/*
 * struct xt_table * → its generations. Numbered, because a freed xt_table_info's address is
 * often reused by the next ruleset of the same size. Entries go when their table is
 * unregistered (its address may then be reused by another table).
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u64);
	__type(value, struct table_generation);
} table_generations SEC(".maps");

/*
 * Generations given out by this CPU. A number is (this count << 16 | cpu): unique without an
 * atomic fetch-and-add (5.12+). xt_replace_table runs in process context: no nesting on a CPU.
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} generations_given SEC(".maps");
/* A generation could not be recorded: a table missing from the map may have been replaced. */
bool generations_lost = false;

/* Task (pid_tgid) running xt_replace_table → the table it replaces. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, __u64);
	__type(value, __u64);
} replacing SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct call_stack);
} call_stacks SEC(".maps");

/*
 * Pending calls on all CPUs: the sum of the stacks' depths (set_depth). While it is 0, an exit
 * or a filtered-out entry has nothing to look up.
 */
__s64 calls_pending = 0;

static __always_inline void set_depth(struct call_stack *stack, __u32 depth)
{
	__sync_fetch_and_add(&calls_pending, (__s64)depth - (__s64)stack->depth);
	stack->depth = depth;
}

/* ebtables' table; not in every vmlinux.h (bridge netfilter is often a module). */
struct ebt_table {
	char name[32];
} __attribute__((preserve_access_index));

/* nft_pktinfo before 5.15 (commit 897389de4828) reached the hook state through xt. */
struct nft_pktinfo___with_xt {
	struct sk_buff *skb;
	struct xt_action_param xt;
} __attribute__((preserve_access_index));

/* nft_traceinfo before 6.4 carried the packet, rule and verdict. */
struct nft_traceinfo___with_pkt {
	const struct nft_pktinfo *pkt;
	const void *rule;
	const struct nft_verdict *verdict;
} __attribute__((preserve_access_index));

/* nft_rule before 5.17 (commit 2c865a8a28a1), when rules were traced directly. */
struct nft_rule___old {
	__u64 handle : 42;
} __attribute__((preserve_access_index));

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

struct arp_header {
	__be16 hw_type;
	__be16 proto_type;
	__u8 hw_len;
	__u8 proto_len;
	__be16 op;
	__u8 sender_mac[6];
	__u8 sender_ip[4];
	__u8 target_mac[6];
	__u8 target_ip[4];
};

struct eth_header {
	__u8 dest[6];
	__u8 source[6];
	__be16 proto;
};

struct l4_header {
	__be16 sport; /* ICMP: type, code */
	__be16 dport; /* ICMP: checksum */
	__be16 icmp_id;
	__be16 icmp_seq;
	__u8 tcp_unused[5];
	__u8 tcp_flags;
};

#include "track.bpf.h"

/*
 * A field of a kernel object: a plain load where the verifier knows the pointer's type (fentry's
 * typed arguments and what they point to), else a probe read (kprobes).
 */
#define KREAD(btf, ptr, field) ((btf) ? (ptr)->field : BPF_CORE_READ(ptr, field))
#define KREAD_BITFIELD(btf, ptr, field) \
	((btf) ? BPF_CORE_READ_BITFIELD(ptr, field) : BPF_CORE_READ_BITFIELD_PROBED(ptr, field))

#ifdef TYPED_READS
/*
 * The object for kernels with bpf_rdonly_cast (6.2+, commit a35b9af4ec2c): a kernel address
 * becomes a typed pointer, read with plain loads instead of a probe read per field. The filter
 * reads the IPv4 header without a helper call, and kprobes read their arguments as fentry does.
 */
extern void *bpf_rdonly_cast(void *obj, __u32 btf_id) __ksym;
#define AS_TYPED(ptr, type) ((type *)bpf_rdonly_cast((void *)(ptr), bpf_core_type_id_kernel(type)))
#define TYPED_READS_ON true
#else
#define AS_TYPED(ptr, type) ((type *)(ptr))
#define TYPED_READS_ON false
#endif

/*
 * A device's name, its 16 bytes copied whole (NUL-terminated within them; readers stop at
 * the NUL): two loads when typed, else one probe read. A string probe read copies byte by
 * byte, about 180 instructions for "fo-b" (VM_ICOUNT=1). Only the typed object loads: in the
 * others fentry's entry then went over the combined 512-byte stack (arpt_do_table on 6.1).
 */
static __always_inline void read_ifname(char *dst, const struct net_device *dev, bool btf)
{
	if (btf && TYPED_READS_ON) {
		__u64 first = ((const __u64 *)dev->name)[0], last = ((const __u64 *)dev->name)[1];

		__builtin_memcpy(dst, &first, 8);
		__builtin_memcpy(dst + 8, &last, 8);
	} else {
		bpf_probe_read_kernel(dst, IFNAME_LEN, dev->name);
	}
}

/*
 * A legacy table's name, its 32 bytes whole, as read_ifname: four loads when typed (through
 * two casts, as two in6_addr's bytes), else one probe read.
 */
static __always_inline void read_table_name(char *dst, const char *name)
{
	if (TYPED_READS_ON) {
		const __u64 *first = (const void *)AS_TYPED(name, struct in6_addr);
		const __u64 *second = (const void *)AS_TYPED(name + 16, struct in6_addr);
		__u64 words[4] = { first[0], first[1], second[0], second[1] };

		__builtin_memcpy(dst, words, sizeof(words));
	} else {
		bpf_probe_read_kernel(dst, LEGACY_NAME_LEN, name);
	}
}

/* The filter's interface test on a device (NULL: none). btf: dev is typed (see KREAD). */
static __always_inline bool iface_matches(const struct net_device *dev, bool btf)
{
	char name[IFNAME_LEN];

	if (!dev)
		return false;
	read_ifname(name, dev, btf); /* all zeros if unreadable: no filter name is empty */
	for (int i = 0; i < IFNAME_LEN; i++) {
		if (name[i] != filter.iface[i])
			return false;
		if (!name[i])
			return true;
	}
	return true;
}

/* The filter's address, a 32-bit word at a time (volatile: not folded to the zero image). */
static __always_inline __u32 filter_addr_word(int i)
{
	return ((const volatile __u32 *)filter.addr)[i];
}

/* addr (4-byte aligned): the filter's address? An IPv4 one is its first word. */
static __always_inline bool same_addr(const __u8 *addr, bool ipv4)
{
	const __u32 *words = (const __u32 *)addr;

	if (words[0] != filter_addr_word(0))
		return false;
	return ipv4 || (words[1] == filter_addr_word(1) && words[2] == filter_addr_word(2) &&
			words[3] == filter_addr_word(3));
}

static __always_inline bool addr_matches(const struct packet_fields *p)
{
	bool ipv4 = p->l3proto == ETHERTYPE_IPV4 || p->l3proto == ETHERTYPE_ARP;

	if (!(p->flags & EVENT_HAS_ADDRS) || ipv4 != (filter.addr_family == PF_FAMILY_IPV4))
		return false;
	return same_addr(p->saddr, ipv4) || same_addr(p->daddr, ipv4);
}

/* The filter's tests of the network header's fields: addresses and protocol. */
static __always_inline bool l3_fields_match(const struct packet_fields *p)
{
	__u32 flags = filter.flags;

	if ((flags & FILTER_ADDR) && !addr_matches(p))
		return false;
	return !(flags & FILTER_PROTO) || p->l4proto == filter.l4proto;
}

/* The filter's tests of the transport header's fields: ports and ICMP id. */
static __always_inline bool l4_fields_match(const struct packet_fields *p)
{
	__u32 flags = filter.flags;
	bool ports = p->flags & EVENT_HAS_PORTS;

	if ((flags & FILTER_PORT) &&
	    !(ports && (p->sport == filter.port || p->dport == filter.port)))
		return false;
	if ((flags & FILTER_SPORT) && !(ports && p->sport == filter.sport))
		return false;
	if ((flags & FILTER_DPORT) && !(ports && p->dport == filter.dport))
		return false;
	if ((flags & FILTER_ICMPID) &&
	    !((p->flags & EVENT_HAS_ICMP) && p->icmp_id == filter.icmpid))
		return false;
	return true;
}

static __always_inline bool packet_matches(const struct packet_fields *p)
{
	return l3_fields_match(p) && l4_fields_match(p);
}

/* Is there anything to read in this protocol's transport header (ports, ICMP fields)? */
static __always_inline bool has_l4_fields(__u8 l4proto)
{
	switch (l4proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return true;
	default:
		return false;
	}
}

/* The transport-layer fields of *p, from a copy of its header. */
static __always_inline void l4_fields(struct packet_fields *p, const struct l4_header *h)
{
	switch (p->l4proto) {
	case IPPROTO_TCP:
		p->tcp_flags = h->tcp_flags;
		/* fallthrough */
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
		p->sport = bpf_ntohs(h->sport);
		p->dport = bpf_ntohs(h->dport);
		p->flags |= EVENT_HAS_PORTS;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		p->icmp_type = ((const __u8 *)&h->sport)[0];
		p->icmp_code = ((const __u8 *)&h->sport)[1];
		p->icmp_id = bpf_ntohs(h->icmp_id);
		p->icmp_seq = bpf_ntohs(h->icmp_seq);
		p->flags |= EVENT_HAS_ICMP;
		break;
	}
}

/* The transport header of the protocols with ports or ICMP fields; read only for those. */
static __always_inline void parse_l4(struct packet_fields *p, const void *l4)
{
	struct l4_header h;

	if (has_l4_fields(p->l4proto) && !bpf_probe_read_kernel(&h, sizeof(h), l4))
		l4_fields(p, &h);
}

/* The network-layer parsers return the transport header's address, NULL when there is none. */
/* The fields of a copy of the IPv4 header at nh. */
static __always_inline const void *ipv4_fields(struct packet_fields *p,
					       const struct ipv4_header *ip, const void *nh)
{
	p->ip_len = bpf_ntohs(ip->tot_len);
	p->l4proto = ip->protocol;
	__builtin_memcpy(p->saddr, ip->saddr, 4);
	__builtin_memcpy(p->daddr, ip->daddr, 4);
	p->flags |= EVENT_HAS_ADDRS;
	if (ip->frag_off & bpf_htons(0x1fff)) {
		p->flags |= EVENT_FRAGMENT;
		return NULL;
	}
	return nh + (ip->version_ihl & 0xf) * 4;
}

static __always_inline const void *parse_ipv4(struct packet_fields *p, const void *nh)
{
	struct ipv4_header ip;

	if (bpf_probe_read_kernel(&ip, sizeof(ip), nh))
		return NULL;
	return ipv4_fields(p, &ip, nh);
}

static __always_inline const void *parse_ipv6(struct packet_fields *p, const void *nh)
{
	struct ipv6_header ip;
	const void *next;
	__u8 nexthdr;

	if (bpf_probe_read_kernel(&ip, sizeof(ip), nh))
		return NULL;
	p->ip_len = bpf_ntohs(ip.payload_len) + sizeof(ip);
	__builtin_memcpy(p->saddr, ip.saddr, 16);
	__builtin_memcpy(p->daddr, ip.daddr, 16);
	p->flags |= EVENT_HAS_ADDRS;
	nexthdr = ip.nexthdr;
	next = nh + sizeof(ip);
	for (int i = 0; i < IPV6_MAX_EXT_HEADERS; i++) {
		__u8 ext[4];

		if (nexthdr != IPPROTO_HOPOPTS && nexthdr != IPPROTO_ROUTING &&
		    nexthdr != IPPROTO_DSTOPTS && nexthdr != IPPROTO_FRAGMENT &&
		    nexthdr != IPPROTO_AH)
			break;
		if (bpf_probe_read_kernel(ext, sizeof(ext), next))
			return NULL;
		if (nexthdr == IPPROTO_FRAGMENT) {
			if ((ext[2] << 8 | ext[3]) & 0xfff8) {
				p->l4proto = ext[0];
				p->flags |= EVENT_FRAGMENT;
				return NULL;
			}
			next += 8;
		} else if (nexthdr == IPPROTO_AH) {
			next += (ext[1] + 2) * 4;
		} else {
			next += (ext[1] + 1) * 8;
		}
		nexthdr = ext[0];
	}
	p->l4proto = nexthdr;
	return next;
}

/* ARP for IPv4 over Ethernet; anything else keeps only its ethertype. */
static __always_inline void parse_arp(struct packet_fields *p, const void *nh)
{
	struct arp_header arp;

	if (bpf_probe_read_kernel(&arp, sizeof(arp), nh) ||
	    arp.hw_type != bpf_htons(ARPHRD_ETHER) || arp.proto_type != bpf_htons(ETHERTYPE_IPV4) ||
	    arp.hw_len != 6 || arp.proto_len != 4)
		return;
	p->arp_op = bpf_ntohs(arp.op);
	__builtin_memcpy(p->arp_sha, arp.sender_mac, 6);
	__builtin_memcpy(p->saddr, arp.sender_ip, 4);
	__builtin_memcpy(p->daddr, arp.target_ip, 4);
	p->flags |= EVENT_HAS_ARP | EVENT_HAS_ADDRS;
}

/* The network-layer fields of *p (zeroed first); returns the transport header, or NULL. */
static __always_inline const void *parse_l3(struct packet_fields *p, const void *nh, __u16 l3proto)
{
	__builtin_memset(p, 0, sizeof(*p));
	p->l3proto = l3proto;
	if (l3proto == ETHERTYPE_IPV4)
		return parse_ipv4(p, nh);
	if (l3proto == ETHERTYPE_IPV6)
		return parse_ipv6(p, nh);
	if (l3proto == ETHERTYPE_ARP)
		parse_arp(p, nh);
	return NULL;
}

/* Every packet field of *p, from the skb's network header. */
static __always_inline void parse_packet(struct packet_fields *p, struct sk_buff *skb,
					 __u16 l3proto)
{
	const void *nh = BPF_CORE_READ(skb, head) + BPF_CORE_READ(skb, network_header);
	const void *l4 = parse_l3(p, nh, l3proto);

	if (l4)
		parse_l4(p, l4);
}

/* The packet part of the event. */
static __always_inline struct packet_fields *packet_of(struct event *e)
{
	return (struct packet_fields *)&e->flags;
}

static __always_inline void read_link_layer(struct event *e, struct sk_buff *skb, bool btf)
{
	unsigned char *head = KREAD(btf, skb, head);
	__u16 mac_header = KREAD(btf, skb, mac_header);
	__u16 network_header = KREAD(btf, skb, network_header);
	unsigned short dev_type = btf ? skb->dev->type : BPF_CORE_READ(skb, dev, type);
	struct eth_header eth;

	if (KREAD(btf, skb, vlan_proto)) {
		e->vlan_id = KREAD(btf, skb, vlan_tci) & 0xfff;
		e->flags |= EVENT_HAS_VLAN;
	}
	/* Locally generated packets have no link-layer header yet. */
	if (mac_header == MAC_HEADER_UNSET || dev_type != ARPHRD_ETHER ||
	    network_header - mac_header < ETH_HEADER_LEN)
		return;
	if (TYPED_READS_ON) { /* both addresses, 12 bytes (as an in6_addr's first 12) */
		const __u8 *macs = (const void *)AS_TYPED(head + mac_header, struct in6_addr);
		__u8 *to = (__u8 *)e + __builtin_offsetof(struct event, dest_mac);
		__u64 first = *(const __u64 *)macs;
		__u32 last = *(const __u32 *)(macs + 8);

		_Static_assert(__builtin_offsetof(struct event, src_mac) ==
				       __builtin_offsetof(struct event, dest_mac) + 6,
			       "src_mac follows dest_mac");
		__builtin_memcpy(to, &first, 8);
		__builtin_memcpy(to + 8, &last, 4);
	} else {
		if (bpf_probe_read_kernel(&eth, sizeof(eth), head + mac_header))
			return;
		__builtin_memcpy(e->dest_mac, eth.dest, 6);
		__builtin_memcpy(e->src_mac, eth.source, 6);
	}
	e->flags |= EVENT_HAS_MAC;
}

/* skb->_nfct: the conntrack entry (NULL for none) and the ctinfo in its low bits. */
#define NFCT_INFOMASK 7UL

static __always_inline void read_conntrack(struct sk_buff *skb, bool btf, __u64 *ct, __u8 *ctinfo,
					   __u32 *mark)
{
	__u64 nfct = KREAD(btf, skb, _nfct);

	*ct = nfct & ~NFCT_INFOMASK;
	*ctinfo = nfct & NFCT_INFOMASK;
	*mark = KREAD(btf, skb, mark);
}

/* The pending call on top of this CPU's stack (the new call runs inside it), or NULL. */
static __always_inline const struct pending_call *calling_call(const struct call_stack *stack)
{
	__u32 depth = stack->depth;

	if (!depth || depth > MAX_NESTING)
		return NULL;
	return &stack->calls[(depth - 1) & (MAX_NESTING - 1)];
}

/*
 * A packet sent back to a tracked packet's sender while that packet's table call runs on this
 * CPU (a REJECT's reset or ICMP error; BH is off there, and reversed addresses rule out an
 * interrupt's packet): the id of the packet that caused it, else 0.
 */
static __always_inline __u64 reply_cause(const struct packet_fields *p,
					 const struct pending_call *outer)
{
	const struct event *o = &outer->event;

	if (outer->exiting || !o->packet_id || !(p->flags & EVENT_HAS_ADDRS) ||
	    !(o->flags & EVENT_HAS_ADDRS) || p->l3proto != o->l3proto)
		return 0;
	for (int i = 0; i < 16; i++) {
		if (p->saddr[i] != o->daddr[i] || p->daddr[i] != o->saddr[i])
			return 0;
	}
	return o->packet_id;
}

#define FILTER_L4_FIELDS (FILTER_PORT | FILTER_SPORT | FILTER_DPORT | FILTER_ICMPID)
#define FILTER_CONTENTS (FILTER_ADDR | FILTER_PROTO | FILTER_L4_FIELDS)

/* What the filter's decision read, for the event of a call it traces. */
/* An IPv4 header without options and the transport header after it: one read for both. */
struct ipv4_with_l4 {
	struct ipv4_header ip;
	struct l4_header l4;
} __attribute__((aligned(8))); /* for the typed read's 8-byte stores */

#define IPV4_WITH_L4_LEN (sizeof(struct ipv4_header) + sizeof(struct l4_header))

struct decision {
	const void *nh; /* the network header */
	const void *l4; /* the transport header, not parsed yet; NULL when none or parsed */
	const struct track_slot *tracked;
	__u64 cause;
	struct packet_fields p; /* p.l3proto 0: not parsed yet */
};

/*
 * The IPv4 header at nh and, where it fits, the transport header: 0 unreadable, 1, 2 both.
 * Typed: its 34 bytes as two in6_addr's and a 2-byte load through a third cast (a load that
 * faults reads zeros where a probe read would fail; at these hooks the IP header is in the
 * skb's linear data).
 */
static __always_inline int read_ipv4(struct ipv4_with_l4 *h, const void *nh)
{
	if (TYPED_READS_ON) {
		const __u64 *first = (const void *)AS_TYPED(nh, struct in6_addr);
		const __u64 *second = (const void *)AS_TYPED(nh + 16, struct in6_addr);
		const __u16 *last = (const void *)AS_TYPED(nh + 32, struct in6_addr);
		__u64 *to = (__u64 *)h;

		_Static_assert(IPV4_WITH_L4_LEN == 34, "two words of 16 bytes and one of 2");
		to[0] = first[0];
		to[1] = first[1];
		to[2] = second[0];
		to[3] = second[1];
		*(__u16 *)&to[4] = *last;
		return 2;
	}
	if (!bpf_probe_read_kernel(h, IPV4_WITH_L4_LEN, nh))
		return 2;
	return !bpf_probe_read_kernel(&h->ip, sizeof(h->ip), nh);
}

/* The decision's packet fields from what read_ipv4 read (parts: its result). */
static __always_inline void decision_take_ipv4(struct decision *d, const struct ipv4_with_l4 *h,
					       int parts)
{
	__builtin_memset(&d->p, 0, sizeof(d->p));
	d->p.l3proto = ETHERTYPE_IPV4;
	d->l4 = parts ? ipv4_fields(&d->p, &h->ip, d->nh) : NULL;
	if (parts == 2 && d->l4 == d->nh + sizeof(h->ip)) {
		if (has_l4_fields(d->p.l4proto))
			l4_fields(&d->p, &h->l4);
		d->l4 = NULL;
	}
}

/* Not inlined: its copy of the headers stays off the calling program's stack. */
static __noinline void decision_parse_ipv4(struct decision *d)
{
	struct ipv4_with_l4 h;

	decision_take_ipv4(d, &h, read_ipv4(&h, d->nh));
}

static __always_inline void decision_parse_l3(struct decision *d, __u16 l3proto)
{
	if (l3proto == ETHERTYPE_IPV4)
		decision_parse_ipv4(d);
	else
		d->l4 = parse_l3(&d->p, d->nh, l3proto);
}

static __always_inline void decision_parse_l4(struct decision *d)
{
	if (d->l4)
		parse_l4(&d->p, d->l4);
	d->l4 = NULL;
}

/*
 * An untyped skb's protocol and network header in one probe read, where the kernel's layout
 * has protocol and network_header within the 24 bytes before head (neighbours in sk_buff:
 * 16 bytes before it on 6.12, 20 on 6.1, where head is aligned past tail and end), else field
 * by field. l3proto: NULL when only the header is wanted.
 */
static __always_inline const void *probe_network_header(struct sk_buff *skb, __u16 *l3proto)
{
	__u32 head_at = bpf_core_field_offset(skb->head);
	__u32 nh_at = bpf_core_field_offset(skb->network_header);
	__u32 proto_at = bpf_core_field_offset(skb->protocol);
	__u32 span_at = head_at - 24;
	__u64 span[4]; /* the 24 bytes before head, then head */

	if (head_at < 24 || nh_at < span_at || nh_at + 2 > head_at ||
	    (l3proto && (proto_at < span_at || proto_at + 2 > head_at)) ||
	    bpf_probe_read_kernel(span, sizeof(span), (void *)skb + span_at)) {
		if (l3proto)
			*l3proto = bpf_ntohs(BPF_CORE_READ(skb, protocol));
		return BPF_CORE_READ(skb, head) + BPF_CORE_READ(skb, network_header);
	}
	if (l3proto)
		*l3proto = bpf_ntohs(*(__u16 *)((void *)span + (proto_at - span_at)));
	return (const void *)span[3] + *(__u16 *)((void *)span + (nh_at - span_at));
}

/* skb->head + skb->network_header. kprobes: see probe_network_header. */
static __always_inline const void *network_header(struct sk_buff *skb, bool btf)
{
	if (btf)
		return skb->head + skb->network_header;
	return probe_network_header(skb, NULL);
}

/* The filter's address test on an IPv4 packet's two addresses: false when it rejects. */
static __always_inline bool ipv4_addresses_pass(__u32 saddr, __u32 daddr)
{
	/* one 32-bit load; still volatile, or it would be folded to the const filter's zero image */
	__u32 addr = *(const volatile __u32 *)filter.addr;

	return !(filter.flags & FILTER_ADDR) ||
	       (filter.addr_family == PF_FAMILY_IPV4 && (saddr == addr || daddr == addr));
}

/* The filter's address and protocol tests on an IPv4 header's fields: false when they reject. */
static __always_inline bool ipv4_fields_pass(__u32 saddr, __u32 daddr, __u8 protocol)
{
	return ipv4_addresses_pass(saddr, daddr) &&
	       (!(filter.flags & FILTER_PROTO) || protocol == filter.l4proto);
}

/*
 * The same tests on a typed IPv4 header (TYPED_READS), loading only what a test needs, through
 * one cast: bytes 4 to 19 as an in6_addr's byte array, from which the verifier lets a typed
 * pointer read the protocol (byte 9) and both addresses in one 8-byte load (bytes 12 to 19; the
 * test does not care which half is which). The filter is read after the cast, so that nothing
 * is kept in a register across it (the entry then saves fewer).
 */
static __always_inline bool typed_ipv4_passes(const void *nh)
{
	const __u8 *bytes = (const void *)AS_TYPED(nh + 4, struct in6_addr);
	__u64 both;
	__u32 addr;

	if (filter.flags & FILTER_ADDR) {
		if (filter.addr_family != PF_FAMILY_IPV4)
			return false;
		both = *(const __u64 *)(bytes + 8);
		/* one 32-bit load; volatile, or it would be folded to the const filter's zero image */
		addr = *(const volatile __u32 *)filter.addr;
		if ((__u32)both != addr && (__u32)(both >> 32) != addr)
			return false;
	}
	return !(filter.flags & FILTER_PROTO) || bytes[9 - 4] == filter.l4proto;
}

/* Bytes 8 to 19 of an IPv4 header: what the filter's address and protocol tests read. */
struct ipv4_filter_fields {
	__u8 ttl;
	__u8 protocol;
	__u16 check;
	__u32 saddr;
	__u32 daddr;
};

/* Whether the early test applies: nothing tracked or pending, a filter on IPv4 fields. */
static __always_inline bool early_test_applies(void)
{
	/* track_stored > 0 only while tracking is on */
	return (filter.flags & (FILTER_ADDR | FILTER_PROTO)) && !calls_pending && track_stored <= 0;
}

/* The filter's IPv4 tests on the header at nh (typed, or one probe read): true if they reject. */
static __always_inline bool ipv4_header_rejected(const void *nh)
{
	struct ipv4_filter_fields f;

	if (TYPED_READS_ON)
		return !typed_ipv4_passes(nh);
	if (bpf_probe_read_kernel(&f, sizeof(f), nh + offsetof(struct ipv4_header, ttl)))
		return false;
	return !ipv4_fields_pass(f.saddr, f.daddr, f.protocol);
}

/*
 * The common case in few instructions, before any other work: nothing is tracked or pending
 * (so only the filter can have the call traced) and the IPv4 header's addresses or protocol
 * fail the filter. btf: skb is typed (see KREAD); without typed reads the header's twelve
 * bytes are one probe read. false: filter_decides decides.
 */
static __always_inline bool rejected_early(struct sk_buff *skb, __u16 l3proto, bool btf)
{
	return l3proto == ETHERTYPE_IPV4 && early_test_applies() &&
	       ipv4_header_rejected(network_header(skb, btf));
}

/*
 * rejected_early() at the start of an entry's work: for the calls the program did not test
 * (ebtables' IPv4 frames), and for the verifier, which then explores the rest for the packets
 * that pass only: without it ebt_do_table's and nft_do_chain's entries took four times as
 * many instructions to verify (about 220,000 with -H on 6.12), doubling the tool's start-up.
 */
static __always_inline bool entry_rejected_early(struct sk_buff *skb, __u16 l3proto, bool btf)
{
	if (!btf && !TYPED_READS_ON)
		return false;
	return rejected_early(btf ? skb : AS_TYPED(skb, struct sk_buff), l3proto, true);
}

/*
 * The same tests on the IPv4 header at nh: false when they reject it. A packet they pass is
 * parsed from what they read. With typed reads the header's three fields are loaded first,
 * and only a packet they pass is read in full.
 */
static __always_inline bool ipv4_header_passes(struct decision *d)
{
	struct ipv4_with_l4 h;
	int parts;

	if (TYPED_READS_ON && !typed_ipv4_passes(d->nh))
		return false;
	parts = read_ipv4(&h, d->nh);
	if (!parts)
		return true; /* the full parse decides */
	if (!TYPED_READS_ON && !ipv4_fields_pass(*(const __u32 *)h.ip.saddr,
						 *(const __u32 *)h.ip.daddr, h.ip.protocol))
		return false;
	decision_take_ipv4(d, &h, parts);
	return true;
}

/*
 * Is this call traced? Decided with the fewest reads, cheapest first: where the filter looks
 * (pid, netns, interface), the addresses and protocol in the network header, the transport
 * header only if the filter has ports or an ICMP id, the filter expression. A packet tracked
 * since an earlier match passes without the tests of its contents, which NAT may have
 * rewritten (the map is looked up only when it holds entries); so does a reply a tracked
 * packet's call on this CPU sends (its stack is read only when calls are pending, after the
 * filter expression, whose verification must not fork on it). btf: see KREAD.
 */
static __always_inline bool filter_decides(struct decision *d, struct sk_buff *skb,
					   const struct nf_hook_state *state, __u16 l3proto,
					   bool btf)
{
	__u32 flags = filter.flags, zero = 0;
	const struct call_stack *stack;
	struct net *net;
	const struct pending_call *outer;
	bool match = true, ipv4_tested = false;

	d->l4 = NULL;
	d->tracked = NULL;
	d->cause = 0;
	d->p.l3proto = 0;
	if ((flags & FILTER_PID) && bpf_get_current_pid_tgid() >> 32 != filter.pid)
		return false;
	if (flags & FILTER_NETNS) {
		net = KREAD(btf, state, net);
		if (KREAD(btf, net, ns.inum) != filter.netns)
			return false;
	}
	if ((flags & FILTER_IFACE) && !iface_matches(KREAD(btf, state, in), btf) &&
	    !iface_matches(KREAD(btf, state, out), btf))
		return false;
	d->nh = network_header(skb, btf);
	if ((flags & (FILTER_ADDR | FILTER_PROTO)) && l3proto == ETHERTYPE_IPV4) {
		match = ipv4_header_passes(d);
		/* parsed only after its address and protocol tests passed */
		ipv4_tested = match && d->p.l3proto;
	}
	if (match && (flags & FILTER_CONTENTS)) {
		if (!d->p.l3proto)
			decision_parse_l3(d, l3proto);
		match = ipv4_tested || l3_fields_match(&d->p);
		if (match && (flags & FILTER_L4_FIELDS)) {
			decision_parse_l4(d);
			match = l4_fields_match(&d->p);
		}
	}
	if (match && pcap_enabled)
		match = pcap_filter_matches(skb, state, l3proto);
	if (!track_packets)
		return match;
	d->tracked = track_lookup((__u64)skb);
	if (d->tracked)
		return true;
	if (!calls_pending)
		return match;
	stack = bpf_map_lookup_elem(&call_stacks, &zero);
	outer = stack ? calling_call(stack) : NULL;
	/* not a call whose exit was lost (push_slot drops those) */
	if (!outer || bpf_ktime_get_ns() - stack->calls[0].event.ts_ns > STALE_CALL_NS)
		return match;
	if (!d->p.l3proto)
		decision_parse_l3(d, l3proto);
	d->cause = reply_cause(&d->p, outer);
	return match || d->cause;
}

/* The event of a traced call: the packet, as the decision left it, and where it is. */
static __always_inline void fill_event(struct event *e, struct decision *d, struct sk_buff *skb,
				       const struct nf_hook_state *state, __u16 l3proto, bool btf)
{
	struct net_device *in = KREAD(btf, state, in), *out = KREAD(btf, state, out);
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (!d->p.l3proto)
		decision_parse_l3(d, l3proto);
	decision_parse_l4(d);
	__builtin_memcpy(packet_of(e), &d->p, sizeof(d->p));
	e->ts_ns = bpf_ktime_get_ns();
	if (d->tracked) {
		e->packet_id = d->tracked->packet.id;
		e->parent_skb = d->tracked->packet.parent_skb;
		e->cause_id = d->tracked->packet.cause_id;
		if (track_unchanged(d->tracked, (__u64)skb))
			e->flags |= EVENT_TRACKED;
	}
	if (track_packets && !(e->flags & EVENT_TRACKED)) {
		e->parent_skb = 0; /* its slot was taken since the lookup: a new packet then */
		e->packet_id = track_start((__u64)skb, d->cause, e->ts_ns);
		e->cause_id = d->cause;
	}
	e->netns = btf ? state->net->ns.inum : BPF_CORE_READ(state, net, ns.inum);
	read_conntrack(skb, btf, &e->ct, &e->ctinfo, &e->mark);
	e->kind = EVENT_TABLE_CALL;
	e->version = EVENT_TABLE_CALL_VERSION;
	e->skb = (__u64)skb;
	e->pid = tgid;
	e->cpu = bpf_get_smp_processor_id();
	e->hook = KREAD_BITFIELD(btf, state, hook);
	e->family = KREAD_BITFIELD(btf, state, pf);
	e->pkt_type = KREAD_BITFIELD(btf, skb, pkt_type);
	if (in)
		read_ifname(e->in_ifname, in, btf);
	if (out)
		read_ifname(e->out_ifname, out, btf);
	read_link_layer(e, skb, btf);
}

/* One direction of the connection, as nf_conntrack_tuple holds it. */
static __always_inline void read_tuple(struct ct_tuple *t, const struct nf_conntrack_tuple *k)
{
	__be16 port = 0;

	bpf_core_read(t->src, sizeof(t->src), &k->src.u3);
	bpf_core_read(t->dst, sizeof(t->dst), &k->dst.u3);
	bpf_core_read(&port, sizeof(port), &k->src.u.all);
	t->sport = bpf_ntohs(port);
	port = 0;
	bpf_core_read(&port, sizeof(port), &k->dst.u.all);
	t->dport = bpf_ntohs(port);
}

/*
 * At exit, unless the table stole the skb (it may be freed): mark and conntrack as the call
 * left them, and after a nat call the connection's tuples, which the NAT binding the call set
 * up rewrote (the packet itself is mangled later, in nf_nat_packet). The skb holds its
 * reference to the conntrack entry, so the entry is not freed under us. typed_skb: the skb as
 * fexit's typed argument (plain loads), or NULL.
 */
static __noinline void read_after(struct event *e, struct sk_buff *typed_skb)
{
	struct nf_conn *ct;

	if ((e->verdict & 0xff) == NF_STOLEN)
		return;
	if (!typed_skb && TYPED_READS_ON) /* a kretprobe's: cast, plain loads then too */
		typed_skb = AS_TYPED(e->skb, struct sk_buff);
	if (typed_skb)
		read_conntrack(typed_skb, true, &e->ct_after, &e->ctinfo_after, &e->mark_after);
	else
		read_conntrack((void *)e->skb, false, &e->ct_after, &e->ctinfo_after,
			       &e->mark_after);
	e->flags |= EVENT_HAS_AFTER;
	if (!(e->flags & EVENT_NAT_CALL) || !e->ct_after || !bpf_core_type_exists(struct nf_conn))
		return;
	ct = (void *)e->ct_after;
	read_tuple(&e->nat_orig, &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple);
	read_tuple(&e->nat_reply, &ct->tuplehash[IP_CT_DIR_REPLY].tuple);
	e->ct_l3num = BPF_CORE_READ(ct, tuplehash[IP_CT_DIR_ORIGINAL].tuple.src.l3num);
	e->ct_protonum = BPF_CORE_READ(ct, tuplehash[IP_CT_DIR_ORIGINAL].tuple.dst.protonum);
	e->flags |= EVENT_HAS_NAT;
}

/* The top free slot of this CPU's call stack, or NULL when it is full. */
static __always_inline struct pending_call *push_slot(struct call_stack **stack_out)
{
	__u32 zero = 0;
	struct call_stack *stack = bpf_map_lookup_elem(&call_stacks, &zero);
	struct pending_call *call;
	__u32 depth;

	if (!stack)
		return NULL;
	depth = stack->depth;
	/* No call lasts a second: the oldest lost its exit (kretprobe on another CPU). */
	if (depth > 0 && bpf_ktime_get_ns() - stack->calls[0].event.ts_ns > STALE_CALL_NS) {
		for (__u32 i = 0; i < MAX_NESTING; i++) {
			if (i < depth)
				count(COUNTER_UNPAIRED);
		}
		set_depth(stack, 0);
		depth = 0;
		stack->snapshots_used = 0;
	}
	if (depth >= MAX_NESTING) {
		count(COUNTER_TOO_DEEP);
		return NULL;
	}
	call = &stack->calls[depth];
	/* Hits beyond nr_hits are never read; nftables calls write both names at entry. */
	__builtin_memset(&call->event, 0, EVENT_WIRE_HEAD);
	call->snapshot_taken = false;
	call->silent = false;
	call->interfered = false;
	call->exiting = false;
	*stack_out = stack;
	return call;
}

static __always_inline void push(struct call_stack *stack, struct pending_call *call, __u64 key,
				 __u64 key2)
{
	call->key = key;
	call->key2 = key2;
	set_depth(stack, stack->depth + 1);
}

#ifdef NO_BPF_LOOP
/* This CPU's per-CPU area offset: __per_cpu_offset[cpu]; false when unknown. */
static __always_inline bool this_cpu_offset(__u64 *offset)
{
	*offset = 0;
	return &__per_cpu_offset && !bpf_probe_read_kernel(offset, sizeof(*offset),
							   (const __u64 *)&__per_cpu_offset +
								   bpf_get_smp_processor_id());
}

/* xt_recseq's per-CPU address, 0 when unknown. */
static __always_inline __u64 recseq_address(void)
{
	return (__u64)&xt_recseq;
}
#else
/*
 * This CPU's per-CPU area offset, arch-neutral and without kallsyms: the map's lookup gives
 * this CPU's copy, the map itself the per-CPU pointer; false when unknown. The value is a
 * scratch slot: a pointer stored in a map reads back as a number (root only).
 */
static __always_inline bool this_cpu_offset(__u64 *offset)
{
	__u32 zero = 0;
	volatile __u64 *slot = bpf_map_lookup_elem(&cpu_area, &zero);
	__u64 copy, map, pointer = 0;

	*offset = 0;
	if (!slot)
		return false;
	*slot = (__u64)slot;
	copy = *slot;
	*slot = (__u64)&cpu_area;
	map = *slot;
	if (bpf_probe_read_kernel(&pointer, sizeof(pointer),
				  (const void *)map +
					  bpf_core_field_offset(struct bpf_array, pptrs)) ||
	    !pointer)
		return false;
	*offset = copy - pointer;
	return true;
}

/* xt_recseq's per-CPU address: in x_tables' per-CPU area, or from kallsyms; 0 when unknown. */
static __always_inline __u64 recseq_address(void)
{
	const struct module *module = (const void *)xt_module;

	if (!xt_module)
		return (__u64)&xt_recseq;
	return (__u64)BPF_CORE_READ(module, percpu) + xt_recseq_offset;
}
#endif

/*
 * xt_recseq grows by 2 per outermost table traversal on this CPU (cpu_offset: this_cpu_offset);
 * false when unreadable.
 */
static __always_inline bool read_recseq(__u64 cpu_offset, __u32 *sequence)
{
	__u64 address = recseq_address();

	*sequence = 0;
	return address && !bpf_probe_read_kernel(sequence, sizeof(*sequence),
						 (const void *)address + cpu_offset);
}

/*
 * The counter walk runs in global functions (walk_counters, walk_chunk): the verifier checks
 * each once, not once per state of every caller. With bpf_loop it is one loop over the table.
 * Without (before 5.17) a bounded loop is unrolled by the verifier, so the walk is chunks of
 * WALK_CHUNK entries (walk_chunk, a bounded loop), WALK_CHUNKS calls of it covering the same
 * table sizes: each call is one instruction for the caller's verification.
 */
#ifdef NO_BPF_LOOP
#define HAVE_TABLE_WALK true
#else
#define HAVE_TABLE_WALK bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_loop)
#endif
#define WALK_CHUNK 32
#define WALK_CHUNKS (MAX_TABLE_ENTRIES / WALK_CHUNK)
#define NO_SNAPSHOT 0xff

/* What the walk works on: pointers the global functions' callers cannot pass them (5.10). */
struct walk_state {
	struct pending_call *call;
	__u32 *snapshot;
	__u32 *enclosing; /* the enclosing same-table call's snapshot: gets this call's hits */
};

/* Records the entry at `offset` as matched `packets` times; false when hits[] is full. */
static __always_inline bool record_hit(struct event *e, __u32 offset, __u32 packets)
{
	__u32 n = e->nr_hits;

	if (n >= MAX_RULE_HITS) {
		e->rule_status = RULES_TOO_MANY_HITS;
		return false;
	}
	e->hits[n & (MAX_RULE_HITS - 1)].offset = offset;
	e->hits[n & (MAX_RULE_HITS - 1)].packets = packets;
	e->nr_hits = n + 1;
	return true;
}

/* One entry of the table: snapshot its counter, or record it as a hit if it moved. */
static long walk_entry(__u32 unused, void *ctx)
{
	struct walk_state *s = ctx;
	struct table_walk *w = &s->call->walk;
	const void *entry = (const void *)w->entries + w->offset;
	__u32 index = w->index;
	__u64 counter = 0;
	__u16 next = 0;

	if (index >= w->number || index >= MAX_TABLE_ENTRIES || w->offset >= w->size)
		return 1;
	if (bpf_probe_read_kernel(&next, sizeof(next), entry + s->call->next_offset_at) ||
	    bpf_probe_read_kernel(&counter, sizeof(counter), entry + s->call->counters_at) ||
	    !next ||
	    (w->multi_cpu && bpf_probe_read_kernel(&counter, sizeof(counter),
						   (const void *)(counter + w->cpu_offset)))) {
		w->broken = true;
		return 1;
	}
	barrier_var(index); /* keep the mask: the verifier needs it, clang thinks it is redundant */
	index &= MAX_TABLE_ENTRIES - 1;
	if (!w->diff) {
		s->snapshot[index] = counter;
	} else if (s->snapshot[index] != (__u32)counter) {
		if (!record_hit(&s->call->event, w->offset, (__u32)counter - s->snapshot[index]))
			return 1;
		if (s->enclosing)
			s->enclosing[index] += (__u32)counter - s->snapshot[index];
		s->snapshot[index] = counter; /* the next call may start from here */
	}
	w->offset += next;
	w->index++;
	return 0;
}

/* This CPU's counter snapshot of the given level. */
static __always_inline __u32 *snapshot_of_level(__u32 level)
{
	__u32 key = bpf_get_smp_processor_id() * SNAPSHOT_LEVELS + level;

	return bpf_map_lookup_elem(&snapshots, &key);
}

/* The walk of the call in this CPU's slot `slot`: false when it cannot go on. */
static __always_inline bool walk_state_of(__u32 slot, struct walk_state *s)
{
	__u32 zero = 0;
	struct call_stack *stack = bpf_map_lookup_elem(&call_stacks, &zero);

	if (!stack)
		return false;
	s->call = &stack->calls[slot & (MAX_NESTING - 1)];
	s->snapshot = snapshot_of_level(s->call->snapshot_level);
	s->enclosing = NULL;
	if (s->call->walk.enclosing_level != NO_SNAPSHOT)
		s->enclosing = snapshot_of_level(s->call->walk.enclosing_level);
	if (!s->snapshot || (s->call->walk.enclosing_level != NO_SNAPSHOT && !s->enclosing)) {
		s->call->walk.broken = true;
		return false;
	}
	return true;
}

#ifdef NO_BPF_LOOP
/* Up to WALK_CHUNK entries from where the walk stands; 0 when there is more to walk. */
__noinline int walk_chunk(__u32 slot)
{
	struct walk_state s;

	if (!walk_state_of(slot, &s))
		return 1;
	for (__u32 i = 0; i < WALK_CHUNK; i++) {
		/* recompute the call's field addresses each time: hoisted, they took 88 stack bytes */
		barrier_var(s.call);
		if (walk_entry(i, &s))
			return 1;
	}
	return 0;
}
#endif

/* The whole walk of the call in this CPU's slot `slot` (arguments: scalars only before 5.12). */
__noinline int walk_counters(__u32 slot)
{
#ifdef NO_BPF_LOOP
	for (__u32 chunk = 0; chunk < WALK_CHUNKS; chunk++) {
		if (walk_chunk(slot))
			break;
	}
#else
	struct walk_state s;

	if (walk_state_of(slot, &s))
		bpf_loop(MAX_TABLE_ENTRIES, walk_entry, &s, 0);
#endif
	return 0;
}

/* Has this CPU spent its --rules-budget for this second? Only entry walks are refused. */
static __always_inline bool over_budget(struct call_stack *stack)
{
	__u64 now;

	if (!rules_budget_ns)
		return false;
	now = bpf_ktime_get_ns();
	if (now - stack->budget_second >= 1000000000ULL) {
		stack->budget_second = now;
		stack->budget_spent = 0;
	}
	return stack->budget_spent >= rules_budget_ns;
}

/* When a walk begins: the time, if its time counts (--rules-budget, --debug); else 0. */
static __always_inline __u64 walk_began(void)
{
	return rules_budget_ns || time_walks ? bpf_ktime_get_ns() : 0;
}

/* Puts a walk that began at `began` on this CPU's --rules-budget, and on --debug's count. */
static __always_inline void charge_rules_budget(struct call_stack *stack, __u64 began)
{
	__u64 took;

	if (!rules_budget_ns && !time_walks)
		return;
	took = bpf_ktime_get_ns() - began;
	if (rules_budget_ns)
		stack->budget_spent += took;
	if (time_walks) {
		count(COUNTER_WALKS);
		count_by(COUNTER_WALK_NS, took);
	}
}

/* What every walk of ruleset `info` starts from; the caller sets where it begins. */
static __always_inline void start_walk(struct table_walk *w, const struct xt_table_info *info,
				       bool diff, __u8 enclosing_level, bool candidates)
{
	/* the kernel's test (xt_counters_alloc): nr_cpu_ids, as libbpf counts possible CPUs */
	w->multi_cpu = nr_cpus > 1;
	w->entries = (__u64)info + bpf_core_field_offset(struct xt_table_info, entries);
	w->size = BPF_CORE_READ(info, size);
	w->number = BPF_CORE_READ(info, number);
	w->enclosing_level = enclosing_level;
	w->diff = diff;
	w->broken = false;
	w->candidates = candidates;
}

/*
 * Walks every entry of the table's current ruleset; false when the walk could not finish. Its
 * time goes on this CPU's --rules-budget. The call is in this CPU's slot `slot`, its walk's
 * cpu_offset set at entry (snapshot_rules). enclosing_level (diff only): the snapshot to which
 * this call's hits are added, or NO_SNAPSHOT.
 */
static __always_inline bool walk_table(struct call_stack *stack, struct pending_call *call,
				       __u32 slot, const struct xt_table_info *info, bool diff,
				       __u8 enclosing_level)
{
	struct table_walk *w = &call->walk;
	__u64 began = walk_began();

	start_walk(w, info, diff, enclosing_level, false);
	w->offset = 0;
	w->index = 0;
	walk_counters(slot);
	charge_rules_budget(stack, began);
	return !w->broken;
}

/*
 * The slot of the nearest pending call below `slot` measuring the same table, or MAX_NESTING:
 * a call nested in it (e.g. the reset REJECT sends, through OUTPUT) moves counters it must not
 * count.
 */
static __always_inline __u32 enclosing_slot(struct call_stack *stack, __u32 slot, __u64 table)
{
	__u32 found = MAX_NESTING;

	for (__u32 i = 0; i < MAX_NESTING; i++) {
		if (i < slot && stack->calls[i].snapshot_taken &&
		    stack->calls[i].event.table_ptr == table)
			found = i;
	}
	return found;
}

static __always_inline struct pending_call *enclosing_call(struct call_stack *stack, __u32 slot,
							   __u64 table)
{
	__u32 found = enclosing_slot(stack, slot, table);

	return found < MAX_NESTING ? &stack->calls[found] : NULL;
}

#include "rule_candidates.bpf.h"

enum generation_state {
	GENERATION_KNOWN,
	GENERATION_SWAPPING, /* info is neither the old nor the new ruleset of a swap */
	GENERATION_UNKNOWN,  /* not in the map, but generations were lost */
};

/* The generation number of the table's ruleset `info`. */
static __always_inline enum generation_state
generation_of(const struct xt_table *table, const struct xt_table_info *info, __u64 *seq)
{
	__u64 key = (__u64)table;
	struct table_generation *g = bpf_map_lookup_elem(&table_generations, &key);

	*seq = 0;
	if (!g) /* not replaced since tracing began, unless its replacement was not recorded */
		return generations_lost ? GENERATION_UNKNOWN : GENERATION_KNOWN;
	if (g->private == (__u64)info && !g->in_flight)
		*seq = g->seq;
	else if (g->prev_private == (__u64)info)
		*seq = g->prev_seq;
	else
		return GENERATION_SWAPPING;
	return GENERATION_KNOWN;
}

/* At entry: this CPU's counter of every rule, before the table runs. */
static __always_inline void snapshot_rules(struct call_stack *stack, struct pending_call *call,
					   const struct xt_table *table)
{
	struct event *e = &call->event;
	const struct xt_table_info *info = BPF_CORE_READ(table, private);
	__u32 slot = stack->depth; /* pushed after its snapshot: the slot above the top */

	e->table_ptr = (__u64)table;
	call->table_private = (__u64)info;
	call->walk.candidates = false;
	switch (generation_of(table, info, &e->table_gen)) {
	case GENERATION_SWAPPING:
		e->rule_status = RULES_REPLACED;
		return;
	case GENERATION_UNKNOWN:
		e->rule_status = RULES_GENERATION_UNKNOWN;
		return;
	default:
		break;
	}
	/* the call's exit runs on this CPU too (it is in this CPU's stack): one offset for both */
	if (!HAVE_TABLE_WALK || !this_cpu_offset(&call->walk.cpu_offset) ||
	    !read_recseq(call->walk.cpu_offset, &call->recseq)) {
		e->rule_status = RULES_UNAVAILABLE;
		return;
	}
	if (stack->snapshots_used >= SNAPSHOT_LEVELS) {
		e->rule_status = RULES_NESTED;
		return;
	}
	if (BPF_CORE_READ(info, number) > MAX_TABLE_ENTRIES) {
		e->rule_status = RULES_TOO_LARGE;
		return;
	}
	if (over_budget(stack)) {
		e->rule_status = RULES_OVER_BUDGET;
		if (!call->silent)
			count(COUNTER_OVER_BUDGET);
		return;
	}
	call->snapshot_level = stack->snapshots_used & (SNAPSHOT_LEVELS - 1);
	/* an odd sequence: called inside another table's traversal, which counts for both */
	call->recseq_step = call->recseq & 1 ? 0 : 2;
	if (candidate_walk_applies(stack, call, slot) &&
	    walk_candidates_of(stack, call, slot, info)) {
		/* its candidate list holds the counters */
	} else if (!(call->snapshot_level == 0 && stack->fresh &&
		     stack->fresh_private == (__u64)info &&
		     stack->fresh_generation == e->table_gen &&
		     stack->fresh_recseq == call->recseq) &&
		   /* nothing ran on this CPU since the last exit walk of this ruleset, or walk */
		   !walk_table(stack, call, slot, info, false, NO_SNAPSHOT)) {
		stack->fresh = false;
		e->rule_status = RULES_UNAVAILABLE;
		return;
	}
	if (call->snapshot_level == 0)
		stack->fresh = false; /* this traversal will move counters */
	e->rule_status = RULES_OK;
	call->snapshot_taken = true;
	stack->snapshots_used = call->snapshot_level + 1;
}

/*
 * At exit: the rules whose counters moved, if nothing else can have moved them. The snapshot
 * stays this call's until its walk is done: a softirq interrupting the walk must not take it.
 */
static __always_inline void diff_rules(struct call_stack *stack, struct pending_call *call,
				       __u32 slot)
{
	struct event *e = &call->event;
	const struct xt_table *table = (const void *)e->table_ptr;
	const struct xt_table_info *info = BPF_CORE_READ(table, private);
	__u32 outer_slot = enclosing_slot(stack, slot, e->table_ptr);
	struct pending_call *outer =
		outer_slot < MAX_NESTING ? &stack->calls[outer_slot & (MAX_NESTING - 1)] : NULL;
	__u8 enclosing = NO_SNAPSHOT;
	bool take_out = false, walked;
	__u32 after;
	__u64 seq;

	/* Its diff must not count this call's hits: they go into its snapshot too. */
	if (outer && outer->event.table_gen == e->table_gen && !outer->interfered) {
		if (outer->walk.candidates)
			take_out = true; /* after this call's diff, by entry offset */
		else
			enclosing = outer->snapshot_level;
	}

	if ((__u64)info != call->table_private ||
	    generation_of(table, info, &seq) != GENERATION_KNOWN || seq != e->table_gen) {
		e->rule_status = RULES_REPLACED;
		goto release;
	}
	walked = call->walk.candidates ? diff_candidates_of(stack, call, slot)
				       : walk_table(stack, call, slot, info, true, enclosing);
	if (!walked || !read_recseq(call->walk.cpu_offset, &after)) {
		e->rule_status = RULES_UNAVAILABLE;
		goto release;
	}
	if (call->interfered || after - call->recseq != call->recseq_step) {
		e->rule_status = RULES_INTERFERED;
		goto release;
	}
	if (take_out && e->rule_status == RULES_OK)
		take_hits_out_of(outer_slot, slot);
	if (e->rule_status == RULES_OK && call->snapshot_level == 0 && !call->walk.candidates) {
		stack->fresh = true;
		stack->fresh_private = (__u64)info;
		stack->fresh_generation = e->table_gen;
		stack->fresh_recseq = after;
	}
release:
	/* hits this call's diff may have left out, the enclosing call cannot subtract */
	if (outer && (e->rule_status != RULES_OK || (enclosing == NO_SNAPSHOT && !take_out)))
		outer->interfered = true;
	stack->snapshots_used = call->snapshot_level;
	call->snapshot_taken = false; /* another call may take this level while this one is sent */
}

/* A traversal of a table that a pending call on this CPU is measuring spoils its diff. */
static __always_inline void mark_interference(const void *table)
{
	__u32 zero = 0;
	struct call_stack *stack = bpf_map_lookup_elem(&call_stacks, &zero);

	if (!stack || !stack->snapshots_used)
		return;
	for (__u32 i = 0; i < MAX_NESTING; i++) {
		if (i < stack->depth && stack->calls[i].snapshot_taken &&
		    stack->calls[i].event.table_ptr == (__u64)table)
			stack->calls[i].interfered = true;
	}
}

/* Appends string `name` (NUL included) at `at` in the wire buffer; returns the new end. */
static __always_inline __u64 put_name(struct wire_buffer *w, __u64 at, const char *name)
{
	long len;

	if (at > sizeof(w->bytes) - NAME_LEN)
		return at;
	len = bpf_probe_read_kernel_str(w->bytes + at, NAME_LEN, name);
	if (len < 1 || len > NAME_LEN) {
		w->bytes[at] = '\0';
		len = 1;
	}
	return at + len;
}

/* Sends `size` bytes of a map value to user space. */
static __always_inline void output(void *ctx, const void *data, __u64 size)
{
	long failed;

	if (use_ringbuf)
		failed = bpf_ringbuf_output(&events, (void *)data, size, ring_wakeup());
	else
		failed = bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, (void *)data,
					       size);
	if (failed)
		count(COUNTER_LOST);
}

/*
 * Sends the finished event sized to what it carries (EVENT_WIRE_HEAD): a legacy call straight
 * from its slot, an nftables call with its names put after its steps in the wire buffer.
 */
static __always_inline void send_event(void *ctx, const struct event *e)
{
	__u32 zero = 0;
	__u64 entry, hits, end; /* 64-bit: no copies zero-extended apart from their checks */
	struct wire_buffer *w;

	entry = e->engine == ENGINE_NFTABLES ? sizeof(struct nft_step) : sizeof(struct rule_hit);
	hits = e->nr_hits * entry;
	if (hits > sizeof(e->hits))
		hits = sizeof(e->hits);
	barrier_var(hits);
	hits &= 1023; /* for the verifier: it is at most sizeof(e->hits), 512 */
	if (e->engine != ENGINE_NFTABLES) {
		output(ctx, e, EVENT_WIRE_HEAD + hits);
		return;
	}
	w = bpf_map_lookup_elem(&wire_buffers, &zero);
	if (!w) {
		count(COUNTER_LOST);
		return;
	}
	/* both in maps: plain 8-byte copies, fewer instructions than a helper's loop */
	__builtin_memcpy(w->bytes, e, EVENT_WIRE_HEAD);
	if (hits)
		bpf_probe_read_kernel(w->bytes + EVENT_WIRE_HEAD, hits, e->hits);
	end = put_name(w, EVENT_WIRE_HEAD + hits, e->table);
	end = put_name(w, end, e->chain);
	if (end <= sizeof(w->bytes))
		output(ctx, w->bytes, end);
}

/* Calls from index `from` up to the top lost their exit: counted, dropped. */
static __always_inline void drop_calls_above(struct call_stack *stack, __u32 from)
{
	if (stack->depth <= from) /* the usual case: nothing above */
		return;
	for (__u32 i = 0; i < MAX_NESTING; i++) {
		if (i < from || i >= stack->depth)
			continue;
		if (!stack->calls[i].silent)
			count(COUNTER_UNPAIRED);
		/* the snapshot died with its call */
		if (stack->calls[i].snapshot_taken &&
		    stack->calls[i].snapshot_level < stack->snapshots_used)
			stack->snapshots_used = stack->calls[i].snapshot_level;
	}
	set_depth(stack, from);
}

#include "drops.bpf.h"

/*
 * Finds the pending call this exit belongs to, from the top of the stack down, and sends it.
 * Exits of calls the filter rejected find nothing. The call keeps its slot until its event is
 * sent: an interrupt's softirq during the counter walk pushes its own calls above it, and an
 * exit never looks below a call whose exit is in progress (exiting).
 */
static __always_inline int on_exit(void *ctx, __u64 key, __u64 key2, bool key_is_stack_pointer,
				   __u32 verdict, struct sk_buff *typed_skb)
{
	__u32 zero = 0, depth, i, slot;
	struct call_stack *stack;
	struct pending_call *call;

	if (!calls_pending) /* the exit of a filtered-out call, with none pending anywhere */
		return 0;
	stack = bpf_map_lookup_elem(&call_stacks, &zero);
	if (!stack)
		return 0;
	depth = stack->depth;
	for (i = 1; i <= MAX_NESTING; i++) {
		if (i > depth)
			return 0;
		call = &stack->calls[(depth - i) & (MAX_NESTING - 1)];
		if (call->exiting)
			return 0;
		if (key_is_stack_pointer ? key >= call->key && key - call->key <= SP_SLACK
					 : key == call->key && key2 == call->key2)
			break;
	}
	if (i > MAX_NESTING)
		return 0;
	slot = depth - i;
	drop_calls_above(stack, slot + 1);
	call->exiting = true;
	/* cost is the table's own time: taken before the counter walk */
	call->event.cost_ns = bpf_ktime_get_ns() - call->event.ts_ns;
	call->event.verdict = verdict;
	if (track_rules && call->snapshot_taken)
		diff_rules(stack, call, slot);
	if (!call->silent) {
		read_after(&call->event, typed_skb);
		note_drop_verdict(ctx, &call->event);
		send_event(ctx, &call->event);
	}
	call->exiting = false;
	drop_calls_above(stack, slot + 1); /* orphans pushed meanwhile (their exit was skipped) */
	if (stack->depth > slot)
		set_depth(stack, slot);
	return 0;
}

/* x_tables arguments in the order of the running kernel's prototype. */
struct xt_args {
	struct sk_buff *skb;
	const struct nf_hook_state *state;
	const void *table;
};

static __always_inline struct xt_args xt_args(enum hooked_function func, __u64 a, __u64 b, __u64 c)
{
	if (new_prototype[func])
		return (struct xt_args){ (void *)b, (void *)c, (void *)a };
	return (struct xt_args){ (void *)a, (void *)b, (void *)c };
}

/* A kprobe's skb and hook state as typed pointers (TYPED_READS): read as fentry reads them. */
static __always_inline struct xt_args xt_typed_args(struct xt_args args)
{
	args.skb = AS_TYPED(args.skb, struct sk_buff);
	args.state = AS_TYPED(args.state, struct nf_hook_state);
	return args;
}

static __always_inline __u16 xt_l3proto(enum hooked_function func, struct sk_buff *skb, bool btf)
{
	switch (func) {
	case FUNC_IPT_DO_TABLE:
		return ETHERTYPE_IPV4;
	case FUNC_IP6T_DO_TABLE:
		return ETHERTYPE_IPV6;
	case FUNC_ARPT_DO_TABLE:
		return ETHERTYPE_ARP;
	default:
		return bpf_ntohs(KREAD(btf, skb, protocol));
	}
}

/* Where next_offset and counters are in the entries of this function's tables (user ABI). */
static __always_inline void set_entry_layout(struct pending_call *call, enum hooked_function func)
{
	if (func == FUNC_IP6T_DO_TABLE) {
		call->next_offset_at = IP6T_ENTRY_NEXT_OFFSET;
		call->counters_at = IP6T_ENTRY_COUNTERS;
	} else if (func == FUNC_ARPT_DO_TABLE) {
		call->next_offset_at = ARPT_ENTRY_NEXT_OFFSET;
		call->counters_at = ARPT_ENTRY_COUNTERS;
	} else {
		call->next_offset_at = IPT_ENTRY_NEXT_OFFSET;
		call->counters_at = IPT_ENTRY_COUNTERS;
	}
}

/*
 * Entry of ipt/ip6t/arpt/ebt_do_table. key 0: identify the call by skb and table. btf: the
 * arguments are typed (fentry).
 */
static __always_inline int xt_entry(void *ctx, enum hooked_function func, __u64 key, __u64 a,
				    __u64 b, __u64 c, bool btf)
{
	struct xt_args args = xt_args(func, a, b, c);
	__u16 l3proto;
	bool rules = track_rules && func != FUNC_EBT_DO_TABLE;
	struct call_stack *stack;
	struct pending_call *call;
	struct decision d;
	struct event *e;
	const char *name;
	bool traced;

	if (TYPED_READS_ON && !btf) {
		args = xt_typed_args(args);
		btf = true;
	}
	l3proto = xt_l3proto(func, args.skb, btf);
	/* ipt_do_table's calls were tested by the program already (xt_rejected_early) */
	if (func != FUNC_IPT_DO_TABLE && entry_rejected_early(args.skb, l3proto, btf))
		return 0;
	traced = filter_decides(&d, args.skb, args.state, l3proto, btf);
	/* Filtered out with no call pending: no measured call whose diff it could spoil. */
	if (!traced && (!rules || !calls_pending))
		return 0;
	call = push_slot(&stack);
	if (!call) {
		if (rules)
			mark_interference(args.table);
		return 0;
	}
	e = &call->event;
	if (traced) {
		note_entry_stack(ctx, e); /* first: ctx is not kept for later */
		fill_event(e, &d, args.skb, args.state, l3proto, btf);
	} else {
		/* Inside a measured call of this table: walked, not shown, to keep its diff. */
		if (!enclosing_call(stack, stack->depth, (__u64)args.table))
			return 0;
		call->silent = true;
	}
	if (func == FUNC_EBT_DO_TABLE) {
		e->engine = ENGINE_EBTABLES;
		name = ((const struct ebt_table *)args.table)->name;
	} else {
		e->engine = func == FUNC_ARPT_DO_TABLE ? ENGINE_ARPTABLES : ENGINE_IPTABLES;
		name = ((const struct xt_table *)args.table)->name;
	}
	read_table_name(e->legacy_table, name);
	if (e->engine == ENGINE_IPTABLES && e->legacy_table[0] == 'n' &&
	    e->legacy_table[1] == 'a' && e->legacy_table[2] == 't' && !e->legacy_table[3])
		e->flags |= EVENT_NAT_CALL;
	if (rules) {
		set_entry_layout(call, func);
		snapshot_rules(stack, call, args.table);
		e->ts_ns = bpf_ktime_get_ns(); /* cost excludes the walk */
		if (!call->snapshot_taken)     /* it cannot take its hits out of enclosing calls */
			mark_interference(args.table);
	}
	if (key)
		push(stack, call, key, 0);
	else
		push(stack, call, (__u64)args.skb, (__u64)args.table);
	return 0;
}

static __always_inline int xt_fexit(void *ctx, enum hooked_function func, __u64 a, __u64 b, __u64 c,
				    __u32 verdict)
{
	struct xt_args args = xt_args(func, a, b, c);

	return on_exit(ctx, (__u64)args.skb, (__u64)args.table, false, verdict, args.skb);
}

static __always_inline const struct nf_hook_state *nft_state(struct nft_pktinfo *pkt, bool btf)
{
	if (bpf_core_field_exists(pkt->state))
		return KREAD(btf, pkt, state);
	return KREAD(btf, (struct nft_pktinfo___with_xt *)pkt, xt.state);
}

/* Entry of nft_do_chain(pkt, priv): priv is the base chain. key 0: identify by pkt. */
static __always_inline int nft_entry(void *ctx, __u64 key, struct nft_pktinfo *pkt,
				     struct nft_chain *chain, bool btf)
{
	struct nft_base_chain *base;
	const struct nf_hook_state *state;
	struct call_stack *stack;
	struct pending_call *call;
	struct nft_table *table;
	struct sk_buff *skb;
	struct decision d;
	struct event *e;
	__u16 l3proto;

	skb = KREAD(btf, pkt, skb);
	state = nft_state(pkt, btf);
	l3proto = bpf_ntohs(KREAD(btf, skb, protocol));
	if (entry_rejected_early(skb, l3proto, btf) ||
	    !filter_decides(&d, skb, state, l3proto, btf))
		return 0;
	call = push_slot(&stack);
	if (!call)
		return 0;
	e = &call->event;
	note_entry_stack(ctx, e);
	fill_event(e, &d, skb, state, l3proto, btf);
	e->engine = ENGINE_NFTABLES;
	table = BPF_CORE_READ(chain, table);
	e->family = BPF_CORE_READ_BITFIELD_PROBED(table, family);
	bpf_probe_read_kernel_str(e->table, sizeof(e->table), BPF_CORE_READ(table, name));
	bpf_probe_read_kernel_str(e->chain, sizeof(e->chain), BPF_CORE_READ(chain, name));
	base = (void *)chain - bpf_core_field_offset(struct nft_base_chain, chain);
	e->priority = BPF_CORE_READ(base, ops.priority);
	if (BPF_CORE_READ(base, type, type) == NFT_CHAIN_T_NAT)
		e->flags |= EVENT_NAT_CALL;
	e->nft_table_handle = BPF_CORE_READ(table, handle);
	e->rule_status = nft_trace_variant != NFT_TRACE_OFF ? RULES_OK : RULES_NOT_TRACKED;
	call->nft_pkt = (__u64)pkt;
	push(stack, call, key ? key : (__u64)pkt, key ? 0 : (__u64)chain);
	return 0;
}

static __always_inline __u64 nft_rule_handle(const void *rule)
{
	if (!rule)
		return 0;
	if (bpf_core_type_exists(struct nft_rule_dp))
		return BPF_CORE_READ_BITFIELD_PROBED((const struct nft_rule_dp *)rule, handle);
	return BPF_CORE_READ_BITFIELD_PROBED((const struct nft_rule___old *)rule, handle);
}

/* One rule decision, policy or return inside the nft_do_chain call on top of this CPU's stack. */
static __always_inline int nft_trace(const void *pkt, const struct nft_verdict *verdict,
				     const void *rule, __u32 type)
{
	__u32 zero = 0, n;
	struct call_stack *stack;
	struct pending_call *call;
	struct nft_step *step;
	struct event *e;

	if (!calls_pending)
		return 0;
	stack = bpf_map_lookup_elem(&call_stacks, &zero);
	if (!stack || stack->depth == 0 || stack->depth > MAX_NESTING)
		return 0;
	call = &stack->calls[(stack->depth - 1) & (MAX_NESTING - 1)];
	e = &call->event;
	if (e->engine != ENGINE_NFTABLES || call->nft_pkt != (__u64)pkt)
		return 0;
	n = e->nr_hits;
	if (n >= MAX_NFT_STEPS) {
		e->rule_status = RULES_TOO_MANY_HITS;
		return 0;
	}
	step = &e->steps[n & (MAX_NFT_STEPS - 1)];
	step->type = type;
	step->verdict = BPF_CORE_READ(verdict, code);
	step->target_chain = 0;
	if (step->verdict == NFT_JUMP || step->verdict == NFT_GOTO)
		step->target_chain = BPF_CORE_READ(verdict, chain, handle);
	step->rule_handle = nft_rule_handle(rule);
	/* 6.12 reports a chain's end as a rule step: verdict continue on the end marker (handle 0) */
	if (type == NFT_STEP_RULE && step->verdict == NFT_CONTINUE && !step->rule_handle)
		step->type = NFT_STEP_RETURN;
	e->nr_hits = n + 1;
	return 0;
}

/* The arguments by variant; ctx[] beyond the function's own arguments must not be read. */
static __always_inline int nft_trace_args(__u64 a, __u64 b, __u64 c, __u64 d, __u64 e)
{
	const struct nft_traceinfo___with_pkt *info;

	switch (nft_trace_variant) {
	case NFT_TRACE_INFO_CHAIN_RULE_TYPE:
		info = (const void *)a;
		return nft_trace(BPF_CORE_READ(info, pkt), BPF_CORE_READ(info, verdict), (void *)c,
				 d);
	case NFT_TRACE_INFO_CHAIN_TYPE:
		info = (const void *)a;
		return nft_trace(BPF_CORE_READ(info, pkt), BPF_CORE_READ(info, verdict),
				 BPF_CORE_READ(info, rule), c);
	case NFT_TRACE_PKT_VERDICT_RULE_INFO_TYPE:
		return nft_trace((void *)a, (void *)b, (void *)c, e);
	default:
		return 0;
	}
}

/*
 * rejected_early() on an iptables call, from the raw arguments: in the program itself, before
 * the entry's setup, so a rejected call costs only its own loads. btf: see KREAD (kprobes
 * without typed reads probe-read the header's place, then its twelve bytes).
 */
static __always_inline bool xt_rejected_early(enum hooked_function func, __u64 a, __u64 b, bool btf)
{
	if (func != FUNC_IPT_DO_TABLE)
		return false;
	struct sk_buff *skb = (void *)(new_prototype[func] ? b : a);

	/* fentry's arguments are typed already */
	return rejected_early(btf ? skb : AS_TYPED(skb, struct sk_buff), ETHERTYPE_IPV4,
			      btf || TYPED_READS_ON);
}

/* The same for an nft_do_chain call. */
static __always_inline bool nft_rejected_early(struct nft_pktinfo *pkt, bool btf)
{
	struct sk_buff *skb;

	if (!TYPED_READS_ON && !btf) { /* three probe reads: skb, its header's place, the header */
		const void *nh;
		__u16 l3proto;

		if (!early_test_applies())
			return false;
		nh = probe_network_header(BPF_CORE_READ(pkt, skb), &l3proto);
		return l3proto == ETHERTYPE_IPV4 && ipv4_header_rejected(nh);
	}
	/*
	 * kprobes: not a typed nft_pktinfo, which some kernels' BTF has twice (CO-RE refuses), but
	 * its first member read as sk_buff_head's, which is an sk_buff pointer too: a typed load
	 */
	skb = btf ? pkt->skb : AS_TYPED(pkt, struct sk_buff_head)->next;
	return rejected_early(skb, bpf_ntohs(skb->protocol), true);
}

/*
 * A subprogram's result, hidden from the compiler: a result it knows to be constant is folded
 * into the callers, and the subprogram then exits with whatever r0 held (a stack pointer the
 * verifier refuses).
 */
static __always_inline int opaque_result(int result)
{
	asm volatile("" : "+r"(result));
	return result;
}

/* A kretprobe's exit while calls are pending (its own subprogram: see XT_PROGRAMS). */
static __noinline int kretprobe_pending(struct pt_regs *ctx)
{
	return opaque_result(on_exit(ctx, PT_REGS_SP(ctx), 0, true, (__u32)PT_REGS_RC(ctx), NULL));
}

/*
 * Without typed reads the kprobe entry stays inline: as a subprogram its frame put it over the
 * 512-byte combined stack on 6.1.
 */
#ifdef TYPED_READS
#define KPROBE_ENTRY_BODY __noinline
#else
#define KPROBE_ENTRY_BODY __always_inline
#endif

/*
 * Thin per-backend wrappers: fentry/fexit see typed arguments, kprobes read registers. The
 * work after the early rejection is a subprogram of its own, so that a rejected call (and the
 * exit of a call nothing is pending for) runs only the small program: no saving of the
 * registers and stack the rest needs.
 */
#define XT_PROGRAMS(fn, func)                                                                  \
	static __noinline int fentry_##fn##_traced(__u64 *ctx)                                 \
	{                                                                                      \
		return opaque_result(xt_entry(ctx, func, 0, ctx[0], ctx[1], ctx[2], true));    \
	}                                                                                      \
	SEC("fentry/" #fn)                                                                     \
	int fentry_##fn(__u64 *ctx)                                                            \
	{                                                                                      \
		if (xt_rejected_early(func, ctx[0], ctx[1], true))                             \
			return 0;                                                              \
		return fentry_##fn##_traced(ctx);                                              \
	}                                                                                      \
	static __noinline int fexit_##fn##_pending(__u64 *ctx)                                 \
	{                                                                                      \
		return opaque_result(xt_fexit(ctx, func, ctx[0], ctx[1], ctx[2], ctx[3]));     \
	}                                                                                      \
	SEC("fexit/" #fn)                                                                      \
	int fexit_##fn(__u64 *ctx)                                                             \
	{                                                                                      \
		if (!calls_pending) /* before reading the arguments: most exits */             \
			return 0;                                                              \
		return fexit_##fn##_pending(ctx);                                              \
	}                                                                                      \
	static KPROBE_ENTRY_BODY int kprobe_##fn##_traced(struct pt_regs *ctx)                 \
	{                                                                                      \
		return opaque_result(xt_entry(ctx, func, PT_REGS_SP(ctx), PT_REGS_PARM1(ctx),  \
					      PT_REGS_PARM2(ctx), PT_REGS_PARM3(ctx), false)); \
	}                                                                                      \
	SEC("kprobe/" #fn)                                                                     \
	int kprobe_##fn(struct pt_regs *ctx)                                                   \
	{                                                                                      \
		if (xt_rejected_early(func, PT_REGS_PARM1(ctx), PT_REGS_PARM2(ctx), false))    \
			return 0;                                                              \
		return kprobe_##fn##_traced(ctx);                                              \
	}                                                                                      \
	SEC("kretprobe/" #fn)                                                                  \
	int kretprobe_##fn(struct pt_regs *ctx)                                                \
	{                                                                                      \
		if (!calls_pending)                                                            \
			return 0;                                                              \
		return kretprobe_pending(ctx);                                                 \
	}

XT_PROGRAMS(ipt_do_table, FUNC_IPT_DO_TABLE)
XT_PROGRAMS(ip6t_do_table, FUNC_IP6T_DO_TABLE)
XT_PROGRAMS(arpt_do_table, FUNC_ARPT_DO_TABLE)
XT_PROGRAMS(ebt_do_table, FUNC_EBT_DO_TABLE)

/* nft_do_chain(pkt, priv): priv is the base chain. Split as XT_PROGRAMS. */
static __noinline int fentry_nft_do_chain_traced(__u64 *ctx)
{
	return opaque_result(
		nft_entry(ctx, 0, (struct nft_pktinfo *)ctx[0], (struct nft_chain *)ctx[1], true));
}

SEC("fentry/nft_do_chain")
int fentry_nft_do_chain(__u64 *ctx)
{
	if (nft_rejected_early((struct nft_pktinfo *)ctx[0], true))
		return 0;
	return fentry_nft_do_chain_traced(ctx);
}

static __noinline int fexit_nft_do_chain_pending(__u64 *ctx)
{
	struct nft_pktinfo *pkt = (void *)ctx[0];

	return opaque_result(on_exit(ctx, (__u64)pkt, ctx[1], false, (__u32)ctx[2], pkt->skb));
}

SEC("fexit/nft_do_chain")
int fexit_nft_do_chain(__u64 *ctx)
{
	if (!calls_pending)
		return 0;
	return fexit_nft_do_chain_pending(ctx);
}

static KPROBE_ENTRY_BODY int kprobe_nft_do_chain_traced(struct pt_regs *ctx)
{
	return opaque_result(nft_entry(ctx, PT_REGS_SP(ctx),
				       (struct nft_pktinfo *)PT_REGS_PARM1(ctx),
				       (struct nft_chain *)PT_REGS_PARM2(ctx), false));
}

SEC("kprobe/nft_do_chain")
int kprobe_nft_do_chain(struct pt_regs *ctx)
{
	if (nft_rejected_early((struct nft_pktinfo *)PT_REGS_PARM1(ctx), false))
		return 0;
	return kprobe_nft_do_chain_traced(ctx);
}

SEC("kretprobe/nft_do_chain")
int kretprobe_nft_do_chain(struct pt_regs *ctx)
{
	if (!calls_pending)
		return 0;
	return kretprobe_pending(ctx);
}

SEC("fentry/__nft_trace_packet")
int fentry___nft_trace_packet(__u64 *ctx)
{
	switch (nft_trace_variant) {
	case NFT_TRACE_INFO_CHAIN_TYPE:
		return nft_trace_args(ctx[0], ctx[1], ctx[2], 0, 0);
	case NFT_TRACE_INFO_CHAIN_RULE_TYPE:
		return nft_trace_args(ctx[0], ctx[1], ctx[2], ctx[3], 0);
	default:
		return nft_trace_args(ctx[0], ctx[1], ctx[2], ctx[3], ctx[4]);
	}
}

SEC("kprobe/__nft_trace_packet")
int BPF_KPROBE(kprobe___nft_trace_packet, __u64 a, __u64 b, __u64 c, __u64 d, __u64 e)
{
	return nft_trace_args(a, b, c, d, e);
}

/*
 * A new ruleset generation begins (a replacement, or a table's registration): numbered, in
 * flight until xt_replace_table returns. A generation the map cannot hold is counted lost.
 */
static __always_inline int replacement_starts(const struct xt_table *table, const void *newinfo)
{
	__u64 key = (__u64)table, task = bpf_get_current_pid_tgid();
	struct table_generation *old = bpf_map_lookup_elem(&table_generations, &key);
	struct table_generation g = {
		.private = (__u64)newinfo,
		.prev_private = (__u64)BPF_CORE_READ(table, private),
		.prev_seq = old ? old->seq : 0,
		.in_flight = 1,
	};
	__u32 zero = 0;
	__u64 *given = bpf_map_lookup_elem(&generations_given, &zero);

	if (!given) {
		generations_lost = true;
		return 0;
	}
	*given += 1;
	g.seq = *given << 16 | bpf_get_smp_processor_id();
	if (bpf_map_update_elem(&table_generations, &key, &g, BPF_ANY)) {
		generations_lost = true;
		return 0;
	}
	bpf_map_update_elem(&replacing, &task, &key, BPF_ANY);
	return 0;
}

/* The table is going away: its address may next belong to another table. */
static __always_inline int table_unregistered(const void *table)
{
	__u64 key = (__u64)table;

	bpf_map_delete_elem(&table_generations, &key);
	return 0;
}

SEC("fentry/xt_unregister_table")
int BPF_PROG(fentry_xt_unregister_table, struct xt_table *table)
{
	return table_unregistered(table);
}

SEC("kprobe/xt_unregister_table")
int BPF_KPROBE(kprobe_xt_unregister_table, struct xt_table *table)
{
	return table_unregistered(table);
}

static __always_inline int replacement_done(void)
{
	__u64 task = bpf_get_current_pid_tgid();
	__u64 *table = bpf_map_lookup_elem(&replacing, &task);
	struct table_generation *g;

	if (!table)
		return 0;
	g = bpf_map_lookup_elem(&table_generations, table);
	if (g)
		g->in_flight = 0;
	bpf_map_delete_elem(&replacing, &task);
	return 0;
}

SEC("fentry/xt_replace_table")
int BPF_PROG(fentry_xt_replace_table, struct xt_table *table, unsigned int num_counters,
	     struct xt_table_info *newinfo)
{
	return replacement_starts(table, newinfo);
}

SEC("fexit/xt_replace_table")
int BPF_PROG(fexit_xt_replace_table)
{
	return replacement_done();
}

SEC("kprobe/xt_replace_table")
int BPF_KPROBE(kprobe_xt_replace_table, struct xt_table *table, unsigned int num_counters,
	       struct xt_table_info *newinfo)
{
	return replacement_starts(table, newinfo);
}

SEC("kretprobe/xt_replace_table")
int BPF_KRETPROBE(kretprobe_xt_replace_table)
{
	return replacement_done();
}

/*
 * Tracking (track.bpf.h): a copy of a tracked skb carries the same packet; a freed skb ends
 * it. Loaded only with tracking on, the copy and free hooks with the chosen backend.
 */

static __always_inline int copied(struct sk_buff *skb, struct sk_buff *copy)
{
	track_copy((__u64)skb, (__u64)copy);
	return 0;
}

SEC("fexit/skb_clone")
int BPF_PROG(fexit_skb_clone, struct sk_buff *skb, gfp_t gfp, struct sk_buff *copy)
{
	return copied(skb, copy);
}

SEC("fexit/skb_copy")
int BPF_PROG(fexit_skb_copy, struct sk_buff *skb, gfp_t gfp, struct sk_buff *copy)
{
	return copied(skb, copy);
}

/* pskb_copy() and pskb_copy_for_clone() are inline wrappers of it. */
SEC("fexit/__pskb_copy_fclone")
int BPF_PROG(fexit___pskb_copy_fclone, struct sk_buff *skb, int headroom, gfp_t gfp, bool fclone,
	     struct sk_buff *copy)
{
	return copied(skb, copy);
}

/* kprobes: the skb being copied, from entry to return, per CPU (copies do not nest). */
struct copy_in_progress {
	__u64 skb;
	__u64 sp;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct copy_in_progress);
} copies SEC(".maps");

static __always_inline int copy_starts(struct pt_regs *ctx, struct sk_buff *skb)
{
	__u32 zero = 0;
	struct copy_in_progress *c = bpf_map_lookup_elem(&copies, &zero);

	if (c) {
		c->skb = (__u64)skb;
		c->sp = PT_REGS_SP(ctx);
	}
	return 0;
}

static __always_inline int copy_done(struct pt_regs *ctx, struct sk_buff *copy)
{
	__u32 zero = 0;
	struct copy_in_progress *c = bpf_map_lookup_elem(&copies, &zero);
	__u64 sp = PT_REGS_SP(ctx);

	if (!c || !c->skb || sp < c->sp || sp - c->sp > SP_SLACK)
		return 0;
	track_copy(c->skb, (__u64)copy);
	c->skb = 0;
	return 0;
}

#define COPY_KPROBES(fn)                                        \
	SEC("kprobe/" #fn)                                      \
	int BPF_KPROBE(kprobe_##fn, struct sk_buff *skb)        \
	{                                                       \
		return copy_starts(ctx, skb);                   \
	}                                                       \
	SEC("kretprobe/" #fn)                                   \
	int BPF_KRETPROBE(kretprobe_##fn, struct sk_buff *copy) \
	{                                                       \
		return copy_done(ctx, copy);                    \
	}

COPY_KPROBES(skb_clone)
COPY_KPROBES(skb_copy)
COPY_KPROBES(__pskb_copy_fclone)

/*
 * Frees the tracepoints below do not see: __kfree_skb called directly (TCP's receive path),
 * skb_attempt_defer_free (freed later on another CPU, silently), kfree_skb_partial and
 * napi_skb_free_stolen_head (the data went to another skb: TCP coalescing, IP reassembly, GRO;
 * the skb itself goes straight back to its cache).
 */
#define FREE_PROGRAMS(fn)                                \
	SEC("fentry/" #fn)                               \
	int BPF_PROG(fentry_##fn, struct sk_buff *skb)   \
	{                                                \
		track_forget((__u64)skb);                \
		return 0;                                \
	}                                                \
	SEC("kprobe/" #fn)                               \
	int BPF_KPROBE(kprobe_##fn, struct sk_buff *skb) \
	{                                                \
		track_forget((__u64)skb);                \
		return 0;                                \
	}

FREE_PROGRAMS(__kfree_skb)
FREE_PROGRAMS(skb_attempt_defer_free)
FREE_PROGRAMS(kfree_skb_partial)
FREE_PROGRAMS(napi_skb_free_stolen_head)

SEC("tp_btf/consume_skb")
int BPF_PROG(tp_consume_skb, struct sk_buff *skb)
{
	track_forget((__u64)skb);
	return 0;
}

/*
 * skb:kfree_skb: the skb is dropped and freed. The drop is reported first (drops.bpf.h: it
 * reads the tracking entry), the end of tracking must stay the last thing here.
 */
static __always_inline int on_skb_freed(void *ctx, struct sk_buff *skb, __u64 location,
					__u32 reason)
{
	if (report_drops && reason != drop_consumed_reason && drop_is_traced(skb))
		send_drop(ctx, skb, location, reason);
	/* ---- end of tracking: last ---- */
	if (track_packets)
		track_forget((__u64)skb);
	return 0;
}

/*
 * kfree_skb(skb, location) before 5.17; (skb, location, reason[, rx_sk]) since. tp_btf where
 * the kernel's BTF is at hand, raw_tracepoint with --btf. Loaded for drops, tracking or both.
 */
SEC("tp_btf/kfree_skb")
int tp_kfree_skb(__u64 *ctx)
{
	return on_skb_freed(ctx, (void *)ctx[0], ctx[1], drop_has_reason ? (__u32)ctx[2] : 0);
}

SEC("raw_tracepoint/kfree_skb")
int raw_tp_kfree_skb(struct bpf_raw_tracepoint_args *ctx)
{
	return on_skb_freed(ctx, (void *)ctx->args[0], ctx->args[1],
			    drop_has_reason ? (__u32)ctx->args[2] : 0);
}

char LICENSE[] SEC("license") = "GPL";
