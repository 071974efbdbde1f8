# nft netdev family: an ingress chain on b's veth drops the echo request (hook=INGRESS, prio -10),
# an egress chain on a's veth sees it leave (hook=EGRESS); ARP passes ingress; unmatched absent.
need_feature module_btf
need_kernel ">=5.16" # netdev egress hook
IP1=10.2.4.1
IP2=10.2.4.2
IP3=10.2.4.3
netns_pair a "$IP1" b "$IP2"
ip -n a addr add "$IP3/24" dev v-b
cat > "$T_DIR/b.nft" <<NFT
table netdev nd {
    chain ing {
        type filter hook ingress device "v-a" priority -10; policy accept;
        ip saddr $IP1 icmp type echo-request drop
    }
}
NFT
cat > "$T_DIR/a.nft" <<NFT
table netdev nd {
    chain eg {
        type filter hook egress device "v-b" priority 0; policy accept;
    }
}
NFT
in_ns b nft -f "$T_DIR/b.nft"
in_ns a nft -f "$T_DIR/a.nft"
NSA=$(netns_inode a)
NSB=$(netns_inode b)
MACB=$(mac_of b v-a)
REQ="I_request:$(q "$IP1")->$(q "$IP2")"

tracer_start -H "$IP1"
ping_from a "$IP2"
expect_cmd "ping from the unmatched address $IP3" in_ns a ping -c 1 -W 2 -I "$IP3" "$IP2"
wait_out "$REQ .*hook=INGRESS"
wait_quiet 3
tracer_stop

expect_rc 0
expect_out "\[$NSB\] .* v-a +$MACB +84 +$REQ +pkt_type=HOST nftables=\[family=netdev table=nd chain=ing hook=INGRESS prio=-10 verdict=DROP\(EPERM\) cost="
expect_out "\[$NSA\] .* v-b .* $REQ +pkt_type=HOST nftables=\[family=netdev table=nd chain=eg hook=EGRESS prio=0 verdict=ACCEPT cost="
expect_out "\[$NSB\] .* A_request:who-has $(q "$IP2") tell $(q "$IP1") .*nftables=\[family=netdev table=nd chain=ing hook=INGRESS prio=-10 verdict=ACCEPT"
expect_no_out "STOLEN|I_reply|family=(ip|inet) "
expect_no_out "$(q "$IP3")" "-H $IP1 filters out $IP3"
