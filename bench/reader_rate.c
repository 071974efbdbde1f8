// SPDX-License-Identifier: Apache-2.0
/*
 * How many lines a second the reader formats, without a kernel: synthetic events replayed
 * through the printer's path (record_build, rules_attribute, render_text or render_json) to
 * /dev/null through a 64 KB buffer, flushed after every event (a tool that has caught up: one
 * write per line) or once at the end (the tool under load flushes only when it catches up,
 * so it writes whole buffers). The mix: legacy IPv4 TCP/UDP/ICMP and
 * IPv6 events, half with a rule= (steps as rules_attribute names them from the cache: iptables
 * does not fetch anything here), the rest with an attribution status that is not OK; nftables
 * events with no attribution. Prints the method, then lines/s per output (median, min, max of
 * the repetitions). Usage: reader-rate [events-per-repetition [repetitions]].
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "render_json.h"
#include "render_text.h"
#include "rules.h"

#define MIX 16

static struct event events[MIX];
static struct attribution given[MIX]; /* status OK: as rules_attribute leaves it */
static bool has_given[MIX];

static void addresses(struct event *e, int af, const char *src, const char *dst)
{
	e->flags |= EVENT_HAS_ADDRS;
	inet_pton(af, src, e->saddr);
	inet_pton(af, dst, e->daddr);
}

static void make_event(int i)
{
	struct event *e = &events[i];
	static const __u8 protos[] = { 6, 17, 1, 6 };

	memset(e, 0, sizeof(*e));
	e->kind = EVENT_TABLE_CALL;
	e->version = EVENT_TABLE_CALL_VERSION;
	e->ts_ns = 1000000000ull * 3600 + (__u64)i * 12345;
	e->cost_ns = 1200 + i * 37;
	e->skb = 0xffff888012345600ull + i * 0x100;
	e->netns = 4026531840u;
	e->pid = i % 3 ? 0 : 4242;
	e->cpu = i % 2;
	e->verdict = i % 5 ? 1 : 0;
	e->ip_len = 60 + i;
	e->engine = i % 4 == 3 ? ENGINE_NFTABLES : ENGINE_IPTABLES;
	e->hook = i % 5;
	e->pkt_type = 0;
	snprintf(e->in_ifname, sizeof(e->in_ifname), "eth%d", i % 2);
	snprintf(e->table, sizeof(e->table), "%s", i % 3 ? "filter" : "nat");
	if (i % 4 == 2) { /* IPv6 */
		e->family = e->engine == ENGINE_NFTABLES ? PF_FAMILY_INET : PF_FAMILY_IPV6;
		e->l3proto = ETHERTYPE_IPV6;
		e->l4proto = i % 8 == 2 ? 58 : 6;
		addresses(e, AF_INET6, "2001:db8::1", "2001:db8:0:1::2");
	} else {
		e->family = e->engine == ENGINE_NFTABLES ? PF_FAMILY_INET : PF_FAMILY_IPV4;
		e->l3proto = ETHERTYPE_IPV4;
		e->l4proto = protos[i % 4];
		addresses(e, AF_INET, "192.168.1.10", "10.0.0.2");
	}
	if (e->l4proto == 6 || e->l4proto == 17) {
		e->flags |= EVENT_HAS_PORTS;
		e->sport = 40000 + i;
		e->dport = i % 2 ? 443 : 53;
		e->tcp_flags = e->l4proto == 6 ? 0x12 : 0;
	} else {
		e->flags |= EVENT_HAS_ICMP;
		e->icmp_type = 8;
		e->icmp_id = 77;
		e->icmp_seq = i;
	}
	if (e->engine == ENGINE_NFTABLES) {
		snprintf(e->chain, sizeof(e->chain), "input");
		e->rule_status = RULES_NOT_TRACKED;
	} else if (i % 2) {
		e->rule_status = RULES_OK;
	} else {
		e->rule_status = i % 4 ? RULES_INTERFERED : RULES_NESTED;
	}
}

/* Status OK: the decider (and a jump) as rules_attribute names them from the cached table. */
static void make_attribution(int i)
{
	struct attribution *a = &given[i];

	if (events[i].rule_status != RULES_OK)
		return;
	has_given[i] = true;
	a->status = ATTRIBUTION_OK;
	a->decider = (struct rule_step){ RULE_STEP_RULE, "INPUT", 3 + i, 0,
					 "-A INPUT -s 192.168.1.0/24 -p tcp -m tcp --dport 443 "
					 "-m conntrack --ctstate NEW -j ACCEPT" };
	if (i % 3 == 0) {
		a->path[0] = (struct rule_step){ RULE_STEP_RULE, "INPUT", 1, 0, NULL };
		a->nr_path = 1;
		a->decider.chain = "ufw-user-input";
	}
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static bool no_generation(void *ctx, __u64 table_ptr, __u64 *generation)
{
	(void)ctx, (void)table_ptr, (void)generation;
	return false;
}

/* One repetition: lines per second. */
static double replay(FILE *out, struct rules_cache *cache, bool json, bool flush_each, long n)
{
	static struct trace_record record;
	struct time_format tf = { .realtime_off_ns = 1700000000ll * 1000000000ll };
	const struct text_options text = { .verbose = false };
	double start = now_s();

	for (long k = 0; k < n; k++) {
		int i = k % MIX;

		record_build(&record, &events[i], tf.realtime_off_ns);
		if (has_given[i])
			record.rule = given[i];
		else
			rules_attribute(cache, &events[i], &record.rule, false);
		if ((json ? render_json(out, &record) : render_text(out, &record, &tf, &text)) <
			    0 ||
		    (flush_each && fflush(out) == EOF)) {
			perror("reader-rate: /dev/null");
			exit(1);
		}
	}
	if (fflush(out) == EOF) {
		perror("reader-rate: /dev/null");
		exit(1);
	}
	return n / (now_s() - start);
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	int reps = argc > 2 ? atoi(argv[2]) : 7;
	static const char *const names[] = { "text", "json", "text, buffered", "json, buffered" };
	double rate[4][64];
	struct rules_cache *cache = rules_cache_new(no_generation, NULL);
	FILE *out = fopen("/dev/null", "w");

	if (n <= 0 || reps <= 0 || reps > 64 || !cache || !out) {
		fprintf(stderr, "usage: reader-rate [events>0 [repetitions 1-64]]\n");
		return 2;
	}
	setvbuf(out, NULL, _IOFBF, 64 * 1024); /* as the tool's stdout */
	for (int i = 0; i < MIX; i++) {
		make_event(i);
		make_attribution(i);
	}
	printf("reader rate: %ld events per repetition, %d repetitions, text and JSON "
	       "interleaved;\n"
	       "%d-event mix (IPv4 TCP/UDP/ICMP, IPv6, iptables with rule= or a status, "
	       "nftables),\n"
	       "record_build + rules_attribute + render to /dev/null through a 64 KB buffer,\n"
	       "fflush per event (caught up) or per repetition (buffered: the tool under load)\n",
	       n, reps, MIX);
	for (int r = 0; r < reps; r++)
		for (int j = 0; j < 4; j++)
			rate[j][r] = replay(out, cache, j & 1, j < 2, n);
	for (int j = 0; j < 4; j++) {
		qsort(rate[j], reps, sizeof(double), by_value);
		printf("%-14s %9.0f lines/s (median; min %.0f, max %.0f)\n", names[j],
		       rate[j][reps / 2], rate[j][0], rate[j][reps - 1]);
	}
	rules_cache_free(cache);
	fclose(out);
	return 0;
}
