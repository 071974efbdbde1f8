// SPDX-License-Identifier: Apache-2.0
/* Reads an nftables table's rules, with their handles, from `nft -a list table`. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nft_ruleset.h"
#include "xt_fetch.h"

/* The N of a trailing "# handle N", or 0. */
static __u64 trailing_handle(const char *line, size_t *text_len)
{
	const char *mark = strstr(line, "# handle ");
	__u64 handle = 0;

	if (!mark)
		return 0;
	sscanf(mark, "# handle %llu", (unsigned long long *)&handle);
	while (mark > line && mark[-1] == ' ')
		mark--;
	*text_len = mark - line;
	return handle;
}

static bool add_chain(struct nft_ruleset *rs, const char *line, __u64 handle)
{
	struct nft_chain_text *chains = realloc(rs->chains, (rs->nr_chains + 1) * sizeof(*chains));
	char name[256] = "";

	if (!chains)
		return false;
	rs->chains = chains;
	sscanf(line, "chain %255s", name);
	memset(&chains[rs->nr_chains], 0, sizeof(*chains));
	chains[rs->nr_chains].handle = handle;
	snprintf(chains[rs->nr_chains].name, sizeof(chains->name), "%s", name);
	rs->nr_chains++;
	return true;
}

static bool add_rule(struct nft_ruleset *rs, const char *line, size_t len, __u64 handle)
{
	struct nft_rule_text *rules = realloc(rs->rules, (rs->nr_rules + 1) * sizeof(*rules));

	if (!rules)
		return false;
	rs->rules = rules;
	rules[rs->nr_rules] =
		(struct nft_rule_text){ handle, rs->nr_chains - 1, strndup(line, len) };
	return rules[rs->nr_rules++].text != NULL;
}

int nft_parse_table(const char *text, struct nft_ruleset *rs)
{
	char line[4096];

	memset(rs, 0, sizeof(*rs));
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n"), text_len = 0;
		const char *s;
		__u64 handle;

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		p += len;
		p += *p == '\n';
		for (s = line; *s == ' ' || *s == '\t'; s++)
			;
		handle = trailing_handle(s, &text_len);
		if (!strncmp(s, "table ", 6)) {
			rs->table_handle = handle;
		} else if (!strncmp(s, "chain ", 6)) {
			if (!add_chain(rs, s, handle))
				return -1;
		} else if (rs->nr_chains && handle) {
			if (!add_rule(rs, s, text_len, handle))
				return -1;
		} else if (rs->nr_chains && strstr(s, "policy ") && strstr(s, "hook ")) {
			sscanf(strstr(s, "policy "), "policy %15[a-z]",
			       rs->chains[rs->nr_chains - 1].policy);
		}
	}
	return 0;
}

void nft_ruleset_free(struct nft_ruleset *rs)
{
	for (int i = 0; i < rs->nr_rules; i++)
		free(rs->rules[i].text);
	free(rs->rules);
	free(rs->chains);
	memset(rs, 0, sizeof(*rs));
}

const struct nft_rule_text *nft_find_rule(const struct nft_ruleset *rs, __u64 handle)
{
	for (int i = 0; i < rs->nr_rules; i++) {
		if (rs->rules[i].handle == handle)
			return &rs->rules[i];
	}
	return NULL;
}

const struct nft_chain_text *nft_find_chain(const struct nft_ruleset *rs, __u64 handle)
{
	for (int i = 0; i < rs->nr_chains; i++) {
		if (rs->chains[i].handle == handle)
			return &rs->chains[i];
	}
	return NULL;
}

const struct nft_chain_text *nft_find_chain_named(const struct nft_ruleset *rs, const char *name)
{
	for (int i = 0; i < rs->nr_chains; i++) {
		if (!strcmp(rs->chains[i].name, name))
			return &rs->chains[i];
	}
	return NULL;
}

int nft_fetch_table(int netns_fd, const char *family, const char *table, struct nft_ruleset *rs,
		    char *err, size_t err_len)
{
	char *argv[] = { "nft", "-a", "-s", "list", "table", (char *)family, (char *)table, NULL };
	char *text = run_in_netns(netns_fd, argv);
	int ret;

	memset(rs, 0, sizeof(*rs));
	if (!text) {
		snprintf(err, err_len, "`nft -a -s list table %s %s` failed", family, table);
		return -1;
	}
	ret = nft_parse_table(text, rs);
	free(text);
	return ret;
}
