// SPDX-License-Identifier: Apache-2.0
/* skbtracer-iptables: parse → check → load and attach → print events → clean up. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "format.h"
#include "nft_trace_switch.h"
#include "options.h"
#include "privileges.h"
#include "rules.h"
#include "system_iptables.h"
#include "tracer.h"

#define EXIT_USAGE 2
#define EXIT_SIGNAL_BASE 128 /* start-up interrupted by signal N: exit 128 + N */
#define POLL_MS 100
#define NS_PER_SEC 1000000000ULL

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
	signal(sig, SIG_DFL); /* a second one ends the program at once */
}

struct run_state {
	const struct config *cfg;
	struct rules_cache *rules;
	struct time_format time_format;
	bool have_first;
	unsigned long events;
	bool done;	    /* -c reached */
	bool stdout_closed; /* e.g. | head -n 3 */
	__u64 reported_lost;
};

static __u64 clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static int print_event(void *ctx, void *data, size_t size)
{
	struct run_state *rs = ctx;
	const struct event *e = data;
	char line[1280], rule[8192], matched[16384];

	if (size < sizeof(*e) || rs->done || rs->stdout_closed)
		return 0;
	if (!rs->have_first) {
		rs->time_format.first_ns = e->ts_ns;
		rs->have_first = true;
	}
	format_event(e, &rs->time_format, line, sizeof(line));
	describe_rules(rs->rules, e, rule, sizeof(rule), rs->cfg->verbose ? matched : NULL,
		       sizeof(matched));
	if (printf("%s%s\n%s", line, rule, rs->cfg->verbose ? matched : "") < 0 ||
	    fflush(stdout) == EOF) {
		rs->stdout_closed = true;
		return -EPIPE;
	}
	rs->events++;
	if (rs->cfg->catch_count && rs->events >= rs->cfg->catch_count) {
		rs->done = true;
		return 1;
	}
	return 0;
}

static __u64 total_lost(struct tracer *t)
{
	__u64 counters[COUNTER_MAX] = {};

	if (tracer_read_counters(t, counters))
		return 0;
	return counters[COUNTER_LOST] + counters[COUNTER_UNPAIRED];
}

static void report_lost(struct run_state *rs, struct tracer *t)
{
	__u64 lost = total_lost(t);

	if (lost == rs->reported_lost)
		return;
	fprintf(stderr, "Lost %llu events (%llu in total): the reader could not keep up\n",
		(unsigned long long)(lost - rs->reported_lost), (unsigned long long)lost);
	rs->reported_lost = lost;
}

static void install_signal_handlers(void)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, SIG_IGN); /* a closed stdout shows up as EPIPE from puts() */
}

static int trace(struct tracer *t, struct run_state *rs)
{
	__u64 last_report = clock_ns(CLOCK_MONOTONIC);
	int ret = 0;

	while (!stop_signal && !rs->done && !rs->stdout_closed) {
		ret = tracer_poll(t, POLL_MS);
		if (ret < 0 && ret != -EINTR && !rs->stdout_closed) {
			fprintf(stderr, "Error: reading events failed: %s\n", strerror(-ret));
			return 1;
		}
		if (clock_ns(CLOCK_MONOTONIC) - last_report >= NS_PER_SEC) {
			report_lost(rs, t);
			last_report = clock_ns(CLOCK_MONOTONIC);
		}
	}
	if (stop_signal)
		fprintf(stderr, "Received signal, exiting program...\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct tracer tracer = {};
	struct run_state rs = { .cfg = &cfg };
	const char *iptables_hint;
	char err[512];
	int status;

	switch (parse_options(argc, argv, &cfg, stdout, err, sizeof(err))) {
	case PARSE_EXIT:
		return 0;
	case PARSE_ERROR:
		fprintf(stderr, "skbtracer-iptables: %s\n", err);
		return EXIT_USAGE;
	case PARSE_WRITE_ERROR:
		fprintf(stderr, "skbtracer-iptables: %s\n", err);
		return 1;
	case PARSE_OK:
		break;
	}
	if (cfg.pcap.note[0])
		fprintf(stderr, "%s\n", cfg.pcap.note);
	if (!have_tracing_privileges(err, sizeof(err))) {
		fprintf(stderr, "Error: %s\n", err);
		return 1;
	}
	tracer_set_libbpf_log(cfg.debug);
	setvbuf(stdout, NULL, _IOLBF, 0);
	install_signal_handlers();

	tracer.stop = &stop_signal;
	status = tracer_start(&tracer, &cfg, print_event, &rs, err, sizeof(err));
	if (status == -EINTR) {
		fprintf(stderr, "%s\n", err);
		return EXIT_SIGNAL_BASE + stop_signal;
	}
	if (status) {
		fprintf(stderr, "Error: %s\n", err);
		return status == -EBADMSG && cfg.btf_path ? EXIT_USAGE : 1; /* the --btf file */
	}
	rs.rules = rules_cache_new(tracer_table_generation, &tracer);
	if (!rs.rules) {
		fprintf(stderr, "Error: out of memory\n");
		tracer_stop(&tracer);
		return 1;
	}
	if (cfg.nft_trace && !stop_signal) {
		if (!nft_trace_switch_on(err, sizeof(err))) {
			fprintf(stderr, "Error: %s\n", err);
			rules_cache_free(rs.rules);
			tracer_stop(&tracer);
			return 1;
		}
		fprintf(stderr,
			"Added table inet %s: one chain hooked nowhere (no packet runs it) "
			"that switches nftables tracing on; removed at exit\n",
			NFT_TRACE_SWITCH_TABLE);
	} else if (cfg.nft_trace) {
		cfg.nft_trace = false; /* interrupted: the table was not added */
	} else if (tracer.functions[FUNC_NFT_DO_CHAIN].found) {
		fprintf(stderr, "nftables lines name no rule: --nft-trace adds that\n");
	}
	rs.time_format.relative = cfg.time_mode == TIME_RELATIVE;
	rs.time_format.realtime_off_ns =
		(__s64)(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC));
	iptables_hint = stop_signal ? NULL : describe_iptables_variant(system_iptables_variant());
	if (iptables_hint)
		fprintf(stderr, "%s\n", iptables_hint);
	if (stop_signal) {
		fprintf(stderr, "Interrupted during start-up\n");
		status = EXIT_SIGNAL_BASE + stop_signal;
	} else {
		puts(format_header());
		fprintf(stderr, "Tracing... Hit Ctrl-C to end.\n");
		status = trace(&tracer, &rs);
	}
	rs.reported_lost = total_lost(&tracer);
	tracer_stop(&tracer);
	rules_cache_free(rs.rules);
	if (cfg.nft_trace) {
		if (nft_trace_switch_off())
			fprintf(stderr, "Removed table inet %s\n", NFT_TRACE_SWITCH_TABLE);
		else
			fprintf(stderr,
				"Error: could not remove table inet %s: delete it with "
				"`nft delete table inet %s`\n",
				NFT_TRACE_SWITCH_TABLE, NFT_TRACE_SWITCH_TABLE);
	}
	fprintf(stderr, "%lu events, %llu lost\n", rs.events, (unsigned long long)rs.reported_lost);
	return status;
}
