# --proto udp, -P/--port, --sport, --dport: the same mix of traffic each time (TCP to port 80,
# TCP refused by port 8080, UDP, ICMP), and each run shows exactly the packets its filter names.
IP1=10.0.1.1
IP2=10.0.1.2
netns_pair ns1 "$IP1" ns2 "$IP2"
ipt_tables ns1
ipt_tables ns2
A1=$(q "$IP1")
A2=$(q "$IP2")

# local_port PORT: ns1's next connection gets source port PORT (busybox nc has no client -p).
local_port() { in_ns ns1 sh -c 'echo "$0 $0" > /proc/sys/net/ipv4/ip_local_port_range' "$1"; }

# traffic N: from ns1, TCP 4000N -> 80 (answered), TCP 4100N -> 8080 (refused), UDP -> 6969, ping.
traffic() {
    tcp_listen ns2 80
    local_port "4000$1"
    tcp_send ns1 "$IP2" 80
    local_port "4100$1"
    in_ns ns1 nc -w 2 "$IP2" 8080 < /dev/null || true
    local_port 50000
    in_ns ns1 timeout 1 tftp -g -r f -l /tmp/tftp.out "$IP2" 6969 || true
    ping_from ns1 "$IP2"
    wait_quiet 3
}

tracer_start --engines iptables --proto udp
traffic 1
tracer_stop
expect_rc 0
expect_out "U:$A1:50000->$A2:6969 .*table=filter hook=OUTPUT " "--proto udp"
expect_out "U:$A1:50000->$A2:6969 .*table=filter hook=INPUT " "--proto udp"
expect_no_out ' [TI]_' "--proto udp: no TCP, no ICMP"

tracer_start --engines iptables -P 80
traffic 2
tracer_stop
expect_rc 0
expect_count "T_SYN:$A1:40002->$A2:80 " 2 "-P 80: to port 80"
expect_count "T_SYN,ACK:$A2:80->$A1:40002 " 2 "-P 80: from port 80"
expect_no_out '8080|41002| U:| I_' "-P 80"

tracer_start --engines iptables --sport 40003
traffic 3
tracer_stop
expect_rc 0
expect_count "T_SYN:$A1:40003->$A2:80 " 2 "--sport 40003"
expect_out "T_ACK,PSH:$A1:40003->$A2:80 " "--sport 40003"
expect_no_out "$A2:80->" "--sport 40003: not the server's packets"
expect_no_out '8080|41003| U:| I_' "--sport 40003"

tracer_start --engines iptables --dport 8080
traffic 4
tracer_stop
expect_rc 0
expect_count "T_SYN:$A1:41004->$A2:8080 .*hook=(OUTPUT|INPUT) " 2 "--dport 8080"
expect_count 'iptables=\[' 2 "--dport 8080: only the SYN"
expect_no_out "T_ACK,RST" "--dport 8080: the reset goes from port 8080, not to it"
