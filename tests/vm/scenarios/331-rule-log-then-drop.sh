# LOG then DROP: the DROP decides; -v lists the LOG as matched too. The kernel's counters say
# the same: both rules counted the request, the policy nothing.
IP1=10.3.31.1
IP2=10.3.31.2
netns_pair a "$IP1" b "$IP2"
quiet_kernel_log
in_ns b iptables -A INPUT -p icmp -j LOG --log-prefix "in: "
in_ns b iptables -A INPUT -s "$IP1" -p icmp -j DROP
NSB=$(netns_inode b)

tracer_start -v --engines iptables --proto icmp -N "$NSB"
ping_from a "$IP2"
wait_out "hook=INPUT verdict=DROP"
wait_quiet 2
tracer_stop
restore_kernel_log

expect_rc 0
[ "$(ipt_pkts b filter INPUT 1)/$(ipt_pkts b filter INPUT 2)/$(ipt_pkts b filter INPUT policy)" = 1/1/0 ] ||
    fail "kernel counters LOG/DROP/policy: $(ipt_pkts b filter INPUT 1)/$(ipt_pkts b filter INPUT 2)/$(ipt_pkts b filter INPUT policy)"
REQ="I_request:$(q "$IP1")->$(q "$IP2") .*hook=INPUT verdict=DROP cost=[^]]*\]"
expect_out "$REQ rule=INPUT#2: $(q "-A INPUT -s $IP1/32 -p icmp -j DROP")$"
expect_matched "$REQ" "INPUT#1: -A INPUT -p icmp -j LOG --log-prefix \"in: \"" \
    "INPUT#2: -A INPUT -s $IP1/32 -p icmp -j DROP"
