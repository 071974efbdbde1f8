/* SPDX-License-Identifier: Apache-2.0 */
#ifndef DROP_REASON_H
#define DROP_REASON_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct btf;

/* What the running kernel's BTF says about the skb:kfree_skb tracepoint. */
struct drop_reasons {
	bool has_reason;   /* the tracepoint passes a reason (5.17+) */
	bool has_consumed; /* enum skb_drop_reason has SKB_CONSUMED (a normal free) */
	__u32 consumed;	   /* its value */
	size_t count;	   /* names of enum skb_drop_reason, prefix stripped */
	struct drop_reason_name {
		__u32 value;
		char *name;
	} * names;
};

/* Reads btf_trace_kfree_skb's parameters and enum skb_drop_reason; 0, or -ENOMEM. */
int drop_reasons_load(const struct btf *btf, struct drop_reasons *dr);
void drop_reasons_free(struct drop_reasons *dr);
/* "IP_RPFILTER" for SKB_DROP_REASON_IP_RPFILTER; NULL when the kernel's enum lacks value. */
const char *drop_reason_name(const struct drop_reasons *dr, __u32 value);

#endif
