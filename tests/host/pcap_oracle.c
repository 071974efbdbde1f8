// SPDX-License-Identifier: Apache-2.0
#include <pcap/pcap.h>
#include "pcap_oracle.h"

bool libpcap_accepts(const struct pcap_insn *insns, const __u8 *packet, __u32 wire_len,
		     __u32 cap_len)
{
	return bpf_filter((const struct bpf_insn *)insns, packet, wire_len, cap_len) != 0;
}
