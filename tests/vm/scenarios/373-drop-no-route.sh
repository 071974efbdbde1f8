# A drop for want of a route: b forwards, but has no route to 10.37.99.1, where a sends an echo
# request through it. The kernel's reason is shown by name (on kernels with reasons), at the
# place that dropped it; no netfilter call is involved.
IP1=10.37.3.1
IP2=10.37.3.2
DEST=10.37.99.1
netns_pair a "$IP1" b "$IP2"
ip -n a route add 10.37.99.0/24 via "$IP2"
in_ns b sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
NSB=$(netns_inode b)

tracer_start -H "$DEST" --proto icmp -N "$NSB"
ping_from a "$DEST"
wait_out "dropped"
wait_quiet 2
tracer_stop
expect_rc 0
if kernel_at_least 6.1; then
    WHY="reason=IP_INNOROUTES "
elif kernel_at_least 5.17; then
    WHY="reason=[A-Z_]+ "
else
    WHY=
fi
expect_out "^\[.*\] \[0x[0-9a-f]{16}\] +\[$NSB\] .* v-a +[0-9a-f:]{17} +84 +I_request:$(q "$IP1")->$(q "$DEST") +pkt_type=HOST dropped ${WHY}at ip_error\+0x[0-9a-f]+$"
expect_count "dropped" 1 "one request, one drop"
expect_no_out "iptables=|nftables=" "no table walked: nothing but the drop"
