# Filter expressions at bridge hooks (nft bridge and ebtables): a and b talk over bridge br both
# untagged (10.3.4.x) and on VLAN 10 (10.3.10.x). The kernel takes the tag out of the frame on
# receive; the filter sees the frame with its tag, as on the wire: 'vlan 10' selects the tagged
# pings only, 'icmp and not vlan' the untagged ones only (as in tcpdump, `vlan` moves the offsets
# of what follows it: 'not vlan and icmp' would look for ICMP 4 bytes further).
need_feature module_btf # nftables (and ebtables) need their modules' types
need_module 8021q
bridge_pair a 10.3.4.1 br b 10.3.4.2
for ns in a b; do
    ip -n "$ns" link add link eth0 name eth0.10 type vlan id 10
    ip -n "$ns" link set eth0.10 up
done
ip -n a addr add 10.3.10.1/24 dev eth0.10
ip -n b addr add 10.3.10.2/24 dev eth0.10
cat > "$T_DIR/rules.nft" <<NFT
table bridge bt {
    chain br_fwd {
        type filter hook forward priority 0; policy accept;
    }
}
NFT
in_ns br nft -f "$T_DIR/rules.nft"
in_ns br ebtables -L > /dev/null
NSBR=$(netns_inode br)

traffic() {
    ping_from a 10.3.10.2
    ping_from a 10.3.4.2
    wait_quiet 3
}

tracer_start --engines nftables,ebtables 'vlan 10 and icmp'
traffic
tracer_stop
expect_rc 0
expect_out "\[$NSBR\] .*ETH\[.* IPv4 vlan=10\] I_request:10\.3\.10\.1->10\.3\.10\.2 .*nftables=\[family=bridge table=bt chain=br_fwd hook=FORWARD"
expect_out "\[$NSBR\] .*ETH\[.* IPv4 vlan=10\] I_reply:10\.3\.10\.2->10\.3\.10\.1 .*ebtables=\[table=filter hook=FORWARD"
expect_no_out "10\.3\.4\.|ARP" "vlan 10: no untagged packet, no ARP"

tracer_start --engines nftables,ebtables 'vlan 20'
traffic
tracer_stop
expect_rc 0
expect_no_out "nftables=|ebtables=" "vlan 20: nothing"

tracer_start --engines nftables,ebtables 'icmp and not vlan'
traffic
tracer_stop
expect_rc 0
expect_out "I_request:10\.3\.4\.1->10\.3\.4\.2 .*nftables=\[family=bridge table=bt chain=br_fwd hook=FORWARD"
expect_no_out "vlan=|10\.3\.10\." "not vlan: no tagged packet"
