#!/bin/sh
# /init of the test VM: set up the system, run /tests/scenarios/*.sh (or the demo), power off.
# Kernel command line: vmtest.mode=test|demo  vmtest.filter=REGEX  vmtest.timeout=SECONDS
# MODULES: loaded in this order; NAME? only where the kernel has it.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb

MODULES="x_tables ip_tables iptable_filter iptable_nat iptable_mangle iptable_raw iptable_security
  ip6_tables ip6table_filter ip6table_nat ip6table_mangle ip6table_raw
  nf_conntrack nf_nat nf_reject_ipv4 nf_reject_ipv6 ipt_REJECT ip6t_REJECT nf_log_syslog? nf_log_ipv4? nf_log_ipv6?
  xt_tcpudp xt_conntrack xt_state xt_statistic xt_comment xt_multiport xt_mark xt_LOG
  xt_limit xt_addrtype xt_MASQUERADE xt_nat xt_REDIRECT xt_CT xt_length xt_iprange xt_owner
  xt_NFQUEUE xt_physdev
  nf_tables nft_compat nft_chain_nat nft_ct nft_reject nft_reject_inet nft_reject_ipv4 nft_limit
  nft_log nft_masq nft_nat nft_redir nft_fib_inet nft_fib_ipv4 nft_numgen nft_quota nft_hash
  arp_tables arptable_filter arpt_mangle ebtables ebtable_filter ebtable_nat ebtable_broute
  veth dummy bridge"

MODE="test"
FILTER=
SCENARIO_TIMEOUT=180

mount_filesystems() {
    mount -t proc proc /proc
    mount -t sysfs sysfs /sys
    mount -t devtmpfs devtmpfs /dev
    exec </dev/console >/dev/console 2>&1
    mkdir -p /dev/pts /dev/shm
    mount -t devpts devpts /dev/pts
    mount -t tmpfs tmpfs /tmp
    mount -t tmpfs tmpfs /run
    mount -t bpf bpf /sys/fs/bpf
    mount -t tracefs tracefs /sys/kernel/tracing
    mount -t debugfs debugfs /sys/kernel/debug
    mkdir -p /run/netns
}

parse_cmdline() {
    set -f
    for word in $(cat /proc/cmdline); do
        case "$word" in
            vmtest.mode=*) MODE=${word#*=} ;;
            vmtest.filter=*) FILTER=${word#*=} ;;
            vmtest.timeout=*) SCENARIO_TIMEOUT=${word#*=} ;;
        esac
    done
    set +f
}

load_modules() {
    failed=
    loaded=0
    for m in $MODULES; do
        case "$m" in
            *\?) # only on some kernels (5.10's nf_log_ipv4 became nf_log_syslog in 5.12)
                m=${m%\?}
                grep -q "/$m\.ko:" "/lib/modules/$(uname -r)/modules.dep" || continue ;;
        esac
        if modprobe "$m" 2>/tmp/modprobe.err; then
            loaded=$((loaded + 1))
        else
            failed="${failed:+$failed,}$m"
            echo "modprobe $m failed: $(cat /tmp/modprobe.err)"
        fi
    done
    echo "@@MODULES loaded=$loaded failed=${failed:-none}"
}

elapsed_since() { echo $(($(date +%s) - $1)); }

# Kill what a scenario left behind: its recorded processes and all network namespaces.
cleanup_scenario() {
    for pidfile in "$1"/*.pid; do
        [ -e "$pidfile" ] && kill -9 "$(cat "$pidfile")" 2>/dev/null
    done
    for ns in $(/usr/sbin/ip netns list | cut -d' ' -f1); do
        /usr/sbin/ip netns delete "$ns"
    done
}

# scenario_verdict DIR RC SECONDS: print "PASS", "SKIP reason" or "FAIL reason".
scenario_verdict() {
    dir=$1 rc=$2 secs=$3
    if [ -e "$dir/skip" ]; then
        echo "SKIP $(cat "$dir/skip")"
    elif [ -s "$dir/failures" ]; then
        echo "FAIL $(wc -l < "$dir/failures") assertion(s) failed, first: $(head -n1 "$dir/failures")"
    elif [ -e "$dir/timed-out" ]; then
        echo "FAIL timed out after ${secs}s (limit ${SCENARIO_TIMEOUT}s)"
    elif [ ! -e "$dir/finished" ]; then
        echo "FAIL stopped before the end (exit status $rc)"
    elif [ "$rc" -ne 0 ]; then
        echo "FAIL exit status $rc"
    else
        echo "PASS"
    fi
}

# run_isolated DIR SECONDS CMD...: run CMD in its own session; kill the whole session after
# SECONDS (leaving DIR/timed-out). Returns CMD's exit status.
run_isolated() {
    dir=$1 secs=$2
    shift 2
    setsid "$@" &
    pid=$!
    setsid sh -c 'sleep "$1"; : > "$3/timed-out"; kill -TERM -"$2"; sleep 3; kill -KILL -"$2"' \
        watchdog "$secs" "$pid" "$dir" 2>/dev/null &
    watchdog=$!
    status=0
    wait "$pid" || status=$?
    kill -KILL -"$watchdog" 2>/dev/null
    return "$status"
}

run_scenario() {
    file=$1
    name=$(basename "$file" .sh)
    dir=/tmp/scenarios/$name
    mkdir -p "$dir"
    echo "@@START $name"
    start=$(date +%s)
    rc=0
    run_isolated "$dir" "$SCENARIO_TIMEOUT" sh -c '
        T_NAME=$1 T_DIR=$2
        . /tests/lib.sh
        set -eu
        . "$3"
        t_finish' sh "$name" "$dir" "$file" > "$dir/log" 2>&1 < /dev/null || rc=$?
    secs=$(elapsed_since "$start")
    cleanup_scenario "$dir" >> "$dir/log" 2>&1
    verdict=$(scenario_verdict "$dir" "$rc" "$secs")
    echo "@@RESULT $name $verdict"
    echo "@@TIME $name ${secs}s"
    case "$verdict" in
        FAIL*)
            echo "@@BEGIN-LOG $name"
            cat "$dir/log"
            echo "@@END-LOG $name"
            ;;
    esac
}

run_scenarios() {
    for file in /tests/scenarios/*.sh; do
        name=$(basename "$file" .sh)
        if [ -n "$FILTER" ] && ! echo "$name" | grep -Eq -- "$FILTER"; then
            continue
        fi
        run_scenario "$file"
    done
}

main() {
    mount_filesystems
    parse_cmdline
    echo "@@BOOTED uptime=$(cut -d' ' -f1 /proc/uptime)s kernel=$(uname -r) mode=$MODE"
    /usr/sbin/ip link set lo up
    echo /bin/modprobe > /proc/sys/kernel/modprobe # the kernel loads extensions on demand
    load_modules
    start=$(date +%s)
    case "$MODE" in
        demo) sh /tests/demo.sh ;;
        bench) mkdir -p /tmp/bench && BENCH_FILTER=$FILTER T_DIR=/tmp/bench T_NAME=bench sh -c '. /tests/lib.sh; . /tests/bench.sh' ;;
        *) run_scenarios ;;
    esac
    echo "@@DONE mode=$MODE elapsed=$(elapsed_since "$start")s uptime=$(cut -d' ' -f1 /proc/uptime)s"
    sync
    poweroff -f
}

main
