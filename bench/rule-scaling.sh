# Benchmark (runs in the test VM, sourced with tests/vm/lib.sh): what rule attribution costs
# as the table grows. For N rules in filter INPUT of the receiving namespace, side by side in
# one run: ping round-trip time with no tracer, with the tracer and --no-rules, with rule
# attribution, and with attribution but a filter that rejects the pings; and the BPF programs'
# own run time per call (kernel.bpf_stats_enabled). Prints one table; how it was measured
# comes first. Sizes: BENCH_SIZES (default "100 1000 10000 30000"), pings: BENCH_PINGS.
SIZES=${BENCH_SIZES:-100 1000 10000 30000}
PINGS=${BENCH_PINGS:-30}
IP1=10.77.0.1
IP2=10.77.0.2

netns_pair bench-a "$IP1" bench-b "$IP2"
sysctl -qw kernel.bpf_stats_enabled=1

# ruleset N: N-1 rules that never match the pings, then the one that accepts them.
ruleset() {
    echo "*filter"
    echo ":INPUT ACCEPT [0:0]"
    echo ":FORWARD ACCEPT [0:0]"
    echo ":OUTPUT ACCEPT [0:0]"
    i=1
    while [ "$i" -lt "$1" ]; do
        echo "-A INPUT -s 198.18.$((i / 250)).$((i % 250 + 1))/32 -p tcp -j DROP"
        i=$((i + 1))
    done
    echo "-A INPUT -p icmp -j ACCEPT"
    echo "COMMIT"
}

# avg_rtt: average RTT in ms of $PINGS pings, from ping's own summary.
avg_rtt() {
    ip netns exec bench-a ping -q -c "$PINGS" -i 0.05 "$IP2" |
        sed -n 's|.*min/avg/max = [0-9.]*/\([0-9.]*\)/.*|\1|p'
}

# prog_ns NAME: average run time in ns per call of the loaded BPF program NAME.
prog_ns() {
    bpftool prog show name "$1" 2>/dev/null |
        sed -n 's/.*run_time_ns \([0-9]*\) run_cnt \([0-9]*\).*/\1 \2/p' |
        awk '{ if ($2 > 0) printf "%d", $1 / $2; else printf "-" }'
}

# traced_rtt ARGS...: sets RTT, ENTRY_NS, EXIT_NS with the tracer running with ARGS.
traced_rtt() {
    tracer_start --backend fentry --engines iptables "$@" >/dev/null 2>&1
    RTT=$(avg_rtt)
    ENTRY_NS=$(prog_ns fentry_ipt_do_table)
    EXIT_NS=$(prog_ns fexit_ipt_do_table)
    tracer_stop >/dev/null 2>&1
}

echo "How: Debian $(uname -r) in qemu-system-x86_64 -accel tcg (software emulation, 2 vCPUs):"
echo "absolute times are far above real hardware; compare the columns of one row."
echo "Each RTT is ping's average over $PINGS echo requests from bench-a to bench-b; the"
echo "request crosses bench-b's filter INPUT (N rules, the pings match the last one)."
echo "entry/exit ns: run_time_ns / run_cnt of the fentry and fexit programs (bpf_stats),"
echo "per call of ipt_do_table, all tables and namespaces together."
echo
printf '%-7s %-10s %-16s %-14s %-10s %-10s %-18s\n' rules "rtt(ms)" "rtt --no-rules" \
    "rtt rules" "entry ns" "exit ns" "rtt filtered out"
for n in $SIZES; do
    ruleset "$n" | in_ns bench-b iptables-legacy-restore 2>/dev/null
    in_ns bench-a iptables-legacy -L -n >/dev/null 2>&1
    base=$(avg_rtt)
    traced_rtt --no-rules -H "$IP1" --proto icmp
    norules=$RTT
    traced_rtt -H "$IP1" --proto icmp
    rules=$RTT entry=$ENTRY_NS exit=$EXIT_NS
    traced_rtt -H 192.0.2.99 --proto icmp
    filtered=$RTT
    printf '%-7s %-10s %-16s %-14s %-10s %-10s %-18s\n' "$n" "$base" "$norules" "$rules" \
        "$entry" "$exit" "$filtered"
done
