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
