// SPDX-License-Identifier: Apache-2.0
#include <stdlib.h>
#include "test.h"
#include "summary.h"

static struct trace_record record_of(const struct event *e, enum attribution_status status,
				     struct rule_step decider)
{
	struct trace_record r;

	record_build(&r, e, 0);
	r.rule.status = status;
	r.rule.decider = decider;
	return r;
}

TEST(summary_counts_per_table_and_rule)
{
	struct event drop = { .engine = ENGINE_IPTABLES,
			      .family = PF_FAMILY_IPV4,
			      .hook = 1,
			      .verdict = 0,
			      .table = "filter",
			      .ts_ns = 1000 };
	struct event accept = drop;
	struct rule_step rule = { RULE_STEP_RULE, "INPUT", 2, 0, "-A INPUT -p icmp -j DROP" };
	struct rule_step policy = { RULE_STEP_POLICY, "INPUT", 0, 0, "ACCEPT" };
	char text_copy[64];
	struct summary s;
	struct trace_record r;

	accept.verdict = 1;
	summary_init(&s);
	for (int i = 0; i < 5; i++) {
		r = record_of(&accept, ATTRIBUTION_OK, policy);
		ASSERT_EQ(summary_add(&s, &r), 0, "accept counted");
	}
	snprintf(text_copy, sizeof(text_copy), "%s", rule.text);
	rule.text = text_copy; /* the cache's string: the summary keeps its own copy */
	for (int i = 0; i < 3; i++) {
		r = record_of(&drop, ATTRIBUTION_OK, rule);
		ASSERT_EQ(summary_add(&s, &r), 0, "drop counted");
	}
	text_copy[0] = 'X';
	r = record_of(&drop, ATTRIBUTION_UNKNOWN, rule);
	summary_add(&s, &r);
	summary_sort(&s);
	ASSERT_EQ(s.events, 9, "events");
	ASSERT_EQ(s.rule_unknown, 1, "without a named rule");
	ASSERT_EQ(s.nr_tables, 2, "two verdicts of one table and hook");
	ASSERT_STREQ(s.tables[0].verdict, "ACCEPT", "most events first");
	ASSERT_EQ(s.tables[0].count, 5, "accepts");
	ASSERT_EQ(s.tables[1].count, 4, "drops, named or not");
	ASSERT_EQ(s.nr_rules, 2, "rules");
	ASSERT_STREQ(s.rules[0].verdict, "DROP", "drop rules first, though fewer");
	ASSERT_EQ(s.rules[0].count, 3, "the drop rule's count");
	ASSERT_STREQ(s.rules[0].rule.text, "-A INPUT -p icmp -j DROP", "text copied");
	ASSERT_EQ(s.rules[1].count, 5, "the policy's count");
	summary_free(&s);
}

TEST(summary_renders_text_and_json)
{
	struct event e = { .engine = ENGINE_NFTABLES,
			   .family = PF_FAMILY_INET,
			   .hook = 1,
			   .verdict = 0,
			   .table = "t\x1b[2J",
			   .chain = "input" };
	struct rule_step rule = { RULE_STEP_RULE, "input", 0, 7, "icmp type echo-request drop" };
	struct lost_counts lost = { .ring_full = 2 };
	struct trace_record r;
	struct summary s;
	char *buf = NULL;
	size_t size = 0;
	FILE *out;

	summary_init(&s);
	r = record_of(&e, ATTRIBUTION_OK, rule);
	r.rule.nft = true;
	summary_add(&s, &r);
	summary_add(&s, &r);
	out = open_memstream(&buf, &size);
	summary_render_text(out, &s, 2.0, &lost, false);
	fclose(out);
	ASSERT_TRUE(!strchr(buf, '\033'), "no ANSI codes when not a terminal");
	ASSERT_TRUE(!strncmp(buf, "2 events in", 11), "the block starts with the totals");
	ASSERT_TRUE(size > 2 && !strcmp(buf + size - 2, "\n\n"), "a blank line ends the block");
	ASSERT_TRUE(strstr(buf, "2 events in 2.0 s, 2 lost, 0 without a named rule\n") != NULL,
		    "totals line");
	ASSERT_TRUE(strstr(buf, "         2       1.0  nftables  inet   t\\x1b[2J         input"
				"            INPUT       DROP\n") != NULL,
		    "table row, escape character shown as \\x1b");
	ASSERT_TRUE(strstr(buf, "input[handle 7]: icmp type echo-request drop\n") != NULL,
		    "rule row");
	free(buf);
	buf = NULL;
	out = open_memstream(&buf, &size);
	summary_render_text(out, &s, 2.0, &lost, true);
	fclose(out);
	ASSERT_TRUE(!strncmp(buf, "\033[H\033[2J2 events in", 18), "a terminal: cleared first");
	ASSERT_TRUE(size > 2 && strcmp(buf + size - 2, "\n\n"), "no blank line on a terminal");
	free(buf);
	buf = NULL;
	out = open_memstream(&buf, &size);
	ASSERT_EQ(summary_render_json(out, &s, 2.0, &lost), 0, "json written");
	fclose(out);
	ASSERT_TRUE(strstr(buf, "\"type\":\"summary\",\"events\":2,") != NULL, "json totals");
	ASSERT_TRUE(strstr(buf, "\"table\":\"t\\u001b[2J\",\"chain\":\"input\",\"hook\":\"INPUT\","
				"\"verdict\":\"DROP\",\"count\":2,\"rate\":1.000}") != NULL,
		    "json table row");
	ASSERT_TRUE(strstr(buf, "\"count\":2,\"rate\":1.000,\"rule\":{\"status\":\"ok\",\"kind\":"
				"\"rule\",\"chain\":\"input\",\"handle\":7,") != NULL,
		    "json rule row");
	ASSERT_TRUE(strstr(buf, "\"lost\":{\"total\":2,\"ring_full\":2,") != NULL, "json lost");
	free(buf);
	summary_free(&s);
}

/* Rows move when the array grows and when sorted: each keeps its own chain and text. */
TEST(summary_rows_keep_their_names)
{
	struct event e = {
		.engine = ENGINE_IPTABLES, .family = PF_FAMILY_IPV4, .hook = 1, .table = "filter"
	};
	char chain[40][16], text[40][32];
	struct trace_record r;
	struct summary s;

	summary_init(&s);
	for (int i = 0; i < 40; i++) {
		snprintf(chain[i], sizeof(chain[i]), "C%d", i);
		snprintf(text[i], sizeof(text[i]), "-A C%d -j ACCEPT", i);
		e.verdict = i % 2; /* odd: ACCEPT, even: DROP */
		for (int n = 0; n <= i; n++) {
			r = record_of(
				&e, ATTRIBUTION_OK,
				(struct rule_step){ RULE_STEP_RULE, chain[i], i, 0, text[i] });
			summary_add(&s, &r);
		}
		chain[i][0] = text[i][0] = 'X'; /* the cache's strings change after the event */
	}
	summary_sort(&s);
	ASSERT_EQ(s.nr_rules, 40, "one row per rule");
	ASSERT_EQ(s.events, 40 * 41 / 2, "events");
	for (int i = 0; i < s.nr_rules; i++) {
		const struct summary_rule_row *row = &s.rules[i];
		char want_chain[16], want_text[32];

		snprintf(want_chain, sizeof(want_chain), "C%d", row->rule.number);
		snprintf(want_text, sizeof(want_text), "-A C%d -j ACCEPT", row->rule.number);
		ASSERT_STREQ(row->rule.chain, want_chain, "chain stays with its row");
		ASSERT_STREQ(row->rule.text, want_text, "text stays with its row");
		ASSERT_EQ(row->count, row->rule.number + 1, "count stays with its row");
		ASSERT_STREQ(row->verdict, row->rule.number % 2 ? "ACCEPT" : "DROP", "verdict");
	}
	ASSERT_EQ(s.rules[0].rule.number, 38, "the drop rule with most events first");
	ASSERT_EQ(s.rules[20].rule.number, 39, "then accepts by count");
	summary_free(&s);
}
