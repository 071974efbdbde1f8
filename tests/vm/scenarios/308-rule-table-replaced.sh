# A ruleset replaced while tracing (iptables-legacy-restore): generations A (rule 2 accepts,
# comment gen-a) and B (same size, rule 2 drops, comment gen-b). Each event names its own
# generation's rule, never the other's: one ping after each of the loads a b b a a b b a, then
# pings during back-to-back replacements, where the verdict tells the generation and
# rule=?(...) is allowed.
IP1=10.3.8.1
IP2=10.3.8.2
netns_pair a "$IP1" b "$IP2"
for gen in a b; do
    verdict=ACCEPT
    [ "$gen" = a ] || verdict=DROP
    cat > "$T_DIR/gen-$gen" <<RULES
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -s 10.3.8.9/32 -j ACCEPT
-A INPUT -s $IP1/32 -p icmp -m comment --comment gen-$gen -j $verdict
COMMIT
RULES
done
in_ns b iptables-legacy-restore "$T_DIR/gen-a"
NSB=$(netns_inode b)
EV="I_request:$(q "$IP1")->$(q "$IP2") +pkt_type=HOST iptables=\[pf=PF_INET, table=filter hook=INPUT"
RULE_A="rule=INPUT#2: -A INPUT -s 10\.3\.8\.1/32 -p icmp -m comment --comment gen-a -j ACCEPT$"
RULE_B="rule=INPUT#2: -A INPUT -s 10\.3\.8\.1/32 -p icmp -m comment --comment gen-b -j DROP$"

# One ping per step, each after its generation was loaded (and the previous one freed): a kernel
# may put a new ruleset where a freed one was, so a repeated generation (b, b) must not be
# taken for the table seen before at that address.
tracer_start --engines iptables --proto icmp -N "$NSB" -H "$IP1"
traced() { [ "$(grep -Ec "$EV" "$T_OUT")" -ge "$1" ]; }
step=0
for gen in a b b a a b b a; do
    step=$((step + 1))
    [ "$step" = 1 ] || in_ns b iptables-legacy-restore "$T_DIR/gen-$gen"
    in_ns a ping -c 1 -W 1 "$IP2" > /dev/null || true
    wait_until 10 traced "$step" || log "step $step: no event after 10 s"
    # Diagnosis: the generation the tool keeps for each table (the xt_table_info address).
    log "step $step gen-$gen: $(bpftool map show | sed -n 's/^\([0-9]*\): hash  name table_gen.*/\1/p' |
        while read -r id; do bpftool map dump id "$id"; done | grep -i 'value' | tr -s ' \n' ' ')"
done
wait_quiet 2
tracer_stop
expect_rc 0
expect_count "$EV" 8 "one request per step"
step=0
for gen in a b b a a b b a; do
    step=$((step + 1))
    line=$(grep -E "$EV" "$T_OUT" | sed -n "${step}p")
    if [ "$gen" = a ]; then want="verdict=ACCEPT cost=[^]]*\] $RULE_A"; else want="verdict=DROP cost=[^]]*\] $RULE_B"; fi
    echo "$line" | grep -Eq "$want" || fail "step $step (gen-$gen loaded): expected /$want/, got: $line$(show_tracer)"
done

# Replacements back to back while pings run; gen-a accepts, gen-b drops.
tracer_start --engines iptables --proto icmp -N "$NSB" -H "$IP1"
in_ns a ping -c 30 -i 0.1 -W 1 -q "$IP2" > /dev/null 2>&1 &
echo $! > "$T_DIR/ping.pid"
n=0
while kill -0 "$(cat "$T_DIR/ping.pid")" 2>/dev/null && [ "$n" -lt 200 ]; do
    /usr/sbin/ip netns exec b iptables-legacy-restore "$T_DIR/gen-b"
    /usr/sbin/ip netns exec b iptables-legacy-restore "$T_DIR/gen-a"
    n=$((n + 1))
done
log "$n pairs of replacements"
wait "$(cat "$T_DIR/ping.pid")" || true
wait_quiet 2
tracer_stop
expect_rc 0
total=$(grep -Ec "$EV" "$T_OUT" || true)
a_ok=$(grep -Ec "$EV verdict=ACCEPT cost=[^]]*\] $RULE_A" "$T_OUT" || true)
b_ok=$(grep -Ec "$EV verdict=DROP cost=[^]]*\] $RULE_B" "$T_OUT" || true)
unsure=$(grep -Ec "$EV verdict=(ACCEPT|DROP) cost=[^]]*\] rule=\?\(.+\)$" "$T_OUT" || true)
log "during replacements: $total requests: $a_ok gen-a, $b_ok gen-b, $unsure rule=?"
log "reasons: $(grep -Eo 'rule=\?\(.*\)$' "$T_OUT" | sort | uniq -c | tr '\n' ';')"
[ "$total" -ge 15 ] || fail "only $total requests traced$(show_tracer)"
[ $((a_ok + b_ok + unsure)) -eq "$total" ] ||
    fail "events naming the other generation's rule (or nothing):
$(grep -E "$EV" "$T_OUT" | grep -Ev "verdict=ACCEPT cost=[^]]*\] $RULE_A|verdict=DROP cost=[^]]*\] $RULE_B|rule=\?\(.+\)$" | head -n 20)$(show_tracer)"
expect_no_out "verdict=ACCEPT .*gen-b|verdict=DROP .*gen-a" "a verdict with the other generation's rule"
