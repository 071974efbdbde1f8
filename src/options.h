/* SPDX-License-Identifier: Apache-2.0 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>
#include "pcap_expr.h"
#include "skbtracer.h"

enum backend { BACKEND_AUTO, BACKEND_FENTRY, BACKEND_KPROBE };
enum time_mode { TIME_CLOCK, TIME_RELATIVE };
enum output_format { OUTPUT_TEXT, OUTPUT_JSON };

/* Everything the command line decides. */
struct config {
	struct filter filter;
	struct pcap_filter pcap; /* the filter expression (positional arguments) */
	enum backend backend;
	enum time_mode time_mode;
	unsigned long catch_count; /* 0: until interrupted */
	const char *btf_path;	   /* NULL: the running kernel's */
	unsigned int engines;	   /* bit (1 << enum engine) set: trace that engine */
	bool verbose;		   /* -v: every rule matched on the way */
	bool debug;		   /* --debug: libbpf's log */
	bool track_rules;	   /* name the rule that decided (legacy tables) */
	bool nft_trace;		   /* switch the kernel's nft tracing on to name nftables rules */
	unsigned int rules_budget_pct; /* --rules-budget: the counter walks' share of each CPU */
	bool force_perf_buffer;	       /* tests: the path of kernels before 5.8 */

	bool track_packets;	    /* follow a matched skb through NAT and clones (--no-track) */
	unsigned int track_entries; /* --track-entries: the tracking table's slots */
	bool show_id;		    /* --show-id: the packet id in text */
	bool show_ct;		    /* --show-ct: conntrack state and mark in text */
	bool group;		    /* --group: one block per packet when it is done */

	enum output_format output; /* -o */
	unsigned int summary_sec;  /* --summary: refresh every N seconds; 0: a line per event */
	bool netns_names;	   /* --netns-names: name namespaces (netns_names.h) */

	bool drops; /* lines for drops outside the tables (skb:kfree_skb); --no-drops: off */
	bool stack; /* --stack: kernel stacks of drops and DROP verdicts */
};

enum parse_result {
	PARSE_OK,
	PARSE_EXIT,	   /* --help or --version was printed */
	PARSE_ERROR,	   /* err holds a one-line message */
	PARSE_WRITE_ERROR, /* --help or --version could not be written; err says why */
};

enum parse_result parse_options(int argc, char **argv, struct config *cfg, FILE *out, char *err,
				size_t err_len);
/* Values echoed in messages: at most this many bytes of them, then "...". */
#define SHOWN_BYTES 64
#define SHOWN_MAX (4 * SHOWN_BYTES + 4)

/* text for a one-line message: control and non-ASCII bytes escaped (\n, \x1b), cut. */
void shown(const char *text, char *buf, size_t buf_len);
/* The same for up to max_bytes of text. */
void shown_max(const char *text, size_t max_bytes, char *buf, size_t buf_len);
const char *backend_name(enum backend backend);
const char *engine_name(int engine);

#endif
