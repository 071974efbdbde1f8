// SPDX-License-Identifier: Apache-2.0
/* Names the rule that decided, from the matched entries the kernel side found. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "format.h"
#include "nft_fetch.h"
#include "render_text.h"
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
		return "the tool lost track of this table's ruleset generations: too many tables";
	case RULES_OVER_BUDGET:
		return "budget: naming rules used this CPU's --rules-budget for this second";
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

/* One matched entry of a legacy table: its chain, number and text as iptables-save has them. */
static struct rule_step xt_step(const struct cached_table *t, int index)
{
	const struct xt_entry_info *e = &t->model.entries[index];
	const char *chain = e->chain >= 0 ? t->model.chains[e->chain].name : NULL;
	struct rule_step s = { .kind = RULE_STEP_RULE, .chain = chain, .number = e->number };

	if (e->kind == XT_ENTRY_POLICY) {
		s.kind = RULE_STEP_POLICY;
		s.text = t->have_text && chain ? saved_policy(&t->text, chain) : NULL;
	} else if (e->kind == XT_ENTRY_RETURN) {
		s.kind = RULE_STEP_RETURN;
	} else if (t->have_text && e->kind == XT_ENTRY_RULE && chain) {
		s.text = saved_rule(&t->text, chain, e->number);
	}
	return s;
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

/* A rule by handle: its chain and text, or neither when the listing lacks it. */
static struct rule_step nft_rule_step(const struct nft_ruleset *rs, __u64 handle)
{
	const struct nft_rule_text *r = nft_find_rule(rs, handle);
	struct rule_step s = { .kind = RULE_STEP_RULE, .handle = handle };

	if (r) {
		s.chain = rs->chains[r->chain].name;
		s.text = r->text;
	}
	return s;
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

static struct rule_step nft_step(const struct nft_ruleset *rs, struct attribution *a,
				 const struct event *e, const struct nft_step *step,
				 const struct nft_call *top)
{
	const struct nft_chain_text *left = top ? nft_find_chain(rs, top->chain) : NULL;
	struct rule_step s = { .kind = RULE_STEP_RULE };

	if (step->type == NFT_STEP_POLICY) {
		s.kind = RULE_STEP_POLICY;
		s.chain = a->base_chain;
		s.text = policy_name(e->verdict);
	} else if (step->type == NFT_STEP_RETURN) {
		s.kind = RULE_STEP_RETURN;
		s.chain = left ? left->name : top ? NULL : a->base_chain;
	} else {
		s = nft_rule_step(rs, step->rule_handle);
	}
	return s;
}

#define NFT_CONTINUE_CODE (-1)
#define NFT_JUMP_CODE (-3)
#define NFT_GOTO_CODE (-4)
#define NFT_RETURN_CODE (-5)

static void unknown(struct attribution *a, const char *why)
{
	a->status = ATTRIBUTION_UNKNOWN;
	snprintf(a->reason, sizeof(a->reason), "%s", why);
}

static void attribute_nft(struct rules_cache *cache, const struct event *e, struct attribution *a,
			  bool want_matched)
{
	struct nft_call calls[MAX_NFT_STEPS];
	const struct nft_step *decider = NULL;
	struct cached_nft_table *t = find_nft_table(cache, e);
	int depth = 0;

	a->nft = true;
	snprintf(a->base_chain, sizeof(a->base_chain), "%.*s", NAME_LEN, e->chain);
	if (!t->usable) {
		unknown(a, t->why);
		return;
	}
	for (__u32 i = 0; i < e->nr_hits && i < MAX_NFT_STEPS && !decider; i++) {
		const struct nft_step *s = &e->steps[i];

		if (want_matched)
			a->matched[a->nr_matched++] =
				nft_step(&t->rules, a, e, s, depth ? &calls[depth - 1] : NULL);
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
		unknown(a, "no rule decision was traced");
		return;
	}
	for (int i = 0; i < depth; i++)
		a->path[a->nr_path++] = nft_rule_step(&t->rules, calls[i].rule);
	a->decider = nft_step(&t->rules, a, e, decider, NULL);
	a->status = ATTRIBUTION_OK;
}

void rules_attribute(struct rules_cache *cache, const struct event *e, struct attribution *a,
		     bool want_matched)
{
	enum xt_family family = e->engine == ENGINE_ARPTABLES  ? XT_ARP
				: e->l3proto == ETHERTYPE_IPV6 ? XT_IPV6
							       : XT_IPV4;
	struct cached_table *t;
	struct xt_hit hits[MAX_RULE_HITS];
	struct xt_path path;
	char why[160];

	a->status = ATTRIBUTION_NOT_TRACKED;
	a->reason[0] = '\0';
	a->nft = false;
	a->nr_path = 0;
	a->nr_matched = 0;
	if (e->rule_status == RULES_NOT_TRACKED)
		return;
	if (e->rule_status != RULES_OK) {
		unknown(a, rule_status_reason(e->rule_status));
		return;
	}
	if (e->engine == ENGINE_NFTABLES) {
		attribute_nft(cache, e, a, want_matched);
		return;
	}
	t = find_table(cache, e, family);
	if (!t->usable) {
		unknown(a, t->why);
		return;
	}
	for (__u32 i = 0; i < e->nr_hits && i < MAX_RULE_HITS; i++)
		hits[i] = (struct xt_hit){ e->hits[i].offset, e->hits[i].packets };
	if (xt_explain(&t->model, e->hook, hits,
		       e->nr_hits < MAX_RULE_HITS ? e->nr_hits : MAX_RULE_HITS, e->verdict, &path,
		       why, sizeof(why))) {
		unknown(a, why);
		return;
	}
	for (int i = 0; i < path.nr_calls && i < RECORD_MAX_STEPS; i++)
		a->path[a->nr_path++] = xt_step(t, path.calls[i]);
	a->decider = xt_step(t, path.decider);
	for (int i = 0; want_matched && i < path.nr_steps && i < RECORD_MAX_STEPS; i++)
		a->matched[a->nr_matched++] = xt_step(t, path.steps[i]);
	a->status = ATTRIBUTION_OK;
}

void describe_rules(struct rules_cache *cache, const struct event *e, char *rule, size_t rule_len,
		    char *matched, size_t matched_len)
{
	struct attribution *a = malloc(sizeof(*a));

	rule[0] = '\0';
	if (matched)
		matched[0] = '\0';
	if (!a)
		return;
	rules_attribute(cache, e, a, matched != NULL);
	render_text_rule(a, rule, rule_len, matched, matched_len);
	free(a);
}
