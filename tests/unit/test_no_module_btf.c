// SPDX-License-Identifier: Apache-2.0
/* Kernels whose modules have no BTF (before 5.11): prototype by release, presence by kallsyms. */
#include <stdlib.h>
#include <unistd.h>
#include "test.h"
#include "btf_probe.h"

TEST(xt_prototype_by_release_versions)
{
	ASSERT_EQ(xt_prototype_by_release("5.10.0-46-cloud-amd64"), PROTO_SKB_STATE_TABLE, "5.10");
	ASSERT_EQ(xt_prototype_by_release("4.18.0-553.el8_10.x86_64"), PROTO_SKB_STATE_TABLE,
		  "RHEL 8");
	ASSERT_EQ(xt_prototype_by_release("5.15.0-91-generic"), PROTO_SKB_STATE_TABLE, "5.15");
	ASSERT_EQ(xt_prototype_by_release("5.16"), PROTO_PRIV_SKB_STATE, "5.16");
	ASSERT_EQ(xt_prototype_by_release("6.1.0-57-cloud-amd64"), PROTO_PRIV_SKB_STATE, "6.1");
	ASSERT_EQ(xt_prototype_by_release("10.0.0"), PROTO_PRIV_SKB_STATE, "10.0");
}

TEST(xt_prototype_by_release_unparsable)
{
	ASSERT_EQ(xt_prototype_by_release(""), PROTO_UNKNOWN, "empty");
	ASSERT_EQ(xt_prototype_by_release("5"), PROTO_UNKNOWN, "no minor");
	ASSERT_EQ(xt_prototype_by_release("5-10"), PROTO_UNKNOWN, "no dot");
	ASSERT_EQ(xt_prototype_by_release("v5.10"), PROTO_UNKNOWN, "prefix");
	ASSERT_EQ(xt_prototype_by_release("5.x"), PROTO_UNKNOWN, "no minor number");
}

/* A kallsyms-format file in /tmp; the caller unlinks it. */
static void write_kallsyms(char *path)
{
	static const char text[] = "ffffffffc0358000 t ipt_do_table\t[ip_tables]\n"
				   "ffffffffc0359000 T xt_replace_table\t[x_tables]\n"
				   "ffffffffc0360000 t nft_do_chain\t[nf_tables]\n"
				   "ffffffffc0361000 d arpt_do_table\t[arp_tables]\n";
	int fd = mkstemp(path);

	ASSERT_TRUE(fd >= 0 && write(fd, text, sizeof(text) - 1) == sizeof(text) - 1, path);
	close(fd);
}

TEST(probe_without_btf_xt_assumes_and_says_why)
{
	char path[] = "/tmp/kallsyms-XXXXXX";
	struct hook_function f = { .name = "ipt_do_table", .module = "ip_tables" };

	write_kallsyms(path);
	probe_without_btf(&f, path, "5.10.0-46-cloud-amd64");
	ASSERT_TRUE(f.found && f.no_btf, "found, kprobes only");
	ASSERT_EQ(f.prototype, PROTO_SKB_STATE_TABLE, "prototype");
	ASSERT_STREQ(f.assumption,
		     "ipt_do_table: module ip_tables has no BTF; assumed prototype (skb, state, "
		     "table) because kernel release 5.10.0-46-cloud-amd64 is before 5.16",
		     "assumption");

	f = (struct hook_function){ .name = "ipt_do_table", .module = "ip_tables" };
	probe_without_btf(&f, path, "garbage");
	ASSERT_TRUE(!f.found, "unparsable release: not found");
	ASSERT_CONTAINS(f.why_missing, "kernel release 'garbage' does not tell", "why");
	unlink(path);
}

TEST(probe_without_btf_module_types_needed)
{
	char path[] = "/tmp/kallsyms-XXXXXX";
	struct hook_function f = { .name = "nft_do_chain", .module = "nf_tables" };

	write_kallsyms(path);
	probe_without_btf(&f, path, "5.10.0");
	ASSERT_TRUE(!f.found, "nft_do_chain needs its module's types");
	ASSERT_CONTAINS(f.why_missing, "module nf_tables has no BTF on this kernel", "why");

	f = (struct hook_function){ .name = "xt_replace_table", .module = "x_tables" };
	probe_without_btf(&f, path, "5.10.0");
	ASSERT_TRUE(f.found && f.no_btf && !f.assumption[0], "any prototype will do");

	f = (struct hook_function){ .name = "arpt_do_table", .module = "arp_tables" };
	probe_without_btf(&f, path, "5.10.0");
	ASSERT_TRUE(!f.found, "a data symbol is not a function");
	ASSERT_CONTAINS(f.why_missing, "neither in the kernel's BTF nor in", "why");
	unlink(path);
}
