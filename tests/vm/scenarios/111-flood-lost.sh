# Overrunning the ring buffer: the reader is stopped (SIGSTOP) while 1000 pings make 16000 events;
# stderr reports lost events and printed + lost equals the table calls counted by iptables.
# smoke
IP1=10.0.1.1
IP2=10.0.1.2
PINGS=1000
netns_pair ns1 "$IP1" ns2 "$IP2"
for ns in ns1 ns2; do ipt_tables "$ns" raw mangle filter; done

# table_calls: the packets counted by every chain policy of raw, mangle and filter in ns1 and ns2
# (no rules: one count per table call).
table_calls() {
    for ns in ns1 ns2; do
        for t in raw mangle filter; do
            /usr/sbin/ip netns exec "$ns" iptables -t "$t" -L -v -x -n
        done
    done | awk '/^Chain .*policy/ { n += $5 } END { print n + 0 }'
}

# --no-drops: printed lines are compared with the table calls iptables counted.
tracer_start --no-drops --engines iptables --proto icmp -H "$IP1"
kill -STOP "$T_PID"
expect_cmd "$PINGS pings" in_ns ns1 ping -A -q -c "$PINGS" -W 2 "$IP2"
kill -CONT "$T_PID"
wait_quiet 30
tracer_stop

expect_rc 0
GENERATED=$(table_calls)
PRINTED=$(grep -c 'iptables=\[' "$T_OUT" || true)
SUMMARY=$(grep -E '^[0-9]+ events, [0-9]+ lost$' "$T_ERR" || true)
LOST=$(echo "$SUMMARY" | awk '{ print $3 }')
log "generated $GENERATED, printed $PRINTED, summary '$SUMMARY'"
[ "$GENERATED" -eq $((16 * PINGS)) ] || fail "iptables counted $GENERATED table calls, expected $((16 * PINGS))"
expect_err '^Lost [0-9]+ events \([0-9]+ in total\)' "lost events reported while running"
[ "${SUMMARY%% *}" = "$PRINTED" ] || fail "summary '$SUMMARY' but $PRINTED lines printed"
[ "${LOST:-0}" -gt 0 ] || fail "nothing lost: '$SUMMARY'"
[ $((PRINTED + ${LOST:-0})) -eq "$GENERATED" ] ||
    fail "printed $PRINTED + lost ${LOST:-?} != generated $GENERATED$(show_tracer)"
