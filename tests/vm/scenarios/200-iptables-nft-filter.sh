# iptables-nft filter rules run in nf_tables: an OUTPUT ACCEPT in a and an INPUT DROP in b show as
# nftables=[family=ip table=filter chain=... prio=0], the drop as DROP(EPERM), never STOLEN or as
# legacy iptables=; an unmatched source address (-H) is absent. kprobe backend (fentry: 201, 210).
# smoke
need_feature module_btf
IP1=10.2.0.1
IP2=10.2.0.2
IP3=10.2.0.3
netns_pair a "$IP1" b "$IP2"
ip -n a addr add "$IP3/24" dev v-b
in_ns a iptables-nft -A OUTPUT -p icmp -j ACCEPT
in_ns b iptables-nft -A INPUT -p icmp -s "$IP1" -j DROP
NSA=$(netns_inode a)
NSB=$(netns_inode b)
REQ="I_request:$(q "$IP1")->$(q "$IP2")"

tracer_start --backend kprobe --proto icmp -H "$IP1"
ping_from a "$IP2"
expect_cmd "ping from the unmatched address $IP3" in_ns a ping -c 1 -W 2 -I "$IP3" "$IP2"
wait_out "$REQ .*chain=INPUT"
wait_quiet 3
tracer_stop

expect_rc 0
expect_err "Attached kretprobe\(nft_do_chain\)"
expect_out "\[$NSA\] .* v-b .* $REQ +pkt_type=HOST nftables=\[family=ip table=filter chain=OUTPUT hook=OUTPUT prio=0 verdict=ACCEPT cost=[^]]*\]"
expect_out "\[$NSB\] .* v-a .* $REQ +pkt_type=HOST nftables=\[family=ip table=filter chain=INPUT hook=INPUT prio=0 verdict=DROP\(EPERM\) cost=[^]]*\]"
expect_count "$REQ +pkt_type=HOST nftables=" 2 "one line per base chain"
expect_no_out "STOLEN" "an nftables drop is a DROP"
expect_no_out "iptables=\[" "iptables-nft rules never reach ipt_do_table"
expect_no_out "I_reply" "the request was dropped"
expect_no_out "$(q "$IP3")" "-H $IP1 filters out $IP3"
