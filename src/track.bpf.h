/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet tracking: an skb that matched the filter at a table entry is followed through every
 * later table call (after NAT rewrote it, and in its clones) until it is freed. Included by
 * skbtracer.bpf.c after counters.bpf.h.
 *
 * The tracking table is an array used as a two-way set-associative cache: an skb address
 * hashes to a pair of slots, a new packet takes a free one or pushes out the older. Looking up,
 * inserting and forgetting are a few loads and stores without a lock (a hash map's insert,
 * lock included, cost more than the rest of a traced call's entry), which matters most for
 * forgetting: every skb freed anywhere is looked up while any packet is tracked.
 */
#ifndef TRACK_BPF_H
#define TRACK_BPF_H

/* Set by user space before load: off with --no-track. */
const volatile bool track_packets = false;
/* libbpf_num_possible_cpus(): packet ids are seq * nr_cpus + cpu + 1, unique per run. */
const volatile __u32 nr_cpus = 1;
/* The tracking table's slots, as user space sized it (--track-entries). */
const volatile __u32 track_slots = TRACK_ENTRIES_DEFAULT;

/* skb 0: free. The key is written last and cleared first, so a reader can tell a slot changed. */
struct track_slot {
	__u64 skb;
	__u64 ts_ns; /* when the packet was stored: the older of a pair is pushed out */
	struct tracked_packet packet;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, TRACK_ENTRIES_DEFAULT); /* user space sets --track-entries */
	__type(key, __u32);
	__type(value, struct track_slot);
} tracked_skbs SEC(".maps");

/* This CPU's last packet sequence number. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} track_seq SEC(".maps");

/*
 * Slots taken minus slots freed: never below what the table holds (added before a slot is
 * taken, taken off only after its key was seen cleared), so 0 means it is empty and a lookup
 * can be skipped. Races between CPUs can only leave it above.
 */
__s64 track_stored = 0;

/* A per-CPU word that turns a typed pointer into a number (address_of). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} address_scratch SEC(".maps");

/*
 * The address as a number: the verifier allows no arithmetic on a typed pointer (fentry's and
 * tp_btf's skb), but what is read back from a map value is a plain number.
 */
static __always_inline __u64 address_of(__u64 pointer)
{
	__u32 zero = 0;
	__u64 *word = bpf_map_lookup_elem(&address_scratch, &zero);
	__u64 number;

	if (!word)
		return 0;
	*word = pointer;
	number = *(volatile __u64 *)word;
	/*
	 * A program of the tool that interrupted this one between the two (a softirq's, on this
	 * CPU) left its own pointer there: store and read again. In asm, as the compiler, knowing
	 * them equal after the test, would hash the pointer itself, which the verifier refuses.
	 */
	asm volatile("if %[number] == %[pointer] goto +2;"
		     "*(u64 *)(%[word] + 0) = %[pointer];"
		     "%[number] = *(u64 *)(%[word] + 0);"
		     : [number] "+r"(number)
		     : [pointer] "r"(pointer), [word] "r"(word)
		     : "memory");
	return number;
}

/* The first slot of skb's pair: a multiplicative hash of its address scaled to the table. */
static __always_inline __u32 track_pair(__u64 skb)
{
	__u64 hash = ((address_of(skb) >> 6) * 0x9E3779B97F4A7C15ULL) >> 32;

	return (__u32)((hash * track_slots) >> 32) & ~1U;
}

static __always_inline struct track_slot *track_way(__u32 pair, __u32 way)
{
	__u32 index = pair + way;

	return bpf_map_lookup_elem(&tracked_skbs, &index);
}

/* The slot holding skb, or NULL. */
static __always_inline struct track_slot *track_find(__u64 skb)
{
	__u32 pair = track_pair(skb);
	struct track_slot *slot = track_way(pair, 0);

	if (slot && slot->skb == skb)
		return slot;
	slot = track_way(pair, 1); /* NULL past the end when track_slots is odd */
	if (slot && slot->skb == skb)
		return slot;
	return NULL;
}

/* The slot skb's packet goes to: its own (a stale entry), a free one, or the older one. */
static __always_inline struct track_slot *track_place(__u64 skb)
{
	__u32 pair = track_pair(skb);
	struct track_slot *first = track_way(pair, 0), *second = track_way(pair, 1);

	if (!first)
		return NULL;
	if (first->skb == skb || !second)
		return first;
	if (second->skb == skb)
		return second;
	if (!first->skb || (second->skb && first->ts_ns <= second->ts_ns))
		return first;
	return second;
}

/* A stale entry (its skb freed unseen) is replaced, not counted twice. */
static __always_inline void track_insert(__u64 skb, const struct tracked_packet *p, __u64 now)
{
	struct track_slot *slot = track_place(skb);
	__u64 held;

	if (!slot)
		return;
	held = slot->skb;
	if (!held)
		__sync_fetch_and_add(&track_stored, 1);
	else if (held != skb)
		count(COUNTER_EVICTED);
	slot->skb = 0;
	barrier();
	slot->ts_ns = now;
	slot->packet = *p;
	barrier();
	slot->skb = skb;
}

/* The skb is freed: its address may next hold another packet. */
static __always_inline void track_forget(__u64 skb)
{
	struct track_slot *slot;

	if (track_stored <= 0)
		return;
	slot = track_find(skb);
	if (!slot)
		return;
	slot->skb = 0;
	barrier();
	/* another CPU may have taken the slot meanwhile: then it is not freed */
	if (!*(volatile __u64 *)&slot->skb)
		__sync_fetch_and_add(&track_stored, -1);
}

/* The slot of the packet the skb carries, or NULL: no lookup while the table is empty. */
static __always_inline const struct track_slot *track_lookup(__u64 skb)
{
	if (track_stored <= 0)
		return NULL;
	return track_find(skb);
}

/* After reading a slot found for skb: false when another packet took it meanwhile. */
static __always_inline bool track_unchanged(const struct track_slot *slot, __u64 skb)
{
	barrier();
	return *(volatile const __u64 *)&slot->skb == skb;
}

/* A new packet matched the filter (or a tracked packet's call sent it: cause): its id. */
static __noinline __u64 track_start(__u64 skb, __u64 cause, __u64 now)
{
	__u32 zero = 0;
	__u64 *seq = bpf_map_lookup_elem(&track_seq, &zero);
	struct tracked_packet p = {};

	if (!seq)
		return 0;
	*seq += 1;
	p.id = *seq * nr_cpus + bpf_get_smp_processor_id() + 1;
	p.cause_id = cause;
	track_insert(skb, &p, now);
	return p.id;
}

/* skb_clone, skb_copy, pskb_copy: the copy carries the same packet. */
static __always_inline void track_copy(__u64 skb, __u64 copy)
{
	const struct track_slot *parent;
	struct tracked_packet p;

	if (!copy)
		return;
	parent = track_lookup(skb);
	if (!parent)
		return;
	p = parent->packet;
	if (!track_unchanged(parent, skb))
		return;
	p.parent_skb = skb;
	track_insert(copy, &p, bpf_ktime_get_ns());
}

#endif
