# The counter walk's bound, on every kernel: with bpf_loop one loop, without it (before 5.17) a
# bounded loop in chunks of global functions, both covering 32,768 entries. A DROP in a user
# chain of a small table is named; in a namespace whose filter table has more entries than
# that, the same drop says rule=? with the reason.
# smoke
IP1=10.3.11.1
IP2=10.3.11.2
IP3=10.3.11.3
IP4=10.3.11.4
netns_pair a "$IP1" b "$IP2"
netns_pair c "$IP3" d "$IP4"
cat > "$T_DIR/small" <<RULES
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:CHK - [0:0]
-A INPUT -p tcp -j ACCEPT
-A INPUT -p icmp -j CHK
-A CHK -p udp -j DROP
-A CHK -s $IP1 -p icmp -j DROP
COMMIT
RULES
in_ns b iptables-restore "$T_DIR/small"
# 32,800 rules in a chain no packet enters, then the same drop: more entries than a walk covers.
awk -v ip="$IP3" 'BEGIN {
    print "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:BIG - [0:0]"
    print "-A INPUT -s " ip "/32 -p icmp -j DROP"
    for (i = 0; i < 32800; i++) printf "-A BIG -s 10.%d.%d.%d/32 -j ACCEPT\n", 100 + int(i / 65536), int(i / 256) % 256, i % 256
    print "COMMIT"
}' > "$T_DIR/big"
in_ns d iptables-restore "$T_DIR/big"
NSB=$(netns_inode b)
NSD=$(netns_inode d)

tracer_start --engines iptables --proto icmp -N "$NSB"
ping_from a "$IP2"
wait_out "verdict=DROP"
tracer_stop
expect_rc 0
expect_no_err "Rule attribution is off"
expect_out "I_request:$(q "$IP1")->$(q "$IP2") +pkt_type=HOST iptables=\[pf=PF_INET, table=filter hook=INPUT verdict=DROP cost=[^]]*\] rule=INPUT#2 > CHK#2: -A CHK -s $(q "$IP1")/32 -p icmp -j DROP$"

tracer_start --engines iptables --proto icmp -N "$NSD"
ping_from c "$IP4"
wait_out "verdict=DROP"
tracer_stop
expect_rc 0
expect_out "I_request:$(q "$IP3")->$(q "$IP4") +pkt_type=HOST iptables=\[pf=PF_INET, table=filter hook=INPUT verdict=DROP cost=[^]]*\] rule=\?\(the table has more entries than the walk covers\)$"
