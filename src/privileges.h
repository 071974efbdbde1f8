/* SPDX-License-Identifier: Apache-2.0 */
#ifndef PRIVILEGES_H
#define PRIVILEGES_H

#include <stdbool.h>
#include <stddef.h>

/* True when the process may load and attach tracing programs; else why in buf. */
bool have_tracing_privileges(char *buf, size_t len);

#endif
