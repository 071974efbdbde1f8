// SPDX-License-Identifier: Apache-2.0
/* Decodes an event's fields once, for every renderer. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include "format.h"
#include "options.h"
#include "record.h"

#ifndef NF_VERDICT_MASK
#define NF_VERDICT_MASK 0xff
#endif
#define NF_VERDICT_QBITS 16
/* enum ip_conntrack_info since Linux 4.14 (no ct, untracked); older uapi headers lack it. */
#define IP_CT_UNTRACKED 7

/* The verdict's code; NF_STOLEN carrying an errno is a drop (the skb was freed, 6.x). */
static const char *verdict_code_name(__u32 verdict)
{
	static const char *const codes[] = {
		"DROP", "ACCEPT", "STOLEN", "QUEUE", "REPEAT", "STOP"
	};
	unsigned int code = verdict & NF_VERDICT_MASK;

	if (code == 2 && verdict >> NF_VERDICT_QBITS)
		return "DROP";
	return code < sizeof(codes) / sizeof(codes[0]) ? codes[code] : "UNKNOWN";
}

/* NF_DROP_ERR(), or NF_STOLEN once the skb was freed (6.x): the errno above the code. */
static const char *verdict_reason(__u32 verdict)
{
	unsigned int code = verdict & NF_VERDICT_MASK, arg = verdict >> NF_VERDICT_QBITS;

	if ((code == 0 || code == 2) && arg)
		return strerrorname_np((int)arg);
	return NULL;
}

void record_build(struct trace_record *r, const struct event *e, __s64 realtime_off_ns)
{
	memset(r, 0, offsetof(struct trace_record, rule)); /* stack: NULL */
	r->rule.status = ATTRIBUTION_NOT_TRACKED;
	r->rule.reason[0] = '\0';
	r->rule.nft = false;
	r->rule.base_chain[0] = '\0';
	r->rule.decider = (struct rule_step){ 0 };
	r->rule.nr_path = 0;
	r->rule.nr_matched = 0;
	r->netns_label = NULL;
	r->ev = e;
	r->mono_ns = e->ts_ns;
	r->time_ns = e->ts_ns + (__u64)realtime_off_ns;
	r->engine = e->engine < ENGINE_MAX ? engine_name(e->engine) : "unknown";
	r->family = family_name(e->family);
	r->hook = family_hook_name(e->family, e->hook);
	r->pkt_type = pkt_type_name(e->pkt_type);
	r->verdict_code = verdict_code_name(e->verdict);
	format_verdict(e->verdict, r->verdict, sizeof(r->verdict));
	r->verdict_reason = verdict_reason(e->verdict);
	/* conntrack follows IPv4 and IPv6 only (ARP, other frames: no state) */
	if (e->l3proto != ETHERTYPE_IPV4 && e->l3proto != ETHERTYPE_IPV6)
		return;
	r->ct_state = ct_state_name(e->ct, e->ctinfo);
	r->ct_reply = e->ct && e->ctinfo >= IP_CT_IS_REPLY;
	r->ct_state_after =
		e->flags & EVENT_HAS_AFTER ? ct_state_name(e->ct_after, e->ctinfo_after) : NULL;
}

const char *ct_state_name(__u64 ct, __u8 ctinfo)
{
	if (!ct)
		return ctinfo == IP_CT_UNTRACKED ? "UNTRACKED" : "INVALID";
	switch (ctinfo) {
	case IP_CT_ESTABLISHED:
	case IP_CT_ESTABLISHED_REPLY:
		return "ESTABLISHED";
	case IP_CT_RELATED:
	case IP_CT_RELATED_REPLY:
		return "RELATED";
	case IP_CT_NEW:
		return "NEW";
	default:
		return "INVALID";
	}
}

/* The word after the last " -j " (iptables-save), or the nft statement keyword. */
const char *nat_target_of(const char *text, bool nft)
{
	static const char *const targets[] = { "MASQUERADE", "REDIRECT", "SNAT", "DNAT" };
	static const char *const statements[] = { "masquerade", "redirect", "snat", "dnat" };
	const char *p, *last = NULL;
	bool quoted = false;

	if (!text)
		return NULL;
	if (!nft) {
		for (p = strstr(text, " -j "); p; p = strstr(p + 1, " -j "))
			last = p + 4;
		for (size_t i = 0; last && i < sizeof(targets) / sizeof(targets[0]); i++) {
			size_t len = strlen(targets[i]);

			if (!strncmp(last, targets[i], len) && (!last[len] || last[len] == ' '))
				return targets[i];
		}
		return NULL;
	}
	/* nft: a statement is a whole word outside a quoted string (comments are quoted) */
	for (p = text; *p; p++) {
		if (*p == '"')
			quoted = !quoted;
		if (quoted || (p != text && p[-1] != ' '))
			continue;
		for (size_t i = 0; i < sizeof(statements) / sizeof(statements[0]); i++) {
			size_t len = strlen(statements[i]);

			if (!strncmp(p, statements[i], len) && (!p[len] || p[len] == ' '))
				return targets[i];
		}
	}
	return NULL;
}

static bool has_ports(__u8 protonum)
{
	return protonum == IPPROTO_TCP || protonum == IPPROTO_UDP || protonum == IPPROTO_SCTP ||
	       protonum == IPPROTO_DCCP || protonum == IPPROTO_UDPLITE;
}

/* "10.0.0.1", "10.0.0.1:80", "[2001:db8::1]:80" */
static void endpoint(const __u8 *addr, int port, bool ipv6, char *text, size_t len, char *addr_text,
		     size_t addr_len)
{
	if (!inet_ntop(ipv6 ? AF_INET6 : AF_INET, addr, addr_text, addr_len))
		snprintf(addr_text, addr_len, "?");
	if (port < 0)
		snprintf(text, len, "%s", addr_text);
	else
		snprintf(text, len, ipv6 ? "[%s]:%d" : "%s:%d", addr_text, port);
}

void record_nat(struct trace_record *r)
{
	const struct event *e = r->ev;
	const struct ct_tuple *orig = &e->nat_orig, *reply = &e->nat_reply;
	bool ipv6 = e->ct_l3num == PF_FAMILY_IPV6, ports = has_ports(e->ct_protonum);
	int alen = ipv6 ? 16 : 4;
	struct nat_change *n = &r->nat;
	const __u8 *from, *to;
	int from_port, to_port;
	const char *target;

	n->kind = NULL;
	if (!(e->flags & EVENT_HAS_NAT))
		return;
	/* Each nat hook sets up one binding: destination before routing, source after. */
	if (e->hook == NF_INET_PRE_ROUTING || e->hook == NF_INET_LOCAL_OUT) {
		n->kind = "DNAT";
		from = orig->dst, from_port = orig->dport;
		to = reply->src, to_port = reply->sport;
	} else if (e->hook == NF_INET_POST_ROUTING || e->hook == NF_INET_LOCAL_IN) {
		n->kind = "SNAT";
		from = orig->src, from_port = orig->sport;
		to = reply->dst, to_port = reply->dport;
	} else {
		return;
	}
	if (!memcmp(from, to, alen) && (!ports || from_port == to_port)) {
		n->kind = NULL;
		return;
	}
	target = r->rule.status == ATTRIBUTION_OK ? nat_target_of(r->rule.decider.text, r->rule.nft)
						  : NULL;
	if (target && (!strcmp(n->kind, "DNAT") ? !strcmp(target, "REDIRECT")
						: !strcmp(target, "MASQUERADE")))
		n->kind = target;
	n->from_port = ports ? from_port : -1;
	n->to_port = ports ? to_port : -1;
	endpoint(from, n->from_port, ipv6, n->from, sizeof(n->from), n->from_addr,
		 sizeof(n->from_addr));
	endpoint(to, n->to_port, ipv6, n->to, sizeof(n->to), n->to_addr, sizeof(n->to_addr));
}

const char *attribution_status_name(enum attribution_status status)
{
	switch (status) {
	case ATTRIBUTION_OK:
		return "ok";
	case ATTRIBUTION_UNKNOWN:
		return "unknown";
	default:
		return "not_tracked";
	}
}

__u32 event_known(const void *data, size_t size)
{
	const struct event *e = data;
	const struct drop_event *d = data;

	if (size >= sizeof(*e) && e->kind == EVENT_TABLE_CALL &&
	    e->version == EVENT_TABLE_CALL_VERSION)
		return EVENT_TABLE_CALL;
	if (size >= sizeof(*d) && d->kind == EVENT_DROP && d->version == EVENT_DROP_VERSION)
		return EVENT_DROP;
	return 0;
}

/* A NUL-terminated string of at most NAME_LEN bytes from *at; false when there is none. */
static bool take_name(const char **at, const char *end, char name[NAME_LEN])
{
	size_t room = end - *at < NAME_LEN ? (size_t)(end - *at) : NAME_LEN;
	size_t len = strnlen(*at, room);

	if (len == room)
		return false;
	memcpy(name, *at, len + 1);
	*at += len + 1;
	return true;
}

bool event_decode(const void *data, size_t size, struct event *out)
{
	const char *at = (const char *)data + EVENT_WIRE_HEAD, *end = (const char *)data + size;
	const char *legacy = out->legacy_table;
	unsigned int max, entry;
	size_t hits;

	if (size < EVENT_WIRE_HEAD)
		return false;
	memset(out, 0, sizeof(*out));
	memcpy(out, data, EVENT_WIRE_HEAD);
	if (out->kind != EVENT_TABLE_CALL || out->version != EVENT_TABLE_CALL_VERSION)
		return false;
	max = out->engine == ENGINE_NFTABLES ? MAX_NFT_STEPS : MAX_RULE_HITS;
	entry = out->engine == ENGINE_NFTABLES ? sizeof(struct nft_step) : sizeof(struct rule_hit);
	hits = (size_t)(out->nr_hits < max ? out->nr_hits : max) * entry;
	if (hits > (size_t)(end - at))
		return false;
	memcpy(out->hits, at, hits);
	at += hits;
	if (out->engine == ENGINE_NFTABLES) {
		if (!take_name(&at, end, out->table) || !take_name(&at, end, out->chain))
			return false;
	} else if (!take_name(&legacy, legacy + sizeof(out->legacy_table), out->table)) {
		return false;
	}
	/* the perf buffer pads its records to 8 bytes with zeros */
	for (; at < end; at++) {
		if (*at || end - at >= 8)
			return false;
	}
	return true;
}

/* The drop's columns in a table call's layout, so the seed's formatters print them. */
static void drop_columns(struct event *e, const struct drop_event *d)
{
	_Static_assert(offsetof(struct event, pad) + sizeof(e->pad) -
				       offsetof(struct event, flags) ==
			       sizeof(struct packet_fields),
		       "struct packet_fields is the packet part of struct event");
	memset(e, 0, offsetof(struct event, hits));
	e->kind = d->kind;
	e->ts_ns = d->ts_ns;
	e->skb = d->skb;
	e->netns = d->netns;
	e->pid = d->pid;
	e->cpu = d->cpu;
	memcpy(&e->flags, &d->packet, sizeof(d->packet));
	memcpy(e->in_ifname, d->ifname, sizeof(e->in_ifname));
	e->stack_id = d->stack_id;
}

void drop_record_build(struct drop_record *r, const struct drop_event *d, __s64 realtime_off_ns,
		       const struct drop_reasons *reasons, const struct ksyms *ks)
{
	const struct drop_tie_info *t = &d->tie;

	r->ev = d;
	drop_columns(&r->packet, d);
	r->mono_ns = d->ts_ns;
	r->time_ns = d->ts_ns + (__u64)realtime_off_ns;
	r->pkt_type = pkt_type_name(d->packet.pkt_type);
	r->reason = d->has_reason ? drop_reason_name(reasons, d->reason) : NULL;
	ksyms_name(ks, d->location, r->location, sizeof(r->location));
	r->tie_engine = t->engine < ENGINE_MAX ? engine_name(t->engine) : "unknown";
	r->tie_family = family_name(t->family);
	r->tie_hook = family_hook_name(t->family, t->hook);
	r->tie_verdict_code = verdict_code_name(t->verdict);
	format_verdict(t->verdict, r->tie_verdict, sizeof(r->tie_verdict));
	r->stack = NULL;
	r->netns_label = NULL;
}

/* The tool's own frames: its programs (unnamed) and the tracing code that ran them. */
static bool tracing_frame(const char *frame)
{
	static const char *const prefixes[] = {
		"0x",
		"bpf_prog_",
		"bpf_trace_run",
		"__bpf_trace_",
		"bpf_trampoline_",
		"__traceiter_",
		"trace_call_bpf",
		"kprobe_",
		"__kprobe",
		"kretprobe",
		"__kretprobe",
		"rethook",
		"arch_rethook",
		"trampoline_handler",
		"perf_trace_",
		"ftrace_",
	};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		if (!strncmp(frame, prefixes[i], strlen(prefixes[i])))
			return true;
	}
	return false;
}

void stack_record_build(struct stack_record *s, const __u64 *ips, int n, const struct ksyms *ks)
{
	int first = 0;

	s->count = 0;
	if (n > STACK_DEPTH)
		n = STACK_DEPTH;
	/* leading frames only: below them is the kernel's own path (named, when ks is) */
	for (; first < n && ks && !ksyms_hidden(ks); first++) {
		ksyms_name(ks, ips[first], s->frames[0], sizeof(s->frames[0]));
		if (!tracing_frame(s->frames[0]))
			break;
	}
	for (int i = first; i < n; i++)
		ksyms_name(ks, ips[i], s->frames[s->count++], sizeof(s->frames[0]));
}
