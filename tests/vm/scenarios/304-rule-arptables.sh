# arptables: an ARP request dropped by rule 2 of INPUT (rule 1 does not match) says
# rule=INPUT#2 with the rule's text, every retry too; another sender's request gets the policy
# (rule=INPUT:policy ACCEPT) and b's reply OUTPUT's policy. Each drop is followed by the
# kernel's freeing of the request ("dropped ... after filter INPUT DROP").
# smoke
IP1=10.3.4.1
IP2=10.3.4.2
IP3=10.3.4.3
netns_pair a "$IP1" b "$IP2"
ip -n a addr add "$IP3/24" dev v-b
in_ns b arptables -A INPUT -s 10.3.4.9 -j ACCEPT
in_ns b arptables -A INPUT -s "$IP1" -j DROP
NSB=$(netns_inode b)
RULE2="-A INPUT -j DROP -s $IP1"   # the text of legacy arptables-save (arptables -L, trimmed)

tracer_start -v --engines arptables -N "$NSB"
expect_cmd "ping from $IP3" in_ns a ping -c 1 -W 2 -I "$IP3" "$IP2"
ip -n a neigh flush dev v-b
if in_ns a ping -c 1 -W 2 "$IP2"; then fail "ping passed the arptables DROP"; fi
wait_out "tell $(q "$IP1") .*verdict=DROP"
wait_quiet 2
tracer_stop

expect_rc 0
ARP="pkt_type=BROADCAST arptables=\[table=filter hook=INPUT"
DROPPED="A_request:who-has $(q "$IP2") tell $(q "$IP1") +$ARP verdict=DROP cost=[^]]*\]"
expect_out "\[$NSB\] .* v-a .* $DROPPED rule=INPUT#2: $(q "$RULE2")$"
n=$(grep -c "tell $(q "$IP1") .*arptables=" "$T_OUT" || true)
[ "$n" -ge 1 ] || fail "no ARP request from $IP1 traced$(show_tracer)"
expect_count "$DROPPED rule=INPUT#2: $(q "$RULE2")$" "$n" "every request from $IP1 (ARP retries too)"
expect_count "tell $(q "$IP1") +pkt_type=BROADCAST dropped .* after filter INPUT DROP$" "$n" \
    "each dropped request's drop line, tied to the verdict"
expect_out "A_request:who-has $(q "$IP2") tell $(q "$IP3") +$ARP verdict=ACCEPT cost=[^]]*\] rule=INPUT:policy ACCEPT$"
expect_out "A_reply:$(q "$IP2") is-at .* arptables=\[table=filter hook=OUTPUT verdict=ACCEPT cost=[^]]*\] rule=OUTPUT:policy ACCEPT$"
matched_n=$(grep -E -A1 "$DROPPED" "$T_OUT" | grep -c "^    matched INPUT#2: $(q "$RULE2")$" || true)
[ "$matched_n" -eq "$n" ] || fail "-v: each dropped request lists INPUT#2 as matched$(show_tracer)"
expect_count "A_reply" 1 "b answered $IP3 only"
