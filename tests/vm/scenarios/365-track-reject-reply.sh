# A REJECT's reply tied to the packet that caused it: the filter (--dport 9) matches the SYN,
# not the reset (its destination port is the client's); the reset REJECT sends is shown at
# OUTPUT because tracking follows what a tracked packet's call sends back, with its own id and
# caused_by = the SYN's id, in text (--show-id) and JSON. The same for the ICMP error of a UDP
# REJECT. With --no-track the reset is not shown.
IP1=10.3.65.1
IP2=10.3.65.2
netns_pair a "$IP1" b "$IP2"
in_ns b iptables -A INPUT -p tcp --dport 9 -j REJECT --reject-with tcp-reset
in_ns b iptables -A INPUT -p udp --dport 9 -j REJECT
NSB=$(netns_inode b)
F="iptables=\[pf=PF_INET, table=filter"

tracer_start --no-drops --engines iptables --show-id --dport 9 -N "$NSB"
in_ns a nc -w 1 "$IP2" 9 < /dev/null > /dev/null 2>&1 || true
in_ns a timeout 1 tftp -g -r f -l "$T_DIR/tftp.out" "$IP2" 9 > /dev/null 2>&1 || true # UDP
wait_out "I_dest-unreachable.*hook=OUTPUT"
wait_quiet 2
tracer_stop
expect_rc 0
SYN=$(grep -m 1 "T_SYN:$(q "$IP1"):[0-9]*->$(q "$IP2"):9 .*hook=INPUT verdict=DROP" "$T_OUT" |
    sed -n 's/.* id=\([0-9]*\) rule=.*/\1/p')
[ -n "$SYN" ] || fail "no INPUT line with an id for the SYN$(show_tracer)"
expect_out "T_[A-Z,]*RST[A-Z,]*:$(q "$IP2"):9->$(q "$IP1"):[0-9]+ .*$F hook=OUTPUT verdict=ACCEPT cost=[^]]*\] id=[0-9]+ caused_by=$SYN rule=OUTPUT:policy ACCEPT$" \
    "the reset at OUTPUT, caused by the SYN"
RST=$(grep -m 1 "T_[A-Z,]*RST" "$T_OUT" | sed -n 's/.* id=\([0-9]*\) caused_by=.*/\1/p')
[ -n "$RST" ] && [ "$RST" != "$SYN" ] || fail "the reset has its own id ($RST), not the SYN's ($SYN)"
UDP=$(grep -m 1 "U:$(q "$IP1"):[0-9]*->$(q "$IP2"):9 .*hook=INPUT verdict=DROP" "$T_OUT" |
    sed -n 's/.* id=\([0-9]*\) rule=.*/\1/p')
[ -n "$UDP" ] || fail "no INPUT line with an id for the datagram$(show_tracer)"
expect_out "I_dest-unreachable:$(q "$IP2")->$(q "$IP1") .*$F hook=OUTPUT verdict=ACCEPT cost=[^]]*\] id=[0-9]+ caused_by=$UDP rule=" \
    "the ICMP error at OUTPUT, caused by the datagram"

tracer_start --no-drops --engines iptables -o json --dport 9 -N "$NSB"
in_ns a nc -w 1 "$IP2" 9 < /dev/null > /dev/null 2>&1 || true
wait_until 10 grep -q '"hook":"OUTPUT"' "$T_OUT"
wait_quiet 2
tracer_stop
expect_rc 0
if command -v jq > /dev/null; then
    jq -e -s '([.[] | select(.hook == "INPUT" and .dport == 9)][0].packet_id) as $syn |
        $syn != null and any(.[]; .hook == "OUTPUT" and .sport == 9 and .caused_by == $syn and
                                  .packet_id != $syn)' "$T_OUT" > /dev/null ||
        fail "JSON: no OUTPUT reset with caused_by the SYN's packet_id$(show_tracer)"
fi

tracer_start --no-drops --no-track --engines iptables --dport 9 -N "$NSB"
in_ns a nc -w 1 "$IP2" 9 < /dev/null > /dev/null 2>&1 || true
wait_out "T_SYN:.*hook=INPUT verdict=DROP"
wait_quiet 2
tracer_stop
expect_rc 0
expect_no_out "hook=OUTPUT" "--no-track: the reset does not match --dport 9 by itself"
