# The candidate walk (IPv4, bpf_loop kernels) skips entries only by addresses and protocol and
# reuses a CPU's list for the same ruleset, hook and packet: inverted addresses, a protocol
# that differs, a jump, a goto, a MARK that continues, a LOG then DROP, each packet sent three
# times (the later ones reuse the list); then a rule inserted first (a new ruleset: a new list)
# takes over. The kernel's own counters are the oracle; --debug counts the walks.
# smoke
need_feature bpf_loop
IP1=10.3.13.1
IP2=10.3.13.2
IP3=10.3.13.3
netns_pair a "$IP1" b "$IP2"
ip -n a addr add "$IP3/24" dev v-b
cat > "$T_DIR/rules" <<RULES
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:CHK - [0:0]
:SVC - [0:0]
:LOGDROP - [0:0]
-A INPUT -s 10.3.13.9 -j DROP
-A INPUT ! -s $IP1 -p icmp -j DROP
-A INPUT -p udp -j ACCEPT
-A INPUT -p icmp -j CHK
-A INPUT -s $IP1 -j ACCEPT
-A CHK -s $IP1 -p icmp --icmp-type echo-request -g SVC
-A CHK -j RETURN
-A SVC -m comment --comment svc -j MARK --set-mark 7
-A SVC -d $IP2 -j LOGDROP
-A LOGDROP -j LOG --log-prefix candidate
-A LOGDROP -j DROP
COMMIT
RULES
in_ns b iptables-restore "$T_DIR/rules"
NSB=$(netns_inode b)
quiet_kernel_log

tracer_start --debug --engines iptables -H "$IP2" --proto icmp -N "$NSB"
for i in 1 2 3; do
    in_ns a ping -c 1 -W 1 "$IP2" || true
    in_ns a ping -c 1 -W 1 -I "$IP3" "$IP2" || true
done
in_ns b iptables -I INPUT -s "$IP1" -p icmp -j ACCEPT
for i in 1 2 3; do in_ns a ping -c 1 -W 1 "$IP2" || true; done
wait_out "I_reply:$(q "$IP2")->$(q "$IP1")"
wait_quiet 2
tracer_stop
restore_kernel_log

expect_rc 0
req() { echo "I_request:$(q "$1")->$(q "$IP2") +pkt_type=HOST iptables=\[pf=PF_INET, table=filter hook=INPUT verdict=$2 cost=[^]]*\]"; }
expect_count "$(req "$IP1" DROP) rule=INPUT#4 > CHK#1 > SVC#2 > LOGDROP#2: -A LOGDROP -j DROP$" 3 \
    "jump, goto, MARK, LOG then DROP"
expect_count "$(req "$IP3" DROP) rule=INPUT#2: -A INPUT ! -s 10\.3\.13\.1/32 -p icmp -j DROP$" 3 \
    "an inverted source"
expect_count "$(req "$IP1" ACCEPT) rule=INPUT#1: -A INPUT -s 10\.3\.13\.1/32 -p icmp -j ACCEPT$" 3 \
    "the rule inserted first: a new ruleset"
expect_count "hook=INPUT" 9
expect_no_out "rule=\?"
[ "$(ipt_pkts b filter LOGDROP 2)" = 3 ] || fail "kernel: LOGDROP#2 counted $(ipt_pkts b filter LOGDROP 2), not 3"
[ "$(ipt_pkts b filter INPUT 3)" = 3 ] || fail "kernel: INPUT#3 (was #2) counted $(ipt_pkts b filter INPUT 3), not 3"
[ "$(ipt_pkts b filter INPUT 1)" = 3 ] || fail "kernel: INPUT#1 counted $(ipt_pkts b filter INPUT 1), not 3"
expect_err "^debug: rule walks: [1-9][0-9]*, [0-9]+ ns each on average; candidate lists: [1-9][0-9]* walked, [1-9][0-9]* reused, 0 given up$"
# 9 requests and the 3 replies of the last pings, 4 kinds of call (ruleset, hook, addresses):
# every call walked a list or reused one (none fell back to the full walk), at most one walk
# per kind and CPU.
walked=$(sed -n 's/.*candidate lists: \([0-9]*\) walked, \([0-9]*\) reused.*/\1/p' "$T_ERR")
reused=$(sed -n 's/.*candidate lists: \([0-9]*\) walked, \([0-9]*\) reused.*/\2/p' "$T_ERR")
[ $((walked + reused)) -eq 12 ] || fail "lists walked $walked + reused $reused: not the 12 calls"
[ "$walked" -le 8 ] || fail "$walked lists walked for 4 kinds of call on 2 CPUs"
