/* SPDX-License-Identifier: Apache-2.0 */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/types.h>
#include "lost.h"
#include "record.h"

/*
 * --summary: events counted per table call (engine, family, table, chain, hook, verdict) and
 * per deciding rule. Pure: records in, counts out; the caller serialises access.
 */

/* Events of one engine, family, table, chain, hook and verdict. */
struct summary_table_row {
	char engine[16], family[16], table[NAME_LEN + 1], chain[NAME_LEN + 1], hook[16];
	char verdict[16]; /* "DROP", "ACCEPT", ... */
	__u64 count;
};

/* Events one rule decided: the rule as the record named it (its text copied). */
struct summary_rule_row {
	char engine[16], family[16], table[NAME_LEN + 1], verdict[16];
	bool nft;
	struct rule_step rule; /* chain and text: copies the row owns (rows move when sorted) */
	__u64 count;
};

struct summary {
	struct summary_table_row *tables;
	int nr_tables, cap_tables;
	struct summary_rule_row *rules;
	int nr_rules, cap_rules;
	__u64 events;
	__u64 rule_unknown;	 /* events whose rule could not be named */
	__u64 first_ns, last_ns; /* monotonic times of the first and last event */
};

void summary_init(struct summary *s);
void summary_free(struct summary *s);
/* Counts one event; -1 when out of memory (the event is still in the totals). */
int summary_add(struct summary *s, const struct trace_record *r);
/* Sorts for display: rules that drop first, then by count; tables by count. */
void summary_sort(struct summary *s);
/*
 * A text block; elapsed_sec is what the rates divide by (at least 1 ms is assumed). On a
 * terminal the screen is cleared first (ANSI: cursor home, erase), so that each block replaces
 * the last; elsewhere a blank line ends the block.
 */
void summary_render_text(FILE *out, const struct summary *s, double elapsed_sec,
			 const struct lost_counts *lost, bool terminal);
/* One JSON object on one line: {"schema_version":1,"type":"summary",...}. */
int summary_render_json(FILE *out, const struct summary *s, double elapsed_sec,
			const struct lost_counts *lost);

#endif
