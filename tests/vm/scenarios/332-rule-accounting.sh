# An accounting rule and a comment-only rule (no target) before a DROP: the kernel counts them
# and goes on, pushing no frame; the DROP decides (it used to say rule=INPUT#1 > INPUT#2).
IP1=10.3.32.1
IP2=10.3.32.2
netns_pair a "$IP1" b "$IP2"
in_ns b iptables -A INPUT -s "$IP1"
in_ns b iptables -A INPUT -m comment --comment "just a note"
in_ns b iptables -A INPUT -p icmp -j DROP
NSB=$(netns_inode b)

tracer_start -v --engines iptables --proto icmp -N "$NSB"
ping_from a "$IP2"
wait_out "hook=INPUT verdict=DROP"
wait_quiet 2
tracer_stop

expect_rc 0
[ "$(ipt_pkts b filter INPUT 1)/$(ipt_pkts b filter INPUT 2)/$(ipt_pkts b filter INPUT 3)" = 1/1/1 ] ||
    fail "kernel counters: $(ipt_pkts b filter INPUT 1)/$(ipt_pkts b filter INPUT 2)/$(ipt_pkts b filter INPUT 3)"
REQ="I_request:$(q "$IP1")->$(q "$IP2") .*hook=INPUT verdict=DROP cost=[^]]*\]"
expect_out "$REQ rule=INPUT#3: -A INPUT -p icmp -j DROP$"
expect_matched "$REQ" "INPUT#1: -A INPUT -s $IP1/32" \
    "INPUT#2: -A INPUT -m comment --comment \"just a note\"" "INPUT#3: -A INPUT -p icmp -j DROP"
expect_no_out "rule=INPUT#[12] >" "a rule without a target is no jump"
