/* SPDX-License-Identifier: Apache-2.0 */
#ifndef NFT_TRACE_SWITCH_H
#define NFT_TRACE_SWITCH_H

#include <stdbool.h>
#include <stddef.h>

#define NFT_TRACE_SWITCH_TABLE "skbtracer_iptables_trace"

/*
 * Switches the kernel's nftables tracing on (the nft_trace_enabled static key) by adding a
 * table of the tool's own whose only chain is hooked nowhere: no packet ever runs it.
 */
bool nft_trace_switch_on(char *err, size_t err_len);
/* Removes that table again. */
bool nft_trace_switch_off(void);

#endif
