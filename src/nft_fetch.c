// SPDX-License-Identifier: Apache-2.0
/* Reads an nftables table from nft's listings in the packet's network namespace. */
#include <string.h>
#include <stdlib.h>
#include "nft_fetch.h"
#include "xt_fetch.h"

int nft_fetch_table(int netns_fd, const char *family, __u64 table_handle, struct nft_ruleset *rs,
		    char *err, size_t err_len)
{
	char *with_argv[] = { "nft", "-a", "-s", "list", "ruleset", NULL };
	char *plain_argv[] = { "nft", "-s", "list", "ruleset", NULL };
	int ret = -1;

	memset(rs, 0, sizeof(*rs));
	/* A change between the two listings shows as a mismatch: one more try. */
	for (int attempt = 0; attempt < 2 && ret; attempt++) {
		char *with = run_in_netns(netns_fd, with_argv, err, err_len);
		char *plain = with ? run_in_netns(netns_fd, plain_argv, err, err_len) : NULL;

		if (with && plain)
			ret = nft_parse_ruleset(with, plain, family, table_handle, rs, err,
						err_len);
		free(with);
		free(plain);
		if (!with || !plain)
			break;
	}
	return ret;
}
