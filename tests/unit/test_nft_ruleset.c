// SPDX-License-Identifier: Apache-2.0
#include "test.h"
#include "nft_ruleset.h"

static const char listing[] = "table inet mine { # handle 5\n"
			      "\tchain in_c { # handle 1\n"
			      "\t\ttype filter hook input priority -5; policy drop;\n"
			      "\t\tip protocol tcp accept # handle 3\n"
			      "\t\tip saddr 10.9.0.1 counter jump sub # handle 4\n"
			      "\t}\n"
			      "\n"
			      "\tchain sub { # handle 2\n"
			      "\t\ticmp type echo-request drop # handle 6\n"
			      "\t}\n"
			      "}\n";

TEST(nft_table_listing)
{
	struct nft_ruleset rs;
	const struct nft_rule_text *r;
	const struct nft_chain_text *c;

	if (!ASSERT_EQ(nft_parse_table(listing, &rs), 0, "parse"))
		return;
	ASSERT_EQ(rs.table_handle, 5, "table handle");
	ASSERT_EQ(rs.nr_chains, 2, "chains");
	ASSERT_EQ(rs.nr_rules, 3, "rules");
	r = nft_find_rule(&rs, 4);
	if (ASSERT_TRUE(r != NULL, "rule 4")) {
		ASSERT_STREQ(r->text, "ip saddr 10.9.0.1 counter jump sub", "text without handle");
		ASSERT_STREQ(rs.chains[r->chain].name, "in_c", "its chain");
	}
	r = nft_find_rule(&rs, 6);
	if (ASSERT_TRUE(r != NULL, "rule 6"))
		ASSERT_STREQ(rs.chains[r->chain].name, "sub", "user chain");
	ASSERT_TRUE(nft_find_rule(&rs, 1) == NULL, "chain handles are not rules");
	c = nft_find_chain(&rs, 2);
	if (ASSERT_TRUE(c != NULL, "chain 2"))
		ASSERT_STREQ(c->name, "sub", "chain by handle");
	c = nft_find_chain_named(&rs, "in_c");
	if (ASSERT_TRUE(c != NULL, "in_c"))
		ASSERT_STREQ(c->policy, "drop", "base chain policy");
	nft_ruleset_free(&rs);
}
