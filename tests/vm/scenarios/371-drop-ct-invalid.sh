# A conntrack INVALID drop tied to its verdict: b drops INVALID packets in filter INPUT. A TCP
# connection from a goes idle until b's conntrack forgets it (established timeout 1 s, loose
# pickup off), so a's next segment is INVALID: the DROP verdict's line and the drop line that
# follows it (same skb, "after filter INPUT DROP") tell one story.
IP1=10.37.1.1
IP2=10.37.1.2
netns_pair a "$IP1" b "$IP2"
in_ns b iptables -A INPUT -m conntrack --ctstate INVALID -j DROP
in_ns b sh -c 'echo 0 > /proc/sys/net/netfilter/nf_conntrack_tcp_loose;
    echo 1 > /proc/sys/net/netfilter/nf_conntrack_tcp_timeout_established'
NSB=$(netns_inode b)
FILTER="iptables=\[pf=PF_INET, table=filter hook=INPUT"

# the listener keeps its side open (tcp_listen's nc would close it at once: stdin /dev/null)
/usr/sbin/ip netns exec b sh -c 'sleep 12 | nc -l -p 8080 > /dev/null' &
wait_until 10 tcp_listening b 8080 || die "nc in b not listening on port 8080"
tracer_start --engines iptables -N "$NSB" --dport 8080
# nc sends its first line, waits 3 s (the entry expires), then the second: INVALID in b
{ echo first; sleep 3; echo second; sleep 1; } | in_ns a nc -w 5 "$IP2" 8080 || true
wait_out "after filter INPUT DROP"
wait_quiet 2
tracer_stop
expect_rc 0
expect_out "T_[A-Z,]+:$(q "$IP1"):[0-9]+->$(q "$IP2"):8080 +pkt_type=HOST $FILTER verdict=DROP cost=[^]]*\] rule=INPUT#1: -A INPUT -m conntrack --ctstate INVALID -j DROP$"
WHY=
kernel_at_least 5.17 && WHY="reason=NETFILTER_DROP "
expect_out "T_[A-Z,]+:$(q "$IP1"):[0-9]+->$(q "$IP2"):8080 +pkt_type=HOST dropped ${WHY}at nf_hook_slow\+0x[0-9a-f]+ after filter INPUT DROP$"
# the drop line's skb is the DROP verdict's, and comes right after it (the stack's own drops,
# such as a stale ACK freed in tcp_v4_rcv, are other stories)
STORY="verdict=DROP|dropped .*after filter INPUT DROP$"
pair=$(grep -E "$STORY" "$T_OUT" | awk '{print $2}' | head -n 2 | sort -u | wc -l)
[ "$pair" = 1 ] || fail "the first DROP verdict and drop lines are not one skb$(show_tracer)"
order=$(grep -E "$STORY" "$T_OUT" | head -n 2 | sed -n 's/.*\(verdict=DROP\|dropped\).*/\1/p' | tr '\n' ' ')
[ "$order" = "verdict=DROP dropped " ] || fail "expected the verdict, then the drop; got '$order'$(show_tracer)"
verdicts=$(grep -c "verdict=DROP" "$T_OUT" || true)
expect_count "after filter INPUT DROP$" "$verdicts" "one drop line per DROP verdict (retransmissions too)"
