// SPDX-License-Identifier: Apache-2.0
/* Which engine does the system's `iptables` command put its rules in? */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "system_iptables.h"

enum iptables_variant iptables_variant_of(const char *resolved_path)
{
	const char *base = strrchr(resolved_path, '/');

	base = base ? base + 1 : resolved_path;
	if (strstr(base, "nft"))
		return IPTABLES_NFT;
	if (strstr(base, "legacy"))
		return IPTABLES_LEGACY;
	return IPTABLES_UNKNOWN;
}

enum iptables_variant system_iptables_variant(void)
{
	const char *path = getenv("PATH");
	char dirs[4096], candidate[PATH_MAX], resolved[PATH_MAX];
	char *dir, *save = NULL;

	snprintf(dirs, sizeof(dirs), "%s:/usr/sbin:/sbin", path ? path : "");
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		snprintf(candidate, sizeof(candidate), "%s/iptables", dir);
		if (realpath(candidate, resolved))
			return iptables_variant_of(resolved);
	}
	return IPTABLES_UNKNOWN;
}

const char *describe_iptables_variant(enum iptables_variant variant)
{
	switch (variant) {
	case IPTABLES_NFT:
		return "System iptables is iptables-nft: its rules are in nf_tables and show as "
		       "nftables=[...] lines";
	case IPTABLES_LEGACY:
		return "System iptables is iptables-legacy: its rules show as iptables=[...] lines";
	default:
		return NULL;
	}
}
