# ebtables-legacy FORWARD on a bridge in namespace br joining a and b: an IPv4 ICMP drop between
# the two ports (ETH[...] ebtables=[table=filter hook=FORWARD verdict=DROP]), then after deleting
# the rule request and reply are ACCEPTed; unmatched source absent. Both backends.
# --ip-proto/--ip-src need ebt_ip (the guest cannot autoload modules).
# smoke
need_feature module_btf
need_module ebt_ip
IP1=10.2.7.1
IP2=10.2.7.2
IP3=10.2.7.3

bridge_pair a "$IP1" br b "$IP2"
ip -n a addr add "$IP3/24" dev eth0
RULE="FORWARD -p 0x0800 --ip-src $IP1 --ip-proto 1 -j DROP"
NSBR=$(netns_inode br)
MACA=$(mac_of a eth0)
MACB=$(mac_of b eth0)
REQ="ETH\[$MACA->$MACB IPv4\] I_request:$(q "$IP1")->$(q "$IP2") pkt_type=OTHERHOST"
REP="ETH\[$MACB->$MACA IPv4\] I_reply:$(q "$IP2")->$(q "$IP1") pkt_type=OTHERHOST"
EBT="ebtables=\[table=filter hook=FORWARD"

for backend in $(backends); do
    in_ns br ebtables -A $RULE
    tracer_start --backend "$backend" -H "$IP1"
    if in_ns a ping -c 1 -W 1 "$IP2"; then fail "$backend: ping passed the ebtables DROP"; fi
    wait_out "$EBT verdict=DROP"
    in_ns br ebtables -D $RULE
    expect_cmd "$backend: ping after deleting the rule" in_ns a ping -c 1 -W 2 "$IP2"
    expect_cmd "$backend: ping from the unmatched address $IP3" in_ns a ping -c 1 -W 2 -I "$IP3" "$IP2"
    wait_out "$REP $EBT"
    wait_quiet 3
    tracer_stop

    expect_rc 0
    expect_err "Attached $backend\(ebt_do_table\)"
    expect_out "\[$NSBR\] .* p-a>p-b +$MACB +84 +$REQ $EBT verdict=DROP cost=[^]]*\]" "$backend"
    expect_count "$REQ $EBT verdict=DROP" 1 "$backend: one dropped request"
    expect_count "$REQ $EBT verdict=ACCEPT" 1 "$backend: one accepted request"
    expect_count "$REP $EBT verdict=ACCEPT" 1 "$backend: one accepted reply"
    if [ "$backend" = fentry ]; then # fresh namespaces: a had to ask for b's MAC first
        expect_out "ETH\[$MACA->ff:ff:ff:ff:ff:ff ARP\] A_request:who-has $(q "$IP2") tell $(q "$IP1") pkt_type=BROADCAST $EBT verdict=ACCEPT"
    fi
    expect_no_out "I_(request|reply):.*hook=(INPUT|OUTPUT)|nftables=|iptables=|STOLEN" "$backend: only the bridge FORWARD path"
    expect_no_out "$(q "$IP3")" "$backend: -H $IP1 filters out $IP3"
done
