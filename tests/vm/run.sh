#!/bin/bash
# Usage: tests/vm/run.sh [--kernel 5.10|6.1|6.12] [--filter REGEX] [--smoke] [--keep] [--demo|--bench]
#                        [--verbose] [--timeout SECS] TOOL_BINARY
# Boots Debian's kernel in qemu (TCG, no KVM) with an initramfs holding TOOL_BINARY and runs
# every tests/vm/scenarios/*.sh in the guest (or tests/vm/demo.sh with --demo).
# Prints one line per scenario, the logs of failed ones, then "N passed, N failed, N skipped".
# --kernel: Debian 11's 5.10, 12's 6.1 (default) or 13's 6.12 cloud kernel (fetch-kernel.sh);
# --filter: only scenarios whose name matches REGEX; --smoke: only scenarios tagged `# smoke`;
# --keep: keep the initramfs tree in build/vm/root; --verbose: show the whole console;
# --timeout: limit for the whole VM run.
# Env: VM_TIMEOUT (whole VM, default 900 s or 120 s + 40 s a scenario if more), VM_SCENARIO_TIMEOUT (each scenario, default 180 s),
# VM_CACHE (kernel cache, default .cache/vm), VM_BUILD (default build/vm); --bench: VM_BENCH_PROBE,
# VM_BENCH_ALTS, VM_BENCH_CONFIGS, VM_BENCH_ENV (see bench/filtered-out.sh); VM_ICOUNT=1: the guest's
# clock counts its instructions (qemu -icount, one thread): reproducible benchmark figures.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BUILD=${VM_BUILD:-$REPO/build/vm}
CONSOLE=$BUILD/console.log
INITRAMFS=$BUILD/initramfs.gz

FILTER=
SMOKE=0
KERNEL=${VM_KERNEL:-6.1}
KEEP=0
MODE="test"
VERBOSE=0
TIMEOUT=${VM_TIMEOUT:-}

usage() { sed -n '2,15s/^# \{0,1\}//p' "$0" >&2; exit 2; }

parse_args() {
    while [ $# -gt 0 ]; do
        case "$1" in
            --filter) FILTER=${2:?}; shift ;;
            --kernel) KERNEL=${2:?}; shift ;;
            --smoke) SMOKE=1 ;;
            --keep) KEEP=1 ;;
            --demo) MODE=demo ;;
            --bench) MODE=bench ;;
            --verbose|-v) VERBOSE=1 ;;
            --timeout) TIMEOUT=${2:?}; shift ;;
            -h|--help) usage ;;
            -*) echo "run.sh: unknown option $1" >&2; usage ;;
            *) [ -z "${TOOL:-}" ] || usage; TOOL=$1 ;;
        esac
        shift
    done
    [ -n "${TOOL:-}" ] || usage
    [[ "$FILTER" != *[[:space:]]* ]] || { echo "run.sh: --filter must not contain spaces" >&2; exit 2; }
    [ "$SMOKE" = 0 ] || FILTER=$(smoke_filter)
    if [ -z "$TIMEOUT" ]; then
        if [ "$MODE" != test ]; then TIMEOUT=1800; else TIMEOUT=$(default_timeout); fi
    fi
}

# plain_text: stdin without carriage returns and the firmware's terminal escapes (which would
# clear the screen).
plain_text() { tr -d '\r' | sed -u 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g'; }

console_text() { plain_text < "$CONSOLE"; }

# show_live: show the console stream while the VM runs: the demo's output on stdout, progress
# lines (or with --verbose the whole console) on stderr.
show_live() {
    plain_text |
        if [ "$VERBOSE" = 1 ]; then
            cat >&2
        elif [ "$MODE" != test ]; then
            awk '/@@BOOTED/ { on = 1; next } /^@@|^\[ *[0-9]+\.[0-9]+\] / { next } on { print; fflush() }'
        else
            awk '
                /@@BOOTED/ { print "vm: booted (" $2 ")"; fflush() }
                /@@MODULES/ { sub(/.*@@MODULES /, ""); print "vm: modules " $0; fflush() }
                /@@RESULT/ { sub(/.*@@RESULT /, ""); name = $1; line = $0 }
                /@@TIME/ { sub(/.*@@TIME /, ""); if ($1 == name) print "vm: " line " [" $2 "]"; fflush() }
                /Kernel panic|BUG:|Oops|WARNING:/ { print "vm: kernel: " $0; fflush() }
            ' >&2
        fi
}

# smoke_filter: a regex matching the scenarios tagged `# smoke` (and FILTER, if given).
smoke_filter() {
    local names
    names=$(grep -lx '# smoke' "$HERE"/scenarios/*.sh | xargs -n1 basename | sed 's/\.sh$//' |
        { grep -E -- "${FILTER:-.}" || true; } | paste -sd '|')
    echo "^(${names:-no-smoke-scenario})\$"
}

# default_timeout: 900 s, or 120 s plus 40 s for each selected scenario if that is more (two VMs
# share the cores in make test: a scenario can take three times its time alone).
default_timeout() {
    local n
    n=$(find "$HERE/scenarios" -name '*.sh' -printf '%f\n' | sed 's/\.sh$//' |
        { grep -E -- "${FILTER:-.}" || true; } | wc -l)
    echo $((120 + 40 * n > 900 ? 120 + 40 * n : 900))
}

boot_vm() {
    local append="console=ttyS0 panic=-1 quiet vmtest.mode=$MODE"
    [ -z "$FILTER" ] || append="$append vmtest.filter=$FILTER"
    # TCG marks the TSC unstable and falls back to the HPET: every clock read is an emulated
    # MMIO access and sched_clock (bpf_stats' run_time_ns) counts jiffies. Benchmarks use the TSC.
    [ "$MODE" != bench ] || append="$append tsc=reliable clocksource=tsc"
    [ -z "${VM_SCENARIO_TIMEOUT:-}" ] || append="$append vmtest.timeout=$VM_SCENARIO_TIMEOUT"
    echo "vm: booting $(readlink "$KDIR/kernel") (TCG, timeout ${TIMEOUT}s), console in $CONSOLE" >&2
    # VM_ICOUNT=1: the guest clock counts instructions (1 ns each), so times are reproducible;
    # one vCPU (6.1 hangs bringing up a second one under -icount).
    local start=$SECONDS rc=0 accel=(-accel tcg,thread=multi -smp 2)
    [ "${VM_ICOUNT:-0}" = 0 ] || accel=(-accel tcg -icount shift=0,sleep=off -smp 1)
    timeout -k 10 "$TIMEOUT" qemu-system-x86_64 "${accel[@]}" -cpu max -m 1G \
        -nographic -no-reboot -nodefaults -serial stdio \
        -kernel "$KDIR/vmlinuz" -initrd "$INITRAMFS" -append "$append" \
        < /dev/null 2>&1 | tee "$CONSOLE" | show_live || rc=${PIPESTATUS[0]}
    VM_SECONDS=$((SECONDS - start))
    VM_RC=$rc
    echo "vm: qemu exited with status $VM_RC after ${VM_SECONDS}s" >&2
}

# print_log NAME: the scenario's log, as printed by the guest between its markers.
print_log() {
    echo "---- log of $1 ----"
    console_text | awk -v n="$1" '
        $0 ~ "@@END-LOG " n "$" { on = 0 }
        on { print }
        $0 ~ "@@BEGIN-LOG " n "$" { on = 1 }'
    echo "---- end of log of $1 ----"
}

report() {
    local pass=0 fail=0 skip=0 name verdict reason failed=() line
    while read -r name verdict reason; do
        case "$verdict" in
            PASS) pass=$((pass + 1)); echo "PASS $name" ;;
            SKIP) skip=$((skip + 1)); echo "SKIP $name: $reason" ;;
            *) fail=$((fail + 1)); failed+=("$name"); echo "FAIL $name: $reason" ;;
        esac
    done < <(console_text | sed -n 's/.*@@RESULT //p')

    # A scenario that started but has no result: the VM died or timed out during it.
    while read -r name; do
        if ! grep -aq "@@RESULT $name " "$CONSOLE"; then
            fail=$((fail + 1))
            echo "FAIL $name: no result (VM stopped during this scenario)"
        fi
    done < <(console_text | sed -n 's/.*@@START //p')

    for name in "${failed[@]}"; do print_log "$name"; done

    if ! grep -aq '@@DONE' "$CONSOLE"; then
        fail=$((fail + 1))
        if [ "$VM_RC" = 124 ]; then
            echo "FAIL vm: timed out after ${TIMEOUT}s"
        else
            echo "FAIL vm: the VM stopped without finishing (qemu status $VM_RC, crash or panic?)"
        fi
        echo "---- last 50 console lines ($CONSOLE) ----"
        console_text | tail -n 50
    elif [ $((pass + fail + skip)) = 0 ]; then
        fail=$((fail + 1))
        echo "FAIL vm: no scenario ran${FILTER:+ (filter '$FILTER' matched nothing?)}"
    fi
    line=$(console_text | grep -a '@@MODULES' | sed 's/.*@@MODULES //')
    case "$line" in *failed=none) ;; *) echo "note: modules $line" ;; esac
    echo "$pass passed, $fail failed, $skip skipped"
    [ "$fail" = 0 ]
}

main() {
    parse_args "$@"
    [ -e "$TOOL" ] || { echo "run.sh: $TOOL not found" >&2; exit 2; }
    command -v qemu-system-x86_64 > /dev/null ||
        { echo "run.sh: qemu-system-x86_64 missing (apt-get install qemu-system-x86)" >&2; exit 2; }
    mkdir -p "$BUILD"
    exec 9> "$BUILD/.lock"
    flock -n 9 || { echo "vm: waiting for another run.sh using $BUILD" >&2; flock 9; }
    KDIR=$("$HERE/fetch-kernel.sh" "$KERNEL")
    VM_KERNEL=$KERNEL VM_KEEP_ROOT=$KEEP VM_ROOT=$BUILD/root \
        "$HERE/build-initramfs.sh" "$INITRAMFS" "$TOOL"
    boot_vm
    if [ "$MODE" != test ]; then
        grep -aq '@@DONE' "$CONSOLE" || { echo "run.sh: the demo VM did not finish" >&2; exit 1; }
        return 0
    fi
    report
}

main "$@"
