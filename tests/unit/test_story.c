// SPDX-License-Identifier: Apache-2.0
/* Tracking, conntrack and NAT in the record and the text: ct states, NAT kinds, the extras. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include "test.h"
#include "record.h"
#include "render_text.h"

#define CT 0xffff888005a0c300ULL

TEST(ct_state_as_the_conntrack_match_sees_it)
{
	ASSERT_STREQ(ct_state_name(CT, 0), "ESTABLISHED", "IP_CT_ESTABLISHED");
	ASSERT_STREQ(ct_state_name(CT, 1), "RELATED", "IP_CT_RELATED");
	ASSERT_STREQ(ct_state_name(CT, 2), "NEW", "IP_CT_NEW");
	ASSERT_STREQ(ct_state_name(CT, 3), "ESTABLISHED", "IP_CT_ESTABLISHED_REPLY");
	ASSERT_STREQ(ct_state_name(CT, 4), "RELATED", "IP_CT_RELATED_REPLY");
	ASSERT_STREQ(ct_state_name(0, 0), "INVALID", "no conntrack entry");
	ASSERT_STREQ(ct_state_name(0, 7), "UNTRACKED", "IP_CT_UNTRACKED: -j CT --notrack");
	ASSERT_STREQ(ct_state_name(CT, 5), "INVALID", "no such ctinfo");
}

TEST(nat_target_from_the_rule_text)
{
	const char *t;

	t = nat_target_of("-A POSTROUTING -o eth0 -j MASQUERADE", false);
	ASSERT_STREQ(t ? t : "(null)", "MASQUERADE", "legacy masquerade");
	t = nat_target_of(
		"-A P -m comment --comment \" -j MASQUERADE\" -j SNAT --to-source 1.2.3.4", false);
	ASSERT_STREQ(t ? t : "(null)", "SNAT", "the last -j is the target, not a comment's");
	t = nat_target_of("-A OUTPUT -p tcp -j REDIRECT --to-ports 8080", false);
	ASSERT_STREQ(t ? t : "(null)", "REDIRECT", "legacy redirect");
	t = nat_target_of("-A P -j MASQUERADEX", false);
	ASSERT_TRUE(t == NULL, "a longer name is another target");
	t = nat_target_of("oifname \"eth0\" masquerade", true);
	ASSERT_STREQ(t ? t : "(null)", "MASQUERADE", "nft masquerade");
	t = nat_target_of("tcp dport 80 redirect to :8080 comment \"no masquerade\"", true);
	ASSERT_STREQ(t ? t : "(null)", "REDIRECT", "nft: a comment's words do not count");
	t = nat_target_of("ip daddr 10.96.0.10 dnat to 10.244.1.5", true);
	ASSERT_STREQ(t ? t : "(null)", "DNAT", "nft dnat");
	ASSERT_TRUE(nat_target_of(NULL, true) == NULL, "no text");
}

/* A nat call's event: original tuple a:ap -> b:bp, reply tuple c:cp -> d:dp. */
static struct event nat_event(__u8 hook, const char *a, int ap, const char *b, int bp,
			      const char *c, int cp, const char *d, int dp)
{
	struct event e = { .engine = ENGINE_IPTABLES,
			   .family = PF_FAMILY_IPV4,
			   .hook = hook,
			   .l3proto = ETHERTYPE_IPV4 };

	e.flags = EVENT_NAT_CALL | EVENT_HAS_AFTER | EVENT_HAS_NAT;
	e.ct = e.ct_after = CT;
	e.ctinfo = e.ctinfo_after = 2;
	e.ct_l3num = PF_FAMILY_IPV4;
	e.ct_protonum = IPPROTO_UDP;
	inet_pton(AF_INET, a, e.nat_orig.src);
	inet_pton(AF_INET, b, e.nat_orig.dst);
	inet_pton(AF_INET, c, e.nat_reply.src);
	inet_pton(AF_INET, d, e.nat_reply.dst);
	e.nat_orig.sport = ap;
	e.nat_orig.dport = bp;
	e.nat_reply.sport = cp;
	e.nat_reply.dport = dp;
	return e;
}

static void extras(const struct event *e, const char *rule_text, bool id, bool ct, char *buf,
		   size_t len)
{
	static struct trace_record r;
	struct text_options o = { .show_id = id, .show_ct = ct };

	record_build(&r, e, 0);
	if (rule_text) {
		r.rule.status = ATTRIBUTION_OK;
		r.rule.decider = (struct rule_step){ RULE_STEP_RULE, "P", 1, 0, rule_text };
	}
	record_nat(&r);
	render_text_extras(&r, &o, buf, len);
}

TEST(nat_before_and_after)
{
	char buf[256];
	struct event e;

	/* PREROUTING: destination 10.96.0.10:53 now answered by 10.244.1.5:53 */
	e = nat_event(0, "10.0.0.7", 4000, "10.96.0.10", 53, "10.244.1.5", 53, "10.0.0.7", 4000);
	extras(&e, NULL, false, false, buf, sizeof(buf));
	ASSERT_STREQ(buf, " nat=[DNAT 10.96.0.10:53 -> 10.244.1.5:53]", "DNAT");
	extras(&e, "-A OUTPUT -p udp -j REDIRECT --to-ports 53", false, false, buf, sizeof(buf));
	ASSERT_STREQ(buf, " nat=[REDIRECT 10.96.0.10:53 -> 10.244.1.5:53]", "by its rule");
	/* POSTROUTING after that DNAT: only the source binding is this call's */
	e = nat_event(4, "10.0.0.7", 4000, "10.96.0.10", 53, "10.244.1.5", 53, "10.0.0.7", 4000);
	extras(&e, NULL, false, false, buf, sizeof(buf));
	ASSERT_STREQ(buf, "", "the DNAT is PREROUTING's, not shown again");
	e = nat_event(4, "10.0.0.7", 4000, "8.8.8.8", 53, "8.8.8.8", 53, "192.0.2.1", 61000);
	extras(&e, "-A POSTROUTING -o eth0 -j MASQUERADE", false, false, buf, sizeof(buf));
	ASSERT_STREQ(buf, " nat=[MASQUERADE 10.0.0.7:4000 -> 192.0.2.1:61000]", "MASQUERADE");
	extras(&e, NULL, false, false, buf, sizeof(buf));
	ASSERT_STREQ(buf, " nat=[SNAT 10.0.0.7:4000 -> 192.0.2.1:61000]", "rule unknown: SNAT");
	/* ICMP: no ports */
	e.ct_protonum = IPPROTO_ICMP;
	extras(&e, NULL, false, false, buf, sizeof(buf));
	ASSERT_STREQ(buf, " nat=[SNAT 10.0.0.7 -> 192.0.2.1]", "addresses only");
	/* a FORWARD call (not a nat hook) and a call without the tuples show nothing */
	e.hook = 2;
	extras(&e, NULL, false, false, buf, sizeof(buf));
	ASSERT_STREQ(buf, "", "FORWARD");
	e.hook = 4;
	e.flags &= ~EVENT_HAS_NAT;
	extras(&e, NULL, false, false, buf, sizeof(buf));
	ASSERT_STREQ(buf, "", "no tuples (stolen, or no conntrack)");
}

TEST(nat_ipv6_brackets)
{
	struct event e = nat_event(0, "0.0.0.0", 1, "0.0.0.0", 80, "0.0.0.0", 8080, "0.0.0.0", 1);
	char buf[256];

	e.ct_l3num = PF_FAMILY_IPV6;
	e.ct_protonum = IPPROTO_TCP;
	inet_pton(AF_INET6, "2001:db8::1", e.nat_orig.dst);
	inet_pton(AF_INET6, "2001:db8::2", e.nat_reply.src);
	extras(&e, NULL, false, false, buf, sizeof(buf));
	ASSERT_STREQ(buf, " nat=[DNAT [2001:db8::1]:80 -> [2001:db8::2]:8080]", "IPv6");
}

TEST(extras_id_and_ct_opt_in)
{
	struct event e = { .engine = ENGINE_IPTABLES,
			   .family = PF_FAMILY_IPV4,
			   .hook = 1,
			   .l3proto = ETHERTYPE_IPV4 };
	char buf[256];

	e.packet_id = 12345;
	extras(&e, NULL, false, false, buf, sizeof(buf));
	ASSERT_STREQ(buf, "", "the seed's line by default");
	extras(&e, NULL, true, false, buf, sizeof(buf));
	ASSERT_STREQ(buf, " id=12345", "--show-id");
	extras(&e, NULL, false, true, buf, sizeof(buf));
	ASSERT_STREQ(buf, " ct=INVALID mark=0x0", "--show-ct, no conntrack, not read at exit");
	e.ct = e.ct_after = CT;
	e.ctinfo = e.ctinfo_after = 3;
	e.mark = 0;
	e.mark_after = 0x10;
	e.flags |= EVENT_HAS_AFTER;
	extras(&e, NULL, true, true, buf, sizeof(buf));
	ASSERT_STREQ(buf, " id=12345 ct=ESTABLISHED(reply) mark=0x0->0x10", "mark set by the call");
	e.ct = 0;
	e.ctinfo = 7;
	e.ct_after = CT;
	e.ctinfo_after = 2;
	e.mark_after = 0;
	extras(&e, NULL, false, true, buf, sizeof(buf));
	ASSERT_STREQ(buf, " ct=UNTRACKED->NEW mark=0x0", "state changed by the call");
	e.l3proto = ETHERTYPE_ARP;
	extras(&e, NULL, true, true, buf, sizeof(buf));
	ASSERT_STREQ(buf, " id=12345", "ARP: no conntrack");
	e.cause_id = 777;
	extras(&e, NULL, true, false, buf, sizeof(buf));
	ASSERT_STREQ(buf, " id=12345 caused_by=777", "a REJECT's reply: the packet that caused it");
	extras(&e, NULL, false, false, buf, sizeof(buf));
	ASSERT_STREQ(buf, "", "caused_by only with --show-id");
}
