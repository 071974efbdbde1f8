# A user chain reached by a jump, -v lists in evaluation order: a DROP inside it (rule=INPUT#2 >
# CHK#3: ...), an explicit -j RETURN then INPUT#3 accepts, the implicit return at the chain's
# end then the policy (rule=INPUT:policy DROP), and a second level (INPUT#2 > CHK#4 > DEEP#1).
# smoke
IP1=10.3.1.1
IP2=10.3.1.2
IP3=10.3.1.3
IP4=10.3.1.4
IP5=10.3.1.5
netns_pair a "$IP1" b "$IP2"
for ip in "$IP3" "$IP4" "$IP5"; do ip -n a addr add "$ip/24" dev v-b; done
cat > "$T_DIR/rules" <<RULES
*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:CHK - [0:0]
:DEEP - [0:0]
-A INPUT -p tcp -j ACCEPT
-A INPUT -p icmp -j CHK
-A INPUT -s $IP3 -j ACCEPT
-A CHK -s $IP3 -j RETURN
-A CHK -p udp -j DROP
-A CHK -s $IP1 -p icmp --icmp-type echo-request -j DROP
-A CHK -s $IP5 -j DEEP
-A DEEP -p icmp -j ACCEPT
COMMIT
RULES
in_ns b iptables-restore "$T_DIR/rules"
NSB=$(netns_inode b)


tracer_start -v --engines iptables --proto icmp -N "$NSB"
for ip in "$IP1" "$IP3" "$IP4" "$IP5"; do in_ns a ping -c 1 -W 1 -I "$ip" "$IP2" || true; done
wait_out "I_reply:$(q "$IP2")->$(q "$IP5")"
wait_quiet 2
tracer_stop

expect_rc 0
ev() { echo "I_request:$(q "$1")->$(q "$IP2") +pkt_type=HOST iptables=\[pf=PF_INET, table=filter hook=INPUT verdict=$2 cost=[^]]*\]"; }
JUMP='INPUT#2: -A INPUT -p icmp -j CHK'

expect_out "$(ev "$IP1" DROP) rule=INPUT#2 > CHK#3: -A CHK -s 10\.3\.1\.1/32 -p icmp -m icmp --icmp-type 8 -j DROP$"
expect_matched "$(ev "$IP1" DROP)" "$JUMP" "CHK#3: -A CHK -s 10.3.1.1/32 -p icmp -m icmp --icmp-type 8 -j DROP"

expect_out "$(ev "$IP3" ACCEPT) rule=INPUT#3: -A INPUT -s 10\.3\.1\.3/32 -j ACCEPT$" "explicit RETURN"
expect_matched "$(ev "$IP3" ACCEPT)" "$JUMP" "CHK#1: -A CHK -s 10.3.1.3/32 -j RETURN" \
    "INPUT#3: -A INPUT -s 10.3.1.3/32 -j ACCEPT"

expect_out "$(ev "$IP4" DROP) rule=INPUT:policy DROP$" "implicit return at CHK's end"
expect_matched "$(ev "$IP4" DROP)" "$JUMP" "CHK:return" "INPUT:policy DROP"

expect_out "$(ev "$IP5" ACCEPT) rule=INPUT#2 > CHK#4 > DEEP#1: -A DEEP -p icmp -j ACCEPT$" "two levels"
expect_matched "$(ev "$IP5" ACCEPT)" "$JUMP" "CHK#4: -A CHK -s 10.3.1.5/32 -j DEEP" \
    "DEEP#1: -A DEEP -p icmp -j ACCEPT"

expect_count "hook=INPUT" 4 "one request per source"
expect_count "I_reply:.*hook=OUTPUT verdict=ACCEPT .* rule=OUTPUT:policy ACCEPT$" 2 "replies to $IP3 and $IP5"
expect_count "iptables=\[" 6
expect_no_out "I_reply:$(q "$IP2")->($(q "$IP1")|$(q "$IP4"))" "dropped requests have no reply"
