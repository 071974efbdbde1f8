// SPDX-License-Identifier: Apache-2.0
/* Names the rule that decided, from the matched entries the kernel side found. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "format.h"
#include "nft_fetch.h"
#include "rules.h"
#include "xt_blob.h"
#include "xt_fetch.h"

#define CACHED_TABLES 16

/* One ruleset generation of one table, decoded, with its rules' text. */
struct cached_table {
	__u64 table_ptr;
	__u32 netns;
	enum xt_family family;
	char name[XT_NAME_LEN];
	__u64 generation;
	bool usable;
	char why[160]; /* when not usable */
	struct xt_table_model model;
	struct saved_rules text;
	bool have_text;
	unsigned long last_used;
};

/* One nftables table as last read; handles never repeat within a table's lifetime. */
struct cached_nft_table {
	__u32 netns;
	__u8 family;
	__u64 handle; /* unique in its namespace */
	bool usable;
	char why[160];
	__u64 loaded_ms; /* when last read: at most once a second */
	struct nft_ruleset rules;
	unsigned long last_used;
};

struct rules_cache {
	generation_lookup_fn lookup;
	void *lookup_ctx;
	struct cached_table tables[CACHED_TABLES];
	int nr_tables;
	struct cached_nft_table nft_tables[CACHED_TABLES];
	int nr_nft_tables;
	unsigned long clock;
};

const char *rule_status_reason(__u32 status)
{
	switch (status) {
	case RULES_NESTED:
		return "another table walk was in progress on this CPU";
	case RULES_INTERFERED:
		return "another traversal of the table ran on this CPU meanwhile";
	case RULES_REPLACED:
		return "the table was replaced during the call";
	case RULES_TOO_LARGE:
		return "the table has more entries than the walk covers";
	case RULES_TOO_MANY_HITS:
		return "more matched entries than the tool records";
	case RULES_UNAVAILABLE:
		return "this kernel lacks what the counter walk needs";
	case RULES_GENERATION_UNKNOWN:
		return "the tool lost track of this table's ruleset generations (too many tables)";
	default:
		return "no attribution";
	}
}

struct rules_cache *rules_cache_new(generation_lookup_fn lookup, void *ctx)
{
	struct rules_cache *cache = calloc(1, sizeof(*cache));

	if (cache) {
		cache->lookup = lookup;
		cache->lookup_ctx = ctx;
	}
	return cache;
}

static void drop_table(struct cached_table *t)
{
	xt_blob_free(&t->model.blob); /* xt_decode's model took over the fetched entries */
	xt_model_free(&t->model);
	saved_rules_free(&t->text);
	memset(t, 0, sizeof(*t));
}

void rules_cache_free(struct rules_cache *cache)
{
	if (!cache)
		return;
	for (int i = 0; i < cache->nr_tables; i++)
		drop_table(&cache->tables[i]);
	for (int i = 0; i < cache->nr_nft_tables; i++)
		nft_ruleset_free(&cache->nft_tables[i].rules);
	free(cache);
}

/* Do the saved rules list as many rules per chain as the blob? Else they are another ruleset. */
static bool text_matches(const struct xt_table_model *m, const struct saved_rules *text)
{
	for (unsigned int c = 0; c < m->nr_chains; c++) {
		const struct xt_chain *chain = &m->chains[c];

		if (saved_rule(text, chain->name, chain->nr_rules + 1) ||
		    (chain->nr_rules && !saved_rule(text, chain->name, chain->nr_rules)))
			return false;
	}
	return true;
}

/* Reads the table as it is now; fine only if the kernel's generation stayed the event's. */
static void load_table(struct rules_cache *cache, struct cached_table *t, __u64 table_ptr)
{
	__u64 before = 0, after = 0;
	bool settled = cache->lookup(cache->lookup_ctx, table_ptr, &before);
	int netns_fd = open_netns(t->netns);
	struct xt_blob blob;

	if (!settled || before != t->generation) {
		snprintf(t->why, sizeof(t->why), "the ruleset was replaced since");
		goto out;
	}
	if (netns_fd < 0) {
		snprintf(t->why, sizeof(t->why), "network namespace %u is gone", t->netns);
		goto out;
	}
	if (xt_fetch_blob(netns_fd, t->family, t->name, &blob, t->why, sizeof(t->why)))
		goto out;
	if (xt_decode(&blob, &t->model, t->why, sizeof(t->why))) {
		xt_blob_free(&blob);
		t->model.blob.entries = NULL;
		goto out;
	}
	t->have_text = !xt_fetch_rule_text(netns_fd, t->family, t->name, &t->text, t->why,
					   sizeof(t->why)) &&
		       text_matches(&t->model, &t->text);
	if (!cache->lookup(cache->lookup_ctx, table_ptr, &after) || after != before) {
		snprintf(t->why, sizeof(t->why), "the ruleset was replaced since");
		goto out;
	}
	t->usable = true;
out:
	if (netns_fd >= 0)
		close(netns_fd);
}

static struct cached_table *find_table(struct rules_cache *cache, const struct event *e,
				       enum xt_family family)
{
	struct cached_table *t, *oldest = &cache->tables[0];

	for (int i = 0; i < cache->nr_tables; i++) {
		t = &cache->tables[i];
		if (t->table_ptr == e->table_ptr && t->generation == e->table_gen &&
		    t->netns == e->netns && t->family == family &&
		    !strncmp(t->name, e->table, XT_NAME_LEN)) {
			t->last_used = ++cache->clock;
			return t;
		}
		if (t->last_used < oldest->last_used)
			oldest = t;
	}
	if (cache->nr_tables < CACHED_TABLES)
		oldest = &cache->tables[cache->nr_tables++];
	else
		drop_table(oldest);
	t = oldest;
	t->table_ptr = e->table_ptr;
	t->netns = e->netns;
	t->family = family;
	t->generation = e->table_gen;
	snprintf(t->name, sizeof(t->name), "%.*s", XT_NAME_LEN - 1, e->table);
	t->last_used = ++cache->clock;
	load_table(cache, t, e->table_ptr);
	return t;
}

/* "INPUT#3: -A INPUT -s 10.0.0.1/32 -j DROP", or "INPUT:policy DROP". */
static void format_step(const struct cached_table *t, int index, char *buf, size_t len)
{
	const struct xt_entry_info *e = &t->model.entries[index];
	const char *chain = t->model.chains[e->chain].name;
	const char *text = NULL;
	char where[64];

	xt_format_entry(&t->model, index, where, sizeof(where));
	if (e->kind == XT_ENTRY_POLICY) {
		text = t->have_text ? saved_policy(&t->text, chain) : NULL;
		snprintf(buf, len, "%s%s%s", where, text ? " " : "", text ? text : "");
		return;
	}
	if (t->have_text && e->kind == XT_ENTRY_RULE)
		text = saved_rule(&t->text, chain, e->number);
	snprintf(buf, len, "%s%s%s", where, text ? ": " : "", text ? text : "");
}

static __u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

static void load_nft_table(struct cached_nft_table *t)
{
	int netns_fd = open_netns(t->netns);

	t->loaded_ms = now_ms();
	nft_ruleset_free(&t->rules);
	t->usable = false;
	if (netns_fd < 0) {
		snprintf(t->why, sizeof(t->why), "network namespace %u is gone", t->netns);
		return;
	}
	t->usable = !nft_fetch_table(netns_fd, family_name(t->family), t->handle, &t->rules, t->why,
				     sizeof(t->why));
	close(netns_fd);
}

/*
 * Handles the event names that the cache lacks. On 5.17+ the implicit return at a chain's end
 * comes with the chain's trailer as its rule, whose handle is not set (the kernel's own
 * tracer leaves it out): only rule decisions name a rule.
 */
static bool names_unknown_handle(const struct nft_ruleset *rs, const struct event *e)
{
	for (__u32 i = 0; i < e->nr_hits && i < MAX_NFT_STEPS; i++) {
		const struct nft_step *s = &e->steps[i];

		if (s->type == NFT_STEP_RULE && !nft_find_rule(rs, s->rule_handle))
			return true;
		if (s->type == NFT_STEP_RULE && s->target_chain &&
		    !nft_find_chain(rs, s->target_chain))
			return true;
	}
	return false;
}

/*
 * The table as cached, read again when it could not be read or the event names a handle the
 * cache lacks, at most once a second (a table nft cannot list is not listed for every event).
 */
static struct cached_nft_table *find_nft_table(struct rules_cache *cache, const struct event *e)
{
	struct cached_nft_table *t = NULL, *oldest = &cache->nft_tables[0];

	for (int i = 0; i < cache->nr_nft_tables && !t; i++) {
		struct cached_nft_table *c = &cache->nft_tables[i];

		if (c->netns == e->netns && c->family == e->family &&
		    c->handle == e->nft_table_handle)
			t = c;
		else if (c->last_used < oldest->last_used)
			oldest = c;
	}
	if (!t) {
		if (cache->nr_nft_tables < CACHED_TABLES)
			oldest = &cache->nft_tables[cache->nr_nft_tables++];
		t = oldest;
		nft_ruleset_free(&t->rules);
		memset(t, 0, sizeof(*t));
		t->netns = e->netns;
		t->family = e->family;
		t->handle = e->nft_table_handle;
		load_nft_table(t);
	} else if ((!t->usable || names_unknown_handle(&t->rules, e)) &&
		   now_ms() - t->loaded_ms >= 1000) {
		load_nft_table(t);
	}
	t->last_used = ++cache->clock;
	return t;
}

/* "sub[handle 4]: icmp type echo-request drop" */
static void format_nft_rule(const struct nft_ruleset *rs, __u64 handle, bool with_text, char *buf,
			    size_t len)
{
	const struct nft_rule_text *r = nft_find_rule(rs, handle);

	if (!r)
		snprintf(buf, len, "?[handle %llu]", (unsigned long long)handle);
	else
		snprintf(buf, len, "%s[handle %llu]%s%s", rs->chains[r->chain].name,
			 (unsigned long long)handle, with_text ? ": " : "",
			 with_text ? r->text : "");
}

/*
 * The policy in force when the packet met it: nft_do_chain returns it (a drop as NF_DROP, or on
 * 6.x as NF_STOLEN with EPERM once the skb is freed); the policy step's own verdict is still
 * the last rule's, NFT_CONTINUE, on 6.1.
 */
static const char *policy_name(__u32 verdict)
{
	unsigned int code = verdict & 0xff, arg = verdict >> 16; /* NF_VERDICT_MASK, QBITS */

	if (code == 0 || (code == 2 && arg))
		return "drop";
	return code == 1 ? "accept" : "?";
}

/* A jump or goto still in force: the rule that made it and the chain it entered. */
struct nft_call {
	__u64 rule;
	__u64 chain;
	bool is_goto;
};

static void format_nft_step(const struct nft_ruleset *rs, const struct event *e,
			    const struct nft_step *step, const struct nft_call *top, char *buf,
			    size_t len)
{
	const struct nft_chain_text *left = top ? nft_find_chain(rs, top->chain) : NULL;

	if (step->type == NFT_STEP_POLICY)
		snprintf(buf, len, "%.*s:policy %s", NAME_LEN, e->chain, policy_name(e->verdict));
	else if (step->type == NFT_STEP_RETURN)
		snprintf(buf, len, "%s:return", left ? left->name : top ? "?" : e->chain);
	else
		format_nft_rule(rs, step->rule_handle, true, buf, len);
}

#define NFT_CONTINUE_CODE (-1)
#define NFT_JUMP_CODE (-3)
#define NFT_GOTO_CODE (-4)
#define NFT_RETURN_CODE (-5)

static void describe_nft_rules(struct rules_cache *cache, const struct event *e, char *rule,
			       size_t rule_len, char *matched, size_t matched_len)
{
	struct nft_call calls[MAX_NFT_STEPS];
	const struct nft_step *decider = NULL;
	struct cached_nft_table *t = find_nft_table(cache, e);
	int depth = 0;
	size_t used, mused = 0;
	char step[4400];

	if (!t->usable) {
		snprintf(rule, rule_len, " rule=?(%s)", t->why);
		return;
	}
	for (__u32 i = 0; i < e->nr_hits && i < MAX_NFT_STEPS && !decider; i++) {
		const struct nft_step *s = &e->steps[i];

		if (matched && mused < matched_len) {
			format_nft_step(&t->rules, e, s, depth ? &calls[depth - 1] : NULL, step,
					sizeof(step));
			mused += snprintf(matched + mused, matched_len - mused, "    matched %s\n",
					  step);
		}
		if (s->type == NFT_STEP_POLICY || (s->type == NFT_STEP_RULE && s->verdict >= 0)) {
			decider = s;
		} else if (s->type == NFT_STEP_RULE &&
			   (s->verdict == NFT_JUMP_CODE || s->verdict == NFT_GOTO_CODE)) {
			calls[depth++] = (struct nft_call){ s->rule_handle, s->target_chain,
							    s->verdict == NFT_GOTO_CODE };
		} else if (s->type == NFT_STEP_RETURN || s->verdict == NFT_RETURN_CODE) {
			while (depth > 0 && calls[depth - 1].is_goto)
				depth--;
			depth -= depth > 0;
		}
	}
	if (!decider) {
		snprintf(rule, rule_len, " rule=?(no rule decision was traced)");
		return;
	}
	used = snprintf(rule, rule_len, " rule=");
	for (int i = 0; i < depth && used < rule_len; i++) {
		format_nft_rule(&t->rules, calls[i].rule, false, step, sizeof(step));
		used += snprintf(rule + used, rule_len - used, "%s > ", step);
	}
	format_nft_step(&t->rules, e, decider, NULL, step, sizeof(step));
	if (used < rule_len)
		snprintf(rule + used, rule_len - used, "%s", step);
}

void describe_rules(struct rules_cache *cache, const struct event *e, char *rule, size_t rule_len,
		    char *matched, size_t matched_len)
{
	enum xt_family family = e->engine == ENGINE_ARPTABLES  ? XT_ARP
				: e->l3proto == ETHERTYPE_IPV6 ? XT_IPV6
							       : XT_IPV4;
	struct cached_table *t;
	struct xt_hit hits[MAX_RULE_HITS];
	struct xt_path path;
	char why[160], step[4200];
	size_t used = 0;

	rule[0] = '\0';
	if (matched)
		matched[0] = '\0';
	if (e->rule_status == RULES_NOT_TRACKED)
		return;
	if (e->rule_status != RULES_OK) {
		snprintf(rule, rule_len, " rule=?(%s)", rule_status_reason(e->rule_status));
		return;
	}
	if (e->engine == ENGINE_NFTABLES) {
		describe_nft_rules(cache, e, rule, rule_len, matched, matched_len);
		return;
	}
	t = find_table(cache, e, family);
	if (!t->usable) {
		snprintf(rule, rule_len, " rule=?(%s)", t->why);
		return;
	}
	for (__u32 i = 0; i < e->nr_hits && i < MAX_RULE_HITS; i++)
		hits[i] = (struct xt_hit){ e->hits[i].offset, e->hits[i].packets };
	if (xt_explain(&t->model, e->hook, hits,
		       e->nr_hits < MAX_RULE_HITS ? e->nr_hits : MAX_RULE_HITS, e->verdict, &path,
		       why, sizeof(why))) {
		snprintf(rule, rule_len, " rule=?(%s)", why);
		return;
	}
	used = snprintf(rule, rule_len, " rule=");
	for (int i = 0; i < path.nr_calls && used < rule_len; i++) {
		xt_format_entry(&t->model, path.calls[i], step, sizeof(step));
		used += snprintf(rule + used, rule_len - used, "%s > ", step);
	}
	format_step(t, path.decider, step, sizeof(step));
	if (used < rule_len)
		snprintf(rule + used, rule_len - used, "%s", step);
	for (int i = 0, mused = 0; matched && i < path.nr_steps && (size_t)mused < matched_len;
	     i++) {
		format_step(t, path.steps[i], step, sizeof(step));
		mused += snprintf(matched + mused, matched_len - mused, "    matched %s\n", step);
	}
}
