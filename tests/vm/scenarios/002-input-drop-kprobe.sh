# filter INPUT DROP of an ICMP echo request in ns2, traced with kprobe/kretprobe.
# smoke
IP1=10.0.1.1
IP2=10.0.1.2
netns_pair ns1 "$IP1" ns2 "$IP2"
in_ns ns2 iptables -A INPUT -p icmp -s "$IP1" -j DROP
NS2=$(netns_inode ns2)

tracer_start --backend kprobe --proto icmp -H "$IP1"
ping_from ns1 "$IP2"
wait_out "table=filter hook=INPUT verdict=DROP"
tracer_stop

expect_rc 0
expect_err 'Attached kprobe\(ipt_do_table\)'
expect_err 'Attached kretprobe\(ipt_do_table\)'
expect_no_err 'Attached fentry'
expect_out "\[$NS2\] .* I_request:$(q "$IP1")->$(q "$IP2") +pkt_type=HOST iptables=\[pf=PF_INET, table=filter hook=INPUT verdict=DROP cost="
expect_no_out "I_request:$(q "$IP1")->$(q "$IP2") .*table=filter hook=INPUT verdict=ACCEPT"
