/* SPDX-License-Identifier: Apache-2.0 */
#ifndef RENDER_TEXT_H
#define RENDER_TEXT_H

#include <stddef.h>
#include <stdio.h>
#include "format.h"
#include "record.h"

/*
 * The seed's text output. " rule=INPUT#3: -A INPUT ... -j DROP" (with the jumps before it:
 * "CHAIN#1 > sub#2: ..."), " rule=?(why)", or "" when not tracked; with matched, one
 * "    matched ..." line per matched entry.
 */
void render_text_rule(const struct attribution *a, char *rule, size_t rule_len, char *matched,
		      size_t matched_len);
/* One step: "INPUT#3: -A INPUT ...", "sub[handle 4]: ...", "INPUT:policy DROP", "sub:return". */
void render_text_step(bool nft, const struct rule_step *s, bool with_text, char *buf, size_t len);
/* What the text shows beyond the seed's columns. */
struct text_options {
	bool verbose; /* -v: the matched lines */
	bool show_id; /* --show-id: " id=N" */
	bool show_ct; /* --show-ct: " ct=NEW mark=0x0", with "->" what the call changed */
};

/*
 * What comes between the seed's columns and the rule: the opted-in " id=N" and " ct=...", and
 * on a nat call that set up NAT always " nat=[DNAT 10.96.0.10:53 -> 10.244.1.5:53]".
 */
void render_text_extras(const struct trace_record *r, const struct text_options *o, char *buf,
			size_t len);
/* The event's line (and -v's matched lines, --stack's frames); < 0 when out cannot be written. */
int render_text(FILE *out, const struct trace_record *r, const struct time_format *tf,
		const struct text_options *o);
/*
 * A drop's last column: "pkt_type=HOST dropped reason=IP_RPFILTER at ip_rcv_finish_core+0x1a4",
 * then " after filter INPUT DROP" (the verdict it followed) or " in nftables inet filter input"
 * (the call that freed it).
 */
void render_text_drop_info(const struct drop_record *r, char *buf, size_t len);
/*
 * A drop's line in the seed's columns, " id=N" at the end with --show-id for a tracked packet
 * (and --stack's frames); < 0 when out cannot be written.
 */
int render_text_drop(FILE *out, const struct drop_record *r, const struct time_format *tf,
		     const struct text_options *o);

#endif
