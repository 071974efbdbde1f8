# iptables-nft nat rules: a DNAT in a's nat OUTPUT and a rule in nat POSTROUTING show as
# table=nat chains at prio -100 / 100 in a; b's nat PREROUTING at -100; the reply is not NATed
# through the chains again (conntrack) and an unmatched source address is absent.
need_feature module_btf
IP1=10.2.1.1
IP2=10.2.1.2
IP3=10.2.1.3
VIP=10.2.1.99
netns_pair a "$IP1" b "$IP2"
ip -n a addr add "$IP3/24" dev v-b
in_ns a iptables-nft -t nat -A OUTPUT -p icmp -d "$VIP" -j DNAT --to-destination "$IP2"
in_ns a iptables-nft -t nat -A POSTROUTING -o v-b -j ACCEPT
# nat chains only run for packets conntrack tracks; a NAT rule enables conntrack in b.
in_ns b iptables-nft -t nat -A PREROUTING -p tcp --dport 80 -j REDIRECT --to-ports 8080
NSA=$(netns_inode a)
NSB=$(netns_inode b)
NAT="+pkt_type=HOST nftables=\[family=ip table=nat"

tracer_start --proto icmp -H "$IP1"
expect_cmd "ping $VIP, DNATed to $IP2" in_ns a ping -c 1 -W 2 "$VIP"
expect_cmd "ping from the unmatched address $IP3" in_ns a ping -c 1 -W 2 -I "$IP3" "$IP2"
wait_out "chain=PREROUTING"
wait_quiet 3
tracer_stop

expect_rc 0
# At a's nat OUTPUT the packet still goes to the virtual address (the tool parses it at entry).
expect_out "\[$NSA\] .* I_request:$(q "$IP1")->$(q "$VIP") $NAT chain=OUTPUT hook=OUTPUT prio=-100 verdict=ACCEPT cost="
expect_out "\[$NSA\] .* v-b .* I_request:$(q "$IP1")->$(q "$IP2") $NAT chain=POSTROUTING hook=POSTROUTING prio=100 verdict=ACCEPT cost="
expect_out "\[$NSB\] .* v-a .* I_request:$(q "$IP1")->$(q "$IP2") $NAT chain=PREROUTING hook=PREROUTING prio=-100 verdict=ACCEPT cost="
expect_count "table=nat" 3 "one nat chain per hook for the first packet"
expect_no_out "I_reply.*tables=\[" "replies of a NATed connection skip the nat chains"
expect_no_out "table=filter|iptables=\[|verdict=DROP|STOLEN"
expect_no_out "$(q "$IP3")" "-H $IP1 filters out $IP3"
