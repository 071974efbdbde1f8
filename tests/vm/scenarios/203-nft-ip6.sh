# nft ip6 table: an ICMPv6 echo request dropped in b's input chain shows as family=ip6 with the
# IPv6 addresses; another IPv6 source and IPv4 pings (--proto icmp6) are absent.
need_feature module_btf
IP1=10.2.3.1
IP2=10.2.3.2
A6=fd00:2:3::1
B6=fd00:2:3::2
C6=fd00:2:3::3
netns_pair a "$IP1" b "$IP2" "$A6" "$B6"
ip -n a addr add "$C6/64" dev v-b nodad
cat > "$T_DIR/rules.nft" <<NFT
table ip6 six {
    chain in6 {
        type filter hook input priority 0; policy accept;
        ip6 saddr $A6 icmpv6 type echo-request drop
    }
}
NFT
in_ns b nft -f "$T_DIR/rules.nft"
NSB=$(netns_inode b)

tracer_start --proto icmp6 -H "$A6"
# -I: with two addresses on v-b the kernel could pick either as the source.
in_ns a ping -c 1 -W 1 -I "$A6" "$B6" || true
expect_cmd "ping6 from the unmatched address $C6" in_ns a ping -6 -c 1 -W 2 -I "$C6" "$B6"
expect_cmd "IPv4 ping" in_ns a ping -c 1 -W 2 "$IP2"
wait_out "I_request:.*chain=in6"
wait_quiet 3
tracer_stop

expect_rc 0
expect_out "\[$NSB\] .* v-a .* 104 +I_request:$(q "$A6")->$(q "$B6") +pkt_type=HOST nftables=\[family=ip6 table=six chain=in6 hook=INPUT prio=0 verdict=DROP\(EPERM\) cost="
expect_no_out "I_request:.*verdict=ACCEPT|I_reply|STOLEN"
expect_no_out "$(q "$C6")|$(q "$IP1")|$(q "$IP2")" "-H $A6 --proto icmp6 filters out $C6 and IPv4"
