// SPDX-License-Identifier: Apache-2.0
/* Runs every registered test; prints failures and one summary line. */
#include <stdarg.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include "test.h"

const char *fixture_dir = "build";
static struct test_case *tests, **tail = &tests;
static int current_failures;
static const char *current_name;

void test_register(struct test_case *test)
{
	*tail = test;
	tail = &test->next;
}

void test_fail(const char *file, int line, const char *what, const char *detail)
{
	if (!current_failures)
		printf("FAIL %s\n", current_name);
	printf("    %s:%d: %s\n      %s\n", file, line, what, detail);
	current_failures++;
}

/* libbpf's warnings about the hostile inputs under test would echo them raw. */
static int quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;
	const char *only = argc > 2 ? argv[2] : NULL;

	libbpf_set_print(quiet_libbpf);
	if (argc > 1)
		fixture_dir = argv[1];
	for (struct test_case *t = tests; t; t = t->next) {
		if (only && !strstr(t->name, only))
			continue;
		current_failures = 0;
		current_name = t->name;
		t->run();
		if (current_failures)
			failed++;
		else
			passed++;
	}
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
