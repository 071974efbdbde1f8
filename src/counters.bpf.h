/* SPDX-License-Identifier: GPL-2.0 */
/* The per-CPU counters user space reports (enum counter), and how programs add to them. */
#ifndef COUNTERS_BPF_H
#define COUNTERS_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, COUNTER_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

static __always_inline void count_by(enum counter which, __u64 amount)
{
	__u32 key = which;
	__u64 *value = bpf_map_lookup_elem(&counters, &key);

	if (value)
		*value += amount;
}

static __always_inline void count(enum counter which)
{
	count_by(which, 1);
}

#endif
