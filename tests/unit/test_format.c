// SPDX-License-Identifier: Apache-2.0
#include <arpa/inet.h>
#include <netinet/in.h>
#include "test.h"
#include "format.h"

static struct event ipv4_event(__u8 proto, const char *src, const char *dst)
{
	struct event e = {
		.family = PF_FAMILY_IPV4,
		.l3proto = ETHERTYPE_IPV4,
		.l4proto = proto,
		.flags = EVENT_HAS_ADDRS,
	};

	inet_pton(AF_INET, src, e.saddr);
	inet_pton(AF_INET, dst, e.daddr);
	return e;
}

static struct event ipv6_event(__u8 proto, const char *src, const char *dst)
{
	struct event e = {
		.family = PF_FAMILY_IPV6,
		.l3proto = ETHERTYPE_IPV6,
		.l4proto = proto,
		.flags = EVENT_HAS_ADDRS,
	};

	inet_pton(AF_INET6, src, e.saddr);
	inet_pton(AF_INET6, dst, e.daddr);
	return e;
}

static void expect_verdict(__u32 verdict, const char *expected)
{
	char buf[64], what[64];

	format_verdict(verdict, buf, sizeof(buf));
	snprintf(what, sizeof(what), "verdict 0x%x", verdict);
	ASSERT_STREQ(buf, expected, what);
}

TEST(verdicts_plain)
{
	expect_verdict(0, "DROP");
	expect_verdict(1, "ACCEPT");
	expect_verdict(2, "STOLEN");
	expect_verdict(4, "REPEAT");
	expect_verdict(5, "STOP");
	expect_verdict(6, "UNKNOWN(0x6)");
	expect_verdict(0xff, "UNKNOWN(0xff)");
}

TEST(verdicts_queue_numbers)
{
	expect_verdict(3, "QUEUE(num=0)");
	expect_verdict(3 | 5 << 16, "QUEUE(num=5)");
	expect_verdict(3 | 65535u << 16, "QUEUE(num=65535)");
	expect_verdict(3 | 7 << 16 | 0x8000, "QUEUE(num=7,bypass)");
}

TEST(verdicts_drops_with_errno)
{
	/* NF_DROP_ERR(-EPERM) from x_tables, NF_STOLEN|EPERM<<16 from nf_tables on 6.x. */
	expect_verdict(1 << 16, "DROP(EPERM)");
	expect_verdict(1 << 16 | 2, "DROP(EPERM)");
	expect_verdict(113 << 16, "DROP(EHOSTUNREACH)");
	expect_verdict(4000u << 16, "DROP(errno=4000)");
}

TEST(tcp_flag_names)
{
	static const struct {
		__u8 flags;
		const char *text;
	} cases[] = {
		{ 0x01, "FIN" },     { 0x02, "SYN" },
		{ 0x04, "RST" },     { 0x08, "PSH" },
		{ 0x10, "ACK" },     { 0x20, "URG" },
		{ 0x40, "ECE" },     { 0x80, "CWR" },
		{ 0x12, "SYN,ACK" }, { 0x11, "ACK,FIN" },
		{ 0x18, "ACK,PSH" }, { 0x14, "ACK,RST" },
		{ 0x00, "NONE" },    { 0xff, "SYN,ACK,FIN,RST,PSH,URG,ECE,CWR" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		format_tcp_flags(cases[i].flags, buf, sizeof(buf));
		ASSERT_STREQ(buf, cases[i].text, "tcp flags");
	}
}

TEST(hook_and_packet_type_names)
{
	ASSERT_STREQ(hook_name(0), "PREROUTING", "hook 0");
	ASSERT_STREQ(hook_name(1), "INPUT", "hook 1");
	ASSERT_STREQ(hook_name(2), "FORWARD", "hook 2");
	ASSERT_STREQ(hook_name(3), "OUTPUT", "hook 3");
	ASSERT_STREQ(hook_name(4), "POSTROUTING", "hook 4");
	ASSERT_STREQ(hook_name(9), "UNKNOWN", "hook 9");
	ASSERT_STREQ(pkt_type_name(0), "HOST", "pkt_type 0");
	ASSERT_STREQ(pkt_type_name(1), "BROADCAST", "pkt_type 1");
	ASSERT_STREQ(pkt_type_name(2), "MULTICAST", "pkt_type 2");
	ASSERT_STREQ(pkt_type_name(3), "OTHERHOST", "pkt_type 3");
	ASSERT_STREQ(pkt_type_name(4), "OUTGOING", "pkt_type 4");
	ASSERT_STREQ(pkt_type_name(5), "LOOPBACK", "pkt_type 5");
	ASSERT_STREQ(pf_name(PF_FAMILY_IPV4), "PF_INET", "pf 2");
	ASSERT_STREQ(pf_name(PF_FAMILY_IPV6), "PF_INET6", "pf 10");
}

static void expect_pkt_info(const struct event *e, const char *expected)
{
	char buf[128];

	format_pkt_info(e, buf, sizeof(buf));
	ASSERT_STREQ(buf, expected, "pkt info");
}

TEST(pkt_info_icmp)
{
	struct event e = ipv4_event(IPPROTO_ICMP, "10.0.2.15", "8.8.8.8");

	e.flags |= EVENT_HAS_ICMP;
	e.icmp_type = 8;
	expect_pkt_info(&e, "I_request:10.0.2.15->8.8.8.8");
	e.icmp_type = 0;
	expect_pkt_info(&e, "I_reply:10.0.2.15->8.8.8.8");
	e.icmp_type = 3;
	expect_pkt_info(&e, "I_dest-unreachable:10.0.2.15->8.8.8.8");
	e.icmp_type = 11;
	expect_pkt_info(&e, "I_time-exceeded:10.0.2.15->8.8.8.8");
	e.icmp_type = 42;
	expect_pkt_info(&e, "I_type=42:10.0.2.15->8.8.8.8");
}

TEST(pkt_info_icmp6)
{
	struct event e = ipv6_event(IPPROTO_ICMPV6, "2001:db8:0:0::1", "2001:db8::2");

	e.flags |= EVENT_HAS_ICMP;
	e.icmp_type = 128;
	expect_pkt_info(&e, "I_request:2001:db8::1->2001:db8::2");
	e.icmp_type = 129;
	expect_pkt_info(&e, "I_reply:2001:db8::1->2001:db8::2");
	e.icmp_type = 135;
	expect_pkt_info(&e, "I_neighbour-solicit:2001:db8::1->2001:db8::2");
	e.icmp_type = 8; /* an IPv4 number means nothing in ICMPv6 */
	expect_pkt_info(&e, "I_type=8:2001:db8::1->2001:db8::2");
}

TEST(pkt_info_tcp_udp)
{
	struct event e = ipv4_event(IPPROTO_TCP, "10.0.0.1", "10.0.0.2");

	e.flags |= EVENT_HAS_PORTS;
	e.sport = 43210;
	e.dport = 80;
	e.tcp_flags = 0x02;
	expect_pkt_info(&e, "T_SYN:10.0.0.1:43210->10.0.0.2:80");
	e.tcp_flags = 0x12;
	expect_pkt_info(&e, "T_SYN,ACK:10.0.0.1:43210->10.0.0.2:80");
	e.l4proto = IPPROTO_UDP;
	expect_pkt_info(&e, "U:10.0.0.1:43210->10.0.0.2:80");

	e = ipv6_event(IPPROTO_TCP, "fd00::1", "fd00:0:0:0:0:0:0:2");
	e.flags |= EVENT_HAS_PORTS;
	e.sport = 1234;
	e.dport = 443;
	e.tcp_flags = 0x10;
	expect_pkt_info(&e, "T_ACK:[fd00::1]:1234->[fd00::2]:443");
	e.l4proto = IPPROTO_UDP;
	expect_pkt_info(&e, "U:[fd00::1]:1234->[fd00::2]:443");
}

TEST(pkt_info_other_protocols_and_fragments)
{
	struct event e = ipv4_event(IPPROTO_GRE, "10.0.0.1", "10.0.0.2");

	expect_pkt_info(&e, "gre:10.0.0.1->10.0.0.2");
	e.l4proto = 253;
	expect_pkt_info(&e, "proto=253:10.0.0.1->10.0.0.2");
	e.l4proto = IPPROTO_UDP;
	e.flags |= EVENT_FRAGMENT | EVENT_HAS_PORTS;
	expect_pkt_info(&e, "F_udp:10.0.0.1->10.0.0.2");
	e = ipv6_event(IPPROTO_SCTP, "::1", "::1");
	e.flags |= EVENT_HAS_PORTS;
	e.sport = 5;
	e.dport = 6;
	expect_pkt_info(&e, "sctp:[::1]:5->[::1]:6");
}

TEST(cost)
{
	char buf[32];

	format_cost(999, buf, sizeof(buf));
	ASSERT_STREQ(buf, "999ns", "ns");
	format_cost(4100, buf, sizeof(buf));
	ASSERT_STREQ(buf, "4.1us", "us");
	format_cost(2500000, buf, sizeof(buf));
	ASSERT_STREQ(buf, "2.50ms", "ms");
}

TEST(iptables_info)
{
	struct event e = ipv4_event(IPPROTO_ICMP, "10.0.0.1", "10.0.0.2");
	char buf[256];

	snprintf(e.table, sizeof(e.table), "nat");
	e.hook = 3;
	e.verdict = 1;
	e.cost_ns = 4100;
	format_engine_info(&e, buf, sizeof(buf));
	ASSERT_STREQ(buf,
		     "pkt_type=HOST iptables=[pf=PF_INET, table=nat hook=OUTPUT verdict=ACCEPT "
		     "cost=4.1us]",
		     "seed layout");
	e = ipv6_event(IPPROTO_TCP, "::1", "::1");
	snprintf(e.table, sizeof(e.table), "filter");
	e.pkt_type = 5;
	e.hook = 1;
	e.verdict = 0;
	e.cost_ns = 120;
	format_engine_info(&e, buf, sizeof(buf));
	ASSERT_STREQ(buf,
		     "pkt_type=LOOPBACK iptables=[pf=PF_INET6, table=filter hook=INPUT "
		     "verdict=DROP cost=120ns]",
		     "ipv6 drop");
}

TEST(relative_time)
{
	struct time_format tf = { .relative = true, .first_ns = 1000000000ULL };
	struct event e = { .ts_ns = 3500123456ULL };
	char buf[32];

	format_time(&e, &tf, buf, sizeof(buf));
	ASSERT_STREQ(buf, "[2.500123]", "seconds since the first event");
}

/* Regression (issue 9): timestamps near 2^63 and 2^64 overflowed a signed sum. */
TEST(clock_time_extremes)
{
	static const __u64 stamps[] = { 0, 1ULL << 63, (1ULL << 63) - 1, ~0ULL };
	struct time_format tf = { .realtime_off_ns = 1700000000LL * 1000000000LL };
	char buf[32];

	for (size_t i = 0; i < sizeof(stamps) / sizeof(stamps[0]); i++) {
		struct event e = { .ts_ns = stamps[i] };

		format_time(&e, &tf, buf, sizeof(buf));
		ASSERT_EQ(strlen(buf), 10, "[HH:MM:SS]");
		ASSERT_TRUE(buf[0] == '[' && buf[9] == ']', buf);
	}
	tf.realtime_off_ns = -(1LL << 62);
	{
		struct event e = { .ts_ns = 5 };

		format_time(&e, &tf, buf, sizeof(buf));
		ASSERT_EQ(strlen(buf), 10, "negative offset");
	}
}

TEST(whole_line)
{
	struct time_format tf = { .relative = true, .first_ns = 0 };
	struct event e = ipv4_event(IPPROTO_ICMP, "10.0.2.15", "8.8.8.8");
	char buf[512];

	e.ts_ns = 1000;
	e.skb = 0xffff95398a31a200ULL;
	e.netns = 4026531840u;
	e.pid = 2347;
	e.cpu = 1;
	e.ip_len = 84;
	e.flags |= EVENT_HAS_ICMP | EVENT_HAS_MAC;
	e.icmp_type = 8;
	e.hook = 0;
	e.verdict = 1;
	e.cost_ns = 4100;
	memcpy(e.dest_mac, "\x08\x00\x27\xff\x1e\xab", 6);
	snprintf(e.in_ifname, sizeof(e.in_ifname), "eth0");
	snprintf(e.table, sizeof(e.table), "nat");
	format_event(&e, &tf, buf, sizeof(buf));
	ASSERT_STREQ(buf,
		     "[0.000001] [0xffff95398a31a200] [4026531840] 2347     1      eth0          "
		     "     08:00:27:ff:1e:ab  84     I_request:10.0.2.15->8.8.8.8                  "
		     "         pkt_type=HOST iptables=[pf=PF_INET, table=nat hook=PREROUTING "
		     "verdict=ACCEPT cost=4.1us]",
		     "full line");
	e.hook = 4; /* POSTROUTING: the arrival frame's header is not this packet's */
	format_event(&e, &tf, buf, sizeof(buf));
	ASSERT_CONTAINS(buf, " nil                nil                84 ", "no device, no MAC");
}

static void expect_interface(__u8 family, __u8 hook, const char *in, const char *out,
			     const char *expected)
{
	struct event e = { .family = family, .hook = hook };
	char buf[40], what[64];

	snprintf(e.in_ifname, sizeof(e.in_ifname), "%s", in);
	snprintf(e.out_ifname, sizeof(e.out_ifname), "%s", out);
	format_interface(&e, buf, sizeof(buf));
	snprintf(what, sizeof(what), "family %u hook %u", family, hook);
	ASSERT_STREQ(buf, expected, what);
}

TEST(interface_by_hook)
{
	expect_interface(PF_FAMILY_IPV4, 0, "eth0", "", "eth0");
	expect_interface(PF_FAMILY_IPV4, 1, "eth0", "", "eth0");
	expect_interface(PF_FAMILY_IPV4, 2, "eth0", "eth1", "eth0>eth1");
	expect_interface(PF_FAMILY_IPV4, 3, "", "eth1", "eth1");
	/* ip_output() passes the arrival device as state->in at POSTROUTING */
	expect_interface(PF_FAMILY_IPV4, 4, "eth0", "eth1", "eth1");
	expect_interface(PF_FAMILY_IPV6, 3, "", "", "nil");
	expect_interface(PF_FAMILY_ARP, 1, "", "eth1", "eth1");
	expect_interface(PF_FAMILY_ARP, 2, "eth0", "eth1", "eth0>eth1");
	expect_interface(PF_FAMILY_NETDEV, 0, "eth0", "", "eth0");
	expect_interface(PF_FAMILY_NETDEV, 1, "", "eth1", "eth1");
	expect_interface(PF_FAMILY_BRIDGE, 2, "port0", "port1", "port0>port1");
	expect_interface(PF_FAMILY_BRIDGE, 5, "port0", "", "port0");
}

TEST(header_matches_columns)
{
	const char *h = format_header();

	ASSERT_TRUE(!strncmp(h, "TIME       SKB                  NETWORK_NS   PID", 48), "header");
	ASSERT_CONTAINS(h, "IP_LEN PKT_INFO", "header columns");
	ASSERT_CONTAINS(h, "IPTABLES_INFO", "last column");
}

TEST(pkt_info_arp)
{
	struct event e = {
		.engine = ENGINE_ARPTABLES,
		.family = PF_FAMILY_ARP,
		.l3proto = ETHERTYPE_ARP,
		.flags = EVENT_HAS_ARP | EVENT_HAS_ADDRS,
		.arp_op = 1,
	};

	inet_pton(AF_INET, "10.0.0.1", e.saddr);
	inet_pton(AF_INET, "10.0.0.2", e.daddr);
	expect_pkt_info(&e, "A_request:who-has 10.0.0.2 tell 10.0.0.1");
	e.arp_op = 2;
	memcpy(e.arp_sha, "\x02\x00\x00\x00\x00\x01", 6);
	expect_pkt_info(&e, "A_reply:10.0.0.1 is-at 02:00:00:00:00:01");
	e.arp_op = 8;
	expect_pkt_info(&e, "A_op=8:10.0.0.1->10.0.0.2");
	e.flags = 0; /* not IPv4 over Ethernet */
	expect_pkt_info(&e, "ETH[ARP]");
}

TEST(pkt_info_bridged)
{
	struct event e = ipv4_event(IPPROTO_ICMP, "10.0.0.1", "10.0.0.2");

	e.engine = ENGINE_EBTABLES;
	e.family = PF_FAMILY_BRIDGE;
	e.flags |= EVENT_HAS_ICMP | EVENT_HAS_MAC;
	e.icmp_type = 8;
	memcpy(e.src_mac, "\x02\x00\x00\x00\x00\x01", 6);
	memcpy(e.dest_mac, "\x02\x00\x00\x00\x00\x02", 6);
	expect_pkt_info(&e, "ETH[02:00:00:00:00:01->02:00:00:00:00:02 IPv4] "
			    "I_request:10.0.0.1->10.0.0.2");
	e.flags |= EVENT_HAS_VLAN;
	e.vlan_id = 5;
	expect_pkt_info(&e, "ETH[02:00:00:00:00:01->02:00:00:00:00:02 IPv4 vlan=5] "
			    "I_request:10.0.0.1->10.0.0.2");
	e.engine = ENGINE_NFTABLES; /* nftables bridge family: the same */
	expect_pkt_info(&e, "ETH[02:00:00:00:00:01->02:00:00:00:00:02 IPv4 vlan=5] "
			    "I_request:10.0.0.1->10.0.0.2");
	e = (struct event){ .engine = ENGINE_EBTABLES, .l3proto = 0x88cc };
	expect_pkt_info(&e, "ETH[LLDP]");
	e.l3proto = 0x1234;
	expect_pkt_info(&e, "ETH[type=0x1234]");
}

TEST(family_and_hook_names)
{
	ASSERT_STREQ(family_name(PF_FAMILY_INET), "inet", "inet");
	ASSERT_STREQ(family_name(PF_FAMILY_IPV4), "ip", "ip");
	ASSERT_STREQ(family_name(PF_FAMILY_IPV6), "ip6", "ip6");
	ASSERT_STREQ(family_name(PF_FAMILY_ARP), "arp", "arp");
	ASSERT_STREQ(family_name(PF_FAMILY_BRIDGE), "bridge", "bridge");
	ASSERT_STREQ(family_name(PF_FAMILY_NETDEV), "netdev", "netdev");
	ASSERT_STREQ(family_name(42), "unknown", "unknown");
	ASSERT_STREQ(family_hook_name(PF_FAMILY_ARP, 0), "INPUT", "arp 0");
	ASSERT_STREQ(family_hook_name(PF_FAMILY_ARP, 1), "OUTPUT", "arp 1");
	ASSERT_STREQ(family_hook_name(PF_FAMILY_ARP, 2), "FORWARD", "arp 2");
	ASSERT_STREQ(family_hook_name(PF_FAMILY_NETDEV, 0), "INGRESS", "netdev 0");
	ASSERT_STREQ(family_hook_name(PF_FAMILY_NETDEV, 1), "EGRESS", "netdev 1");
	ASSERT_STREQ(family_hook_name(PF_FAMILY_BRIDGE, 2), "FORWARD", "bridge 2");
	ASSERT_STREQ(family_hook_name(PF_FAMILY_BRIDGE, 5), "BROUTING", "bridge 5");
	ASSERT_STREQ(family_hook_name(PF_FAMILY_INET, 5), "INGRESS", "inet 5");
	ASSERT_STREQ(family_hook_name(PF_FAMILY_IPV4, 4), "POSTROUTING", "ip 4");
}

TEST(engine_info_per_engine)
{
	struct event e = ipv4_event(IPPROTO_ICMP, "10.0.0.1", "10.0.0.2");
	char buf[768];

	e.engine = ENGINE_NFTABLES;
	e.family = PF_FAMILY_INET;
	e.hook = 1;
	e.priority = -150;
	e.verdict = 0x10002; /* nf_tables on 6.x: NF_STOLEN with EPERM after freeing the skb */
	e.cost_ns = 2000;
	snprintf(e.table, sizeof(e.table), "my-filter");
	memset(e.chain, 'c', sizeof(e.chain) - 1); /* 255 characters: never cut */
	format_engine_info(&e, buf, sizeof(buf));
	ASSERT_CONTAINS(buf, "pkt_type=HOST nftables=[family=inet table=my-filter chain=ccc",
			"nftables prefix");
	ASSERT_CONTAINS(buf, "ccc hook=INPUT prio=-150 verdict=DROP(EPERM) cost=2.0us]",
			"nftables suffix");
	ASSERT_EQ(strstr(buf, " hook=") - strstr(buf, "chain="), 6 + 255, "whole chain name");

	e.engine = ENGINE_ARPTABLES;
	e.family = PF_FAMILY_ARP;
	e.hook = 0;
	e.verdict = 0;
	snprintf(e.table, sizeof(e.table), "filter");
	format_engine_info(&e, buf, sizeof(buf));
	ASSERT_STREQ(buf,
		     "pkt_type=HOST arptables=[table=filter hook=INPUT verdict=DROP cost=2.0us]",
		     "arptables");

	e.engine = ENGINE_EBTABLES;
	e.family = PF_FAMILY_BRIDGE;
	e.hook = 2;
	e.verdict = 1;
	e.pkt_type = 3;
	format_engine_info(&e, buf, sizeof(buf));
	ASSERT_STREQ(buf,
		     "pkt_type=OTHERHOST ebtables=[table=filter hook=FORWARD verdict=ACCEPT "
		     "cost=2.0us]",
		     "ebtables");
}
