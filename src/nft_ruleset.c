// SPDX-License-Identifier: Apache-2.0
/* Picks an nftables table's rules, with their handles, out of two listings of the ruleset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "nft_ruleset.h"

#define MARKER " # handle "
#define UNPLACED_LINE \
	"the listing has a line this tool cannot place (a name or string with a line break?)"

/* Where the plain listing ends a line that the other one ends with "# handle N". */
struct marker {
	size_t at; /* offset in the plain listing of that line's '\n' (or its final '\0') */
	__u64 handle;
};

struct markers {
	struct marker *list;
	size_t nr;
};

/* Length of " # handle N" at s when the line ends right after it, else 0. */
static size_t marker_at(const char *s, __u64 *handle)
{
	size_t len = strlen(MARKER), digits = 0;
	__u64 n = 0;

	if (strncmp(s, MARKER, len))
		return 0;
	for (; s[len + digits] >= '0' && s[len + digits] <= '9'; digits++) {
		if (digits == 19)
			return 0;
		n = n * 10 + (s[len + digits] - '0');
	}
	if (!digits || (s[len + digits] != '\n' && s[len + digits] != '\0'))
		return 0;
	*handle = n;
	return len + digits;
}

/* Walks both listings at once; they may differ only by the markers. */
static int find_markers(const char *with, const char *plain, struct markers *m)
{
	size_t i = 0, j = 0, cap = 0, len;
	__u64 handle;

	m->list = NULL;
	m->nr = 0;
	while (with[i]) {
		if (with[i] == plain[j]) {
			i++;
			j++;
			continue;
		}
		len = (plain[j] == '\n' || !plain[j]) ? marker_at(with + i, &handle) : 0;
		if (!len)
			return -1;
		if (m->nr == cap) {
			struct marker *grown =
				realloc(m->list, (cap = cap * 2 + 64) * sizeof(*grown));

			if (!grown)
				return -1;
			m->list = grown;
		}
		m->list[m->nr++] = (struct marker){ j, handle };
		i += len;
	}
	return plain[j] ? -1 : 0;
}

/* A line of the plain listing: [start, end). */
struct line {
	const char *start;
	size_t len;
};

static bool starts_with(struct line l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l.len >= n && !strncmp(l.start, prefix, n);
}

static bool ends_with(struct line l, const char *suffix)
{
	size_t n = strlen(suffix);

	return l.len >= n && !strncmp(l.start + l.len - n, suffix, n);
}

static bool is_line(struct line l, const char *text)
{
	return l.len == strlen(text) && starts_with(l, text);
}

static size_t tabs(struct line l)
{
	size_t n = 0;

	while (n < l.len && l.start[n] == '\t')
		n++;
	return n;
}

static bool even_quotes(struct line l)
{
	size_t n = 0;

	for (size_t i = 0; i < l.len; i++)
		n += l.start[i] == '"';
	return n % 2 == 0;
}

/* What the marker before this record ended, for what may stand between it and this one. */
enum previous { PREV_OTHER, PREV_CHAIN, PREV_RULE };

struct parser {
	const char *family;
	__u64 table_handle;
	struct nft_ruleset *rs;
	bool in_table, found;
	enum previous prev;
	char *why;
	size_t why_len;
};

static int refuse(struct parser *p, const char *why)
{
	snprintf(p->why, p->why_len, "%s", why);
	return -1;
}

static bool handle_seen(const struct nft_ruleset *rs, __u64 handle)
{
	for (int i = 0; i < rs->nr_chains; i++) {
		if (rs->chains[i].handle == handle)
			return true;
	}
	return nft_find_rule(rs, handle) != NULL;
}

static int add_chain(struct parser *p, struct line l, __u64 handle)
{
	struct nft_ruleset *rs = p->rs;
	struct nft_chain_text *chains = realloc(rs->chains, (rs->nr_chains + 1) * sizeof(*chains));
	size_t skip = strlen("\tchain ");

	if (!chains)
		return refuse(p, "out of memory");
	rs->chains = chains;
	chains[rs->nr_chains].handle = handle;
	chains[rs->nr_chains].name = strndup(l.start + skip, l.len - skip - strlen(" {"));
	if (!chains[rs->nr_chains++].name)
		return refuse(p, "out of memory");
	p->prev = PREV_CHAIN;
	return 0;
}

static int add_rule(struct parser *p, struct line l, __u64 handle)
{
	struct nft_ruleset *rs = p->rs;
	struct nft_rule_text *rules = realloc(rs->rules, (rs->nr_rules + 1) * sizeof(*rules));

	if (!rules)
		return refuse(p, "out of memory");
	rs->rules = rules;
	rules[rs->nr_rules] = (struct nft_rule_text){ handle, rs->nr_chains - 1,
						      strndup(l.start + 2, l.len - 2) };
	if (!rules[rs->nr_rules++].text)
		return refuse(p, "out of memory");
	p->prev = PREV_RULE;
	return 0;
}

/*
 * Lines between the previous marker and a rule's: none after a rule; after its chain's
 * header, the chain's comment and then its "type ... policy ...;" line, each at most once.
 */
static bool rule_prefix_ok(const struct parser *p, const struct line *lines, size_t nr)
{
	size_t i = 0;

	if (p->prev != PREV_CHAIN)
		return nr == 0;
	if (i < nr && starts_with(lines[i], "\t\tcomment \"") && ends_with(lines[i], "\"") &&
	    even_quotes(lines[i]))
		i++;
	if (i < nr && starts_with(lines[i], "\t\ttype ") && ends_with(lines[i], ";"))
		i++;
	return i == nr;
}

/* Lines a table's own listing may hold without a marker: ends of blocks and block bodies. */
static bool prefix_line_ok(struct line l)
{
	return l.len == 0 || is_line(l, "}") || is_line(l, "\t}") || tabs(l) >= 2;
}

static int table_header(struct parser *p, struct line l, __u64 handle)
{
	size_t flen = strlen(p->family);
	struct line rest = { l.start + 6, l.len - 6 };

	if (handle != p->table_handle)
		return 0;
	if (!ends_with(l, " {") || rest.len < flen + 1 || strncmp(rest.start, p->family, flen) ||
	    rest.start[flen] != ' ')
		return 0; /* same handle, another family's table */
	if (p->found)
		return refuse(p, "the table's header appears twice in the listing");
	p->found = p->in_table = true;
	p->rs->table_handle = handle;
	p->prev = PREV_OTHER;
	return 0;
}

static int parse_record(struct parser *p, const char *start, const char *end, __u64 handle)
{
	struct line lines[4], object;
	size_t nr = 0;
	const char *s = start;

	/* Only the last lines matter: the object's own and what may precede it. */
	for (const char *nl; (nl = memchr(s, '\n', end - s)); s = nl + 1) {
		struct line l = { s, nl - s };

		if (p->in_table && !prefix_line_ok(l))
			return refuse(p, UNPLACED_LINE);
		if (nr == 4)
			memmove(lines, lines + 1, 3 * sizeof(*lines));
		lines[nr < 4 ? nr++ : 3] = l;
	}
	object = (struct line){ s, end - s };
	if (!p->in_table)
		return starts_with(object, "table ") ? table_header(p, object, handle) : 0;
	if (tabs(object) == 0) {
		if (!starts_with(object, "table "))
			return refuse(p, UNPLACED_LINE);
		p->in_table = false; /* the next table */
		return table_header(p, object, handle);
	}
	if (handle_seen(p->rs, handle))
		return refuse(p, "a handle appears twice in the table's listing");
	if (!even_quotes(object))
		return refuse(p, "a name or string in the table holds a quote or a newline");
	if (tabs(object) == 1) {
		p->prev = PREV_OTHER;
		if (starts_with(object, "\tchain ") && ends_with(object, " {"))
			return add_chain(p, object, handle);
		return 0; /* a set, map, flowtable or stateful object */
	}
	if (tabs(object) != 2 || p->prev == PREV_OTHER || !rule_prefix_ok(p, lines, nr))
		return refuse(p, UNPLACED_LINE);
	return add_rule(p, object, handle);
}

int nft_parse_ruleset(const char *with_handles, const char *plain, const char *family,
		      __u64 table_handle, struct nft_ruleset *rs, char *why, size_t why_len)
{
	struct parser p = { family, table_handle, rs, false, false, PREV_OTHER, why, why_len };
	struct markers m;
	size_t from = 0;
	int ret = 0;

	memset(rs, 0, sizeof(*rs));
	if (find_markers(with_handles, plain, &m)) {
		free(m.list);
		snprintf(why, why_len, "the ruleset changed while nft listed it");
		return -1;
	}
	for (size_t i = 0; i < m.nr && !ret; i++) {
		ret = parse_record(&p, plain + from, plain + m.list[i].at, m.list[i].handle);
		from = m.list[i].at + (plain[m.list[i].at] == '\n');
	}
	free(m.list);
	if (!ret && !p.found) {
		snprintf(why, why_len, "table %s with handle %llu is gone", family,
			 (unsigned long long)table_handle);
		ret = -1;
	}
	if (ret)
		nft_ruleset_free(rs);
	return ret;
}

void nft_ruleset_free(struct nft_ruleset *rs)
{
	for (int i = 0; i < rs->nr_rules; i++)
		free(rs->rules[i].text);
	for (int i = 0; i < rs->nr_chains; i++)
		free(rs->chains[i].name);
	free(rs->rules);
	free(rs->chains);
	memset(rs, 0, sizeof(*rs));
}

const struct nft_rule_text *nft_find_rule(const struct nft_ruleset *rs, __u64 handle)
{
	for (int i = 0; i < rs->nr_rules; i++) {
		if (rs->rules[i].handle == handle)
			return &rs->rules[i];
	}
	return NULL;
}

const struct nft_chain_text *nft_find_chain(const struct nft_ruleset *rs, __u64 handle)
{
	for (int i = 0; i < rs->nr_chains; i++) {
		if (rs->chains[i].handle == handle)
			return &rs->chains[i];
	}
	return NULL;
}
