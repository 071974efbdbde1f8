// SPDX-License-Identifier: Apache-2.0
#include <stdlib.h>
#include "test.h"
#include "nft_ruleset.h"
#include "nft_plain_listing.h"

/* `nft -a -s list ruleset` as nft 1.0.6 prints it; nft_plain_listing() drops the handles as
 * nft -s does. */
static const char listing[] = "table ip a { # handle 1\n"
			      "\tchain c { # handle 1\n"
			      "\t\ttype filter hook input priority filter; policy accept;\n"
			      "\t\tiifname \"lo\" accept comment \"c # handle 5\" # handle 2\n"
			      "\t}\n"
			      "}\n"
			      "table inet mine { # handle 5\n"
			      "\tset s { # handle 3\n"
			      "\t\ttype ipv4_addr\n"
			      "\t\telements = { 1.2.3.4 }\n"
			      "\t}\n"
			      "\n"
			      "\tchain in_c { # handle 1\n"
			      "\t\tcomment \"base\"\n"
			      "\t\ttype filter hook input priority -5; policy drop;\n"
			      "\t\tip protocol tcp accept # handle 4\n"
			      "\t\tip saddr 10.9.0.1 counter jump sub # handle 6\n"
			      "\t}\n"
			      "\n"
			      "\tchain sub { # handle 2\n"
			      "\t\ticmp type echo-request drop # handle 7\n"
			      "\t}\n"
			      "}\n";

static int parse(const char *with, const char *family, __u64 handle, struct nft_ruleset *rs,
		 char *why, size_t why_len)
{
	char *p = nft_plain_listing(with);
	int ret = nft_parse_ruleset(with, p, family, handle, rs, why, why_len);

	free(p);
	return ret;
}

TEST(nft_table_by_family_and_handle)
{
	struct nft_ruleset rs;
	const struct nft_rule_text *r;
	const struct nft_chain_text *c;
	char why[160] = "";

	if (!ASSERT_EQ(parse(listing, "inet", 5, &rs, why, sizeof(why)), 0, why))
		return;
	ASSERT_EQ(rs.table_handle, 5, "table handle");
	ASSERT_EQ(rs.nr_chains, 2, "chains (a set is not one)");
	ASSERT_EQ(rs.nr_rules, 3, "rules");
	r = nft_find_rule(&rs, 6);
	if (ASSERT_TRUE(r != NULL, "rule 6")) {
		ASSERT_STREQ(r->text, "ip saddr 10.9.0.1 counter jump sub", "text without handle");
		ASSERT_STREQ(rs.chains[r->chain].name, "in_c", "its chain");
	}
	r = nft_find_rule(&rs, 4);
	if (ASSERT_TRUE(r != NULL, "rule 4, after a chain comment and its type line"))
		ASSERT_STREQ(r->text, "ip protocol tcp accept", "first rule of a base chain");
	r = nft_find_rule(&rs, 7);
	if (ASSERT_TRUE(r != NULL, "rule 7"))
		ASSERT_STREQ(rs.chains[r->chain].name, "sub", "user chain");
	ASSERT_TRUE(nft_find_rule(&rs, 2) == NULL, "another table's rule is not this one's");
	ASSERT_TRUE(nft_find_rule(&rs, 1) == NULL, "chain handles are not rules");
	c = nft_find_chain(&rs, 2);
	if (ASSERT_TRUE(c != NULL, "chain 2"))
		ASSERT_STREQ(c->name, "sub", "chain by handle");
	nft_ruleset_free(&rs);
}

TEST(nft_handle_in_comment_is_not_the_rule_handle)
{
	struct nft_ruleset rs;
	const struct nft_rule_text *r;
	char why[160] = "";

	if (!ASSERT_EQ(parse(listing, "ip", 1, &rs, why, sizeof(why)), 0, why))
		return;
	ASSERT_TRUE(nft_find_rule(&rs, 5) == NULL, "no rule 5 from the comment");
	r = nft_find_rule(&rs, 2);
	if (ASSERT_TRUE(r != NULL, "rule 2"))
		ASSERT_STREQ(r->text, "iifname \"lo\" accept comment \"c # handle 5\"",
			     "full text");
	nft_ruleset_free(&rs);
}

TEST(nft_family_must_match)
{
	struct nft_ruleset rs;
	char why[160] = "";

	ASSERT_EQ(parse(listing, "ip", 5, &rs, why, sizeof(why)), -1, "inet table as ip");
	ASSERT_TRUE(strstr(why, "gone") != NULL, why);
	ASSERT_EQ(parse(listing, "inet", 9, &rs, why, sizeof(why)), -1, "no such handle");
}

TEST(nft_long_lines_are_not_cut)
{
	size_t n = 20000;
	char *text = malloc(n + 200);
	struct nft_ruleset rs;
	const struct nft_rule_text *r;
	char why[160] = "";
	int len = sprintf(text, "table ip t { # handle 1\n\tchain c { # handle 1\n\t\t");

	memset(text + len, 'x', n);
	sprintf(text + len + n, " drop # handle 2\n\t}\n}\n");
	if (ASSERT_EQ(parse(text, "ip", 1, &rs, why, sizeof(why)), 0, why)) {
		r = nft_find_rule(&rs, 2);
		if (ASSERT_TRUE(r != NULL, "rule 2"))
			ASSERT_EQ(strlen(r->text), n + strlen(" drop"), "whole line");
		nft_ruleset_free(&rs);
	}
	free(text);
}

TEST(nft_names_with_spaces_quotes_and_semicolons)
{
	static const char text[] = "table inet x; add table inet injected \" { # handle 3\n"
				   "\tchain in \"put\" { # handle 1\n"
				   "\t\ttype filter hook input priority filter; policy accept;\n"
				   "\t\tcounter drop comment \"a;b\" # handle 2\n"
				   "\t}\n"
				   "}\n";
	struct nft_ruleset rs;
	const struct nft_rule_text *r;
	char why[160] = "";

	if (!ASSERT_EQ(parse(text, "inet", 3, &rs, why, sizeof(why)), 0, why))
		return;
	r = nft_find_rule(&rs, 2);
	if (ASSERT_TRUE(r != NULL, "rule 2")) {
		ASSERT_STREQ(r->text, "counter drop comment \"a;b\"", "rule text");
		ASSERT_STREQ(rs.chains[r->chain].name, "in \"put\"", "chain name with quotes");
	}
	nft_ruleset_free(&rs);
}

/* A comment holding "# handle 5" and a line break: the plain listing holds it too. */
TEST(nft_line_break_in_a_string_is_refused)
{
	static const char text[] = "table inet t { # handle 1\n"
				   "\tchain c { # handle 1\n"
				   "\t\ttype filter hook input priority filter; policy accept;\n"
				   "\t\tcounter drop comment \"c # handle 5\n"
				   "x\" # handle 2\n"
				   "\t}\n"
				   "}\n";
	static const char plain_text[] =
		"table inet t {\n"
		"\tchain c {\n"
		"\t\ttype filter hook input priority filter; policy accept;\n"
		"\t\tcounter drop comment \"c # handle 5\n"
		"x\"\n"
		"\t}\n"
		"}\n";
	struct nft_ruleset rs;
	char why[160] = "";

	ASSERT_EQ(nft_parse_ruleset(text, plain_text, "inet", 1, &rs, why, sizeof(why)), -1,
		  "ambiguous text refused");
	ASSERT_TRUE(strstr(why, "line") != NULL, why);
	ASSERT_TRUE(rs.rules == NULL && rs.chains == NULL, "nothing kept");
}

TEST(nft_line_break_in_a_later_rule_is_refused)
{
	static const char text[] = "table inet t { # handle 1\n"
				   "\tchain c { # handle 1\n"
				   "\t\taccept # handle 2\n"
				   "\t\tcounter comment \"a\n"
				   "\t\tb\" # handle 3\n"
				   "\t}\n"
				   "}\n";
	struct nft_ruleset rs;
	char why[160] = "";

	ASSERT_EQ(parse(text, "inet", 1, &rs, why, sizeof(why)), -1, "refused");
}

TEST(nft_line_break_in_a_chain_name_is_refused)
{
	static const char text[] = "table inet t { # handle 1\n"
				   "\tchain a\n"
				   "\tchain b { # handle 1\n"
				   "\t\taccept # handle 2\n"
				   "\t}\n"
				   "}\n";
	struct nft_ruleset rs;
	char why[160] = "";

	ASSERT_EQ(parse(text, "inet", 1, &rs, why, sizeof(why)), -1, "refused");
}

TEST(nft_repeated_handle_is_refused)
{
	static const char text[] = "table inet t { # handle 1\n"
				   "\tchain c { # handle 1\n"
				   "\t\taccept # handle 2\n"
				   "\t\tdrop # handle 2\n"
				   "\t}\n"
				   "}\n";
	struct nft_ruleset rs;
	char why[160] = "";

	ASSERT_EQ(parse(text, "inet", 1, &rs, why, sizeof(why)), -1, "refused");
	ASSERT_TRUE(strstr(why, "twice") != NULL, why);
}

TEST(nft_table_header_twice_is_refused)
{
	static const char text[] = "table inet t { # handle 1\n"
				   "}\n"
				   "table inet t { # handle 1\n"
				   "}\n";
	struct nft_ruleset rs;
	char why[160] = "";

	ASSERT_EQ(parse(text, "inet", 1, &rs, why, sizeof(why)), -1, "refused");
	ASSERT_TRUE(strstr(why, "twice") != NULL, why);
}

TEST(nft_listings_that_differ_are_refused)
{
	struct nft_ruleset rs;
	char why[160] = "";

	ASSERT_EQ(nft_parse_ruleset("table ip t { # handle 1\n\tchain c { # handle 2\n",
				    "table ip t {\n\tchain d {\n", "ip", 1, &rs, why, sizeof(why)),
		  -1, "the ruleset changed between the listings");
	ASSERT_TRUE(strstr(why, "changed") != NULL, why);
	/* A marker must end its line: "# handle 5" inside a line is text. */
	ASSERT_EQ(nft_parse_ruleset("table ip t { # handle 1 x\n", "table ip t {\n", "ip", 1, &rs,
				    why, sizeof(why)),
		  -1, "a marker not at a line end");
}

TEST(nft_rule_outside_a_chain_is_refused)
{
	static const char text[] = "table inet t { # handle 1\n"
				   "\tset s { # handle 2\n"
				   "\t\ttype ipv4_addr\n"
				   "\t\tdrop # handle 3\n"
				   "\t}\n"
				   "}\n";
	struct nft_ruleset rs;
	char why[160] = "";

	ASSERT_EQ(parse(text, "inet", 1, &rs, why, sizeof(why)), -1, "refused");
}

TEST(nft_odd_quotes_are_refused)
{
	static const char text[] = "table inet t { # handle 1\n"
				   "\tchain c { # handle 1\n"
				   "\t\tcomment \"a\"\n"
				   "\t\tb\" # handle 2\n"
				   "\t}\n"
				   "}\n";
	struct nft_ruleset rs;
	char why[160] = "";

	ASSERT_EQ(parse(text, "inet", 1, &rs, why, sizeof(why)), -1, "refused");
}
