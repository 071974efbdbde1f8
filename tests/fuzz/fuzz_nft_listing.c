// SPDX-License-Identifier: Apache-2.0
/*
 * libFuzzer target for the nftables listing parser. Input: one byte picking the family, one
 * the table handle, then `nft -a` text; the plain listing is that text without the
 * " # handle N" line ends, or, after a NUL byte, given as is (listings that disagree).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "nft_ruleset.h"
#include "../unit/nft_plain_listing.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *families[] = { "ip", "ip6", "inet", "arp", "bridge", "netdev" };
	struct nft_ruleset rs;
	char why[160], *text, *plain;
	size_t text_len;

	if (size < 2)
		return 0;
	text = malloc(size - 1);
	memcpy(text, data + 2, size - 2);
	text[size - 2] = '\0';
	text_len = strlen(text);
	plain = text_len + 1 < size - 1 ? strdup(text + text_len + 1) : nft_plain_listing(text);
	if (!nft_parse_ruleset(text, plain, families[data[0] % 6], data[1], &rs, why,
			       sizeof(why))) {
		for (int i = 0; i < rs.nr_rules; i++) {
			if (rs.rules[i].chain < 0 || rs.rules[i].chain >= rs.nr_chains ||
			    nft_find_rule(&rs, rs.rules[i].handle) != &rs.rules[i])
				abort();
		}
		nft_ruleset_free(&rs);
	}
	free(plain);
	free(text);
	return 0;
}
