#!/usr/bin/env bash
# Kernel-style formatting of every C file (.clang-format), as `make check` does.
cd "$(dirname "$0")/.."
if out=$(clang-format --dry-run --Werror src/*.c src/*.h tests/unit/*.c tests/unit/*.h \
	tests/host/*.c tests/host/*.h tests/fuzz/*.c tests/fuzz/*.h 2>&1); then
	echo "PASS clang-format"
	echo "style: 1 passed, 0 failed"
else
	echo "FAIL clang-format: run clang-format -i on:"
	grep -o '^[^:]*\.[ch]' <<<"$out" | sort -u | sed 's/^/    /'
	echo "style: 0 passed, 1 failed"
	exit 1
fi
