// SPDX-License-Identifier: Apache-2.0
/* Kernels whose modules have no BTF (before 5.11): prototype by release, presence by kallsyms. */
#include <stdlib.h>
#include <unistd.h>
#include <bpf/btf.h>
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
				   "ffffffffc0359800 T xt_unregister_table\t[x_tables]\n"
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
	ASSERT_CONTAINS(f.why_missing,
			"module nf_tables has no BTF here (module BTF came in Linux 5.11)", "why");

	f = (struct hook_function){ .name = "xt_replace_table", .module = "x_tables" };
	probe_without_btf(&f, path, "5.10.0");
	ASSERT_TRUE(f.found && f.no_btf && !f.assumption[0], "any prototype will do");

	f = (struct hook_function){ .name = "xt_unregister_table", .module = "x_tables" };
	probe_without_btf(&f, path, "5.10.0");
	ASSERT_TRUE(f.found && f.no_btf && !f.assumption[0], "its one pointer argument, no types");

	f = (struct hook_function){ .name = "arpt_do_table", .module = "arp_tables" };
	probe_without_btf(&f, path, "5.10.0");
	ASSERT_TRUE(!f.found, "a data symbol is not a function");
	ASSERT_CONTAINS(f.why_missing, "neither in the kernel's BTF nor in", "why");
	unlink(path);
}

/* The names as a NULL-terminated list for kallsyms_has_any. */
#define NAMES(...) ((const char *const[]){ __VA_ARGS__, NULL })

TEST(kallsyms_has_any_functions_only)
{
	char path[] = "/tmp/kallsyms-XXXXXX";

	write_kallsyms(path);
	ASSERT_TRUE(kallsyms_has_any(path, NAMES("xt_replace_table")), "T: a function");
	ASSERT_TRUE(kallsyms_has_any(path, NAMES("nft_do_chain")), "t: a function");
	ASSERT_TRUE(!kallsyms_has_any(path, NAMES("arpt_do_table")), "d: data");
	ASSERT_TRUE(!kallsyms_has_any(path, NAMES("xt_replace")), "a prefix of a name");
	ASSERT_TRUE(!kallsyms_has_any(path, NAMES("rethook_find_ret_addr")), "absent");
	ASSERT_TRUE(kallsyms_has_any(path, NAMES("rethook_find_ret_addr", "nft_do_chain")),
		    "the second of two");
	ASSERT_TRUE(!kallsyms_has_any(path, NAMES("rethook_find_ret_addr", "arpt_do_table")),
		    "neither of two");
	unlink(path);
	ASSERT_TRUE(!kallsyms_has_any(path, NAMES("xt_replace_table")), "no file");
}

/* Writes btf's raw data (for split BTF: only its own types) to dir/name. */
static void write_btf(const char *dir, const char *name, const struct btf *btf)
{
	char path[256];
	__u32 size;
	const void *data = btf__raw_data(btf, &size);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ASSERT_TRUE(f && data && fwrite(data, 1, size, f) == size, path);
	if (f)
		fclose(f);
}

TEST(btf_merge_dir_vmlinux_and_modules)
{
	char dir[] = "/tmp/btfdir-XXXXXX", err[256] = "";
	struct btf *base = btf__new_empty(), *a, *b, *merged;
	const struct btf_type *t;
	int u32, skb, id, ptr_skb, self, ptr_u32;

	ASSERT_TRUE(mkdtemp(dir) != NULL, "mkdtemp");
	/* vmlinux: u32, struct sk_buff { u32 len; } */
	u32 = btf__add_int(base, "u32", 4, 0);
	skb = btf__add_struct(base, "sk_buff", 4);
	btf__add_field(base, "len", u32, 0, 0);
	/* two modules on it: pointers to a base type and (a) to their own struct */
	a = btf__new_empty_split(base);
	ptr_skb = btf__add_ptr(a, skb);
	self = btf__add_ptr(a, btf__type_cnt(a) + 1); /* the struct added next */
	id = btf__add_struct(a, "nft_pktinfo", 16);
	btf__add_field(a, "skb", ptr_skb, 0, 0);
	btf__add_field(a, "self", self, 64, 0);
	ASSERT_EQ(btf__type_by_id(a, self)->type, id, "fixture: self points at the struct");
	b = btf__new_empty_split(base);
	ptr_u32 = btf__add_ptr(b, u32);
	btf__add_struct(b, "ipt_entry_x", 8);
	btf__add_field(b, "counters", ptr_u32, 0, 0);
	write_btf(dir, "vmlinux", base);
	write_btf(dir, "nf_tables", a);
	write_btf(dir, "ip_tables", b);

	merged = btf_merge_dir(dir, err, sizeof(err));
	if (ASSERT_TRUE(merged != NULL, err)) {
		id = btf__find_by_name_kind(merged, "nft_pktinfo", BTF_KIND_STRUCT);
		ASSERT_TRUE(id > 0, "nft_pktinfo merged");
		t = btf__type_by_id(merged, id);
		/* skb -> PTR -> struct sk_buff (a base type), self -> PTR -> nft_pktinfo itself */
		t = btf__type_by_id(merged, btf__type_by_id(merged, btf_members(t)[0].type)->type);
		ASSERT_STREQ(btf__name_by_offset(merged, t->name_off), "sk_buff", "base reference");
		t = btf__type_by_id(merged, id);
		ASSERT_EQ(btf__type_by_id(merged, btf_members(t)[1].type)->type, id,
			  "own reference");
		id = btf__find_by_name_kind(merged, "ipt_entry_x", BTF_KIND_STRUCT);
		ASSERT_TRUE(id > 0, "the second module merged");
		t = btf__type_by_id(
			merged,
			btf__type_by_id(merged, btf_members(btf__type_by_id(merged, id))[0].type)
				->type);
		ASSERT_STREQ(btf__name_by_offset(merged, t->name_off), "u32",
			     "second module's reference");
	}
	btf__free(merged);
	btf__free(a);
	btf__free(b);
	btf__free(base);
	ASSERT_TRUE(btf_merge_dir("/nonexistent-dir", err, sizeof(err)) == NULL, "missing dir");
	ASSERT_CONTAINS(err,
			"'/nonexistent-dir/vmlinux' in the --btf directory is not a regular file",
			"error");
	for (const char *const *n =
		     (const char *const[]){ "vmlinux", "nf_tables", "ip_tables", NULL };
	     *n; n++) {
		char path[300];

		snprintf(path, sizeof(path), "%s/%s", dir, *n);
		unlink(path);
	}
	rmdir(dir);
}

TEST(kallsyms_missing_data_symbols)
{
	char path[] = "/tmp/kallsyms-XXXXXX";
	static const char *const present[] = { "arpt_do_table", "xt_replace_table", NULL };
	static const char *const absent[] = { "ipt_do_table", "nr_cpu_ids", NULL };

	write_kallsyms(path);
	ASSERT_TRUE(kallsyms_missing(path, present) == NULL, "data and text symbols count");
	ASSERT_STREQ(kallsyms_missing(path, absent), "nr_cpu_ids", "the first missing one");
	unlink(path);
}
