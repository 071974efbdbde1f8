/* SPDX-License-Identifier: Apache-2.0 */
#ifndef RECORD_H
#define RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "drop_reason.h"
#include "ksyms.h"
#include "netns_names.h"
#include "skbtracer.h"
#include "xt_blob.h"

/*
 * One decoded event: what every renderer (text, JSON, summary) reads. Built once per event by
 * record_build() (packet and table fields) and rules_attribute() (which rule decided).
 */

enum attribution_status {
	ATTRIBUTION_NOT_TRACKED, /* no attribution for this engine, or --no-rules */
	ATTRIBUTION_OK,		 /* decider (and path, matched) are set */
	ATTRIBUTION_UNKNOWN,	 /* reason says why no rule is named */
};

enum rule_step_kind {
	RULE_STEP_RULE,	  /* a rule: chain and number (legacy) or handle (nftables) */
	RULE_STEP_POLICY, /* a base chain's policy; text is the policy ("DROP", "drop") */
	RULE_STEP_RETURN, /* the end of a user chain (implicit return) */
};

/* One entry of the attribution. The strings belong to the rules cache: valid until its next use. */
struct rule_step {
	enum rule_step_kind kind;
	const char *chain; /* NULL when unknown */
	int number;	   /* legacy: rule number in its chain, as iptables -L --line-numbers */
	__u64 handle;	   /* nftables: the rule's handle */
	const char *text;  /* the rule as iptables-save/nft prints it, or NULL */
};

/* Matched entries recorded for -v; a legacy path has at most XT_MAX_PATH. */
#define RECORD_MAX_STEPS XT_MAX_PATH

struct attribution {
	enum attribution_status status;
	char reason[256];	       /* ATTRIBUTION_UNKNOWN: why */
	bool nft;		       /* steps name handles, not numbers */
	char base_chain[NAME_LEN + 1]; /* nftables: the event's base chain */
	struct rule_step decider;
	struct rule_step path[RECORD_MAX_STEPS]; /* jumps leading to the decider, outermost first */
	int nr_path;
	struct rule_step matched[RECORD_MAX_STEPS]; /* every matched entry, in order */
	int nr_matched;
};

/* What a nat call's NAT binding changed: "DNAT 10.96.0.10:53 -> 10.244.1.5:53". */
struct nat_change {
	const char *kind; /* "DNAT", "REDIRECT", "SNAT", "MASQUERADE"; NULL: none */
	char from[64];	  /* "10.96.0.10", "10.96.0.10:53", "[2001:db8::1]:53" */
	char from_addr[48];
	int from_port; /* -1: a protocol without ports */
	char to[64];
	char to_addr[48];
	int to_port;
};

/* --stack: a kernel stack, innermost frame first, each "function+0xoff". */
struct stack_record {
	int count;
	char frames[STACK_DEPTH][160];
};

struct trace_record {
	/* The raw fields: addresses, ports, names as the kernel sent them. */
	const struct event *ev;
	__u64 time_ns; /* wall clock (CLOCK_REALTIME) of the table's entry */
	__u64 mono_ns; /* monotonic, as the kernel measured it */
	/* Names: "iptables"; "ip", "inet", "bridge"; "INPUT", "INGRESS"; "HOST", "OUTGOING". */
	const char *engine;
	const char *family;
	const char *hook;
	const char *pkt_type;
	/* "DROP" (NF_STOLEN with an errno too), "ACCEPT", "STOLEN", "QUEUE", ..., "UNKNOWN" */
	const char *verdict_code;
	char verdict[48];		  /* the text column's: "DROP(EPERM)", "QUEUE(num=5)" */
	const char *verdict_reason;	  /* the errno name of a drop with an error, or NULL */
	const struct stack_record *stack; /* --stack and a DROP verdict, else NULL */
	/* Conntrack as the conntrack match sees it: "NEW", ..., "INVALID", "UNTRACKED"; NULL: not IP */
	const char *ct_state;
	bool ct_reply;		    /* the packet goes in the connection's reply direction */
	const char *ct_state_after; /* at the table's exit; NULL when not read (stolen) */
	struct nat_change nat;	    /* set by record_nat() */
	struct attribution rule;
	/* --netns-names: what the namespace is called (netns_names.h); NULL when not asked for. */
	const struct netns_label *netns_label;
};

/* A drop outside the tables (skb:kfree_skb), decoded once for every renderer. */
struct drop_record {
	const struct drop_event *ev;
	struct event packet; /* its packet and columns as a table call's, for the formatters */
	__u64 time_ns;
	__u64 mono_ns;
	const char *pkt_type;
	const char *reason; /* "IP_RPFILTER"; NULL without a reason or a name for it */
	char location[160]; /* "ip_rcv_finish_core+0x1a4", "0xffffffff81234567" */
	/* The netfilter call the drop belongs to (tie is not DROP_TIE_NONE). */
	const char *tie_engine;
	const char *tie_family;
	const char *tie_hook;
	const char *tie_verdict_code; /* DROP_TIE_AFTER: "DROP" */
	char tie_verdict[48];
	const struct stack_record *stack; /* --stack, else NULL */
	/* --netns-names: what the namespace is called; NULL when not asked for. */
	const struct netns_label *netns_label;
};

/*
 * Fills every field but rule (status ATTRIBUTION_NOT_TRACKED) and netns_label (NULL);
 * realtime_off: REALTIME-MONO.
 */
void record_build(struct trace_record *r, const struct event *e, __s64 realtime_off_ns);
/* After rules_attribute(): the NAT a nat call set up, named by its rule's target if known. */
void record_nat(struct trace_record *r);
/* The state conntrack matching sees for skb->_nfct's entry (0: none) and ctinfo. */
const char *ct_state_name(__u64 ct, __u8 ctinfo);
/* The target of a rule's text: "MASQUERADE" for "-A P -o e -j MASQUERADE" or "masquerade". */
const char *nat_target_of(const char *rule_text, bool nft);
/* The kind of a record whose layout this program reads (enum event_kind), or 0 to skip it. */
__u32 event_known(const void *data, size_t size);
/*
 * A table call as the kernel sends it (sized to what it carries, EVENT_WIRE_HEAD) into *out;
 * false when it is not one or is malformed.
 */
bool event_decode(const void *data, size_t size, struct event *out);
/* Fills every field of r but stack and netns_label; reasons and ks name reason and location. */
void drop_record_build(struct drop_record *r, const struct drop_event *d, __s64 realtime_off_ns,
		       const struct drop_reasons *reasons, const struct ksyms *ks);
/*
 * Names n addresses (NULL ks: addresses only), leaving out the leading frames of the tool's
 * programs and the tracing code that called them.
 */
void stack_record_build(struct stack_record *s, const __u64 *ips, int n, const struct ksyms *ks);
const char *attribution_status_name(enum attribution_status status);

#endif
