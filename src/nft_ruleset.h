/* SPDX-License-Identifier: Apache-2.0 */
#ifndef NFT_RULESET_H
#define NFT_RULESET_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/* One nftables table as `nft -a list table` prints it: chains and rules by handle. */
struct nft_rule_text {
	__u64 handle;
	int chain;  /* index into chains */
	char *text; /* "ip saddr 10.0.0.1 drop" */
};

struct nft_chain_text {
	__u64 handle;
	char name[256];
	char policy[16]; /* "accept", "drop" for base chains */
};

struct nft_ruleset {
	__u64 table_handle;
	struct nft_chain_text *chains;
	int nr_chains;
	struct nft_rule_text *rules;
	int nr_rules;
};

int nft_parse_table(const char *text, struct nft_ruleset *rs);
void nft_ruleset_free(struct nft_ruleset *rs);
const struct nft_rule_text *nft_find_rule(const struct nft_ruleset *rs, __u64 handle);
const struct nft_chain_text *nft_find_chain(const struct nft_ruleset *rs, __u64 handle);
const struct nft_chain_text *nft_find_chain_named(const struct nft_ruleset *rs, const char *name);
/* `nft -a -s list table FAMILY NAME` (stateless: no counter values) in that namespace. */
int nft_fetch_table(int netns_fd, const char *family, const char *table, struct nft_ruleset *rs,
		    char *err, size_t err_len);

#endif
