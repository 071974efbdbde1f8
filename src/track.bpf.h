/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Packet tracking: an skb that matched the filter at a table entry is followed through every
 * later table call (after NAT rewrote it, and in its clones) until it is freed. Included by
 * skbtracer.bpf.c after count().
 */
#ifndef TRACK_BPF_H
#define TRACK_BPF_H

/* Set by user space before load: off with --no-track. */
const volatile bool track_packets = false;
/* libbpf_num_possible_cpus(): packet ids are seq * nr_cpus + cpu + 1, unique per run. */
const volatile __u32 nr_cpus = 1;
/* The tracking map's max_entries, as user space sized it (--track-entries). */
const volatile __s64 track_capacity = TRACK_ENTRIES_DEFAULT;

/* skb address → the packet it carries. LRU: a flood pushes out the oldest, never blocks. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, TRACK_ENTRIES_DEFAULT); /* user space sets --track-entries */
	__type(key, __u64);
	__type(value, struct tracked_packet);
} tracked_skbs SEC(".maps");

/* This CPU's last packet sequence number. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} track_seq SEC(".maps");

/*
 * Keys inserted minus keys deleted: never below the entries the map holds (added before the
 * insert), so 0 means the map is empty and a lookup can be skipped. The LRU map evicts
 * silently, keeping stored - evicted as the estimate of live entries: an insert while that
 * says the map is full counts an eviction (an estimate: the LRU may also evict a little
 * before it is full, counted later instead).
 */
__s64 track_stored = 0;
__s64 track_evicted = 0;

/* A stale entry (its skb freed unseen) is replaced, not counted twice. */
static __always_inline void track_insert(__u64 skb, const struct tracked_packet *p)
{
	__sync_fetch_and_add(&track_stored, 1);
	if (bpf_map_update_elem(&tracked_skbs, &skb, p, BPF_NOEXIST)) {
		__sync_fetch_and_add(&track_stored, -1);
		bpf_map_update_elem(&tracked_skbs, &skb, p, BPF_EXIST);
		return;
	}
	/* no fetching atomics before 5.12: add, then read (an estimate anyway) */
	if (track_stored - track_evicted > track_capacity) {
		__sync_fetch_and_add(&track_evicted, 1);
		count(COUNTER_EVICTED);
	}
}

/* The skb is freed: its address may next hold another packet. */
static __always_inline void track_forget(__u64 skb)
{
	if (track_stored > 0 && !bpf_map_delete_elem(&tracked_skbs, &skb))
		__sync_fetch_and_add(&track_stored, -1);
}

/* The packet the skb carries, or NULL when it is not tracked: no lookup while the map is empty. */
static __always_inline const struct tracked_packet *track_lookup(__u64 skb)
{
	if (track_stored <= 0)
		return NULL;
	return bpf_map_lookup_elem(&tracked_skbs, &skb);
}

/* A new packet matched the filter (or a tracked packet's call sent it: cause): its id. */
static __noinline __u64 track_start(__u64 skb, __u64 cause)
{
	__u32 zero = 0;
	__u64 *seq = bpf_map_lookup_elem(&track_seq, &zero);
	struct tracked_packet p = {};

	if (!seq)
		return 0;
	*seq += 1;
	p.id = *seq * nr_cpus + bpf_get_smp_processor_id() + 1;
	p.cause_id = cause;
	track_insert(skb, &p);
	return p.id;
}

/* skb_clone, skb_copy, pskb_copy: the copy carries the same packet. */
static __always_inline void track_copy(__u64 skb, __u64 copy)
{
	const struct tracked_packet *parent;
	struct tracked_packet p;

	if (!copy)
		return;
	parent = track_lookup(skb);
	if (!parent)
		return;
	p.id = parent->id;
	p.parent_skb = skb;
	p.cause_id = parent->cause_id;
	track_insert(copy, &p);
}

#endif
