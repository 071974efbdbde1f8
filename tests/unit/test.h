/* SPDX-License-Identifier: Apache-2.0 */
/* A small test_progs-style runner: ASSERT_* print actual and expected on failure. */
#ifndef TEST_H
#define TEST_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct test_case {
	const char *name;
	void (*run)(void);
	struct test_case *next;
};

void test_register(struct test_case *test);
void test_fail(const char *file, int line, const char *what, const char *detail);
/* Directory holding the compiled BTF fixtures (the runner's first argument). */
extern const char *fixture_dir;

#define TEST(fn)                                                     \
	static void fn(void);                                        \
	static struct test_case fn##_case = { #fn, fn, NULL };       \
	__attribute__((constructor)) static void fn##_register(void) \
	{                                                            \
		test_register(&fn##_case);                           \
	}                                                            \
	static void fn(void)

/* What CALL writes to the stream F it opens, as a string to free: CAPTURE(f, render(f, &r)). */
#define CAPTURE(f, call)                                 \
	({                                               \
		char *buf_ = NULL;                       \
		size_t size_ = 0;                        \
		FILE *f = open_memstream(&buf_, &size_); \
		if (f) {                                 \
			call;                            \
			fclose(f);                       \
		}                                        \
		buf_;                                    \
	})

#define ASSERT_TRUE(cond, what)                                                       \
	({                                                                            \
		bool ok_ = (cond);                                                    \
		if (!ok_)                                                             \
			test_fail(__FILE__, __LINE__, what, "expected true: " #cond); \
		ok_;                                                                  \
	})

#define ASSERT_EQ(actual, expected, what)                                                 \
	({                                                                                \
		long long a_ = (long long)(actual), e_ = (long long)(expected);           \
		char d_[128];                                                             \
		if (a_ != e_) {                                                           \
			snprintf(d_, sizeof(d_), "actual %lld != expected %lld", a_, e_); \
			test_fail(__FILE__, __LINE__, what, d_);                          \
		}                                                                         \
		a_ == e_;                                                                 \
	})

#define ASSERT_STREQ(actual, expected, what)                                                  \
	({                                                                                    \
		const char *a_ = (actual), *e_ = (expected);                                  \
		char d_[1024];                                                                \
		bool ok_ = !strcmp(a_, e_);                                                   \
		if (!ok_) {                                                                   \
			snprintf(d_, sizeof(d_), "actual '%s'\n      expected '%s'", a_, e_); \
			test_fail(__FILE__, __LINE__, what, d_);                              \
		}                                                                             \
		ok_;                                                                          \
	})

#define ASSERT_CONTAINS(actual, needle, what)                                           \
	({                                                                              \
		const char *a_ = (actual), *n_ = (needle);                              \
		char d_[1024];                                                          \
		bool ok_ = strstr(a_, n_) != NULL;                                      \
		if (!ok_) {                                                             \
			snprintf(d_, sizeof(d_), "'%s' does not contain '%s'", a_, n_); \
			test_fail(__FILE__, __LINE__, what, d_);                        \
		}                                                                       \
		ok_;                                                                    \
	})

#endif
