// SPDX-License-Identifier: Apache-2.0
#include "test.h"
#include "system_iptables.h"

TEST(iptables_variant_from_path)
{
	ASSERT_EQ(iptables_variant_of("/usr/sbin/xtables-nft-multi"), IPTABLES_NFT, "nft multi");
	ASSERT_EQ(iptables_variant_of("/usr/sbin/iptables-nft"), IPTABLES_NFT, "iptables-nft");
	ASSERT_EQ(iptables_variant_of("/usr/sbin/xtables-legacy-multi"), IPTABLES_LEGACY, "legacy");
	ASSERT_EQ(iptables_variant_of("/sbin/iptables-legacy"), IPTABLES_LEGACY, "iptables-legacy");
	ASSERT_EQ(iptables_variant_of("/usr/sbin/iptables"), IPTABLES_UNKNOWN, "plain binary");
	ASSERT_EQ(iptables_variant_of("/opt/nft-tools/iptables"), IPTABLES_UNKNOWN, "dir name");
	ASSERT_TRUE(describe_iptables_variant(IPTABLES_UNKNOWN) == NULL, "nothing to say");
	ASSERT_CONTAINS(describe_iptables_variant(IPTABLES_NFT), "nftables=[", "nft hint");
	ASSERT_CONTAINS(describe_iptables_variant(IPTABLES_LEGACY), "iptables=[", "legacy hint");
}
