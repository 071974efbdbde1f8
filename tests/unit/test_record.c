// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include "test.h"
#include "record.h"
#include "render_text.h"

TEST(record_decodes_names)
{
	struct event e = { .engine = ENGINE_NFTABLES,
			   .family = PF_FAMILY_INET,
			   .hook = 1,
			   .verdict = 2 | EPERM << 16 };
	struct trace_record r;

	record_build(&r, &e, 0);
	ASSERT_STREQ(r.engine, "nftables", "engine");
	ASSERT_STREQ(r.family, "inet", "family");
	ASSERT_STREQ(r.hook, "INPUT", "hook");
	ASSERT_STREQ(r.verdict_code, "DROP", "stolen with an errno: a drop");
	ASSERT_STREQ(r.verdict, "DROP(EPERM)", "verdict as the text column shows it");
	ASSERT_STREQ(r.verdict_reason ? r.verdict_reason : "(null)", "EPERM", "reason");
	ASSERT_EQ(r.rule.status, ATTRIBUTION_NOT_TRACKED, "no attribution yet");
	e.verdict = 1;
	record_build(&r, &e, 0);
	ASSERT_TRUE(r.verdict_reason == NULL, "accept has no reason");
}

TEST(event_kind_and_version_checked)
{
	struct event e = { .kind = EVENT_TABLE_CALL, .version = EVENT_TABLE_CALL_VERSION };

	ASSERT_TRUE(event_known(&e, sizeof(e)), "table call");
	ASSERT_TRUE(!event_known(&e, sizeof(e) - 1), "short record");
	e.version = EVENT_TABLE_CALL_VERSION + 1;
	ASSERT_TRUE(!event_known(&e, sizeof(e)), "newer version");
	e.version = EVENT_TABLE_CALL_VERSION;
	e.kind = 99;
	ASSERT_TRUE(!event_known(&e, sizeof(e)), "unknown kind");
	ASSERT_EQ(event_known(&e, sizeof(e)), 0, "unknown kind");
}

/*
 * The wire layout written out by hand: head, nr entries of entry bytes, then for nftables the
 * strings (a legacy call's name is in the head).
 */
static size_t wire(char *buf, const struct event *e, size_t entry, unsigned int nr,
		   const char *table, const char *chain)
{
	size_t at = EVENT_WIRE_HEAD;

	memcpy(buf, e, EVENT_WIRE_HEAD);
	memcpy(buf + at, e->hits, nr * entry);
	at += nr * entry;
	if (e->engine != ENGINE_NFTABLES)
		return at;
	memcpy(buf + at, table, strlen(table) + 1);
	at += strlen(table) + 1;
	memcpy(buf + at, chain, strlen(chain) + 1);
	return at + strlen(chain) + 1;
}

TEST(event_decode_sized_records)
{
	static struct event e, out;
	static char buf[sizeof(struct event) + 16];
	size_t n;

	e = (struct event){ .kind = EVENT_TABLE_CALL,
			    .version = EVENT_TABLE_CALL_VERSION,
			    .engine = ENGINE_IPTABLES,
			    .nr_hits = 2,
			    .skb = 0xabc,
			    .legacy_table = "filter" };
	e.hits[0] = (struct rule_hit){ 152, 1 };
	e.hits[1] = (struct rule_hit){ 304, 1 };
	n = wire(buf, &e, sizeof(struct rule_hit), 2, NULL, NULL);
	ASSERT_EQ(n, EVENT_WIRE_HEAD + 16, "two hits, the name in the head: no more");
	ASSERT_TRUE(event_decode(buf, n, &out), "a legacy call");
	ASSERT_EQ(out.skb, 0xabc, "the head");
	ASSERT_EQ(out.nr_hits, 2, "its hits");
	ASSERT_EQ(out.hits[1].offset, 304, "the second hit");
	ASSERT_STREQ(out.table, "filter", "table, from the head");
	ASSERT_STREQ(out.chain, "", "no chain");
	ASSERT_TRUE(event_decode(buf, n + 7, &out), "perf's zero padding");
	buf[n + 2] = 1;
	ASSERT_TRUE(!event_decode(buf, n + 7, &out), "trailing bytes that are not padding");
	ASSERT_TRUE(!event_decode(buf, n + 8, &out), "8 bytes more: not padding");
	ASSERT_TRUE(!event_decode(buf, EVENT_WIRE_HEAD + 8, &out), "a hit short");
	ASSERT_TRUE(!event_decode(buf, EVENT_WIRE_HEAD - 1, &out), "the head short");
	memset(e.legacy_table, 'x', sizeof(e.legacy_table));
	n = wire(buf, &e, sizeof(struct rule_hit), 2, NULL, NULL);
	ASSERT_TRUE(!event_decode(buf, n, &out), "a legacy table name without its NUL");
	snprintf(e.legacy_table, sizeof(e.legacy_table), "filter");

	e.engine = ENGINE_NFTABLES;
	e.nr_hits = 3;
	e.steps[2] = (struct nft_step){ .rule_handle = 7, .verdict = 0, .type = 1 };
	n = wire(buf, &e, sizeof(struct nft_step), 3, "t\x1b", "input");
	ASSERT_TRUE(event_decode(buf, n, &out), "an nftables call: steps");
	ASSERT_EQ(out.steps[2].rule_handle, 7, "the third step");
	ASSERT_STREQ(out.table, "t\x1b", "table, bytes as they are");
	ASSERT_STREQ(out.chain, "input", "chain");
	ASSERT_TRUE(!event_decode(buf, n - 1, &out), "the chain's NUL cut off");

	e.engine = ENGINE_IPTABLES;
	e.nr_hits = MAX_RULE_HITS + 5; /* more than it holds: the array's worth is sent */
	n = wire(buf, &e, sizeof(struct rule_hit), MAX_RULE_HITS, NULL, NULL);
	ASSERT_TRUE(event_decode(buf, n, &out), "too many hits: the array's worth");
	ASSERT_EQ(out.nr_hits, MAX_RULE_HITS + 5, "nr_hits as sent (readers bound it)");
	e.version = EVENT_TABLE_CALL_VERSION - 1;
	n = wire(buf, &e, sizeof(struct rule_hit), 0, NULL, NULL);
	ASSERT_TRUE(!event_decode(buf, n, &out), "an older version");
	memset(buf, 'x', sizeof(buf));
	e.version = EVENT_TABLE_CALL_VERSION;
	e.engine = ENGINE_NFTABLES;
	e.nr_hits = 0;
	memcpy(buf, &e, EVENT_WIRE_HEAD);
	ASSERT_TRUE(!event_decode(buf, sizeof(buf), &out), "a table name without its NUL");
}

TEST(text_rule_legacy_path)
{
	static struct attribution a = {
		.status = ATTRIBUTION_OK,
		.path = { { RULE_STEP_RULE, "INPUT", 2, 0, "-A INPUT -j sub" } },
		.nr_path = 1,
		.decider = { RULE_STEP_RULE, "sub", 1, 0, "-A sub -p icmp -j DROP" },
		.matched = { { RULE_STEP_RULE, "INPUT", 2, 0, "-A INPUT -j sub" },
			     { RULE_STEP_RULE, "sub", 1, 0, "-A sub -p icmp -j DROP" } },
		.nr_matched = 2,
	};
	char rule[512], matched[512];

	render_text_rule(&a, rule, sizeof(rule), matched, sizeof(matched));
	ASSERT_STREQ(rule, " rule=INPUT#2 > sub#1: -A sub -p icmp -j DROP", "rule");
	ASSERT_STREQ(matched,
		     "    matched INPUT#2: -A INPUT -j sub\n"
		     "    matched sub#1: -A sub -p icmp -j DROP\n",
		     "matched");
	a.nr_path = 0;
	a.decider = (struct rule_step){ RULE_STEP_POLICY, "INPUT", 0, 0, "DROP" };
	render_text_rule(&a, rule, sizeof(rule), NULL, 0);
	ASSERT_STREQ(rule, " rule=INPUT:policy DROP", "policy");
	a.decider = (struct rule_step){ RULE_STEP_RULE, "INPUT", 4, 0, NULL };
	render_text_rule(&a, rule, sizeof(rule), NULL, 0);
	ASSERT_STREQ(rule, " rule=INPUT#4", "no text");
	a.status = ATTRIBUTION_UNKNOWN;
	snprintf(a.reason, sizeof(a.reason), "the table was replaced during the call");
	render_text_rule(&a, rule, sizeof(rule), NULL, 0);
	ASSERT_STREQ(rule, " rule=?(the table was replaced during the call)", "unknown");
	a.status = ATTRIBUTION_NOT_TRACKED;
	render_text_rule(&a, rule, sizeof(rule), NULL, 0);
	ASSERT_STREQ(rule, "", "not tracked");
}

TEST(text_rule_nft_path)
{
	static struct attribution a = {
		.status = ATTRIBUTION_OK,
		.nft = true,
		.path = { { RULE_STEP_RULE, "input", 0, 3, "jump sub" } },
		.nr_path = 1,
		.decider = { RULE_STEP_RULE, "sub", 0, 5, "icmp type echo-request drop" },
		.matched = { { RULE_STEP_RULE, NULL, 0, 9, NULL },
			     { RULE_STEP_RETURN, "sub", 0, 0, NULL },
			     { RULE_STEP_POLICY, "input", 0, 0, "drop" } },
		.nr_matched = 3,
	};
	char rule[512], matched[512];

	render_text_rule(&a, rule, sizeof(rule), matched, sizeof(matched));
	ASSERT_STREQ(rule, " rule=input[handle 3] > sub[handle 5]: icmp type echo-request drop",
		     "rule");
	ASSERT_STREQ(matched,
		     "    matched ?[handle 9]\n"
		     "    matched sub:return\n"
		     "    matched input:policy drop\n",
		     "matched");
}
