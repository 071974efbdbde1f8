# Floods on both CPUs (ping -A pinned with taskset, to and from b) through b's multi-rule filter
# table with a user chain: every attributed event names the rule that must have matched that
# packet (by addresses, ICMP type and hook); the rest say rule=?(...). Both are counted.
# FLOOD_BACKEND chooses the backend (fentry by default, kprobe without module BTF; 310 runs it
# with kprobe).
IP1=10.3.9.1
IP2=10.3.9.2
IP3=10.3.9.3
netns_pair a "$IP1" b "$IP2"
ip -n a addr add "$IP3/24" dev v-b
cat > "$T_DIR/rules" <<RULES
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:FROM3 - [0:0]
-A INPUT -s 10.3.9.9/32 -j ACCEPT
-A INPUT -p tcp -j ACCEPT
-A INPUT -s $IP1/32 -p icmp -j ACCEPT
-A INPUT -s $IP3/32 -p icmp -j FROM3
-A FROM3 -p udp -j DROP
-A FROM3 -p icmp -m icmp --icmp-type 8 -j ACCEPT
-A OUTPUT -d 10.3.9.9/32 -j ACCEPT
-A OUTPUT -d $IP1/32 -j ACCEPT
-A OUTPUT -d $IP3/32 -p icmp -j ACCEPT
COMMIT
RULES
in_ns b iptables-legacy-restore "$T_DIR/rules"
NSB=$(netns_inode b)
[ "$(nproc)" -ge 2 ] || skip "one CPU"

# --no-drops: events are compared with the table calls iptables counted.
tracer_start --no-drops --backend "${FLOOD_BACKEND:-$(backends | cut -d" " -f1)}" --engines iptables --proto icmp -N "$NSB"
# Four ping -A flows, two per CPU: a's two addresses ping b (b's table runs in softirq) and b
# pings a's two addresses (b's OUTPUT runs in process context, where softirqs can interrupt).
flood() { # NS CPU SRC DEST
    /usr/sbin/ip netns exec "$1" taskset -c "$2" ping -A -w 3 -q -I "$3" "$4" > "$T_DIR/ping.$1.$2" 2>&1 &
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
for f in a.0 a.1 b.0 b.1; do log "ping $f: $(grep transmitted "$T_DIR/ping.$f")"; done

C="iptables=\[pf=PF_INET, table=filter hook"
# ev KIND SRC DEST HOOK: an accepted packet, up to "rule=".
ev() { echo "I_$1:$(q "$2")->$(q "$3") .* $C=$4 verdict=ACCEPT cost=[^]]*\] rule="; }
# One pattern per kind of packet: the rule that must have decided it.
cat > "$T_DIR/good" <<GOOD
$(ev request "$IP1" "$IP2" INPUT)INPUT#3: -A INPUT -s $(q "$IP1")/32 -p icmp -j ACCEPT\$
$(ev reply "$IP1" "$IP2" INPUT)INPUT#3: -A INPUT -s $(q "$IP1")/32 -p icmp -j ACCEPT\$
$(ev request "$IP3" "$IP2" INPUT)INPUT#4 > FROM3#2: -A FROM3 -p icmp -m icmp --icmp-type 8 -j ACCEPT\$
$(ev reply "$IP3" "$IP2" INPUT)INPUT:policy ACCEPT\$
$(ev request "$IP2" "$IP1" OUTPUT)OUTPUT#2: -A OUTPUT -d $(q "$IP1")/32 -j ACCEPT\$
$(ev reply "$IP2" "$IP1" OUTPUT)OUTPUT#2: -A OUTPUT -d $(q "$IP1")/32 -j ACCEPT\$
$(ev request "$IP2" "$IP3" OUTPUT)OUTPUT#3: -A OUTPUT -d $(q "$IP3")/32 -p icmp -j ACCEPT\$
$(ev reply "$IP2" "$IP3" OUTPUT)OUTPUT#3: -A OUTPUT -d $(q "$IP3")/32 -p icmp -j ACCEPT\$
GOOD
good=$(paste -s -d '|' "$T_DIR/good")
kinds=
while read -r pattern; do
    n=$(grep -Ec -- "$pattern" "$T_OUT" || true)
    kinds="$kinds $n"
    [ "$n" -gt 0 ] || fail "no attributed event matching /$pattern/$(show_tracer)"
done < "$T_DIR/good"
log "attributed per kind of packet:$kinds"
unsure="I_(request|reply):.* $C=(INPUT|OUTPUT) verdict=ACCEPT cost=[^]]*\] rule=\?\(.+\)$"
events=$(grep -c "iptables=\[" "$T_OUT" || true)
right=$(grep -Ec "$good" "$T_OUT" || true)
nrule=$(grep -Ec "$unsure" "$T_OUT" || true)
cpus=$(grep "iptables=\[" "$T_OUT" | awk '{ print "cpu" $5 }' | sort | uniq -c | tr -s ' \n' ' ')
log "flood: $events events ($cpus): $right attributed, $nrule rule=?"
log "reasons: $(grep -Eo 'rule=\?\(.*\)$' "$T_OUT" | sort | uniq -c | tr '\n' ';')"
echo "@@FLOOD $T_NAME events=$events attributed=$right uncertain=$nrule per-kind=[$kinds ] [$cpus] $(grep -Eo 'rule=\?\(.*\)$' "$T_OUT" | sort | uniq -c | tr -s ' \n' ' ')" > /dev/console
[ "$events" -ge 200 ] || fail "only $events events traced$(show_tracer)"
[ $((right + nrule)) -eq "$events" ] || fail "events with a wrong or no rule:
$(grep "iptables=\[" "$T_OUT" | grep -Ev "$good|$unsure" | head -n 20)$(show_tracer)"
for cpu in 0 1; do
    grep -Eq "^\[[^]]*\] \[[^]]*\] \[$NSB\] +[0-9]+ +$cpu .*($good)" "$T_OUT" || fail "no attributed event on CPU $cpu$(show_tracer)"
done
