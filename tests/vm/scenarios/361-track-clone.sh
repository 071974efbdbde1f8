# Clones carry their packet: a broadcast ARP request entering bridge br0 is seen at ebtables
# nat PREROUTING, then flooded to the two other ports as clones (br_flood's skb_clone), each
# through filter FORWARD, while the original goes up to filter INPUT. All have one packet id;
# the clones are other skbs whose parent_skb is the original's.
command -v jq > /dev/null || skip "jq is not in the initramfs (apt-get install jq)"
need_feature module_btf # ebtables' types
need_module ebtable_nat ebtable_filter
IP1=10.36.4.1
IP2=10.36.4.2 # b: a second port to flood to
bridge_pair a "$IP1" br b "$IP2"
netns_add c
ip link add p-c netns br type veth peer name eth0 netns c
ip -n br link set p-c master br0 up
ip -n c link set eth0 up
in_ns br ebtables -t nat -A PREROUTING -j ACCEPT
in_ns br ebtables -A FORWARD -j ACCEPT
NSBR=$(netns_inode br)

n=0
for backend in $(backends); do
    n=$((n + 1)) # a new address each time: a's ARP request for it is a broadcast
    ip -n c addr add "10.36.4.1$n/24" dev eth0
    tracer_start -o json --backend "$backend" --engines ebtables -N "$NSBR" -H "$IP1"
    in_ns a ping -c 1 -W 2 "10.36.4.1$n" || true
    wait_until 10 grep -q '"hook":"INPUT".*"arp_op":1' "$T_OUT" || true
    wait_quiet 2
    tracer_stop
    expect_rc 0
    expect_err "Attached $(if [ "$backend" = fentry ]; then echo fexit; else echo kretprobe; fi)\(skb_clone\)"
    # the broadcast request only: c's unicast ARP probe of a (its neighbour entry of the run
    # before going stale) can come meanwhile
    REQ='map(select(.arp_op == 1 and .pkt_type == "BROADCAST"))'
    jq -e -s "$REQ"' | (map(select(.hook == "PREROUTING")) | length) == 1 and (map(select(.hook == "FORWARD")) | length) == 2 and (map(select(.hook == "INPUT")) | length) == 1' "$T_OUT" > /dev/null ||
        fail "$backend: the ARP request at nat PREROUTING, twice at FORWARD, once at INPUT$(show_tracer)"
    jq -e -s "$REQ"' | (map(.packet_id) | unique | length) == 1 and .[0].packet_id > 0' "$T_OUT" > /dev/null ||
        fail "$backend: one packet id for the request and its clones$(show_tracer)"
    jq -e -s "$REQ"' | (map(select(.hook == "PREROUTING")) | .[0].skb) as $orig | map(select(.hook == "FORWARD")) | all(.[]; .parent_skb == $orig and .skb != $orig and .tracked)' "$T_OUT" > /dev/null ||
        fail "$backend: the FORWARD calls are clones of the original skb$(show_tracer)"
    jq -e -s "$REQ"' | map(select(.hook == "INPUT")) | .[0] | has("parent_skb") | not' "$T_OUT" > /dev/null ||
        fail "$backend: the original goes up to INPUT$(show_tracer)"
done
