// SPDX-License-Identifier: Apache-2.0
/* Drops outside the tables: kallsyms names, reason names from BTF, the record, text and JSON. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "test.h"
#include "drop_reason.h"
#include "format.h"
#include "ksyms.h"
#include "record.h"
#include "render_json.h"
#include "render_text.h"

/* A /proc/kallsyms-format file with text; returns its path (static). */
static const char *fake_kallsyms(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/skbtracer-kallsyms-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return "/nonexistent";
	close(fd);
	return path;
}

static const char kallsyms_text[] =
	"ffffffff81a00200 T ip_rcv_finish_core\n"
	"ffffffff81000000 T _stext\n"
	"ffffffff81c00100 D some_data\n" /* data: never a code location */
	"ffffffff81a00000 t ip_rcv_core\n"
	"0000000000000000 A fixed_percpu_data\n" /* per-CPU symbols sit at 0 */
	"ffffffffc0100000 t ipt_do_table\t[ip_tables]\n"
	"ffffffffc0100800 T ipt_unregister_table_exit\t[ip_tables]\n"
	"ffffffff81b00000 T bpf_trace_run4\n"
	"ffffffffc0001000 t bpf_prog_9b153c033e7a75f0_fexit_ipt_do_table\t[bpf]\n"
	"ffffffff81b10000 T sk_skb_reason_drop\n"
	"ffffffff81c00000 W weak_function\n";

static struct ksyms *load_fake(void)
{
	char err[256] = "";
	const char *path = fake_kallsyms(kallsyms_text);
	struct ksyms *ks = ksyms_load(path, err, sizeof(err));

	unlink(path);
	ASSERT_TRUE(ks != NULL, err);
	return ks;
}

TEST(ksyms_names_addresses)
{
	struct ksyms *ks = load_fake();
	char name[128];

	if (!ks)
		return;
	ASSERT_TRUE(!ksyms_hidden(ks), "addresses listed");
	ksyms_name(ks, 0xffffffff81a001a4ULL, name, sizeof(name));
	ASSERT_STREQ(name, "ip_rcv_core+0x1a4", "inside a local (t) symbol");
	ksyms_name(ks, 0xffffffff81a00200ULL, name, sizeof(name));
	ASSERT_STREQ(name, "ip_rcv_finish_core+0x0", "at a symbol's start");
	ksyms_name(ks, 0xffffffff81a003a4ULL, name, sizeof(name));
	ASSERT_STREQ(name, "ip_rcv_finish_core+0x1a4", "the next symbol: lines were unsorted");
	ksyms_name(ks, 0xffffffffc010009eULL, name, sizeof(name));
	ASSERT_STREQ(name, "ipt_do_table+0x9e [ip_tables]", "a module's symbol");
	ksyms_name(ks, 0xffffffff81c00010ULL, name, sizeof(name));
	ASSERT_STREQ(name, "weak_function+0x10", "weak symbols are code too");
	ksyms_name(ks, 0xffffffff81c00110ULL, name, sizeof(name));
	ASSERT_STREQ(name, "weak_function+0x110", "data symbols are not code (skipped)");
	ksyms_name(ks, 0xffffffff80000000ULL, name, sizeof(name));
	ASSERT_STREQ(name, "0xffffffff80000000", "below the first symbol: the address");
	ksyms_name(ks, 0xffffffffc0300000ULL, name, sizeof(name));
	ASSERT_STREQ(name, "0xffffffffc0300000", "far past the last symbol: the address");
	ksyms_free(ks);
	ksyms_name(NULL, 0x1234, name, sizeof(name));
	ASSERT_STREQ(name, "0x1234", "no table: the address");
}

TEST(ksyms_hidden_and_missing)
{
	const char *path =
		fake_kallsyms("0000000000000000 T ip_rcv\n0000000000000000 t ip_rcv_core\n");
	char err[256] = "", name[64];
	struct ksyms *ks = ksyms_load(path, err, sizeof(err));

	unlink(path);
	if (!ASSERT_TRUE(ks != NULL, err))
		return;
	ASSERT_TRUE(ksyms_hidden(ks), "every address 0: kptr_restrict");
	ksyms_name(ks, 0xffffffff81a001a4ULL, name, sizeof(name));
	ASSERT_STREQ(name, "0xffffffff81a001a4", "shown as the address");
	ksyms_free(ks);
	ks = ksyms_load("/nonexistent/kallsyms", err, sizeof(err));
	ASSERT_TRUE(ks == NULL, "a missing file");
	ASSERT_TRUE(strstr(err, "cannot read /nonexistent/kallsyms") != NULL, err);
}

TEST(stack_leaves_out_the_tracing_frames)
{
	struct ksyms *ks = load_fake();
	const __u64 ips[] = { 0xffffffffc0001730ULL, 0xffffffff81b0010dULL, 0xffffffff81b10090ULL,
			      0xffffffff81a001a4ULL };
	struct stack_record s;

	if (!ks)
		return;
	stack_record_build(&s, ips, 4, ks);
	ASSERT_EQ(s.count, 2, "the program (named) and bpf_trace_run4 left out");
	ASSERT_STREQ(s.frames[0], "sk_skb_reason_drop+0x90", "innermost kernel frame");
	ASSERT_STREQ(s.frames[1], "ip_rcv_core+0x1a4", "its caller");
	stack_record_build(&s, ips, 4, NULL);
	ASSERT_EQ(s.count, 4, "without names nothing is left out");
	ASSERT_STREQ(s.frames[0], "0xffffffffc0001730", "addresses");
	stack_record_build(&s, ips + 1, 1, ks);
	ASSERT_EQ(s.count, 0, "only the tracing code: nothing left");
	ksyms_free(ks);
}

/* enum skb_drop_reason and the tracepoint's typedef, as a kernel's BTF has them. */
static struct btf *fake_btf(bool with_reason, bool with_consumed)
{
	struct btf *btf = btf__new_empty();
	int ptr_void, skb, proto, reason;

	reason = btf__add_enum(btf, "skb_drop_reason", 4);
	btf__add_enum_value(btf, "SKB_NOT_DROPPED_YET", 0);
	if (with_consumed)
		btf__add_enum_value(btf, "SKB_CONSUMED", 1);
	btf__add_enum_value(btf, "SKB_DROP_REASON_NOT_SPECIFIED", 2);
	btf__add_enum_value(btf, "SKB_DROP_REASON_IP_RPFILTER", 16);
	ptr_void = btf__add_ptr(btf, 0);
	skb = btf__add_ptr(btf, btf__add_struct(btf, "sk_buff", 0));
	proto = btf__add_func_proto(btf, 0);
	btf__add_func_param(btf, "__data", ptr_void);
	btf__add_func_param(btf, "skb", skb);
	btf__add_func_param(btf, "location", ptr_void);
	if (with_reason)
		btf__add_func_param(btf, "reason", reason);
	btf__add_typedef(btf, "btf_trace_kfree_skb", btf__add_ptr(btf, proto));
	return btf;
}

TEST(drop_reasons_from_btf)
{
	struct btf *btf = fake_btf(true, true);
	struct drop_reasons dr;

	ASSERT_EQ(drop_reasons_load(btf, &dr), 0, "loaded");
	ASSERT_TRUE(dr.has_reason, "the tracepoint passes a reason");
	ASSERT_TRUE(dr.has_consumed && dr.consumed == 1, "SKB_CONSUMED found");
	ASSERT_STREQ(drop_reason_name(&dr, 16), "IP_RPFILTER", "prefix stripped");
	ASSERT_STREQ(drop_reason_name(&dr, 2), "NOT_SPECIFIED", "prefix stripped");
	ASSERT_STREQ(drop_reason_name(&dr, 0), "NOT_DROPPED_YET", "SKB_ stripped");
	ASSERT_TRUE(drop_reason_name(&dr, 17) == NULL, "a value the enum lacks");
	drop_reasons_free(&dr);
	btf__free(btf);

	btf = fake_btf(false, false);
	ASSERT_EQ(drop_reasons_load(btf, &dr), 0, "loaded");
	ASSERT_TRUE(!dr.has_reason, "(skb, location) only: before 5.17");
	ASSERT_TRUE(!dr.has_consumed, "no SKB_CONSUMED");
	drop_reasons_free(&dr);
	btf__free(btf);

	btf = btf__new_empty();
	ASSERT_EQ(drop_reasons_load(btf, &dr), 0, "neither enum nor typedef");
	ASSERT_TRUE(!dr.has_reason && !dr.count, "nothing known");
	drop_reasons_free(&dr);
	btf__free(btf);
}

static struct drop_event golden_drop(void)
{
	struct drop_event d = {
		.kind = EVENT_DROP,
		.version = EVENT_DROP_VERSION,
		.ts_ns = 1700000000123456789ULL,
		.skb = 0xffff888004a1b200ULL,
		.location = 0xffffffff81a003a4ULL,
		.reason = 16,
		.has_reason = 1,
		.netns = 4026532281U,
		.pid = 0,
		.cpu = 1,
		.stack_id = NO_STACK,
		.ifname = "v-a",
		.packet = {
			.flags = EVENT_HAS_ADDRS | EVENT_HAS_ICMP | EVENT_HAS_MAC,
			.ip_len = 84,
			.l3proto = ETHERTYPE_IPV4,
			.pkt_type = 0,
			.l4proto = IPPROTO_ICMP,
			.icmp_type = 8,
			.icmp_id = 77,
			.icmp_seq = 3,
			.dest_mac = { 2, 0, 0, 0, 0, 2 },
			.src_mac = { 2, 0, 0, 0, 0, 1 },
		},
	};

	inet_pton(AF_INET, "10.0.0.1", d.packet.saddr);
	inet_pton(AF_INET, "10.0.0.2", d.packet.daddr);
	return d;
}

static struct drop_reasons golden_reasons(struct btf **btf)
{
	struct drop_reasons dr;

	*btf = fake_btf(true, true);
	drop_reasons_load(*btf, &dr);
	return dr;
}

TEST(event_known_drop)
{
	struct drop_event d = golden_drop();

	ASSERT_EQ(event_known(&d, sizeof(d)), EVENT_DROP, "a drop");
	ASSERT_EQ(event_known(&d, sizeof(d) - 1), 0, "short record");
	d.version = EVENT_DROP_VERSION + 1;
	ASSERT_EQ(event_known(&d, sizeof(d)), 0, "newer version");
}

TEST(drop_text)
{
	static struct drop_record r;
	struct time_format tf = { .relative = true, .first_ns = 1700000000123456789ULL - 1500 };
	struct drop_event d = golden_drop();
	struct ksyms *ks = load_fake();
	struct btf *btf;
	struct drop_reasons dr = golden_reasons(&btf);
	struct text_options o = {};
	char info[512], *out = NULL;
	size_t out_len = 0;
	FILE *f;

	drop_record_build(&r, &d, 0, &dr, ks);
	render_text_drop_info(&r, info, sizeof(info));
	ASSERT_STREQ(info, "pkt_type=HOST dropped reason=IP_RPFILTER at ip_rcv_finish_core+0x1a4",
		     "no netfilter call: reason and place");
	f = open_memstream(&out, &out_len);
	render_text_drop(f, &r, &tf, &o);
	fclose(f);
	ASSERT_STREQ(out,
		     "[0.000001] [0xffff888004a1b200] [4026532281] 0        1      v-a        "
		     "        02:00:00:00:00:02  84     I_request:10.0.0.1->10.0.0.2" /* 54 wide */
		     "                           pkt_type=HOST dropped reason=IP_RPFILTER at "
		     "ip_rcv_finish_core+0x1a4\n",
		     "the seed's columns, the drop in the last");
	free(out);

	/* --show-id: the tracked packet's id at the end; nothing for an untracked one */
	o.show_id = true;
	f = open_memstream(&out, &out_len);
	render_text_drop(f, &r, &tf, &o);
	fclose(f);
	ASSERT_TRUE(strstr(out, "ip_rcv_finish_core+0x1a4\n") != NULL, out);
	free(out);
	d.packet_id = 42;
	drop_record_build(&r, &d, 0, &dr, ks);
	f = open_memstream(&out, &out_len);
	render_text_drop(f, &r, &tf, &o);
	fclose(f);
	ASSERT_TRUE(strstr(out, "ip_rcv_finish_core+0x1a4 id=42\n") != NULL, out);
	free(out);
	d.packet_id = 0;

	/* after a legacy DROP verdict */
	d.reason = 12;
	d.location = 0xffffffff81b10090ULL;
	d.tie = (struct drop_tie_info){ .tie = DROP_TIE_AFTER,
					.engine = ENGINE_IPTABLES,
					.family = PF_FAMILY_IPV4,
					.hook = 1,
					.verdict = 0,
					.table = "filter" };
	drop_record_build(&r, &d, 0, &dr, ks);
	render_text_drop_info(&r, info, sizeof(info));
	ASSERT_STREQ(info,
		     "pkt_type=HOST dropped reason=12 at sk_skb_reason_drop+0x90 after filter "
		     "INPUT DROP",
		     "a code the enum does not name, and the verdict it followed");

	/* freed inside an nftables call (6.x) */
	d.reason = 2;
	d.tie = (struct drop_tie_info){ .tie = DROP_TIE_INSIDE,
					.engine = ENGINE_NFTABLES,
					.family = PF_FAMILY_INET,
					.hook = 1,
					.table = "filter",
					.chain = "input" };
	drop_record_build(&r, &d, 0, &dr, ks);
	render_text_drop_info(&r, info, sizeof(info));
	ASSERT_STREQ(info,
		     "pkt_type=HOST dropped reason=NOT_SPECIFIED at sk_skb_reason_drop+0x90 in "
		     "nftables inet filter input",
		     "the nftables call that freed it");
	d.tie.cut = DROP_CUT_TABLE;
	snprintf(d.tie.table, sizeof(d.tie.table), "prefix_prefix_prefix_prefix_pre");
	drop_record_build(&r, &d, 0, &dr, ks);
	render_text_drop_info(&r, info, sizeof(info));
	ASSERT_STREQ(info,
		     "pkt_type=HOST dropped reason=NOT_SPECIFIED at sk_skb_reason_drop+0x90 in "
		     "nftables inet prefix_prefix_prefix_prefix_pre... input",
		     "a table name cut to 31 bytes says so");

	/* 5.10: no reason */
	d.has_reason = 0;
	d.reason = 0;
	d.tie.tie = DROP_TIE_NONE;
	drop_record_build(&r, &d, 0, &dr, NULL);
	render_text_drop_info(&r, info, sizeof(info));
	ASSERT_STREQ(info, "pkt_type=HOST dropped at 0xffffffff81b10090",
		     "no reason, no names: the place as an address");
	drop_reasons_free(&dr);
	btf__free(btf);
	ksyms_free(ks);
}

static char *json_of(const struct drop_record *r)
{
	return CAPTURE(f, render_json_drop(f, r));
}

/* The schema of a drop: a changed field name or type fails here (update the README). */
TEST(drop_json)
{
	static struct drop_record r;
	static struct stack_record stack = { 2, { "sk_skb_reason_drop+0x90", "ip_rcv+0x5d" } };
	struct drop_event d = golden_drop();
	struct ksyms *ks = load_fake();
	struct btf *btf;
	struct drop_reasons dr = golden_reasons(&btf);
	char *json;

	drop_record_build(&r, &d, 1000000000, &dr, ks);
	json = json_of(&r);
	ASSERT_STREQ(json,
		     "{\"schema_version\":1,\"type\":\"drop\",\"time\":\"2023-11-14T22:13:21."
		     "123456789Z\",\"time_ns\":1700000001123456789,\"mono_ns\":"
		     "1700000000123456789,\"skb\":\"0xffff888004a1b200\",\"netns\":4026532281,"
		     "\"pid\":0,\"cpu\":1,\"interface\":\"v-a\",\"pkt_type\":\"HOST\","
		     "\"reason\":\"IP_RPFILTER\",\"reason_code\":16,\"location\":"
		     "\"ip_rcv_finish_core+0x1a4\",\"location_address\":\"0xffffffff81a003a4\","
		     "\"ethertype\":2048,\"ip_len\":84,\"src_mac\":\"02:00:00:00:00:01\","
		     "\"dst_mac\":\"02:00:00:00:00:02\",\"saddr\":\"10.0.0.1\",\"daddr\":"
		     "\"10.0.0.2\",\"protocol\":1,\"icmp_type\":8,\"icmp_code\":0,\"icmp_id\":77,"
		     "\"icmp_seq\":3,\"packet_id\":null,\"netfilter\":null}\n",
		     "a drop without a netfilter call");
	free(json);
	d.packet_id = 42;
	drop_record_build(&r, &d, 1000000000, &dr, ks);
	json = json_of(&r);
	ASSERT_TRUE(strstr(json, "\"icmp_seq\":3,\"packet_id\":42,\"netfilter\":null}") != NULL,
		    json);
	free(json);

	d.has_reason = 0;
	d.tie = (struct drop_tie_info){ .tie = DROP_TIE_AFTER,
					.call_ts_ns = 1700000000000000001ULL,
					.engine = ENGINE_NFTABLES,
					.family = PF_FAMILY_INET,
					.hook = 1,
					.verdict = 0,
					.table = "t\"1",
					.chain = "input" };
	drop_record_build(&r, &d, 1000000000, &dr, ks);
	r.stack = &stack;
	json = json_of(&r);
	ASSERT_TRUE(strstr(json, "\"reason\":null,\"reason_code\":null,") != NULL, json);
	ASSERT_TRUE(strstr(json,
			   "\"netfilter\":{\"tie\":\"after\",\"engine\":\"nftables\","
			   "\"family\":\"inet\",\"table\":\"t\\\"1\",\"chain\":\"input\","
			   "\"names_cut\":false,\"hook\":\"INPUT\",\"call_mono_ns\":"
			   "1700000000000000001,\"verdict\":{"
			   "\"name\":\"DROP\",\"raw\":0}},"
			   "\"stack\":[\"sk_skb_reason_drop+0x90\",\"ip_rcv+0x5d\"]}\n") != NULL,
		    json);
	free(json);
	d.tie.cut = DROP_CUT_CHAIN;
	drop_record_build(&r, &d, 1000000000, &dr, ks);
	json = json_of(&r);
	ASSERT_TRUE(strstr(json, "\"chain\":\"input\",\"names_cut\":true,") != NULL, json);
	free(json);
	drop_reasons_free(&dr);
	btf__free(btf);
	ksyms_free(ks);
}

/* --stack under a table call: after its line (and -v's), one frame per line. */
TEST(table_call_stack_text)
{
	static struct trace_record r;
	static struct stack_record stack = { 2, { "nf_hook_slow+0x3d", "ip_local_deliver+0x6e" } };
	struct event e = { .kind = EVENT_TABLE_CALL, .engine = ENGINE_IPTABLES, .hook = 1 };
	struct time_format tf = { .relative = true };
	struct text_options o = {};
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	snprintf(e.table, sizeof(e.table), "filter");
	record_build(&r, &e, 0);
	r.stack = &stack;
	render_text(f, &r, &tf, &o);
	fclose(f);
	ASSERT_TRUE(strstr(out, "verdict=DROP cost=0ns]\n    nf_hook_slow+0x3d\n"
				"    ip_local_deliver+0x6e\n") != NULL,
		    out);
	free(out);
}
