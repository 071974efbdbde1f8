# nft with --nft-trace: a base chain's policy changed while tracing is shown as it is when the
# packet meets it (the policy step's own verdict), not as first read.
need_feature module_btf # nftables (and ebtables) need their modules' types
IP1=10.3.21.1
IP2=10.3.21.2
netns_pair a "$IP1" b "$IP2"
in_ns b nft add table inet mine
in_ns b nft add chain inet mine in_c '{ type filter hook input priority 0; policy accept; }'
in_ns b nft add rule inet mine in_c ip saddr 10.3.21.9 accept

tracer_start --engines nftables --nft-trace --proto icmp -N "$(netns_inode b)"
ping_from a "$IP2"
wait_out "rule=in_c:policy accept$"
in_ns b nft chain inet mine in_c '{ policy drop; }'
in_ns a ping -c 1 -W 1 "$IP2" > /dev/null 2>&1 || true
wait_out "verdict=DROP"
wait_quiet 2
tracer_stop

expect_rc 0
expect_out "chain=in_c .*verdict=ACCEPT .*\] rule=in_c:policy accept$" "before the change"
expect_out "chain=in_c .*verdict=DROP(\(EPERM\))? .*\] rule=in_c:policy drop$" "after the change"
expect_no_out "verdict=DROP.* rule=in_c:policy accept" "the old policy for a drop"
