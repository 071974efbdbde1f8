/* SPDX-License-Identifier: Apache-2.0 */
#ifndef NFT_TRACE_SWITCH_H
#define NFT_TRACE_SWITCH_H

#include <stdbool.h>
#include <stddef.h>

/* Each instance's table is this prefix, "_", its pid: two instances never share one. */
#define NFT_TRACE_SWITCH_PREFIX "skbtracer_iptables_trace"

/*
 * Switches the kernel's nftables tracing on (the nft_trace_enabled static key) with a table of
 * the tool's own whose only chain, holding `meta nftrace set 1`, is hooked nowhere: no packet
 * ever runs it. It is made over a netlink socket kept open while the program runs; with
 * NFT_TABLE_F_OWNER (5.12+) the kernel deletes the table when that socket closes, however the
 * program ends, and no other process can delete or flush it.
 */
struct nft_trace_switch {
	int sock;
	bool owned; /* the kernel ties the table to the socket */
	unsigned int seq;
	char table[64];
	void (*say)(const char *text); /* a message for the user; NULL: a line on stderr */
};

/* Deletes tables of instances no longer running, then adds this one's. */
int nft_trace_switch_on(struct nft_trace_switch *sw, char *err, size_t err_len);
/*
 * Is the table still there? If not (e.g. `nft flush ruleset` on a kernel without table
 * owners), adds it again. 0: there; 1: was gone, added again; -1: gone, err says why.
 */
int nft_trace_switch_check(struct nft_trace_switch *sw, char *err, size_t err_len);
/* Deletes the table and closes the socket; false when the table could not be deleted. */
bool nft_trace_switch_off(struct nft_trace_switch *sw);

#endif
