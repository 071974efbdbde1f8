# filter INPUT DROP of an ICMP echo request in ns2, traced with fentry/fexit.
need_feature module_btf
IP1=10.0.1.1
IP2=10.0.1.2
netns_pair ns1 "$IP1" ns2 "$IP2"
in_ns ns2 iptables -A INPUT -p icmp -s "$IP1" -j DROP
NS2=$(netns_inode ns2)
MAC2=$(mac_of ns2 v-ns1)

tracer_start --backend fentry --proto icmp -H "$IP1"
ping_from ns1 "$IP2"
wait_out "table=filter hook=INPUT verdict=DROP"
tracer_stop

expect_rc 0
expect_err 'Attached fentry\(ipt_do_table\)'
expect_out '^TIME +SKB +NETWORK_NS +PID +CPU +INTERFACE +DEST_MAC +IP_LEN +PKT_INFO +IPTABLES_INFO$' "header"
expect_out "^\[[0-9]{2}:[0-9]{2}:[0-9]{2}\] \[0x[0-9a-f]{16}\] \[$NS2\] +[0-9]+ +[0-9]+ +v-ns1 +$MAC2 +84 +I_request:$(q "$IP1")->$(q "$IP2") +pkt_type=HOST iptables=\[pf=PF_INET, table=filter hook=INPUT verdict=DROP cost=[0-9.]+[mun]?s\]( rule=INPUT#1: -A INPUT -s $(q "$IP1")/32 -p icmp -j DROP)?$" \
    "the whole line of the dropped request, in ns2, on v-ns1 (the rule if shown)"
expect_no_out "I_request:$(q "$IP1")->$(q "$IP2") .*table=filter hook=INPUT verdict=ACCEPT"
expect_no_out "I_reply" "the request was dropped, there can be no reply"
