// SPDX-License-Identifier: Apache-2.0
/*
 * Loads bench/empty_probe.bpf.c's pair for one backend (fentry or kprobe) on ipt_do_table and
 * waits for SIGINT/SIGTERM: what a call costs a probe that does nothing, for `make bench`.
 * Prints "ready" once attached. Usage: empty-probe fentry|kprobe
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "empty_probe.skel.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	bool fentry = argc == 2 && !strcmp(argv[1], "fentry");
	struct empty_probe_bpf *skel;
	struct bpf_program *keep[2];
	struct bpf_program *prog;

	if (argc != 2 || (!fentry && strcmp(argv[1], "kprobe"))) {
		fprintf(stderr, "usage: empty-probe fentry|kprobe\n");
		return 2;
	}
	skel = empty_probe_bpf__open();
	if (!skel) {
		fprintf(stderr, "empty-probe: cannot open the BPF object\n");
		return 1;
	}
	keep[0] = fentry ? skel->progs.empty_fentry : skel->progs.empty_kprobe;
	keep[1] = fentry ? skel->progs.empty_fexit : skel->progs.empty_kretprobe;
	bpf_object__for_each_program(prog, skel->obj)
		bpf_program__set_autoload(prog, prog == keep[0] || prog == keep[1]);
	if (empty_probe_bpf__load(skel) || empty_probe_bpf__attach(skel)) {
		fprintf(stderr, "empty-probe: cannot load or attach the %s pair\n", argv[1]);
		empty_probe_bpf__destroy(skel);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("ready\n");
	fflush(stdout);
	while (!stop)
		pause();
	empty_probe_bpf__destroy(skel);
	return 0;
}
