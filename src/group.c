// SPDX-License-Identifier: Apache-2.0
/* --group: a packet's calls gathered into one block, printed when the packet is done. */
#include <stdlib.h>
#include <string.h>
#include "group.h"
#include "printable.h"

struct packet_group {
	__u64 id;
	__u64 last_ns; /* monotonic time of its last call */
	__u32 netns;   /* of its last call */
	__u8 family, hook;
	bool dropped;
	char drop[256]; /* " -> dropped reason=... at ...": the kernel freed it (group_drop) */
	char out_ifname[PRINTABLE_IFNAME_LEN]; /* of its last call, printable */
	char header[512];
	char *journey;
	size_t len, cap;
	struct packet_group *next;
};

static bool is_accept(const struct trace_record *r)
{
	return !strcmp(r->verdict_code, "ACCEPT");
}

void group_step(const struct trace_record *r, char *buf, size_t len)
{
	const struct event *e = r->ev;
	char name[2 * PRINTABLE_NAME_LEN], table[PRINTABLE_NAME_LEN], chain[PRINTABLE_NAME_LEN];
	size_t used;
	/* ACCEPT is worth saying where the filter decided it: filter tables, nftables chains */
	bool say_verdict = !is_accept(r) || e->engine == ENGINE_NFTABLES ||
			   !strncmp(e->table, "filter", sizeof(e->table));

	printable(e->table, NAME_LEN, table, sizeof(table));
	if (e->engine == ENGINE_NFTABLES)
		snprintf(name, sizeof(name), "%s/%s", table,
			 printable(e->chain, NAME_LEN, chain, sizeof(chain)));
	else
		snprintf(name, sizeof(name), "%s", table);
	used = snprintf(buf, len, "%s%s%s", name, say_verdict ? " " : "",
			say_verdict ? r->verdict : "");
	if (r->nat.kind && used < len)
		snprintf(buf + used, len - used, " %s(%s -> %s)", r->nat.kind, r->nat.from,
			 r->nat.to);
}

static int append(struct packet_group *p, const char *text)
{
	size_t n = strlen(text);

	if (p->len + n + 1 > p->cap) {
		size_t cap = (p->len + n + 1) * 2;
		char *bigger = realloc(p->journey, cap);

		if (!bigger)
			return -1;
		p->journey = bigger;
		p->cap = cap;
	}
	memcpy(p->journey + p->len, text, n + 1);
	p->len += n;
	return 0;
}

static struct packet_group *find(struct grouper *g, __u64 id)
{
	for (struct packet_group *p = g->first; p; p = p->next) {
		if (p->id == id)
			return p;
	}
	return NULL;
}

static struct packet_group *open_group(struct grouper *g, const struct trace_record *r)
{
	const struct event *e = r->ev;
	struct packet_group *p = calloc(1, sizeof(*p));
	char time[32], pkt[320];

	if (!p)
		return NULL;
	p->id = e->packet_id;
	p->netns = e->netns;
	format_time(e, g->tf, time, sizeof(time));
	format_pkt_info(e, pkt, sizeof(pkt));
	snprintf(p->header, sizeof(p->header), "%s packet %llu: %s in netns %u", time,
		 (unsigned long long)e->packet_id, pkt, e->netns);
	if (g->last)
		g->last->next = p;
	else
		g->first = p;
	g->last = p;
	g->open++;
	return p;
}

/* How the journey ended, as far as its last call says. */
static const char *ending(const struct packet_group *p, char *buf, size_t len)
{
	bool inet = p->family == PF_FAMILY_IPV4 || p->family == PF_FAMILY_IPV6 ||
		    p->family == PF_FAMILY_INET;

	if (p->drop[0])
		return p->drop;
	if (p->dropped)
		return " -> dropped";
	if (p->out_ifname[0] && (inet || p->family == PF_FAMILY_BRIDGE) && p->hook == 4) {
		snprintf(buf, len, " -> out %s", p->out_ifname);
		return buf;
	}
	if (inet && p->hook == 1)
		return " -> local";
	return "";
}

static int print_group(FILE *out, const struct packet_group *p)
{
	char end[PRINTABLE_IFNAME_LEN + 16];

	return fprintf(out, "%s\n  %s%s\n", p->header, p->journey ? p->journey : "",
		       ending(p, end, sizeof(end)));
}

/* Prints and frees the oldest block. */
static int close_first(struct grouper *g, FILE *out)
{
	struct packet_group *p = g->first;
	int ret = print_group(out, p);

	g->first = p->next;
	if (!g->first)
		g->last = NULL;
	g->open--;
	free(p->journey);
	free(p);
	return ret;
}

int group_add(struct grouper *g, FILE *out, const struct trace_record *r)
{
	const struct event *e = r->ev;
	struct packet_group *p = find(g, e->packet_id);
	bool same_hook;
	char step[2 * NAME_LEN + 256], text[2 * NAME_LEN + 320];

	if (!p && g->open >= GROUP_MAX_OPEN && close_first(g, out) < 0)
		return -1;
	if (!p && !(p = open_group(g, r)))
		return -1;
	same_hook = p->len && p->netns == e->netns && p->family == e->family && p->hook == e->hook;
	group_step(r, step, sizeof(step));
	if (same_hook)
		snprintf(text, sizeof(text), " -> %s", step);
	else if (p->len && p->netns != e->netns) /* it moved to another namespace */
		snprintf(text, sizeof(text), " -> [netns %u] %s %s", e->netns, r->hook, step);
	else
		snprintf(text, sizeof(text), "%s%s %s", p->len ? " -> " : "", r->hook, step);
	p->netns = e->netns;
	p->family = e->family;
	p->hook = e->hook;
	p->last_ns = e->ts_ns;
	p->dropped = !strcmp(r->verdict_code, "DROP");
	printable(e->out_ifname, IFNAME_LEN, p->out_ifname, sizeof(p->out_ifname));
	return append(p, text);
}

int group_flush_idle(struct grouper *g, FILE *out, __u64 now_ns, __u64 idle_ns)
{
	struct packet_group **link = &g->first, *p;
	int ret = 0;

	/* not in order of last activity: walk them all */
	while ((p = *link)) {
		if (now_ns < p->last_ns || now_ns - p->last_ns < idle_ns) {
			g->last = p;
			link = &p->next;
			continue;
		}
		if (print_group(out, p) < 0)
			ret = -1;
		*link = p->next;
		g->open--;
		free(p->journey);
		free(p);
	}
	if (!g->first)
		g->last = NULL;
	return ret;
}

/* Prints and frees p, wherever it is in the list. */
static int close_group(struct grouper *g, FILE *out, struct packet_group *p)
{
	struct packet_group **link = &g->first, *prev = NULL;
	int ret = print_group(out, p);

	while (*link != p) {
		prev = *link;
		link = &prev->next;
	}
	*link = p->next;
	if (g->last == p)
		g->last = prev;
	g->open--;
	free(p->journey);
	free(p);
	return ret;
}

int group_drop(struct grouper *g, FILE *out, const struct drop_record *r)
{
	const struct drop_event *d = r->ev;
	struct packet_group *p = d->packet_id ? find(g, d->packet_id) : NULL;
	size_t used;

	if (!p)
		return 0;
	used = snprintf(p->drop, sizeof(p->drop), " -> dropped");
	if (r->reason && used < sizeof(p->drop))
		used += snprintf(p->drop + used, sizeof(p->drop) - used, " reason=%s", r->reason);
	if (used < sizeof(p->drop))
		snprintf(p->drop + used, sizeof(p->drop) - used, " at %s", r->location);
	if (d->tie.tie == DROP_TIE_INSIDE) /* the chain's line is still to come */
		return 0;
	return close_group(g, out, p) < 0 ? -1 : 0;
}

int group_flush_all(struct grouper *g, FILE *out)
{
	int ret = 0;

	while (g->first) {
		if (close_first(g, out) < 0)
			ret = -1;
	}
	return ret;
}

void group_free(struct grouper *g)
{
	while (g->first) {
		struct packet_group *p = g->first;

		g->first = p->next;
		free(p->journey);
		free(p);
	}
	g->last = NULL;
	g->open = 0;
}
