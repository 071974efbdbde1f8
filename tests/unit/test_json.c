// SPDX-License-Identifier: Apache-2.0
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <unistd.h>
#include "test.h"
#include "json_writer.h"
#include "render_json.h"

/* What the writer makes of one name, as a string (caller frees). */
static char *written_name(const char *name, size_t len)
{
	struct json_writer w;
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);

	jw_init(&w, out);
	jw_string_n(&w, name, len);
	fclose(out);
	return buf;
}

/* Every byte value in a name: quotes, backslash, controls escaped; bytes not UTF-8 → U+FFFD. */
TEST(json_every_byte)
{
	for (int b = 1; b < 256; b++) {
		char name[4] = { 'a', (char)b, 'z', 0 }, expected[32], what[32];
		char *got = written_name(name, 3);

		if (b == '"' || b == '\\')
			snprintf(expected, sizeof(expected), "\"a\\%cz\"", b);
		else if (b < 0x20 || b == 0x7f)
			snprintf(expected, sizeof(expected), "\"a\\u%04xz\"", b);
		else if (b >= 0x80)
			snprintf(expected, sizeof(expected), "\"a\xef\xbf\xbdz\"");
		else
			snprintf(expected, sizeof(expected), "\"a%cz\"", b);
		snprintf(what, sizeof(what), "byte 0x%02x", b);
		ASSERT_STREQ(got, expected, what);
		free(got);
	}
}

#define FFFD "\xef\xbf\xbd" /* U+FFFD in UTF-8 */

/* Valid sequences pass; each byte of an invalid one becomes U+FFFD. */
TEST(json_utf8_sequences)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "\xc3\xa9", "\"\xc3\xa9\"" },			       /* e acute */
		{ "\xe2\x82\xac", "\"\xe2\x82\xac\"" },		       /* euro sign */
		{ "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"" },	       /* U+1F600 */
		{ "\xc0\xaf", "\"" FFFD FFFD "\"" },		       /* overlong '/' */
		{ "\xe0\x80\xaf", "\"" FFFD FFFD FFFD "\"" },	       /* overlong */
		{ "\xed\xa0\x80", "\"" FFFD FFFD FFFD "\"" },	       /* surrogate */
		{ "\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\"" }, /* above U+10FFFF */
		{ "\xe2\x82", "\"" FFFD FFFD "\"" },		       /* cut short */
		{ "\xc3Z", "\"" FFFD "Z\"" }, /* lead without continuation */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = written_name(cases[i].in, 64);

		ASSERT_STREQ(got, cases[i].out, cases[i].in);
		free(got);
	}
}

TEST(json_nesting_and_numbers)
{
	struct json_writer w;
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);

	jw_init(&w, out);
	jw_object_begin(&w);
	jw_uint_field(&w, "a", 18446744073709551615ULL);
	jw_int_field(&w, "b", -5);
	jw_name(&w, "c");
	jw_array_begin(&w);
	jw_array_begin(&w);
	jw_array_end(&w);
	jw_object_begin(&w);
	jw_object_end(&w);
	jw_null(&w);
	jw_bool(&w, true);
	jw_double(&w, 2.5);
	jw_array_end(&w);
	jw_string_field(&w, "d", NULL);
	jw_object_end(&w);
	ASSERT_EQ(jw_end_line(&w), 0, "written");
	fclose(out);
	ASSERT_STREQ(
		buf,
		"{\"a\":18446744073709551615,\"b\":-5,\"c\":[[],{},null,true,2.500],\"d\":null}\n",
		"document");
	free(buf);
}

/* jq parses every line: names with each byte value, and nothing else. */
TEST(json_valid_for_jq)
{
	FILE *jq;
	int status;

	if (!ASSERT_TRUE(access("/usr/bin/jq", X_OK) == 0,
			 "jq installed (scripts/install-deps.sh test)"))
		return;
	/* A constant command: no data reaches the shell. 255 lines, each one value. */
	jq = popen("jq -e -s 'length == 255 and all(.[]; .name | type == \"string\")' >/dev/null",
		   "w");
	if (!ASSERT_TRUE(jq != NULL, "popen jq"))
		return;
	for (int b = 1; b < 256; b++) {
		struct json_writer w;
		char name[8] = { '"', (char)b, '\\', (char)(b ^ 0x80), (char)b, 0 };

		jw_init(&w, jq);
		jw_object_begin(&w);
		jw_string_field(&w, "name", name);
		jw_object_end(&w);
		jw_end_line(&w);
	}
	status = pclose(jq);
	ASSERT_EQ(status, 0, "jq -e accepted all 255 lines");
}

static struct event golden_event(void)
{
	struct event e = {
		.kind = EVENT_TABLE_CALL,
		.version = EVENT_TABLE_CALL_VERSION,
		.ts_ns = 1700000000123456789ULL,
		.cost_ns = 2300,
		.skb = 0xffff888004a1b200ULL,
		.netns = 4026531840U,
		.pid = 0,
		.cpu = 1,
		.verdict = 0,
		.flags = EVENT_HAS_ADDRS | EVENT_HAS_ICMP | EVENT_HAS_MAC,
		.ip_len = 84,
		.l3proto = ETHERTYPE_IPV4,
		.engine = ENGINE_IPTABLES,
		.family = PF_FAMILY_IPV4,
		.hook = 1,
		.l4proto = IPPROTO_ICMP,
		.icmp_type = 8,
		.icmp_id = 77,
		.icmp_seq = 3,
		.dest_mac = { 2, 0, 0, 0, 0, 2 },
		.src_mac = { 2, 0, 0, 0, 0, 1 },
		.in_ifname = "veth\"1\\",
		.table = "filter",
		.rule_status = RULES_OK,
		.packet_id = 42,
		.ct = 0xffff888005a0c300ULL,
		.ctinfo = 2, /* IP_CT_NEW */
		.mark = 0x10,
	};

	inet_pton(AF_INET, "10.0.0.1", e.saddr);
	inet_pton(AF_INET, "10.0.0.2", e.daddr);
	return e;
}

static void expect_golden(const struct trace_record *r, const char *path)
{
	char *buf = NULL, *expected = calloc(1, 8192);
	size_t size = 0, len;
	FILE *out = open_memstream(&buf, &size), *golden = fopen(path, "r");

	ASSERT_EQ(render_json(out, r), 0, "rendered");
	fclose(out);
	if (!ASSERT_TRUE(golden != NULL && expected != NULL, path)) {
		free(buf);
		free(expected);
		return;
	}
	len = fread(expected, 1, 8191, golden);
	expected[len] = '\0';
	fclose(golden);
	ASSERT_STREQ(buf, expected, path);
	free(buf);
	free(expected);
}

/* The schema of a table call: a changed field name or type fails here (update the README). */
TEST(json_golden_table_call_legacy)
{
	static struct trace_record r;
	struct event e = golden_event();

	record_build(&r, &e, 1000000000);
	r.rule.status = ATTRIBUTION_OK;
	r.rule.path[0] = (struct rule_step){ RULE_STEP_RULE, "INPUT", 2, 0, "-A INPUT -j user" };
	r.rule.nr_path = 1;
	r.rule.decider =
		(struct rule_step){ RULE_STEP_RULE, "user", 1, 0,
				    "-A user -p icmp -m comment --comment \"no\\ping\" -j DROP" };
	r.rule.matched[0] = r.rule.path[0];
	r.rule.matched[1] = r.rule.decider;
	r.rule.nr_matched = 2;
	expect_golden(&r, "tests/unit/golden/table_call_legacy.json");
}

TEST(json_golden_table_call_nft)
{
	static struct trace_record r;
	struct event e = golden_event();

	e.engine = ENGINE_NFTABLES;
	e.family = PF_FAMILY_INET;
	e.priority = -10;
	e.verdict = 2 | 1 << 16; /* NF_STOLEN with EPERM: a drop on 6.x */
	snprintf(e.table, sizeof(e.table), "t\x01\xff");
	snprintf(e.chain, sizeof(e.chain), "input");
	record_build(&r, &e, 0);
	r.rule.status = ATTRIBUTION_UNKNOWN;
	r.rule.nft = true;
	snprintf(r.rule.reason, sizeof(r.rule.reason), "no rule decision was traced");
	expect_golden(&r, "tests/unit/golden/table_call_nft_unknown.json");
}

TEST(json_golden_table_call_nft_rule)
{
	static struct trace_record r;
	struct event e = golden_event();

	e.engine = ENGINE_NFTABLES;
	e.family = PF_FAMILY_INET;
	e.priority = 0;
	e.verdict = 1;
	e.flags = EVENT_HAS_ADDRS | EVENT_HAS_PORTS;
	e.l4proto = 6;
	e.sport = 40000;
	e.dport = 443;
	e.tcp_flags = 0x12;
	e.in_ifname[0] = '\0';
	snprintf(e.out_ifname, sizeof(e.out_ifname), "eth0");
	snprintf(e.table, sizeof(e.table), "mine");
	snprintf(e.chain, sizeof(e.chain), "out");
	e.hook = 3;
	record_build(&r, &e, 0);
	r.rule.status = ATTRIBUTION_OK;
	r.rule.nft = true;
	r.rule.path[0] =
		(struct rule_step){ RULE_STEP_RULE, "out", 0, 4, "tcp dport 443 jump web" };
	r.rule.nr_path = 1;
	r.rule.decider = (struct rule_step){ RULE_STEP_RULE, "web", 0, 9, "ct state new accept" };
	r.rule.matched[0] = r.rule.path[0];
	r.rule.matched[1] = (struct rule_step){ RULE_STEP_RULE, NULL, 0, 12, NULL };
	r.rule.matched[2] = r.rule.decider;
	r.rule.nr_matched = 3;
	expect_golden(&r, "tests/unit/golden/table_call_nft_rule.json");
}

/* A nat call that set up a DNAT, its mark changed, a clone of a tracked packet. */
TEST(json_golden_table_call_nat)
{
	static struct trace_record r;
	struct event e = golden_event();

	snprintf(e.table, sizeof(e.table), "nat");
	e.hook = 0;
	e.verdict = 1;
	e.flags = EVENT_HAS_ADDRS | EVENT_HAS_PORTS | EVENT_TRACKED | EVENT_NAT_CALL |
		  EVENT_HAS_AFTER | EVENT_HAS_NAT;
	e.l4proto = IPPROTO_UDP;
	e.sport = 4000;
	e.dport = 53;
	e.parent_skb = 0xffff888004a1b100ULL;
	e.ct_after = e.ct;
	e.ctinfo_after = e.ctinfo;
	e.mark_after = 0x11;
	e.ct_l3num = PF_FAMILY_IPV4;
	e.ct_protonum = IPPROTO_UDP;
	inet_pton(AF_INET, "10.0.0.1", e.nat_orig.src);
	inet_pton(AF_INET, "10.96.0.10", e.nat_orig.dst);
	inet_pton(AF_INET, "10.244.1.5", e.nat_reply.src);
	inet_pton(AF_INET, "10.0.0.1", e.nat_reply.dst);
	e.nat_orig.sport = e.nat_reply.dport = 4000;
	e.nat_orig.dport = e.nat_reply.sport = 53;
	inet_pton(AF_INET, "10.96.0.10", e.daddr);
	record_build(&r, &e, 0);
	r.rule.status = ATTRIBUTION_OK;
	r.rule.decider = (struct rule_step){
		RULE_STEP_RULE, "PREROUTING", 1, 0,
		"-A PREROUTING -d 10.96.0.10/32 -p udp -j DNAT --to-destination 10.244.1.5:53"
	};
	record_nat(&r);
	expect_golden(&r, "tests/unit/golden/table_call_nat.json");
}

TEST(json_caused_by_only_when_set)
{
	static struct trace_record r;
	struct event e = golden_event();
	char *buf;

	e.packet_id = 9;
	record_build(&r, &e, 0);
	buf = CAPTURE(f, render_json(f, &r));
	ASSERT_TRUE(!strstr(buf, "caused_by"), "no caused_by for a packet that matched by itself");
	free(buf);
	e.cause_id = 4;
	record_build(&r, &e, 0);
	buf = CAPTURE(f, render_json(f, &r));
	ASSERT_CONTAINS(buf, "\"packet_id\":9,", "its own id");
	ASSERT_CONTAINS(buf, "\"caused_by\":4,", "the id of the packet whose call sent it");
	free(buf);
}
