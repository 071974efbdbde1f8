/* SPDX-License-Identifier: Apache-2.0 */
#ifndef GROUP_H
#define GROUP_H

#include <stdio.h>
#include <linux/types.h>
#include "format.h"
#include "record.h"

/*
 * --group: one block per packet (tracking's packet id) instead of a line per call, printed when
 * the packet's journey is over: no call for GROUP_IDLE_NS, or at exit:
 *
 *   [11:53:11] packet 4: T_SYN:10.36.1.2:52650->10.96.0.10:80 in netns 4026532189
 *     PREROUTING mangle -> nat DNAT(10.96.0.10:80 -> 10.36.2.2:8080) -> FORWARD filter ACCEPT
 *     -> POSTROUTING nat MASQUERADE(...) -> out v-be
 */
#define GROUP_IDLE_NS 1000000000ULL
#define GROUP_MAX_OPEN 4096 /* more packets in flight: the oldest is printed early */

struct packet_group;

struct grouper {
	struct packet_group *first; /* oldest first */
	struct packet_group *last;
	unsigned int open;
	const struct time_format *tf;
};

/* Adds the call to its packet's block; < 0 when out cannot be written (or out of memory). */
int group_add(struct grouper *g, FILE *out, const struct trace_record *r);
/* Prints and forgets the blocks whose last call is older than idle_ns at now_ns (monotonic). */
int group_flush_idle(struct grouper *g, FILE *out, __u64 now_ns, __u64 idle_ns);
/*
 * A drop of a tracked packet: the end of its block, " -> dropped reason=R at PLACE", printed
 * now (or, for a drop inside an nftables chain, whose line comes next, when idle). A drop of no
 * tracked packet, or of one with no block, is not shown. < 0 when out cannot be written.
 */
int group_drop(struct grouper *g, FILE *out, const struct drop_record *r);
/* Prints every block still open (exit). */
int group_flush_all(struct grouper *g, FILE *out);
void group_free(struct grouper *g);
/* One call as a step of the journey: "nat DNAT(a -> b)", "filter ACCEPT", "mine/in_c DROP". */
void group_step(const struct trace_record *r, char *buf, size_t len);

#endif
