# REJECT decides, and the reply it sends is traced in its own right: its OUTPUT traversals
# (mangle, and filter: the same table as the REJECT's, nested inside that call) name their own
# rules. tcp-reset for a SYN to port 9, icmp-port-unreachable for a UDP datagram to port 9.
# Oracle: the kernel's counters of the REJECT rules and of OUTPUT's RST rule.
# REJECT_BACKEND chooses the backend (fentry by default; 339 runs it with kprobe).
[ "${REJECT_BACKEND:-fentry}" != fentry ] || need_feature module_btf # 339: kprobes
IP1=10.3.37.1
IP2=10.3.37.2
netns_pair a "$IP1" b "$IP2"
ipt_tables b mangle
in_ns b iptables -A INPUT -p tcp --dport 9 -j REJECT --reject-with tcp-reset
in_ns b iptables -A INPUT -p udp --dport 9 -j REJECT
in_ns b iptables -A OUTPUT -p tcp --tcp-flags RST RST -j ACCEPT
NSB=$(netns_inode b)

tracer_start --backend "${REJECT_BACKEND:-fentry}" --engines iptables -H "$IP1" -N "$NSB"
in_ns a nc -w 1 "$IP2" 9 < /dev/null > /dev/null 2>&1 || true
in_ns a timeout 1 tftp -g -r f -l "$T_DIR/tftp.out" "$IP2" 9 > /dev/null 2>&1 || true # UDP
wait_out "hook=OUTPUT verdict=ACCEPT.*rule=OUTPUT:policy ACCEPT"
wait_quiet 2
tracer_stop
expect_rc 0

F="pkt_type=HOST iptables=\[pf=PF_INET, table=filter"
SYN="$(q "$IP1"):[0-9]+->$(q "$IP2"):9 +$F hook=INPUT verdict=DROP cost=[^]]*\]"
expect_out "T_SYN:$SYN rule=INPUT#1: -A INPUT -p tcp -m tcp --dport 9 -j REJECT --reject-with tcp-reset$"
expect_out "T_[A-Z,]*RST[A-Z,]*:$(q "$IP2"):9->.*table=filter hook=OUTPUT verdict=ACCEPT cost=[^]]*\] rule=OUTPUT#1: -A OUTPUT -p tcp -m tcp --tcp-flags RST RST -j ACCEPT$"
expect_out "T_[A-Z,]*RST[A-Z,]*:$(q "$IP2"):9->.*table=mangle hook=OUTPUT verdict=ACCEPT cost=[^]]*\] rule=OUTPUT:policy ACCEPT$"
expect_out "$(q "$IP1"):[0-9]+->$(q "$IP2"):9 +$F hook=INPUT verdict=DROP cost=[^]]*\] rule=INPUT#2: -A INPUT -p udp -m udp --dport 9 -j REJECT --reject-with icmp-port-unreachable$"
expect_out "$(q "$IP2")->$(q "$IP1") .*table=filter hook=OUTPUT verdict=ACCEPT cost=[^]]*\] rule=OUTPUT:policy ACCEPT$"
n_syn=$(grep -Ec "rule=INPUT#1: .*tcp-reset$" "$T_OUT" || true)
n_rst=$(grep -Ec "rule=OUTPUT#1: " "$T_OUT" || true)
[ "$n_syn" = "$(ipt_pkts b filter INPUT 1)" ] || fail "$n_syn lines name INPUT#1, the kernel counted $(ipt_pkts b filter INPUT 1)$(show_tracer)"
[ "$n_rst" = "$(ipt_pkts b filter OUTPUT 1)" ] || fail "$n_rst lines name OUTPUT#1, the kernel counted $(ipt_pkts b filter OUTPUT 1)$(show_tracer)"
expect_no_out "rule=\?" "every line attributed"

# The reply filtered out (--proto udp: the ICMP error is not shown; --no-track, or tracking would
# show it as the datagram's reply, 365): its OUTPUT traversal is still walked, silently, so the
# REJECT is still named.
tracer_start --backend "${REJECT_BACKEND:-fentry}" --no-track --engines iptables --proto udp \
    -H "$IP1" -N "$NSB"
in_ns a timeout 1 tftp -g -r f -l "$T_DIR/tftp.out" "$IP2" 9 > /dev/null 2>&1 || true
wait_out "hook=INPUT verdict=DROP"
wait_quiet 2
tracer_stop
expect_rc 0
expect_out "$(q "$IP1"):[0-9]+->$(q "$IP2"):9 +$F hook=INPUT verdict=DROP cost=[^]]*\] rule=INPUT#2: -A INPUT -p udp -m udp --dport 9 -j REJECT --reject-with icmp-port-unreachable$"
expect_no_out "hook=OUTPUT" "--proto udp: the ICMP error is not shown"
