# nat table: only the first packet of a connection, on OUTPUT and POSTROUTING in the sender and
# PREROUTING and INPUT in the receiver, never replies or later requests; PKT_INFO is the packet as
# it enters the table (before DNAT).
IP1=10.0.1.1
IP2=10.0.1.2
VIP=10.0.1.9
netns_pair ns1 "$IP1" ns2 "$IP2"
in_ns ns1 iptables -t nat -A OUTPUT -d "$VIP" -j DNAT --to-destination "$IP2"
# nat tables are only called for packets with conntrack, which a NAT rule turns on in ns2.
in_ns ns2 iptables -t nat -A POSTROUTING -o v-ns1 -j MASQUERADE
NS1=$(netns_inode ns1)
NS2=$(netns_inode ns2)
MAC2=$(mac_of ns2 v-ns1)

row() { printf '\\[%s\\] +[0-9]+ +[0-9]+ +%s +%s +%s +' "$1" "$2" "$3" "$4"; }
nat() { printf 'pkt_type=HOST iptables=\\[pf=PF_INET, table=nat hook=%s verdict=ACCEPT cost=' "$1"; }

tracer_start --engines iptables -H "$IP1"
expect_cmd "3 pings to $VIP answered by $IP2" in_ns ns1 ping -c 3 -i 0.2 -W 2 "$VIP"
wait_out "hook=INPUT"
wait_quiet 3
tracer_stop

expect_rc 0
expect_out "$(row "$NS1" v-ns2 nil 84)I_request:$(q "$IP1")->$(q "$VIP") +$(nat OUTPUT)" "before DNAT"
expect_out "$(row "$NS1" v-ns2 nil 84)I_request:$(q "$IP1")->$(q "$IP2") +$(nat POSTROUTING)" "after DNAT"
expect_out "$(row "$NS2" v-ns1 "$MAC2" 84)I_request:$(q "$IP1")->$(q "$IP2") +$(nat PREROUTING)"
expect_out "$(row "$NS2" v-ns1 "$MAC2" 84)I_request:$(q "$IP1")->$(q "$IP2") +$(nat INPUT)"
expect_count 'table=nat' 4 "one per hook, first packet only"
expect_no_out 'I_reply.*tables=\[' "replies belong to a known connection: nat is not called"
expect_no_out 'table=(filter|mangle|raw)'
