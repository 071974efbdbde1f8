/* SPDX-License-Identifier: Apache-2.0 */
#ifndef LOST_H
#define LOST_H

#include <stdio.h>
#include <linux/types.h>
#include "json_writer.h"
#include "tracer.h"

/* Events that never reached the output, by cause: only ring_full is the reader's fault. */
struct lost_counts {
	__u64 ring_full;  /* the ring (or perf) buffer was full */
	__u64 unpaired;	  /* the call's exit was never seen */
	__u64 too_deep;	  /* more calls nested on one CPU than the tool follows */
	__u64 queue_full; /* the printer's queue was full: the printer fell behind */
	/* the kernel's recursion protection skipped the tool's program (filtered or not) */
	__u64 recursion_entries;
	__u64 recursion_exits;
	/* not lost events: tracked packets pushed out of the tracking table by newer ones */
	__u64 track_evicted;
	/* --stack: events shown without their stack (map full, or another stack's bucket) */
	__u64 stacks_missed;
	/* not lost events: table calls shown without a named rule, over the --rules-budget */
	__u64 over_budget;
};

/* The kernel-side causes; queue_full is the caller's to fill. */
void lost_read(struct tracer *t, struct lost_counts *counts);
/* Events known lost: ring_full + unpaired + too_deep + queue_full. */
__u64 lost_total(const struct lost_counts *counts);
/* One stderr line per cause that grew since *reported (and evictions); updates *reported. */
void lost_report_progress(FILE *out, const struct lost_counts *now, struct lost_counts *reported);
/* The causes of the exit summary's "N lost", and the recursion misses; nothing if all are 0. */
void lost_report_causes(FILE *out, const struct lost_counts *counts);
/* The counts as members of the object being written: "total", "ring_full", ... */
void lost_write_json(struct json_writer *w, const struct lost_counts *counts);

#endif
