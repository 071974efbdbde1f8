# The start-up line naming the system's iptables when /usr/sbin/iptables is switched to
# iptables-nft (restored on exit): its rules then show as nftables=[family=ip ...] lines.
# (The guest's default, iptables-legacy, is checked in 208-mixed-order.)
need_feature module_btf
IP1=10.2.10.1
IP2=10.2.10.2
netns_pair a "$IP1" b "$IP2"
ORIG=$(readlink /usr/sbin/iptables)
trap '_rc=$?; ln -sf "$ORIG" /usr/sbin/iptables; t_exit $_rc $LINENO' EXIT

ln -sf iptables-nft /usr/sbin/iptables
in_ns b iptables -A INPUT -p icmp -s "$IP1" -j DROP
tracer_start --proto icmp -H "$IP1"
ping_from a "$IP2"
wait_out "chain=INPUT"
tracer_stop
ln -sf "$ORIG" /usr/sbin/iptables
expect_cmd "iptables restored to $ORIG" test "$(readlink /usr/sbin/iptables)" = "$ORIG"

expect_rc 0
expect_err "^System iptables is iptables-nft: its rules are in nf_tables and show as nftables=\[\.\.\.\] lines$"
expect_no_err "iptables-legacy"
expect_out "I_request:$(q "$IP1")->$(q "$IP2") +pkt_type=HOST nftables=\[family=ip table=filter chain=INPUT hook=INPUT prio=0 verdict=DROP\(EPERM\)"
expect_no_out "iptables=\["
