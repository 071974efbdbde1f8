// SPDX-License-Identifier: Apache-2.0
/* Counts events lost on the way to the output and says whose fault each one was. */
#include <string.h>
#include "lost.h"

void lost_read(struct tracer *t, struct lost_counts *counts)
{
	__u64 counters[COUNTER_MAX] = {};

	if (tracer_read_counters(t, counters))
		memset(counters, 0, sizeof(counters));
	counts->ring_full = counters[COUNTER_LOST];
	counts->unpaired = counters[COUNTER_UNPAIRED];
	counts->too_deep = counters[COUNTER_TOO_DEEP];
	counts->track_evicted = counters[COUNTER_EVICTED];
	counts->stacks_missed = counters[COUNTER_STACK_LOST];
	counts->over_budget = counters[COUNTER_OVER_BUDGET];
	tracer_recursion_misses(t, &counts->recursion_entries, &counts->recursion_exits);
}

__u64 lost_total(const struct lost_counts *c)
{
	return c->ring_full + c->unpaired + c->too_deep + c->queue_full;
}

/* "Lost 3 events (7 in total): why" */
static void report(FILE *out, const char *verb, const char *noun, __u64 now, __u64 *reported,
		   const char *why)
{
	if (now == *reported)
		return;
	fprintf(out, "%s %llu %s (%llu in total): %s\n", verb,
		(unsigned long long)(now - *reported), noun, (unsigned long long)now, why);
	*reported = now;
}

void lost_report_progress(FILE *out, const struct lost_counts *now, struct lost_counts *reported)
{
	__u64 missed = now->recursion_entries + now->recursion_exits;
	__u64 missed_before = reported->recursion_entries + reported->recursion_exits;

	report(out, "Lost", "events", now->ring_full, &reported->ring_full,
	       "the reader could not keep up");
	report(out, "Lost", "events", now->unpaired, &reported->unpaired,
	       "their exit was never seen (not the reader's fault)");
	report(out, "Lost", "events", now->too_deep, &reported->too_deep,
	       "more calls nested on one CPU than the tool follows (not the reader's fault)");
	report(out, "Lost", "events", now->queue_full, &reported->queue_full,
	       "the printer could not keep up");
	report(out, "Missed", "calls", missed, &missed_before,
	       "the kernel's recursion protection skipped the tool's programs (not the "
	       "reader's fault)");
	report(out, "Evicted", "tracked packets", now->track_evicted, &reported->track_evicted,
	       "newer packets took their places in the tracking table (--track-entries); they "
	       "are shown again only where they match the filter");
	report(out, "Missed", "stacks", now->stacks_missed, &reported->stacks_missed,
	       "the stack map was full or the stack's bucket held another (--stack)");
	report(out, "Skipped", "rule attributions", now->over_budget, &reported->over_budget,
	       "naming rules had used its CPU share (--rules-budget): those events say "
	       "rule=?(budget: ...)");
	reported->recursion_entries = now->recursion_entries;
	reported->recursion_exits = now->recursion_exits;
}

void lost_report_causes(FILE *out, const struct lost_counts *c)
{
	if (lost_total(c))
		fprintf(out,
			"Lost: %llu with the buffer full (the reader could not keep up), %llu "
			"whose exit was never seen, %llu nested too deep, %llu while the printer "
			"could not keep up\n",
			(unsigned long long)c->ring_full, (unsigned long long)c->unpaired,
			(unsigned long long)c->too_deep, (unsigned long long)c->queue_full);
	if (c->recursion_entries || c->recursion_exits)
		fprintf(out,
			"Not seen: %llu calls at entry and %llu at exit skipped by the kernel's "
			"recursion protection (a program of the tool was running on that CPU); "
			"some may not have matched the filter\n",
			(unsigned long long)c->recursion_entries,
			(unsigned long long)c->recursion_exits);
	if (c->track_evicted)
		fprintf(out,
			"Tracking: %llu packets pushed out of the tracking table by newer ones "
			"(--track-entries), followed no further\n",
			(unsigned long long)c->track_evicted);
	if (c->stacks_missed)
		fprintf(out,
			"Stacks: %llu events shown without theirs (the stack map was full or the "
			"stack's bucket held another)\n",
			(unsigned long long)c->stacks_missed);
	if (c->over_budget)
		fprintf(out,
			"Rules: %llu table calls shown without the rule that decided: naming "
			"rules had used its share of the CPU (--rules-budget)\n",
			(unsigned long long)c->over_budget);
}

void lost_write_json(struct json_writer *w, const struct lost_counts *c)
{
	jw_uint_field(w, "total", lost_total(c));
	jw_uint_field(w, "ring_full", c->ring_full);
	jw_uint_field(w, "unpaired", c->unpaired);
	jw_uint_field(w, "too_deep", c->too_deep);
	jw_uint_field(w, "queue_full", c->queue_full);
	jw_uint_field(w, "recursion_entries", c->recursion_entries);
	jw_uint_field(w, "recursion_exits", c->recursion_exits);
	jw_uint_field(w, "track_evicted", c->track_evicted);
	jw_uint_field(w, "stacks_missed", c->stacks_missed);
	jw_uint_field(w, "over_budget", c->over_budget);
}
