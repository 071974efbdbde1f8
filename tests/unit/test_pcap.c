// SPDX-License-Identifier: Apache-2.0
/*
 * Filter expressions: libpcap's compile step, the checks on its output, and pcap_run() (the
 * interpreter the BPF side runs) against libpcap's own bpf_filter() on the same bytes.
 */
#include <stdlib.h>
#include <pcap/pcap.h>
#include "options.h"
#include "pcap_expr.h"
#include "pcap_packets.h"
#include "test.h"

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
		struct packet f = frame(cases[i].packet,
					cases[i].packet->bytes[0] >> 4 == 6 ? 0x86dd : 0x0800, 0);

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
		{ { { PCAP_JMP_JA, 0, 0, 0xffffffffu }, { PCAP_RET_K, 0, 0, 1 } },
		  2,
		  "jumps outside" },
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

/* pcap_run() and bpf_filter() agree on valid packets and on bytes flipped at random. */
TEST(test_pcap_run_agrees_with_libpcap)
{
	__u32 seed = ORACLE_SEED, compared = 0, matched = 0;

	for (size_t e = 0; e < NR_ORACLE_EXPRESSIONS; e++) {
		char err[PCAP_MESSAGE_LEN] = "";

		memset(&filter, 0, sizeof(filter));
		if (!ASSERT_TRUE(
			    pcap_filter_compile(oracle_expressions[e], &filter, err, sizeof(err)),
			    oracle_expressions[e]))
			continue;
		for (int i = 0; i < NR_ORACLE_PACKETS; i++) {
			struct packet ip, f;
			bool l3_ours, l2_ours;

			oracle_packet(i, &seed, &ip, &f);
			l3_ours = run_ours(&filter.l3, &ip);
			l2_ours = run_ours(&filter.l2, &f);
			if (!ASSERT_EQ(l3_ours, run_libpcap(&filter.l3, &ip),
				       oracle_expressions[e]) ||
			    !ASSERT_EQ(l2_ours, run_libpcap(&filter.l2, &f), oracle_expressions[e]))
				return;
			compared += 2;
			matched += l3_ours + l2_ours;
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
