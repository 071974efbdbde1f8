# IPv6 with ip6tables-legacy: pf=PF_INET6, short addresses, [addr]:port, IP_LEN = payload + 40;
# -H with an IPv6 address, --proto icmp6 and --proto tcp.
IP1=10.0.1.1
IP2=10.0.1.2
netns_pair ns1 "$IP1" ns2 "$IP2" fd00::1 fd00::2
ip -n ns2 addr add fd00::3/64 dev v-ns1 nodad
in_ns ns1 ip6tables -L -n > /dev/null
in_ns ns2 ip6tables -L -n > /dev/null
ipt_tables ns1
ipt_tables ns2
NS1=$(netns_inode ns1)
NS2=$(netns_inode ns2)
MAC1=$(mac_of ns1 v-ns2)
MAC2=$(mac_of ns2 v-ns1)

row() { printf '\\[%s\\] +[0-9]+ +[0-9]+ +%s +%s +%s +' "$1" "$2" "$3" "$4"; }
filter6() { printf 'pkt_type=HOST iptables=\\[pf=PF_INET6, table=filter hook=%s verdict=ACCEPT cost=' "$1"; }

# ICMPv6 echo to fd00::3 shows; to fd00::2 and IPv4 it does not.
tracer_start --engines iptables -H fd00::3 --proto icmp6
ping_from ns1 fd00::2
ping_from ns1 fd00::3
ping_from ns1 "$IP2"
wait_out "I_reply:fd00::3->fd00::1 .*hook=INPUT"
tracer_stop
expect_rc 0
expect_out "$(row "$NS1" v-ns2 nil 104)I_request:fd00::1->fd00::3 +$(filter6 OUTPUT)"
expect_out "$(row "$NS2" v-ns1 "$MAC2" 104)I_request:fd00::1->fd00::3 +$(filter6 INPUT)"
expect_out "$(row "$NS2" v-ns1 nil 104)I_reply:fd00::3->fd00::1 +$(filter6 OUTPUT)"
expect_out "$(row "$NS1" v-ns2 "$MAC1" 104)I_reply:fd00::3->fd00::1 +$(filter6 INPUT)"
expect_no_out 'fd00::2' "-H fd00::3"
expect_no_out 'pf=PF_INET,' "no IPv4"
expect_no_out ' [TU]_' "--proto icmp6"

# TCP to a closed IPv6 port: SYN (80 bytes: 40 + header with options) and RST,ACK; no ICMPv6.
tracer_start --engines iptables -H fd00::1 --proto tcp
in_ns ns1 nc -w 2 fd00::2 8080 < /dev/null || true
ping_from ns1 fd00::2
wait_out "T_ACK,RST:.*hook=INPUT"
tracer_stop
expect_rc 0
SP=$(sed -n 's/.* T_SYN:\[fd00::1\]:\([0-9]*\)->.*/\1/p' "$T_OUT" | head -n 1)
[ -n "$SP" ] || die "no SYN line$(show_tracer)"
C="\\[fd00::1\\]:$SP->\\[fd00::2\\]:8080"
S="\\[fd00::2\\]:8080->\\[fd00::1\\]:$SP"
expect_out "$(row "$NS1" v-ns2 nil 80)T_SYN:$C +$(filter6 OUTPUT)"
expect_out "$(row "$NS2" v-ns1 "$MAC2" 80)T_SYN:$C +$(filter6 INPUT)"
expect_out "$(row "$NS2" v-ns1 nil 60)T_ACK,RST:$S +$(filter6 OUTPUT)"
expect_out "$(row "$NS1" v-ns2 "$MAC1" 60)T_ACK,RST:$S +$(filter6 INPUT)"
expect_no_out ' I_' "--proto tcp"
