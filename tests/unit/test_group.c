// SPDX-License-Identifier: Apache-2.0
/* --group: calls gathered per packet id, printed as one block when idle or at exit. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include "test.h"
#include "group.h"

static struct event call(__u64 id, __u64 ts, __u8 hook, const char *table, __u32 verdict)
{
	struct event e = { .engine = ENGINE_IPTABLES,
			   .family = PF_FAMILY_IPV4,
			   .l3proto = ETHERTYPE_IPV4,
			   .l4proto = IPPROTO_ICMP,
			   .flags = EVENT_HAS_ADDRS | EVENT_HAS_ICMP,
			   .icmp_type = 8,
			   .netns = 4026531840U,
			   .packet_id = id,
			   .ts_ns = ts,
			   .hook = hook,
			   .verdict = verdict };

	snprintf(e.table, sizeof(e.table), "%s", table);
	inet_pton(AF_INET, "10.0.0.1", e.saddr);
	inet_pton(AF_INET, "10.96.0.10", e.daddr);
	return e;
}

static void add(struct grouper *g, FILE *out, const struct event *e)
{
	static struct trace_record r;

	record_build(&r, e, 0);
	record_nat(&r);
	ASSERT_EQ(group_add(g, out, &r), 0, "added");
}

TEST(group_one_block_per_packet)
{
	struct time_format tf = { .relative = true };
	struct grouper g = { .tf = &tf };
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	struct event e;

	e = call(7, 1000, 0, "mangle", 1);
	add(&g, out, &e);
	e = call(9, 1500, 3, "filter", 0); /* another packet, dropped at OUTPUT */
	add(&g, out, &e);
	e = call(7, 2000, 0, "nat", 1);
	e.flags |= EVENT_HAS_NAT | EVENT_HAS_AFTER | EVENT_NAT_CALL;
	e.ct = e.ct_after = 1 << 12;
	e.ct_l3num = PF_FAMILY_IPV4;
	e.ct_protonum = IPPROTO_ICMP;
	inet_pton(AF_INET, "10.96.0.10", e.nat_orig.dst);
	inet_pton(AF_INET, "10.244.1.5", e.nat_reply.src);
	add(&g, out, &e);
	e = call(7, 3000, 2, "filter", 1);
	add(&g, out, &e);
	e = call(7, 4000, 4, "nat", 1);
	snprintf(e.out_ifname, sizeof(e.out_ifname), "eth1");
	add(&g, out, &e);
	fflush(out);
	ASSERT_EQ(size, 0, "nothing printed while the packets are in flight");

	/* at 1.0000035 s, packet 9 (last call at 1500 ns) is idle for 1 s, packet 7 not */
	ASSERT_EQ(group_flush_idle(&g, out, 1000001500ULL, GROUP_IDLE_NS), 0, "flushed");
	fflush(out);
	ASSERT_STREQ(buf,
		     "[0.000001] packet 9: I_request:10.0.0.1->10.96.0.10 in netns 4026531840\n"
		     "  OUTPUT filter DROP -> dropped\n",
		     "the idle packet only");
	ASSERT_EQ(g.open, 1, "one still open");
	ASSERT_EQ(group_flush_all(&g, out), 0, "at exit");
	fclose(out);
	ASSERT_STREQ(strchr(buf, '\n') + strlen("  OUTPUT filter DROP -> dropped\n") + 1,
		     "[0.000001] packet 7: I_request:10.0.0.1->10.96.0.10 in netns 4026531840\n"
		     "  PREROUTING mangle -> nat DNAT(10.96.0.10 -> 10.244.1.5) -> FORWARD filter "
		     "ACCEPT -> POSTROUTING nat -> out eth1\n",
		     "the journey, hooks once, NAT, the way out");
	ASSERT_EQ(g.open, 0, "none open");
	group_free(&g);
	free(buf);
}

TEST(group_namespaces_and_nft)
{
	struct time_format tf = { .relative = true };
	struct grouper g = { .tf = &tf };
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	struct event e;

	e = call(3, 0, 3, "filter", 1);
	add(&g, out, &e);
	e = call(3, 10, 1, "t", 1);
	e.engine = ENGINE_NFTABLES;
	e.family = PF_FAMILY_INET;
	e.netns = 4026532000U;
	snprintf(e.chain, sizeof(e.chain), "in");
	add(&g, out, &e);
	ASSERT_EQ(group_flush_all(&g, out), 0, "printed");
	fclose(out);
	ASSERT_STREQ(strchr(buf, '\n') + 1,
		     "  OUTPUT filter ACCEPT -> [netns 4026532000] INPUT t/in ACCEPT -> local\n",
		     "into another namespace, an nftables chain");
	group_free(&g);
	free(buf);
}

/* A drop of a tracked packet ends its block at once, with the kernel's reason and place. */
TEST(group_drop_ends_block)
{
	struct time_format tf = { .relative = true };
	struct grouper g = { .tf = &tf };
	static struct drop_record dr;
	struct drop_event d = { .kind = EVENT_DROP, .packet_id = 7 };
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	struct event e;

	e = call(7, 1000, 0, "raw", 1);
	add(&g, out, &e);
	e = call(8, 1100, 0, "raw", 1);
	add(&g, out, &e);
	dr.ev = &d;
	dr.reason = "IP_RPFILTER";
	snprintf(dr.location, sizeof(dr.location), "ip_rcv_finish_core+0x1ab");
	ASSERT_EQ(group_drop(&g, out, &dr), 0, "dropped");
	fflush(out);
	ASSERT_STREQ(buf,
		     "[0.000001] packet 7: I_request:10.0.0.1->10.96.0.10 in netns 4026531840\n"
		     "  PREROUTING raw -> dropped reason=IP_RPFILTER at ip_rcv_finish_core+0x1ab\n",
		     "printed at the drop, before idle");
	ASSERT_EQ(g.open, 1, "packet 8 still open");
	d.packet_id = 99; /* no block: not shown */
	ASSERT_EQ(group_drop(&g, out, &dr), 0, "ignored");
	d.packet_id = 8; /* freed inside an nftables chain: its line comes next */
	d.tie.tie = DROP_TIE_INSIDE;
	dr.reason = NULL;
	ASSERT_EQ(group_drop(&g, out, &dr), 0, "noted");
	ASSERT_EQ(g.open, 1, "kept open for the chain's line");
	ASSERT_EQ(group_flush_all(&g, out), 0, "at exit");
	fclose(out);
	ASSERT_TRUE(strstr(buf,
			   "packet 8: I_request:10.0.0.1->10.96.0.10 in netns 4026531840\n"
			   "  PREROUTING raw -> dropped at ip_rcv_finish_core+0x1ab\n") != NULL,
		    buf);
	group_free(&g);
	free(buf);
}

TEST(group_bounded)
{
	struct time_format tf = { .relative = true };
	struct grouper g = { .tf = &tf };
	FILE *out = fopen("/dev/null", "w");
	struct event e;

	for (unsigned int i = 1; i <= GROUP_MAX_OPEN + 10; i++) {
		e = call(i, i, 1, "filter", 1);
		add(&g, out, &e);
	}
	ASSERT_EQ(g.open, GROUP_MAX_OPEN, "the oldest printed early");
	group_free(&g);
	fclose(out);
}
