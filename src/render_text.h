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
/* The event's line (and -v's matched lines, --stack's frames); < 0 when out cannot be written. */
int render_text(FILE *out, const struct trace_record *r, const struct time_format *tf,
		bool verbose);
/*
 * A drop's last column: "pkt_type=HOST dropped reason=IP_RPFILTER at ip_rcv_finish_core+0x1a4",
 * then " after filter INPUT DROP" (the verdict it followed) or " in nftables inet filter input"
 * (the call that freed it).
 */
void render_text_drop_info(const struct drop_record *r, char *buf, size_t len);
/* A drop's line in the seed's columns (and --stack's frames); < 0 when out cannot be written. */
int render_text_drop(FILE *out, const struct drop_record *r, const struct time_format *tf);

#endif
