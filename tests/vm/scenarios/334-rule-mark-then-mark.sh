# MARK then -m mark: the second rule sees the first one's mark and decides. Then a chain entered
# twice whose MARK rule matches on the first visit only (-m mark --mark 0): its counter moved
# once for two visits, so the path cannot be replayed: rule=?(the path is inconsistent...).
IP1=10.3.34.1
IP2=10.3.34.2
netns_pair a "$IP1" b "$IP2"
in_ns b iptables -A INPUT -p icmp -j MARK --set-mark 1
in_ns b iptables -A INPUT -s "$IP1" -m mark --mark 1 -j DROP
NSB=$(netns_inode b)

tracer_start --engines iptables --proto icmp -N "$NSB"
ping_from a "$IP2"
wait_out "hook=INPUT verdict=DROP"
wait_quiet 2
tracer_stop
expect_rc 0
expect_out "hook=INPUT verdict=DROP cost=[^]]*\] rule=INPUT#2: $(q "-A INPUT -s $IP1/32 -m mark --mark 0x1 -j DROP")$"

in_ns b iptables -F INPUT
in_ns b iptables -N TWICE
in_ns b iptables -A TWICE -p icmp -m mark --mark 0 -j MARK --set-mark 2
in_ns b iptables -A INPUT -j TWICE
in_ns b iptables -A INPUT -j TWICE
tracer_start --engines iptables --proto icmp -N "$NSB"
ping_from a "$IP2"
wait_out "I_request.*hook=INPUT verdict=ACCEPT"
wait_quiet 2
tracer_stop
expect_rc 0
[ "$(ipt_pkts b filter INPUT 1)/$(ipt_pkts b filter INPUT 2)/$(ipt_pkts b filter TWICE 1)" = 1/1/1 ] ||
    fail "kernel counters INPUT#1/INPUT#2/TWICE#1: $(ipt_pkts b filter INPUT 1)/$(ipt_pkts b filter INPUT 2)/$(ipt_pkts b filter TWICE 1)"
expect_out "I_request:$(q "$IP1")->$(q "$IP2") .*hook=INPUT verdict=ACCEPT cost=[^]]*\] rule=\?\(the path is inconsistent: an entry matched differently on another visit\)$"
