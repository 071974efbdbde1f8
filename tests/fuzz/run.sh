#!/usr/bin/env bash
# Runs every libFuzzer target (tests/fuzz/fuzz_NAME.c, built into DIR) for SECONDS each, from
# its seeds in tests/fuzz/corpus/NAME. New inputs go to DIR/corpus-NAME, crashes to
# DIR/artifacts/. Usage: run.sh DIR SECONDS. Ends with "fuzz: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
dir=$1 seconds=$2
passed=0 failed=0
mkdir -p "$dir/artifacts"

for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	bin=$dir/fuzz_$name
	seeds=tests/fuzz/corpus/$name
	work=$dir/corpus-$name
	log=$dir/fuzz_$name.log
	if [ ! -x "$bin" ]; then
		echo "FAIL fuzz_$name: $bin not built"
		failed=$((failed + 1))
		continue
	fi
	mkdir -p "$work"
	[ -d "$seeds" ] || echo "note: fuzz_$name has no seed corpus ($seeds)"
	# -timeout: one input running longer than 10 s is a hang, and a failure.
	timeout $((seconds * 3 + 60)) "$bin" -max_total_time="$seconds" -timeout=10 \
		-rss_limit_mb=2048 -artifact_prefix="$dir/artifacts/$name-" "$work" \
		$([ -d "$seeds" ] && echo "$seeds") >"$log" 2>&1
	rc=$?
	runs=$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+')
	if [ $rc -eq 0 ] && [ -n "$runs" ]; then
		echo "PASS fuzz_$name ($runs inputs in ${seconds}s)"
		passed=$((passed + 1))
	else
		echo "FAIL fuzz_$name: exit status $rc (log: $log)"
		grep -E 'ERROR|runtime error|SUMMARY|Test unit written|timeout' "$log" | head -n 8 |
			sed 's/^/    /'
		failed=$((failed + 1))
	fi
done

echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
