# filter table, fentry and kprobe: INPUT and OUTPUT lines per direction with exact netns,
# interface, MAC and IP_LEN; a 128-byte ping dropped at INPUT; -H hides pings to another address.
IP1=10.0.1.1
IP2=10.0.1.2
IP3=10.0.1.3
netns_pair ns1 "$IP1" ns2 "$IP2"
ip -n ns2 addr add "$IP3/24" dev v-ns1
in_ns ns2 iptables -A INPUT -p icmp -m length --length 128 -j DROP
ipt_tables ns1
NS1=$(netns_inode ns1)
NS2=$(netns_inode ns2)
MAC1=$(mac_of ns1 v-ns2)
MAC2=$(mac_of ns2 v-ns1)
REQ="I_request:$(q "$IP1")->$(q "$IP2")"
REP="I_reply:$(q "$IP2")->$(q "$IP1")"

# row NS IFACE MAC IP_LEN: the columns NETWORK_NS to IP_LEN of a line, as a regex.
row() { printf '\\[%s\\] +[0-9]+ +[0-9]+ +%s +%s +%s +' "$1" "$2" "$3" "$4"; }
filter() { printf 'pkt_type=HOST iptables=\\[pf=PF_INET, table=filter hook=%s verdict=%s cost=' "$1" "$2"; }

for backend in $(backends); do
    tracer_start --backend "$backend" -H "$IP2"
    ping_from ns1 "$IP2"
    in_ns ns1 ping -c 1 -W 1 -s 100 "$IP2" || true
    ping_from ns1 "$IP3"
    wait_out "$REQ .*verdict=DROP"
    tracer_stop

    expect_rc 0
    expect_err "Attached $backend\\(ipt_do_table\\)"
    expect_out "$(row "$NS1" v-ns2 nil 84)$REQ +$(filter OUTPUT ACCEPT)" "$backend"
    expect_out "$(row "$NS2" v-ns1 "$MAC2" 84)$REQ +$(filter INPUT ACCEPT)" "$backend"
    expect_out "$(row "$NS2" v-ns1 nil 84)$REP +$(filter OUTPUT ACCEPT)" "$backend"
    expect_out "$(row "$NS1" v-ns2 "$MAC1" 84)$REP +$(filter INPUT ACCEPT)" "$backend"
    expect_out "$(row "$NS1" v-ns2 nil 128)$REQ +$(filter OUTPUT ACCEPT)" "$backend: 100-byte ping"
    expect_out "$(row "$NS2" v-ns1 "$MAC2" 128)$REQ +$(filter INPUT DROP)" "$backend: 100-byte ping"
    expect_no_out "$(row "$NS1" v-ns2 "$MAC1" 128)$REP" "$backend: the 100-byte ping was dropped"
    expect_count 'iptables=\[' 6 "$backend: 4 for the answered ping, 2 for the dropped one"
    expect_no_out "$(q "$IP3")" "$backend: -H $IP2 hides the ping to $IP3"
    expect_no_out 'table=(nat|mangle|raw)' "$backend: only filter tables exist"
done
