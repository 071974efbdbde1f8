/* SPDX-License-Identifier: Apache-2.0 */
#ifndef NFT_RULESET_H
#define NFT_RULESET_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* One nftables table as `nft -a list ruleset` prints it: chains and rules by handle. */
struct nft_rule_text {
	__u64 handle;
	int chain;  /* index into chains */
	char *text; /* "ip saddr 10.0.0.1 drop" */
};

struct nft_chain_text {
	__u64 handle;
	char *name;
};

struct nft_ruleset {
	__u64 table_handle;
	struct nft_chain_text *chains;
	int nr_chains;
	struct nft_rule_text *rules;
	int nr_rules;
};

/*
 * Picks the table with this family ("inet") and handle out of two listings of the same ruleset,
 * `nft -a -s list ruleset` (with_handles) and `nft -s list ruleset` (plain): a "# handle N" is
 * the tool's only where the plain listing ends the line, so names and comments holding one
 * cannot pass for it. A table whose names or strings make its text ambiguous is refused:
 * -1 with the reason in why, never a guess.
 */
int nft_parse_ruleset(const char *with_handles, const char *plain, const char *family,
		      __u64 table_handle, struct nft_ruleset *rs, char *why, size_t why_len);
void nft_ruleset_free(struct nft_ruleset *rs);
const struct nft_rule_text *nft_find_rule(const struct nft_ruleset *rs, __u64 handle);
const struct nft_chain_text *nft_find_chain(const struct nft_ruleset *rs, __u64 handle);
#endif
