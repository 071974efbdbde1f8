// SPDX-License-Identifier: Apache-2.0
/*
 * Host drop tests (root): the skb:kfree_skb programs (tp_btf, and raw_tracepoint as with --btf)
 * attach here even where the table hooks cannot. A UDP datagram to a closed port on 127.0.0.1
 * is dropped by the kernel (reason NO_SOCKET on 5.17+): the program must report it with its
 * reason, place and stack when the filter names the port, and nothing when the filter names
 * another port or when the datagram is received normally (consume_skb, not a drop).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "ksyms.h"
#include "options.h"
#include "record.h"
#include "render_json.h"
#include "render_text.h"
#include "tracer.h"
#include "skbtracer.skel.h"

static int passed, failed, skipped;

#define CHECK(cond, what, ...)                                              \
	do {                                                                \
		if (cond) {                                                 \
			passed++;                                           \
		} else {                                                    \
			failed++;                                           \
			printf("FAIL %s: " what "\n", name, ##__VA_ARGS__); \
		}                                                           \
	} while (0)

struct seen {
	int drops;
	struct drop_event first;
};

static int on_record(void *ctx, void *data, size_t size)
{
	struct seen *seen = ctx;

	if (event_known(data, size) != EVENT_DROP)
		return 0;
	if (!seen->drops++)
		memcpy(&seen->first, data, sizeof(seen->first));
	return 0;
}

static void send_udp(int port, int receiver)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	char buf[8];

	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || sendto(fd, "drop me", 7, 0, (struct sockaddr *)&to, sizeof(to)) != 7)
		printf("# sendto port %d: %s\n", port, strerror(errno));
	if (receiver >= 0 && recv(receiver, buf, sizeof(buf), 0) < 0)
		printf("# recv: %s\n", strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* A UDP socket bound on 127.0.0.1 to a free port; *port gets the port. */
static int bound_socket(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

/* Datagrams trace_one sends; the cost measurement sends many. */
static int datagrams = 1;

/* --btf given: the raw_tracepoint program instead of tp_btf (kernels without vmlinux BTF). */
static bool use_raw_tracepoint;

/*
 * Traces with --dport filter_port (and --stack), sends one datagram to port (received by
 * receiver when >= 0), and collects the drops reported.
 */
static int trace_one(const char *name, int filter_port, int port, int receiver, struct seen *seen,
		     struct tracer *t)
{
	static struct config cfg;
	struct ring_buffer *rb = NULL;
	struct bpf_link *link = NULL;
	char err[512] = "";
	int ret;

	cfg = (struct config){
		.backend = BACKEND_KPROBE,
		.filter = { .flags = FILTER_DPORT, .dport = filter_port },
		.engines = 1u << ENGINE_IPTABLES,
		.drops = true,
		.stack = true,
		.btf_path = use_raw_tracepoint ? "/sys/kernel/btf/vmlinux" : NULL,
	};
	memset(seen, 0, sizeof(*seen));
	ret = tracer_load_only(t, &cfg, BACKEND_KPROBE, err, sizeof(err));
	if (ret) {
		printf("FAIL %s: loading: %s\n", name, err);
		failed++;
		return -1;
	}
	link = bpf_program__attach(use_raw_tracepoint ? t->skel->progs.raw_tp_kfree_skb
						      : t->skel->progs.tp_kfree_skb);
	rb = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_record, seen, NULL);
	if (!link || !rb) {
		printf("SKIP %s: cannot attach to skb:kfree_skb here (%s)\n", name,
		       strerror(errno));
		skipped++;
		ret = -1;
	} else {
		for (int i = 0; i < datagrams; i++)
			send_udp(port, receiver);
		/* records wake a reader only once the ring fills (ring_wakeup): poll, then take */
		for (int i = 0; i < 5; i++)
			ring_buffer__poll(rb, 100);
		ring_buffer__consume(rb);
	}
	ring_buffer__free(rb);
	bpf_link__destroy(link);
	return ret;
}

static void test_closed_port(int port, const struct ksyms *ks)
{
	static struct drop_record r;
	const char *name = use_raw_tracepoint ? "closed port, filter on it (raw_tracepoint)"
					      : "closed port, filter on it";
	struct tracer t = {};
	struct stack_record stack;
	__u64 ips[STACK_DEPTH];
	char text[2048], *json = NULL;
	size_t json_len = 0;
	struct seen seen;
	FILE *out;
	int udp_frames = 0;

	if (trace_one(name, port, port, -1, &seen, &t)) {
		tracer_stop(&t);
		return;
	}
	CHECK(seen.drops == 1, "%d drops reported, expected 1", seen.drops);
	if (!seen.drops) {
		tracer_stop(&t);
		return;
	}
	drop_record_build(&r, &seen.first, 0, &t.reasons, ks);
	stack_record_build(&stack, ips, tracer_stack(&t, seen.first.stack_id, ips), ks);
	r.stack = &stack;
	CHECK(seen.first.packet.l4proto == IPPROTO_UDP && seen.first.packet.dport == port,
	      "the packet: proto %u dport %u", seen.first.packet.l4proto, seen.first.packet.dport);
	if (t.reasons.has_reason)
		CHECK(r.reason && !strcmp(r.reason, "NO_SOCKET"), "reason %s (code %u)",
		      r.reason ? r.reason : "(unnamed)", seen.first.reason);
	CHECK(strstr(r.location, "udp") && r.location[0] != '0', "location %s", r.location);
	for (int i = 0; i < stack.count; i++)
		udp_frames += strstr(stack.frames[i], "udp") != NULL;
	CHECK(stack.count > 2 && udp_frames, "stack of %d frames, %d in udp code", stack.count,
	      udp_frames);
	render_text_drop_info(&r, text, sizeof(text));
	printf("# %s; stack: %s, %s, ...\n", text, stack.count > 0 ? stack.frames[0] : "-",
	       stack.count > 1 ? stack.frames[1] : "-");
	CHECK(!strncmp(text, "pkt_type=", 9) && strstr(text, " dropped reason=NO_SOCKET at ") &&
		      !strstr(text, " after ") && !strstr(text, " in "),
	      "text '%s'", text);
	out = open_memstream(&json, &json_len);
	if (out) {
		render_json_drop(out, &r);
		fclose(out);
	}
	CHECK(json && strstr(json, "\"type\":\"drop\"") &&
		      strstr(json, "\"reason\":\"NO_SOCKET\"") && strstr(json, "\"stack\":[\""),
	      "json %s", json ? json : "(none)");
	free(json);
	tracer_stop(&t);
}

static void test_not_traced(int closed, int open_port, int receiver)
{
	struct tracer t = {};
	struct seen seen;
	const char *name = "closed port, filter on another";

	if (!trace_one(name, closed + 1, closed, -1, &seen, &t))
		CHECK(seen.drops == 0, "%d drops reported, expected none", seen.drops);
	tracer_stop(&t);
	memset(&t, 0, sizeof(t));
	name = "received datagram (consume_skb)";
	if (!trace_one(name, open_port, open_port, receiver, &seen, &t))
		CHECK(seen.drops == 0, "%d drops reported, expected none", seen.drops);
	tracer_stop(&t);
}

/*
 * Informational, not asserted: the program's own run time per call (bpf_stats) for drops the
 * filter rejects, the cost every freed packet on the system pays. Skipped where stats are not
 * available.
 */
static void measure_filtered_out(int closed)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	struct tracer t = {};
	struct seen seen;
	int stats = bpf_enable_stats(BPF_STATS_RUN_TIME);

	if (stats < 0) {
		printf("# cost not measured: bpf_enable_stats: %s\n", strerror(errno));
		return;
	}
	datagrams = 20000;
	if (!trace_one("cost", closed + 1, closed, -1, &seen, &t) &&
	    !bpf_obj_get_info_by_fd(bpf_program__fd(t.skel->progs.tp_kfree_skb), &info, &len) &&
	    info.run_cnt)
		printf("# filtered out (--dport %d, %d datagrams to %d): %llu calls, %llu ns per "
		       "call in the program\n",
		       closed + 1, datagrams, closed, (unsigned long long)info.run_cnt,
		       (unsigned long long)(info.run_time_ns / info.run_cnt));
	datagrams = 1;
	tracer_stop(&t);
	close(stats);
}

int main(void)
{
	char err[256];
	struct ksyms *ks;
	int open_port = 0, closed = 0, receiver, probe;

	if (geteuid() != 0) {
		printf("SKIP host drop tests: they need root\n");
		printf("host-drops: 0 passed, 0 failed, 1 skipped\n");
		return 0;
	}
	tracer_set_libbpf_log(getenv("V") != NULL);
	ks = ksyms_load("/proc/kallsyms", err, sizeof(err));
	receiver = bound_socket(&open_port);
	probe = bound_socket(&closed); /* a port free a moment ago: closed once this closes */
	if (!ks || receiver < 0 || probe < 0) {
		printf("FAIL setup: %s\n", ks ? strerror(errno) : err);
		return 1;
	}
	close(probe);
	test_closed_port(closed, ks);
	test_not_traced(closed, open_port, receiver);
	measure_filtered_out(closed);
	use_raw_tracepoint = true;
	test_closed_port(closed, ks);
	close(receiver);
	ksyms_free(ks);
	printf("host-drops: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
