/* SPDX-License-Identifier: Apache-2.0 */
#ifndef PRIVILEGES_H
#define PRIVILEGES_H

#include <stdbool.h>
#include <stddef.h>

/* True when the process may load and attach tracing programs; else why in buf. */
bool have_tracing_privileges(char *buf, size_t len);

/*
 * What rule attribution cannot do with these capabilities (entering other namespaces, reading
 * tables, reading kernel addresses): one line in buf, or "" when nothing is missing. Pure.
 */
void describe_attribution_limits(bool sys_admin, bool net_admin, bool kallsyms_addresses, char *buf,
				 size_t len);
/* The same for this process, as it is now. */
void attribution_limits(char *buf, size_t len);

#endif
