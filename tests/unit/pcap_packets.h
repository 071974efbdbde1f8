/* SPDX-License-Identifier: Apache-2.0 */
/* Test packets for filter expressions: IPv4/IPv6 with TCP, UDP or ICMP, in Ethernet frames. */
#ifndef PCAP_PACKETS_H
#define PCAP_PACKETS_H

#include <string.h>
#include "pcap_run.h"

struct packet {
	__u8 bytes[PCAP_SNAP_LEN + 64];
	__u32 len;
};

static inline void put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* IPv4 (proto 6, 17 or 1) or IPv6 (proto 6 or 58) from src to dst, ports or ICMP type. */
static inline struct packet ip_packet(int version, __u8 proto, __u8 src_last, __u8 dst_last,
				      __u16 sport, __u16 dport, __u8 tcp_flags)
{
	struct packet p = {};
	__u8 *l4;
	__u32 l4_len = proto == 6 ? 20 : 8;

	if (version == 4) {
		__u8 *ip = p.bytes;

		ip[0] = 0x45;
		put16(ip + 2, 20 + l4_len + 32);
		ip[8] = 64;
		ip[9] = proto;
		ip[12] = 10, ip[15] = src_last;
		ip[16] = 10, ip[19] = dst_last;
		l4 = ip + 20;
		p.len = 20 + l4_len + 32;
	} else {
		__u8 *ip = p.bytes;

		ip[0] = 0x60;
		put16(ip + 4, l4_len + 32);
		ip[6] = proto;
		ip[7] = 64;
		put16(ip + 8, 0x2001), put16(ip + 10, 0xdb8), ip[23] = src_last;
		put16(ip + 24, 0x2001), put16(ip + 26, 0xdb8), ip[39] = dst_last;
		l4 = ip + 40;
		p.len = 40 + l4_len + 32;
	}
	if (proto == 1 || proto == 58) {
		l4[0] = sport; /* ICMP type */
	} else {
		put16(l4, sport);
		put16(l4 + 2, dport);
		if (proto == 6) {
			l4[12] = 0x50;
			l4[13] = tcp_flags;
		}
	}
	return p;
}

/* The packet in an Ethernet frame, with a VLAN tag when vlan_id is not 0. */
static inline struct packet frame(const struct packet *ip, __u16 ethertype, __u16 vlan_id)
{
	struct packet f = {};
	__u32 at = 12;

	for (int i = 0; i < 12; i++)
		f.bytes[i] = i + 1;
	if (vlan_id) {
		put16(f.bytes + 12, 0x8100);
		put16(f.bytes + 14, vlan_id);
		at = 16;
	}
	put16(f.bytes + at, ethertype);
	memcpy(f.bytes + at + 2, ip->bytes, ip->len);
	f.len = at + 2 + ip->len;
	return f;
}

/* xorshift: the same pseudo-random packets on every run. */
static inline __u32 next_random(__u32 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/* Expressions whose programs must give libpcap's bpf_filter() results. */
static const char *const oracle_expressions[] = {
	"tcp port 443 and net 10.0.0.0/8",
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn and portrange 1000-50000",
	"ip[2:2] - ((ip[0] & 0xf) << 2) > 40 or len > 1000",
	"ip[0] << ip[1] > 3 or ip[8] >> ip[9] == 1 or ip[10] / ip[11] == 2 or ip[12] % ip[13] == 1",
	"icmp or ip6 and icmp6[icmp6type] == icmp6-echo",
	"udp dst port 5353 or ip6 and tcp port 22 or ip[6] & 0x20 != 0",
	"not host 10.0.0.1 and (tcp or udp)",
	"vlan 10 and (icmp or udp)",
	"ether dst 01:02:03:04:05:06 and ether src 07:08:09:0a:0b:0c and ip6",
};

#define NR_ORACLE_EXPRESSIONS (sizeof(oracle_expressions) / sizeof(oracle_expressions[0]))
#define NR_ORACLE_PACKETS 2000
#define ORACLE_SEED 12345

/*
 * Test packet i (from seed): one of five valid packets with up to three bits flipped, every
 * fifth cut short; and the same in an Ethernet frame, every third with a VLAN tag.
 */
static inline void oracle_packet(int i, __u32 *seed, struct packet *ip, struct packet *eth)
{
	const struct packet bases[] = {
		ip_packet(4, 6, 1, 2, 1500, 443, 0x02), ip_packet(4, 17, 3, 2, 53, 5353, 0),
		ip_packet(4, 1, 1, 2, 8, 0, 0),		ip_packet(6, 58, 1, 2, 128, 0, 0),
		ip_packet(6, 6, 1, 2, 1500, 22, 0x12),
	};
	int round = i / 5;

	*ip = bases[i % 5];
	for (int flips = round % 4; flips > 0; flips--)
		ip->bytes[next_random(seed) % ip->len] ^= 1u << (next_random(seed) % 8);
	if (round % 5 == 4)
		ip->len = next_random(seed) % ip->len;
	*eth = frame(ip, ip->bytes[0] >> 4 == 6 ? 0x86dd : 0x0800, round % 3 == 1 ? 10 : 0);
}

#endif
