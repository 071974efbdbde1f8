# A tracked skb freed where no tracepoint fires must stop being tracked: IP reassembly merges a
# fragment that arrived in a page fragment (a tap written non-blocking) into the first one and
# frees it with kfree_skb_partial (its head stolen, no skb:consume_skb). Before that free was
# hooked, later fragments got the freed fragments' skbs back and were shown with their packet
# ids, and so were ICMP errors to an address the filter does not match.
need_module tun
netns_add t
ip -n t tuntap add dev tap0 mode tap
ip -n t addr add 10.3.65.1/24 dev tap0
ip -n t link set tap0 up
ipt_tables t raw # no conntrack: fragments cross raw PREROUTING and are reassembled after it
NST=$(netns_inode t)

for backend in $(backends); do
    tracer_start --backend "$backend" --engines iptables -N "$NST" -H 10.3.65.2 --show-id
    in_ns t tap-send tap0 10.3.65.2 10.3.65.1 frag 20 || fail "tap-send frag failed"
    wait_until 10 sh -c "[ \$(grep -c 'hook=PREROUTING' '$T_OUT') -ge 60 ]" || true
    in_ns t tap-send tap0 10.3.65.3 10.3.65.1 plain 200 || fail "tap-send plain failed"
    wait_quiet 3
    tracer_stop
    expect_rc 0
    expect_count "10\.3\.65\.2.*hook=PREROUTING" 60 "$backend: every fragment at raw PREROUTING"
    expect_no_out "10\.3\.65\.3" "$backend: datagrams from an address the filter does not match"
    IDS=$(grep 'hook=PREROUTING' "$T_OUT" | sed -n 's/.* id=\([0-9]*\) .*/\1/p' | sort -u | wc -l)
    [ "$IDS" -eq 60 ] || fail "$backend: 60 fragments are 60 packets, got $IDS ids$(show_tracer)"
done
