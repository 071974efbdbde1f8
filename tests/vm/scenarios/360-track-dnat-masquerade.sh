# A kube-proxy-style service on a router: mangle PREROUTING marks, nat PREROUTING DNATs the
# service IP to a backend in another namespace, nat POSTROUTING MASQUERADEs. Filtered on the
# service IP, the SYN is followed after DNAT rewrote it (FORWARD, POSTROUTING) with one packet
# id; the nat lines say what they did. In JSON (filtered on the client): ct_state NEW then the
# reply ESTABLISHED on the same conntrack entry, the mark seen after it was set, the nat object.
# --no-track: only the lines the filter matches.
command -v jq > /dev/null || skip "jq is not in the initramfs (apt-get install jq)"
CL=10.36.1.2
BE=10.36.2.2
VIP=10.96.0.10
netns_router cl "$CL" node be "$BE"
kube_service node "$VIP" "$BE"
NSN=$(netns_inode node)
DNAT="nat=\[DNAT $(q "$VIP"):80 -> $(q "$BE"):8080\]"

connect() {
    tcp_listen be 8080
    echo hello | in_ns cl nc -w 3 "$VIP" 80 || true
    expect_cmd "$1: the service answered" grep -qx hello "$T_DIR/nc-be-8080.out"
}

# 1. text, -H the service IP: the SYN after DNAT keeps its id.
tracer_start --engines iptables -N "$NSN" -H "$VIP" --show-id --show-ct
connect text
wait_out "T_SYN:.*hook=POSTROUTING"
wait_quiet 2
tracer_stop
expect_rc 0
LINE=$(grep -E "T_SYN:$(q "$CL"):[0-9]+->$(q "$VIP"):80 .*table=nat hook=PREROUTING" "$T_OUT" | head -n 1)
ID=$(printf '%s\n' "$LINE" | sed -n 's/.* id=\([0-9][0-9]*\) .*/\1/p')
[ -n "$ID" ] || fail "no id on the SYN's nat PREROUTING line: '$LINE'$(show_tracer)"
expect_out "T_SYN:$(q "$CL"):[0-9]+->$(q "$VIP"):80 .*table=nat hook=PREROUTING verdict=ACCEPT cost=[^]]*\] id=$ID ct=NEW mark=0x10 $DNAT rule=PREROUTING#1: " "DNAT with its before and after"
expect_out "T_SYN:$(q "$CL"):[0-9]+->$(q "$BE"):8080 .*table=filter hook=FORWARD verdict=ACCEPT cost=[^]]*\] id=$ID ct=NEW mark=0x10 rule=" "FORWARD after DNAT: same packet"
expect_out "T_SYN:$(q "$CL"):[0-9]+->$(q "$BE"):8080 .*table=nat hook=POSTROUTING verdict=ACCEPT cost=[^]]*\] id=$ID ct=NEW mark=0x10 nat=\[MASQUERADE $(q "$CL"):[0-9]+ -> 10\.36\.2\.254:[0-9]+\] rule=POSTROUTING#1: " "MASQUERADE with its before and after"
expect_out "T_SYN:.*table=mangle hook=PREROUTING .* id=$ID ct=NEW mark=0x0->0x10 rule=" "the MARK rule's change"
expect_no_out "table=filter hook=FORWARD .*nat=" "nat= only on nat lines"

# 2. --no-track: after DNAT the SYN no longer matches -H the service IP.
in_ns be sh -c 'kill $(cat '"$T_DIR"'/nc-be-8080.pid) 2>/dev/null' || true
tracer_start --engines iptables -N "$NSN" -H "$VIP" --no-track
connect no-track
wait_out "T_SYN:.*hook=PREROUTING"
wait_quiet 2
tracer_stop
expect_rc 0
expect_out "T_SYN:$(q "$CL"):[0-9]+->$(q "$VIP"):80 .*table=nat hook=PREROUTING verdict=ACCEPT cost=[^]]*\] $DNAT rule=" "nat shown without --show-*"
expect_no_out "T_SYN:.*hook=(FORWARD|POSTROUTING)" "untracked: the rewritten SYN does not match"

# 3. JSON, -H the client: conntrack state and direction, mark, nat object.
in_ns be sh -c 'kill $(cat '"$T_DIR"'/nc-be-8080.pid) 2>/dev/null' || true
tracer_start -o json --engines iptables -N "$NSN" -H "$CL"
connect json
wait_until 10 grep -q '"tcp_flags":"SYN,ACK"' "$T_OUT"
wait_quiet 2
tracer_stop
expect_rc 0
jq_expect() {
    jq -e -s "$2" "$T_OUT" > /dev/null && return 0
    fail "$1: jq -s '$2' is not true$(show_tracer)"
}
SYN='map(select(.tcp_flags == "SYN"))'
SYNACK='map(select(.tcp_flags == "SYN,ACK"))'
jq_expect "every event has a packet id" 'all(.[]; (.packet_id | type) == "number" and .packet_id > 0)'
jq_expect "the SYN: one packet id" "$SYN"' | length >= 4 and (map(.packet_id) | unique | length) == 1'
jq_expect "the SYN at mangle PREROUTING: no mark, NEW, marked by the call" "$SYN"' | map(select(.table == "mangle" and .hook == "PREROUTING")) | .[0] | .mark == 0 and .mark_after == 16 and .ct_state == "NEW" and .ct_dir == "original"'
jq_expect "the SYN at filter FORWARD: mark 0x10" "$SYN"' | map(select(.table == "filter")) | .[0] | .mark == 16 and .ct_state == "NEW" and .daddr == "'"$BE"'"'
jq_expect "the nat object of the DNAT" "$SYN"' | map(select(.table == "nat" and .hook == "PREROUTING")) | .[0].nat == {"type":"DNAT","from":{"addr":"'"$VIP"'","port":80},"to":{"addr":"'"$BE"'","port":8080}}'
jq_expect "the nat object of the MASQUERADE" "$SYN"' | map(select(.table == "nat" and .hook == "POSTROUTING")) | .[0].nat | .type == "MASQUERADE" and .from.addr == "'"$CL"'" and .to.addr == "10.36.2.254"'
jq_expect "the reply: ESTABLISHED, reply direction, the same conntrack entry" '(map(select(.tcp_flags == "SYN")) | .[0].conntrack) as $ct | '"$SYNACK"' | length >= 1 and all(.[]; .ct_state == "ESTABLISHED" and .ct_dir == "reply" and .conntrack == $ct)'
jq_expect "the reply is another packet" '(map(select(.tcp_flags == "SYN")) | .[0].packet_id) as $id | '"$SYNACK"' | all(.[]; .packet_id != $id)'
jq_expect "no nat object off nat calls" 'all(.[]; .table == "nat" or (has("nat") | not))'
