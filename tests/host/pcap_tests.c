// SPDX-License-Identifier: Apache-2.0
/*
 * Host BPF test (root): pcap_run() compiled for and run by the kernel (BPF_PROG_TEST_RUN) gives
 * libpcap's bpf_filter() result on every test packet, for each expression and link type.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "pcap_expr.h"
#include "pcap_oracle.h"
#include "pcap_test.skel.h"
#include "../unit/pcap_packets.h"

#define ETH_HEADER_LEN 14

static int passed, failed, skipped;

/* The kernel's result for the packet, as raw IP (behind a dummy Ethernet header) or a frame. */
static int kernel_result(struct pcap_test_bpf *skel, const struct packet *p, bool raw)
{
	__u8 data[ETH_HEADER_LEN + sizeof(p->bytes)] = {};
	__u32 at = raw ? ETH_HEADER_LEN : 0;
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = data, .data_size_in = sizeof(data));

	memcpy(data + at, p->bytes, p->len);
	skel->bss->packet_len = p->len;
	if (bpf_prog_test_run_opts(bpf_program__fd(skel->progs.run_filter), &opts))
		return -errno;
	return opts.retval;
}

static void compare(const char *expr, const struct pcap_program *prog, bool raw)
{
	struct pcap_test_bpf *skel = pcap_test_bpf__open();
	__u32 seed = ORACLE_SEED, matched = 0;
	const char *link = raw ? "raw IP" : "Ethernet";
	int i;

	if (!skel) {
		printf("FAIL '%s' (%s): cannot open the BPF object\n", expr, link);
		failed++;
		return;
	}
	skel->rodata->nr_insns = prog->len;
	memcpy((void *)skel->rodata->insns, prog->insns, sizeof(prog->insns));
	skel->rodata->skip = raw ? ETH_HEADER_LEN : 0;
	if (pcap_test_bpf__load(skel)) {
		printf("FAIL '%s' (%s): the verifier refused it (V=1 shows its log)\n", expr, link);
		failed++;
		goto cleanup;
	}
	for (i = 0; i < NR_ORACLE_PACKETS; i++) {
		struct packet ip, eth;
		const struct packet *p = raw ? &ip : &eth;
		int kernel, want;

		oracle_packet(i, &seed, &ip, &eth);
		want = libpcap_accepts(prog->insns, p->bytes, p->len,
				       p->len < PCAP_SNAP_LEN ? p->len : PCAP_SNAP_LEN);
		kernel = kernel_result(skel, p, raw);
		if (kernel < 0 && i == 0 && kernel == -EPERM) {
			printf("SKIP '%s' (%s): BPF_PROG_TEST_RUN refused (%s)\n", expr, link,
			       strerror(-kernel));
			skipped++;
			goto cleanup;
		}
		if (kernel != want) {
			printf("FAIL '%s' (%s): packet %d: kernel %d, libpcap %d\n", expr, link, i,
			       kernel, want);
			failed++;
			goto cleanup;
		}
		matched += want;
	}
	if (!raw && (!matched || matched == NR_ORACLE_PACKETS)) {
		printf("FAIL '%s' (%s): %u of %d accepted: the packets do not exercise it\n", expr,
		       link, matched, NR_ORACLE_PACKETS);
		failed++;
		goto cleanup;
	}
	printf("PASS '%s' (%s): %d packets, %u accepted, as libpcap\n", expr, link,
	       NR_ORACLE_PACKETS, matched);
	passed++;
cleanup:
	pcap_test_bpf__destroy(skel);
}

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	return getenv("V") ? vfprintf(stderr, fmt, args) : 0;
}

int main(void)
{
	static struct pcap_filter filter;

	if (geteuid() != 0) {
		printf("SKIP pcap BPF tests: they need root\n");
		printf("host-pcap: 0 passed, 0 failed, 1 skipped\n");
		return 0;
	}
	libbpf_set_print(print_libbpf);
	for (size_t e = 0; e < NR_ORACLE_EXPRESSIONS; e++) {
		char err[PCAP_MESSAGE_LEN];

		memset(&filter, 0, sizeof(filter));
		if (!pcap_filter_compile(oracle_expressions[e], &filter, err, sizeof(err))) {
			printf("FAIL '%s': %s\n", oracle_expressions[e], err);
			failed++;
			continue;
		}
		compare(oracle_expressions[e], &filter.l3, true);
		compare(oracle_expressions[e], &filter.l2, false);
	}
	printf("host-pcap: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
