/* SPDX-License-Identifier: Apache-2.0 */
#ifndef BTF_PROBE_H
#define BTF_PROBE_H

#include <stdbool.h>
#include <stddef.h>

struct btf;

enum prototype {
	PROTO_UNKNOWN,
	PROTO_SKB_STATE_TABLE, /* before 5.16: (skb, state, table) */
	PROTO_PRIV_SKB_STATE,  /* since 5.16: (priv, skb, state) */
	PROTO_PKTINFO_PRIV,    /* nft_do_chain: (pkt, priv) */
};

/* A kernel function the tool hooks, and what the running kernel says about it. */
struct hook_function {
	const char *name; /* "ipt_do_table" */
	const char
		*module; /* module that holds it on modular kernels: "ip_tables"; NULL: vmlinux */
	int engine;	 /* enum engine; -1 for a helper function of any prototype */
	bool found;
	bool in_module;
	enum prototype prototype;
	int nr_params;
	bool no_btf; /* found in kallsyms, its module has no BTF: kprobes only */
	char why_missing[256];
	char assumption[200]; /* no BTF: the prototype assumed, and why (said on stderr) */
};

/* Classifies FUNC `name` in btf; returns 0, -ENOENT when absent, -EINVAL when unrecognised. */
int btf_function_prototype(const struct btf *btf, const char *name, enum prototype *prototype);

/* The kernel's BTF: /sys/kernel/btf/vmlinux, or the file given with --btf (path). */
struct kernel_btf {
	const char *path;
	struct btf *vmlinux; /* loaded on first use */
};

/* Checks that every name and type id in btf resolves; -EBADMSG with the reason in err. */
int btf_validate(const struct btf *btf, char *err, size_t err_len);

/* Looks the function up in vmlinux BTF, then in its module's BTF; -EBADMSG: unusable BTF. */
int probe_hook_function(struct kernel_btf *kb, struct hook_function *f, char *err, size_t err_len);
void kernel_btf_release(struct kernel_btf *kb);
/* The vmlinux BTF itself (parsed and checked once); NULL and err when there is none. */
struct btf *kernel_btf_vmlinux(struct kernel_btf *kb, char *err, size_t err_len);

const char *prototype_name(enum prototype prototype);

/*
 * The x_tables functions' prototype where their module has no BTF (before 5.11): by the kernel
 * release, (priv, skb, state) since 5.16 (commit ae689334225f), (skb, state, table) before.
 * PROTO_UNKNOWN when release does not start with MAJOR.MINOR.
 */
enum prototype xt_prototype_by_release(const char *release);

/*
 * A function absent from BTF whose module is loaded but has no BTF: found if kallsyms (a file
 * in /proc/kallsyms format) lists it and its prototype is known without BTF; sets assumption
 * or why_missing. release: the kernel's (uname -r).
 */
void probe_without_btf(struct hook_function *f, const char *kallsyms, const char *release);

/* Does the kallsyms file list a function of one of the NULL-terminated names (one pass)? */
bool kallsyms_has_any(const char *kallsyms, const char *const *names);

/* The first of the NULL-terminated names that the kallsyms file does not list, or NULL. */
const char *kallsyms_missing(const char *kallsyms, const char *const *names);

/*
 * --btf DIR: DIR/vmlinux and the split BTF of modules (other files, as in /sys/kernel/btf)
 * merged into one BTF, since libbpf's CO-RE takes a single custom BTF file. NULL and err on
 * failure.
 */
struct btf *btf_merge_dir(const char *dir, char *err, size_t err_len);

#endif
