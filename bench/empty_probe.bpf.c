// SPDX-License-Identifier: GPL-2.0
/* The floor for `make bench`: programs on ipt_do_table that do nothing. */
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

char LICENSE[] SEC("license") = "GPL";
