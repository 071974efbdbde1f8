# nft with --nft-trace: a drop in a regular chain reached by a jump names both rules by handle
# with the deciding rule's text (rule=in_c[handle N] > sub[handle M]: ...); a packet that comes
# back from sub ends at the policy (rule=in_c:policy accept); -v lists each step. Without
# --nft-trace nft lines have no rule= and stderr says why.
# smoke
need_feature module_btf
IP1=10.3.5.1
IP2=10.3.5.2
IP3=10.3.5.3
netns_pair a "$IP1" b "$IP2"
ip -n a addr add "$IP3/24" dev v-b
cat > "$T_DIR/rules.nft" <<NFT
table inet mine {
    chain sub {
        meta l4proto tcp accept
        ip saddr $IP1 icmp type echo-request drop
    }
    chain in_c {
        type filter hook input priority -5; policy accept;
        ip saddr 10.3.5.9 accept
        ip saddr $IP1 counter jump sub
        ip saddr $IP3 counter jump sub
    }
}
NFT
in_ns b nft -f "$T_DIR/rules.nft"
NSB=$(netns_inode b)
# handle CHAIN TEXT: the handle of the rule of CHAIN whose listing contains TEXT.
handle() {
    /usr/sbin/ip netns exec b nft -a list chain inet mine "$1" | grep -F -- "$2" | sed -n 's/.* # handle \([0-9]*\)$/\1/p'
}
J1=$(handle in_c "saddr $IP1 ")
J3=$(handle in_c "saddr $IP3 ")
D=$(handle sub "icmp type echo-request drop")
log "handles: jump from $IP1 $J1, jump from $IP3 $J3, drop $D"
[ -n "$J1" ] && [ -n "$J3" ] && [ -n "$D" ] || die "no rule handles in: $(/usr/sbin/ip netns exec b nft -a list ruleset)"


tracer_start -v --engines nftables --nft-trace --proto icmp -N "$NSB"
ping_from a "$IP2"
expect_cmd "ping from $IP3" in_ns a ping -c 1 -W 2 -I "$IP3" "$IP2"
wait_out "I_request:$(q "$IP3").*verdict=ACCEPT"
wait_quiet 2
tracer_stop

expect_rc 0
expect_err "skbtracer_iptables_trace"
expect_err "^Removed table inet skbtracer_iptables_trace_[0-9]+$"
ev() { echo "I_request:$(q "$1")->$(q "$IP2") +pkt_type=HOST nftables=\[family=inet table=mine chain=in_c hook=INPUT prio=-5 verdict=$2 cost=[^]]*\]"; }
expect_out "\[$NSB\] .* v-a .* $(ev "$IP1" 'DROP\(EPERM\)') rule=in_c\[handle $J1\] > sub\[handle $D\]: ip saddr $(q "$IP1") icmp type echo-request drop$"
expect_matched "$(ev "$IP1" 'DROP\(EPERM\)')" "in_c[handle $J1]: ip saddr $IP1 counter jump sub" \
    "sub[handle $D]: ip saddr $IP1 icmp type echo-request drop"
expect_out "$(ev "$IP3" ACCEPT) rule=in_c:policy accept$"
expect_matched "$(ev "$IP3" ACCEPT)" "in_c[handle $J3]: ip saddr $IP3 counter jump sub" "sub:return" \
    "in_c:return" "in_c:policy accept"
expect_count "nftables=\[" 2 "b's only base chain, once per request"
expect_no_out "table=skbtracer" "the tool's own table is hooked nowhere"

tracer_start --engines nftables --proto icmp -N "$NSB"
ping_from a "$IP2"
wait_out "verdict=DROP"
wait_quiet 2
tracer_stop

expect_rc 0
expect_out "$(ev "$IP1" 'DROP\(EPERM\)')$" "without --nft-trace"
expect_no_out "rule=" "without --nft-trace"
expect_err "nftables lines name no rule: --nft-trace adds that"
expect_no_err "skbtracer_iptables_trace" "without --nft-trace"
