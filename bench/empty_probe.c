// SPDX-License-Identifier: Apache-2.0
/*
 * Loads bench/empty_probe.bpf.c's pair for one backend (fentry or kprobe) on ipt_do_table and
 * waits for SIGINT/SIGTERM: what a call costs a probe that does nothing, for `make bench`.
 * With "record", the exit program sends a record per call instead, read every 100 ms and
 * counted ("N records" at the end). Prints "ready" once attached.
 * Usage: empty-probe fentry|kprobe [record]
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "empty_probe.skel.h"

static volatile sig_atomic_t stop;

static unsigned long long records;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int on_record(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	records++;
	return 0;
}

int main(int argc, char **argv)
{
	bool fentry = argc >= 2 && !strcmp(argv[1], "fentry");
	bool record = argc == 3 && !strcmp(argv[2], "record");
	struct ring_buffer *ring = NULL;
	struct empty_probe_bpf *skel;
	struct bpf_program *keep[2];
	struct bpf_program *prog;

	if (argc < 2 || argc > 3 || (!fentry && strcmp(argv[1], "kprobe")) ||
	    (argc == 3 && !record)) {
		fprintf(stderr, "usage: empty-probe fentry|kprobe [record]\n");
		return 2;
	}
	skel = empty_probe_bpf__open();
	if (!skel) {
		fprintf(stderr, "empty-probe: cannot open the BPF object\n");
		return 1;
	}
	keep[0] = fentry ? skel->progs.empty_fentry : skel->progs.empty_kprobe;
	if (record)
		keep[1] = fentry ? skel->progs.record_fexit : skel->progs.record_kretprobe;
	else
		keep[1] = fentry ? skel->progs.empty_fexit : skel->progs.empty_kretprobe;
	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, prog == keep[0] || prog == keep[1]);
	if (!record)
		bpf_map__set_max_entries(skel->maps.records, 4096); /* unused: a page */
	if (empty_probe_bpf__load(skel) || empty_probe_bpf__attach(skel) ||
	    (record &&
	     !(ring = ring_buffer__new(bpf_map__fd(skel->maps.records), on_record, NULL, NULL)))) {
		fprintf(stderr, "empty-probe: cannot load or attach the %s pair\n", argv[1]);
		empty_probe_bpf__destroy(skel);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		if (!ring)
			pause();
		else if (ring_buffer__poll(ring, 100) >= 0)
			ring_buffer__consume(ring);
	}
	if (ring) {
		ring_buffer__consume(ring);
		printf("%llu records\n", records);
		ring_buffer__free(ring);
	}
	empty_probe_bpf__destroy(skel);
	return 0;
}
