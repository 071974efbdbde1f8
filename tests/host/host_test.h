/* SPDX-License-Identifier: Apache-2.0 */
/* What the root-only host tests share: the counts, one check line, a quiet shell command. */
#ifndef HOST_TEST_H
#define HOST_TEST_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static int passed, failed, skipped;

static inline void check(bool ok, const char *what, const char *detail)
{
	printf("%s %s%s%s\n", ok ? "PASS" : "FAIL", what, ok ? "" : ": ", ok ? "" : detail);
	ok ? passed++ : failed++;
}

/* Runs a fixed test command (never built from names the test did not choose), output hidden. */
static inline int sh(const char *command)
{
	char line[2048];

	snprintf(line, sizeof(line), "{ %s; } >/dev/null 2>&1", command);
	return system(line);
}

#endif
