# Without bpf_loop (before 5.17) the counter walk is a bounded loop over BOUNDED_WALK_ENTRIES
# (1024) entries: the tool says so on stderr, names the rule in a table of 1005 entries (1001
# rules), and says rule=?(...more entries than the walk covers) for one of 1105.
# smoke
! has_feature bpf_loop || skip "this kernel has bpf_loop: the walk covers 32768 entries there"
IP1=10.3.11.1
IP2=10.3.11.2
netns_pair a "$IP1" b "$IP2"
NSB=$(netns_inode b)

# rules N: N non-matching rules, then the DROP of a's echo requests (rule N+1).
rules() {
    echo '*filter'
    echo ':INPUT ACCEPT [0:0]'
    echo ':FORWARD ACCEPT [0:0]'
    echo ':OUTPUT ACCEPT [0:0]'
    i=0
    while [ "$i" -lt "$1" ]; do
        echo "-A INPUT -s 10.9.$((i / 250)).$((i % 250 + 1)) -j ACCEPT"
        i=$((i + 1))
    done
    echo "-A INPUT -s $IP1 -p icmp -j DROP"
    echo COMMIT
}

for n in 1000 1100; do
    rules "$n" > "$T_DIR/rules"
    in_ns b iptables-restore "$T_DIR/rules"
    tracer_start --engines iptables --proto icmp -N "$NSB"
    ping_from a "$IP2"
    wait_out "verdict=DROP"
    tracer_stop
    expect_rc 0
    expect_err "^Rule attribution covers legacy tables of up to 1024 entries: this kernel has no bpf_loop"
    EV="I_request:$(q "$IP1")->$(q "$IP2") +pkt_type=HOST iptables=\[pf=PF_INET, table=filter hook=INPUT verdict=DROP cost=[^]]*\]"
    if [ "$n" = 1000 ]; then
        expect_out "$EV rule=INPUT#1001: -A INPUT -s $(q "$IP1")/32 -p icmp -j DROP$" "$n rules"
    else
        expect_out "$EV rule=\?\(the table has more entries than the walk covers\)$" "$n rules"
    fi
done
