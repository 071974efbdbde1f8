# nft bridge family: namespace br bridges a and b; prerouting (prio -200) then forward (prio 0,
# drops the echo request) show family=bridge with ETH[src->dst] MACs; ARP is forwarded; an
# unmatched source address is absent.
# nft bridge rules matching IP headers need nft_meta_bridge (the guest cannot autoload modules).
need_feature module_btf
need_module nft_meta_bridge
IP1=10.2.5.1
IP2=10.2.5.2
IP3=10.2.5.3

bridge_pair a "$IP1" br b "$IP2"
ip -n a addr add "$IP3/24" dev eth0
cat > "$T_DIR/rules.nft" <<NFT
table bridge bt {
    chain br_pre {
        type filter hook prerouting priority -200; policy accept;
    }
    chain br_fwd {
        type filter hook forward priority 0; policy accept;
        ip saddr $IP1 icmp type echo-request drop
    }
}
NFT
in_ns br nft -f "$T_DIR/rules.nft"
NSBR=$(netns_inode br)
MACA=$(mac_of a eth0)
MACB=$(mac_of b eth0)
ETH="ETH\[$MACA->$MACB IPv4\] I_request:$(q "$IP1")->$(q "$IP2") pkt_type=OTHERHOST nftables=\[family=bridge table=bt"

tracer_start -H "$IP1"
ping_from a "$IP2"
expect_cmd "ping from the unmatched address $IP3" in_ns a ping -c 1 -W 2 -I "$IP3" "$IP2"
wait_out "chain=br_fwd hook=FORWARD prio=0 verdict=DROP"
wait_quiet 3
tracer_stop

expect_rc 0
expect_out "\[$NSBR\] .* p-a .* $ETH chain=br_pre hook=PREROUTING prio=-200 verdict=ACCEPT cost="
expect_out "\[$NSBR\] .* p-a>p-b .* $ETH chain=br_fwd hook=FORWARD prio=0 verdict=DROP\(EPERM\) cost="
expect_out "ETH\[$MACA->ff:ff:ff:ff:ff:ff ARP\] A_request:who-has $(q "$IP2") tell $(q "$IP1") pkt_type=BROADCAST nftables=\[family=bridge table=bt chain=br_fwd hook=FORWARD prio=0 verdict=ACCEPT"
first=$(grep -n "I_request.*chain=br_pre" "$T_OUT" | head -n1 | cut -d: -f1)
second=$(grep -n "I_request.*chain=br_fwd" "$T_OUT" | head -n1 | cut -d: -f1)
[ "${first:-0}" -gt 0 ] && [ "$first" -lt "${second:-0}" ] ||
    fail "PREROUTING (prio -200) must come before FORWARD (lines $first, $second)$(show_tracer)"
expect_no_out "STOLEN|I_reply|I_request.*verdict=ACCEPT.*chain=br_fwd"
expect_no_out "$(q "$IP3")" "-H $IP1 filters out $IP3"
