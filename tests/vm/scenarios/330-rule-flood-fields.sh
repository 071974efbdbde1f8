# Floods on both CPUs with fentry through b's filter table made slow to walk (1,500 entries in
# an unused chain), both veth ends delayed by netem: packets leave from a timer interrupt, whose
# softirq often interrupts an exit's counter walk on that CPU. Every line must be whole and
# its own: b's netns, v-a, 84 bytes, a cost above zero, the addresses, hook and rule that belong
# together (or rule=?(...)). A reused call slot showed another packet's fields or
# "verdict=DROP cost=0ns".
need_feature module_btf # fentry; 310 floods with kprobes
IP1=10.3.30.1
IP2=10.3.30.2
IP3=10.3.30.3
netns_pair a "$IP1" b "$IP2"
ip -n a addr add "$IP3/24" dev v-b
if command -v tc > /dev/null && modprobe sch_netem 2> /dev/null; then
    in_ns a tc qdisc add dev v-b root netem delay 1ms
    in_ns b tc qdisc add dev v-a root netem delay 1ms
else
    log "no tc or sch_netem: softirqs from the flood only"
fi
{
    echo "*filter"
    echo ":INPUT ACCEPT [0:0]"
    echo ":FORWARD ACCEPT [0:0]"
    echo ":OUTPUT ACCEPT [0:0]"
    echo ":FROM3 - [0:0]"
    echo ":BIG - [0:0]"
    echo "-A INPUT -s 10.3.30.9/32 -j ACCEPT"
    echo "-A INPUT -s $IP1/32 -p icmp -j ACCEPT"
    echo "-A INPUT -s $IP3/32 -p icmp -j FROM3"
    echo "-A FROM3 -p udp -j DROP"
    echo "-A FROM3 -p icmp -m icmp --icmp-type 8 -j ACCEPT"
    echo "-A OUTPUT -d $IP1/32 -j ACCEPT"
    echo "-A OUTPUT -d $IP3/32 -p icmp -j ACCEPT"
    i=0
    while [ $i -lt 1500 ]; do echo "-A BIG -s 10.4.$((i / 250)).$((i % 250 + 1))/32 -j DROP"; i=$((i + 1)); done
    echo "COMMIT"
} > "$T_DIR/rules"
in_ns b iptables-legacy-restore "$T_DIR/rules"
NSB=$(netns_inode b)
[ "$(nproc)" -ge 2 ] || skip "one CPU"

# --no-drops: events are compared with the table calls iptables counted.
# --rules-budget 100: walks under TCG are slow enough for the default 5% to leave most of the
# flood unnamed (312 tests the budget); here every call is walked.
tracer_start --no-drops --backend fentry --engines iptables --proto icmp -N "$NSB" --rules-budget 100
flood() { # NS CPU SRC DEST
    /usr/sbin/ip netns exec "$1" taskset -c "$2" ping -A -w 4 -q -I "$3" "$4" > "$T_DIR/ping.$1.$2" 2>&1 &
    echo $! > "$T_DIR/ping.$1.$2.pid"
}
flood a 0 "$IP1" "$IP2"
flood a 1 "$IP3" "$IP2"
flood b 1 "$IP2" "$IP1"
flood b 0 "$IP2" "$IP3"
for f in a.0 a.1 b.0 b.1; do wait "$(cat "$T_DIR/ping.$f.pid")" || true; done
wait_quiet 3
tracer_stop
expect_rc 0

# line KIND SRC DEST HOOK RULE: the whole line of one kind of packet.
line() {
    echo "^\[[^]]*\] \[0x[0-9a-f]+\] \[$NSB\] +[0-9]+ +[01] +v-a +[^ ]+ +84 +I_$1:$(q "$2")->$(q "$3") +pkt_type=HOST iptables=\[pf=PF_INET, table=filter hook=$4 verdict=ACCEPT cost=([1-9][0-9.]*|0\.[0-9]*[1-9][0-9]*)(ns|us|ms)\] rule=($5|\?\([^)]+\))\$"
}
in1="INPUT#2: -A INPUT -s $(q "$IP1")/32 -p icmp -j ACCEPT"
in3="INPUT#3 > FROM3#2: -A FROM3 -p icmp -m icmp --icmp-type 8 -j ACCEPT"
out1="OUTPUT#1: -A OUTPUT -d $(q "$IP1")/32 -j ACCEPT"
out3="OUTPUT#2: -A OUTPUT -d $(q "$IP3")/32 -p icmp -j ACCEPT"
cat > "$T_DIR/good" <<GOOD
$(line request "$IP1" "$IP2" INPUT "$in1")
$(line reply "$IP1" "$IP2" INPUT "$in1")
$(line request "$IP3" "$IP2" INPUT "$in3")
$(line reply "$IP3" "$IP2" INPUT "INPUT:policy ACCEPT")
$(line request "$IP2" "$IP1" OUTPUT "$out1")
$(line reply "$IP2" "$IP1" OUTPUT "$out1")
$(line request "$IP2" "$IP3" OUTPUT "$out3")
$(line reply "$IP2" "$IP3" OUTPUT "$out3")
GOOD
events=$(grep -c "iptables=\[" "$T_OUT" || true)
whole=$(grep -Ecf "$T_DIR/good" "$T_OUT" || true)
named=$(grep "iptables=\[" "$T_OUT" | grep -c " rule=[^?]" || true)
log "flood: $events events, $whole whole and right, $named with a rule named"
echo "@@INFO $T_NAME events=$events whole=$whole named=$named stderr: $(grep -E "^([0-9]+ events|Lost|Not seen|Missed)" "$T_ERR" | tr "\n" ";")" > /dev/console
log "reasons: $(grep -Eo 'rule=\?\(.*\)$' "$T_OUT" | sort | uniq -c | tr '\n' ';')"
[ "$events" -ge 200 ] || fail "only $events events traced$(show_tracer)"
[ "$whole" -eq "$events" ] || fail "lines that are not whole or not their own packet's:
$(grep "iptables=\[" "$T_OUT" | grep -Evf "$T_DIR/good" | head -n 20)$(show_tracer)"
[ "$named" -gt $((events / 2)) ] || fail "most lines should name their rule"
