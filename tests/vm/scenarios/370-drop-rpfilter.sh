# A packet the kernel drops with no rule involved: b's strict reverse-path filter (rp_filter=1)
# refuses an echo request from 10.37.9.1, whose route back leaves by another interface. The drop
# line names the kernel's reason and place; -o json says the same; --no-drops prints nothing.
IP1=10.37.0.1
IP2=10.37.0.2
SPOOF=10.37.9.1
netns_pair a "$IP1" b "$IP2"
ip -n a addr add "$SPOOF/24" dev v-b
# b's route back to $SPOOF leaves by d0, not by v-a where the request arrives
ip -n b link add d0 type dummy
ip -n b link set d0 up
ip -n b route add 10.37.9.0/24 dev d0
# a static neighbour: b's ARP would refuse the spoofed sender too (the drop would be a's)
ip -n a neigh add "$IP2" lladdr "$(mac_of b v-a)" dev v-b
in_ns b sh -c 'echo 1 > /proc/sys/net/ipv4/conf/all/rp_filter; echo 1 > /proc/sys/net/ipv4/conf/v-a/rp_filter'
NSB=$(netns_inode b)
command -v jq > /dev/null || skip "jq is not in the initramfs (apt-get install jq)"

spoofed_ping() { in_ns a ping -c 1 -W 1 -I "$SPOOF" "$IP2" || true; }

tracer_start -H "$SPOOF" --proto icmp
spoofed_ping
wait_out "dropped"
wait_quiet 2
tracer_stop
expect_rc 0
if kernel_at_least 5.17; then
    WHY="reason=IP_RPFILTER"
else
    WHY=""
fi
expect_out "^\[.*\] \[0x[0-9a-f]{16}\] +\[$NSB\] .* v-a +[0-9a-f:]{17} +84 +I_request:$(q "$SPOOF")->$(q "$IP2") +pkt_type=HOST dropped ${WHY:+$WHY }at ip_rcv_finish_core[a-z_.0-9]*\+0x[0-9a-f]+$"
expect_count "dropped" 1 "one request, one drop"
expect_no_out "after|in nftables" "no netfilter call decided"
expect_err "Attached tp_btf\(kfree_skb\): drops"

tracer_start --no-drops -H "$SPOOF" --proto icmp
spoofed_ping
wait_quiet 2
tracer_stop
expect_rc 0
expect_no_out "dropped" "--no-drops"
expect_no_err "(tp_btf|raw_tracepoint)\(kfree_skb\)" "--no-drops: no drops attached (the kfree_skb program only ends tracking)"

tracer_start -o json -H "$SPOOF" --proto icmp
spoofed_ping
wait_out '"type":"drop"'
wait_quiet 2
tracer_stop
expect_rc 0
REASON=null
kernel_at_least 5.17 && REASON='"IP_RPFILTER"'
expect_cmd "-o json: one drop object with reason $REASON and the place" jq -e -s --argjson reason "$REASON" \
    "[.[] | select(.type == \"drop\")] | length == 1 and (.[0] | .reason == \$reason
     and (.reason_code | type) == (if \$reason == null then \"null\" else \"number\" end)
     and (.location | startswith(\"ip_rcv_finish_core\")) and .interface == \"v-a\"
     and .netns == $NSB and .saddr == \"$SPOOF\" and .netfilter == null)" "$T_OUT"
