# Two instances with --nft-trace at once: each has its own table; the second one ending does
# not switch the first one's attribution off.
need_feature module_btf # nftables (and ebtables) need their modules' types
IP1=10.3.25.1
IP2=10.3.25.2
netns_pair a "$IP1" b "$IP2"
in_ns b nft add table inet mine
in_ns b nft add chain inet mine in_c '{ type filter hook input priority 0; policy accept; }'
in_ns b nft add rule inet mine in_c ip saddr "$IP1" icmp type echo-request drop
NSB=$(netns_inode b)
RULE="verdict=DROP\(EPERM\) .*\] rule=in_c\[handle [0-9]+\]: ip saddr $(q "$IP1") icmp type echo-request drop$"

# The second instance, by hand: lib.sh follows one tracer.
/usr/bin/env --default-signal=INT "$TRACER" --engines nftables --nft-trace --proto icmp \
    -N "$NSB" > "$T_DIR/second.out" 2> "$T_DIR/second.err" &
SECOND=$!
trap '_rc=$?; kill -9 "$SECOND" 2> /dev/null || true; t_exit $_rc $LINENO' EXIT
wait_until 90 grep -qF "$READY_LINE" "$T_DIR/second.err" || die "second instance not ready: $(cat "$T_DIR/second.err")"

tracer_start --engines nftables --nft-trace --proto icmp -N "$NSB"
[ "$(nft list tables | grep -c skbtracer_iptables_trace_)" = 2 ] || fail "not two tables: $(nft list tables)"
kill -INT "$SECOND"
wait "$SECOND" || fail "second instance exit status $?: $(cat "$T_DIR/second.err")"
grep -q "^Removed table inet skbtracer_iptables_trace_$SECOND$" "$T_DIR/second.err" ||
    fail "second instance: $(cat "$T_DIR/second.err")"
nft list table inet "skbtracer_iptables_trace_$T_PID" > /dev/null || fail "the first one's table went with the second"

ping_from a "$IP2"
wait_out "$RULE"
tracer_stop
expect_rc 0
expect_out "$RULE" "after the second instance ended"
