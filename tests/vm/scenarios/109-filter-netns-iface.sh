# -N/--netns and -i/--iface: ns1 pings ns2 and ns3 over two veths; -N shows one namespace's lines
# only, -i one device's (arriving or leaving) only.
IP1=10.0.1.1
IP2=10.0.1.2
IP1B=10.0.2.1
IP3=10.0.2.3
netns_pair ns1 "$IP1" ns2 "$IP2"
netns_add ns3
ip netns exec ns3 sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add v-ns3 netns ns1 type veth peer name v-ns1 netns ns3
ip -n ns1 addr add "$IP1B/24" dev v-ns3
ip -n ns3 addr add "$IP3/24" dev v-ns1
ip -n ns1 link set v-ns3 up
ip -n ns3 link set v-ns1 up
for ns in ns1 ns2 ns3; do ipt_tables "$ns"; done
NS1=$(netns_inode ns1)
NS2=$(netns_inode ns2)
MAC1B=$(mac_of ns1 v-ns3)
expect_cmd "netns inode from ls -Li" sh -c "ls -Li /run/netns/ns2 | grep -q '^ *$NS2 '"

traffic() {
    ping_from ns1 "$IP2"
    ping_from ns1 "$IP3"
    wait_quiet 3
}

tracer_start --engines iptables -N "$NS2"
traffic
tracer_stop
expect_rc 0
expect_out "\\[$NS2\\] +[0-9]+ +[0-9]+ +v-ns1 .*I_request:$(q "$IP1")->$(q "$IP2") .*hook=INPUT"
expect_out "\\[$NS2\\] +[0-9]+ +[0-9]+ +v-ns1 .*I_reply:$(q "$IP2")->$(q "$IP1") .*hook=OUTPUT"
expect_count 'iptables=\[' 2 "-N: ns2's two lines only"

tracer_start --engines iptables -i v-ns3
traffic
tracer_stop
expect_rc 0
expect_out "\\[$NS1\\] +[0-9]+ +[0-9]+ +v-ns3 +nil +84 +I_request:$(q "$IP1B")->$(q "$IP3") .*hook=OUTPUT"
expect_out "\\[$NS1\\] +[0-9]+ +[0-9]+ +v-ns3 +$MAC1B +84 +I_reply:$(q "$IP3")->$(q "$IP1B") .*hook=INPUT"
expect_count 'iptables=\[' 2 "-i v-ns3: ns1's lines on v-ns3 only (ns3's device is v-ns1)"
