// SPDX-License-Identifier: Apache-2.0
/* Prototype detection on BTF compiled from tiny C files (tests/unit/fixtures). */
#include <errno.h>
#include <bpf/btf.h>
#include "test.h"
#include "btf_probe.h"

static struct btf *load_fixture(const char *name)
{
	char path[256];
	struct btf *btf;

	snprintf(path, sizeof(path), "%s/fixture-%s.o", fixture_dir, name);
	btf = btf__parse(path, NULL);
	ASSERT_TRUE(btf != NULL, path);
	return btf;
}

static void expect_prototype(const char *fixture, const char *function, int expected_ret,
			     enum prototype expected)
{
	struct btf *btf = load_fixture(fixture);
	enum prototype prototype;

	if (!btf)
		return;
	ASSERT_EQ(btf_function_prototype(btf, function, &prototype), expected_ret, function);
	ASSERT_EQ(prototype, expected, function);
	btf__free(btf);
}

TEST(prototype_since_5_16)
{
	expect_prototype("proto_priv_skb_state", "ipt_do_table", 0, PROTO_PRIV_SKB_STATE);
	expect_prototype("proto_priv_skb_state", "ip6t_do_table", 0, PROTO_PRIV_SKB_STATE);
}

TEST(prototype_before_5_16)
{
	expect_prototype("proto_skb_state_table", "ipt_do_table", 0, PROTO_SKB_STATE_TABLE);
	expect_prototype("proto_skb_state_table", "ip6t_do_table", 0, PROTO_SKB_STATE_TABLE);
}

TEST(prototype_nft_and_old_ebtables)
{
	expect_prototype("proto_nft", "nft_do_chain", 0, PROTO_PKTINFO_PRIV);
	expect_prototype("proto_nft", "ebt_do_table", 0, PROTO_SKB_STATE_TABLE);
}

TEST(prototype_absent_or_unknown)
{
	expect_prototype("proto_priv_skb_state", "arpt_do_table", -ENOENT, PROTO_UNKNOWN);
	expect_prototype("proto_unknown", "ipt_do_table", -EINVAL, PROTO_UNKNOWN);
	expect_prototype("proto_unknown", "ip6t_do_table", -EINVAL, PROTO_UNKNOWN);
}

TEST(probe_with_btf_file)
{
	char path[256], err[256] = "";
	struct hook_function f = { .name = "ipt_do_table", .module = "ip_tables" };

	struct kernel_btf kb = { .path = path };

	snprintf(path, sizeof(path), "%s/fixture-proto_skb_state_table.o", fixture_dir);
	ASSERT_EQ(probe_hook_function(&kb, &f, err, sizeof(err)), 0, err);
	ASSERT_TRUE(f.found, "found in the given BTF");
	ASSERT_TRUE(!f.in_module, "not in a module");
	ASSERT_EQ(f.prototype, PROTO_SKB_STATE_TABLE, "old prototype");

	f = (struct hook_function){ .name = "ipt_do_table", .module = "no_such_module_x" };
	kernel_btf_release(&kb);
	snprintf(path, sizeof(path), "%s/fixture-proto_unknown.o", fixture_dir);
	ASSERT_EQ(probe_hook_function(&kb, &f, err, sizeof(err)), -EINVAL, "unknown prototype");
	ASSERT_CONTAINS(err, "prototype this tool does not know", "message");

	f = (struct hook_function){ .name = "nonexistent_fn", .module = "no_such_module_x" };
	kernel_btf_release(&kb);
	snprintf(path, sizeof(path), "%s/fixture-proto_priv_skb_state.o", fixture_dir);
	ASSERT_EQ(probe_hook_function(&kb, &f, err, sizeof(err)), 0, "absent is not an error");
	ASSERT_TRUE(!f.found, "absent");
	ASSERT_STREQ(f.why_missing, "not in the BTF given with --btf", "reason");

	f = (struct hook_function){ .name = "ipt_do_table", .module = "ip_tables" };
	kernel_btf_release(&kb);
	kb.path = "/dev/null";
	ASSERT_EQ(probe_hook_function(&kb, &f, err, sizeof(err)), -EBADMSG, "bad file");
	ASSERT_CONTAINS(err, "cannot read BTF from '/dev/null'", "message");
}
