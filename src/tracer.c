// SPDX-License-Identifier: Apache-2.0
/* Chooses the backend, loads the BPF programs, attaches them and reads their output. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "render_json.h"
#include "tracer.h"
#include "xt_recseq.h"
#include "skbtracer.skel.h"
#include "skbtracer_noloop.skel.h"
#include "skbtracer_typed.skel.h"

#define PERF_BUFFER_PAGES 64
#define ENOTSUPP 524 /* kernel-internal errno, seen from the verifier */

#define AUX_FUNCTION -1 /* engine of a function hooked for rule attribution only */
#define AUX_TRACKING -2 /* engine of a function hooked for packet tracking only */

/* The hooked functions, in enum hooked_function order. */
static const struct {
	const char *name, *module;
	int engine;
} hooked[FUNC_MAX] = {
	[FUNC_IPT_DO_TABLE] = { "ipt_do_table", "ip_tables", ENGINE_IPTABLES },
	[FUNC_IP6T_DO_TABLE] = { "ip6t_do_table", "ip6_tables", ENGINE_IPTABLES },
	[FUNC_ARPT_DO_TABLE] = { "arpt_do_table", "arp_tables", ENGINE_ARPTABLES },
	[FUNC_EBT_DO_TABLE] = { "ebt_do_table", "ebtables", ENGINE_EBTABLES },
	[FUNC_NFT_DO_CHAIN] = { "nft_do_chain", "nf_tables", ENGINE_NFTABLES },
	[FUNC_XT_REPLACE_TABLE] = { "xt_replace_table", "x_tables", AUX_FUNCTION },
	[FUNC_NFT_TRACE_PACKET] = { "__nft_trace_packet", "nf_tables", AUX_FUNCTION },
	[FUNC_XT_UNREGISTER_TABLE] = { "xt_unregister_table", "x_tables", AUX_FUNCTION },
	/* in vmlinux: no module */
	[FUNC_SKB_CLONE] = { "skb_clone", NULL, AUX_TRACKING },
	[FUNC_SKB_COPY] = { "skb_copy", NULL, AUX_TRACKING },
	[FUNC_PSKB_COPY] = { "__pskb_copy_fclone", NULL, AUX_TRACKING },
	[FUNC_KFREE_SKB] = { "__kfree_skb", NULL, AUX_TRACKING },
	[FUNC_SKB_DEFER_FREE] = { "skb_attempt_defer_free", NULL, AUX_TRACKING },
	[FUNC_KFREE_SKB_PARTIAL] = { "kfree_skb_partial", NULL, AUX_TRACKING },
	[FUNC_STOLEN_HEAD_FREE] = { "napi_skb_free_stolen_head", NULL, AUX_TRACKING },
};

/* The tracepoints that end tracking: every backend, loaded with tracking on. */
/* (tp_kfree_skb ends tracking too: set_drop_programs() loads it for either.) */
static const char *const track_tracepoints[] = { "tp_consume_skb" };
#define NR_TRACK_TRACEPOINTS (sizeof(track_tracepoints) / sizeof(track_tracepoints[0]))

/* Is the function wanted: its engine chosen, or (helpers) rule attribution on? */
static bool wanted(const struct config *cfg, int func)
{
	if (func == FUNC_NFT_TRACE_PACKET)
		return cfg->nft_trace && (cfg->engines & (1u << ENGINE_NFTABLES));
	if (hooked[func].engine == AUX_FUNCTION)
		return cfg->track_rules;
	if (hooked[func].engine == AUX_TRACKING)
		return cfg->track_packets;
	return cfg->engines & (1u << hooked[func].engine);
}

static bool libbpf_log;

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	/* Failures are reported by us in one line; --debug shows libbpf's detail. */
	if (!libbpf_log)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static double seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --debug: how long each step of the start took, to see where a slow start goes. */
static void debug_time(const char *step, double *since)
{
	double now = seconds_now();

	if (libbpf_log)
		fprintf(stderr, "debug: %s in %.3f s\n", step, now - *since);
	*since = now;
}

void tracer_set_libbpf_log(bool on)
{
	libbpf_log = on;
	libbpf_set_print(print_libbpf);
}

static const char *entry_kind(enum backend b)
{
	return b == BACKEND_FENTRY ? "fentry" : "kprobe";
}

static const char *exit_kind(enum backend b)
{
	return b == BACKEND_FENTRY ? "fexit" : "kretprobe";
}

/* The program named "<kind>_<function>", e.g. fexit_nft_do_chain. */
static struct bpf_program *program(struct tracer *t, const char *kind, int func)
{
	char name[64];

	snprintf(name, sizeof(name), "%s_%s", kind, hooked[func].name);
	return bpf_object__find_program_by_name(t->skel->obj, name);
}

/* Not every function has both: the copy functions only an exit (fexit), frees only an entry. */
static void set_autoload(struct bpf_program *prog, bool on)
{
	if (prog)
		bpf_program__set_autoload(prog, on);
}

static bool autoloaded(struct bpf_program *prog)
{
	return prog && bpf_program__autoload(prog);
}

static const char *purpose(int engine)
{
	if (engine == AUX_FUNCTION)
		return "rule attribution";
	if (engine == AUX_TRACKING)
		return "packet tracking";
	return engine_name(engine);
}

/* Which arguments __nft_trace_packet takes here, from its parameter count in BTF. */
static enum nft_trace_variant nft_trace_variant(const struct hook_function *f)
{
	if (!f->found)
		return NFT_TRACE_OFF;
	switch (f->nr_params) {
	case 3:
		return NFT_TRACE_INFO_CHAIN_TYPE;
	case 4:
		return NFT_TRACE_INFO_CHAIN_RULE_TYPE;
	case 5:
		return NFT_TRACE_PKT_VERDICT_RULE_INFO_TYPE;
	default:
		return NFT_TRACE_OFF;
	}
}

static bool kernel_has_kprobes(void)
{
	return !access("/sys/bus/event_source/devices/kprobe/type", F_OK) ||
	       !access("/sys/kernel/tracing/kprobe_events", F_OK) ||
	       !access("/sys/kernel/debug/tracing/kprobe_events", F_OK);
}

/* Why a backend failed, in words a user can act on. */
static void explain_failure(enum backend b, bool loading, int error, char *buf, size_t len)
{
	if (b == BACKEND_KPROBE && !loading && !kernel_has_kprobes())
		snprintf(buf, len,
			 "kprobe: this kernel has no kprobes (CONFIG_KPROBES is not set)");
	else if (b == BACKEND_FENTRY && loading && (error == EPERM || error == ENOTSUPP))
		snprintf(buf, len, "fentry: the kernel refused to load it (%s)", strerror(error));
	else
		snprintf(buf, len, "%s: %s failed (%s; --debug shows libbpf's log)",
			 backend_name(b), loading ? "loading" : "attaching", strerror(error));
}

/* The filter expression's programs, run by pcap_filter.bpf.h. */
static void set_pcap_filter(struct skbtracer_bpf__rodata *rodata, const struct pcap_filter *pcap)
{
	_Static_assert(sizeof(rodata->pcap_l3_insns) == sizeof(pcap->l3.insns) &&
			       sizeof(rodata->pcap_l2_insns) == sizeof(pcap->l2.insns),
		       "the BPF side holds PCAP_MAX_INSNS instructions");
	rodata->pcap_enabled = pcap->enabled;
	rodata->pcap_l3_len = pcap->l3.len;
	memcpy((void *)rodata->pcap_l3_insns, pcap->l3.insns, sizeof(pcap->l3.insns));
	rodata->pcap_l2_len = pcap->l2.len;
	memcpy((void *)rodata->pcap_l2_insns, pcap->l2.insns, sizeof(pcap->l2.insns));
}

/* Every object comes from one source: the same maps, programs and read-only data. */
_Static_assert(sizeof(struct skbtracer_noloop_bpf__rodata) == sizeof(struct skbtracer_bpf__rodata),
	       "the objects with and without bpf_loop differ");
_Static_assert(sizeof(struct skbtracer_typed_bpf__rodata) == sizeof(struct skbtracer_bpf__rodata),
	       "the objects with and without typed reads differ");

/* The skeleton over another build of the same programs: elf_bytes gives its object. */
static struct skbtracer_bpf *open_variant(const void *(*elf_bytes)(size_t *size),
					  const struct bpf_object_open_opts *opts)
{
	struct skbtracer_bpf *obj = calloc(1, sizeof(*obj));
	int err;

	if (!obj) {
		errno = ENOMEM;
		return NULL;
	}
	err = skbtracer_bpf__create_skeleton(obj);
	if (!err) {
		obj->skeleton->data = (void *)elf_bytes(&obj->skeleton->data_sz);
		err = bpf_object__open_skeleton(obj->skeleton, opts);
	}
	if (err) {
		skbtracer_bpf__destroy(obj);
		errno = -err;
		return NULL;
	}
	return obj;
}

/*
 * The object to load: with a bounded rule walk where the kernel has no bpf_loop (before 5.17),
 * with typed reads where it has bpf_rdonly_cast (6.2+), else the one built for 5.17 to 6.1.
 */
static struct skbtracer_bpf *open_object(const struct tracer *t,
					 const struct bpf_object_open_opts *opts)
{
	if (t->bounded_walk)
		return open_variant(skbtracer_noloop_bpf__elf_bytes, opts);
	if (t->typed_reads)
		return open_variant(skbtracer_typed_bpf__elf_bytes, opts);
	return skbtracer_bpf__open_opts(opts);
}

/* The running kernel's own BTF is at hand: no --btf (btf_path), /sys/kernel/btf/vmlinux. */
static bool own_kernel_btf(const char *btf_path)
{
	return !btf_path && !access("/sys/kernel/btf/vmlinux", R_OK);
}

/*
 * A kretprobe's stack goes past the return trampoline: the unwinder finds the real return
 * address (kretprobe_find_ret_addr, 5.15; rethook_find_ret_addr where kretprobes use rethook).
 * Before, it stops at kretprobe_trampoline.
 */
static bool kretprobe_stacks_unwind(void)
{
	static const char *const fixes[] = { "rethook_find_ret_addr", "kretprobe_find_ret_addr",
					     NULL };

	return kallsyms_has_any("/proc/kallsyms", fixes);
}

/*
 * The kfree_skb program, for drops (unless --no-drops), the end of tracking (unless
 * --no-track) or both: tp_btf where the kernel's BTF is at hand, raw_tracepoint with --btf
 * (a kernel without /sys/kernel/btf/vmlinux). --stack sizes the stack map; with kprobes where
 * their exits cannot unwind, a DROP verdict's stack is the call's entry's.
 */
static void set_drop_programs(struct tracer *t, const struct config *cfg, enum backend backend,
			      struct skbtracer_bpf__rodata *rodata)
{
	bool btf = own_kernel_btf(cfg->btf_path);
	bool wanted = cfg->drops || cfg->track_packets;

	rodata->report_drops = cfg->drops;
	rodata->drop_has_reason = t->reasons.has_reason;
	rodata->drop_consumed_reason = t->reasons.has_consumed ? t->reasons.consumed : ~0u;
	rodata->stack_traces = cfg->stack;
	rodata->stack_at_entry =
		cfg->stack && backend == BACKEND_KPROBE && !kretprobe_stacks_unwind();
	bpf_map__set_max_entries(t->skel->maps.stacks, cfg->stack ? STACK_ENTRIES : 1);
	bpf_program__set_autoload(t->skel->progs.tp_kfree_skb, wanted && btf);
	bpf_program__set_autoload(t->skel->progs.raw_tp_kfree_skb, wanted && !btf);
}

static struct bpf_program *drop_program(struct tracer *t)
{
	if (bpf_program__autoload(t->skel->progs.tp_kfree_skb))
		return t->skel->progs.tp_kfree_skb;
	if (bpf_program__autoload(t->skel->progs.raw_tp_kfree_skb))
		return t->skel->progs.raw_tp_kfree_skb;
	return NULL;
}

/* Where the walk with bpf_loop reads xt_recseq, if x_tables is a module. */
static void locate_recseq(struct tracer *t, struct skbtracer_bpf__rodata *rodata)
{
	struct xt_recseq_place place;

	if (xt_recseq_locate("/sys", &place, t->recseq_why, sizeof(t->recseq_why)))
		return;
	rodata->xt_module = place.module;
	rodata->xt_recseq_offset = place.offset;
}

/* Which build of the programs open_object chose, for --debug. */
static const char *object_name(const struct tracer *t)
{
	if (t->bounded_walk)
		return "the bounded walk (no bpf_loop)";
	return t->typed_reads ? "typed reads (bpf_rdonly_cast)" : "probe reads";
}

static int open_skeleton(struct tracer *t, const struct config *cfg, enum backend backend)
{
	/* --debug: the verifier's statistics per program (log level 4), shown by libbpf */
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = t->btf_path,
		    .kernel_log_level = libbpf_log ? 4 : 0);
	struct skbtracer_bpf__rodata *rodata;
	bool ringbuf;

	t->bounded_walk = t->force_bounded_walk ||
			  libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE, BPF_FUNC_loop, NULL) != 1;
	t->typed_reads = t->typed_reads && !t->bounded_walk;
	t->skel = open_object(t, &opts);
	if (!t->skel)
		return -errno;
	rodata = t->skel->rodata;
	rodata->filter = cfg->filter;
	set_pcap_filter(rodata, &cfg->pcap);
	ringbuf = !cfg->force_perf_buffer &&
		  libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) == 1;
	rodata->use_ringbuf = ringbuf;
	bpf_map__set_autocreate(t->skel->maps.events, ringbuf);
	bpf_map__set_autocreate(t->skel->maps.perf_events, !ringbuf);
	rodata->track_rules = cfg->track_rules && t->functions[FUNC_XT_REPLACE_TABLE].found;
	rodata->time_walks = cfg->debug;
	if (cfg->rules_budget_pct < 100)
		rodata->rules_budget_ns = cfg->rules_budget_pct * 10000000ULL; /* of each second */
	bpf_map__set_max_entries(t->skel->maps.snapshots,
				 rodata->track_rules ? SNAPSHOT_LEVELS * libbpf_num_possible_cpus()
						     : 1);
	bpf_map__set_max_entries(t->skel->maps.candidate_lists,
				 rodata->track_rules && !t->bounded_walk
					 ? CANDIDATE_LISTS * libbpf_num_possible_cpus()
					 : 1);
	if (rodata->track_rules && !t->bounded_walk)
		locate_recseq(t, rodata);
	rodata->nft_trace_variant = nft_trace_variant(&t->functions[FUNC_NFT_TRACE_PACKET]);
	set_drop_programs(t, cfg, backend, rodata);
	for (int func = 0; func < FUNC_MAX; func++) {
		bool found = t->functions[func].found;

		if (func == FUNC_XT_REPLACE_TABLE || func == FUNC_XT_UNREGISTER_TABLE)
			found = found && rodata->track_rules;
		if (func == FUNC_NFT_TRACE_PACKET)
			found = found && rodata->nft_trace_variant != NFT_TRACE_OFF;
		rodata->new_prototype[func] = t->functions[func].prototype == PROTO_PRIV_SKB_STATE;
		for (enum backend b = BACKEND_FENTRY; b <= BACKEND_KPROBE; b++) {
			set_autoload(program(t, entry_kind(b), func), found && b == backend);
			set_autoload(program(t, exit_kind(b), func), found && b == backend);
		}
	}
	rodata->track_packets = cfg->track_packets;
	rodata->nr_cpus = libbpf_num_possible_cpus();
	/* the map's size and the hash's range are the same number */
	rodata->track_slots = cfg->track_packets ? cfg->track_entries : 1;
	bpf_map__set_max_entries(t->skel->maps.tracked_skbs, rodata->track_slots);
	for (size_t i = 0; i < NR_TRACK_TRACEPOINTS; i++)
		set_autoload(bpf_object__find_program_by_name(t->skel->obj, track_tracepoints[i]),
			     cfg->track_packets);
	return 0;
}

static void detach_all(struct tracer *t)
{
	bpf_link__destroy(t->drop_link);
	t->drop_link = NULL;
	for (int i = 0; i < t->nr_links; i++)
		bpf_link__destroy(t->links[i]);
	t->nr_links = 0;
	ring_buffer__free(t->events);
	t->events = NULL;
	perf_buffer__free(t->perf);
	t->perf = NULL;
	skbtracer_bpf__destroy(t->skel);
	t->skel = NULL;
}

/* fentry/fexit attach by BTF: a function whose module has no BTF can only be kprobed. */
static int fentry_without_btf(struct tracer *t, enum backend backend, char *why, size_t why_len)
{
	for (int func = 0; func < FUNC_MAX && backend == BACKEND_FENTRY; func++) {
		if (t->functions[func].found && t->functions[func].no_btf) {
			snprintf(why, why_len,
				 "fentry: %s's module %s has no BTF (before Linux 5.11); kprobes "
				 "need "
				 "none",
				 t->functions[func].name, t->functions[func].module);
			return -ENOENT;
		}
	}
	return 0;
}

static int load_backend(struct tracer *t, const struct config *cfg, enum backend backend, char *why,
			size_t why_len)
{
	int ret = fentry_without_btf(t, backend, why, why_len);

	if (!ret)
		ret = open_skeleton(t, cfg, backend);
	if (ret == -ENOENT)
		return ret;
	if (ret) {
		snprintf(why, why_len, "cannot open the BPF object (%s)", strerror(-ret));
		return ret;
	}
	ret = skbtracer_bpf__load(t->skel);
	if (ret == -E2BIG && t->skel->rodata->track_rules) {
		/* The verifier gave up on the rule walk (1M instructions): trace without it. */
		struct config without_rules = *cfg;

		without_rules.track_rules = false;
		detach_all(t);
		t->walk_refused = true;
		return load_backend(t, &without_rules, backend, why, why_len);
	}
	if (ret && t->typed_reads) {
		/* Refused with typed reads: the object that probe-reads, if the kernel takes it. */
		detach_all(t);
		t->typed_reads = false;
		ret = load_backend(t, cfg, backend, why, why_len);
		t->typed_reads_refused = !ret;
		t->typed_reads = !!ret; /* refused either way (fentry EPERM): not the typed reads */
		return ret;
	}
	if (ret && cfg->drops) {
		/* Trace the tables without drops rather than not at all; said at start. */
		struct config without_drops = *cfg;

		without_drops.drops = false;
		detach_all(t);
		ret = load_backend(t, &without_drops, backend, why, why_len);
		t->drops_refused = !ret;
		return ret;
	}
	if (ret) {
		explain_failure(backend, true, -ret, why, why_len);
		detach_all(t);
	}
	return ret;
}

static int attach_program(struct tracer *t, struct bpf_program *prog, enum backend backend,
			  char *why, size_t why_len)
{
	struct bpf_link *link;

	if (!autoloaded(prog))
		return 0;
	link = bpf_program__attach(prog);
	if (!link) {
		int error = errno;

		explain_failure(backend, false, error, why, why_len);
		return -error;
	}
	t->links[t->nr_links++] = link;
	return 0;
}

static int attach_backend(struct tracer *t, enum backend backend, char *why, size_t why_len)
{
	int ret = 0;

	/*
	 * Exit first: of the kprobes at one address the kernel runs the newest first, so the
	 * entry's program runs before the kretprobe replaces the return address (a stack taken
	 * there still unwinds), and no call is recorded before its exit can be seen.
	 */
	for (int func = 0; func < FUNC_MAX && !ret; func++) {
		ret = attach_program(t, program(t, exit_kind(backend), func), backend, why,
				     why_len);
		if (!ret)
			ret = attach_program(t, program(t, entry_kind(backend), func), backend, why,
					     why_len);
	}
	for (size_t i = 0; i < NR_TRACK_TRACEPOINTS && !ret; i++)
		ret = attach_program(
			t, bpf_object__find_program_by_name(t->skel->obj, track_tracepoints[i]),
			backend, why, why_len);
	return ret;
}

/* A start-up message on stderr: a line, or a JSON notice with -o json. */
__attribute__((format(printf, 2, 3))) static void say(const struct config *cfg, const char *fmt,
						      ...)
{
	char text[512];
	va_list args;

	va_start(args, fmt);
	vsnprintf(text, sizeof(text), fmt, args);
	va_end(args);
	if (cfg->output == OUTPUT_JSON)
		render_json_notice(stderr, text);
	else
		fprintf(stderr, "%s\n", text);
}

/*
 * Whether the counter walk lacks what it reads, and what: the object without bpf_loop reads
 * untyped ksyms (in kallsyms only with CONFIG_KALLSYMS_ALL); the other finds xt_recseq in
 * x_tables' per-CPU area, or in kallsyms where x_tables is built in.
 */
static bool walk_unavailable(const struct tracer *t, char *why, size_t why_len)
{
	static const char *const bounded[] = { "__per_cpu_offset", "xt_recseq", NULL };
	static const char *const with_loop[] = { "xt_recseq", NULL };
	const char *missing;

	if (!t->bounded_walk && t->skel->rodata->xt_module)
		return false;
	missing = kallsyms_missing("/proc/kallsyms", t->bounded_walk ? bounded : with_loop);
	if (!missing)
		return false;
	if (t->bounded_walk)
		snprintf(why, why_len,
			 "/proc/kallsyms does not list %s (the kernel has no CONFIG_KALLSYMS_ALL)",
			 missing);
	else
		snprintf(why, why_len,
			 "xt_recseq not found: %s, and /proc/kallsyms does not list it (no "
			 "CONFIG_KALLSYMS_ALL)",
			 t->recseq_why);
	return true;
}

static void report_attached(struct tracer *t, const struct config *cfg)
{
	char why[400];

	for (int func = 0; func < FUNC_MAX; func++) {
		const struct hook_function *f = &t->functions[func];
		const char *what = purpose(f->engine);

		if (!wanted(cfg, func))
			continue;
		if (!f->found) {
			say(cfg, "Skipped %s (%s): %s", f->name, what, f->why_missing);
			continue;
		}
		if (!autoloaded(program(t, entry_kind(t->backend), func)) &&
		    !autoloaded(program(t, exit_kind(t->backend), func)))
			continue;
		if (f->assumption[0])
			say(cfg, "%s", f->assumption);
		if (autoloaded(program(t, entry_kind(t->backend), func)))
			say(cfg, "Attached %s(%s)", entry_kind(t->backend), f->name);
		if (autoloaded(program(t, exit_kind(t->backend), func)))
			say(cfg, "Attached %s(%s)", exit_kind(t->backend), f->name);
	}
	if (wanted(cfg, FUNC_NFT_TRACE_PACKET) &&
	    t->skel->rodata->nft_trace_variant == NFT_TRACE_OFF)
		say(cfg, "nftables rule attribution is off: __nft_trace_packet is not "
			 "traceable here");
	if (t->typed_reads_refused)
		say(cfg, "Filtering reads packets with probe reads: the kernel refused the typed "
			 "reads (bpf_rdonly_cast; --debug shows why)");
	if (cfg->drops && t->drops_refused)
		say(cfg, "Drops outside the tables are not traced: the kernel refused the "
			 "skb:kfree_skb program (--debug shows why)");
	if (cfg->track_rules && t->walk_refused)
		say(cfg, "Rule attribution is off: this kernel's verifier refused the counter walk "
			 "(the program grew past its 1M-instruction limit)");
	else if (cfg->track_rules && !t->skel->rodata->track_rules)
		say(cfg, "Rule attribution is off: it needs xt_replace_table (module x_tables)");
	else if (cfg->track_rules && walk_unavailable(t, why, sizeof(why)))
		say(cfg, "Rule attribution is off: %s", why);
}

/*
 * Drops are extra: a kernel that refuses their tracepoint still has its tables traced. Without
 * drops (--no-drops, or refused) the program only ends tracking, and says nothing.
 */
static void attach_drops(struct tracer *t, const struct config *cfg)
{
	struct bpf_program *prog = drop_program(t);
	bool drops = t->skel->rodata->report_drops;

	if (!prog)
		return;
	t->drop_link = bpf_program__attach(prog);
	if (!t->drop_link && drops)
		say(cfg,
		    "Drops outside the tables are not traced: attaching to skb:kfree_skb "
		    "failed (%s)",
		    strerror(errno));
	else if (!t->drop_link)
		say(cfg,
		    "Tracking: a packet the kernel drops stays tracked until pushed out "
		    "(attaching to the drop tracepoint failed: %s)",
		    strerror(errno));
	else if (drops)
		say(cfg, "Attached %s(kfree_skb): drops%s",
		    prog == t->skel->progs.tp_kfree_skb ? "tp_btf" : "raw_tracepoint",
		    t->reasons.has_reason ? " with their reason"
					  : " (this kernel gives no reason: their place only)");
}

/* Whether kfree_skb gives a reason, and the reasons' names: vmlinux BTF's. */
static int probe_drop_reasons(struct tracer *t, struct kernel_btf *kb, char *err, size_t err_len)
{
	struct btf *btf = kernel_btf_vmlinux(kb, err, err_len);

	if (!btf)
		return -EBADMSG;
	if (drop_reasons_load(btf, &t->reasons)) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

/* bpf_rdonly_cast, for the object with typed reads: the running kernel's own BTF (not --btf). */
static bool has_rdonly_cast(const struct tracer *t, struct kernel_btf *kb)
{
	char ignored[256];
	struct btf *btf;

	if (!own_kernel_btf(t->btf_path))
		return false;
	btf = kernel_btf_vmlinux(kb, ignored, sizeof(ignored));
	return btf && btf__find_by_name_kind(btf, "bpf_rdonly_cast", BTF_KIND_FUNC) > 0;
}

static int probe_functions(struct tracer *t, const struct config *cfg, char *err, size_t err_len)
{
	struct kernel_btf *kb = &t->btf; /* parsed already when tracer_check_btf read --btf */
	int found = 0, ret = 0;

	kb->path = t->btf_path;
	for (int func = 0; func < FUNC_MAX; func++) {
		struct hook_function *f = &t->functions[func];

		f->name = hooked[func].name;
		f->module = hooked[func].module;
		f->engine = hooked[func].engine;
		if (!wanted(cfg, func)) {
			f->found = false;
			snprintf(f->why_missing, sizeof(f->why_missing), "not wanted");
			continue;
		}
		ret = probe_hook_function(kb, f, err, err_len);
		if (ret)
			break;
		found += f->found && f->engine >= 0;
	}
	if (!ret && cfg->drops)
		ret = probe_drop_reasons(t, kb, err, err_len);
	if (!ret)
		t->typed_reads = !t->force_probe_reads && has_rdonly_cast(t, kb);
	kernel_btf_release(kb);
	if (ret)
		return ret;
	if (!found) {
		size_t used = snprintf(err, err_len, "nothing to trace:");

		for (int func = 0; func < FUNC_MAX && used < err_len; func++) {
			if (wanted(cfg, func) && hooked[func].engine >= 0)
				used += snprintf(err + used, err_len - used, " %s: %s;",
						 t->functions[func].name,
						 t->functions[func].why_missing);
		}
		if (used < err_len)
			snprintf(err + used, err_len - used,
				 " rules added with iptables-nft are in nf_tables (nft_do_chain)");
		return -ENOENT;
	}
	return 0;
}

/*
 * The BTF file for probing and CO-RE: --btf FILE as given; --btf DIR (vmlinux plus module BTF)
 * merged into a memory file, as libbpf takes one file.
 */
static int resolve_btf(struct tracer *t, const struct config *cfg, char *err, size_t err_len)
{
	struct stat st;
	struct btf *merged;
	const void *data;
	__u32 size;

	if (t->btf_path) /* resolved already (tracer_check_btf) */
		return 0;
	if (!cfg->btf_path || stat(cfg->btf_path, &st) || !S_ISDIR(st.st_mode)) {
		t->btf_path = cfg->btf_path;
		return 0;
	}
	merged = btf_merge_dir(cfg->btf_path, err, err_len);
	if (!merged)
		return -EBADMSG; /* a bad --btf: exit status 2 */
	data = btf__raw_data(merged, &size);
	t->merged_btf_fd = memfd_create("skbtracer-btf", MFD_CLOEXEC);
	if (!data || t->merged_btf_fd < 0 || write(t->merged_btf_fd, data, size) != (ssize_t)size) {
		snprintf(err, err_len, "cannot store the merged BTF of '%s': %s", cfg->btf_path,
			 strerror(errno));
		if (t->merged_btf_fd >= 0)
			close(t->merged_btf_fd);
		btf__free(merged);
		return -EIO;
	}
	btf__free(merged);
	snprintf(t->merged_btf_path, sizeof(t->merged_btf_path), "/proc/self/fd/%d",
		 t->merged_btf_fd);
	t->btf_path = t->merged_btf_path;
	return 0;
}

int tracer_check_btf(struct tracer *t, const struct config *cfg, char *err, size_t err_len)
{
	int ret = resolve_btf(t, cfg, err, err_len);

	if (ret || !t->btf_path)
		return ret;
	t->btf.path = t->btf_path;
	return kernel_btf_vmlinux(&t->btf, err, err_len) ? 0 : -EBADMSG;
}

int tracer_load_only(struct tracer *t, const struct config *cfg, enum backend backend, char *err,
		     size_t err_len)
{
	int ret = resolve_btf(t, cfg, err, err_len);

	if (!ret)
		ret = probe_functions(t, cfg, err, err_len);
	if (ret)
		return ret;
	return load_backend(t, cfg, backend, err, err_len);
}

static void on_perf_event(void *ctx, int cpu, void *data, __u32 size)
{
	struct tracer *t = ctx;

	(void)cpu;
	t->on_event(t->on_event_ctx, data, size);
}

static void on_perf_lost(void *ctx, int cpu, __u64 count)
{
	struct tracer *t = ctx;

	(void)cpu;
	t->perf_lost += count;
}

static int open_event_reader(struct tracer *t, ring_buffer_sample_fn on_event, void *ctx)
{
	t->on_event = on_event;
	t->on_event_ctx = ctx;
	if (t->skel->rodata->use_ringbuf)
		t->events =
			ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_event, ctx, NULL);
	else
		t->perf = perf_buffer__new(bpf_map__fd(t->skel->maps.perf_events),
					   PERF_BUFFER_PAGES, on_perf_event, on_perf_lost, t, NULL);
	return t->events || t->perf ? 0 : -errno;
}

static int start(struct tracer *t, const struct config *cfg, ring_buffer_sample_fn on_event,
		 void *ctx, char *err, size_t err_len)
{
	enum backend order[2] = { BACKEND_FENTRY, BACKEND_KPROBE };
	int tries = cfg->backend == BACKEND_AUTO ? 2 : 1;
	char why[2][160] = { "", "" };
	double began = seconds_now();
	int ret = resolve_btf(t, cfg, err, err_len);

	if (!ret)
		ret = probe_functions(t, cfg, err, err_len);

	if (ret)
		return ret;
	debug_time("BTF and functions found", &began);
	if (cfg->backend != BACKEND_AUTO)
		order[0] = cfg->backend;
	for (int i = 0; i < tries; i++) {
		ret = load_backend(t, cfg, order[i], why[i], sizeof(why[i]));
		debug_time(ret ? "loading failed" : "programs loaded (verified)", &began);
		if (ret)
			continue;
		if (libbpf_log)
			fprintf(stderr, "debug: object: %s\n", object_name(t));
		ret = attach_backend(t, order[i], why[i], sizeof(why[i]));
		debug_time(ret ? "attaching failed" : "programs attached", &began);
		if (ret) {
			detach_all(t);
			continue;
		}
		t->backend = order[i];
		break;
	}
	if (ret) {
		snprintf(err, err_len,
			 "cannot trace the packet filters: %s%s%s. It needs a kernel with working "
			 "fentry/fexit or CONFIG_KPROBES=y; `make demo` shows the tracer in a VM",
			 why[0], tries > 1 ? "; " : "", tries > 1 ? why[1] : "");
		return ret;
	}
	ret = open_event_reader(t, on_event, ctx);
	if (ret) {
		snprintf(err, err_len, "cannot open the event buffer (%s)", strerror(-ret));
		detach_all(t);
		return ret;
	}
	report_attached(t, cfg);
	attach_drops(t, cfg);
	debug_time("drop program attached", &began);
	return 0;
}

int tracer_start(struct tracer *t, const struct config *cfg, ring_buffer_sample_fn on_event,
		 void *ctx, char *err, size_t err_len)
{
	int ret = start(t, cfg, on_event, ctx, err, err_len);

	if (ret) /* what probing kept; the rest is released on each failure */
		drop_reasons_free(&t->reasons);
	return ret;
}

int tracer_poll(struct tracer *t, int timeout_ms)
{
	int woken;

	if (t->perf)
		return perf_buffer__poll(t->perf, timeout_ms);
	/* records do not wake the reader until the ring fills (ring_wakeup): take them anyway */
	woken = ring_buffer__poll(t->events, timeout_ms);
	if (woken < 0)
		return woken;
	return ring_buffer__consume(t->events);
}

void tracer_debug_walks(struct tracer *t)
{
	__u64 totals[COUNTER_MAX];

	if (!libbpf_log || !t->skel->rodata->track_rules || tracer_read_counters(t, totals))
		return;
	fprintf(stderr,
		"debug: rule walks: %llu, %llu ns each on average; candidate lists: %llu walked, "
		"%llu reused, %llu given up\n",
		(unsigned long long)totals[COUNTER_WALKS],
		(unsigned long long)(totals[COUNTER_WALKS]
					     ? totals[COUNTER_WALK_NS] / totals[COUNTER_WALKS]
					     : 0),
		(unsigned long long)totals[COUNTER_LISTS_WALKED],
		(unsigned long long)totals[COUNTER_LISTS_REUSED],
		(unsigned long long)totals[COUNTER_LISTS_GIVEN_UP]);
}

int tracer_read_counters(struct tracer *t, __u64 totals[COUNTER_MAX])
{
	int ncpus = libbpf_num_possible_cpus();
	__u64 *values;
	int ret = 0;

	if (ncpus < 0)
		return ncpus;
	values = calloc(ncpus, sizeof(*values));
	if (!values)
		return -ENOMEM;
	for (__u32 key = 0; key < COUNTER_MAX && !ret; key++) {
		totals[key] = 0;
		ret = bpf_map__lookup_elem(t->skel->maps.counters, &key, sizeof(key), values,
					   ncpus * sizeof(*values), 0);
		for (int cpu = 0; cpu < ncpus && !ret; cpu++)
			totals[key] += values[cpu];
	}
	free(values);
	totals[COUNTER_LOST] += t->perf_lost;
	return ret;
}

static __u64 recursion_misses(struct bpf_program *prog)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd = prog ? bpf_program__fd(prog) : -1;

	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
		return 0;
	return info.recursion_misses;
}

void tracer_recursion_misses(struct tracer *t, __u64 *entries, __u64 *exits)
{
	*entries = *exits = 0;
	if (!t->skel)
		return;
	for (int func = 0; func < FUNC_MAX; func++) {
		if (hooked[func].engine == AUX_TRACKING)
			continue; /* not table calls */
		*entries += recursion_misses(program(t, entry_kind(t->backend), func));
		*exits += recursion_misses(program(t, exit_kind(t->backend), func));
	}
}

bool tracer_table_generation(void *ctx, __u64 table_ptr, __u64 *generation)
{
	struct tracer *t = ctx;
	struct table_generation g;

	*generation = 0;
	if (bpf_map__lookup_elem(t->skel->maps.table_generations, &table_ptr, sizeof(table_ptr), &g,
				 sizeof(g), 0))
		return !t->skel->bss->generations_lost; /* never replaced while tracing: 0 */
	*generation = g.seq;
	return !g.in_flight;
}

int tracer_stack(struct tracer *t, __s32 id, __u64 ips[STACK_DEPTH])
{
	int n = 0;

	if (id < 0 || bpf_map__lookup_elem(t->skel->maps.stacks, &id, sizeof(id), ips,
					   STACK_DEPTH * sizeof(*ips), 0))
		return 0;
	while (n < STACK_DEPTH && ips[n])
		n++;
	return n;
}

void tracer_stop(struct tracer *t)
{
	detach_all(t);
	drop_reasons_free(&t->reasons);
	if (t->btf_path == t->merged_btf_path)
		close(t->merged_btf_fd);
	t->btf_path = NULL;
}
