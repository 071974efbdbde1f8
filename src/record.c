// SPDX-License-Identifier: Apache-2.0
/* Decodes an event's fields once, for every renderer. */
#include <string.h>
#include "format.h"
#include "options.h"
#include "record.h"

#define NF_VERDICT_MASK 0xff
#define NF_VERDICT_QBITS 16

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
	memset(r, 0, offsetof(struct trace_record, rule));
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

bool event_known(const void *data, size_t size)
{
	const struct event *e = data;

	return size >= sizeof(*e) && e->kind == EVENT_TABLE_CALL &&
	       e->version == EVENT_TABLE_CALL_VERSION;
}
