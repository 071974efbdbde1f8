// SPDX-License-Identifier: Apache-2.0
/*
 * Loads bench/empty_probe.bpf.c's pair for one backend (fentry or kprobe) on a function
 * (ipt_do_table unless --function names another) and waits for SIGINT/SIGTERM: what a call
 * costs a probe that does nothing, for `make bench`. With "record", the exit program sends a
 * record per call instead, read every 100 ms and counted ("N records" at the end). Prints
 * "ready" once attached.
 * Usage: empty-probe fentry|kprobe [record] [--function NAME]
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

/* The pair on func: fentry's target is set before loading, kprobes are attached by name. */
static int attach_pair(struct bpf_program *const keep[2], bool fentry, const char *func)
{
	for (int i = 0; i < 2; i++) {
		struct bpf_link *link = fentry ? bpf_program__attach(keep[i])
					       : bpf_program__attach_kprobe(keep[i], i == 1, func);

		if (!link)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *func = "ipt_do_table";
	bool fentry = argc >= 2 && !strcmp(argv[1], "fentry");
	bool record = false;
	struct ring_buffer *ring = NULL;
	struct empty_probe_bpf *skel;
	struct bpf_program *keep[2];
	struct bpf_program *prog;
	bool usage = argc < 2 || (!fentry && strcmp(argv[1], "kprobe"));

	for (int i = 2; i < argc && !usage; i++) {
		if (!strcmp(argv[i], "record"))
			record = true;
		else if (!strcmp(argv[i], "--function") && i + 1 < argc)
			func = argv[++i];
		else
			usage = true;
	}
	if (usage) {
		fprintf(stderr, "usage: empty-probe fentry|kprobe [record] [--function NAME]\n");
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
	{
		bpf_program__set_autoload(prog, prog == keep[0] || prog == keep[1]);
		if (fentry && (prog == keep[0] || prog == keep[1]))
			bpf_program__set_attach_target(prog, 0, func);
	}
	if (!record)
		bpf_map__set_max_entries(skel->maps.records, 4096); /* unused: a page */
	if (empty_probe_bpf__load(skel) || attach_pair(keep, fentry, func) ||
	    (record &&
	     !(ring = ring_buffer__new(bpf_map__fd(skel->maps.records), on_record, NULL, NULL)))) {
		fprintf(stderr, "empty-probe: cannot load or attach the %s pair on %s\n", argv[1],
			func);
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
