# Legacy rule attribution in filter INPUT: an echo request dropped by rule 3 (rules 1-2 do not
# match) says rule=INPUT#3 and -v lists only that rule; another source falls to the policy
# (rule=INPUT:policy ACCEPT), its reply to OUTPUT's; --no-rules prints no rule= at all.
IP1=10.3.0.1
IP2=10.3.0.2
IP3=10.3.0.3
netns_pair a "$IP1" b "$IP2"
ip -n a addr add "$IP3/24" dev v-b
in_ns b iptables -A INPUT -s 10.3.0.9 -j ACCEPT
in_ns b iptables -A INPUT -p tcp -j ACCEPT
in_ns b iptables -A INPUT -s "$IP1" -p icmp -j DROP
NSB=$(netns_inode b)
FILTER="pkt_type=HOST iptables=\[pf=PF_INET, table=filter"
DROP3='-A INPUT -s 10.3.0.1/32 -p icmp -j DROP'


tracer_start -v --engines iptables --proto icmp -N "$NSB"
ping_from a "$IP2"
expect_cmd "ping from $IP3 (policy ACCEPT)" in_ns a ping -c 1 -W 2 -I "$IP3" "$IP2"
wait_out "I_reply:$(q "$IP2")->$(q "$IP3") .*hook=OUTPUT"
wait_quiet 2
tracer_stop

expect_rc 0
REQ1="I_request:$(q "$IP1")->$(q "$IP2") +$FILTER hook=INPUT verdict=DROP cost=[^]]*\]"
REQ3="I_request:$(q "$IP3")->$(q "$IP2") +$FILTER hook=INPUT verdict=ACCEPT cost=[^]]*\]"
REP3="I_reply:$(q "$IP2")->$(q "$IP3") +$FILTER hook=OUTPUT verdict=ACCEPT cost=[^]]*\]"
expect_out "^\[.*\[$NSB\] .* v-a .* $REQ1 rule=INPUT#3: $(q "$DROP3")$"
expect_matched "$REQ1" "INPUT#3: $DROP3"
expect_out "$REQ3 rule=INPUT:policy ACCEPT$"
expect_matched "$REQ3" "INPUT:policy ACCEPT"
expect_out "$REP3 rule=OUTPUT:policy ACCEPT$"
expect_matched "$REP3" "OUTPUT:policy ACCEPT"
expect_count "iptables=\[" 3 "one request dropped, one request and its reply accepted"
expect_count "^    matched " 3 "one matched line per event"
expect_no_out "I_reply:$(q "$IP2")->$(q "$IP1")" "the request from $IP1 was dropped"

tracer_start --no-rules --engines iptables --proto icmp -N "$NSB"
ping_from a "$IP2"
wait_out "hook=INPUT verdict=DROP"
wait_quiet 2
tracer_stop

expect_rc 0
expect_out "$REQ1$" "--no-rules: the line ends with the iptables part"
expect_count "iptables=\[" 1 "--no-rules"
expect_no_out "rule=|matched" "--no-rules"
