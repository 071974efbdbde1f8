# -N/--netns by `ip netns` name and by /proc/PID/ns/net: ns1 pings ns2; the name ns2 and the
# path of a process living in ns2 both select ns2's lines only (the column shows its inode).
IP1=10.0.1.1
IP2=10.0.1.2
netns_pair ns1 "$IP1" ns2 "$IP2"
for ns in ns1 ns2; do ipt_tables "$ns"; done
NS2=$(netns_inode ns2)

traffic() {
    ping_from ns1 "$IP2"
    wait_quiet 3
}

check_ns2_only() {
    expect_rc 0
    expect_out "\\[$NS2\\] .*I_request:$(q "$IP1")->$(q "$IP2") .*hook=INPUT" "$1"
    expect_out "\\[$NS2\\] .*I_reply:$(q "$IP2")->$(q "$IP1") .*hook=OUTPUT" "$1"
    expect_count 'iptables=\[' 2 "$1: ns2's two lines only"
}

tracer_start --engines iptables -N ns2
traffic
tracer_stop
check_ns2_only "-N ns2"

/usr/sbin/ip netns exec ns2 sleep 60 &
SLEEPER=$!
wait_until 10 sh -c "[ \"\$(stat -L -c %i /proc/$SLEEPER/ns/net)\" = $NS2 ]" ||
    fail "sleep did not enter ns2"
tracer_start --engines iptables --netns "/proc/$SLEEPER/ns/net"
traffic
tracer_stop
kill "$SLEEPER"
check_ns2_only "--netns /proc/$SLEEPER/ns/net"

T_RC=0
"$TRACER" -N no-such-ns > "$T_OUT" 2> "$T_ERR" || T_RC=$?
expect_rc 2
expect_err "^skbtracer-iptables: invalid -N/--netns 'no-such-ns': No such file or directory in /run/netns"
