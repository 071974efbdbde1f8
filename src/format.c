// SPDX-License-Identifier: Apache-2.0
/* Pure functions that turn events into the text the user reads. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "format.h"
#include "printable.h"

#define NF_VERDICT_MASK 0xff
#define NF_VERDICT_QBITS 16
#define NF_VERDICT_FLAG_QUEUE_BYPASS 0x8000

struct name {
	unsigned int value;
	const char *text;
};

static const char *lookup(const struct name *names, size_t count, unsigned int value)
{
	for (size_t i = 0; i < count; i++) {
		if (names[i].value == value)
			return names[i].text;
	}
	return NULL;
}

#define LOOKUP(names, value) lookup(names, sizeof(names) / sizeof(names[0]), value)

const char *hook_name(__u8 hook)
{
	static const char *const names[] = { "PREROUTING", "INPUT", "FORWARD", "OUTPUT",
					     "POSTROUTING" };

	return hook < sizeof(names) / sizeof(names[0]) ? names[hook] : "UNKNOWN";
}

const char *pkt_type_name(__u8 pkt_type)
{
	static const char *const names[] = { "HOST",	  "BROADCAST", "MULTICAST",
					     "OTHERHOST", "OUTGOING",  "LOOPBACK" };

	return pkt_type < sizeof(names) / sizeof(names[0]) ? names[pkt_type] : "UNKNOWN";
}

const char *pf_name(__u8 pf)
{
	switch (pf) {
	case PF_FAMILY_IPV4:
		return "PF_INET";
	case PF_FAMILY_IPV6:
		return "PF_INET6";
	default:
		return "PF_UNKNOWN";
	}
}

/* Decodes the whole netfilter verdict: the code in the low byte, its argument above. */
void format_verdict(__u32 verdict, char *buf, size_t len)
{
	static const char *const codes[] = {
		"DROP", "ACCEPT", "STOLEN", "QUEUE", "REPEAT", "STOP"
	};
	unsigned int code = verdict & NF_VERDICT_MASK;
	unsigned int arg = verdict >> NF_VERDICT_QBITS;
	const char *errname;

	if (code >= sizeof(codes) / sizeof(codes[0])) {
		snprintf(buf, len, "UNKNOWN(0x%x)", verdict);
		return;
	}
	if (code == 3) {
		snprintf(buf, len, "QUEUE(num=%u%s)", arg,
			 verdict & NF_VERDICT_FLAG_QUEUE_BYPASS ? ",bypass" : "");
		return;
	}
	/* A drop with an error: NF_DROP_ERR(), or NF_STOLEN after the skb was freed (6.x). */
	if ((code == 0 || code == 2) && arg) {
		errname = strerrorname_np((int)arg);
		if (errname)
			snprintf(buf, len, "DROP(%s)", errname);
		else
			snprintf(buf, len, "DROP(errno=%u)", arg);
		return;
	}
	snprintf(buf, len, "%s", codes[code]);
}

void format_tcp_flags(__u8 flags, char *buf, size_t len)
{
	static const struct name names[] = {
		{ 0x02, "SYN" }, { 0x10, "ACK" }, { 0x01, "FIN" }, { 0x04, "RST" },
		{ 0x08, "PSH" }, { 0x20, "URG" }, { 0x40, "ECE" }, { 0x80, "CWR" },
	};
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & names[i].value) || used >= len)
			continue;
		used += snprintf(buf + used, len - used, "%s%s", used ? "," : "", names[i].text);
	}
	if (!used)
		snprintf(buf, len, "NONE");
}

void format_cost(__u64 ns, char *buf, size_t len)
{
	if (ns < 1000)
		snprintf(buf, len, "%lluns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else
		snprintf(buf, len, "%.2fms", ns / 1e6);
}

void format_mac(const __u8 mac[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}

/* "10.0.0.1:80" or "[2001:db8::1]:80"; without port when port < 0. */
static void format_endpoint(__u8 pf, const __u8 *addr, int port, char *buf, size_t len)
{
	char text[INET6_ADDRSTRLEN];
	int af = pf == PF_FAMILY_IPV6 ? AF_INET6 : AF_INET;

	inet_ntop(af, addr, text, sizeof(text));
	if (port < 0)
		snprintf(buf, len, "%s", text);
	else if (af == AF_INET6)
		snprintf(buf, len, "[%s]:%d", text, port);
	else
		snprintf(buf, len, "%s:%d", text, port);
}

static const char *icmp_type_name(__u8 pf, __u8 type)
{
	static const struct name icmp4[] = {
		{ 0, "reply" },
		{ 3, "dest-unreachable" },
		{ 4, "source-quench" },
		{ 5, "redirect" },
		{ 8, "request" },
		{ 11, "time-exceeded" },
		{ 12, "parameter-problem" },
		{ 13, "timestamp-request" },
		{ 14, "timestamp-reply" },
	};
	static const struct name icmp6[] = {
		{ 1, "dest-unreachable" },   { 2, "packet-too-big" },  { 3, "time-exceeded" },
		{ 4, "parameter-problem" },  { 128, "request" },       { 129, "reply" },
		{ 130, "mld-query" },	     { 131, "mld-report" },    { 132, "mld-done" },
		{ 133, "router-solicit" },   { 134, "router-advert" }, { 135, "neighbour-solicit" },
		{ 136, "neighbour-advert" }, { 137, "redirect" },      { 143, "mld2-report" },
	};

	return pf == PF_FAMILY_IPV6 ? LOOKUP(icmp6, type) : LOOKUP(icmp4, type);
}

static const char *l4_proto_name(__u8 proto)
{
	static const struct name names[] = {
		{ IPPROTO_ICMP, "icmp" }, { IPPROTO_IGMP, "igmp" },
		{ IPPROTO_IPIP, "ipip" }, { IPPROTO_TCP, "tcp" },
		{ IPPROTO_UDP, "udp" },	  { IPPROTO_IPV6, "ipv6" },
		{ IPPROTO_GRE, "gre" },	  { IPPROTO_ESP, "esp" },
		{ IPPROTO_AH, "ah" },	  { IPPROTO_ICMPV6, "icmp6" },
		{ IPPROTO_SCTP, "sctp" }, { IPPROTO_UDPLITE, "udplite" },
	};

	return LOOKUP(names, proto);
}

/* The IPv4/IPv6 part: "I_request:10.0.0.1->10.0.0.2", "T_SYN:[fd00::1]:1234->[fd00::2]:80". */
static void format_ip_info(const struct event *e, char *buf, size_t len)
{
	bool ports = (e->flags & EVENT_HAS_PORTS) && !(e->flags & EVENT_FRAGMENT);
	__u8 pf = e->l3proto == ETHERTYPE_IPV6 ? PF_FAMILY_IPV6 : PF_FAMILY_IPV4;
	char src[64], dst[64], kind[64];
	const char *name;

	format_endpoint(pf, e->saddr, ports ? e->sport : -1, src, sizeof(src));
	format_endpoint(pf, e->daddr, ports ? e->dport : -1, dst, sizeof(dst));
	name = l4_proto_name(e->l4proto);
	if (e->flags & EVENT_FRAGMENT) {
		if (name)
			snprintf(kind, sizeof(kind), "F_%s", name);
		else
			snprintf(kind, sizeof(kind), "F_proto=%u", e->l4proto);
	} else if (e->flags & EVENT_HAS_ICMP) {
		name = icmp_type_name(pf, e->icmp_type);
		if (name)
			snprintf(kind, sizeof(kind), "I_%s", name);
		else
			snprintf(kind, sizeof(kind), "I_type=%u", e->icmp_type);
	} else if (ports && e->l4proto == IPPROTO_TCP) {
		char flags[48];

		format_tcp_flags(e->tcp_flags, flags, sizeof(flags));
		snprintf(kind, sizeof(kind), "T_%s", flags);
	} else if (ports && e->l4proto == IPPROTO_UDP) {
		snprintf(kind, sizeof(kind), "U");
	} else if (name) {
		snprintf(kind, sizeof(kind), "%s", name);
	} else {
		snprintf(kind, sizeof(kind), "proto=%u", e->l4proto);
	}
	snprintf(buf, len, "%s:%s->%s", kind, src, dst);
}

/* "A_request:who-has 10.0.0.2 tell 10.0.0.1", "A_reply:10.0.0.2 is-at 02:00:00:00:00:02". */
static void format_arp_info(const struct event *e, char *buf, size_t len)
{
	char sender[INET_ADDRSTRLEN], target[INET_ADDRSTRLEN], mac[24];

	inet_ntop(AF_INET, e->saddr, sender, sizeof(sender));
	inet_ntop(AF_INET, e->daddr, target, sizeof(target));
	if (e->arp_op == 1) {
		snprintf(buf, len, "A_request:who-has %s tell %s", target, sender);
	} else if (e->arp_op == 2) {
		format_mac(e->arp_sha, mac, sizeof(mac));
		snprintf(buf, len, "A_reply:%s is-at %s", sender, mac);
	} else {
		snprintf(buf, len, "A_op=%u:%s->%s", e->arp_op, sender, target);
	}
}

static const char *ethertype_name(__u16 type)
{
	static const struct name names[] = {
		{ ETHERTYPE_IPV4, "IPv4" }, { ETHERTYPE_ARP, "ARP" }, { ETHERTYPE_IPV6, "IPv6" },
		{ 0x8100, "802.1Q" },	    { 0x88a8, "802.1ad" },    { 0x88cc, "LLDP" },
	};

	return LOOKUP(names, type);
}

/* "ETH[02:00:00:00:00:01->02:00:00:00:00:02 IPv4 vlan=5]" for bridged packets. */
static void format_eth_info(const struct event *e, char *buf, size_t len)
{
	char src[24], dst[24], macs[64] = "", type[16], vlan[16] = "";
	const char *name = ethertype_name(e->l3proto);

	if (e->flags & EVENT_HAS_MAC) {
		format_mac(e->src_mac, src, sizeof(src));
		format_mac(e->dest_mac, dst, sizeof(dst));
		snprintf(macs, sizeof(macs), "%s->%s ", src, dst);
	}
	if (name)
		snprintf(type, sizeof(type), "%s", name);
	else
		snprintf(type, sizeof(type), "type=0x%04x", e->l3proto);
	if (e->flags & EVENT_HAS_VLAN)
		snprintf(vlan, sizeof(vlan), " vlan=%u", e->vlan_id);
	snprintf(buf, len, "ETH[%s%s%s]", macs, type, vlan);
}

void format_pkt_info(const struct event *e, char *buf, size_t len)
{
	bool bridged = e->engine == ENGINE_EBTABLES ||
		       (e->engine == ENGINE_NFTABLES && e->family == PF_FAMILY_BRIDGE);
	char eth[128] = "", l3[200] = "";

	if (e->l3proto == ETHERTYPE_ARP && (e->flags & EVENT_HAS_ARP))
		format_arp_info(e, l3, sizeof(l3));
	else if ((e->l3proto == ETHERTYPE_IPV4 || e->l3proto == ETHERTYPE_IPV6) &&
		 (e->flags & EVENT_HAS_ADDRS))
		format_ip_info(e, l3, sizeof(l3));
	if (bridged || !l3[0])
		format_eth_info(e, eth, sizeof(eth));
	snprintf(buf, len, "%s%s%s", eth, eth[0] && l3[0] ? " " : "", l3);
}

const char *family_name(__u8 family)
{
	static const struct name names[] = {
		{ PF_FAMILY_INET, "inet" },	{ PF_FAMILY_IPV4, "ip" },
		{ PF_FAMILY_ARP, "arp" },	{ PF_FAMILY_NETDEV, "netdev" },
		{ PF_FAMILY_BRIDGE, "bridge" }, { PF_FAMILY_IPV6, "ip6" },
	};
	const char *name = LOOKUP(names, family);

	return name ? name : "unknown";
}

const char *family_hook_name(__u8 family, __u8 hook)
{
	static const char *const arp[] = { "INPUT", "OUTPUT", "FORWARD" };
	static const char *const netdev[] = { "INGRESS", "EGRESS" };

	switch (family) {
	case PF_FAMILY_ARP:
		return hook < 3 ? arp[hook] : "UNKNOWN";
	case PF_FAMILY_NETDEV:
		return hook < 2 ? netdev[hook] : "UNKNOWN";
	case PF_FAMILY_BRIDGE:
		return hook == 5 ? "BROUTING" : hook_name(hook);
	default: /* ip, ip6, inet: NF_INET_*, with NF_INET_INGRESS (5.10+) */
		return hook == 5 ? "INGRESS" : hook_name(hook);
	}
}

void format_engine_info(const struct event *e, char *buf, size_t len)
{
	const char *pkt_type = pkt_type_name(e->pkt_type);
	const char *hook = family_hook_name(e->family, e->hook);
	char verdict[48], cost[32], table[PRINTABLE_NAME_LEN], chain[PRINTABLE_NAME_LEN];

	format_verdict(e->verdict, verdict, sizeof(verdict));
	format_cost(e->cost_ns, cost, sizeof(cost));
	printable(e->table, NAME_LEN, table, sizeof(table));
	switch (e->engine) {
	case ENGINE_NFTABLES:
		snprintf(buf, len,
			 "pkt_type=%s nftables=[family=%s table=%s chain=%s hook=%s prio=%d "
			 "verdict=%s cost=%s]",
			 pkt_type, family_name(e->family), table,
			 printable(e->chain, NAME_LEN, chain, sizeof(chain)), hook, e->priority,
			 verdict, cost);
		break;
	case ENGINE_ARPTABLES:
	case ENGINE_EBTABLES:
		snprintf(buf, len, "pkt_type=%s %s=[table=%s hook=%s verdict=%s cost=%s]", pkt_type,
			 e->engine == ENGINE_ARPTABLES ? "arptables" : "ebtables", table, hook,
			 verdict, cost);
		break;
	default:
		snprintf(buf, len,
			 "pkt_type=%s iptables=[pf=%s, table=%s hook=%s verdict=%s cost=%s]",
			 pkt_type, pf_name(e->family), table, hook, verdict, cost);
	}
}

void format_time(const struct event *e, const struct time_format *tf, char *buf, size_t len)
{
	if (tf->relative) {
		__u64 since = e->ts_ns >= tf->first_ns ? e->ts_ns - tf->first_ns : 0;

		snprintf(buf, len, "[%llu.%06llu]", (unsigned long long)(since / 1000000000),
			 (unsigned long long)(since % 1000000000 / 1000));
		return;
	}
	/* Unsigned: the event's clock is the kernel's; any value must print, none overflow. */
	time_t secs = (time_t)((e->ts_ns + (__u64)tf->realtime_off_ns) / 1000000000);
	struct tm tm;

	if (!localtime_r(&secs, &tm) || !strftime(buf, len, "[%H:%M:%S]", &tm))
		snprintf(buf, len, "[??:??:??]");
}

const char *format_header(void)
{
	return "TIME       SKB                  NETWORK_NS   PID      CPU    INTERFACE          "
	       "DEST_MAC           IP_LEN PKT_INFO                                               "
	       "IPTABLES_INFO";
}

/* Is this hook on the way out (OUTPUT, POSTROUTING, arp OUTPUT, netdev EGRESS)? */
static bool egress_hook(__u8 family, __u8 hook)
{
	if (family == PF_FAMILY_ARP || family == PF_FAMILY_NETDEV)
		return hook == 1;
	return hook == 3 || hook == 4;
}

/*
 * The arrival device on the way in, the leaving one on the way out, "in>out" when forwarded.
 * (ip_output() passes the arrival device as state->in at POSTROUTING: it must not show.)
 */
void format_interface(const struct event *e, char *buf, size_t len)
{
	bool forward = e->in_ifname[0] && e->out_ifname[0] && !egress_hook(e->family, e->hook);
	const char *one = egress_hook(e->family, e->hook) ? e->out_ifname : e->in_ifname;
	char in[PRINTABLE_IFNAME_LEN], out[PRINTABLE_IFNAME_LEN];

	if (forward)
		snprintf(buf, len, "%s>%s", printable(e->in_ifname, IFNAME_LEN, in, sizeof(in)),
			 printable(e->out_ifname, IFNAME_LEN, out, sizeof(out)));
	else
		snprintf(buf, len, "%s",
			 one[0] ? printable(one, IFNAME_LEN, in, sizeof(in)) : "nil");
}

const char *format_header_netns_names(void)
{
	return "TIME       SKB                  NETWORK_NS   NETNS_NAME           PID      CPU    "
	       "INTERFACE          DEST_MAC           IP_LEN PKT_INFO                            "
	       "                   IPTABLES_INFO";
}

void format_event(const struct event *e, const struct time_format *tf, char *buf, size_t len)
{
	format_event_named(e, tf, NULL, buf, len);
}

void format_event_named(const struct event *e, const struct time_format *tf, const char *netns_name,
			char *buf, size_t len)
{
	char info[768];

	format_engine_info(e, info, sizeof(info));
	format_columns(e, tf, netns_name, info, buf, len);
}

void format_columns(const struct event *e, const struct time_format *tf, const char *netns_name,
		    const char *info, char *buf, size_t len)
{
	char time[32], skb[32], inode[16], netns[384], mac[24], pkt[320];
	char ifname[2 * PRINTABLE_IFNAME_LEN];

	format_time(e, tf, time, sizeof(time));
	snprintf(skb, sizeof(skb), "[0x%016llx]", (unsigned long long)e->skb);
	snprintf(inode, sizeof(inode), "[%u]", e->netns);
	if (netns_name)
		snprintf(netns, sizeof(netns), "%-12s %-20s", inode, netns_name);
	else
		snprintf(netns, sizeof(netns), "%s", inode);
	format_interface(e, ifname, sizeof(ifname));
	/* On the way out the Ethernet header is still the arrival frame's: not this packet's. */
	if ((e->flags & EVENT_HAS_MAC) && !egress_hook(e->family, e->hook))
		format_mac(e->dest_mac, mac, sizeof(mac));
	else
		snprintf(mac, sizeof(mac), "nil");
	format_pkt_info(e, pkt, sizeof(pkt));
	snprintf(buf, len, "%-10s %-20s %-12s %-8u %-6u %-18.*s %-18s %-6u %-54s %s", time, skb,
		 netns, e->pid, e->cpu, (int)sizeof(ifname), ifname, mac, e->ip_len, pkt, info);
}
