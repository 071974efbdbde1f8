// SPDX-License-Identifier: GPL-2.0
/* The tracking table (track.bpf.h) as the kernel runs it, one operation per BPF_PROG_TEST_RUN. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "skbtracer.h"
#include "counters.bpf.h"
#include "track.bpf.h"
#include "track_test.h"

/* The operation and its arguments, set by track_tests.c before each run. */
__u32 op = 0;
__u64 skb = 0, copy = 0, cause = 0, now = 0;
/* TRACK_START: the new id; TRACK_LOOKUP: the slot's packet, all zero when skb is not tracked. */
struct tracked_packet found = {};

SEC("tc")
int run_op(struct __sk_buff *ctx)
{
	const struct track_slot *slot;
	struct tracked_packet none = {};

	switch (op) {
	case TRACK_START:
		found = none;
		found.id = track_start(skb, cause, now);
		break;
	case TRACK_LOOKUP:
		slot = track_lookup(skb);
		found = slot ? slot->packet : none;
		break;
	case TRACK_FORGET:
		track_forget(skb);
		break;
	case TRACK_COPY:
		track_copy(skb, copy);
		break;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
