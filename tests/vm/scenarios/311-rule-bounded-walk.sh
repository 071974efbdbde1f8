# Without bpf_loop (before 5.17) the tool's bounded counter walk exceeds the verifier's limit
# (see BOUNDED_WALK_ENTRIES): the tool says rule attribution is off and why, traces without
# rule=, and loads in reasonable time (the walk is not handed to the verifier at all).
# smoke
! has_feature bpf_loop || skip "this kernel has bpf_loop: the walk is a bpf_loop there"
IP1=10.3.11.1
IP2=10.3.11.2
netns_pair a "$IP1" b "$IP2"
in_ns b iptables -A INPUT -s "$IP1" -p icmp -j DROP
NSB=$(netns_inode b)

tracer_start --engines iptables --proto icmp -N "$NSB"
ping_from a "$IP2"
wait_out "verdict=DROP"
tracer_stop
expect_rc 0
expect_err "^Rule attribution is off: this kernel has no bpf_loop \(Linux 5\.17\+\), and the tool's bounded walk does not pass its verifier$"
expect_out "I_request:$(q "$IP1")->$(q "$IP2") +pkt_type=HOST iptables=\[pf=PF_INET, table=filter hook=INPUT verdict=DROP cost=[^]]*\]$"
expect_no_out "rule="
