/* SPDX-License-Identifier: Apache-2.0 */
#ifndef KSYMS_H
#define KSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/*
 * Kernel code addresses to "function+0xoff": the text symbols of a /proc/kallsyms file, sorted
 * once at start, looked up by binary search off the ring-buffer path.
 */
struct ksyms;

/* NULL and err when the file cannot be read. */
struct ksyms *ksyms_load(const char *path, char *err, size_t err_len);
void ksyms_free(struct ksyms *ks);
/* The file listed every address as 0 (kptr_restrict, no CAP_SYSLOG): nothing to name. */
bool ksyms_hidden(const struct ksyms *ks);
/*
 * "ip_rcv_finish_core+0x1a4" ("ipt_do_table+0x9e [ip_tables]" in a module), or "0x..." when
 * no symbol covers addr (or ks is NULL).
 */
void ksyms_name(const struct ksyms *ks, __u64 addr, char *buf, size_t len);

#endif
