# Filter expressions at ARP and netdev hooks, run on the Ethernet frame: arptables OUTPUT sees
# a's request before it has a link-layer header in the skb (the filter gets one with zero
# addresses and the ARP ethertype), arptables INPUT and nft netdev ingress see b's real frame.
# 'arp[6:2] == 1' (the opcode: request) selects requests only; 'ether src MAC and icmp' selects
# the echo request by the sender's MAC at netdev ingress, and nothing at IP hooks.
need_feature module_btf # nftables (and ebtables) need their modules' types
IP1=10.3.6.1
IP2=10.3.6.2
netns_pair a "$IP1" b "$IP2"
for ns in a b; do in_ns "$ns" arptables -L > /dev/null; done
cat > "$T_DIR/b.nft" <<NFT
table netdev nd {
    chain ing {
        type filter hook ingress device "v-a" priority 0; policy accept;
    }
}
NFT
in_ns b nft -f "$T_DIR/b.nft"
ipt_tables b
NSA=$(netns_inode a)
NSB=$(netns_inode b)
MACA=$(mac_of a v-b)
REQ="A_request:who-has $(q "$IP2") tell $(q "$IP1")"

tracer_start --engines arptables,nftables 'arp[6:2] == 1'
ping_from a "$IP2"
wait_quiet 3
tracer_stop
expect_rc 0
expect_out "\[$NSA\] .* $REQ .*arptables=\[table=filter hook=OUTPUT verdict=ACCEPT" \
    "request leaving a (no Ethernet header yet)"
expect_out "\[$NSB\] .* $REQ .*arptables=\[table=filter hook=INPUT verdict=ACCEPT" \
    "request arriving in b"
expect_out "\[$NSB\] .* $REQ .*nftables=\[family=netdev table=nd chain=ing hook=INGRESS" \
    "request at b's ingress"
expect_no_out "A_reply|I_request|I_reply" "ARP requests only"

# --no-track: the expression alone (tracking would follow the request from ingress into IP hooks)
tracer_start --no-track --engines iptables,nftables "ether src $MACA and icmp"
ping_from a "$IP2"
wait_quiet 3
tracer_stop
expect_rc 0
expect_count "I_request:$(q "$IP1")->$(q "$IP2") .*nftables=\[family=netdev table=nd chain=ing hook=INGRESS" 1 \
    "echo request from $MACA at b's ingress"
expect_count 'nftables=\[|iptables=\[' 1 "nothing else: no ARP, no reply, no IP hook"
expect_err "matches at bridge, netdev and ARP hooks only"
