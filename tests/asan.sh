#!/usr/bin/env bash
# The unit, host and CLI tests built with ASan+UBSan (make test-asan). A suite fails on its own
# failures, on any sanitizer report, or on a non-zero exit. Usage: asan.sh ASAN_DIR FIXTURE_DIR.
set -u
cd "$(dirname "$0")/.."
dir=$1 fixtures=$2
passed=0 failed=0 skipped=0
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
reports='ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: UndefinedBehaviorSanitizer'

# suite NAME COMMAND...: adds the suite's own counts; a report or a bad exit is one more failure.
suite() {
	local name=$1 log line rc
	log=$dir/$name.log
	shift
	"$@" >"$log" 2>&1
	rc=$?
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if grep -qE "$reports" "$log"; then
		echo "FAIL $name: sanitizer report (log: $log)"
		grep -E -A 12 "$reports" "$log" | head -n 20 | sed 's/^/    /'
		failed=$((failed + 1))
	elif [ -z "$line" ] || { [ $rc -ne 0 ] && ! grep -qE '[1-9][0-9]* failed' <<<"$line"; }; then
		echo "FAIL $name: exit status $rc (log: $log)"
		tail -n 5 "$log" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
	[ -n "$line" ] || return
	echo "$line"
	grep -E '^FAIL' "$log" | sed 's/^/    /'
	passed=$((passed + $(sed -E 's/.*\b([0-9]+) passed.*/\1/' <<<"$line")))
	failed=$((failed + $(sed -E 's/.*\b([0-9]+) failed.*/\1/' <<<"$line")))
	skipped=$((skipped + $(grep -oE '[0-9]+ skipped' <<<"$line" | grep -oE '[0-9]+' || echo 0)))
}

suite unit "$dir/unit-tests" "$fixtures"
suite host-bpf "$dir/load-tests"
suite host-fetch "$dir/fetch-tests"
suite host-cli tests/host/cli.sh "$dir/skbtracer-iptables"
suite host-cli-matrix tests/host/cli_matrix.sh "$dir/skbtracer-iptables"

echo "asan: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
