# filter OUTPUT DROP in ns1: the request is dropped before it leaves, ns2 never sees it.
IP1=10.0.1.1
IP2=10.0.1.2
netns_pair ns1 "$IP1" ns2 "$IP2"
in_ns ns1 iptables -A OUTPUT -p icmp -d "$IP2" -j DROP
ipt_tables ns2
NS1=$(netns_inode ns1)

tracer_start --proto icmp -H "$IP1"
ping_from ns1 "$IP2"
wait_out "table=filter hook=OUTPUT verdict=DROP"
tracer_stop

expect_rc 0
expect_out "\[$NS1\] .* I_request:$(q "$IP1")->$(q "$IP2") .*table=filter hook=OUTPUT verdict=DROP"
expect_no_out "I_request:$(q "$IP1")->$(q "$IP2") .*hook=OUTPUT verdict=ACCEPT"
expect_no_out "hook=INPUT" "nothing reached ns2"
