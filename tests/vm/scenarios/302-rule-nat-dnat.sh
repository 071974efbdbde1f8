# nat PREROUTING DNAT: the first packet of a connection (the SYN to the virtual address) says
# nat=[DNAT VIP:80 -> IP2:8080] rule=PREROUTING#2: ... -j DNAT --to-destination ..., then nat
# INPUT its policy (no nat=: it set up no source NAT); the other
# packets of the connection never reach the nat table; an echo request gets the policies.
IP1=10.3.2.1
IP2=10.3.2.2
VIP=10.3.2.99
netns_pair a "$IP1" b "$IP2"
ip -n a route add "$VIP/32" via "$IP2"
in_ns b iptables -t nat -A PREROUTING -p udp -j ACCEPT
in_ns b iptables -t nat -A PREROUTING -d "$VIP" -p tcp --dport 80 -j DNAT --to-destination "$IP2:8080"
NSB=$(netns_inode b)
NAT="pkt_type=HOST iptables=\[pf=PF_INET, table=nat"
DNAT='-A PREROUTING -d 10.3.2.99/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.3.2.2:8080'

tcp_listen b 8080
tracer_start --engines iptables -H "$IP1" -N "$NSB"
echo hello | in_ns a nc -w 3 "$VIP" 80
ping_from a "$IP2"
wait_out "I_request:.*hook=INPUT"
wait_quiet 2
tracer_stop

expect_rc 0
expect_cmd "the DNATed connection reached b:8080" grep -qx hello "$T_DIR/nc-b-8080.out"
expect_out "\[$NSB\] .* v-a .* T_SYN:$(q "$IP1"):[0-9]+->$(q "$VIP"):80 +$NAT hook=PREROUTING verdict=ACCEPT cost=[^]]*\] nat=\[DNAT $(q "$VIP"):80 -> $(q "$IP2"):8080\] rule=PREROUTING#2: $(q "$DNAT")$"
expect_out "T_SYN:$(q "$IP1"):[0-9]+->$(q "$IP2"):8080 +$NAT hook=INPUT verdict=ACCEPT cost=[^]]*\] rule=INPUT:policy ACCEPT$"
# table calls only: an ACK of the connection may be shown dropped in tcp_v4_rcv (seen once)
expect_count " T_.* iptables=\[" 2 "only the SYN, at PREROUTING and INPUT"
expect_out "I_request:$(q "$IP1")->$(q "$IP2") +$NAT hook=PREROUTING verdict=ACCEPT cost=[^]]*\] rule=PREROUTING:policy ACCEPT$"
expect_out "I_request:$(q "$IP1")->$(q "$IP2") +$NAT hook=INPUT verdict=ACCEPT cost=[^]]*\] rule=INPUT:policy ACCEPT$"
expect_count "iptables=\[" 4 "nat only sees each connection's first packet"
expect_no_out "table=filter|hook=OUTPUT|hook=POSTROUTING" "replies are not NATed through the chains"
