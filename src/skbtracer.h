/* SPDX-License-Identifier: Apache-2.0 */
/* The ABI shared by the BPF programs and user space: fixed-width types only. */
#ifndef SKBTRACER_H
#define SKBTRACER_H

#define IFNAME_LEN 16
#define NAME_LEN 256 /* NFT_NAME_MAXLEN: table and chain names are never cut */
/* A legacy table's name is NUL-terminated within these (xt_table's and ebt_table's name). */
#define LEGACY_NAME_LEN 32

/* Netfilter protocol families (NFPROTO_*): nf_hook_state->pf, nft_table->family. */
#define PF_FAMILY_INET 1
#define PF_FAMILY_IPV4 2
#define PF_FAMILY_ARP 3
#define PF_FAMILY_NETDEV 5
#define PF_FAMILY_BRIDGE 7
#define PF_FAMILY_IPV6 10

/* Ethernet protocol numbers, host byte order. */
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_IPV6 0x86dd

/* The packet-filter engines, one kernel function (or two) each. */
enum engine {
	ENGINE_IPTABLES,  /* ipt_do_table, ip6t_do_table */
	ENGINE_NFTABLES,  /* nft_do_chain */
	ENGINE_ARPTABLES, /* arpt_do_table */
	ENGINE_EBTABLES,  /* ebt_do_table */
	ENGINE_MAX,
};

/* Hooked functions; also indexes the per-function prototype flags. */
enum hooked_function {
	FUNC_IPT_DO_TABLE,
	FUNC_IP6T_DO_TABLE,
	FUNC_ARPT_DO_TABLE,
	FUNC_EBT_DO_TABLE,
	FUNC_NFT_DO_CHAIN,
	FUNC_XT_REPLACE_TABLE,	  /* not an engine: marks ruleset generations for attribution */
	FUNC_NFT_TRACE_PACKET,	  /* not an engine: nftables rule decisions (--nft-trace) */
	FUNC_XT_UNREGISTER_TABLE, /* not an engine: forgets a freed table's generations */
	/* not engines: tracking follows copies of a packet, and ends when it is freed */
	FUNC_SKB_CLONE,
	FUNC_SKB_COPY,
	FUNC_PSKB_COPY,	     /* __pskb_copy_fclone */
	FUNC_KFREE_SKB,	     /* __kfree_skb */
	FUNC_SKB_DEFER_FREE, /* skb_attempt_defer_free (5.19+) */
	FUNC_KFREE_SKB_PARTIAL,
	FUNC_STOLEN_HEAD_FREE, /* napi_skb_free_stolen_head */
	FUNC_MAX,
};

/* Which fields of struct filter are set. */
enum filter_flags {
	FILTER_ADDR = 1 << 0,
	FILTER_PROTO = 1 << 1,
	FILTER_PORT = 1 << 2,
	FILTER_SPORT = 1 << 3,
	FILTER_DPORT = 1 << 4,
	FILTER_ICMPID = 1 << 5,
	FILTER_PID = 1 << 6,
	FILTER_NETNS = 1 << 7,
	FILTER_IFACE = 1 << 8,
};

/* What the user asked for; read by the BPF programs at function entry. */
struct filter {
	__u32 flags;
	__u8 addr[16] __attribute__((aligned(4))); /* an IPv4 address is one 32-bit load */
	__u8 addr_family; /* PF_FAMILY_IPV4 (also ARP addresses) or PF_FAMILY_IPV6 */
	__u8 l4proto;	  /* IPPROTO_* */
	__u16 port;	  /* host byte order, as are the next three */
	__u16 sport;
	__u16 dport;
	__u16 icmpid;
	__u32 pid;
	__u32 netns;
	char iface[IFNAME_LEN];
};

/*
 * Rule attribution for legacy tables (iptables, ip6tables, arptables). Distinct entries one
 * call can match: a ufw default-policy drop matches 17 (measured, VM scenario 335).
 */
#define MAX_RULE_HITS 64
#define MAX_TABLE_ENTRIES 32768 /* entries a walk covers; a power of two */
/*
 * Counter snapshots per CPU (a power of two): one for the outermost call, one for a call
 * nested in it (the reply REJECT, SYNPROXY or TEE sends traverses OUTPUT inside the call).
 */
#define SNAPSHOT_LEVELS 2
/* Candidate lists per CPU (a power of two): the rule walks of recent calls, for reuse. */
#define CANDIDATE_LISTS 8

/*
 * Where next_offset and counters are in ipt_entry, ip6t_entry and arpt_entry: user ABI (the
 * uapi headers), so fixed, and usable without the x_tables modules' BTF (absent before 5.11).
 * tests/unit checks them against the uapi headers.
 */
#define IPT_ENTRY_NEXT_OFFSET 90
#define IPT_ENTRY_COUNTERS 96
#define IP6T_ENTRY_NEXT_OFFSET 142
#define IP6T_ENTRY_COUNTERS 152
#define ARPT_ENTRY_NEXT_OFFSET 166
#define ARPT_ENTRY_COUNTERS 176

/* struct ipt_entry up to its matches, as the candidate walk reads it (user ABI; tests/unit). */
struct ipt_entry_head {
	__u32 src, dst, smsk, dmsk;
	char iniface[IFNAME_LEN], outiface[IFNAME_LEN];
	__u64 iniface_mask[2], outiface_mask[2];
	__u16 proto;
	__u8 flags;
	__u8 invflags;
	__u32 nfcache;
	__u16 target_offset;
	__u16 next_offset;
	__u32 comefrom;
	__u64 pcnt; /* SMP: the per-CPU counters' address */
	__u64 bcnt;
};

/* struct xt_entry_target as the kernel holds it, up to a standard target's verdict. */
struct entry_target_head {
	__u16 target_size;
	__u64 target; /* struct xt_target * */
	__u8 user_part[16];
	__s32 verdict; /* standard targets only */
};

enum rule_status {
	RULES_NOT_TRACKED,	  /* this engine has no attribution */
	RULES_OK,		  /* hits[] lists every entry the packet matched */
	RULES_NESTED,		  /* another table walk was in progress on this CPU */
	RULES_INTERFERED,	  /* another traversal of the table ran on this CPU meanwhile */
	RULES_REPLACED,		  /* the table was replaced during the call */
	RULES_TOO_LARGE,	  /* the table has more entries than a walk covers */
	RULES_TOO_MANY_HITS,	  /* more matched entries than hits[] holds */
	RULES_UNAVAILABLE,	  /* no symbols the walk needs, or an entry was unreadable */
	RULES_GENERATION_UNKNOWN, /* generations were lost (map full): this table's is unknown */
	RULES_OVER_BUDGET,	  /* this CPU spent its --rules-budget for the current second */
};

/* An entry whose counter moved during a call: its blob offset, and by how many packets. */
struct rule_hit {
	__u32 offset;
	__u32 packets;
};

/*
 * The ruleset generations of a legacy table replaced (or registered) while tracing
 * (xt_replace_table). Numbers are unique across all tables and never reused; 0 is the ruleset
 * a table had when tracing began.
 */
struct table_generation {
	__u64 private;	    /* struct xt_table_info * of the newest generation */
	__u64 seq;	    /* its number */
	__u64 prev_private; /* the generation it replaces, until the swap is done */
	__u64 prev_seq;
	__u32 in_flight; /* xt_replace_table is still running */
	__u32 pad;
};

/* nftables rule attribution: the decisions __nft_trace_packet reports during one call. */
#define MAX_NFT_STEPS 16

/* __nft_trace_packet's parameters differ by kernel; user space reads which from BTF. */
enum nft_trace_variant {
	NFT_TRACE_OFF,
	NFT_TRACE_INFO_CHAIN_RULE_TYPE,	      /* (info, chain, rule, type), before 6.0 */
	NFT_TRACE_INFO_CHAIN_TYPE,	      /* (info, chain, type): the rule in info->rule */
	NFT_TRACE_PKT_VERDICT_RULE_INFO_TYPE, /* (pkt, verdict, rule, info, type) */
};

enum nft_trace_type { NFT_STEP_POLICY = 1, NFT_STEP_RETURN = 2, NFT_STEP_RULE = 3 };

struct nft_step {
	__u64 rule_handle;  /* 0 for a policy or a chain's end */
	__u64 target_chain; /* handle of the chain a jump or goto enters */
	__s32 verdict;	    /* NF_* or NFT_JUMP/GOTO/RETURN/CONTINUE */
	__u32 type;	    /* enum nft_trace_type */
};

/* Indexes of the per-CPU counters map. */
enum counter {
	COUNTER_LOST,	      /* event not delivered: ring buffer full */
	COUNTER_UNPAIRED,     /* entry seen, exit never matched it */
	COUNTER_TOO_DEEP,     /* call refused: MAX_NESTING calls in progress on the CPU */
	COUNTER_EVICTED,      /* a tracked packet pushed out of the tracking table by a newer one */
	COUNTER_STACK_LOST,   /* --stack: bpf_get_stackid failed (map full, -EEXIST collision) */
	COUNTER_OVER_BUDGET,  /* a table call not attributed: its CPU's --rules-budget was spent */
	COUNTER_WALKS,	      /* --debug: rule walks (entry and exit ones), and */
	COUNTER_WALK_NS,      /* their time */
	COUNTER_LISTS_WALKED, /* --debug: candidate lists made by a walk of the table, */
	COUNTER_LISTS_REUSED, /* lists found (only their counters read), */
	COUNTER_LISTS_GIVEN_UP, /* calls sent to the full walk by a list given up */
	COUNTER_MAX,
};

enum event_flags {
	EVENT_HAS_MAC = 1 << 0,	  /* dest_mac and src_mac hold the Ethernet header's */
	EVENT_HAS_PORTS = 1 << 1, /* sport/dport are set (TCP, UDP) */
	EVENT_HAS_ICMP = 1 << 2,  /* icmp_* are set (ICMP, ICMPv6) */
	EVENT_FRAGMENT = 1 << 3,  /* non-first fragment: no transport header */
	EVENT_HAS_ADDRS = 1 << 4, /* saddr/daddr are set (IPv4, IPv6, ARP) */
	EVENT_HAS_ARP = 1 << 5,	  /* arp_op and arp_sha are set */
	EVENT_HAS_VLAN = 1 << 6,  /* vlan_id is set */
	EVENT_TRACKED = 1 << 7,	  /* shown because its packet is tracked, not by the filter */
	EVENT_NAT_CALL = 1 << 8,  /* a nat table or a nat-type chain */
	EVENT_HAS_AFTER = 1 << 9, /* ct_after, ctinfo_after, mark_after read at exit */
	EVENT_HAS_NAT = 1 << 10,  /* nat_orig and nat_reply hold the conntrack tuples at exit */
};

/*
 * A packet followed across table calls, NAT and clones: held in the tracking table with the
 * skb's address, from its first match of the filter until the skb is freed.
 */
struct tracked_packet {
	__u64 id;	  /* unique per run: same id, same packet */
	__u64 parent_skb; /* the skb this one was cloned or copied from; 0 for the first */
	__u64 cause_id;	  /* the packet whose table call sent this one (REJECT's reply), or 0 */
};

/* Default size of the tracking table (--track-entries). */
#define TRACK_ENTRIES_DEFAULT 65536
#define RULES_BUDGET_DEFAULT 5 /* percent of each CPU */

/* One direction of a conntrack entry (nf_conntrack_tuple): ports in host byte order. */
struct ct_tuple {
	__u8 src[16];
	__u8 dst[16];
	__u16 sport; /* TCP/UDP/SCTP/DCCP port; ICMP echo id */
	__u16 dport;
};

/*
 * What a record from the kernel is: the first two fields of every kind. User space skips (and
 * counts) a kind or version it does not know instead of misreading it.
 */
enum event_kind {
	EVENT_TABLE_CALL = 1, /* struct event */
	EVENT_DROP = 2,	      /* struct drop_event */
};

/*
 * 2: packet_id and conntrack; 3: stack_id; 4: cause_id; 5: sized to what it carries;
 * 6: a legacy table's name in the head
 */
#define EVENT_TABLE_CALL_VERSION 6
#define EVENT_DROP_VERSION 2

/* --stack: frames kept per stack, and stacks the map holds. */
#define STACK_DEPTH 32
#define STACK_ENTRIES 4096
#define NO_STACK (-1)

/* One call of a packet filter table, sent to user space at function exit. */
struct event {
	__u32 kind;    /* enum event_kind */
	__u32 version; /* of this kind's layout */
	__u64 ts_ns;   /* bpf_ktime_get_ns() at entry */
	__u64 cost_ns; /* time spent in the table */
	__u64 skb;
	__u32 netns;
	__u32 pid;
	__u32 cpu;
	__u32 verdict;	/* raw return value of the table function */
	__u32 flags;	/* enum event_flags */
	__s32 priority; /* nftables base chain priority */
	__u16 ip_len;
	__u16 l3proto; /* ETHERTYPE_*, host byte order */
	__u8 engine;   /* enum engine */
	__u8 family;   /* PF_FAMILY_*: the hook's, or the nftables table's */
	__u8 hook;     /* NF_INET_*, NF_ARP_*, NF_BR_*, NF_NETDEV_* by family */
	__u8 pkt_type; /* PACKET_* */
	__u8 l4proto;
	__u8 tcp_flags;
	__u8 icmp_type;
	__u8 icmp_code;
	__u16 sport; /* host byte order, as are the next four */
	__u16 dport;
	__u16 icmp_id;
	__u16 icmp_seq;
	__u16 vlan_id;
	__u16 arp_op;
	__u8 saddr[16]; /* IPv4/IPv6 source, ARP sender */
	__u8 daddr[16]; /* IPv4/IPv6 destination, ARP target */
	__u8 dest_mac[6];
	__u8 src_mac[6];
	__u8 arp_sha[6];
	__u8 pad[2];
	char in_ifname[IFNAME_LEN];  /* nf_hook_state->in, "" when none */
	char out_ifname[IFNAME_LEN]; /* nf_hook_state->out */
	/* not nftables: the table's name (event_decode copies it into table) */
	char legacy_table[LEGACY_NAME_LEN];
	__u64 table_ptr; /* struct xt_table *: the table instance */
	__u64 table_gen; /* its ruleset generation: replacements seen since the start */
	__u64 nft_table_handle;
	__u64 packet_id;	   /* tracking: the packet's id; 0 with --no-track */
	__u64 parent_skb;	   /* tracking: the skb it was cloned or copied from, 0 if none */
	__u64 cause_id;		   /* tracking: the packet whose table call sent this one, or 0 */
	__u64 ct;		   /* skb->_nfct's struct nf_conn * at entry, 0 for none */
	__u64 ct_after;		   /* at exit (EVENT_HAS_AFTER) */
	__u32 mark;		   /* skb->mark at entry */
	__u32 mark_after;	   /* at exit (EVENT_HAS_AFTER) */
	__u8 ctinfo;		   /* skb->_nfct's enum ip_conntrack_info bits at entry */
	__u8 ctinfo_after;	   /* at exit (EVENT_HAS_AFTER) */
	__u8 ct_l3num;		   /* EVENT_HAS_NAT: the tuples' NFPROTO_IPV4 or NFPROTO_IPV6 */
	__u8 ct_protonum;	   /* and their IPPROTO_* */
	__s32 stack_id;		   /* --stack, DROP verdicts: in the stacks map; else NO_STACK */
	struct ct_tuple nat_orig;  /* EVENT_HAS_NAT: tuplehash[IP_CT_DIR_ORIGINAL] at exit */
	struct ct_tuple nat_reply; /* tuplehash[IP_CT_DIR_REPLY] at exit */
	__u32 rule_status;	   /* enum rule_status */
	__u32 nr_hits;		   /* entries of hits[] or steps[] */
	union {
		struct rule_hit hits[MAX_RULE_HITS];  /* legacy: the matched entries */
		struct nft_step steps[MAX_NFT_STEPS]; /* nftables: decisions in order */
	};
	char table[NAME_LEN]; /* nftables; after event_decode, every engine's */
	char chain[NAME_LEN]; /* nftables base chain */
};

/*
 * On the wire a table call is sized to what it carries: struct event up to hits, then its
 * nr_hits hits (or nftables steps, at most the array's size); nftables calls then have table
 * and chain as NUL-terminated strings (event_decode rebuilds the struct). A legacy call is
 * sent as it lies in its call's slot, its name in the head.
 */
#define EVENT_WIRE_HEAD __builtin_offsetof(struct event, hits)

/*
 * A packet filter's DROP verdict, or its call in progress, that a kfree_skb of the same skb
 * followed: the two lines are one story. Names are cut to DROP_NAME_LEN - 1 bytes.
 */
#define DROP_NAME_LEN 32

enum drop_tie {
	DROP_TIE_NONE,	 /* no netfilter call of this run was seen deciding on the skb */
	DROP_TIE_AFTER,	 /* after the call's DROP verdict (the hook frees the skb) */
	DROP_TIE_INSIDE, /* during the call (nftables 6.x frees it itself, NF_DROP_REASON) */
};

struct drop_tie_info {
	__u64 call_ts_ns; /* the table call's ts_ns: which event it was */
	__u32 verdict;	  /* raw, 0 while the call is still running (DROP_TIE_INSIDE) */
	__u8 tie;	  /* enum drop_tie */
	__u8 engine;
	__u8 family;
	__u8 hook;
	__u8 cut; /* DROP_CUT_TABLE, DROP_CUT_CHAIN: the name was longer and is cut */
	char table[DROP_NAME_LEN];
	char chain[DROP_NAME_LEN]; /* nftables base chain */
};

#define DROP_CUT_TABLE 1
#define DROP_CUT_CHAIN 2

/*
 * The packet part of struct event, from flags to pad: parsed by the same code, copied whole.
 * tests/unit checks that the two layouts agree.
 */
struct packet_fields {
	__u32 flags;
	__s32 priority;
	__u16 ip_len;
	__u16 l3proto;
	__u8 engine;
	__u8 family;
	__u8 hook;
	__u8 pkt_type;
	__u8 l4proto;
	__u8 tcp_flags;
	__u8 icmp_type;
	__u8 icmp_code;
	__u16 sport;
	__u16 dport;
	__u16 icmp_id;
	__u16 icmp_seq;
	__u16 vlan_id;
	__u16 arp_op;
	__u8 saddr[16];
	__u8 daddr[16];
	__u8 dest_mac[6];
	__u8 src_mac[6];
	__u8 arp_sha[6];
	__u8 pad[2];
};

/* The skb:kfree_skb tracepoint for a traced packet: a drop anywhere in the kernel. */
struct drop_event {
	__u32 kind;    /* EVENT_DROP */
	__u32 version; /* EVENT_DROP_VERSION */
	__u64 ts_ns;
	__u64 skb;
	__u64 location; /* the tracepoint's: the address kfree_skb was called from */
	__u32 reason;	/* enum skb_drop_reason; 0 where the kernel gives none (before 5.17) */
	__u32 has_reason;
	__u32 netns;
	__u32 pid;
	__u32 cpu;
	__s32 stack_id;		 /* --stack: in the stacks map, or NO_STACK */
	__u64 packet_id;	 /* tracking: the tracked packet's id; 0 when not tracked */
	char ifname[IFNAME_LEN]; /* skb->dev, "" when none */
	struct drop_tie_info tie;
	struct packet_fields packet;
};

#endif
