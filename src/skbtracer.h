/* SPDX-License-Identifier: Apache-2.0 */
/* The ABI shared by the BPF programs and user space: fixed-width types only. */
#ifndef SKBTRACER_H
#define SKBTRACER_H

#define IFNAME_LEN 16
#define TABLE_NAME_LEN 32

/* Netfilter protocol families (NFPROTO_*), as in nf_hook_state->pf. */
#define PF_FAMILY_IPV4 2
#define PF_FAMILY_IPV6 10

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
	__u8 addr_family; /* PF_FAMILY_IPV4 or PF_FAMILY_IPV6 */
	__u8 l4proto;     /* IPPROTO_* */
	__u16 port;       /* host byte order, as are the next three */
	__u16 sport;
	__u16 dport;
	__u16 icmpid;
	__u8 addr[16];
	__u32 pid;
	__u32 netns;
	char iface[IFNAME_LEN];
};

/* Indexes of the per-CPU counters map. */
enum counter {
	COUNTER_LOST,     /* event not delivered: ring buffer full */
	COUNTER_UNPAIRED, /* entry seen, exit never matched it */
	COUNTER_MAX,
};

enum event_flags {
	EVENT_HAS_MAC = 1 << 0,   /* dest_mac holds the Ethernet destination */
	EVENT_HAS_PORTS = 1 << 1, /* sport/dport are set (TCP, UDP) */
	EVENT_HAS_ICMP = 1 << 2,  /* icmp_* are set (ICMP, ICMPv6) */
	EVENT_FRAGMENT = 1 << 3,  /* non-first fragment: no transport header */
};

/* One call of a packet filter table, sent to user space at function exit. */
struct event {
	__u64 ts_ns;   /* bpf_ktime_get_ns() at entry */
	__u64 cost_ns; /* time spent in the table */
	__u64 skb;
	__u32 netns;
	__u32 pid;
	__u32 cpu;
	__u32 verdict; /* raw return value of the table function */
	__u32 flags;   /* enum event_flags */
	__u16 ip_len;
	__u8 pf;       /* PF_FAMILY_* */
	__u8 hook;     /* NF_INET_* */
	__u8 pkt_type; /* PACKET_* */
	__u8 l4proto;
	__u8 tcp_flags;
	__u8 icmp_type;
	__u8 icmp_code;
	__u8 pad[3];
	__u16 sport; /* host byte order, as are the next three */
	__u16 dport;
	__u16 icmp_id;
	__u16 icmp_seq;
	__u8 saddr[16];
	__u8 daddr[16];
	__u8 dest_mac[6];
	__u8 pad2[2];
	char ifname[IFNAME_LEN];
	char table[TABLE_NAME_LEN];
};

#endif
