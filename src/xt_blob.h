/* SPDX-License-Identifier: Apache-2.0 */
#ifndef XT_BLOB_H
#define XT_BLOB_H

#include <stdbool.h>
#include <stddef.h>

/* A legacy table's entries as IPT_SO_GET_ENTRIES returns them, decoded into chains and rules. */

#define XT_MAX_HOOKS 5
#define XT_NAME_LEN 32
/*
 * Matched entries a replayed path may have, chain-end returns and policies included. A ufw
 * default-policy drop takes 17; the jump stack never outgrows the path.
 */
#define XT_MAX_PATH 128

enum xt_family { XT_IPV4, XT_IPV6, XT_ARP };

enum xt_entry_kind {
	XT_ENTRY_RULE,	     /* a rule the user wrote */
	XT_ENTRY_POLICY,     /* a builtin chain's policy (its underflow entry) */
	XT_ENTRY_RETURN,     /* the implicit RETURN that ends a user chain */
	XT_ENTRY_CHAIN_HEAD, /* ERROR entry naming the user chain after it */
	XT_ENTRY_END,	     /* the table's final ERROR entry */
};

struct xt_entry_info {
	unsigned int offset;
	enum xt_entry_kind kind;
	int chain;  /* index into chains */
	int number; /* rule number in its chain, as iptables -L --line-numbers counts */
	char target[XT_NAME_LEN]; /* "" for the standard target */
	int verdict;		  /* standard target: jump offset (>= 0) or -verdict - 1 */
	bool is_goto;
};

struct xt_chain {
	char name[XT_NAME_LEN];
	bool builtin;
	int nr_rules;
};

/* The raw table: what IPT_SO_GET_INFO and IPT_SO_GET_ENTRIES return. */
struct xt_blob {
	enum xt_family family;
	unsigned int valid_hooks;
	unsigned int nr_hooks;
	unsigned int hook_entry[XT_MAX_HOOKS];
	unsigned int underflow[XT_MAX_HOOKS];
	const unsigned char *entries;
	size_t size;
};

struct xt_table_model {
	struct xt_blob blob;
	struct xt_entry_info *entries;
	unsigned int nr_entries;
	struct xt_chain *chains;
	unsigned int nr_chains;
};

/* An entry whose counter moved during the call, and by how many packets. */
struct xt_hit {
	unsigned int offset;
	unsigned int packets;
};

/* The matched entries in the order the kernel evaluated them, and which one decided. */
struct xt_path {
	int steps[XT_MAX_PATH]; /* entry indexes of every matched entry, in evaluation order */
	int nr_steps;
	int calls[XT_MAX_PATH]; /* the jumps leading to the decider, outermost first */
	int nr_calls;
	int decider; /* entry index */
};

const char *xt_hook_name(enum xt_family family, unsigned int hook);
int xt_decode(const struct xt_blob *blob, struct xt_table_model *model, char *err, size_t err_len);
void xt_model_free(struct xt_table_model *model);
/*
 * Explains the entries whose counters moved during a call that returned verdict (NF_*);
 * returns 0, or -1 with the reason in err.
 */
int xt_explain(const struct xt_table_model *model, unsigned int hook, const struct xt_hit *hits,
	       unsigned int nr_hits, unsigned int verdict, struct xt_path *path, char *err,
	       size_t err_len);
/* "INPUT#3", "INPUT:policy" */
void xt_format_entry(const struct xt_table_model *model, int index, char *buf, size_t len);

#endif
