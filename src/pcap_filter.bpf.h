/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The filter expression (positional arguments), compiled by libpcap in user space and run at
 * table entry by pcap_run() on a copy of the packet's first PCAP_SNAP_LEN bytes: from the
 * network header at IP hooks, from the Ethernet header at bridge, netdev and ARP hooks.
 * Tracing programs cannot load packet bytes directly, hence the copy.
 */
#ifndef PCAP_FILTER_BPF_H
#define PCAP_FILTER_BPF_H

#include "pcap_run.h"

#define PCAP_MAX_NESTING 4 /* task, softirq, hardirq, NMI */
#define PCAP_MAC_HEADER_UNSET 0xffff
#define PCAP_ARPHRD_ETHER 1
#define PCAP_ETH_ADDRS_LEN 12
#define PCAP_ETH_HEADER_LEN 14
#define PCAP_VLAN_TAG_LEN 4

/* Set by user space before load; pcap_enabled false: no expression. */
const volatile bool pcap_enabled = false;
const volatile __u32 pcap_l3_len = 0;
const volatile struct pcap_insn pcap_l3_insns[PCAP_MAX_INSNS] = {};
const volatile __u32 pcap_l2_len = 0;
const volatile struct pcap_insn pcap_l2_insns[PCAP_MAX_INSNS] = {};

/* A copy per nesting level: an interrupt can run a filter while this CPU is in one. */
struct pcap_scratch {
	__u32 depth;
	__u8 packet[PCAP_MAX_NESTING][PCAP_SNAP_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct pcap_scratch);
} pcap_scratch SEC(".maps");

/* skb->vlan_present until 6.2 (commit 354259fa73e2); since then a tag makes vlan_all non-zero. */
struct sk_buff___vlan_present {
	__u8 vlan_present : 1;
} __attribute__((preserve_access_index));

/* Copies min(avail, room) bytes from src to dst; returns how many. */
static __always_inline __u32 pcap_copy(__u8 *dst, __u32 room, const void *src, __s64 avail)
{
	__u32 len;

	if (avail <= 0)
		return 0;
	len = avail < room ? avail : room;
	if (len > room || bpf_probe_read_kernel(dst, len, src))
		return 0;
	return len;
}

/* The VLAN tag the kernel took out of the frame (hardware-accelerated or untagged on receive). */
static __always_inline bool pcap_vlan_tag(struct sk_buff *skb, __u8 tag[PCAP_VLAN_TAG_LEN])
{
	struct sk_buff___vlan_present *old = (void *)skb;
	__be16 proto = BPF_CORE_READ(skb, vlan_proto);
	__u16 tci = BPF_CORE_READ(skb, vlan_tci);

	if (bpf_core_field_exists(old->vlan_present)
		    ? !BPF_CORE_READ_BITFIELD_PROBED(old, vlan_present)
		    : !proto)
		return false;
	__builtin_memcpy(tag, &proto, 2);
	tag[2] = tci >> 8;
	tag[3] = tci;
	return true;
}

/*
 * The frame as on the wire from offset `at` (12: after the addresses, 16: after a VLAN tag put
 * back): the rest of the Ethernet header when there is one, else the ethertype and the packet.
 */
static __always_inline __u32 pcap_frame_rest(__u8 *buf, __u32 at, const void *mac, __s64 mac_avail,
					     const void *nh, __s64 nh_avail, __u16 l3proto)
{
	if (mac)
		return at + pcap_copy(buf + at, PCAP_SNAP_LEN - at, mac + PCAP_ETH_ADDRS_LEN,
				      mac_avail - PCAP_ETH_ADDRS_LEN);
	buf[at] = l3proto >> 8;
	buf[at + 1] = l3proto;
	return at + 2 + pcap_copy(buf + at + 2, PCAP_SNAP_LEN - at - 2, nh, nh_avail);
}

/*
 * Copies the Ethernet frame into buf; *wire_len is its length. A packet without an Ethernet
 * header yet (locally generated) gets one with zero addresses and its protocol.
 */
static __always_inline __u32 pcap_snapshot_l2(__u8 *buf, struct sk_buff *skb, __u16 l3proto,
					      __u32 *wire_len)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 mac_header = BPF_CORE_READ(skb, mac_header);
	__u16 network_header = BPF_CORE_READ(skb, network_header);
	__s64 tail = BPF_CORE_READ(skb, tail), data = BPF_CORE_READ(skb, data) - head;
	__u32 len = BPF_CORE_READ(skb, len);
	const void *mac = NULL;
	__u8 tag[PCAP_VLAN_TAG_LEN];
	bool tagged = pcap_vlan_tag(skb, tag);

	if (mac_header != PCAP_MAC_HEADER_UNSET &&
	    BPF_CORE_READ(skb, dev, type) == PCAP_ARPHRD_ETHER &&
	    network_header >= mac_header + PCAP_ETH_HEADER_LEN) {
		mac = head + mac_header;
		*wire_len = len + data - mac_header;
		if (pcap_copy(buf, PCAP_ETH_ADDRS_LEN, mac, tail - mac_header) < PCAP_ETH_ADDRS_LEN)
			return 0;
	} else {
		*wire_len = len + data - network_header + PCAP_ETH_HEADER_LEN;
		__builtin_memset(buf, 0, PCAP_ETH_ADDRS_LEN);
	}
	if (!tagged)
		return pcap_frame_rest(buf, PCAP_ETH_ADDRS_LEN, mac, tail - mac_header,
				       head + network_header, tail - network_header, l3proto);
	__builtin_memcpy(buf + PCAP_ETH_ADDRS_LEN, tag, PCAP_VLAN_TAG_LEN);
	*wire_len += PCAP_VLAN_TAG_LEN;
	return pcap_frame_rest(buf, PCAP_ETH_ADDRS_LEN + PCAP_VLAN_TAG_LEN, mac, tail - mac_header,
			       head + network_header, tail - network_header, l3proto);
}

/* Copies the packet from its network header into buf; *wire_len is its length from there. */
static __always_inline __u32 pcap_snapshot_l3(__u8 *buf, struct sk_buff *skb, __u32 *wire_len)
{
	unsigned char *head = BPF_CORE_READ(skb, head);
	__u16 network_header = BPF_CORE_READ(skb, network_header);
	__s64 tail = BPF_CORE_READ(skb, tail), data = BPF_CORE_READ(skb, data) - head;

	*wire_len = BPF_CORE_READ(skb, len) + data - network_header;
	return pcap_copy(buf, PCAP_SNAP_LEN, head + network_header, tail - network_header);
}

/*
 * Does the packet match the filter expression? Always true without one. pf: the hook's family
 * (bridge, netdev and ARP hooks run the Ethernet header's program).
 */
static __always_inline bool pcap_filter_matches_pf(struct sk_buff *skb, __u8 pf, __u16 l3proto)
{
	struct pcap_scratch *scratch;
	const volatile struct pcap_insn *insns = pcap_l3_insns;
	__u32 zero = 0, depth, cap, wire_len = 0, nr_insns = pcap_l3_len;
	bool match;
	__u8 *buf;

	if (!pcap_enabled)
		return true;
	scratch = bpf_map_lookup_elem(&pcap_scratch, &zero);
	if (!scratch)
		return false;
	depth = scratch->depth;
	if (depth >= PCAP_MAX_NESTING)
		return false;
	scratch->depth = depth + 1;
	buf = scratch->packet[depth];
	if (pf == PF_FAMILY_BRIDGE || pf == PF_FAMILY_NETDEV || pf == PF_FAMILY_ARP) {
		cap = pcap_snapshot_l2(buf, skb, l3proto, &wire_len);
		insns = pcap_l2_insns;
		nr_insns = pcap_l2_len;
	} else {
		cap = pcap_snapshot_l3(buf, skb, &wire_len);
	}
	match = pcap_run(insns, nr_insns, buf, cap, wire_len);
	scratch->depth = depth;
	return match;
}

/* At a netfilter hook: by the hook's family. */
static __always_inline bool pcap_filter_matches(struct sk_buff *skb,
						const struct nf_hook_state *state, __u16 l3proto)
{
	if (!pcap_enabled)
		return true;
	return pcap_filter_matches_pf(skb, BPF_CORE_READ_BITFIELD_PROBED(state, pf), l3proto);
}

#endif
