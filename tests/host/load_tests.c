// SPDX-License-Identifier: Apache-2.0
/*
 * Host BPF tests (root): every program of each backend, and the skb:kfree_skb program
 * (drops, --stack), must pass the running kernel's verifier, in each object the kernel can take
 * (typed reads where it has bpf_rdonly_cast, probe reads, the bounded walk). A backend the
 * kernel refuses outright (fentry EPERM, as in some VMs) is skipped with the reason; a verifier
 * rejection fails.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include "options.h"
#include "tracer.h"

static int passed, failed, skipped;

static struct config cfg; /* large: the filter expression's programs */
static bool bounded_walk; /* load the object for kernels without bpf_loop */
static bool probe_reads;  /* load the object for kernels without bpf_rdonly_cast */

static void load_backend(enum backend backend, const struct filter *filter, bool perf_buffer,
			 const char *expression, const char *what)
{
	cfg = (struct config){
		.backend = backend,
		.filter = *filter,
		.force_perf_buffer = perf_buffer,
		.engines = (1u << ENGINE_MAX) - 1,
		.track_rules = true,
		.nft_trace = true,
		.track_packets = true,
		.track_entries = TRACK_ENTRIES_DEFAULT,
		.drops = true,
		.stack = true,
	};
	struct tracer t = { .force_bounded_walk = bounded_walk, .force_probe_reads = probe_reads };
	char err[512] = "";
	int ret;

	if (expression && !pcap_filter_compile(expression, &cfg.pcap, err, sizeof(err))) {
		printf("FAIL %s: '%s' does not compile: %s\n", what, expression, err);
		failed++;
		return;
	}
	ret = tracer_load_only(&t, &cfg, backend, err, sizeof(err));
	if (!ret && t.drops_refused) {
		printf("FAIL %s: the kernel refused the skb:kfree_skb program (V=1 shows why)\n",
		       what);
		failed++;
	} else if (!ret && t.typed_reads_refused) {
		printf("FAIL %s: the kernel refused the object with typed reads (V=1 shows why)\n",
		       what);
		failed++;
	} else if (!ret) {
		char names[256] = "";
		size_t used = 0;

		for (int f = 0; f < FUNC_MAX && used < sizeof(names); f++) {
			if (t.functions[f].found)
				used += snprintf(names + used, sizeof(names) - used, " %s",
						 t.functions[f].name);
		}
		printf("PASS %s: %s programs%s verified for%s\n", what, backend_name(backend),
		       t.typed_reads ? " with typed reads" : "", names);
		passed++;
	} else if (backend == BACKEND_FENTRY && (ret == -EPERM || ret == -524)) {
		printf("SKIP %s: %s\n", what, err);
		skipped++;
	} else {
		printf("FAIL %s: %s (%s)\n", what, err, strerror(-ret));
		failed++;
	}
	tracer_stop(&t);
}

/* Filter expressions the verifier must take: each runs the interpreter on its own program. */
static const char *const expressions[] = {
	"tcp port 443 and net 10.0.0.0/8",
	"vlan 10 and icmp",
	"arp",
	"ip6 and icmp6[icmp6type] == icmp6-echo",
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn and portrange 1000-2000",
	"ip[2:2] - ((ip[0] & 0xf) << 2) > 100 or len > 1000 or ip[0] << ip[1] > 3",
	"host 10.0.0.1 or host 10.0.0.2 or host 10.0.0.3 or host 10.0.0.4 or host 10.0.0.5 or "
	"host 10.0.0.6 or host 10.0.0.7 or host 10.0.0.8 or host 10.0.0.9 or host 10.0.0.10 or "
	"host 2001:db8::1 or host 2001:db8::2 or port 1 or port 2 or port 3 or port 4 or port 5",
	"not (udp port 53 or tcp port 22) and (icmp or tcp or udp or ip6)",
};

int main(void)
{
	struct filter none = {};
	struct filter every = {
		.flags = FILTER_ADDR | FILTER_PROTO | FILTER_PORT | FILTER_SPORT | FILTER_DPORT |
			 FILTER_ICMPID | FILTER_PID | FILTER_NETNS | FILTER_IFACE,
		.addr_family = PF_FAMILY_IPV6,
		.l4proto = 6,
		.port = 80,
		.sport = 1,
		.dport = 2,
		.icmpid = 3,
		.pid = 1,
		.netns = 4026531840u,
		.iface = "eth0",
	};

	static char near_limit[4096] = "tcp port 1";

	/* 120 port tests: close to the 512 instructions the interpreter runs */
	for (int port = 2; port <= 120; port++)
		snprintf(near_limit + strlen(near_limit), sizeof(near_limit) - strlen(near_limit),
			 " or tcp port %d", port);
	if (geteuid() != 0) {
		printf("SKIP host BPF tests: they need root\n");
		printf("host-bpf: 0 passed, 0 failed, 1 skipped\n");
		return 0;
	}
	tracer_set_libbpf_log(getenv("V") != NULL);
	for (enum backend b = BACKEND_FENTRY; b <= BACKEND_KPROBE; b++) {
		load_backend(b, &none, false, NULL, "no filter");
		load_backend(b, &every, false, NULL, "every filter");
		load_backend(b, &every, true, NULL, "every filter, perf buffer");
		load_backend(b, &every, false, near_limit,
			     "an expression of about 500 instructions");
		for (size_t i = 0; i < sizeof(expressions) / sizeof(expressions[0]); i++) {
			char what[256];

			snprintf(what, sizeof(what), "expression '%.200s'", expressions[i]);
			load_backend(b, &every, false, expressions[i], what);
		}
	}
	/* The object for kernels without bpf_rdonly_cast (before 6.2), where this one has it. */
	probe_reads = true;
	for (enum backend b = BACKEND_FENTRY; b <= BACKEND_KPROBE; b++) {
		load_backend(b, &every, false, NULL, "with probe reads: every filter");
		load_backend(b, &every, false, near_limit,
			     "with probe reads: an expression of about 500 instructions");
	}
	probe_reads = false;
	/* The object for kernels without bpf_loop (before 5.17), checked by this kernel's verifier. */
	bounded_walk = true;
	for (enum backend b = BACKEND_FENTRY; b <= BACKEND_KPROBE; b++) {
		load_backend(b, &every, false, NULL, "without bpf_loop: every filter");
		load_backend(b, &every, false, near_limit,
			     "without bpf_loop: an expression of about 500 instructions");
	}
	printf("host-bpf: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
