# --engines nftables,arptables: only those engines are attached and only their lines appear,
# although legacy iptables rules see the same traffic; a bad engine name exits 2, one stderr line.
need_feature module_btf
IP1=10.2.9.1
IP2=10.2.9.2
netns_pair a "$IP1" b "$IP2"
in_ns b iptables-legacy -A INPUT -s "$IP1" -j ACCEPT
in_ns b nft add table ip t
in_ns b nft add chain ip t in '{ type filter hook input priority 0; }'
in_ns b arptables -A INPUT -s "$IP1" -j ACCEPT
REQ="I_request:$(q "$IP1")->$(q "$IP2")"
ARP="A_request:who-has $(q "$IP2") tell $(q "$IP1")"

tracer_start --engines nftables,arptables -H "$IP1"
expect_cmd "ping" in_ns a ping -c 1 -W 2 "$IP2"
wait_out "$REQ .*nftables="
wait_quiet 3
tracer_stop
expect_rc 0
expect_err "^Attached fentry\(nft_do_chain\)$"
expect_err "^Attached fentry\(arpt_do_table\)$"
expect_no_err "ipt_do_table|ip6t_do_table|ebt_do_table" "engines not chosen are not attached"
expect_out "$REQ +pkt_type=HOST nftables=\[family=ip table=t chain=in hook=INPUT prio=0 verdict=ACCEPT"
expect_out "$ARP +pkt_type=BROADCAST arptables=\[table=filter hook=INPUT verdict=ACCEPT"
expect_no_out "iptables=\[|ebtables=\["

for bad in bogus nftables,bogus; do
    rc=0
    "$TRACER" --engines "$bad" > "$T_DIR/bad.out" 2> "$T_DIR/bad.err" || rc=$?
    [ "$rc" = 2 ] || fail "--engines $bad: expected exit status 2, got $rc"
    [ "$(wc -l < "$T_DIR/bad.err")" = 1 ] ||
        fail "--engines $bad: expected one stderr line, got: $(cat "$T_DIR/bad.err")"
    [ ! -s "$T_DIR/bad.out" ] || fail "--engines $bad: expected no stdout, got: $(cat "$T_DIR/bad.out")"
    log "--engines $bad: status $rc: $(cat "$T_DIR/bad.err")"
done
