# --nft-trace across `nft flush ruleset` in the tool's namespace (what firewalld reloads and
# nftables.service do): attribution goes on; the tool's table survives (table owner).
need_feature module_btf # nftables (and ebtables) need their modules' types
IP1=10.3.24.1
IP2=10.3.24.2
netns_pair a "$IP1" b "$IP2"
in_ns b nft add table inet mine
in_ns b nft add chain inet mine in_c '{ type filter hook input priority 0; policy accept; }'
in_ns b nft add rule inet mine in_c ip saddr "$IP1" icmp type echo-request drop
RULE="verdict=DROP\(EPERM\) .*\] rule=in_c\[handle [0-9]+\]: ip saddr $(q "$IP1") icmp type echo-request drop$"

tracer_start --engines nftables --nft-trace --proto icmp -N "$(netns_inode b)"
ping_from a "$IP2"
wait_out "$RULE"
nft flush ruleset
nft list table inet "skbtracer_iptables_trace_$T_PID" > /dev/null ||
    fail "nft flush ruleset removed the tool's table$(show_tracer)"
sleep 2
in_ns a ping -c 1 -W 1 "$IP2" > /dev/null 2>&1 || true
two_rules() { [ "$(grep -Ec -- "$RULE" "$T_OUT")" -ge 2 ]; }
wait_until 10 two_rules || true
wait_quiet 2
tracer_stop

expect_rc 0
expect_count "$RULE" 2 "before and after the flush"
expect_no_out "verdict=DROP.*\]$" "a drop line without rule="
