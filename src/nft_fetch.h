/* SPDX-License-Identifier: Apache-2.0 */
#ifndef NFT_FETCH_H
#define NFT_FETCH_H

#include "nft_ruleset.h"

/*
 * Lists the ruleset twice in that namespace (no name ever reaches nft's command line) and
 * picks the table as nft_parse_ruleset() does.
 */
int nft_fetch_table(int netns_fd, const char *family, __u64 table_handle, struct nft_ruleset *rs,
		    char *err, size_t err_len);

#endif
