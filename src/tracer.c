// SPDX-License-Identifier: Apache-2.0
/* Chooses the backend, loads the BPF programs, attaches them and reads their output. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "tracer.h"
#include "skbtracer.skel.h"

#define PERF_BUFFER_PAGES 64
#define ENOTSUPP 524 /* kernel-internal errno, seen from the verifier */

static bool verbose_libbpf;

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	/* Failures are reported by us in one line; -v shows libbpf's detail. */
	if (!verbose_libbpf)
		return 0;
	return vfprintf(stderr, fmt, args);
}

void tracer_set_verbose(bool verbose)
{
	verbose_libbpf = verbose;
	libbpf_set_print(print_libbpf);
}

/* The programs of one traced function, per backend. */
struct function_programs {
	struct bpf_program *entry[2]; /* indexed by backend - BACKEND_FENTRY */
	struct bpf_program *exit[2];
};

static void function_programs(struct skbtracer_bpf *skel, struct function_programs p[])
{
	p[0] = (struct function_programs){
		.entry = { skel->progs.fentry_ipt_do_table, skel->progs.kprobe_ipt_do_table },
		.exit = { skel->progs.fexit_ipt_do_table, skel->progs.kretprobe_ipt_do_table },
	};
	p[1] = (struct function_programs){
		.entry = { skel->progs.fentry_ip6t_do_table, skel->progs.kprobe_ip6t_do_table },
		.exit = { skel->progs.fexit_ip6t_do_table, skel->progs.kretprobe_ip6t_do_table },
	};
}

static const char *entry_kind(enum backend b)
{
	return b == BACKEND_FENTRY ? "fentry" : "kprobe";
}

static const char *exit_kind(enum backend b)
{
	return b == BACKEND_FENTRY ? "fexit" : "kretprobe";
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
		snprintf(buf, len, "kprobe: this kernel has no kprobes (CONFIG_KPROBES is not set)");
	else if (b == BACKEND_FENTRY && loading && (error == EPERM || error == ENOTSUPP))
		snprintf(buf, len, "fentry: the kernel refused to load it (%s)", strerror(error));
	else
		snprintf(buf, len, "%s: %s failed (%s)", backend_name(b),
			 loading ? "loading" : "attaching", strerror(error));
}

static int open_skeleton(struct tracer *t, const struct config *cfg, enum backend backend)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = cfg->btf_path);
	struct function_programs programs[TRACED_FUNCTIONS];
	int b = backend - BACKEND_FENTRY;

	t->skel = skbtracer_bpf__open_opts(&opts);
	if (!t->skel)
		return -errno;
	t->skel->rodata->filter = cfg->filter;
	t->skel->rodata->use_ringbuf = !cfg->force_perf_buffer &&
				       libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) == 1;
	bpf_map__set_autocreate(t->skel->maps.events, t->skel->rodata->use_ringbuf);
	bpf_map__set_autocreate(t->skel->maps.perf_events, !t->skel->rodata->use_ringbuf);
	t->skel->rodata->new_prototype = true;
	function_programs(t->skel, programs);
	for (int i = 0; i < TRACED_FUNCTIONS; i++) {
		if (t->functions[i].found)
			t->skel->rodata->new_prototype =
				t->functions[i].prototype == PROTO_PRIV_SKB_STATE;
		for (int other = 0; other < 2; other++) {
			bool wanted = other == b && t->functions[i].found;

			bpf_program__set_autoload(programs[i].entry[other], wanted);
			bpf_program__set_autoload(programs[i].exit[other], wanted);
		}
	}
	return 0;
}

static void detach_all(struct tracer *t)
{
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

static int load_backend(struct tracer *t, const struct config *cfg, enum backend backend,
			char *why, size_t why_len)
{
	int ret = open_skeleton(t, cfg, backend);

	if (ret) {
		snprintf(why, why_len, "cannot open the BPF object (%s)", strerror(-ret));
		return ret;
	}
	ret = skbtracer_bpf__load(t->skel);
	if (ret) {
		explain_failure(backend, true, -ret, why, why_len);
		detach_all(t);
	}
	return ret;
}

static int attach_backend(struct tracer *t, enum backend backend, char *why, size_t why_len)
{
	struct function_programs programs[TRACED_FUNCTIONS];
	int b = backend - BACKEND_FENTRY;

	function_programs(t->skel, programs);
	for (int i = 0; i < TRACED_FUNCTIONS; i++) {
		struct bpf_program *progs[] = { programs[i].entry[b], programs[i].exit[b] };

		if (!t->functions[i].found)
			continue;
		for (int p = 0; p < 2; p++) {
			struct bpf_link *link = bpf_program__attach(progs[p]);

			if (!link) {
				int error = errno;

				explain_failure(backend, false, error, why, why_len);
				return -error;
			}
			t->links[t->nr_links++] = link;
		}
	}
	return 0;
}

static void report_attached(const struct tracer *t)
{
	for (int i = 0; i < TRACED_FUNCTIONS; i++) {
		const struct hook_function *f = &t->functions[i];

		if (!f->found) {
			fprintf(stderr, "Skipped %s: %s\n", f->name, f->why_missing);
			continue;
		}
		fprintf(stderr, "Attached %s(%s)\n", entry_kind(t->backend), f->name);
		fprintf(stderr, "Attached %s(%s)\n", exit_kind(t->backend), f->name);
	}
}

static int probe_functions(struct tracer *t, const struct config *cfg, char *err, size_t err_len)
{
	static const struct {
		const char *name, *module;
	} hooked[TRACED_FUNCTIONS] = {
		{ "ipt_do_table", "ip_tables" },
		{ "ip6t_do_table", "ip6_tables" },
	};
	int found = 0;

	for (int i = 0; i < TRACED_FUNCTIONS; i++) {
		struct hook_function *f = &t->functions[i];
		int ret;

		f->name = hooked[i].name;
		f->module = hooked[i].module;
		ret = probe_hook_function(cfg->btf_path, f, err, err_len);
		if (ret)
			return ret;
		found += f->found;
	}
	if (!found) {
		snprintf(err, err_len,
			 "nothing to trace: %s; %s (rules added with iptables-nft live in "
			 "nf_tables and never reach these functions)",
			 t->functions[0].why_missing, t->functions[1].why_missing);
		return -ENOENT;
	}
	if (t->functions[0].found && t->functions[1].found &&
	    t->functions[0].prototype != t->functions[1].prototype) {
		snprintf(err, err_len, "ipt_do_table and ip6t_do_table have different prototypes");
		return -EINVAL;
	}
	return 0;
}

int tracer_load_only(struct tracer *t, const struct config *cfg, enum backend backend, char *err,
		     size_t err_len)
{
	int ret = probe_functions(t, cfg, err, err_len);

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

int tracer_start(struct tracer *t, const struct config *cfg, ring_buffer_sample_fn on_event,
		 void *ctx, char *err, size_t err_len)
{
	enum backend order[2] = { BACKEND_FENTRY, BACKEND_KPROBE };
	int tries = cfg->backend == BACKEND_AUTO ? 2 : 1;
	char why[2][160] = { "", "" };
	int ret = probe_functions(t, cfg, err, err_len);

	if (ret)
		return ret;
	if (cfg->backend != BACKEND_AUTO)
		order[0] = cfg->backend;
	for (int i = 0; i < tries; i++) {
		ret = load_backend(t, cfg, order[i], why[i], sizeof(why[i]));
		if (ret)
			continue;
		ret = attach_backend(t, order[i], why[i], sizeof(why[i]));
		if (ret) {
			detach_all(t);
			continue;
		}
		t->backend = order[i];
		break;
	}
	if (ret) {
		snprintf(err, err_len,
			 "cannot trace %s: %s%s%s. It needs a kernel with working fentry/fexit "
			 "or CONFIG_KPROBES=y; `make demo` shows the tracer in a VM",
			 t->functions[0].found ? t->functions[0].name : t->functions[1].name,
			 why[0], tries > 1 ? "; " : "", tries > 1 ? why[1] : "");
		return ret;
	}
	t->on_event = on_event;
	t->on_event_ctx = ctx;
	if (t->skel->rodata->use_ringbuf)
		t->events = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_event, ctx, NULL);
	else
		t->perf = perf_buffer__new(bpf_map__fd(t->skel->maps.perf_events), PERF_BUFFER_PAGES,
					   on_perf_event, on_perf_lost, t, NULL);
	if (!t->events && !t->perf) {
		ret = -errno;
		snprintf(err, err_len, "cannot open the event ring buffer (%s)", strerror(-ret));
		detach_all(t);
		return ret;
	}
	report_attached(t);
	return 0;
}

int tracer_poll(struct tracer *t, int timeout_ms)
{
	if (t->perf)
		return perf_buffer__poll(t->perf, timeout_ms);
	return ring_buffer__poll(t->events, timeout_ms);
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
	totals[COUNTER_LOST] += t->perf_lost;
	free(values);
	return ret;
}

void tracer_stop(struct tracer *t)
{
	detach_all(t);
}
