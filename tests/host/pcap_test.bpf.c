// SPDX-License-Identifier: GPL-2.0
/* pcap_run() as the kernel runs it, on the bytes of a BPF_PROG_TEST_RUN packet (pcap_tests.c). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "pcap_run.h"

const volatile __u32 nr_insns = 0;
const volatile struct pcap_insn insns[PCAP_MAX_INSNS] = {};
/* Leading bytes that are not part of the packet: the Ethernet header test runs need. */
const volatile __u32 skip = 0;
/* The packet's length: the test-run data is padded (the kernel refuses short IP frames). */
__u32 packet_len = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8[PCAP_SNAP_LEN]);
} snapshot SEC(".maps");

/* Returns 1 when the filter accepts the packet, 0 when it rejects it. */
SEC("tc")
int run_filter(struct __sk_buff *skb)
{
	__u32 zero = 0, len;
	__u8 *buf = bpf_map_lookup_elem(&snapshot, &zero);
	__u64 cap;

	if (!buf || skb->len < skip || skb->len - skip < packet_len)
		return -1;
	len = packet_len;
	cap = len < PCAP_SNAP_LEN ? len : PCAP_SNAP_LEN;
	barrier_var(cap); /* else clang hands the helper len, whose bounds the verifier lost */
	if (cap && (cap > PCAP_SNAP_LEN || bpf_skb_load_bytes(skb, skip, buf, cap)))
		return -1;
	return pcap_run(insns, nr_insns, buf, cap, len);
}

char LICENSE[] SEC("license") = "GPL";
