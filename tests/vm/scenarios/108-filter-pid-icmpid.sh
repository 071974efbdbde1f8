# -p/--pid and --icmpid: two pings held at a gate, so their pids (busybox ping's ICMP echo id is
# its pid) are known before they send; only the chosen one shows, with that pid at OUTPUT.
IP1=10.0.1.1
IP2=10.0.1.2
IP3=10.0.1.3
netns_pair ns1 "$IP1" ns2 "$IP2"
ip -n ns2 addr add "$IP3/24" dev v-ns1
ipt_tables ns1
ipt_tables ns2
NS1=$(netns_inode ns1)

# held_ping NAME DEST: start `ping -c 1 DEST` in ns1, waiting for `release NAME`; pid in $T_DIR/NAME.pid.
held_ping() {
    mkfifo "$T_DIR/$1.gate"
    /usr/sbin/ip netns exec ns1 sh -c 'read _ < "$0"; exec ping -c 1 -W 1 "$1"' "$T_DIR/$1.gate" "$2" &
    echo $! > "$T_DIR/$1.pid"
}
release() { echo go > "$T_DIR/$1.gate"; wait "$(cat "$T_DIR/$1.pid")" || true; }

held_ping p1 "$IP2"
held_ping p2 "$IP3"
P1=$(cat "$T_DIR/p1.pid")
# --no-drops: lines are counted against table calls (a ping's reply is a NO_SOCKET drop on 6.x).
tracer_start --no-drops --engines iptables -p "$P1"
release p1
release p2
wait_out "I_reply"
wait_quiet 3
tracer_stop
expect_rc 0
expect_out "^\\[[0-9:]{8}\\] \\[0x[0-9a-f]{16}\\] \\[$NS1\\] +$P1 +[0-9]+ +v-ns2 +nil +84 +I_request:$(q "$IP1")->$(q "$IP2") .*table=filter hook=OUTPUT verdict=ACCEPT" \
    "the request at OUTPUT, sent by pid $P1"
N=$(grep -c 'iptables=\[' "$T_OUT" || true)
expect_count "^\\[[0-9:]{8}\\] \\[0x[0-9a-f]{16}\\] \\[[0-9]+\\] +$P1 " "$N" "every line has pid $P1"
expect_no_out "$(q "$IP3")" "the other ping (pid $(cat "$T_DIR/p2.pid")) is not shown"

held_ping p3 "$IP2"
held_ping p4 "$IP3"
P4=$(cat "$T_DIR/p4.pid")
tracer_start --no-drops --engines iptables --icmpid "$P4"
release p3
release p4
wait_out "I_reply"
wait_quiet 3
tracer_stop
expect_rc 0
expect_count "I_request:$(q "$IP1")->$(q "$IP3") .*table=filter hook=(OUTPUT|INPUT) " 2 "--icmpid $P4: request"
expect_count "I_reply:$(q "$IP3")->$(q "$IP1") .*table=filter hook=(OUTPUT|INPUT) " 2 "--icmpid $P4: reply"
expect_count 'iptables=\[' 4 "--icmpid $P4"
expect_no_out "$(q "$IP2")" "ping with id $(cat "$T_DIR/p3.pid")"
