/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The candidate walk: rule attribution at the cost of what the kernel evaluates, not of the
 * table's size (IPv4 tables, with bpf_loop). At entry it follows every way ipt_do_table can go
 * for this packet, from the hook's first entry through each chain a rule may jump to, and
 * keeps the counters of the entries that may match; at exit only those are compared. An entry
 * is ruled out, as in the kernel's ip_packet_match, only by its addresses and protocol;
 * interfaces, fragments and extension matches count as "may match". That is sound because
 * the packet's addresses and protocol stay as they were at entry: the kernel re-reads the
 * header only after a target that continues, and every target allowed here keeps them (an
 * unknown target, such as one that rewrites addresses, sends the call to the full walk).
 * The entries kept depend only on the ruleset, the hook and the packet's addresses and
 * protocol, so each CPU keeps its last CANDIDATE_LISTS lists: a call that finds its list
 * reads only the counters in it, at entry and at exit.
 * Included by skbtracer.bpf.c after the full walk.
 */
#ifdef NO_BPF_LOOP
/* Without bpf_loop (before 5.17): the full walk only. */
#define candidate_walk_applies(stack, call, slot) false
#define walk_candidates_of(stack, call, slot, info) false
#define diff_candidates_of(stack, call, slot) false
#define take_hits_out_of(outer, inner) 0
#else

#define IPT_INV_VIA_IN 0x01
#define IPT_INV_VIA_OUT 0x02
#define IPT_INV_SRCIP 0x08
#define IPT_INV_DSTIP 0x10
#define IPT_INV_FRAG 0x20
#define IPT_INV_PROTO 0x40
#define IPT_F_FRAG 0x01
#define NF_REPEAT 4
#define XT_RETURN (-NF_REPEAT - 1)

/*
 * Extension targets that keep the packet's addresses and protocol (every target of mainline
 * Linux that may continue does). Names as 16 bytes, NUL-padded.
 */
static const char address_keeping_targets[][16] = {
	"AUDIT",       "CHECKSUM",   "CLASSIFY", "CONNMARK", "CONNSECMARK", "CT",	"DNAT",
	"DSCP",	       "ECN",	     "HL",	 "HMARK",    "IDLETIMER",   "LED",	"LOG",
	"MARK",	       "MASQUERADE", "NETMAP",	 "NFLOG",    "NFQUEUE",	    "NOTRACK",	"RATEEST",
	"REDIRECT",    "REJECT",     "SECMARK",	 "SET",	     "SNAT",	    "SYNPROXY", "TCPMSS",
	"TCPOPTSTRIP", "TEE",	     "TOS",	 "TPROXY",   "TRACE",	    "TTL",
};

static __always_inline bool keeps_addresses(const __u64 name[2])
{
#pragma unroll /* constant offsets: the verifier cannot bound a pointer stepping through it */
	for (__u32 i = 0; i < sizeof(address_keeping_targets) / 16; i++) {
		const __u64 *known = (const __u64 *)address_keeping_targets[i];

		if (known[0] == name[0] && known[1] == name[1])
			return true;
	}
	return false;
}

/* Can entry h match the packet? false only when its addresses or protocol rule it out. */
static __always_inline bool may_match(const struct ipt_entry_head *h, const struct event *e)
{
	__u32 saddr = *(const __u32 *)e->saddr, daddr = *(const __u32 *)e->daddr;

	if (((saddr & h->smsk) != h->src) ^ !!(h->invflags & IPT_INV_SRCIP))
		return false;
	if (((daddr & h->dmsk) != h->dst) ^ !!(h->invflags & IPT_INV_DSTIP))
		return false;
	return !h->proto || !((e->l4proto != h->proto) ^ !!(h->invflags & IPT_INV_PROTO));
}

/* Does entry h, which may match, match every packet that reaches it? */
static __always_inline bool always_matches(const struct ipt_entry_head *h)
{
	return h->target_offset == sizeof(*h) && !h->proto &&
	       !(h->invflags & (IPT_INV_VIA_IN | IPT_INV_VIA_OUT | IPT_INV_FRAG)) &&
	       !(h->flags & IPT_F_FRAG) && !(h->iniface_mask[0] | h->iniface_mask[1]) &&
	       !(h->outiface_mask[0] | h->outiface_mask[1]);
}

/*
 * Marks chain start `offset` explored in this walk; false when it was already, or when the set
 * is full (w->broken).
 */
static __always_inline bool explore(struct counter_snapshot *s, struct table_walk *w, __u32 offset)
{
	__u32 slot = (offset >> 3) * 2654435761u;

	for (__u32 probe = 0; probe < EXPLORED_PROBES; probe++) {
		struct explored_start *x = &s->explored[(slot + probe) & (EXPLORED_SLOTS - 1)];

		if (x->stamp != w->stamp) {
			x->stamp = w->stamp;
			x->offset = offset;
			return true;
		}
		if (x->offset == offset)
			return false;
	}
	w->broken = true;
	return false;
}

/* Where the walk goes after a run ends (a verdict every packet meets): its next resumption. */
static __always_inline long end_run(struct table_walk *w)
{
	if (!w->depth) {
		w->done = true;
		return 1;
	}
	w->depth--;
	w->offset = w->resume[w->depth & (CANDIDATE_DEPTH - 1)];
	return 0;
}

struct candidate_walk {
	struct pending_call *call;
	struct counter_snapshot *snapshot; /* its explored chain starts */
	struct candidate_list *list;
};

/* This CPU's candidate list `slot`. */
static __always_inline struct candidate_list *candidate_list_of(__u32 slot)
{
	__u32 key = bpf_get_smp_processor_id() * CANDIDATE_LISTS + (slot & (CANDIDATE_LISTS - 1));

	return bpf_map_lookup_elem(&candidate_lists, &key);
}

/* One entry on the ways the table can go: skip it, or keep its counter and follow its target. */
static long candidate_step(__u32 unused, void *ctx)
{
	struct candidate_walk *c = ctx;
	struct table_walk *w = &c->call->walk;
	const void *entry = (const void *)w->entries + w->offset;
	struct entry_target_head *t = &w->target;
	struct ipt_entry_head *h = &w->head;
	struct candidate *kept;
	__u64 name[2], function = 0, address;
	__u32 n = c->list->found, next;

	if (w->offset >= w->size || bpf_probe_read_kernel(h, sizeof(*h), entry) ||
	    h->next_offset < sizeof(*h) || h->target_offset < sizeof(*h))
		goto broken;
	next = w->offset + h->next_offset;
	if (!may_match(h, &c->call->event)) {
		w->offset = next;
		return 0;
	}
	if (n >= LIST_CANDIDATES)
		goto broken;
	barrier_var(n); /* keep the mask: the verifier needs it, clang thinks it is redundant */
	kept = &c->list->candidates[n & (LIST_CANDIDATES - 1)];
	address = w->multi_cpu ? h->pcnt + w->cpu_offset : (__u64)entry + IPT_ENTRY_COUNTERS;
	kept->counter = w->multi_cpu ? 0 : h->pcnt;
	if ((w->multi_cpu &&
	     bpf_probe_read_kernel(&kept->counter, sizeof(kept->counter), (const void *)address)) ||
	    bpf_probe_read_kernel(t, sizeof(*t), entry + h->target_offset) ||
	    bpf_probe_read_kernel(&function, sizeof(function),
				  (const void *)t->target +
					  bpf_core_field_offset(struct xt_target, target)))
		goto broken;
	kept->address = address;
	kept->offset = w->offset;
	c->list->found = n + 1;
	if (function) { /* an extension target: it continues, or its verdict ends the call */
		if (bpf_probe_read_kernel(name, sizeof(name),
					  (const void *)t->target +
						  bpf_core_field_offset(struct xt_target, name)) ||
		    !keeps_addresses(name))
			goto broken;
		w->offset = next;
		return 0;
	}
	if (t->verdict >= 0) { /* a jump or goto: the chain, then what follows (a RETURN) */
		if ((__u32)t->verdict != next && explore(c->snapshot, w, t->verdict)) {
			if (w->depth >= CANDIDATE_DEPTH)
				goto broken;
			w->resume[w->depth & (CANDIDATE_DEPTH - 1)] = next;
			w->depth++;
			w->offset = t->verdict;
			return 0;
		}
		if (w->broken)
			return 1;
		w->offset = next;
		return 0;
	}
	if (!always_matches(h)) {
		w->offset = next;
		return 0;
	}
	/* a verdict every packet here meets: absolute, or RETURN (in the hook's chain: to its policy) */
	if (t->verdict == XT_RETURN && !w->depth) {
		if (!explore(c->snapshot, w, w->underflow))
			return w->broken ? 1 : end_run(w);
		w->offset = w->underflow;
		return 0;
	}
	return end_run(w);
broken:
	w->broken = true;
	return 1;
}

/* The walk state of the call in this CPU's slot `slot`, with its candidate list. */
static __always_inline bool candidate_walk_of(__u32 slot, struct candidate_walk *c)
{
	struct walk_state s;

	if (!walk_state_of(slot, &s))
		return false;
	c->call = s.call;
	c->snapshot = (struct counter_snapshot *)s.snapshot;
	c->list = candidate_list_of(s.call->walk.list);
	if (!c->list) {
		s.call->walk.broken = true;
		return false;
	}
	return true;
}

/* The candidate walk at entry of the call in this CPU's slot `slot`: fills its list. */
__noinline int walk_candidates(__u32 slot)
{
	struct candidate_walk c;

	if (!candidate_walk_of(slot, &c))
		return 0;
	bpf_loop(MAX_TABLE_ENTRIES, candidate_step, &c, 0);
	if (!c.call->walk.done)
		c.call->walk.broken = true;
	return 0;
}

/* Kept entry `i` of the walk's list and this CPU's counter of it now; NULL past the end. */
static __always_inline struct candidate *read_kept(struct candidate_walk *c, __u32 i,
						   __u64 *counter)
{
	struct candidate *kept;

	if (i >= c->list->found || i >= LIST_CANDIDATES)
		return NULL;
	barrier_var(i);
	kept = &c->list->candidates[i & (LIST_CANDIDATES - 1)];
	if (bpf_probe_read_kernel(counter, sizeof(*counter), (const void *)kept->address)) {
		c->call->walk.broken = true;
		return NULL;
	}
	return kept;
}

/* At entry, with a list found: this CPU's counter of one kept entry, now. */
static long candidate_read_step(__u32 i, void *ctx)
{
	__u64 counter = 0;
	struct candidate *kept = read_kept(ctx, i, &counter);

	if (!kept)
		return 1;
	kept->counter = counter;
	return 0;
}

/* At entry of the call in this CPU's slot `slot`, its list found: the counters in it. */
__noinline int read_candidates(__u32 slot)
{
	struct candidate_walk c;

	if (candidate_walk_of(slot, &c))
		bpf_loop(LIST_CANDIDATES, candidate_read_step, &c, 0);
	return 0;
}

/* At exit: one kept counter; a hit when it moved. */
static long candidate_diff_step(__u32 i, void *ctx)
{
	struct candidate_walk *c = ctx;
	__u64 counter = 0;
	struct candidate *kept = read_kept(c, i, &counter);

	if (!kept)
		return 1;
	if ((__u32)counter != kept->counter &&
	    !record_hit(&c->call->event, kept->offset, (__u32)counter - kept->counter))
		return 1;
	return 0;
}

/* The exit's diff of the kept counters of the call in this CPU's slot `slot`. */
__noinline int diff_candidates(__u32 slot)
{
	struct candidate_walk c;

	if (candidate_walk_of(slot, &c))
		bpf_loop(LIST_CANDIDATES, candidate_diff_step, &c, 0);
	return 0;
}

/* A nested call's hits, taken out of the enclosing candidate walk's kept counters. */
struct hits_taken {
	struct candidate_walk outer;
	const struct event *inner;
};

static long take_hits_step(__u32 i, void *ctx)
{
	struct hits_taken *h = ctx;
	struct candidate *kept;

	if (i >= h->outer.list->found || i >= LIST_CANDIDATES)
		return 1;
	barrier_var(i);
	kept = &h->outer.list->candidates[i & (LIST_CANDIDATES - 1)];
	for (__u32 j = 0; j < MAX_RULE_HITS; j++) {
		if (j >= h->inner->nr_hits)
			break;
		if (h->inner->hits[j].offset == kept->offset)
			kept->counter += h->inner->hits[j].packets;
	}
	return 0;
}

/* Adds the hits of the call in slot `inner` to the kept counters of the call in slot `outer`. */
__noinline int take_hits_out_of(__u32 outer, __u32 inner)
{
	__u32 zero = 0;
	struct call_stack *stack = bpf_map_lookup_elem(&call_stacks, &zero);
	struct hits_taken h;

	if (!stack || !candidate_walk_of(outer, &h.outer))
		return 0;
	h.inner = &stack->calls[inner & (MAX_NESTING - 1)].event;
	bpf_loop(LIST_CANDIDATES, take_hits_step, &h, 0);
	return 0;
}

/*
 * Whether the call's entry can take the candidate walk: an IPv4 table (ipt_entry), a packet
 * whose addresses were read, the x_tables types known, and no call of the same table pending
 * below it (a nested call's hits go into the enclosing snapshot by entry index: full walk).
 */
static __always_inline bool candidate_walk_applies(struct call_stack *stack,
						   const struct pending_call *call, __u32 slot)
{
	const struct event *e = &call->event;

	return call->counters_at == IPT_ENTRY_COUNTERS && !call->silent &&
	       e->l3proto == ETHERTYPE_IPV4 && (e->flags & EVENT_HAS_ADDRS) &&
	       bpf_core_field_exists(struct xt_target, target) &&
	       enclosing_slot(stack, slot, e->table_ptr) == MAX_NESTING;
}

/* Is this CPU's list `i` the one a pending call below slot `slot` uses? */
static __always_inline bool list_in_use(const struct call_stack *stack, __u32 slot, __u32 i)
{
	for (__u32 j = 0; j < MAX_NESTING; j++) {
		if (j < slot && stack->calls[j].snapshot_taken && stack->calls[j].walk.candidates &&
		    stack->calls[j].walk.list == i)
			return true;
	}
	return false;
}

enum list_lookup {
	LIST_FOUND,
	LIST_NEW,     /* the call's walk fills it */
	LIST_GAVE_UP, /* a walk for the same could not finish: the full walk */
};

/*
 * Points the call's walk at this CPU's list for its ruleset, hook, addresses and protocol, if
 * one is there; else at the least recently used list no pending call uses, emptied.
 */
static __always_inline enum list_lookup
find_candidate_list(struct call_stack *stack, struct pending_call *call, __u32 slot, __u64 info)
{
	const struct event *e = &call->event;
	__u64 oldest = ~0ULL;
	struct candidate_list *l;

	call->walk.list = CANDIDATE_LISTS;
	for (__u32 i = 0; i < CANDIDATE_LISTS; i++) {
		l = candidate_list_of(i);
		if (!l)
			return LIST_NEW;
		if ((l->found || l->gave_up) && l->table == e->table_ptr && l->private == info &&
		    l->generation == e->table_gen && l->saddr == *(const __u32 *)e->saddr &&
		    l->daddr == *(const __u32 *)e->daddr && l->l4proto == e->l4proto &&
		    l->hook == e->hook) {
			call->walk.list = i;
			l->used = ++stack->list_clock;
			return l->gave_up ? LIST_GAVE_UP : LIST_FOUND;
		}
		if (l->used < oldest && !list_in_use(stack, slot, i)) {
			oldest = l->used;
			call->walk.list = i;
		}
	}
	l = candidate_list_of(call->walk.list);
	if (l) {
		l->found = 0; /* no list until the walk has filled it */
		l->gave_up = false;
		l->used = ++stack->list_clock;
	}
	return LIST_NEW;
}

/*
 * After a walk: the list is for this ruleset, hook, addresses and protocol, or says that a walk
 * for them could not finish (too many entries kept, an unknown target...).
 */
static __always_inline void seal_candidate_list(struct pending_call *call, __u64 info)
{
	struct candidate_list *l = candidate_list_of(call->walk.list);
	const struct event *e = &call->event;

	if (!l)
		return;
	if (call->walk.broken)
		l->found = 0;
	l->gave_up = call->walk.broken;
	l->table = e->table_ptr;
	l->private = info;
	l->generation = e->table_gen;
	l->saddr = *(const __u32 *)e->saddr;
	l->daddr = *(const __u32 *)e->daddr;
	l->l4proto = e->l4proto;
	l->hook = e->hook;
}

/* The candidate walk at entry; false when it could not finish (the full walk then). */
static __always_inline bool walk_candidates_of(struct call_stack *stack, struct pending_call *call,
					       __u32 slot, const struct xt_table_info *info)
{
	struct table_walk *w = &call->walk;
	__u64 began = walk_began();
	__u32 hook = call->event.hook;

	start_walk(w, info, false, NO_SNAPSHOT, false);
	if (hook >= NF_INET_NUMHOOKS ||
	    bpf_probe_read_kernel(&w->offset, sizeof(w->offset), &info->hook_entry[hook]) ||
	    bpf_probe_read_kernel(&w->underflow, sizeof(w->underflow), &info->underflow[hook]))
		return false;
	switch (find_candidate_list(stack, call, slot, (__u64)info)) {
	case LIST_GAVE_UP:
		/* nothing written: the full walk may still reuse a fresh snapshot */
		if (time_walks)
			count(COUNTER_LISTS_GIVEN_UP);
		return false;
	case LIST_FOUND:
		w->candidates = true;
		read_candidates(slot);
		if (time_walks)
			count(COUNTER_LISTS_REUSED);
		break;
	case LIST_NEW:
		if (w->list >= CANDIDATE_LISTS) { /* every list in use: not with MAX_NESTING < 8 */
			w->broken = true;
			break;
		}
		w->candidates = true;
		w->done = false;
		w->depth = 0;
		w->stamp = ++stack->walk_stamp ? stack->walk_stamp : ++stack->walk_stamp;
		walk_candidates(slot);
		seal_candidate_list(call, (__u64)info);
		if (time_walks && !w->broken)
			count(COUNTER_LISTS_WALKED);
		break;
	}
	charge_rules_budget(stack, began);
	if (w->broken) {
		/* the full walk instead: the chain starts it marked overwrote the snapshot */
		if (time_walks)
			count(COUNTER_LISTS_GIVEN_UP);
		w->candidates = false;
		if (call->snapshot_level == 0)
			stack->fresh = false;
	}
	return !w->broken;
}

/* The exit's diff of the candidates; false when a counter could not be read. */
static __always_inline bool diff_candidates_of(struct call_stack *stack, struct pending_call *call,
					       __u32 slot)
{
	__u64 began = walk_began();

	call->walk.broken = false;
	diff_candidates(slot);
	charge_rules_budget(stack, began);
	return !call->walk.broken;
}

#endif /* !NO_BPF_LOOP */
