# An nftables drop tied to its chain: on 6.x nft_do_chain frees a dropped skb itself (it returns
# NF_STOLEN with EPERM), so the drop line comes first and names the chain it happened in
# ("in nftables ip t input"); the chain's line (verdict=DROP(EPERM)) follows, same skb. Where
# the hook frees it after an NF_DROP verdict instead (older kernels), the drop line says
# "after nftables ip t input DROP" and follows the chain's line.
need_feature module_btf
IP1=10.37.4.1
IP2=10.37.4.2
netns_pair a "$IP1" b "$IP2"
cat > "$T_DIR/rules.nft" <<NFT
table ip t {
    chain input {
        type filter hook input priority 0; policy accept;
        ip saddr $IP1 icmp type echo-request drop
    }
}
NFT
in_ns b nft -f "$T_DIR/rules.nft"
NSB=$(netns_inode b)

tracer_start --engines nftables --proto icmp -N "$NSB"
ping_from a "$IP2"
wait_out "dropped"
wait_quiet 2
tracer_stop
expect_rc 0
REQ="I_request:$(q "$IP1")->$(q "$IP2") +pkt_type=HOST"
CHAIN="$REQ nftables=\[family=ip table=t chain=input hook=INPUT prio=0 verdict=DROP"
expect_out "$CHAIN"
if grep -q "verdict=DROP(EPERM)" "$T_OUT"; then
    expect_out "$REQ dropped reason=NETFILTER_DROP at nft_do_chain\+0x[0-9a-f]+ \[nf_tables\] in nftables ip t input$"
    order="dropped verdict=DROP"
    log "freed inside nft_do_chain (NF_STOLEN with EPERM)"
else
    expect_out "$REQ dropped (reason=NETFILTER_DROP )?at nf_hook_slow\+0x[0-9a-f]+ after nftables ip t input DROP$"
    order="verdict=DROP dropped"
    log "freed by the hook after an NF_DROP verdict"
fi
got=$(grep -E "verdict=DROP|dropped" "$T_OUT" | sed -n 's/.*\(verdict=DROP\|dropped\).*/\1/p' | tr '\n' ' ')
[ "$got" = "$order " ] || fail "expected '$order', got '$got'$(show_tracer)"
skbs=$(grep -E "verdict=DROP|dropped" "$T_OUT" | awk '{print $2}' | sort -u | wc -l)
[ "$skbs" = 1 ] || fail "the chain's line and the drop are not one skb$(show_tracer)"
