# Benchmark (runs in the test VM, sourced with tests/vm/lib.sh): what rule attribution costs
# as the table grows. For N rules in filter INPUT of the receiving namespace, side by side in
# one run: ping round-trip time with no tracer, with the tracer and --no-rules, with rule
# attribution, and with attribution but a filter that rejects the pings; the table's own time
# per printed call (cost_ns) and the tool's counter walks' time per printed call. Prints one
# table; how it was measured comes first. Sizes: BENCH_SIZES (default "100 1000 10000 30000"), pings: BENCH_PINGS.
SIZES=${BENCH_SIZES:-100 1000 10000 30000}
PINGS=${BENCH_PINGS:-30}
IP1=10.77.0.1
IP2=10.77.0.2

netns_pair bench-a "$IP1" bench-b "$IP2"
NSB=$(netns_inode bench-b)

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

# traced_rtt ARGS...: the tracer (with --debug) on bench-b's calls with ARGS, during one
# avg_rtt. Sets RTT; EVENTS: the table calls it printed; COST_NS: their average cost_ns,
# ipt_do_table's own time without the tool's walks; WALK_NS: the time of the counter walks
# (--debug's count, entry and exit ones) per printed call.
traced_rtt() {
    tracer_start --debug --backend fentry --engines iptables -o json -N "$NSB" "$@" \
        >/dev/null 2>&1
    RTT=$(avg_rtt)
    tracer_stop >/dev/null 2>&1
    EVENTS=$(jq -r '.cost_ns // empty' "$T_OUT" 2>/dev/null | wc -l)
    COST_NS=$(jq -r '.cost_ns // empty' "$T_OUT" 2>/dev/null |
        awk '{ s += $1; n++ } END { if (n) printf "%d", s / n; else printf "-" }')
    WALK_NS=$(sed -n 's/^debug: rule walks: \([0-9]*\), \([0-9]*\) ns each.*/\1 \2/p' "$T_ERR" |
        awk -v n="$EVENTS" '{ if (n) printf "%d", $1 * $2 / n } END { if (!NR) printf "-" }')
    LISTS=$(sed -n 's/^debug: .*candidate lists: \([0-9]*\) walked, \([0-9]*\) reused.*/\1\/\2/p' "$T_ERR")
}

echo "How: Debian $(uname -r) in qemu-system-x86_64 -accel tcg (software emulation, 2 vCPUs):"
echo "absolute times are far above real hardware; compare the columns of one row."
echo "Each RTT is ping's average over $PINGS echo requests from bench-a to bench-b; the"
echo "request crosses bench-b's filter INPUT (N rules, the pings match the last one), the reply"
echo "its OUTPUT (empty). The tool traces bench-b (-N), so it prints 2 calls per ping."
echo "table ns: the printed calls' average cost_ns (ipt_do_table's own time, the tool's walks"
echo "excluded). walk ns: the tool's counter walks (entry and exit, timed in the programs with"
echo "--debug) per printed call. lists: candidate lists walked/reused (--debug)."
echo
printf '%-7s %-9s %-13s %-10s %-13s %-9s %-9s %-9s %s\n' rules "rtt(ms)" "rtt no-rules" \
    "rtt rules" "rtt filtered" "events" "table ns" "walk ns" "lists"
for n in $SIZES; do
    ruleset "$n" | in_ns bench-b iptables-legacy-restore 2>/dev/null
    in_ns bench-a iptables-legacy -L -n >/dev/null 2>&1
    base=$(avg_rtt)
    traced_rtt --no-rules -H "$IP1" --proto icmp
    norules=$RTT
    traced_rtt -H "$IP1" --proto icmp
    rules=$RTT events=$EVENTS cost=$COST_NS walk=$WALK_NS lists=${LISTS:--}
    traced_rtt -H 192.0.2.99 --proto icmp
    filtered=$RTT
    printf '%-7s %-9s %-13s %-10s %-13s %-9s %-9s %-9s %s\n' "$n" "$base" "$norules" "$rules" \
        "$filtered" "$events" "$cost" "$walk" "$lists"
done
