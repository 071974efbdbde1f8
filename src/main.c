// SPDX-License-Identifier: Apache-2.0
/* skbtracer-iptables: parse → check → load and attach → print events → clean up. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "event_queue.h"
#include "format.h"
#include "ksyms.h"
#include "lost.h"
#include "netns_names.h"
#include "nft_trace_switch.h"
#include "options.h"
#include "privileges.h"
#include "record.h"
#include "render_json.h"
#include "render_text.h"
#include "group.h"
#include "rules.h"
#include "summary.h"
#include "system_iptables.h"
#include "tracer.h"
#include "xt_fetch.h"

#define EXIT_USAGE 2
#define EXIT_SIGNAL_BASE 128 /* start-up interrupted by signal N: exit 128 + N */
#define POLL_MS 100
#define STDOUT_BUFFER (64 * 1024)
#define NS_PER_SEC 1000000000ULL
#define QUEUED_EVENTS 4096
#define PRINTER_GRACE_SEC 2
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
#define STARTUP_INTERRUPTED "Interrupted during start-up"
/* The start of every JSON message, for the signal handler that cannot use the writer. */
#define JSON_OBJECT_START "{\"schema_version\":" STRINGIFY(JSON_SCHEMA_VERSION)
#define NETNS_NAME_WAIT_MS 200 /* the longest a new namespace holds the printer up */

static volatile sig_atomic_t stop_signal;

static bool stop_requested(void)
{
	return stop_signal != 0;
}

static void on_signal(int sig)
{
	stop_signal = sig;
	signal(sig, SIG_DFL); /* a second one ends the program at once */
}

static volatile sig_atomic_t json_messages; /* -o json: the message below as an object */

/*
 * Until tracing starts a signal ends the program at once: loading can take seconds, and all it
 * holds is released by the kernel (BPF objects are file descriptors, the --nft-trace table is
 * owned by its socket on 5.12+). Only async-signal-safe calls here.
 */
static void on_startup_signal(int sig)
{
	static const char msg[] = STARTUP_INTERRUPTED "\n";
	static const char json[] =
		JSON_OBJECT_START ",\"type\":\"error\",\"message\":\"" STARTUP_INTERRUPTED "\"}\n";

	ssize_t ignored = json_messages ? write(STDERR_FILENO, json, sizeof(json) - 1)
					: write(STDERR_FILENO, msg, sizeof(msg) - 1);

	(void)ignored;
	_exit(EXIT_SIGNAL_BASE + sig);
}

/* The queue's slots hold the largest kind of record. */
#define QUEUED_RECORD_SIZE                                                       \
	(sizeof(struct event) > sizeof(struct drop_event) ? sizeof(struct event) \
							  : sizeof(struct drop_event))

struct run_state {
	const struct config *cfg;
	struct tracer *tracer;
	struct ksyms *ksyms; /* names drop locations and stack frames; NULL: addresses */
	struct rules_cache *rules;
	struct nft_trace_switch *nft_trace; /* NULL without --nft-trace */
	struct netns_names *netns_names;    /* NULL without --netns-names */
	struct time_format time_format;
	bool have_first;
	unsigned long events;
	_Atomic bool done;	    /* -c reached */
	_Atomic bool stdout_closed; /* e.g. | head -n 3 */
	/* The reader queues events; one printer thread names rules and prints, in order. */
	struct event_queue *queue;
	_Atomic __u64 queue_full;     /* events the queue had no room for */
	_Atomic __u64 unknown_events; /* of a kind or version this program does not read */
	bool printer_stuck;	      /* blocked writing: nobody reads standard output */
	struct lost_counts reported_lost;
	struct grouper groups; /* --group: the printer's open blocks */
	/* --summary: the printer counts, the polling thread prints every summary_sec */
	struct summary summary;
	pthread_mutex_t summary_lock;
	__u64 summary_oom;  /* events the summary could not count */
	__u64 started_ns;   /* monotonic: when tracing began */
	bool stdout_is_tty; /* refresh the summary in place */
};

static __u64 clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/* A message for the user on stderr: a line, or a JSON object with -o json. */
static void notice(const struct config *cfg, const char *text)
{
	if (cfg->output == OUTPUT_JSON)
		render_json_notice(stderr, text);
	else
		fprintf(stderr, "%s\n", text);
}

/* A message to the JSON reader only: nft_trace_switch's. */
static void json_notice(const char *text)
{
	render_json_notice(stderr, text);
}

/*
 * An error that ends the program: prefix and text on one line, or with -o json the object
 * {"type":"error","message":TEXT} (the exit status is the same).
 */
static void fatal(const struct config *cfg, const char *prefix, const char *text)
{
	struct json_writer w;

	if (cfg->output != OUTPUT_JSON) {
		fprintf(stderr, "%s%s\n", prefix, text);
		return;
	}
	render_json_begin(&w, stderr, "error");
	jw_string_field(&w, "message", text);
	jw_object_end(&w);
	jw_end_line(&w);
}

static int write_record(struct run_state *rs, const struct trace_record *r)
{
	if (rs->cfg->output == OUTPUT_JSON)
		return render_json(stdout, r);
	struct text_options o = { .verbose = rs->cfg->verbose,
				  .show_id = rs->cfg->show_id,
				  .show_ct = rs->cfg->show_ct };

	return render_text(stdout, r, &rs->time_format, &o);
}

/* --stack: the stack stored under id, named; NULL when there is none. */
static const struct stack_record *read_stack(struct run_state *rs, __s32 id)
{
	static struct stack_record stack; /* one printer thread */
	__u64 ips[STACK_DEPTH];
	int n;

	if (!rs->cfg->stack || id < 0)
		return NULL;
	n = tracer_stack(rs->tracer, id, ips);
	stack_record_build(&stack, ips, n, rs->ksyms);
	return &stack;
}

static void count_event(struct run_state *rs)
{
	rs->events++;
	if (rs->cfg->catch_count && rs->events >= rs->cfg->catch_count)
		rs->done = true;
}

static void first_event(struct run_state *rs, __u64 ts_ns)
{
	if (!rs->have_first) {
		rs->time_format.first_ns = ts_ns;
		rs->have_first = true;
	}
}

/* A drop outside the tables: its line (the summary counts table calls only). */
static void print_drop(struct run_state *rs, const struct drop_event *d)
{
	static struct drop_record record; /* one printer thread */
	static struct netns_label netns_label;
	struct text_options o = { .show_id = rs->cfg->show_id };
	int ret;

	if (rs->cfg->summary_sec)
		return;
	first_event(rs, d->ts_ns);
	drop_record_build(&record, d, rs->time_format.realtime_off_ns, &rs->tracer->reasons,
			  rs->ksyms);
	record.stack = read_stack(rs, d->stack_id);
	if (rs->netns_names) {
		netns_names_lookup(rs->netns_names, d->netns, &netns_label);
		record.netns_label = &netns_label;
	}
	if (rs->cfg->group)
		ret = group_drop(&rs->groups, stdout, &record);
	else if (rs->cfg->output == OUTPUT_JSON)
		ret = render_json_drop(stdout, &record);
	else
		ret = render_text_drop(stdout, &record, &rs->time_format, &o);
	if (ret < 0) {
		rs->stdout_closed = true;
		return;
	}
	count_event(rs);
}

static void print_event(struct run_state *rs, const struct event *e)
{
	static struct trace_record record; /* one printer thread; large */
	static struct netns_label netns_label;
	bool summary = rs->cfg->summary_sec;

	first_event(rs, e->ts_ns);
	record_build(&record, e, rs->time_format.realtime_off_ns);
	record.stack = read_stack(rs, e->stack_id);
	rules_attribute(rs->rules, e, &record.rule, rs->cfg->verbose && !summary);
	if (rs->netns_names) {
		netns_names_lookup(rs->netns_names, e->netns, &netns_label);
		record.netns_label = &netns_label;
	}
	record_nat(&record);
	if (summary) {
		pthread_mutex_lock(&rs->summary_lock);
		if (summary_add(&rs->summary, &record))
			rs->summary_oom++;
		pthread_mutex_unlock(&rs->summary_lock);
	} else if (rs->cfg->group) {
		if (group_add(&rs->groups, stdout, &record) < 0) {
			rs->stdout_closed = true;
			return;
		}
	} else if (write_record(rs, &record) < 0) {
		rs->stdout_closed = true;
		return;
	}
	count_event(rs);
}

/* A queue record of this size is no event: --group's printer prints the packets now done. */
static const char group_tick = 0;

static void *printer_thread(void *ctx)
{
	static union {
		struct event table_call;
		struct drop_event drop;
	} record; /* one printer thread */
	struct run_state *rs = ctx;
	size_t size;

	while (event_queue_pop(rs->queue, &record, &size)) {
		if (rs->stdout_closed)
			continue;
		if (size == sizeof(group_tick)) {
			if (rs->cfg->group &&
			    (group_flush_idle(&rs->groups, stdout, clock_ns(CLOCK_MONOTONIC),
					      GROUP_IDLE_NS) < 0 ||
			     fflush(stdout) == EOF))
				rs->stdout_closed = true;
			continue;
		}
		if (rs->done)
			continue;
		if (event_known(&record, size) == EVENT_TABLE_CALL)
			print_event(rs, &record.table_call);
		else if (event_known(&record, size) == EVENT_DROP)
			print_drop(rs, &record.drop);
		/* caught up: what it printed goes out now; under load, a write per full buffer */
		if (!rs->stdout_closed && event_queue_empty(rs->queue) && fflush(stdout) == EOF)
			rs->stdout_closed = true;
	}
	if (!rs->stdout_closed &&
	    ((rs->cfg->group && group_flush_all(&rs->groups, stdout) < 0) || fflush(stdout) == EOF))
		rs->stdout_closed = true;
	group_free(&rs->groups);
	return NULL;
}

/* The ring-buffer callback: never waits for rule text. */
static int queue_event(void *ctx, void *data, size_t size)
{
	static struct event decoded; /* one reader thread */
	struct run_state *rs = ctx;

	if (rs->done || rs->stdout_closed)
		return 1;
	if (size >= sizeof(__u32) && *(const __u32 *)data == EVENT_TABLE_CALL) {
		if (!event_decode(data, size, &decoded)) {
			rs->unknown_events++;
			return 0;
		}
		data = &decoded;
		size = sizeof(decoded);
	}
	switch (event_known(data, size)) {
	case EVENT_TABLE_CALL:
		size = sizeof(struct event);
		break;
	case EVENT_DROP:
		size = sizeof(struct drop_event);
		break;
	default:
		rs->unknown_events++;
		return 0;
	}
	if (!event_queue_push(rs->queue, data, size))
		rs->queue_full++;
	return 0;
}

static void read_lost(struct run_state *rs, struct tracer *t, struct lost_counts *now)
{
	lost_read(t, now);
	now->queue_full = rs->queue_full;
}

/* Losses since the last report: lines, or one {"type":"lost",...} object with -o json. */
static void report_lost(struct run_state *rs, struct tracer *t)
{
	struct lost_counts now;
	struct json_writer w;

	read_lost(rs, t, &now);
	if (rs->cfg->output != OUTPUT_JSON) {
		lost_report_progress(stderr, &now, &rs->reported_lost);
		return;
	}
	if (!memcmp(&now, &rs->reported_lost, sizeof(now)))
		return;
	render_json_begin(&w, stderr, "lost");
	lost_write_json(&w, &now);
	jw_object_end(&w);
	jw_end_line(&w);
	rs->reported_lost = now;
}

/* The --summary block: in place on a terminal, one block after another otherwise. */
static void print_summary(struct run_state *rs, struct tracer *t)
{
	double elapsed = (clock_ns(CLOCK_MONOTONIC) - rs->started_ns) / 1e9;
	struct lost_counts lost;
	int ret = 0;

	read_lost(rs, t, &lost);
	pthread_mutex_lock(&rs->summary_lock);
	summary_sort(&rs->summary);
	if (rs->cfg->output == OUTPUT_JSON) {
		ret = summary_render_json(stdout, &rs->summary, elapsed, &lost);
	} else {
		summary_render_text(stdout, &rs->summary, elapsed, &lost, rs->stdout_is_tty);
	}
	pthread_mutex_unlock(&rs->summary_lock);
	if (ret < 0 || fflush(stdout) == EOF)
		rs->stdout_closed = true;
}

/* `nft flush ruleset` removes the table where the kernel has no table owners (before 5.12). */
static void check_nft_trace_switch(const struct config *cfg, struct nft_trace_switch *sw)
{
	char err[256], text[512];

	if (!sw)
		return;
	switch (nft_trace_switch_check(sw, err, sizeof(err))) {
	case 1:
		snprintf(text, sizeof(text),
			 "Table inet %s was deleted by someone else: added it again", sw->table);
		notice(cfg, text);
		break;
	case -1:
		snprintf(text, sizeof(text),
			 "Error: table inet %s was deleted by someone else and %s: "
			 "nftables lines name no rule from now on",
			 sw->table, err);
		notice(cfg, text);
		break;
	}
}

static void install_signal_handlers(void (*handler)(int))
{
	signal(SIGINT, handler);
	signal(SIGTERM, handler);
	signal(SIGHUP, handler);
}

static int trace(struct tracer *t, struct run_state *rs)
{
	__u64 last_report = clock_ns(CLOCK_MONOTONIC), last_summary = last_report;
	int ret = 0;

	while (!stop_signal && !rs->done && !rs->stdout_closed) {
		ret = tracer_poll(t, POLL_MS);
		if (ret < 0 && ret != -EINTR && !rs->stdout_closed) {
			char text[128];

			snprintf(text, sizeof(text), "reading events failed: %s", strerror(-ret));
			fatal(rs->cfg, "Error: ", text);
			return 1;
		}
		if (rs->cfg->summary_sec &&
		    clock_ns(CLOCK_MONOTONIC) - last_summary >= rs->cfg->summary_sec * NS_PER_SEC) {
			print_summary(rs, t);
			last_summary = clock_ns(CLOCK_MONOTONIC);
		}
		if (clock_ns(CLOCK_MONOTONIC) - last_report >= NS_PER_SEC) {
			/* --group: the printer prints the packets done meanwhile */
			if (rs->cfg->group)
				event_queue_push(rs->queue, &group_tick, sizeof(group_tick));
			if (!rs->cfg->summary_sec) /* the summary shows what was lost */
				report_lost(rs, t);
			check_nft_trace_switch(rs->cfg, rs->nft_trace);
			last_report = clock_ns(CLOCK_MONOTONIC);
		}
	}
	if (!rs->stdout_closed)
		tracer_poll(t, 0); /* what the programs sent since the last poll */
	if (stop_signal)
		notice(rs->cfg, "Received signal, exiting program...");
	return 0;
}

/* What is queued prints in well under a second, unless nobody reads standard output. */
static bool joined_within(pthread_t thread, int seconds)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += seconds;
	return !pthread_timedjoin_np(thread, NULL, &deadline);
}

/* Polls in this thread, names rules and prints in another; the queue is between them. */
static int trace_with_printer(struct tracer *t, struct run_state *rs)
{
	pthread_t printer;
	int status;

	rs->queue = event_queue_new(QUEUED_EVENTS, QUEUED_RECORD_SIZE);
	if (!rs->queue || pthread_create(&printer, NULL, printer_thread, rs)) {
		fatal(rs->cfg, "Error: ", "cannot start the printer thread");
		event_queue_free(rs->queue);
		return 1;
	}
	status = trace(t, rs);
	event_queue_close(rs->queue);
	if (!joined_within(printer, PRINTER_GRACE_SEC)) {
		rs->printer_stuck = true;
		return 1;
	}
	event_queue_free(rs->queue);
	return status;
}

/* The exit summary: events, losses by cause, records skipped. */
static void print_end(struct run_state *rs)
{
	struct json_writer w;

	if (rs->cfg->output == OUTPUT_JSON) {
		render_json_begin(&w, stderr, "end");
		jw_uint_field(&w, "events", rs->events);
		jw_name(&w, "lost");
		jw_object_begin(&w);
		lost_write_json(&w, &rs->reported_lost);
		jw_object_end(&w);
		jw_uint_field(&w, "unknown_records", rs->unknown_events);
		jw_uint_field(&w, "summary_not_counted", rs->summary_oom);
		jw_object_end(&w);
		jw_end_line(&w);
		return;
	}
	fprintf(stderr, "%lu events, %llu lost\n", rs->events,
		(unsigned long long)lost_total(&rs->reported_lost));
	lost_report_causes(stderr, &rs->reported_lost);
	if (rs->unknown_events)
		fprintf(stderr, "%llu records of an unknown kind or version skipped\n",
			(unsigned long long)rs->unknown_events);
	if (rs->summary_oom)
		fprintf(stderr, "Error: out of memory: the summary missed %llu events\n",
			(unsigned long long)rs->summary_oom);
}

int main(int argc, char **argv)
{
	struct config cfg;
	struct tracer tracer = {};
	struct run_state rs = { .cfg = &cfg, .summary_lock = PTHREAD_MUTEX_INITIALIZER };
	struct nft_trace_switch nft_trace = { .sock = -1 };
	const char *iptables_hint;
	char err[512];
	int status;

	switch (parse_options(argc, argv, &cfg, stdout, err, sizeof(err))) {
	case PARSE_EXIT:
		return 0;
	case PARSE_ERROR: /* -o json seen before the error: as an object */
		fatal(&cfg, "skbtracer-iptables: ", err);
		return EXIT_USAGE;
	case PARSE_WRITE_ERROR:
		fatal(&cfg, "skbtracer-iptables: ", err);
		return 1;
	case PARSE_OK:
		break;
	}
	json_messages = cfg.output == OUTPUT_JSON;
	if (!have_tracing_privileges(err, sizeof(err))) {
		fatal(&cfg, "Error: ", err);
		return 1;
	}
	tracer_set_libbpf_log(cfg.debug);
	/* a bad --btf is a bad command line: its one line, before the notices */
	status = tracer_check_btf(&tracer, &cfg, err, sizeof(err));
	if (status) {
		fatal(&cfg, status == -EBADMSG ? "skbtracer-iptables: " : "Error: ", err);
		return status == -EBADMSG ? EXIT_USAGE : 1;
	}
	if (cfg.pcap.note[0])
		notice(&cfg, cfg.pcap.note);
	if (cfg.track_rules) {
		attribution_limits(err, sizeof(err));
		if (err[0])
			notice(&cfg, err);
	}
	setvbuf(stdout, NULL, _IOFBF, STDOUT_BUFFER); /* flushed when the printer catches up */
	signal(SIGPIPE, SIG_IGN); /* a closed stdout shows up as EPIPE from printf() */
	install_signal_handlers(on_startup_signal);
	run_in_netns_set_stop_check(stop_requested);

	status = tracer_start(&tracer, &cfg, queue_event, &rs, err, sizeof(err));
	if (status == -EBADMSG && cfg.btf_path) { /* the --btf file: a bad command line */
		fatal(&cfg, "skbtracer-iptables: ", err);
		return EXIT_USAGE;
	}
	if (status) {
		fatal(&cfg, "Error: ", err);
		return 1;
	}
	rs.tracer = &tracer;
	if (cfg.drops || cfg.stack) {
		rs.ksyms = ksyms_load("/proc/kallsyms", err, sizeof(err));
		if (!rs.ksyms || ksyms_hidden(rs.ksyms))
			notice(&cfg, rs.ksyms ? "/proc/kallsyms hides kernel addresses (it needs "
						"root or CAP_SYSLOG): drop places and stacks are "
						"shown as addresses"
					      : err);
	}
	rs.rules = rules_cache_new(tracer_table_generation, &tracer);
	if (cfg.netns_names)
		rs.netns_names = netns_names_new(&netns_system_roots, NETNS_NAME_WAIT_MS);
	if (!rs.rules || (cfg.netns_names && !rs.netns_names)) {
		fatal(&cfg, "Error: ", "out of memory");
		rules_cache_free(rs.rules);
		tracer_stop(&tracer);
		return 1;
	}
	if (cfg.nft_trace) {
		if (cfg.output == OUTPUT_JSON)
			nft_trace.say = json_notice;
		if (nft_trace_switch_on(&nft_trace, err, sizeof(err))) {
			fatal(&cfg, "Error: ", err);
			rules_cache_free(rs.rules);
			netns_names_free(rs.netns_names);
			tracer_stop(&tracer);
			return 1;
		}
		rs.nft_trace = &nft_trace;
		snprintf(err, sizeof(err),
			 "Added table inet %s: one chain hooked nowhere (no packet runs it) "
			 "that switches nftables tracing on; %s",
			 nft_trace.table,
			 nft_trace.owned ? "the kernel deletes it when this program ends"
					 : "removed at exit (this kernel has no table owners: "
					   "a kill -9 leaves it, the next run deletes it)");
		notice(&cfg, err);
	} else if (tracer.functions[FUNC_NFT_DO_CHAIN].found) {
		notice(&cfg, "nftables lines name no rule: --nft-trace adds that");
	}
	rs.time_format.relative = cfg.time_mode == TIME_RELATIVE;
	rs.time_format.realtime_off_ns =
		(__s64)(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC));
	iptables_hint = describe_iptables_variant(system_iptables_variant());
	if (iptables_hint)
		notice(&cfg, iptables_hint);
	rs.stdout_is_tty = isatty(STDOUT_FILENO);
	rs.started_ns = clock_ns(CLOCK_MONOTONIC);
	install_signal_handlers(on_signal);
	rs.groups.tf = &rs.time_format;
	if (cfg.output == OUTPUT_TEXT && !cfg.summary_sec && !cfg.group)
		if (puts(cfg.netns_names ? format_header_netns_names() : format_header()) == EOF ||
		    fflush(stdout) == EOF)
			rs.stdout_closed = true;
	notice(&cfg, "Tracing... Hit Ctrl-C to end.");

	status = trace_with_printer(&tracer, &rs);
	if (rs.printer_stuck) {
		/* It holds stdout's lock: end without touching stdout, what it uses, or exit(). */
		fatal(&cfg, "Error: ",
		      "the printer did not finish within 2 s (nobody reads standard output?): "
		      "exiting without printing the events still queued");
		if (cfg.nft_trace)
			nft_trace_switch_off(&nft_trace);
		_exit(1);
	}
	if (cfg.summary_sec && !rs.stdout_closed) {
		print_summary(&rs, &tracer); /* once more: what came since the last refresh */
		read_lost(&rs, &tracer, &rs.reported_lost);
	} else {
		report_lost(&rs, &tracer);
	}
	tracer_debug_walks(&tracer);
	tracer_stop(&tracer);
	rules_cache_free(rs.rules);
	netns_names_free(rs.netns_names);
	ksyms_free(rs.ksyms);
	if (cfg.nft_trace) {
		if (nft_trace_switch_off(&nft_trace)) {
			snprintf(err, sizeof(err), "Removed table inet %s", nft_trace.table);
			notice(&cfg, err);
		} else {
			snprintf(err, sizeof(err),
				 "could not remove table inet %s: delete it with "
				 "`nft delete table inet %s`",
				 nft_trace.table, nft_trace.table);
			fatal(&cfg, "Error: ", err);
		}
	}
	print_end(&rs);
	summary_free(&rs.summary);
	return rs.summary_oom ? 1 : status;
}
