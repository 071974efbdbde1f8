# A TCP header cut short: the tcp match cannot read it and drops the packet itself (hotdrop),
# counting no rule. The LOG before it matched but never decides: rule=?(...hotdrop), not INPUT#1.
# Oracle: the kernel counted the LOG rule once, the tcp rule and the policy never.
IP1=10.3.33.1
IP2=10.3.33.2
command -v send-truncated-tcp > /dev/null || skip "send-truncated-tcp not in the initramfs"
netns_pair a "$IP1" b "$IP2"
quiet_kernel_log
in_ns b iptables -A INPUT -s "$IP1" -j LOG --log-prefix "in: "
in_ns b iptables -A INPUT -p tcp --dport 81 -j ACCEPT
NSB=$(netns_inode b)

tracer_start -v --engines iptables -H "$IP1" -N "$NSB"
expect_cmd "send a truncated TCP header" in_ns a send-truncated-tcp "$IP1" "$IP2"
wait_out "hook=INPUT verdict=DROP"
wait_quiet 2
tracer_stop
restore_kernel_log

expect_rc 0
[ "$(ipt_pkts b filter INPUT 1)/$(ipt_pkts b filter INPUT 2)/$(ipt_pkts b filter INPUT policy)" = 1/0/0 ] ||
    fail "kernel counters LOG/tcp/policy: $(ipt_pkts b filter INPUT 1)/$(ipt_pkts b filter INPUT 2)/$(ipt_pkts b filter INPUT policy)"
LINE="hook=INPUT verdict=DROP cost=[^]]*\]"
expect_out "$LINE rule=\?\(no rule decided: a match dropped a malformed packet \(hotdrop\)\)$"
expect_no_out "$LINE rule=INPUT#1" "LOG never decides"
