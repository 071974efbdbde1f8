// SPDX-License-Identifier: Apache-2.0
/*
 * Filter expressions: libpcap's compile step, the checks on its output, and pcap_run() (the
 * interpreter the BPF side runs) against libpcap's own bpf_filter() on the same bytes.
 */
#include <stdlib.h>
#include <pcap/pcap.h>
#include "options.h"
#include "pcap_expr.h"
#include "test.h"

struct packet {
	__u8 bytes[PCAP_SNAP_LEN + 64];
	__u32 len;
};

static void put16(__u8 *p, __u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* IPv4 (proto 6, 17 or 1) or IPv6 (proto 6 or 58) from src to dst, ports or ICMP type. */
static struct packet ip_packet(int version, __u8 proto, __u8 src_last, __u8 dst_last, __u16 sport,
			       __u16 dport, __u8 tcp_flags)
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
static struct packet frame(const struct packet *ip, __u16 ethertype, __u16 vlan_id)
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

static bool run_ours(const struct pcap_program *prog, const struct packet *p)
{
	__u32 cap = p->len < PCAP_SNAP_LEN ? p->len : PCAP_SNAP_LEN;
	__u8 snap[PCAP_SNAP_LEN] = {};

	memcpy(snap, p->bytes, cap);
	return pcap_run(prog->insns, prog->len, snap, cap, p->len);
}

static bool run_libpcap(const struct pcap_program *prog, const struct packet *p)
{
	__u32 cap = p->len < PCAP_SNAP_LEN ? p->len : PCAP_SNAP_LEN;

	return bpf_filter((const struct bpf_insn *)prog->insns, p->bytes, p->len, cap) != 0;
}

static struct pcap_filter filter;

static bool compile(const char *expr)
{
	char err[PCAP_MESSAGE_LEN] = "";

	memset(&filter, 0, sizeof(filter));
	if (!pcap_filter_compile(expr, &filter, err, sizeof(err))) {
		ASSERT_STREQ(err, "", expr);
		return false;
	}
	return true;
}

/* Expected results, on both link types: the expression's meaning, not only agreement. */
TEST(test_pcap_expressions_select_and_reject)
{
	struct packet tcp443 = ip_packet(4, 6, 1, 2, 40000, 443, 0x02);
	struct packet tcp80 = ip_packet(4, 6, 1, 2, 40000, 80, 0x10);
	struct packet udp53 = ip_packet(4, 17, 3, 2, 53, 5353, 0);
	struct packet echo = ip_packet(4, 1, 1, 2, 8, 0, 0);
	struct packet echo6 = ip_packet(6, 58, 1, 2, 128, 0, 0);
	struct packet tcp6 = ip_packet(6, 6, 1, 2, 1500, 22, 0x12);
	const struct {
		const char *expr;
		const struct packet *packet;
		bool match;
	} cases[] = {
		{ "tcp port 443", &tcp443, true },
		{ "tcp port 443", &tcp80, false },
		{ "tcp port 443 and net 10.0.0.0/8", &tcp443, true },
		{ "host 10.0.0.3", &udp53, true },
		{ "host 10.0.0.3", &tcp443, false },
		{ "src host 10.0.0.1 and dst host 10.0.0.2", &tcp80, true },
		{ "portrange 400-500", &tcp443, true },
		{ "portrange 400-500", &tcp80, false },
		{ "tcp[tcpflags] & tcp-syn != 0", &tcp443, true },
		{ "tcp[tcpflags] & tcp-syn != 0", &tcp80, false },
		{ "icmp[icmptype] == icmp-echo", &echo, true },
		{ "icmp[icmptype] == icmp-echoreply", &echo, false },
		{ "ip6 and icmp6[icmp6type] == icmp6-echo", &echo6, true },
		{ "ip6", &tcp443, false },
		{ "ip6 and tcp port 22", &tcp6, true },
		{ "net 2001:db8::/32 and not udp", &tcp6, true },
		{ "udp and len >= 60", &udp53, true },
		{ "udp and len > 100", &udp53, false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct packet f = frame(cases[i].packet, cases[i].packet->bytes[0] >> 4 == 6 ?
								 0x86dd :
								 0x0800,
					0);

		if (!compile(cases[i].expr))
			continue;
		ASSERT_EQ(run_ours(&filter.l3, cases[i].packet), cases[i].match, cases[i].expr);
		ASSERT_EQ(run_ours(&filter.l2, &f), cases[i].match, cases[i].expr);
		ASSERT_STREQ(filter.note, "", cases[i].expr);
	}
}

TEST(test_pcap_vlan_and_arp_apply_to_frames_only)
{
	struct packet echo = ip_packet(4, 1, 1, 2, 8, 0, 0);
	struct packet tagged = frame(&echo, 0x0800, 10), other = frame(&echo, 0x0800, 20);
	struct packet arp = {};

	if (!compile("vlan 10 and icmp"))
		return;
	ASSERT_EQ(run_ours(&filter.l2, &tagged), true, "vlan 10 frame");
	ASSERT_EQ(run_ours(&filter.l2, &other), false, "vlan 20 frame");
	ASSERT_EQ(filter.l3.len, 1, "raw IP: one instruction");
	ASSERT_EQ(run_ours(&filter.l3, &echo), false, "raw IP packets never match 'vlan'");
	ASSERT_CONTAINS(filter.note, "bridge, netdev and ARP hooks only", "note");
	ASSERT_CONTAINS(filter.note, "no VLAN support for Raw IP", "pcap's reason");

	arp = frame(&arp, 0x0806, 0);
	arp.len += 28;
	if (!compile("arp"))
		return;
	ASSERT_EQ(run_ours(&filter.l2, &arp), true, "ARP frame");
	ASSERT_EQ(run_ours(&filter.l2, &tagged), false, "IP frame");
}

TEST(test_pcap_bad_expressions)
{
	const struct {
		const char *expr, *message;
	} cases[] = {
		{ "tcp prot 80", "syntax error" },
		{ "port 70000", "illegal port number 70000 > 65535" },
		{ "ip broadcast", "netmask not known" },
		{ "ip6 protochain 6", "backwards" },
		{ "tcp and udp", "expression rejects all packets" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[PCAP_MESSAGE_LEN] = "";

		ASSERT_EQ(pcap_filter_compile(cases[i].expr, &filter, err, sizeof(err)), false,
			  cases[i].expr);
		ASSERT_CONTAINS(err, cases[i].message, cases[i].expr);
	}
}

TEST(test_pcap_too_long)
{
	char expr[8192] = "host 10.0.0.0";
	char err[PCAP_MESSAGE_LEN] = "";

	for (int i = 1; i < 200; i++)
		snprintf(expr + strlen(expr), sizeof(expr) - strlen(expr), " or host 10.0.%d.%d",
			 i / 250, i % 250);
	ASSERT_EQ(pcap_filter_compile(expr, &filter, err, sizeof(err)), false, "200 hosts");
	ASSERT_CONTAINS(err, "at most 512 run in the kernel", "message");
}

TEST(test_pcap_program_check)
{
	const struct {
		struct pcap_insn insns[3];
		__u32 len;
		const char *message;
	} cases[] = {
		{ { { PCAP_JMP_JEQ_K, 0, 5, 1 }, { PCAP_RET_K, 0, 0, 1 } }, 2, "jumps outside" },
		{ { { PCAP_JMP_JA, 0, 0, 0xffffffffu }, { PCAP_RET_K, 0, 0, 1 } }, 2, "jumps outside" },
		{ { { 0x20 | 0x18, 0, 0, 0 }, { PCAP_RET_K, 0, 0, 1 } }, 2, "opcode 0x38" },
		{ { { PCAP_ST, 0, 0, 16 }, { PCAP_RET_K, 0, 0, 1 } }, 2, "scratch word 16" },
		{ { { PCAP_ALU_DIV_K, 0, 0, 0 }, { PCAP_RET_K, 0, 0, 1 } }, 2, "divides by 0" },
		{ { { PCAP_ALU_LSH_K, 0, 0, 32 }, { PCAP_RET_K, 0, 0, 1 } }, 2, "shifts by 32" },
		{ { { PCAP_LD_IMM, 0, 0, 1 } }, 1, "does not end with a return" },
		{ { { PCAP_RET_K, 0, 0, 1 } }, 0, "0 instructions" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[PCAP_MESSAGE_LEN] = "", what[32];

		snprintf(what, sizeof(what), "case %zu", i);
		ASSERT_EQ(pcap_program_check(cases[i].insns, cases[i].len, err, sizeof(err)), false,
			  what);
		ASSERT_CONTAINS(err, cases[i].message, what);
	}
}

/* xorshift: the same pseudo-random packets on every run. */
static __u32 next_random(__u32 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/* pcap_run() and bpf_filter() agree on valid packets and on bytes flipped at random. */
TEST(test_pcap_run_agrees_with_libpcap)
{
	static const char *const expressions[] = {
		"tcp port 443 and net 10.0.0.0/8",
		"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn and portrange 1000-50000",
		"ip[2:2] - ((ip[0] & 0xf) << 2) > 40 or len > 1000",
		"ip[0] << ip[1] > 3 or ip[8] >> ip[9] == 1 or ip[10] / ip[11] == 2 or ip[12] % ip[13] == 1",
		"icmp or ip6 and icmp6[icmp6type] == icmp6-echo",
		"udp dst port 5353 or ip6 and tcp port 22 or ip[6] & 0x20 != 0",
		"not host 10.0.0.1 and (tcp or udp)",
		"vlan 10 and icmp or vlan and udp",
		"ether src 01:02:03:04:05:06 or ether broadcast",
	};
	struct packet bases[] = {
		ip_packet(4, 6, 1, 2, 1500, 443, 0x02), ip_packet(4, 17, 3, 2, 53, 5353, 0),
		ip_packet(4, 1, 1, 2, 8, 0, 0),		ip_packet(6, 58, 1, 2, 128, 0, 0),
		ip_packet(6, 6, 1, 2, 1500, 22, 0x12),
	};
	__u32 seed = 12345, compared = 0, matched = 0;

	for (size_t e = 0; e < sizeof(expressions) / sizeof(expressions[0]); e++) {
		char err[PCAP_MESSAGE_LEN] = "";

		memset(&filter, 0, sizeof(filter));
		if (!ASSERT_TRUE(pcap_filter_compile(expressions[e], &filter, err, sizeof(err)),
				 expressions[e]))
			continue;
		for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++) {
			for (int round = 0; round < 400; round++) {
				struct packet ip = bases[b], f;
				bool l3_ours, l2_ours;

				for (int flips = round % 4; flips > 0; flips--)
					ip.bytes[next_random(&seed) % ip.len] ^=
						1u << (next_random(&seed) % 8);
				if (round % 5 == 4)
					ip.len = next_random(&seed) % ip.len;
				f = frame(&ip, ip.bytes[0] >> 4 == 6 ? 0x86dd : 0x0800,
					  round % 3 == 1 ? 10 : 0);
				l3_ours = run_ours(&filter.l3, &ip);
				l2_ours = run_ours(&filter.l2, &f);
				if (!ASSERT_EQ(l3_ours, run_libpcap(&filter.l3, &ip), expressions[e]) ||
				    !ASSERT_EQ(l2_ours, run_libpcap(&filter.l2, &f), expressions[e]))
					return;
				compared += 2;
				matched += l3_ours + l2_ours;
			}
		}
	}
	/* The comparison means something only if both outcomes occur. */
	ASSERT_TRUE(matched > compared / 20 && matched < compared - compared / 20,
		    "matches and non-matches both frequent");
}

/* Positional arguments anywhere, joined by blanks; a blank expression is no filter. */
TEST(test_pcap_options)
{
	char *argv[] = { "skbtracer-iptables", "tcp", "-c", "5", "port", "443", NULL };
	char *blank[] = { "skbtracer-iptables", " ", NULL };
	char *after_dashes[] = { "skbtracer-iptables", "--", "-c", NULL };
	char *bad[] = { "skbtracer-iptables", "tcp", "prot", "\x1b", NULL };
	static struct config cfg;
	char err[512] = "";

	ASSERT_EQ(parse_options(6, argv, &cfg, stdout, err, sizeof(err)), PARSE_OK, err);
	ASSERT_EQ(cfg.catch_count, 5, "-c between words");
	ASSERT_TRUE(cfg.pcap.enabled, "expression");
	ASSERT_EQ(parse_options(2, blank, &cfg, stdout, err, sizeof(err)), PARSE_OK, err);
	ASSERT_TRUE(!cfg.pcap.enabled, "blank expression");
	ASSERT_EQ(parse_options(3, after_dashes, &cfg, stdout, err, sizeof(err)), PARSE_ERROR,
		  "-c after --");
	ASSERT_STREQ(err, "bad filter expression '-c': can't parse filter expression: syntax error",
		     "message");
	ASSERT_EQ(parse_options(4, bad, &cfg, stdout, err, sizeof(err)), PARSE_ERROR, "bad");
	ASSERT_STREQ(err,
		     "bad filter expression 'tcp prot \\x1b': can't parse filter expression: "
		     "syntax error",
		     "escaped");
}
