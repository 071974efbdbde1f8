// SPDX-License-Identifier: Apache-2.0
/* The decoded record as one JSON object per line. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <time.h>
#include "format.h"
#include "render_json.h"

void render_json_begin(struct json_writer *w, FILE *out, const char *type)
{
	jw_init(w, out);
	jw_object_begin(w);
	jw_uint_field(w, "schema_version", JSON_SCHEMA_VERSION);
	jw_string_field(w, "type", type);
}

int render_json_notice(FILE *out, const char *message)
{
	struct json_writer w;

	render_json_begin(&w, out, "notice");
	jw_string_field(&w, "message", message);
	jw_object_end(&w);
	return jw_end_line(&w);
}

static void step_fields(struct json_writer *w, const struct attribution *a,
			const struct rule_step *s)
{
	static const char *const kinds[] = { "rule", "policy", "return" };

	jw_string_field(w, "kind", kinds[s->kind]);
	jw_string_field(w, "chain", s->chain);
	if (s->kind == RULE_STEP_RULE && a->nft)
		jw_uint_field(w, "handle", s->handle);
	else if (s->kind == RULE_STEP_RULE)
		jw_uint_field(w, "number", s->number);
	jw_string_field(w, "text", s->text);
}

static void steps(struct json_writer *w, const char *name, const struct attribution *a,
		  const struct rule_step *list, int count)
{
	jw_name(w, name);
	jw_array_begin(w);
	for (int i = 0; i < count; i++) {
		jw_object_begin(w);
		step_fields(w, a, &list[i]);
		jw_object_end(w);
	}
	jw_array_end(w);
}

void render_json_rule(struct json_writer *w, const struct attribution *a)
{
	jw_object_begin(w);
	jw_string_field(w, "status", attribution_status_name(a->status));
	if (a->status == ATTRIBUTION_UNKNOWN)
		jw_string_field(w, "reason", a->reason);
	if (a->status == ATTRIBUTION_OK) {
		step_fields(w, a, &a->decider);
		steps(w, "path", a, a->path, a->nr_path);
	}
	if (a->nr_matched)
		steps(w, "matched", a, a->matched, a->nr_matched);
	jw_object_end(w);
}

static void address_field(struct json_writer *w, const char *name, int af, const __u8 *addr)
{
	char text[INET6_ADDRSTRLEN];

	inet_ntop(af, addr, text, sizeof(text));
	jw_string_field(w, name, text);
}

static void mac_field(struct json_writer *w, const char *name, const __u8 mac[6])
{
	char text[24];

	format_mac(mac, text, sizeof(text));
	jw_string_field(w, name, text);
}

static void packet_fields(struct json_writer *w, const struct event *e)
{
	bool ip = e->l3proto == ETHERTYPE_IPV4 || e->l3proto == ETHERTYPE_IPV6;
	int af = e->l3proto == ETHERTYPE_IPV6 ? AF_INET6 : AF_INET;
	char flags[48];

	jw_uint_field(w, "ethertype", e->l3proto);
	jw_uint_field(w, "ip_len", e->ip_len);
	if (e->flags & EVENT_HAS_MAC) {
		mac_field(w, "src_mac", e->src_mac);
		mac_field(w, "dst_mac", e->dest_mac);
	}
	if (e->flags & EVENT_HAS_VLAN)
		jw_uint_field(w, "vlan_id", e->vlan_id);
	if (e->flags & EVENT_HAS_ADDRS) {
		address_field(w, "saddr", af, e->saddr);
		address_field(w, "daddr", af, e->daddr);
	}
	if (ip && (e->flags & EVENT_HAS_ADDRS))
		jw_uint_field(w, "protocol", e->l4proto);
	if (e->flags & EVENT_FRAGMENT)
		jw_bool_field(w, "fragment", true);
	if ((e->flags & EVENT_HAS_PORTS) && !(e->flags & EVENT_FRAGMENT)) {
		jw_uint_field(w, "sport", e->sport);
		jw_uint_field(w, "dport", e->dport);
		if (e->l4proto == IPPROTO_TCP) {
			format_tcp_flags(e->tcp_flags, flags, sizeof(flags));
			jw_string_field(w, "tcp_flags", flags);
		}
	}
	if ((e->flags & EVENT_HAS_ICMP) && !(e->flags & EVENT_FRAGMENT)) {
		jw_uint_field(w, "icmp_type", e->icmp_type);
		jw_uint_field(w, "icmp_code", e->icmp_code);
		jw_uint_field(w, "icmp_id", e->icmp_id);
		jw_uint_field(w, "icmp_seq", e->icmp_seq);
	}
	if (e->flags & EVENT_HAS_ARP) {
		jw_uint_field(w, "arp_op", e->arp_op);
		mac_field(w, "arp_sha", e->arp_sha);
	}
}

static void interface_field(struct json_writer *w, const char *name, const char *ifname)
{
	jw_name(w, name);
	if (ifname[0])
		jw_string_n(w, ifname, IFNAME_LEN);
	else
		jw_null(w);
}

/* --netns-names: "netns_name" and "netns_kind" (null when unnamed), "container_runtime". */
static void netns_label_fields(struct json_writer *w, const struct netns_label *l)
{
	bool named = l->kind != NETNS_UNNAMED;

	jw_string_field(w, "netns_name", named ? l->name : NULL);
	jw_string_field(w, "netns_kind", netns_kind_name(l->kind));
	if (l->kind == NETNS_CONTAINER)
		jw_string_field(w, "container_runtime", l->runtime);
}

/* "2023-11-14T22:13:21.123456789Z": exact where jq's doubles round time_ns. */
static void time_field(struct json_writer *w, __u64 ns)
{
	time_t secs = (time_t)(ns / 1000000000);
	char text[64], date[32];
	struct tm tm;

	if (!gmtime_r(&secs, &tm) || !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(date, sizeof(date), "?");
	snprintf(text, sizeof(text), "%s.%09lluZ", date, (unsigned long long)(ns % 1000000000));
	jw_string_field(w, "time", text);
}

static void hex_field(struct json_writer *w, const char *name, __u64 value)
{
	char text[24];

	snprintf(text, sizeof(text), "0x%016llx", (unsigned long long)value);
	jw_string_field(w, name, text);
}

static void nat_endpoint(struct json_writer *w, const char *name, const char *addr, int port)
{
	jw_name(w, name);
	jw_object_begin(w);
	jw_string_field(w, "addr", addr);
	if (port >= 0)
		jw_uint_field(w, "port", port);
	jw_object_end(w);
}

/* Tracking, conntrack and NAT: what the packet's story needs beyond this call. */
static void story_fields(struct json_writer *w, const struct trace_record *r)
{
	const struct event *e = r->ev;

	jw_name(w, "packet_id");
	if (e->packet_id)
		jw_uint(w, e->packet_id);
	else
		jw_null(w);
	jw_bool_field(w, "tracked", e->flags & EVENT_TRACKED);
	if (e->parent_skb)
		hex_field(w, "parent_skb", e->parent_skb);
	if (e->cause_id) /* the packet whose table call sent this one (a REJECT's reply) */
		jw_uint_field(w, "caused_by", e->cause_id);
	jw_string_field(w, "ct_state", r->ct_state);
	if (e->ct && r->ct_state) {
		hex_field(w, "conntrack", e->ct);
		jw_string_field(w, "ct_dir", r->ct_reply ? "reply" : "original");
	}
	jw_uint_field(w, "mark", e->mark);
	if (e->flags & EVENT_HAS_AFTER) {
		if (r->ct_state)
			jw_string_field(w, "ct_state_after", r->ct_state_after);
		jw_uint_field(w, "mark_after", e->mark_after);
	}
	if (r->nat.kind) {
		jw_name(w, "nat");
		jw_object_begin(w);
		jw_string_field(w, "type", r->nat.kind);
		nat_endpoint(w, "from", r->nat.from_addr, r->nat.from_port);
		nat_endpoint(w, "to", r->nat.to_addr, r->nat.to_port);
		jw_object_end(w);
	}
}

/* --stack: "stack":["nf_hook_slow+0x3d",...]; nothing without a stack. */
static void stack_field(struct json_writer *w, const struct stack_record *s)
{
	if (!s)
		return;
	jw_name(w, "stack");
	jw_array_begin(w);
	for (int i = 0; i < s->count; i++)
		jw_string(w, s->frames[i]);
	jw_array_end(w);
}

/* The fields every event kind starts with: when, which skb, where, who. */
static void event_head_fields(struct json_writer *w, __u64 time_ns, __u64 mono_ns, __u64 skb,
			      __u32 netns, const struct netns_label *label, __u32 pid, __u32 cpu)
{
	char text[24];

	time_field(w, time_ns);
	jw_uint_field(w, "time_ns", time_ns);
	jw_uint_field(w, "mono_ns", mono_ns);
	snprintf(text, sizeof(text), "0x%016llx", (unsigned long long)skb);
	jw_string_field(w, "skb", text);
	jw_uint_field(w, "netns", netns);
	if (label)
		netns_label_fields(w, label);
	jw_uint_field(w, "pid", pid);
	jw_uint_field(w, "cpu", cpu);
}

int render_json(FILE *out, const struct trace_record *r)
{
	const struct event *e = r->ev;
	struct json_writer w;

	render_json_begin(&w, out, "table_call");
	event_head_fields(&w, r->time_ns, r->mono_ns, e->skb, e->netns, r->netns_label, e->pid,
			  e->cpu);
	interface_field(&w, "in_interface", e->in_ifname);
	interface_field(&w, "out_interface", e->out_ifname);
	jw_string_field(&w, "pkt_type", r->pkt_type);
	jw_string_field(&w, "engine", r->engine);
	jw_string_field(&w, "family", r->family);
	jw_name(&w, "table");
	jw_string_n(&w, e->table, NAME_LEN);
	if (e->engine == ENGINE_NFTABLES) {
		jw_name(&w, "chain");
		jw_string_n(&w, e->chain, NAME_LEN);
		jw_int_field(&w, "priority", e->priority);
	}
	jw_string_field(&w, "hook", r->hook);
	jw_name(&w, "verdict");
	jw_object_begin(&w);
	jw_string_field(&w, "name", r->verdict_code);
	jw_uint_field(&w, "raw", e->verdict);
	jw_string_field(&w, "reason", r->verdict_reason);
	jw_object_end(&w);
	jw_uint_field(&w, "cost_ns", e->cost_ns);
	packet_fields(&w, e);
	story_fields(&w, r);
	jw_name(&w, "rule");
	render_json_rule(&w, &r->rule);
	stack_field(&w, r->stack);
	jw_object_end(&w);
	return jw_end_line(&w);
}

/* The netfilter call a drop belongs to: {"tie":"after","engine":"iptables",...}. */
static void tie_field(struct json_writer *w, const struct drop_record *r)
{
	const struct drop_tie_info *t = &r->ev->tie;

	jw_name(w, "netfilter");
	if (t->tie == DROP_TIE_NONE) {
		jw_null(w);
		return;
	}
	jw_object_begin(w);
	jw_string_field(w, "tie", t->tie == DROP_TIE_AFTER ? "after" : "inside");
	jw_string_field(w, "engine", r->tie_engine);
	jw_string_field(w, "family", r->tie_family);
	jw_name(w, "table");
	jw_string_n(w, t->table, DROP_NAME_LEN);
	if (t->engine == ENGINE_NFTABLES) {
		jw_name(w, "chain");
		jw_string_n(w, t->chain, DROP_NAME_LEN);
	}
	jw_bool_field(w, "names_cut", t->cut != 0);
	jw_string_field(w, "hook", r->tie_hook);
	jw_uint_field(w, "call_mono_ns", t->call_ts_ns); /* the call's line has it as mono_ns */
	if (t->tie == DROP_TIE_AFTER) {
		jw_name(w, "verdict");
		jw_object_begin(w);
		jw_string_field(w, "name", r->tie_verdict_code);
		jw_uint_field(w, "raw", t->verdict);
		jw_object_end(w);
	}
	jw_object_end(w);
}

int render_json_drop(FILE *out, const struct drop_record *r)
{
	const struct drop_event *d = r->ev;
	struct json_writer w;
	char text[24];

	render_json_begin(&w, out, "drop");
	event_head_fields(&w, r->time_ns, r->mono_ns, d->skb, d->netns, r->netns_label, d->pid,
			  d->cpu);
	interface_field(&w, "interface", d->ifname);
	jw_string_field(&w, "pkt_type", r->pkt_type);
	jw_string_field(&w, "reason", r->reason);
	jw_name(&w, "reason_code");
	if (d->has_reason)
		jw_uint(&w, d->reason);
	else
		jw_null(&w);
	jw_string_field(&w, "location", r->location);
	snprintf(text, sizeof(text), "0x%016llx", (unsigned long long)d->location);
	jw_string_field(&w, "location_address", text);
	packet_fields(&w, &r->packet);
	jw_name(&w, "packet_id"); /* tracking: the tracked packet's, null when not tracked */
	if (d->packet_id)
		jw_uint(&w, d->packet_id);
	else
		jw_null(&w);
	tie_field(&w, r);
	stack_field(&w, r->stack);
	jw_object_end(&w);
	return jw_end_line(&w);
}
