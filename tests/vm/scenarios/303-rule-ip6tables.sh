# ip6tables: an ICMPv6 echo request dropped by rule 3 (rules 1-2 do not match), a user chain
# left by an explicit -j RETURN (then INPUT#5) and by its end (then the policy), with -v lists;
# replies get OUTPUT's policy; an echo to a virtual address DNATed by nat PREROUTING#2 (each
# first packet passes nat PREROUTING and INPUT). Static neighbours: no NDP in the way.
# smoke
IP1=fd03:3::1
IP2=fd03:3::2
IP3=fd03:3::3
IP4=fd03:3::4
VIP=fd03:3::99
netns_pair a 10.3.3.1 b 10.3.3.2 "$IP1" "$IP2"
for ip in "$IP3" "$IP4"; do ip -n a addr add "$ip/64" dev v-b nodad; done
MACA=$(mac_of a v-b)
MACB=$(mac_of b v-a)
ip -n a neigh replace "$IP2" lladdr "$MACB" dev v-b nud permanent
for ip in "$IP1" "$IP3" "$IP4"; do ip -n b neigh replace "$ip" lladdr "$MACA" dev v-a nud permanent; done
cat > "$T_DIR/rules" <<RULES
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:CH6 - [0:0]
-A INPUT -s fd03:3::9 -j ACCEPT
-A INPUT -p tcp -j ACCEPT
-A INPUT -s $IP1 -p ipv6-icmp --icmpv6-type echo-request -j DROP
-A INPUT -p ipv6-icmp -j CH6
-A INPUT -s $IP3 -j ACCEPT
-A CH6 -s $IP3 -j RETURN
COMMIT
RULES
in_ns b ip6tables-restore "$T_DIR/rules"
in_ns b ip6tables -t nat -A PREROUTING -p tcp -j ACCEPT
in_ns b ip6tables -t nat -A PREROUTING -d "$VIP" -p ipv6-icmp -j DNAT --to-destination "$IP2"
ip -n a -6 route add "$VIP/128" via "$IP2"
NSB=$(netns_inode b)


tracer_start -v --engines iptables --proto icmp6 -N "$NSB"
for ip in "$IP1" "$IP3" "$IP4"; do in_ns a ping -c 1 -W 1 -I "$ip" "$IP2" || true; done
expect_cmd "ping $VIP, DNATed to $IP2" in_ns a ping -c 1 -W 2 -I "$IP4" "$VIP"
both_replies() { [ "$(grep -cF "I_reply:$IP2->$IP4 " "$T_OUT")" -ge 2 ]; }
wait_until 10 both_replies || log "fewer than 2 replies to $IP4 traced after 10 s"
wait_quiet 2
tracer_stop

expect_rc 0
ev() { echo "I_request:$(q "$1")->$(q "$IP2") +pkt_type=HOST iptables=\[pf=PF_INET6, table=filter hook=INPUT verdict=$2 cost=[^]]*\]"; }
DROP3="-A INPUT -s $IP1/128 -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j DROP"
JUMP='INPUT#4: -A INPUT -p ipv6-icmp -j CH6'

expect_out "\[$NSB\] .* v-a .* $(ev "$IP1" DROP) rule=INPUT#3: $(q "$DROP3")$"
expect_matched "$(ev "$IP1" DROP)" "INPUT#3: $DROP3"
expect_out "$(ev "$IP3" ACCEPT) rule=INPUT#5: $(q "-A INPUT -s $IP3/128 -j ACCEPT")$" "explicit RETURN"
expect_matched "$(ev "$IP3" ACCEPT)" "$JUMP" "CH6#1: -A CH6 -s $IP3/128 -j RETURN" "INPUT#5: -A INPUT -s $IP3/128 -j ACCEPT"
expect_out "$(ev "$IP4" ACCEPT) rule=INPUT:policy ACCEPT$" "implicit return"
expect_matched "$(ev "$IP4" ACCEPT)" "$JUMP" "CH6:return" "INPUT:policy ACCEPT"
expect_count "I_reply:$(q "$IP2")->($(q "$IP3")|$(q "$IP4")) +pkt_type=HOST iptables=\[pf=PF_INET6, table=filter hook=OUTPUT verdict=ACCEPT cost=[^]]*\] rule=OUTPUT:policy ACCEPT$" 3
expect_count "I_request:$(q "$IP4")->$(q "$IP2") .*table=filter hook=INPUT verdict=ACCEPT .* rule=INPUT:policy ACCEPT$" 2 \
    "the direct echo and the DNATed one"
expect_out "I_request:$(q "$IP4")->$(q "$VIP") +pkt_type=HOST iptables=\[pf=PF_INET6, table=nat hook=PREROUTING verdict=ACCEPT cost=[^]]*\] nat=\[DNAT $(q "$VIP") -> $(q "$IP2")\] rule=PREROUTING#2: $(q "-A PREROUTING -d $VIP/128 -p ipv6-icmp -j DNAT --to-destination $IP2")$"
expect_count "I_request:.*table=nat hook=PREROUTING verdict=ACCEPT .* rule=PREROUTING:policy ACCEPT$" 3 "the three direct echoes"
expect_count "I_request:.*->$(q "$IP2") .*table=nat hook=INPUT verdict=ACCEPT .* rule=INPUT:policy ACCEPT$" 3 "the accepted echoes"
expect_count "fd03:3::.*iptables=\[" 14 "4 requests: nat PREROUTING, filter INPUT, nat INPUT unless dropped; 3 replies"
# The pings' own lines; background MLD reports (fe80:: -> ff02::16) may nest on a CPU and say
# rule=?(another table walk...), which is the honest answer for them.
expect_no_out "_(request|reply):fd03:3::[^ ]*->[^ ]* .*rule=\?" "no uncertain attribution"
expect_no_out "I_reply:$(q "$IP2")->$(q "$IP1")" "dropped"
