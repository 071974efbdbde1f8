# nft with --nft-trace: a rule whose comment holds "# handle N" (N another rule's handle) is
# named with its own full text; the listing's handle is the one that ends the line.
need_feature module_btf # nftables (and ebtables) need their modules' types
IP1=10.3.20.1
IP2=10.3.20.2
netns_pair a "$IP1" b "$IP2"
in_ns b nft add table inet mine
in_ns b nft add chain inet mine in_c '{ type filter hook input priority 0; policy accept; }'
in_ns b nft add rule inet mine in_c ip saddr 10.3.20.9 accept
OTHER=$(/usr/sbin/ip netns exec b nft -a list chain inet mine in_c | sed -n 's/.*saddr 10.3.20.9 accept # handle \([0-9]*\)$/\1/p')
[ -n "$OTHER" ] || die "no handle for the first rule: $(/usr/sbin/ip netns exec b nft -a list ruleset)"
in_ns b nft add rule inet mine in_c ip saddr "$IP1" icmp type echo-request drop comment "\"see # handle $OTHER\""
DROP=$(/usr/sbin/ip netns exec b nft -a list chain inet mine in_c | grep -F 'echo-request drop' | sed -n 's/.*" # handle \([0-9]*\)$/\1/p')
log "rule with the comment: handle $DROP; the comment names handle $OTHER"
[ -n "$DROP" ] || die "no handle for the drop rule: $(/usr/sbin/ip netns exec b nft -a list ruleset)"

tracer_start --engines nftables --nft-trace --proto icmp -N "$(netns_inode b)"
ping_from a "$IP2"
wait_out "verdict=DROP"
wait_quiet 2
tracer_stop

expect_rc 0
expect_out "table=mine chain=in_c .*verdict=DROP\(EPERM\) .*\] rule=in_c\[handle $DROP\]: ip saddr $(q "$IP1") icmp type echo-request drop comment \"see # handle $OTHER\"$"
expect_no_out "rule=in_c\[handle $OTHER\]" "the comment's handle is not the rule's"
