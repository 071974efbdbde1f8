/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the nft listing parser's unit tests and fuzz target. */
#ifndef NFT_PLAIN_LISTING_H
#define NFT_PLAIN_LISTING_H

#include <stdlib.h>
#include <string.h>

/* `nft -a` text without the " # handle N" that ends a line: what plain `nft list` prints. */
static inline char *nft_plain_listing(const char *with)
{
	char *out = malloc(strlen(with) + 1), *o = out;

	while (*with) {
		size_t len = strcspn(with, "\n");
		const char *mark = NULL;

		for (const char *m = with; (m = strstr(m, " # handle ")) && m < with + len; m++)
			mark = m;
		if (mark && strspn(mark + 10, "0123456789") == (size_t)(with + len - mark - 10))
			len = mark - with;
		memcpy(o, with, len);
		o += len;
		with += len;
		with += strcspn(with, "\n");
		if (*with)
			*o++ = *with++;
	}
	*o = '\0';
	return out;
}

#endif
