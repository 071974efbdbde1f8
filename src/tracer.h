/* SPDX-License-Identifier: Apache-2.0 */
#ifndef TRACER_H
#define TRACER_H

#include <signal.h>
#include <bpf/libbpf.h>
#include "btf_probe.h"
#include "drop_reason.h"
#include "options.h"

/* The loaded and attached BPF side. */
struct tracer {
	struct skbtracer_bpf *skel;
	struct ring_buffer *events; /* kernels with a BPF ring buffer (5.8+) */
	struct perf_buffer *perf;   /* older kernels */
	ring_buffer_sample_fn on_event;
	void *on_event_ctx;
	__u64 perf_lost;	  /* events the perf buffer dropped */
	enum backend backend;	  /* the one that attached: fentry or kprobe */
	bool bounded_walk;	  /* no bpf_loop: the object with a bounded rule walk */
	bool typed_reads;	  /* bpf_rdonly_cast (6.2+): the object with plain loads */
	bool typed_reads_refused; /* the verifier refused that object: the one that probe-reads */
	bool walk_refused;	  /* the verifier refused the rule walk: loaded without it */
	char recseq_why[300]; /* why x_tables' xt_recseq was not found (the walk with bpf_loop) */
	const char *btf_path; /* --btf FILE, or the merged BTF of --btf DIR */
	char merged_btf_path[32];
	int merged_btf_fd;     /* open while btf_path is merged_btf_path */
	struct kernel_btf btf; /* parsed by tracer_check_btf, used and released by the probing */
	struct hook_function functions[FUNC_MAX];
	struct drop_reasons reasons; /* what kfree_skb says here, from BTF */
	struct bpf_link *drop_link;  /* skb:kfree_skb, unless --no-drops */
	bool drops_refused;	     /* the kernel refused the drop program: loaded without it */
	struct bpf_link *links[2 * FUNC_MAX + 2]; /* + the tracking tracepoints */
	int nr_links;
	/* Tests: load the object with the bounded walk even where the kernel has bpf_loop. */
	bool force_bounded_walk;
	/* Tests and benchmarks: the object that probe-reads even where bpf_rdonly_cast exists. */
	bool force_probe_reads;
};

/* Reads --btf (a directory's files merged): -EBADMSG with the reason when it is not usable. */
int tracer_check_btf(struct tracer *t, const struct config *cfg, char *err, size_t err_len);
/* Probes, loads and attaches; reports each function attached or skipped on stderr. */
int tracer_start(struct tracer *t, const struct config *cfg, ring_buffer_sample_fn on_event,
		 void *ctx, char *err, size_t err_len);
/* Loads the programs of one backend without attaching them (verifier check). */
int tracer_load_only(struct tracer *t, const struct config *cfg, enum backend backend, char *err,
		     size_t err_len);
int tracer_poll(struct tracer *t, int timeout_ms);
/* Sums the per-CPU counters (enum counter) into totals. */
int tracer_read_counters(struct tracer *t, __u64 totals[COUNTER_MAX]);
/* --debug: how many counter walks attribution made, and their average time, on stderr. */
void tracer_debug_walks(struct tracer *t);
/*
 * Calls the kernel's recursion protection kept this tool's programs from seeing (a program
 * of the tool was already running on that CPU): at entry (the call was never seen) and at
 * exit (its event is counted as unpaired if it had matched). Summed over the programs.
 */
void tracer_recursion_misses(struct tracer *t, __u64 *entries, __u64 *exits);
void tracer_stop(struct tracer *t);
/* The kernel stack stored under id (--stack): up to STACK_DEPTH addresses; their number. */
int tracer_stack(struct tracer *t, __s32 id, __u64 ips[STACK_DEPTH]);
/* The table's current ruleset generation; false while a replacement is under way. */
bool tracer_table_generation(void *ctx, __u64 table_ptr, __u64 *generation);
/* libbpf's own log (loading, the verifier's output) on stderr: --debug. */
void tracer_set_libbpf_log(bool on);

#endif
