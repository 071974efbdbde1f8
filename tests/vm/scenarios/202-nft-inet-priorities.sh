# Native nft inet table with custom chain names on one hook: my_input (prio -5, accepts) then
# late_input (prio 10, drops), for the same skb and in that order; unmatched source absent.
# Both backends.
# smoke
need_feature module_btf
IP1=10.2.2.1
IP2=10.2.2.2
IP3=10.2.2.3
netns_pair a "$IP1" b "$IP2"
ip -n a addr add "$IP3/24" dev v-b
cat > "$T_DIR/rules.nft" <<NFT
table inet mine {
    chain late_input {
        type filter hook input priority 10; policy accept;
        ip saddr $IP1 icmp type echo-request drop
    }
    chain my_input {
        type filter hook input priority -5; policy accept;
        meta l4proto icmp accept
    }
}
NFT
in_ns b nft -f "$T_DIR/rules.nft"
NSB=$(netns_inode b)
REQ="I_request:$(q "$IP1")->$(q "$IP2") +pkt_type=HOST nftables=\[family=inet table=mine"

for backend in $(backends); do
    tracer_start --backend "$backend" --proto icmp -H "$IP1"
    ping_from a "$IP2"
    expect_cmd "ping from the unmatched address $IP3" in_ns a ping -c 1 -W 2 -I "$IP3" "$IP2"
    wait_out "chain=late_input"
    wait_quiet 3
    tracer_stop

    expect_rc 0
    expect_out "\[$NSB\] .* v-a .* $REQ chain=my_input hook=INPUT prio=-5 verdict=ACCEPT cost=" "$backend"
    expect_out "\[$NSB\] .* v-a .* $REQ chain=late_input hook=INPUT prio=10 verdict=DROP\(EPERM\) cost=" "$backend"
    expect_count "table=mine" 2 "$backend: one line per base chain"
    first=$(grep -n 'chain=my_input' "$T_OUT" | head -n1)
    second=$(grep -n 'chain=late_input' "$T_OUT" | head -n1)
    [ "${first%%:*}" -lt "${second%%:*}" ] ||
        fail "$backend: prio -5 must come before prio 10:$(show_tracer)"
    skb() { echo "$1" | sed 's/.*\] \[\(0x[0-9a-f]*\)\].*/\1/'; }
    [ "$(skb "$first")" = "$(skb "$second")" ] ||
        fail "$backend: both chains saw one skb, got '$first' and '$second'"
    expect_no_out "STOLEN|I_reply" "$backend"
    expect_no_out "$(q "$IP3")" "$backend: -H $IP1 filters out $IP3"
done
