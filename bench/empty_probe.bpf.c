// SPDX-License-Identifier: GPL-2.0
/*
 * The floors for `make bench`: programs on ipt_do_table that do nothing, and exit programs that
 * only send a record the size of the tool's event per call (what any per-call tracer pays).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("fentry/ipt_do_table")
int BPF_PROG(empty_fentry)
{
	return 0;
}

SEC("fexit/ipt_do_table")
int BPF_PROG(empty_fexit)
{
	return 0;
}

SEC("kprobe/ipt_do_table")
int BPF_KPROBE(empty_kprobe)
{
	return 0;
}

SEC("kretprobe/ipt_do_table")
int BPF_KRETPROBE(empty_kretprobe)
{
	return 0;
}

#define RECORD_BYTES 352 /* a filter-table call's event without hits: head, "filter", "INPUT" */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} records SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8[RECORD_BYTES]);
} record_buffer SEC(".maps");

/* Like the tool: no wakeup per record, the reader polls. */
static __always_inline int send_record(void)
{
	__u32 zero = 0;
	void *record = bpf_map_lookup_elem(&record_buffer, &zero);

	if (record)
		bpf_ringbuf_output(&records, record, RECORD_BYTES, BPF_RB_NO_WAKEUP);
	return 0;
}

SEC("fexit/ipt_do_table")
int BPF_PROG(record_fexit)
{
	return send_record();
}

SEC("kretprobe/ipt_do_table")
int BPF_KRETPROBE(record_kretprobe)
{
	return send_record();
}

char LICENSE[] SEC("license") = "GPL";
