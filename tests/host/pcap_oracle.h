/* SPDX-License-Identifier: Apache-2.0 */
#ifndef PCAP_ORACLE_H
#define PCAP_ORACLE_H

#include <stdbool.h>
#include "pcap_run.h"

/* libpcap's own bpf_filter() on the packet (apart: pcap.h and linux/bpf.h both name bpf_insn). */
bool libpcap_accepts(const struct pcap_insn *insns, const __u8 *packet, __u32 wire_len,
		     __u32 cap_len);

#endif
