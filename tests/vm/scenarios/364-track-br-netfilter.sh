# Tracking from ebtables into iptables through br_netfilter: the expression 'ether src MAC and
# icmp' can match only at bridge hooks (at IP hooks there is no Ethernet header to test), so the
# bridged echo request's iptables FORWARD line in the bridge's namespace (br_netfilter hands the
# same skb to iptables) is shown only because tracking follows it, with the ebtables line's id
# and the rule that accepted it; with --no-track it is not shown.
need_feature module_btf
modprobe br_netfilter 2> /dev/null || skip "no br_netfilter module in this kernel"
trap '_rc=$?; rmmod br_netfilter 2> /dev/null; t_exit $_rc $LINENO' EXIT # later scenarios run without it
IP1=10.64.0.1
IP2=10.64.0.2
bridge_pair a "$IP1" br b "$IP2"
in_ns br sysctl -qw net.bridge.bridge-nf-call-iptables=1
in_ns br ebtables -P FORWARD ACCEPT
in_ns br iptables -A FORWARD -p icmp -j ACCEPT
MACA=$(mac_of a eth0)
REQ="I_request:$(q "$IP1")->$(q "$IP2")"

tracer_start --engines iptables,ebtables --show-id "ether src $MACA and icmp"
in_ns a ping -c 1 -W 2 "$IP2" || true
wait_out "$REQ .*iptables=.*hook=FORWARD"
wait_quiet 2
tracer_stop
expect_rc 0
ID=$(grep -m 1 "$REQ .*ebtables=\[table=filter hook=FORWARD" "$T_OUT" | sed -n 's/.* id=\([0-9]*\).*/\1/p')
[ -n "$ID" ] || fail "no ebtables FORWARD line with an id for the request$(show_tracer)"
expect_out "$REQ .*iptables=\[pf=PF_INET, table=filter hook=FORWARD verdict=ACCEPT cost=[^]]*\] id=$ID rule=FORWARD#1: -A FORWARD -p icmp -j ACCEPT$" \
    "the request at iptables FORWARD, followed from ebtables with its id"
expect_count "iptables=" 1 "one iptables line: the tracked request (the reply is another packet)"

tracer_start --no-track --engines iptables,ebtables "ether src $MACA and icmp"
in_ns a ping -c 1 -W 2 "$IP2" || true
wait_out "$REQ .*ebtables=\[table=filter hook=FORWARD"
wait_quiet 2
tracer_stop
expect_rc 0
expect_no_out "iptables=" "--no-track: the expression alone never matches at IP hooks"
