// SPDX-License-Identifier: Apache-2.0
/* The kernel's own names for why it dropped a packet, and whether it says so, from BTF. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "drop_reason.h"

#define REASON_PREFIX "SKB_DROP_REASON_"

/* The tracepoint's prototype: (void *data, skb, location[, reason[, rx_sk]]). */
static bool tracepoint_has_reason(const struct btf *btf)
{
	__s32 id = btf__find_by_name_kind(btf, "btf_trace_kfree_skb", BTF_KIND_TYPEDEF);
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, id) : NULL;

	if (t)
		t = btf__type_by_id(btf, t->type);
	if (t && btf_is_ptr(t))
		t = btf__type_by_id(btf, t->type);
	return t && btf_is_func_proto(t) && btf_vlen(t) >= 4;
}

int drop_reasons_load(const struct btf *btf, struct drop_reasons *dr)
{
	__s32 id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM);
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, id) : NULL;
	const struct btf_enum *e;

	memset(dr, 0, sizeof(*dr));
	dr->has_reason = tracepoint_has_reason(btf);
	if (!t)
		return 0;
	dr->names = calloc(btf_vlen(t), sizeof(*dr->names));
	if (!dr->names)
		return -ENOMEM;
	e = btf_enum(t);
	for (int i = 0; i < btf_vlen(t); i++) {
		const char *name = btf__name_by_offset(btf, e[i].name_off);

		if (!name)
			continue;
		if (!strcmp(name, "SKB_CONSUMED")) {
			dr->has_consumed = true;
			dr->consumed = e[i].val;
		}
		if (!strncmp(name, REASON_PREFIX, strlen(REASON_PREFIX)))
			name += strlen(REASON_PREFIX);
		else if (!strncmp(name, "SKB_", 4))
			name += 4; /* SKB_NOT_DROPPED_YET, SKB_CONSUMED */
		dr->names[dr->count].value = e[i].val;
		dr->names[dr->count].name = strdup(name);
		if (!dr->names[dr->count].name) {
			drop_reasons_free(dr);
			return -ENOMEM;
		}
		dr->count++;
	}
	return 0;
}

void drop_reasons_free(struct drop_reasons *dr)
{
	for (size_t i = 0; i < dr->count; i++)
		free(dr->names[i].name);
	free(dr->names);
	dr->names = NULL;
	dr->count = 0;
}

const char *drop_reason_name(const struct drop_reasons *dr, __u32 value)
{
	for (size_t i = 0; i < dr->count; i++) {
		if (dr->names[i].value == value)
			return dr->names[i].name;
	}
	return NULL;
}
