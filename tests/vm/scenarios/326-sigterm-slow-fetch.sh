# SIGTERM while the tool reads a huge nftables ruleset for a rule's text (one nft listing takes
# about 15 s under TCG): the tool stops the child, says so on the event's line and exits within
# half the time one listing takes here (at least 3 s: the BPF teardown under TCG included, and it
# grows with the load of the machine as the listing does); before, it waited for both listings.
need_feature module_btf # nftables (and ebtables) need their modules' types
IP1=10.3.26.1
IP2=10.3.26.2
netns_pair a "$IP1" b "$IP2"
{
    echo "table inet big {"
    echo "  chain in_c { type filter hook input priority 0; policy accept;"
    echo "    ip saddr $IP1 icmp type echo-request drop"
    echo "  }"
    echo "  chain filler {"
    i=0
    while [ $i -lt 40000 ]; do
        echo "    ip saddr 10.$((i / 250 % 250)).$((i % 250)).1 tcp dport $((i % 60000 + 1)) accept"
        i=$((i + 1))
    done
    echo "  }"
    echo "}"
} > "$T_DIR/big.nft"
in_ns b nft -f "$T_DIR/big.nft"
START=$(date +%s)
/usr/sbin/ip netns exec b nft -a -s list ruleset > /dev/null
LISTING=$(($(date +%s) - START))
BOUND=$((LISTING / 2))
[ "$BOUND" -ge 3 ] || BOUND=3
log "one nft listing of the ruleset took about $LISTING s: the exit may take $BOUND s"

tracer_start --engines nftables --nft-trace --proto icmp -N "$(netns_inode b)"
in_ns a ping -c 1 -W 1 "$IP2" > /dev/null 2>&1 || true
# Wait for the tool's nft child, then stop the tool.
child_nft() {
    for _p in /proc/[0-9]*; do
        [ "$(cut -d' ' -f4 "$_p/stat" 2>/dev/null)" = "$T_PID" ] &&
            [ "$(cat "$_p/comm" 2>/dev/null)" = nft ] && return 0
    done
    return 1
}
wait_until 20 child_nft || die "the tool ran no nft$(show_tracer)"
sleep 0.3
T0=$(cut -d' ' -f1 /proc/uptime)
kill -TERM "$T_PID"
wait_until 10 tracer_dead || true
T1=$(cut -d' ' -f1 /proc/uptime)
tracer_wait 1
ELAPSED=$(echo "$T0 $T1" | awk '{ printf "%.1f", $2 - $1 }')
log "exit took $ELAPSED s after SIGTERM"
expect_rc 0
awk -v e="$ELAPSED" -v b="$BOUND" 'BEGIN { exit !(e <= b) }' ||
    fail "SIGTERM took $ELAPSED s (more than $BOUND; one listing took $LISTING s)$(show_tracer)"
expect_err "Received signal, exiting program"
expect_out "verdict=DROP\(EPERM\) .*\] rule=\?\(\`nft\` stopped: the program is ending\)$"

# For comparison (logged only): the same exit with no child running.
tracer_start --engines nftables --nft-trace --proto icmp -N "$(netns_inode b)"
T0=$(cut -d' ' -f1 /proc/uptime)
kill -TERM "$T_PID"
wait_until 10 tracer_dead || true
T1=$(cut -d' ' -f1 /proc/uptime)
tracer_wait 1
log "idle exit took $(echo "$T0 $T1" | awk '{ printf "%.1f", $2 - $1 }') s after SIGTERM"
expect_rc 0
