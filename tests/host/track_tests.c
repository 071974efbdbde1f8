// SPDX-License-Identifier: Apache-2.0
/*
 * Host BPF test (root): the tracking table of track.bpf.h run by the kernel (BPF_PROG_TEST_RUN,
 * track_test.bpf.c). With two slots every skb address falls in the one pair, so the test
 * chooses which packets compete: a new packet takes a free slot or pushes out the older of
 * the two (counted), a packet stored again keeps its slot, a freed one frees its slot, a copy
 * carries its packet's id. With more slots, whatever the addresses hash to, every packet
 * stored is either found or counted as pushed out.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "host_test.h"
#include "skbtracer.h"
#include "track_test.h"
#include "track_test.skel.h"

/* The n-th made-up skb address: never dereferenced, only hashed and compared. */
static __u64 skb_n(int n)
{
	return 0xffff888004000000ull + 0x100ull * n;
}

static struct track_test_bpf *skel;
static char detail[256];

static bool run(__u32 op, __u64 skb, __u64 now)
{
	char data[64] = {};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = data, .data_size_in = sizeof(data));

	skel->bss->op = op;
	skel->bss->skb = skb;
	skel->bss->now = now;
	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.run_op), &opts)) {
		printf("# test run: %s\n", strerror(errno));
		return false;
	}
	return true;
}

static __u64 start(__u64 skb, __u64 now)
{
	return run(TRACK_START, skb, now) ? skel->bss->found.id : 0;
}

static struct tracked_packet lookup(__u64 skb)
{
	struct tracked_packet none = {};

	return run(TRACK_LOOKUP, skb, 0) ? skel->bss->found : none;
}

static __u64 evicted(void)
{
	int cpus = libbpf_num_possible_cpus();
	__u64 values[cpus > 0 ? cpus : 1], sum = 0;
	__u32 key = COUNTER_EVICTED;

	if (cpus < 1 || bpf_map_lookup_elem(bpf_map__fd(skel->maps.counters), &key, values))
		return ~0ull;
	for (int i = 0; i < cpus; i++)
		sum += values[i];
	return sum;
}

/* What the table holds: which of the four packets are found, under which ids. */
static void expect(const char *what, const __u64 want[4], __s64 stored, __u64 pushed_out)
{
	char *at = detail;
	bool ok = skel->bss->track_stored == stored && evicted() == pushed_out;

	at += snprintf(at, sizeof(detail), "stored %lld evicted %llu; ids",
		       (long long)skel->bss->track_stored, (unsigned long long)evicted());
	for (int i = 0; i < 4; i++) {
		__u64 id = lookup(skb_n(i)).id;

		ok = ok && id == want[i];
		at += snprintf(at, detail + sizeof(detail) - at, " %llu (want %llu)",
			       (unsigned long long)id, (unsigned long long)want[i]);
	}
	check(ok, what, detail);
}

static int open_table(__u32 slots)
{
	int err;

	skel = track_test_bpf__open();
	if (!skel)
		return -errno;
	skel->rodata->track_slots = slots;
	skel->rodata->nr_cpus = libbpf_num_possible_cpus();
	err = bpf_map__set_max_entries(skel->maps.tracked_skbs, slots);
	return err ? err : track_test_bpf__load(skel);
}

static void one_pair(void)
{
	__u64 id[4] = {}, want[4] = {};
	struct tracked_packet copy;

	id[0] = want[0] = start(skb_n(0), 100);
	id[1] = want[1] = start(skb_n(1), 200);
	check(id[0] && id[1] && id[0] != id[1], "two packets get distinct ids", "");
	expect("two packets fill the pair", want, 2, 0);

	id[2] = want[2] = start(skb_n(2), 300);
	want[0] = 0;
	expect("a third pushes out the older (the first stored)", want, 2, 1);

	id[0] = want[0] = start(skb_n(0), 400);
	want[1] = 0;
	expect("then the older by time, whichever slot it is in", want, 2, 2);

	want[2] = start(skb_n(2), 500);
	check(want[2] && want[2] != id[2], "a packet stored again gets a new id", "");
	expect("a packet stored again keeps its slot: nothing pushed out", want, 2, 2);

	run(TRACK_FORGET, skb_n(0), 0);
	want[0] = 0;
	expect("a freed skb frees its slot", want, 1, 2);
	run(TRACK_FORGET, skb_n(1), 0);
	expect("freeing an skb not held changes nothing", want, 1, 2);

	want[3] = start(skb_n(3), 50);
	expect("a new packet takes the free slot, however old", want, 2, 2);

	skel->bss->copy = skb_n(9);
	run(TRACK_COPY, skb_n(2), 600);
	copy = lookup(skb_n(9));
	snprintf(detail, sizeof(detail), "id %llu parent %#llx", (unsigned long long)copy.id,
		 (unsigned long long)copy.parent_skb);
	check(copy.id == want[2] && copy.parent_skb == skb_n(2),
	      "a copy carries its packet's id and names its parent", detail);
	want[3] = 0; /* older than the copy's 600 and the original's 500 */
	expect("the copy is stored as a packet: it pushed out the older", want, 2, 3);
	skel->bss->copy = skb_n(10);
	run(TRACK_COPY, skb_n(1), 700);
	check(!lookup(skb_n(10)).id, "a copy of an untracked skb is not tracked", "");
}

/* Many packets in 64 slots: each is found, or counted as pushed out, never both or neither. */
static void many_pairs(void)
{
	enum { SLOTS = 64, PACKETS = 200 };
	__u64 ids[PACKETS];
	unsigned int found = 0, wrong = 0;

	for (int i = 0; i < PACKETS; i++)
		ids[i] = start(skb_n(1000 + i), 1000 + i);
	for (int i = 0; i < PACKETS; i++) {
		__u64 id = lookup(skb_n(1000 + i)).id;

		found += id == ids[i];
		wrong += id && id != ids[i];
	}
	snprintf(detail, sizeof(detail), "%u found, %u wrong, %llu evicted, %lld stored", found,
		 wrong, (unsigned long long)evicted(), (long long)skel->bss->track_stored);
	check(!wrong && found + evicted() == PACKETS && found == skel->bss->track_stored &&
		      found <= SLOTS && found >= SLOTS / 2,
	      "200 packets in 64 slots: each found or pushed out", detail);
	for (int i = 0; i < PACKETS; i++)
		run(TRACK_FORGET, skb_n(1000 + i), 0);
	snprintf(detail, sizeof(detail), "%lld stored", (long long)skel->bss->track_stored);
	check(skel->bss->track_stored == 0, "all freed: the table is empty", detail);
}

int main(void)
{
	struct {
		__u32 slots;
		void (*test)(void);
	} runs[] = { { 2, one_pair }, { 64, many_pairs } };

	if (geteuid() != 0) {
		printf("SKIP host tracking tests: they need root\n");
		printf("host-track: 0 passed, 0 failed, 1 skipped\n");
		return 0;
	}
	for (unsigned int i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		int err = open_table(runs[i].slots);

		if (err == -EPERM) {
			printf("SKIP tracking table of %u slots: the kernel refused BPF (%s)\n",
			       runs[i].slots, strerror(-err));
			skipped++;
		} else if (err) {
			printf("FAIL tracking table of %u slots: cannot load it (%s)\n",
			       runs[i].slots, strerror(-err));
			failed++;
		} else {
			runs[i].test();
		}
		track_test_bpf__destroy(skel);
		skel = NULL;
	}
	printf("host-track: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
