// SPDX-License-Identifier: Apache-2.0
/* Pure decoding of legacy x_tables blobs and reconstruction of a packet's path through them. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include <linux/netfilter_arp/arp_tables.h>
#include "format.h"
#include "xt_blob.h"

const char *xt_hook_name(enum xt_family family, unsigned int hook)
{
	return family_hook_name(family == XT_ARP ? PF_FAMILY_ARP : PF_FAMILY_IPV4, hook);
}

/* target_offset, next_offset and the goto flag of the entry at e. */
static void entry_header(enum xt_family family, const unsigned char *e, unsigned int *target_off,
			 unsigned int *next_off, bool *is_goto)
{
	if (family == XT_IPV6) {
		const struct ip6t_entry *entry = (const void *)e;

		*target_off = entry->target_offset;
		*next_off = entry->next_offset;
		*is_goto = entry->ipv6.flags & IP6T_F_GOTO;
	} else if (family == XT_ARP) {
		const struct arpt_entry *entry = (const void *)e;

		*target_off = entry->target_offset;
		*next_off = entry->next_offset;
		*is_goto = false;
	} else {
		const struct ipt_entry *entry = (const void *)e;

		*target_off = entry->target_offset;
		*next_off = entry->next_offset;
		*is_goto = entry->ip.flags & IPT_F_GOTO;
	}
}

static size_t min_entry_size(enum xt_family family)
{
	if (family == XT_IPV6)
		return sizeof(struct ip6t_entry);
	return family == XT_ARP ? sizeof(struct arpt_entry) : sizeof(struct ipt_entry);
}

static int blob_error(char *err, size_t err_len, unsigned int offset, const char *why)
{
	snprintf(err, err_len, "malformed table blob at offset %u: %s", offset, why);
	return -1;
}

/* Why the entry at off (at least min_entry_size bytes) does not fit the blob, or NULL. */
static const char *entry_problem(const struct xt_blob *b, unsigned int off)
{
	const struct xt_entry_target *t;
	unsigned int target_off, next_off;
	bool is_goto;

	entry_header(b->family, b->entries + off, &target_off, &next_off, &is_goto);
	if (next_off < min_entry_size(b->family) + sizeof(*t))
		return "next_offset shorter than an entry";
	if (next_off % XT_ALIGN(1))
		return "next_offset not aligned";
	if (next_off > b->size - off)
		return "entry runs past the end of the table";
	if (target_off < min_entry_size(b->family) || target_off % XT_ALIGN(1) ||
	    target_off + sizeof(*t) > next_off)
		return "target_offset outside the entry";
	t = (const void *)(b->entries + off + target_off);
	if (t->u.target_size < sizeof(*t) || t->u.target_size > next_off - target_off)
		return "target size outside the entry";
	if (!t->u.user.name[0] && t->u.target_size < sizeof(*t) + sizeof(int))
		return "standard target without a verdict";
	if (!strncmp(t->u.user.name, XT_ERROR_TARGET, sizeof(t->u.user.name)) &&
	    t->u.target_size < sizeof(*t) + XT_FUNCTION_MAXNAMELEN)
		return "ERROR entry shorter than its chain name";
	return NULL;
}

/* Fills offset, target name, verdict and goto flag of every entry; counts them. */
static int read_entries(struct xt_table_model *m, char *err, size_t err_len)
{
	const struct xt_blob *b = &m->blob;
	unsigned int off = 0, capacity = 0;

	if (b->size > UINT_MAX || (uintptr_t)b->entries % XT_ALIGN(1))
		return blob_error(err, err_len, 0, "table too large or misaligned");
	while (off < b->size) {
		const unsigned char *e = b->entries + off;
		const struct xt_entry_target *t;
		unsigned int target_off, next_off;
		struct xt_entry_info *info;
		const char *problem = NULL;
		bool is_goto;

		if (b->size - off < min_entry_size(b->family))
			problem = "entry runs past the end of the table";
		else
			problem = entry_problem(b, off);
		if (problem)
			return blob_error(err, err_len, off, problem);
		entry_header(b->family, e, &target_off, &next_off, &is_goto);
		if (m->nr_entries == capacity) {
			capacity = capacity ? 2 * capacity : 64;
			info = realloc(m->entries, capacity * sizeof(*info));
			if (!info) {
				snprintf(err, err_len, "out of memory");
				return -1;
			}
			m->entries = info;
		}
		info = &m->entries[m->nr_entries++];
		memset(info, 0, sizeof(*info));
		t = (const void *)(e + target_off);
		info->offset = off;
		info->is_goto = is_goto;
		snprintf(info->target, sizeof(info->target), "%.*s", XT_EXTENSION_MAXNAMELEN,
			 t->u.user.name);
		if (!info->target[0])
			memcpy(&info->verdict, t->data, sizeof(int));
		off += next_off;
	}
	if (!m->nr_entries || strcmp(m->entries[m->nr_entries - 1].target, XT_ERROR_TARGET))
		return blob_error(err, err_len, off, "the table does not end with an ERROR entry");
	return 0;
}

/* Is offset the start of an entry? (entries are sorted by offset) */
static bool entry_starts_at(const struct xt_table_model *m, unsigned int offset)
{
	unsigned int lo = 0, hi = m->nr_entries;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (m->entries[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nr_entries && m->entries[lo].offset == offset;
}

/* Every hook's entry and underflow, and every jump, must land on an entry of the table. */
static int check_offsets(const struct xt_table_model *m, char *err, size_t err_len)
{
	const struct xt_blob *b = &m->blob;

	if (b->nr_hooks > XT_MAX_HOOKS) {
		snprintf(err, err_len, "malformed table blob: %u hooks", b->nr_hooks);
		return -1;
	}
	if (b->valid_hooks >> b->nr_hooks) {
		snprintf(err, err_len, "malformed table blob: hook mask 0x%x", b->valid_hooks);
		return -1;
	}
	for (unsigned int h = 0; h < b->nr_hooks; h++) {
		if (!(b->valid_hooks & (1u << h)))
			continue;
		if (!entry_starts_at(m, b->hook_entry[h]) || !entry_starts_at(m, b->underflow[h])) {
			snprintf(err, err_len,
				 "malformed table blob: hook %u starts or ends at no entry", h);
			return -1;
		}
	}
	for (unsigned int i = 0; i < m->nr_entries; i++) {
		const struct xt_entry_info *e = &m->entries[i];

		if (!e->target[0] && e->verdict >= 0 && !entry_starts_at(m, e->verdict))
			return blob_error(err, err_len, e->offset, "jump to no entry");
	}
	return 0;
}

static int add_chain(struct xt_table_model *m, const char *name, bool builtin)
{
	struct xt_chain *chains = realloc(m->chains, (m->nr_chains + 1) * sizeof(*chains));

	if (!chains)
		return -1;
	m->chains = chains;
	memset(&chains[m->nr_chains], 0, sizeof(*chains));
	snprintf(chains[m->nr_chains].name, XT_NAME_LEN, "%s", name);
	chains[m->nr_chains].builtin = builtin;
	return m->nr_chains++;
}

/* The builtin hook whose chain starts at offset, or -1. */
static int hook_starting_at(const struct xt_blob *b, unsigned int offset)
{
	for (unsigned int h = 0; h < b->nr_hooks; h++) {
		if ((b->valid_hooks & (1u << h)) && b->hook_entry[h] == offset)
			return h;
	}
	return -1;
}

static bool is_underflow(const struct xt_blob *b, unsigned int offset)
{
	for (unsigned int h = 0; h < b->nr_hooks; h++) {
		if ((b->valid_hooks & (1u << h)) && b->underflow[h] == offset)
			return true;
	}
	return false;
}

/* Assigns every entry its chain, kind and rule number. */
static int assign_chains(struct xt_table_model *m, char *err, size_t err_len)
{
	const struct xt_blob *b = &m->blob;
	int chain = -1, number = 0;

	for (unsigned int i = 0; i < m->nr_entries; i++) {
		struct xt_entry_info *e = &m->entries[i];
		int hook = hook_starting_at(b, e->offset);
		bool next_is_error =
			i + 1 < m->nr_entries && !strcmp(m->entries[i + 1].target, XT_ERROR_TARGET);

		if (!strcmp(e->target, XT_ERROR_TARGET)) {
			const unsigned char *t = b->entries + e->offset;
			unsigned int target_off, next_off;
			char name[XT_NAME_LEN];
			bool unused;

			/* read_entries checked that the name's XT_FUNCTION_MAXNAMELEN bytes fit. */
			entry_header(b->family, t, &target_off, &next_off, &unused);
			snprintf(name, sizeof(name), "%.*s", XT_FUNCTION_MAXNAMELEN - 1,
				 (const char *)(t + target_off + sizeof(struct xt_entry_target)));
			e->kind = i + 1 == m->nr_entries ? XT_ENTRY_END : XT_ENTRY_CHAIN_HEAD;
			if (e->kind == XT_ENTRY_CHAIN_HEAD) {
				chain = add_chain(m, name, false);
				if (chain < 0)
					goto nomem;
				number = 0;
			}
			e->chain = chain;
			continue;
		}
		if (hook >= 0) {
			chain = add_chain(m, xt_hook_name(b->family, hook), true);
			if (chain < 0)
				goto nomem;
			number = 0;
		}
		if (chain < 0) {
			snprintf(err, err_len, "table blob: entry at %u is in no chain", e->offset);
			return -1;
		}
		e->chain = chain;
		if (m->chains[chain].builtin && is_underflow(b, e->offset)) {
			e->kind = XT_ENTRY_POLICY;
		} else if (!m->chains[chain].builtin && next_is_error && !e->target[0] &&
			   e->verdict == XT_RETURN) {
			e->kind = XT_ENTRY_RETURN;
		} else {
			e->kind = XT_ENTRY_RULE;
			e->number = ++number;
			m->chains[chain].nr_rules = number;
		}
	}
	return 0;
nomem:
	snprintf(err, err_len, "out of memory");
	return -1;
}

int xt_decode(const struct xt_blob *blob, struct xt_table_model *model, char *err, size_t err_len)
{
	memset(model, 0, sizeof(*model));
	model->blob = *blob;
	if (read_entries(model, err, err_len) || check_offsets(model, err, err_len) ||
	    assign_chains(model, err, err_len)) {
		xt_model_free(model);
		return -1;
	}
	return 0;
}

void xt_model_free(struct xt_table_model *model)
{
	free(model->entries);
	free(model->chains);
	model->entries = NULL;
	model->chains = NULL;
	model->nr_entries = model->nr_chains = 0;
}

static int index_of_offset(const struct xt_table_model *m, unsigned int offset)
{
	unsigned int lo = 0, hi = m->nr_entries;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (m->entries[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nr_entries && m->entries[lo].offset == offset ? (int)lo : -1;
}

/* The index in hits of the entry at offset, or -1. */
static int hit_index(unsigned int offset, const struct xt_hit *hits, unsigned int nr_hits)
{
	for (unsigned int i = 0; i < nr_hits; i++) {
		if (hits[i].offset == offset)
			return i;
	}
	return -1;
}

/* What an extension target can return (checked in the kernel's net/netfilter/xt_*.c). */
enum target_kind {
	TARGET_CONTINUES, /* always XT_CONTINUE: never decides */
	TARGET_DECIDES,	  /* never XT_CONTINUE */
	TARGET_EITHER, /* continues, or drops (e.g. a header it cannot mangle); unknown targets */
};

static const char *const continuing_targets[] = {
	"AUDIT",   "CHECKSUM",	"CLASSIFY", "CONNMARK", "CONNSECMARK", "CT",
	"HMARK",   "IDLETIMER", "LED",	    "LOG",	"MARK",	       "NFLOG",
	"NOTRACK", "RATEEST",	"SECMARK",  "SET",	"TEE",	       "TRACE",
};

static const char *const deciding_targets[] = {
	"DNAT", "MASQUERADE", "NETMAP", "NFQUEUE", "REDIRECT", "REJECT", "SNAT", "TPROXY",
};

static bool in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(name, list[i]))
			return true;
	}
	return false;
}

static enum target_kind target_kind(const char *name)
{
	if (in_list(name, continuing_targets,
		    sizeof(continuing_targets) / sizeof(continuing_targets[0])))
		return TARGET_CONTINUES;
	if (in_list(name, deciding_targets, sizeof(deciding_targets) / sizeof(deciding_targets[0])))
		return TARGET_DECIDES;
	return TARGET_EITHER;
}

/* Can the entry's target have returned verdict? Only fixed ones are checked. */
static bool verdict_agrees(const struct xt_entry_info *e, unsigned int verdict)
{
	if (!e->target[0])
		return verdict == ~(unsigned int)e->verdict; /* a standard verdict is -NF_x - 1 */
	if (!strcmp(e->target, "REJECT"))
		return verdict == NF_DROP;
	if (!strcmp(e->target, "NFQUEUE"))
		return (verdict & NF_VERDICT_MASK) == NF_QUEUE;
	return true;
}

/* A frame of the jump stack: the jumping entry and where to resume (-1 for a goto). */
struct jump {
	int from;
	int resume;
};

/* The replay's state: where it is, what it has used of the hits. */
struct replay {
	const struct xt_table_model *m;
	const struct xt_hit *hits;
	unsigned int nr_hits;
	unsigned int *used; /* packets of each hit the path has explained */
	struct jump stack[XT_MAX_PATH];
	int depth;
	int extension;		    /* last matched extension target that may have decided */
	unsigned int rules_skipped; /* unmatched rules after it */
};

static int explain_failed(char *err, size_t err_len, const char *why)
{
	snprintf(err, err_len, "%s", why);
	return -1;
}

/* Did the packet match entry idx on this visit? -1: more visits than its counter moved. */
static int matched_now(struct replay *r, int idx)
{
	int h = hit_index(r->m->entries[idx].offset, r->hits, r->nr_hits);

	if (h < 0)
		return 0;
	if (r->used[h] == r->hits[h].packets)
		return -1;
	r->used[h]++;
	return 1;
}

/* The path reached a chain end that did not match: something before it ended the call. */
static int ended_before_chain_end(const struct replay *r, unsigned int verdict,
				  struct xt_path *path, char *err, size_t err_len)
{
	const struct xt_entry_info *x = r->extension >= 0 ? &r->m->entries[r->extension] : NULL;
	char where[XT_NAME_LEN + 16];

	/* hotdrop: a match found a malformed header; ipt_do_table returns NF_DROP at once */
	if (x &&
	    (target_kind(x->target) == TARGET_DECIDES || verdict != NF_DROP || !r->rules_skipped)) {
		if (!verdict_agrees(x, verdict))
			return explain_failed(err, err_len,
					      "the verdict disagrees with the rule that decided");
		path->decider = r->extension;
		return 0;
	}
	if (x) {
		xt_format_entry(r->m, r->extension, where, sizeof(where));
		snprintf(err, err_len,
			 "unclear whether %s (-j %s) or a later match dropping a malformed packet "
			 "(hotdrop) ended it",
			 where, x->target);
		return -1;
	}
	if (verdict == NF_DROP)
		return explain_failed(
			err, err_len,
			"no rule decided: a match dropped a malformed packet (hotdrop)");
	return explain_failed(err, err_len, "no matched entry decided");
}

/*
 * Replays ipt_do_table over the entries: a matched entry (its counter moved) applies its
 * target, an unmatched one falls through. Every counted packet must lie on the one path
 * replayed, each entry matching as often as its counter moved.
 */
int xt_explain(const struct xt_table_model *m, unsigned int hook, const struct xt_hit *hits,
	       unsigned int nr_hits, unsigned int verdict, struct xt_path *path, char *err,
	       size_t err_len)
{
	struct replay r = { .m = m, .hits = hits, .nr_hits = nr_hits, .extension = -1 };
	unsigned long long visits = 0, max_visits = (XT_MAX_PATH + 1ULL) * (m->nr_entries + 1);
	unsigned int explained = 0, total = 0;
	int idx, ret = -1;

	memset(path, 0, sizeof(*path));
	path->decider = -1;
	if (hook >= m->blob.nr_hooks || !(m->blob.valid_hooks & (1u << hook)))
		return explain_failed(err, err_len, "hook not in this table");
	r.used = calloc(nr_hits ? nr_hits : 1, sizeof(*r.used));
	if (!r.used)
		return explain_failed(err, err_len, "out of memory");
	for (unsigned int i = 0; i < nr_hits; i++)
		total += hits[i].packets;
	idx = index_of_offset(m, m->blob.hook_entry[hook]);
	for (; idx >= 0 && visits <= max_visits; visits++) {
		const struct xt_entry_info *e = &m->entries[idx];
		int matched;

		if (e->kind == XT_ENTRY_CHAIN_HEAD || e->kind == XT_ENTRY_END) {
			explain_failed(err, err_len, "path ran past the end of a chain");
			goto out;
		}
		matched = matched_now(&r, idx);
		if (matched < 0) {
			explain_failed(err, err_len,
				       "the path is inconsistent: an entry matched differently on "
				       "another visit");
			goto out;
		}
		if (!matched) {
			if (e->kind == XT_ENTRY_RULE) {
				r.rules_skipped++;
				idx++;
				continue;
			}
			ret = ended_before_chain_end(&r, verdict, path, err, err_len);
			goto done;
		}
		if (path->nr_steps == XT_MAX_PATH) {
			explain_failed(err, err_len, "path longer than the tool follows");
			goto out;
		}
		path->steps[path->nr_steps++] = idx;
		explained++;
		r.extension = -1;
		r.rules_skipped = 0;
		if (e->target[0]) {
			if (target_kind(e->target) != TARGET_CONTINUES)
				r.extension = idx;
			idx++;
			continue;
		}
		if (e->verdict >= 0 && idx + 1 < (int)m->nr_entries &&
		    (unsigned int)e->verdict == m->entries[idx + 1].offset) {
			idx++; /* no target (an accounting rule): the kernel just goes on */
		} else if (e->verdict >= 0) {
			r.stack[r.depth++] = (struct jump){ idx, e->is_goto ? -1 : idx + 1 };
			idx = index_of_offset(m, (unsigned int)e->verdict);
		} else if (e->verdict == XT_RETURN) {
			while (r.depth > 0 && r.stack[r.depth - 1].resume < 0)
				r.depth--; /* leaving a chain entered by goto leaves its caller too */
			if (r.depth > 0)
				idx = r.stack[--r.depth].resume;
			else
				idx = index_of_offset(m, m->blob.underflow[hook]);
		} else {
			if (!verdict_agrees(e, verdict)) {
				explain_failed(err, err_len,
					       "the verdict disagrees with the rule that decided");
				goto out;
			}
			path->decider = idx;
			ret = 0;
			goto done;
		}
	}
	explain_failed(err, err_len, "no matched entry decided");
	goto out;
done:
	if (ret)
		goto out;
	if (explained != total) {
		ret = explain_failed(err, err_len, "counters moved off the packet's path");
		goto out;
	}
	for (int i = 0; i < r.depth; i++)
		path->calls[path->nr_calls++] = r.stack[i].from;
out:
	free(r.used);
	return ret;
}

void xt_format_entry(const struct xt_table_model *m, int index, char *buf, size_t len)
{
	const struct xt_entry_info *e = &m->entries[index];
	const char *chain = e->chain >= 0 ? m->chains[e->chain].name : "?";

	if (e->kind == XT_ENTRY_POLICY)
		snprintf(buf, len, "%s:policy", chain);
	else if (e->kind == XT_ENTRY_RETURN)
		snprintf(buf, len, "%s:return", chain);
	else
		snprintf(buf, len, "%s#%d", chain, e->number);
}
