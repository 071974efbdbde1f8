/* SPDX-License-Identifier: Apache-2.0 */
#ifndef XT_FETCH_H
#define XT_FETCH_H

#include "xt_blob.h"

/* The rules of one table as its save tool prints them ("-A INPUT -s 10.0.0.1/32 -j DROP"). */
struct saved_rules {
	char **lines; /* "-A CHAIN ..." lines, in order */
	int nr_lines;
	char **policies; /* ":INPUT DROP" lines */
	int nr_policies;
};

/* An fd of the network namespace with this inode (from /run/netns or a process), or -1. */
int open_netns(unsigned int inode);
/* IPT_SO_GET_INFO + IPT_SO_GET_ENTRIES (or the IPv6/ARP ones) in that namespace. */
int xt_fetch_blob(int netns_fd, enum xt_family family, const char *table, struct xt_blob *blob,
		  char *err, size_t err_len);
void xt_blob_free(struct xt_blob *blob);
/*
 * Runs argv inside the namespace; its standard output, or NULL with the reason in why when it
 * failed, ran longer than 5 s or the stop check said the program is ending (the child is then
 * killed). No data ever goes into argv: names come from whoever controls a namespace.
 */
char *run_in_netns(int netns_fd, char *const argv[], char *why, size_t why_len);
/* fn() is asked about every 200 ms while a child runs: true cuts it short. */
void run_in_netns_set_stop_check(bool (*fn)(void));
/* Runs iptables-legacy-save (ip6tables-legacy-save, arptables-legacy -L) in that namespace. */
int xt_fetch_rule_text(int netns_fd, enum xt_family family, const char *table,
		       struct saved_rules *rules, char *err, size_t err_len);
/* Parses save output; arptables' listing ("Chain INPUT (policy ACCEPT)") is turned into -A lines. */
int parse_saved_rules(enum xt_family family, const char *text, struct saved_rules *rules);
void saved_rules_free(struct saved_rules *rules);
/* The text of rule `number` of `chain`, or NULL; "policy DROP" style for the policy. */
const char *saved_rule(const struct saved_rules *rules, const char *chain, int number);
const char *saved_policy(const struct saved_rules *rules, const char *chain);

#endif
