# filter FORWARD in a router namespace (ip_forward=1): INTERFACE is the arrival device, DEST_MAC
# the router's own; a FORWARD DROP for one destination; no INPUT/OUTPUT for forwarded packets.
IPA=10.0.1.1
IPB=10.0.2.1
IPB2=10.0.2.2
for ns in a r b; do
    netns_add "$ns"
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
# link NS1 IP1 NS2 IP2: veth v-NS2 in NS1 and v-NS1 in NS2, /24 addresses.
link() {
    ip link add "v-$3" netns "$1" type veth peer name "v-$1" netns "$3"
    ip -n "$1" addr add "$2/24" dev "v-$3"
    ip -n "$3" addr add "$4/24" dev "v-$1"
    ip -n "$1" link set "v-$3" up
    ip -n "$3" link set "v-$1" up
}
link a "$IPA" r 10.0.1.254
link r 10.0.2.254 b "$IPB"
ip -n b addr add "$IPB2/24" dev v-r
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip -n a route add default via 10.0.1.254
ip -n b route add default via 10.0.2.254
in_ns r iptables -A FORWARD -d "$IPB2" -j DROP
NSR=$(netns_inode r)

row() { printf '\\[%s\\] +[0-9]+ +[0-9]+ +%s +%s +%s +' "$1" "$2" "$3" "$4"; }
filter() { printf 'pkt_type=HOST iptables=\\[pf=PF_INET, table=filter hook=%s verdict=%s cost=' "$1" "$2"; }

tracer_start --engines iptables -H "$IPA"
ping_from a "$IPB"
ping_from a "$IPB2"
wait_out "verdict=DROP"
tracer_stop

expect_rc 0
expect_out "$(row "$NSR" "v-a>v-b" "$(mac_of r v-a)" 84)I_request:$(q "$IPA")->$(q "$IPB") +$(filter FORWARD ACCEPT)"
expect_out "$(row "$NSR" "v-b>v-a" "$(mac_of r v-b)" 84)I_reply:$(q "$IPB")->$(q "$IPA") +$(filter FORWARD ACCEPT)"
expect_out "$(row "$NSR" "v-a>v-b" "$(mac_of r v-a)" 84)I_request:$(q "$IPA")->$(q "$IPB2") +$(filter FORWARD DROP)"
expect_count 'iptables=\[' 3 "only r has a table, and only FORWARD sees these packets"
expect_no_out "I_reply:$(q "$IPB2")" "dropped at FORWARD"
expect_no_out 'hook=(INPUT|OUTPUT|PREROUTING|POSTROUTING)'
