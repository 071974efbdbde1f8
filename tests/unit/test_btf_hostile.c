// SPDX-License-Identifier: Apache-2.0
/* Crafted and corrupt BTF (issue 9): each input that crashed or hung is a regression test. */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <linux/btf.h>
#include <bpf/btf.h>
#include "test.h"
#include "btf_probe.h"

/* Raw BTF written word by word: header, type section, string section. */
struct raw_btf {
	__u32 types[256];
	unsigned int nr_words;
	char strings[256];
	unsigned int str_len;
	unsigned int nr_types;
};

static void raw_init(struct raw_btf *r)
{
	memset(r, 0, sizeof(*r));
	r->str_len = 1; /* offset 0: the empty name */
}

static __u32 raw_string(struct raw_btf *r, const char *s)
{
	__u32 off = r->str_len;

	memcpy(r->strings + off, s, strlen(s) + 1);
	r->str_len += strlen(s) + 1;
	return off;
}

static void raw_word(struct raw_btf *r, __u32 word)
{
	r->types[r->nr_words++] = word;
}

/* Appends a type header; returns its id. Members, params follow with raw_word. */
static __u32 raw_type(struct raw_btf *r, __u32 name_off, int kind, int vlen, __u32 size_or_type)
{
	raw_word(r, name_off);
	raw_word(r, (__u32)kind << 24 | (__u32)vlen); /* info: kind, no kflag, vlen */
	raw_word(r, size_or_type);
	return ++r->nr_types;
}

static size_t raw_bytes(const struct raw_btf *r, unsigned char *out)
{
	struct btf_header h = {
		.magic = BTF_MAGIC,
		.version = BTF_VERSION,
		.hdr_len = sizeof(h),
		.type_off = 0,
		.type_len = r->nr_words * 4,
		.str_off = r->nr_words * 4,
		.str_len = r->str_len,
	};

	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), r->types, h.type_len);
	memcpy(out + sizeof(h) + h.type_len, r->strings, h.str_len);
	return sizeof(h) + h.type_len + h.str_len;
}

/* ipt_do_table(p0, p1, p2) with every parameter of type `param`. */
static void raw_function(struct raw_btf *r, __u32 param)
{
	__u32 proto = raw_type(r, 0, BTF_KIND_FUNC_PROTO, 3, 0);

	for (int i = 0; i < 3; i++) {
		raw_word(r, 0);
		raw_word(r, param);
	}
	raw_type(r, raw_string(r, "ipt_do_table"), BTF_KIND_FUNC, 0, proto);
}

/* FUNC ipt_do_table whose prototype (type 7) does not exist. */
static void func_to_missing_type(struct raw_btf *r)
{
	raw_init(r);
	raw_type(r, raw_string(r, "int"), BTF_KIND_INT, 0, 4);
	raw_word(r, 32);
	raw_type(r, raw_string(r, "ipt_do_table"), BTF_KIND_FUNC, 0, 7);
}

/* The parameters point to a struct whose name offset is past the string section. */
static void name_out_of_range(struct raw_btf *r)
{
	__u32 ptr;

	raw_init(r);
	ptr = raw_type(r, 0, BTF_KIND_PTR, 0, 2);
	raw_type(r, 9999, BTF_KIND_STRUCT, 0, 0);
	raw_function(r, ptr);
}

/* typedef A names B, B names A; the parameters are of type A. */
static void typedef_cycle(struct raw_btf *r)
{
	__u32 a;

	raw_init(r);
	a = raw_type(r, raw_string(r, "A"), BTF_KIND_TYPEDEF, 0, 2);
	raw_type(r, raw_string(r, "B"), BTF_KIND_TYPEDEF, 0, a);
	raw_function(r, a);
}

/* A pointer to a typedef cycle: the pointee walk must end too. */
static void pointer_to_typedef_cycle(struct raw_btf *r)
{
	__u32 a, ptr;

	raw_init(r);
	a = raw_type(r, raw_string(r, "A"), BTF_KIND_TYPEDEF, 0, 2);
	raw_type(r, raw_string(r, "B"), BTF_KIND_CONST, 0, a);
	ptr = raw_type(r, 0, BTF_KIND_PTR, 0, a);
	raw_function(r, ptr);
}

/* A member of a type that does not exist. */
static void member_of_missing_type(struct raw_btf *r)
{
	raw_init(r);
	raw_type(r, raw_string(r, "sk_buff"), BTF_KIND_STRUCT, 1, 8);
	raw_word(r, raw_string(r, "next"));
	raw_word(r, 42);
	raw_word(r, 0);
	raw_function(r, 1);
}

static const struct {
	const char *name;
	void (*build)(struct raw_btf *r);
	const char *why;
} hostile[] = {
	{ "FUNC to a missing type", func_to_missing_type, "type 2: refers to a type that" },
	{ "name offset out of range", name_out_of_range, "type 2: name offset outside" },
	{ "typedef cycle", typedef_cycle, "type 1: typedefs or modifiers that loop" },
	{ "pointer to typedef cycle", pointer_to_typedef_cycle, "that loop" },
	{ "member of a missing type", member_of_missing_type, "type 1: member with a bad" },
};

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Classification straight on the parsed BTF (no validation first) must not crash or hang. */
TEST(hostile_btf_classification)
{
	unsigned char bytes[2048];
	struct raw_btf r;

	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		enum prototype prototype;
		struct timespec start;
		struct btf *btf;
		size_t size;

		hostile[i].build(&r);
		size = raw_bytes(&r, bytes);
		btf = btf__new(bytes, size);
		if (!ASSERT_TRUE(btf != NULL, hostile[i].name))
			continue;
		clock_gettime(CLOCK_MONOTONIC, &start);
		ASSERT_EQ(btf_function_prototype(btf, "ipt_do_table", &prototype), -EINVAL,
			  hostile[i].name);
		ASSERT_EQ(prototype, PROTO_UNKNOWN, hostile[i].name);
		ASSERT_TRUE(seconds_since(&start) < 1.0, hostile[i].name);
		btf__free(btf);
	}
}

/* The same files given with --btf: one clear reason, -EBADMSG (exit 2), within a second. */
TEST(hostile_btf_file)
{
	unsigned char bytes[2048];
	struct raw_btf r;

	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		char path[] = "/tmp/skbtracer-btf-XXXXXX", err[256] = "";
		struct hook_function f = { .name = "ipt_do_table", .module = "no_such_module_x" };
		struct kernel_btf kb = { .path = path };
		struct timespec start;
		size_t size;
		int fd = mkstemp(path);

		if (!ASSERT_TRUE(fd >= 0, "mkstemp"))
			return;
		hostile[i].build(&r);
		size = raw_bytes(&r, bytes);
		ASSERT_EQ(write(fd, bytes, size), (long long)size, "write");
		close(fd);
		clock_gettime(CLOCK_MONOTONIC, &start);
		ASSERT_EQ(probe_hook_function(&kb, &f, err, sizeof(err)), -EBADMSG,
			  hostile[i].name);
		ASSERT_CONTAINS(err, "malformed BTF in '/tmp/skbtracer-btf-", hostile[i].name);
		ASSERT_CONTAINS(err, hostile[i].why, hostile[i].name);
		ASSERT_TRUE(!strchr(err, '\n'), "one line");
		ASSERT_TRUE(seconds_since(&start) < 1.0, hostile[i].name);
		kernel_btf_release(&kb);
		unlink(path);
	}
}

TEST(btf_file_not_btf)
{
	char path[] = "/tmp/skbtracer-btf-XXXXXX", err[256] = "";
	struct hook_function f = { .name = "ipt_do_table", .module = "no_such_module_x" };
	struct kernel_btf kb = { .path = path };
	int fd = mkstemp(path);

	if (!ASSERT_TRUE(fd >= 0, "mkstemp"))
		return;
	ASSERT_EQ(write(fd, "hello\n", 6), 6, "write");
	close(fd);
	ASSERT_EQ(probe_hook_function(&kb, &f, err, sizeof(err)), -EBADMSG, "text file");
	ASSERT_CONTAINS(err, "cannot read BTF from", "message");
	unlink(path);

	kb.path = "/";
	ASSERT_EQ(probe_hook_function(&kb, &f, err, sizeof(err)), -EBADMSG, "a directory");
	ASSERT_CONTAINS(err, "cannot read BTF from '/'", "message");
}

/* A well-formed file of the same shape still classifies (the checks reject only bad input). */
TEST(crafted_btf_valid)
{
	unsigned char bytes[2048];
	enum prototype prototype;
	struct raw_btf r;
	struct btf *btf;
	char err[128] = "";
	__u32 ptr;

	raw_init(&r);
	ptr = raw_type(&r, 0, BTF_KIND_PTR, 0, 2);
	raw_type(&r, raw_string(&r, "sk_buff"), BTF_KIND_STRUCT, 0, 0);
	raw_function(&r, ptr);
	btf = btf__new(bytes, raw_bytes(&r, bytes));
	if (!ASSERT_TRUE(btf != NULL, "parsed"))
		return;
	ASSERT_EQ(btf_validate(btf, err, sizeof(err)), 0, err);
	ASSERT_EQ(btf_function_prototype(btf, "ipt_do_table", &prototype), 0, "classified");
	ASSERT_EQ(prototype, PROTO_SKB_STATE_TABLE, "(skb, state, table)");
	btf__free(btf);
}

/* Found by fuzz_btf: a header length of 27 puts every type at an odd address. */
TEST(hostile_btf_misaligned_types)
{
	unsigned char bytes[2048], shifted[2048] = {};
	struct btf_header h;
	enum prototype prototype;
	struct raw_btf r;
	struct btf *btf;
	char err[128] = "";
	size_t size;
	__u32 ptr;

	raw_init(&r);
	ptr = raw_type(&r, 0, BTF_KIND_PTR, 0, 2);
	raw_type(&r, raw_string(&r, "sk_buff"), BTF_KIND_STRUCT, 0, 0);
	raw_function(&r, ptr);
	size = raw_bytes(&r, bytes);
	memcpy(&h, bytes, sizeof(h));
	h.hdr_len += 3;
	memcpy(shifted, &h, sizeof(h));
	memcpy(shifted + h.hdr_len, bytes + sizeof(h), size - sizeof(h));
	btf = btf__new(shifted, size + 3);
	if (!btf)
		return; /* a libbpf that refuses it is as good */
	ASSERT_EQ(btf_validate(btf, err, sizeof(err)), -EBADMSG, "refused");
	ASSERT_STREQ(err, "type section not aligned to 4 bytes", "message");
	ASSERT_EQ(btf_function_prototype(btf, "ipt_do_table", &prototype), -EINVAL, "no guess");
	btf__free(btf);
}

/* The path is echoed with its control characters escaped: the error stays one safe line. */
TEST(btf_file_name_escaped)
{
	const char *path = "/tmp/skbtracer-btf-\n\x1b[31m";
	struct hook_function f = { .name = "ipt_do_table", .module = "no_such_module_x" };
	struct kernel_btf kb = { .path = path };
	char err[256] = "";
	FILE *file = fopen(path, "w");

	if (!ASSERT_TRUE(file != NULL, "create"))
		return;
	fputs("not BTF\n", file);
	fclose(file);
	ASSERT_EQ(probe_hook_function(&kb, &f, err, sizeof(err)), -EBADMSG, "text file");
	ASSERT_CONTAINS(err, "cannot read BTF from '/tmp/skbtracer-btf-\\n\\x1b[31m'", "escaped");
	unlink(path);
}
