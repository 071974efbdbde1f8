#!/usr/bin/env bash
# The whole test suite: unit, host BPF, host CLI (and its matrix), the unit and host tests under
# ASan+UBSan, a short run of every fuzz target, VM end-to-end. Ends with one summary line.
# The VM runs every scenario on Debian 12's 6.1 and the smoke set (`# smoke`) on Debian 11's 5.10
# and Debian 13's 6.12, two VMs at a time; with --all-kernels (make test-kernels) every scenario on every kernel and
# the arm64 smoke run (tests/vm/arm64-smoke.sh).
# As root it first installs the Debian packages it needs (scripts/install-deps.sh test).
set -u
cd "$(dirname "$0")/.."
other_kernels_set=--smoke
case "${1:-}" in
--all-kernels) other_kernels_set= ;;
"") ;;
*)
	echo "usage: tests/run-all.sh [--all-kernels]" >&2
	exit 2
	;;
esac
total_passed=0 total_failed=0 total_skipped=0
log_dir=build/test-logs

# suite NAME COMMAND...: runs one suite, shows its output, adds its summary line to the totals.
suite() {
	local name=$1 line rc
	shift
	echo "=== $name"
	"$@" 2>&1 | tee "$log_dir/$name.log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$log_dir/$name.log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL $name: the suite printed no summary (exit status $rc)"
		total_failed=$((total_failed + 1))
		return
	fi
	local p f s
	p=$(sed -E 's/.*\b([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.*\b([0-9]+) failed.*/\1/' <<<"$line")
	s=$(grep -oE '[0-9]+ skipped' <<<"$line" | grep -oE '[0-9]+' || echo 0)
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $name: exit status $rc"
		f=1
	fi
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	total_skipped=$((total_skipped + s))
}

if ! scripts/install-deps.sh test; then
	echo "0 passed, 1 failed"
	exit 1
fi
mkdir -p "$log_dir"
if ! make --no-print-directory all build/unit-tests build/load-tests build/fetch-tests \
	build/nft-tests build/pcap-tests build/drop-tests build/track-tests \
	>"$log_dir/build.log" 2>&1; then
	cat "$log_dir/build.log"
	echo "0 passed, 1 failed"
	exit 1
fi

suite style tests/style.sh
suite unit make --no-print-directory test-unit
suite host-bpf build/load-tests
suite host-drops build/drop-tests
suite host-fetch build/fetch-tests
suite host-nft build/nft-tests
suite host-pcap build/pcap-tests
suite host-track build/track-tests
suite host-cli tests/host/cli.sh ./skbtracer-iptables
suite host-cli-matrix tests/host/cli_matrix.sh ./skbtracer-iptables
suite completion tests/host/completion.sh ./skbtracer-iptables
suite asan make --no-print-directory test-asan
suite fuzz make --no-print-directory test-fuzz

# VM suites in two lanes at once (a TCG guest mostly waits on one core: verifying, sleeping), each
# run with its own build directory; the outputs are shown and counted afterwards, in order.
# vm_run NAME RUN.SH-ARGS...: one VM suite into build/test-logs/NAME.run and NAME.rc.
vm_run() {
	local name=$1 rc=0
	shift
	VM_BUILD=build/$name tests/vm/run.sh "$@" ./skbtracer-iptables >"$log_dir/$name.run" 2>&1 ||
		rc=$?
	echo "$rc" >"$log_dir/$name.rc"
}
# vm_replay NAME: what vm_run printed, and its exit status.
vm_replay() {
	cat "$log_dir/$1.run"
	return "$(cat "$log_dir/$1.rc")"
}
for kernel in 6.1 5.10 6.12; do # fetched once, before the lanes share the cache
	tests/vm/fetch-kernel.sh "$kernel" >/dev/null || echo "note: fetching the $kernel kernel failed"
done
echo "=== vm (6.1 in two parts, 5.10 and 6.12 in two lanes; shown when all have ended)"
# The parts, by the scenario number's last digit, took about as long as each other (measured).
{
	vm_run vm-6.1-a --filter '^..[0248]-'
	vm_run vm-6.12 --kernel 6.12 $other_kernels_set
} &
{
	vm_run vm-6.1-b --filter '^..[135679]-'
	vm_run vm-5.10 --kernel 5.10 $other_kernels_set
} &
wait
for name in vm-6.1-a vm-6.1-b vm-5.10 vm-6.12; do
	suite "$name" vm_replay "$name"
done
if [ -z "$other_kernels_set" ]; then
	# arm64: cross-built, booted under qemu-system-aarch64 (its own smaller smoke set).
	if scripts/install-deps.sh arm64 && make --no-print-directory ARCH=arm64 \
		>"$log_dir/build-arm64.log" 2>&1; then
		suite vm-arm64 tests/vm/arm64-smoke.sh build/arm64/skbtracer-iptables
	else
		cat "$log_dir/build-arm64.log"
		echo "FAIL arm64: cannot build (scripts/install-deps.sh arm64, make ARCH=arm64)"
		total_failed=$((total_failed + 1))
	fi
fi

echo "${total_passed} passed, ${total_failed} failed, ${total_skipped} skipped"
[ "$total_failed" -eq 0 ]
