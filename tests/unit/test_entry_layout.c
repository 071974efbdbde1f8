// SPDX-License-Identifier: Apache-2.0
/* The BPF side's fixed x_tables entry offsets (skbtracer.h) match the uapi headers. */
#include <stddef.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include <linux/netfilter_arp/arp_tables.h>
#include "test.h"
#include "skbtracer.h"

TEST(entry_offsets_match_uapi)
{
	ASSERT_EQ(IPT_ENTRY_NEXT_OFFSET, offsetof(struct ipt_entry, next_offset),
		  "ipt_entry.next_offset");
	ASSERT_EQ(IPT_ENTRY_COUNTERS, offsetof(struct ipt_entry, counters), "ipt_entry.counters");
	ASSERT_EQ(IP6T_ENTRY_NEXT_OFFSET, offsetof(struct ip6t_entry, next_offset),
		  "ip6t_entry.next_offset");
	ASSERT_EQ(IP6T_ENTRY_COUNTERS, offsetof(struct ip6t_entry, counters),
		  "ip6t_entry.counters");
	ASSERT_EQ(ARPT_ENTRY_NEXT_OFFSET, offsetof(struct arpt_entry, next_offset),
		  "arpt_entry.next_offset");
	ASSERT_EQ(ARPT_ENTRY_COUNTERS, offsetof(struct arpt_entry, counters),
		  "arpt_entry.counters");
}

TEST(ipt_entry_head_matches_uapi)
{
	ASSERT_EQ(sizeof(struct ipt_entry_head), sizeof(struct ipt_entry), "sizeof");
	ASSERT_EQ(offsetof(struct ipt_entry_head, smsk), offsetof(struct ipt_entry, ip.smsk),
		  "ip.smsk");
	ASSERT_EQ(offsetof(struct ipt_entry_head, iniface_mask),
		  offsetof(struct ipt_entry, ip.iniface_mask), "ip.iniface_mask");
	ASSERT_EQ(offsetof(struct ipt_entry_head, outiface_mask),
		  offsetof(struct ipt_entry, ip.outiface_mask), "ip.outiface_mask");
	ASSERT_EQ(offsetof(struct ipt_entry_head, proto), offsetof(struct ipt_entry, ip.proto),
		  "ip.proto");
	ASSERT_EQ(offsetof(struct ipt_entry_head, invflags),
		  offsetof(struct ipt_entry, ip.invflags), "ip.invflags");
	ASSERT_EQ(offsetof(struct ipt_entry_head, target_offset),
		  offsetof(struct ipt_entry, target_offset), "target_offset");
	ASSERT_EQ(offsetof(struct ipt_entry_head, next_offset),
		  offsetof(struct ipt_entry, next_offset), "next_offset");
	ASSERT_EQ(offsetof(struct ipt_entry_head, pcnt), offsetof(struct ipt_entry, counters.pcnt),
		  "counters.pcnt");
	ASSERT_EQ(offsetof(struct entry_target_head, verdict),
		  offsetof(struct xt_standard_target, verdict), "xt_standard_target.verdict");
	ASSERT_EQ(offsetof(struct entry_target_head, target), sizeof(void *),
		  "xt_entry_target.u.kernel.target");
}
