// SPDX-License-Identifier: Apache-2.0
/* Decoding of x_tables blobs built here entry by entry, as the kernel lays them out. */
#include <stdlib.h>
#include <linux/netfilter.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include "test.h"
#include "xt_blob.h"
#include "xt_fetch.h"

#define NF_DROP_V (-0 - 1)
#define NF_ACCEPT_V (-1 - 1)

struct blob_builder {
	unsigned char buf[8192];
	size_t size;
};

/* Appends an ipt_entry whose target is named `target` with `data` (verdict or chain name). */
static unsigned int add_entry(struct blob_builder *b, const char *target, const void *data,
			      size_t data_len, bool is_goto)
{
	struct ipt_entry *e = (void *)(b->buf + b->size);
	struct xt_entry_target *t;
	size_t target_size = XT_ALIGN(sizeof(*t) + data_len);
	unsigned int offset = b->size;

	memset(e, 0, sizeof(*e) + target_size);
	e->target_offset = sizeof(*e);
	e->next_offset = sizeof(*e) + target_size;
	if (is_goto)
		e->ip.flags |= IPT_F_GOTO;
	t = (void *)e->elems;
	t->u.user.target_size = target_size;
	snprintf(t->u.user.name, sizeof(t->u.user.name), "%s", target);
	memcpy(t->data, data, data_len);
	b->size += e->next_offset;
	return offset;
}

static unsigned int add_standard(struct blob_builder *b, int verdict)
{
	return add_entry(b, "", &verdict, sizeof(verdict), false);
}

static unsigned int add_error(struct blob_builder *b, const char *name)
{
	char data[XT_FUNCTION_MAXNAMELEN] = {};

	snprintf(data, sizeof(data), "%s", name);
	return add_entry(b, "ERROR", data, sizeof(data), false);
}

/* The offset the next add_* will use (for jumps to entries not written yet). */
static unsigned int entry_size(int kind)
{
	(void)kind;
	return sizeof(struct ipt_entry) + XT_ALIGN(sizeof(struct xt_entry_target) + sizeof(int));
}

/*
 * filter table, INPUT:  1 -p tcp ACCEPT (standard)   2 LOG   3 -j MYCHAIN   4 -g OTHER
 *                       policy DROP
 *         FORWARD: policy ACCEPT;  OUTPUT: policy ACCEPT
 *         MYCHAIN: 1 ACCEPT   2 RETURN   (implicit RETURN)
 *         OTHER:   1 REJECT (implicit RETURN)
 */
struct sample {
	struct blob_builder b;
	struct xt_blob blob;
	struct xt_table_model model;
	unsigned int input[5], input_policy, forward_policy, output_policy;
	unsigned int my_head, my[2], my_return, other_head, other[1], other_return;
};

static void build_sample(struct sample *s)
{
	unsigned int std = entry_size(0), log,
		     err = sizeof(struct ipt_entry) +
			   XT_ALIGN(sizeof(struct xt_entry_target) + XT_FUNCTION_MAXNAMELEN);
	char nothing[8] = {};
	char err_text[XT_FUNCTION_MAXNAMELEN];

	(void)err_text;
	memset(s, 0, sizeof(*s));
	log = sizeof(struct ipt_entry) + XT_ALIGN(sizeof(struct xt_entry_target) + sizeof(nothing));
	/* offsets are known ahead: INPUT 4 rules + policy, FORWARD, OUTPUT, MYCHAIN, OTHER */
	unsigned int my_head = 3 * std + log + std + std + std;
	unsigned int my_first = my_head + err;
	unsigned int other_head = my_first + 3 * std;

	s->input[0] = add_standard(&s->b, NF_ACCEPT_V);
	s->input[1] = add_entry(&s->b, "LOG", nothing, sizeof(nothing), false);
	s->input[2] = add_standard(&s->b, my_first);
	s->input[3] = add_entry(&s->b, "", &(int){ (int)(other_head + err) }, sizeof(int), true);
	s->input_policy = add_standard(&s->b, NF_DROP_V);
	s->forward_policy = add_standard(&s->b, NF_ACCEPT_V);
	s->output_policy = add_standard(&s->b, NF_ACCEPT_V);
	s->my_head = add_error(&s->b, "MYCHAIN");
	s->my[0] = add_standard(&s->b, NF_ACCEPT_V);
	s->my[1] = add_standard(&s->b, XT_RETURN);
	s->my_return = add_standard(&s->b, XT_RETURN);
	s->other_head = add_error(&s->b, "OTHER");
	s->other[0] = add_entry(&s->b, "REJECT", nothing, sizeof(nothing), false);
	s->other_return = add_standard(&s->b, XT_RETURN);
	add_error(&s->b, "ERROR");
	ASSERT_EQ(s->my_head, my_head, "builder offsets");
	ASSERT_EQ(s->other_head, other_head, "builder offsets");

	s->blob = (struct xt_blob){
		.family = XT_IPV4,
		.valid_hooks = 1 << 1 | 1 << 2 | 1 << 3,
		.nr_hooks = 5,
		.hook_entry = { 0, s->input[0], s->forward_policy, s->output_policy, 0 },
		.underflow = { 0, s->input_policy, s->forward_policy, s->output_policy, 0 },
		.entries = s->b.buf,
		.size = s->b.size,
	};
}

TEST(xt_decode_chains_and_numbers)
{
	struct sample *s = calloc(1, sizeof(*s));
	char err[128] = "", where[64];

	build_sample(s);
	if (!ASSERT_EQ(xt_decode(&s->blob, &s->model, err, sizeof(err)), 0, err))
		goto out;
	ASSERT_EQ(s->model.nr_entries, 15, "entries");
	ASSERT_EQ(s->model.nr_chains, 5, "chains");
	ASSERT_STREQ(s->model.chains[0].name, "INPUT", "chain 0");
	ASSERT_STREQ(s->model.chains[1].name, "FORWARD", "chain 1");
	ASSERT_STREQ(s->model.chains[2].name, "OUTPUT", "chain 2");
	ASSERT_STREQ(s->model.chains[3].name, "MYCHAIN", "chain 3");
	ASSERT_STREQ(s->model.chains[4].name, "OTHER", "chain 4");
	ASSERT_EQ(s->model.chains[0].nr_rules, 4, "INPUT rules");
	ASSERT_EQ(s->model.chains[3].nr_rules, 2, "MYCHAIN rules (implicit RETURN not counted)");
	xt_format_entry(&s->model, 3, where, sizeof(where));
	ASSERT_STREQ(where, "INPUT#4", "4th entry");
	ASSERT_TRUE(s->model.entries[3].is_goto, "goto flag");
	xt_format_entry(&s->model, 4, where, sizeof(where));
	ASSERT_STREQ(where, "INPUT:policy", "policy");
	xt_format_entry(&s->model, 10, where, sizeof(where));
	ASSERT_STREQ(where, "MYCHAIN:return", "implicit return");
	ASSERT_EQ(s->model.entries[14].kind, XT_ENTRY_END, "end");
	ASSERT_STREQ(s->model.entries[12].target, "REJECT", "target name");
out:
	xt_model_free(&s->model);
	free(s);
}

/* Path as text: "INPUT#3 > MYCHAIN#1 | steps", or "? reason". */
static void explain_model(const struct xt_table_model *m, const struct xt_hit *hits, unsigned int n,
			  unsigned int verdict, char *out, size_t len)
{
	struct xt_path path;
	char err[256], where[64];
	size_t used = 0;

	if (xt_explain(m, 1, hits, n, verdict, &path, err, sizeof(err))) {
		snprintf(out, len, "? %s", err);
		return;
	}
	for (int i = 0; i < path.nr_calls; i++) {
		xt_format_entry(m, path.calls[i], where, sizeof(where));
		used += snprintf(out + used, len - used, "%s > ", where);
	}
	xt_format_entry(m, path.decider, where, sizeof(where));
	used += snprintf(out + used, len - used, "%s |", where);
	for (int i = 0; i < path.nr_steps && used < len; i++) {
		xt_format_entry(m, path.steps[i], where, sizeof(where));
		used += snprintf(out + used, len - used, " %s", where);
	}
}

/* Replays offsets each matched once. */
static void explain(struct sample *s, const unsigned int *offsets, unsigned int n,
		    unsigned int verdict, char *out, size_t len)
{
	struct xt_hit hits[16];

	for (unsigned int i = 0; i < n; i++)
		hits[i] = (struct xt_hit){ offsets[i], 1 };
	explain_model(&s->model, hits, n, verdict, out, len);
}

TEST(xt_explain_paths)
{
	struct sample *s = calloc(1, sizeof(*s));
	char err[128], out[256];

	build_sample(s);
	if (!ASSERT_EQ(xt_decode(&s->blob, &s->model, err, sizeof(err)), 0, err))
		goto out;
	explain(s, (unsigned int[]){ s->input[0] }, 1, NF_ACCEPT, out, sizeof(out));
	ASSERT_STREQ(out, "INPUT#1 | INPUT#1", "first rule accepts");

	explain(s, (unsigned int[]){ s->input_policy }, 1, NF_DROP, out, sizeof(out));
	ASSERT_STREQ(out, "INPUT:policy | INPUT:policy", "policy");

	explain(s, (unsigned int[]){ s->input[1], s->input_policy }, 2, NF_DROP, out, sizeof(out));
	ASSERT_STREQ(out, "INPUT:policy | INPUT#2 INPUT:policy", "LOG then policy");

	explain(s, (unsigned int[]){ s->input[2], s->my[0] }, 2, NF_ACCEPT, out, sizeof(out));
	ASSERT_STREQ(out, "INPUT#3 > MYCHAIN#1 | INPUT#3 MYCHAIN#1", "jump then accept");

	explain(s, (unsigned int[]){ s->input[2], s->my[1], s->input_policy }, 3, NF_DROP, out,
		sizeof(out));
	ASSERT_STREQ(out, "INPUT:policy | INPUT#3 MYCHAIN#2 INPUT:policy", "explicit RETURN");

	explain(s, (unsigned int[]){ s->input[2], s->my_return, s->input[3], s->other[0] }, 4,
		NF_DROP, out, sizeof(out));
	ASSERT_STREQ(out, "INPUT#4 > OTHER#1 | INPUT#3 MYCHAIN:return INPUT#4 OTHER#1",
		     "implicit RETURN, then goto and a terminating extension target");

	explain(s, (unsigned int[]){ s->input[3], s->other_return, s->input_policy }, 3, NF_DROP,
		out, sizeof(out));
	ASSERT_STREQ(out, "INPUT:policy | INPUT#4 OTHER:return INPUT:policy",
		     "return from a goto chain goes back to the builtin chain's policy");

	explain(s, (unsigned int[]){ s->input[0], s->my[0] }, 2, NF_ACCEPT, out, sizeof(out));
	ASSERT_STREQ(out, "? counters moved off the packet's path", "inconsistent hits");

	explain(s, NULL, 0, NF_ACCEPT, out, sizeof(out));
	ASSERT_STREQ(out, "? no matched entry decided", "no hit");
out:
	xt_model_free(&s->model);
	free(s);
}

TEST(xt_explain_verdict_must_agree)
{
	struct sample *s = calloc(1, sizeof(*s));
	char err[128], out[256];

	build_sample(s);
	if (!ASSERT_EQ(xt_decode(&s->blob, &s->model, err, sizeof(err)), 0, err))
		goto out;
	/* LOG matched, then a later match hotdropped: LOG never decides */
	explain(s, (unsigned int[]){ s->input[1] }, 1, NF_DROP, out, sizeof(out));
	ASSERT_STREQ(out, "? no rule decided: a match dropped a malformed packet (hotdrop)",
		     "hotdrop after LOG");
	explain(s, NULL, 0, NF_DROP, out, sizeof(out));
	ASSERT_STREQ(out, "? no rule decided: a match dropped a malformed packet (hotdrop)",
		     "hotdrop in the first rule");
	explain(s, (unsigned int[]){ s->input[0] }, 1, NF_DROP, out, sizeof(out));
	ASSERT_STREQ(out, "? the verdict disagrees with the rule that decided", "ACCEPT != DROP");
	explain(s, (unsigned int[]){ s->input[3], s->other[0] }, 2, NF_ACCEPT, out, sizeof(out));
	ASSERT_STREQ(out, "? the verdict disagrees with the rule that decided", "REJECT accepted");
out:
	xt_model_free(&s->model);
	free(s);
}

/* One entry of a table built from a list: kind, chain name or target, verdict or jump. */
struct spec {
	const char *kind; /* "std", "next" (no target), "jump", "ext", "head", "end" */
	const char *name; /* ext: target; head: chain */
	int arg;	  /* std: verdict; jump: index of the spec jumped to */
};

struct built {
	struct blob_builder b;
	struct xt_table_model model;
	unsigned int offsets[64];
};

static unsigned int spec_size(const struct spec *sp)
{
	if (!strcmp(sp->kind, "head") || !strcmp(sp->kind, "end"))
		return sizeof(struct ipt_entry) +
		       XT_ALIGN(sizeof(struct xt_entry_target) + XT_FUNCTION_MAXNAMELEN);
	if (!strcmp(sp->kind, "ext"))
		return sizeof(struct ipt_entry) + XT_ALIGN(sizeof(struct xt_entry_target) + 8);
	return entry_size(0);
}

/* A filter table whose only hook is INPUT (spec 0); policy at spec index policy. */
static bool build_table(struct built *t, const struct spec *specs, int n, int policy)
{
	unsigned int off = 0;
	char err[128] = "", nothing[8] = {};

	memset(t, 0, sizeof(*t));
	for (int i = 0; i < n; i++) {
		t->offsets[i] = off;
		off += spec_size(&specs[i]);
	}
	for (int i = 0; i < n; i++) {
		const struct spec *sp = &specs[i];

		if (!strcmp(sp->kind, "std"))
			add_standard(&t->b, sp->arg);
		else if (!strcmp(sp->kind, "next"))
			add_standard(&t->b, t->offsets[i + 1]);
		else if (!strcmp(sp->kind, "jump"))
			add_standard(&t->b, t->offsets[sp->arg]);
		else if (!strcmp(sp->kind, "ext"))
			add_entry(&t->b, sp->name, nothing, sizeof(nothing), false);
		else
			add_error(&t->b, sp->name);
	}
	struct xt_blob blob = {
		.family = XT_IPV4,
		.valid_hooks = 1 << 1,
		.nr_hooks = 5,
		.hook_entry = { 0, 0, 0, 0, 0 },
		.underflow = { 0, t->offsets[policy], 0, 0, 0 },
		.entries = t->b.buf,
		.size = t->b.size,
	};
	return ASSERT_EQ(xt_decode(&blob, &t->model, err, sizeof(err)), 0, err);
}

/* Replays specs (index, packets) pairs. */
static void explain_specs(struct built *t, const int (*hit)[2], int n, unsigned int verdict,
			  char *out, size_t len)
{
	struct xt_hit hits[64];

	for (int i = 0; i < n; i++)
		hits[i] = (struct xt_hit){ t->offsets[hit[i][0]], hit[i][1] };
	explain_model(&t->model, hits, n, verdict, out, len);
}

TEST(xt_explain_rule_without_target_falls_through)
{
	const struct spec specs[] = {
		{ "next", NULL, 0 },
		{ "std", NULL, NF_DROP_V },
		{ "std", NULL, NF_ACCEPT_V },
		{ "end", "ERROR", 0 },
	};
	struct built *t = calloc(1, sizeof(*t));
	char out[256];

	if (build_table(t, specs, 4, 2)) {
		explain_specs(t, (const int[][2]){ { 0, 1 }, { 1, 1 } }, 2, NF_DROP, out,
			      sizeof(out));
		ASSERT_STREQ(out, "INPUT#2 | INPUT#1 INPUT#2", "accounting rule, then DROP");
	}
	xt_model_free(&t->model);
	free(t);
}

TEST(xt_explain_long_path)
{
	struct spec specs[24];
	int hits[24][2];
	struct built *t = calloc(1, sizeof(*t));
	char out[1024];

	for (int i = 0; i < 20; i++) {
		specs[i] = (struct spec){ "ext", "LOG", 0 };
		hits[i][0] = i;
		hits[i][1] = 1;
	}
	specs[20] = (struct spec){ "std", NULL, NF_DROP_V };
	specs[21] = (struct spec){ "end", "ERROR", 0 };
	hits[20][0] = 20;
	hits[20][1] = 1;
	if (build_table(t, specs, 22, 20)) {
		explain_specs(t, (const int(*)[2])hits, 21, NF_DROP, out, sizeof(out));
		ASSERT_TRUE(!strncmp(out, "INPUT:policy | INPUT#1 INPUT#2", 30), out);
	}
	xt_model_free(&t->model);
	free(t);
}

/* INPUT: 1 -j X  2 -j TCPMSS  3 -j X  4 (a rule that does not match) ACCEPT  policy DROP;
 * X: 1 LOG, return */
static const struct spec two_calls[] = {
	{ "jump", NULL, 6 },	      { "ext", "TCPMSS", 0 },	  { "jump", NULL, 6 },
	{ "std", NULL, NF_ACCEPT_V }, { "std", NULL, NF_DROP_V }, { "head", "X", 0 },
	{ "ext", "LOG", 0 },	      { "std", NULL, XT_RETURN }, { "end", "ERROR", 0 },
};

TEST(xt_explain_counts_visits)
{
	struct built *t = calloc(1, sizeof(*t));
	char out[256];

	if (!build_table(t, two_calls, 9, 4))
		goto out;
	/* LOG matched on both visits */
	explain_specs(
		t, (const int[][2]){ { 0, 1 }, { 6, 2 }, { 7, 2 }, { 1, 1 }, { 2, 1 }, { 4, 1 } },
		6, NF_DROP, out, sizeof(out));
	ASSERT_STREQ(out,
		     "INPUT:policy | INPUT#1 X#1 X:return INPUT#2 INPUT#3 X#1 X:return "
		     "INPUT:policy",
		     "a chain entered twice");
	/* LOG matched on one visit only (-m mark after MARK, limit, recent) */
	explain_specs(
		t, (const int[][2]){ { 0, 1 }, { 6, 1 }, { 7, 2 }, { 1, 1 }, { 2, 1 }, { 4, 1 } },
		6, NF_DROP, out, sizeof(out));
	ASSERT_STREQ(out,
		     "? the path is inconsistent: an entry matched differently on another visit",
		     "one of two visits matched");
	/* TCPMSS last, then an unmatched rule: it dropped, or that rule's match hotdropped */
	explain_specs(t, (const int[][2]){ { 0, 1 }, { 6, 1 }, { 7, 1 }, { 1, 1 } }, 4, NF_DROP,
		      out, sizeof(out));
	ASSERT_STREQ(out,
		     "? unclear whether INPUT#2 (-j TCPMSS) or a later match dropping a malformed "
		     "packet (hotdrop) ended it",
		     "TCPMSS or hotdrop");
out:
	xt_model_free(&t->model);
	free(t);
}

TEST(xt_decode_malformed)
{
	unsigned char junk[200] = {};
	struct xt_blob blob = {
		.family = XT_IPV4, .nr_hooks = 5, .entries = junk, .size = sizeof(junk)
	};
	struct xt_table_model model;
	char err[128] = "";

	ASSERT_EQ(xt_decode(&blob, &model, err, sizeof(err)), -1, "next_offset 0");
	ASSERT_CONTAINS(err, "malformed table blob at offset 0", "message");
}

/* Decodes a copy of exactly blob->size bytes (so ASan sees any read past the end). */
static int decode_exact(const struct xt_blob *blob, char *err, size_t err_len)
{
	struct xt_blob copy = *blob;
	struct xt_table_model model;
	unsigned char *bytes = malloc(blob->size ? blob->size : 1);
	int ret;

	memcpy(bytes, blob->entries, blob->size);
	copy.entries = bytes;
	ret = xt_decode(&copy, &model, err, err_len);
	if (!ret)
		xt_model_free(&model);
	free(bytes);
	return ret;
}

static struct ipt_entry *entry_at(struct sample *s, unsigned int offset)
{
	return (struct ipt_entry *)(s->b.buf + offset);
}

/* Regression (issue 9): each malformed shape is refused with its reason, nothing read past. */
TEST(xt_decode_hostile_blobs)
{
	struct sample *s = calloc(1, sizeof(*s));
	unsigned int end_size = sizeof(struct ipt_entry) +
				XT_ALIGN(sizeof(struct xt_entry_target) + XT_FUNCTION_MAXNAMELEN);
	struct xt_blob blob;
	char err[160];

	build_sample(s);
	ASSERT_EQ(decode_exact(&s->blob, err, sizeof(err)), 0, "the sample decodes");

	blob = s->blob;
	blob.size -= end_size;
	ASSERT_EQ(decode_exact(&blob, err, sizeof(err)), -1, "no final ERROR entry");
	ASSERT_CONTAINS(err, "does not end with an ERROR entry", "message");

	blob.size = 0;
	ASSERT_EQ(decode_exact(&blob, err, sizeof(err)), -1, "empty");

	/* The final ERROR entry cut to a 1-byte name: its 32-byte name would be read past. */
	blob = s->blob;
	blob.size -= end_size;
	memset(s->b.buf + blob.size, 0, end_size);
	s->b.size = blob.size;
	add_entry(&s->b, "ERROR", "E", 1, false);
	blob.size = s->b.size;
	ASSERT_EQ(decode_exact(&blob, err, sizeof(err)), -1, "short ERROR entry");
	ASSERT_CONTAINS(err, "ERROR entry shorter than its chain name", "message");

	build_sample(s);
	entry_at(s, 0)->next_offset += 4;
	ASSERT_EQ(decode_exact(&s->blob, err, sizeof(err)), -1, "misaligned next_offset");
	ASSERT_CONTAINS(err, "at offset 0: next_offset not aligned", "message");

	build_sample(s);
	entry_at(s, 0)->next_offset = sizeof(struct ipt_entry);
	ASSERT_EQ(decode_exact(&s->blob, err, sizeof(err)), -1, "next_offset too small");
	ASSERT_CONTAINS(err, "next_offset shorter than an entry", "message");

	build_sample(s);
	entry_at(s, 0)->next_offset = 0xfff8;
	ASSERT_EQ(decode_exact(&s->blob, err, sizeof(err)), -1, "next_offset too large");
	ASSERT_CONTAINS(err, "runs past the end", "message");

	build_sample(s);
	entry_at(s, 0)->target_offset = 8;
	ASSERT_EQ(decode_exact(&s->blob, err, sizeof(err)), -1, "target inside the header");
	ASSERT_CONTAINS(err, "target_offset outside the entry", "message");

	build_sample(s);
	((struct xt_entry_target *)entry_at(s, 0)->elems)->u.target_size = 4000;
	ASSERT_EQ(decode_exact(&s->blob, err, sizeof(err)), -1, "target larger than its entry");
	ASSERT_CONTAINS(err, "target size outside the entry", "message");

	build_sample(s);
	s->blob.hook_entry[1] = s->blob.size + 64;
	ASSERT_EQ(decode_exact(&s->blob, err, sizeof(err)), -1, "hook entry outside");
	ASSERT_CONTAINS(err, "hook 1 starts or ends at no entry", "message");

	build_sample(s);
	s->blob.underflow[3] = s->output_policy + 8;
	ASSERT_EQ(decode_exact(&s->blob, err, sizeof(err)), -1, "underflow inside an entry");
	ASSERT_CONTAINS(err, "hook 3 starts or ends at no entry", "message");

	build_sample(s);
	s->blob.nr_hooks = 9;
	ASSERT_EQ(decode_exact(&s->blob, err, sizeof(err)), -1, "too many hooks");

	build_sample(s);
	s->blob.valid_hooks = 1u << 7;
	ASSERT_EQ(decode_exact(&s->blob, err, sizeof(err)), -1, "hook beyond nr_hooks");

	build_sample(s);
	memcpy(((struct xt_entry_target *)entry_at(s, s->input[2])->elems)->data, &(int){ 12 },
	       sizeof(int));
	ASSERT_EQ(decode_exact(&s->blob, err, sizeof(err)), -1, "jump into an entry");
	ASSERT_CONTAINS(err, "jump to no entry", "message");
	free(s);
}

TEST(saved_rules_from_iptables_save)
{
	const char *text = "# Generated by iptables-save v1.8.9\n"
			   "*filter\n"
			   ":INPUT DROP [3:180]\n"
			   ":FORWARD ACCEPT [0:0]\n"
			   ":MY-CHAIN - [0:0]\n"
			   "-A INPUT -p tcp -j ACCEPT\n"
			   "-A INPUT -s 10.0.0.1/32 -j MY-CHAIN\n"
			   "-A MY-CHAIN -m comment --comment \"a b\" -j RETURN\n"
			   "COMMIT\n";
	struct saved_rules rules;

	ASSERT_EQ(parse_saved_rules(XT_IPV4, text, &rules), 0, "parse");
	ASSERT_EQ(rules.nr_lines, 3, "rules");
	ASSERT_STREQ(saved_rule(&rules, "INPUT", 2), "-A INPUT -s 10.0.0.1/32 -j MY-CHAIN", "#2");
	ASSERT_STREQ(saved_rule(&rules, "MY-CHAIN", 1),
		     "-A MY-CHAIN -m comment --comment \"a b\" -j RETURN", "user chain");
	ASSERT_TRUE(saved_rule(&rules, "INPUT", 3) == NULL, "no third rule");
	ASSERT_TRUE(saved_rule(&rules, "MY", 1) == NULL, "chain names match whole");
	ASSERT_STREQ(saved_policy(&rules, "INPUT"), "DROP", "policy");
	ASSERT_STREQ(saved_policy(&rules, "FORWARD"), "ACCEPT", "policy");
	saved_rules_free(&rules);
}

/* iptables-save writes a comment's newline as it is: the rest of the rule is on the next line. */
TEST(saved_rules_comment_with_newlines)
{
	const char *text = "*filter\n"
			   ":INPUT ACCEPT [0:0]\n"
			   "-A INPUT -s 10.0.0.13/32 -m comment --comment \"first\n"
			   "\n"
			   "COMMIT\" -j DROP\n"
			   "-A INPUT -j ACCEPT\n"
			   "COMMIT\n"
			   "*nat\n"
			   ":OUTPUT ACCEPT [0:0]\n"
			   "COMMIT\n";
	struct saved_rules rules;

	ASSERT_EQ(parse_saved_rules(XT_IPV4, text, &rules), 0, "parse");
	ASSERT_EQ(rules.nr_lines, 2, "two rules");
	ASSERT_STREQ(saved_rule(&rules, "INPUT", 1),
		     "-A INPUT -s 10.0.0.13/32 -m comment --comment \"first\n\nCOMMIT\" -j DROP",
		     "the whole rule, its newlines kept");
	ASSERT_STREQ(saved_rule(&rules, "INPUT", 2), "-A INPUT -j ACCEPT", "the next rule");
	ASSERT_STREQ(saved_policy(&rules, "OUTPUT"), "ACCEPT", "the next table's policy");
	saved_rules_free(&rules);
}

TEST(saved_rules_from_arptables_listing)
{
	const char *text = "Chain INPUT (policy ACCEPT)\n"
			   "-j DROP -s 10.0.0.1 \n"
			   "\n"
			   "Chain OUTPUT (policy DROP)\n"
			   "\n"
			   "Chain MYC (1 references)\n"
			   "-j ACCEPT --opcode 1 \n";
	struct saved_rules rules;

	ASSERT_EQ(parse_saved_rules(XT_ARP, text, &rules), 0, "parse");
	ASSERT_EQ(rules.nr_lines, 2, "rules");
	ASSERT_STREQ(saved_rule(&rules, "INPUT", 1), "-A INPUT -j DROP -s 10.0.0.1", "INPUT#1");
	ASSERT_STREQ(saved_rule(&rules, "MYC", 1), "-A MYC -j ACCEPT --opcode 1", "MYC#1");
	ASSERT_STREQ(saved_policy(&rules, "OUTPUT"), "DROP", "policy");
	saved_rules_free(&rules);
}
