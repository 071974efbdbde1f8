// SPDX-License-Identifier: Apache-2.0
/* Lost events are reported by cause; only a full buffer is the reader's fault. */
#include <stdlib.h>
#include "lost.h"
#include "test.h"

/* What the reports print, as one string. */
static void reported(void (*report)(FILE *, const struct lost_counts *, struct lost_counts *),
		     const struct lost_counts *now, struct lost_counts *before, char *buf,
		     size_t len)
{
	FILE *out = fmemopen(buf, len, "w");

	report(out, now, before);
	fclose(out);
}

static void causes(FILE *out, const struct lost_counts *now, struct lost_counts *unused)
{
	(void)unused;
	lost_report_causes(out, now);
}

TEST(lost_progress_by_cause)
{
	struct lost_counts before = {}, now = {
		.ring_full = 3, .too_deep = 2, .recursion_entries = 4, .recursion_exits = 1
	};
	char buf[1024] = "";

	reported(lost_report_progress, &now, &before, buf, sizeof(buf));
	ASSERT_STREQ(buf,
		     "Lost 3 events (3 in total): the reader could not keep up\n"
		     "Lost 2 events (2 in total): more calls nested on one CPU than the tool "
		     "follows (not the reader's fault)\n"
		     "Missed 5 calls (5 in total): the kernel's recursion protection skipped the "
		     "tool's programs (not the reader's fault)\n",
		     "first report");
	now.unpaired = 1;
	reported(lost_report_progress, &now, &before, buf, sizeof(buf));
	ASSERT_STREQ(buf,
		     "Lost 1 events (1 in total): their exit was never seen (not the reader's "
		     "fault)\n",
		     "only what changed");
	now.queue_full = 2;
	reported(lost_report_progress, &now, &before, buf, sizeof(buf));
	ASSERT_STREQ(buf, "Lost 2 events (2 in total): the printer could not keep up\n",
		     "the printer's queue");
	ASSERT_EQ(lost_total(&now), 8,
		  "total: buffer, unpaired, too deep, queue; not recursion misses");
}

TEST(lost_causes_at_exit)
{
	struct lost_counts none = {}, some = { .ring_full = 1, .recursion_exits = 2 };
	char buf[1024] = "";

	reported(causes, &none, NULL, buf, sizeof(buf));
	ASSERT_STREQ(buf, "", "nothing lost, nothing said");
	reported(causes, &some, NULL, buf, sizeof(buf));
	ASSERT_STREQ(
		buf,
		"Lost: 1 with the buffer full (the reader could not keep up), 0 whose exit was "
		"never seen, 0 nested too deep, 0 while the printer could not keep up\n"
		"Not seen: 0 calls at entry and 2 at exit skipped by the kernel's recursion "
		"protection (a program of the tool was running on that CPU); some may not have "
		"matched the filter\n",
		"causes");
}

TEST(lost_tracking_evictions)
{
	struct lost_counts before = {}, now = { .track_evicted = 184 };
	char buf[1024] = "";

	reported(lost_report_progress, &now, &before, buf, sizeof(buf));
	ASSERT_STREQ(buf,
		     "Evicted 184 tracked packets (184 in total): newer packets took their places "
		     "in the tracking table (--track-entries); they are shown again only where "
		     "they match the filter\n",
		     "progress");
	ASSERT_EQ(lost_total(&now), 0, "no event lost");
	reported(causes, &now, NULL, buf, sizeof(buf));
	ASSERT_STREQ(buf,
		     "Tracking: 184 packets pushed out of the tracking table by newer ones "
		     "(--track-entries), followed no further\n",
		     "at exit");
}

/* --stack: events shown without their stack are counted apart from lost events. */
TEST(lost_stacks_missed)
{
	struct lost_counts before = {}, now = { .stacks_missed = 3 };
	char buf[1024] = "";

	reported(lost_report_progress, &now, &before, buf, sizeof(buf));
	ASSERT_STREQ(buf,
		     "Missed 3 stacks (3 in total): the stack map was full or the stack's bucket "
		     "held another (--stack)\n",
		     "while running");
	ASSERT_EQ(lost_total(&now), 0, "the events themselves were shown");
	reported(causes, &now, NULL, buf, sizeof(buf));
	ASSERT_STREQ(buf,
		     "Stacks: 3 events shown without theirs (the stack map was full or the "
		     "stack's bucket held another)\n",
		     "at exit");
}

/* --rules-budget: calls shown without a rule are counted apart from lost events. */
TEST(lost_over_budget)
{
	struct lost_counts before = { .over_budget = 2 }, now = { .over_budget = 7 };
	char buf[1024] = "";

	reported(lost_report_progress, &now, &before, buf, sizeof(buf));
	ASSERT_STREQ(buf,
		     "Skipped 5 rule attributions (7 in total): naming rules had used its CPU "
		     "share (--rules-budget): those events say rule=?(budget: ...)\n",
		     "while running: what is new since the last report");
	ASSERT_EQ(before.over_budget, 7, "now reported");
	ASSERT_EQ(lost_total(&now), 0, "the events themselves were shown");
	reported(causes, &now, NULL, buf, sizeof(buf));
	ASSERT_STREQ(buf,
		     "Rules: 7 table calls shown without the rule that decided: naming rules had "
		     "used its share of the CPU (--rules-budget)\n",
		     "at exit");
}
