/* SPDX-License-Identifier: Apache-2.0 */
#ifndef XT_RECSEQ_H
#define XT_RECSEQ_H

#include <stddef.h>
#include <linux/types.h>

struct btf;

/*
 * Where the counter walk finds x_tables' per-CPU xt_recseq without kallsyms (whose data symbols
 * need CONFIG_KALLSYMS_ALL): x_tables' struct module, whose per-CPU area holds it at offset.
 */
struct xt_recseq_place {
	__u64 module;
	__u32 offset;
};

/*
 * From sysfs ("/sys": the module's .gnu.linkonce.this_module section and its BTF). 0, or
 * -ENOENT with the reason in why.
 */
int xt_recseq_locate(const char *sysfs, struct xt_recseq_place *place, char *why, size_t why_len);

/* The address in a sysfs section file ("0xffff...\n"); 0 when unreadable or hidden. */
__u64 section_address(const char *path);

/* Offset of per-CPU variable name in btf's .data..percpu section; -ENOENT when not there. */
int percpu_var_offset(const struct btf *btf, const char *name, __u32 *offset);

#endif
