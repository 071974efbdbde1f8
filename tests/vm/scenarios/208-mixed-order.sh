# Legacy iptables and nft on one hook run in priority order, and the tool prints them in that
# order for one skb: nft early (prio -10, accept), iptables filter INPUT (prio 0, accept), nft
# late (prio 10, drop), whose drop line names it. The start-up line names the guest's iptables:
# iptables-legacy.
need_feature module_btf
IP1=10.2.8.1
IP2=10.2.8.2
netns_pair a "$IP1" b "$IP2"
in_ns b iptables-legacy -A INPUT -p icmp -s "$IP1" -j ACCEPT
cat > "$T_DIR/rules.nft" <<NFT
table ip mix {
    chain late {
        type filter hook input priority 10; policy accept;
        ip saddr $IP1 icmp type echo-request drop
    }
    chain early {
        type filter hook input priority -10; policy accept;
    }
}
NFT
in_ns b nft -f "$T_DIR/rules.nft"
NSB=$(netns_inode b)
REQ="\[$NSB\] .* v-a .* I_request:$(q "$IP1")->$(q "$IP2") +pkt_type=HOST"

tracer_start --proto icmp -H "$IP1"
ping_from a "$IP2"
wait_out "chain=late"
wait_quiet 3
tracer_stop

expect_rc 0
expect_err "^System iptables is iptables-legacy: its rules show as iptables=\\[\\.\\.\\.\\] lines$"
expect_count "System iptables" 0 "stderr only"
expect_out "$REQ nftables=\[family=ip table=mix chain=early hook=INPUT prio=-10 verdict=ACCEPT cost="
expect_out "$REQ iptables=\[pf=PF_INET, table=filter hook=INPUT verdict=ACCEPT cost=[^]]*\]"
expect_out "$REQ nftables=\[family=ip table=mix chain=late hook=INPUT prio=10 verdict=DROP\(EPERM\) cost="
expect_count "I_request.*(iptables|nftables)=\[" 3 "one line per table or base chain"
expect_out "$REQ dropped reason=NETFILTER_DROP at nft_do_chain.* in nftables ip mix late$" "the drop, in the late chain"
order=$(grep 'I_request' "$T_OUT" | sed -n 's/.*\(chain=early\|iptables=\[\|chain=late\).*/\1/p' | tr '\n' ' ')
[ "$order" = "chain=early iptables=[ chain=late " ] ||
    fail "expected the order 'chain=early iptables=[ chain=late', got '$order'$(show_tracer)"
skbs=$(grep 'I_request' "$T_OUT" | awk '{print $2}' | sort -u | wc -l)
[ "$skbs" = 1 ] || fail "the three lines are one packet: expected one SKB, got $skbs$(show_tracer)"
expect_no_out "STOLEN|I_reply|hook=(OUTPUT|PREROUTING|POSTROUTING)"
