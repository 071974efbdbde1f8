# arptables-legacy in b drops ARP requests from a: A_request ... arptables=[table=filter
# hook=INPUT verdict=DROP], no reply, the ping fails; an unmatched sender is absent.
# smoke
IP1=10.2.6.1
IP2=10.2.6.2
IP3=10.2.6.3
netns_pair a "$IP1" b "$IP2"
ip -n a addr add "$IP3/24" dev v-b
in_ns b arptables -A INPUT -s "$IP1" -j DROP
NSB=$(netns_inode b)

tracer_start -H "$IP1"
# An ARP request from the unmatched sender address is answered and not traced (-H). First: once
# a has b's MAC, it would send the echo request and b would ARP for a; arping does not teach a.
expect_cmd "arping from the unmatched address $IP3" in_ns a arping -c 1 -w 2 -I v-b -s "$IP3" "$IP2"
if in_ns a ping -c 1 -W 1 "$IP2"; then fail "ping passed the arptables DROP"; fi
wait_out "arptables=\[table=filter hook=INPUT verdict=DROP"
wait_quiet 3
tracer_stop

expect_rc 0
expect_err "Attached $(backends | cut -d" " -f1)\(arpt_do_table\)"
expect_out "\[$NSB\] .* v-a +ff:ff:ff:ff:ff:ff +0 +A_request:who-has $(q "$IP2") tell $(q "$IP1") +pkt_type=BROADCAST arptables=\[table=filter hook=INPUT verdict=DROP cost=[^]]*\]"
expect_no_out "A_reply|verdict=ACCEPT" "the request was dropped, b never replied"
expect_no_out "I_request.*tables=\[" "without ARP the echo request was never sent"
expect_no_out "tell $(q "$IP3")|$(q "$IP3") is-at" "-H $IP1 filters out $IP3's ARP"
