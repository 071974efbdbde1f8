# --group: 360's service connection, filtered on the service IP, as one block per packet: the
# SYN's journey through mangle, nat (DNAT), FORWARD and POSTROUTING (MASQUERADE) to the
# backend's interface, printed about a second after its last call, before the tool exits.
CL=10.36.6.2
BE=10.36.7.2
VIP=10.96.0.11
netns_router cl "$CL" node be "$BE"
kube_service node "$VIP" "$BE"
NSN=$(netns_inode node)

tracer_start --engines iptables -N "$NSN" -H "$VIP" --group
tcp_listen be 8080
echo hello | in_ns cl nc -w 3 "$VIP" 80 || true
wait_out "^  PREROUTING .*MASQUERADE" 10
expect_out "^\[[0-9:]{8}\] packet [0-9]+: T_SYN:$(q "$CL"):[0-9]+->$(q "$VIP"):80 in netns $NSN$" "the SYN's block, printed while tracing"
tracer_stop
expect_rc 0
expect_out "^  PREROUTING mangle -> nat DNAT\($(q "$VIP"):80 -> $(q "$BE"):8080\) -> FORWARD mangle -> filter ACCEPT -> POSTROUTING mangle -> nat MASQUERADE\($(q "$CL"):[0-9]+ -> 10\.36\.7\.254:[0-9]+\) -> out v-be$" "the SYN's journey"
expect_no_out "iptables=\[" "no per-call lines"
expect_no_out "^TIME " "no column header"
SYNS=$(grep -c "packet [0-9]*: T_SYN:" "$T_OUT" || true)
[ "$SYNS" -eq 1 ] || fail "expected one block for the SYN, got $SYNS$(show_tracer)"
