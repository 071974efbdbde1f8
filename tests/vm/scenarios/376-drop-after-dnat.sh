# Tracking and drops together: b DNATs a service IP to an address it has no route to, so the
# packet, filtered on the service IP, is dropped (no route) after NAT rewrote its destination.
# Tracking ties the drop to the packet: the same id as its nat line, and --group ends its block
# with the drop. With --no-track the drop is not shown (the freed packet no longer names the
# service IP).
IP1=10.37.6.1
IP2=10.37.6.2
VIP=10.96.0.12
GONE=10.37.98.1
netns_pair a "$IP1" b "$IP2"
ip -n a route add "$VIP/32" via "$IP2"
in_ns b sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
in_ns b iptables -t nat -A PREROUTING -d "$VIP" -j DNAT --to-destination "$GONE"
NSB=$(netns_inode b)
if kernel_at_least 6.1; then
    WHY="reason=IP_INNOROUTES "
elif kernel_at_least 5.17; then
    WHY="reason=[A-Z_]+ "
else
    WHY=
fi

tracer_start --engines iptables -N "$NSB" -H "$VIP" --show-id
ping_from a "$VIP"
wait_out "dropped"
wait_quiet 2
tracer_stop
expect_rc 0
expect_out "I_request:$(q "$IP1")->$(q "$VIP") +pkt_type=HOST iptables=\[pf=PF_INET, table=nat hook=PREROUTING verdict=ACCEPT cost=[^]]*\] id=[0-9]+ nat=\[DNAT $(q "$VIP") -> $(q "$GONE")\]" "the nat line, before DNAT"
expect_out "I_request:$(q "$IP1")->$(q "$GONE") +pkt_type=HOST dropped ${WHY}at ip_error\+0x[0-9a-f]+ id=[0-9]+$" "the drop, after DNAT"
expect_count "dropped" 1 "one request, one drop"
NAT_ID=$(grep -m1 "table=nat" "$T_OUT" | sed -n 's/.* id=\([0-9]*\) .*/\1/p')
DROP_ID=$(grep -m1 "dropped" "$T_OUT" | sed -n 's/.* id=\([0-9]*\)$/\1/p')
[ -n "$NAT_ID" ] && [ "$NAT_ID" = "$DROP_ID" ] ||
    fail "the drop's id ($DROP_ID) is not the nat line's ($NAT_ID)$(show_tracer)"

tracer_start --engines iptables -N "$NSB" -H "$VIP" --group
ping_from a "$VIP"
wait_out "^  PREROUTING .*dropped" 10
tracer_stop
expect_rc 0
expect_out "^\[[0-9:]{8}\] packet [0-9]+: I_request:$(q "$IP1")->$(q "$VIP") in netns $NSB$" "the block"
expect_out "^  PREROUTING nat DNAT\($(q "$VIP") -> $(q "$GONE")\) -> dropped ${WHY}at ip_error\+0x[0-9a-f]+$" "ended by the drop"

tracer_start --engines iptables -N "$NSB" -H "$VIP" --no-track
ping_from a "$VIP"
wait_out "table=nat"
wait_quiet 2
tracer_stop
expect_rc 0
expect_no_out "dropped" "--no-track: the freed packet no longer matches -H"
