/* SPDX-License-Identifier: Apache-2.0 */
#ifndef PCAP_EXPR_H
#define PCAP_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include "pcap_run.h"

#define PCAP_MESSAGE_LEN 384 /* room for pcap's messages with ours around them */

struct pcap_program {
	__u32 len; /* 0: no program */
	struct pcap_insn insns[PCAP_MAX_INSNS];
};

/*
 * A filter expression compiled twice: for packets seen from their network header (IP hooks)
 * and for Ethernet frames (bridge, netdev and ARP hooks). An expression that only makes sense
 * for one of them (`vlan`, `arp`, `ip`) rejects every packet of the other; note says so.
 */
struct pcap_filter {
	bool enabled;
	bool at_ip_hooks; /* l3 can match (else it rejects all: an expression for Ethernet only) */
	struct pcap_program l3, l2;
	char note[512];
};

/*
 * Compiles expr with libpcap; false with pcap's message in err (PCAP_MESSAGE_LEN bytes) when
 * neither link type takes it.
 */
bool pcap_filter_compile(const char *expr, struct pcap_filter *filter, char *err, size_t err_len);

/* Checks a classic BPF program for what pcap_run() needs; false with the reason in err. */
bool pcap_program_check(const struct pcap_insn *insns, __u32 len, char *err, size_t err_len);

#endif
