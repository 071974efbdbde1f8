# raw table: PREROUTING and OUTPUT for every packet (before conntrack); a DROP in raw PREROUTING.
IP1=10.0.1.1
IP2=10.0.1.2
netns_pair ns1 "$IP1" ns2 "$IP2"
in_ns ns2 iptables -t raw -A PREROUTING -p icmp -m length --length 128 -j DROP
ipt_tables ns1 raw
NS1=$(netns_inode ns1)
NS2=$(netns_inode ns2)
MAC1=$(mac_of ns1 v-ns2)
MAC2=$(mac_of ns2 v-ns1)
REQ="I_request:$(q "$IP1")->$(q "$IP2")"
REP="I_reply:$(q "$IP2")->$(q "$IP1")"

row() { printf '\\[%s\\] +[0-9]+ +[0-9]+ +%s +%s +%s +' "$1" "$2" "$3" "$4"; }
raw() { printf 'pkt_type=HOST iptables=\\[pf=PF_INET, table=raw hook=%s verdict=%s cost=' "$1" "$2"; }

tracer_start --engines iptables -H "$IP1"
in_ns ns1 ping -c 2 -i 0.2 -W 1 "$IP2"
in_ns ns1 ping -c 1 -W 1 -s 100 "$IP2" || true
wait_out "verdict=DROP"
wait_quiet 3
tracer_stop

expect_rc 0
expect_count "$(row "$NS1" v-ns2 nil 84)$REQ +$(raw OUTPUT ACCEPT)" 2
expect_count "$(row "$NS2" v-ns1 "$MAC2" 84)$REQ +$(raw PREROUTING ACCEPT)" 2
expect_count "$(row "$NS2" v-ns1 nil 84)$REP +$(raw OUTPUT ACCEPT)" 2
expect_count "$(row "$NS1" v-ns2 "$MAC1" 84)$REP +$(raw PREROUTING ACCEPT)" 2
expect_count "$(row "$NS1" v-ns2 nil 128)$REQ +$(raw OUTPUT ACCEPT)" 1
expect_count "$(row "$NS2" v-ns1 "$MAC2" 128)$REQ +$(raw PREROUTING DROP)" 1
expect_count 'table=raw' 10
expect_no_out 'hook=(INPUT|FORWARD|POSTROUTING)' "raw has only PREROUTING and OUTPUT"
expect_no_out "$REP .* 128 " "the 100-byte ping was dropped"
