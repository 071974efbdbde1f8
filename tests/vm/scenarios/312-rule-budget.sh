# --rules-budget: a ping every 10 ms through b's 3,000-rule filter table with --rules-budget 1
# (10 ms of counter walks per CPU and second; a walk of 3,000 entries takes about 0.7 ms under
# TCG). Every filler rule may match an ICMP packet (an ICMP type match), so the candidate walk
# keeps too many and each call takes the full walk. Some calls name their rule, the rest say
# rule=?(budget: ...), never a wrong rule; the exit line counts exactly the calls shown without
# one.
IP1=10.3.12.1
IP2=10.3.12.2
netns_pair a "$IP1" b "$IP2"
filler_ruleset 2998 "$IP1" "-p icmp -m icmp --icmp-type 13 -j DROP" > "$T_DIR/rules"
in_ns b iptables-legacy-restore "$T_DIR/rules"
NSB=$(netns_inode b)

tracer_start --no-drops --no-track --engines iptables --proto icmp -H "$IP1" -N "$NSB" --rules-budget 1
/usr/sbin/ip netns exec a ping -q -i 0.01 -w 4 "$IP2" > /dev/null 2>&1 || true
wait_quiet 5
tracer_stop
expect_rc 0

C="iptables=\[pf=PF_INET, table=filter hook"
events=$(grep -c "iptables=\[" "$T_OUT" || true)
named=$(grep -Ec "I_request:.* $C=INPUT verdict=ACCEPT .* rule=INPUT#2999: -A INPUT -s $(q "$IP1")/32 -p icmp -j ACCEPT\$|I_reply:.* $C=OUTPUT verdict=ACCEPT .* rule=OUTPUT:policy ACCEPT\$" "$T_OUT" || true)
budget=$(grep -c " rule=?(budget: naming rules used this CPU's --rules-budget for this second)$" "$T_OUT" || true)
counted=$(sed -n 's/^Rules: \([0-9]*\) table calls shown without the rule that decided: .*--rules-budget.*/\1/p' "$T_ERR")
log "$events events: $named named, $budget over the budget; the exit line counts ${counted:-none}"
echo "@@INFO $T_NAME events=$events named=$named budget=$budget counted=${counted:-none}" > /dev/console
[ "$events" -ge 300 ] || fail "only $events events traced$(show_tracer)"
[ "$named" -gt 0 ] || fail "no call named its rule within the budget$(show_tracer)"
[ "$budget" -gt 0 ] || fail "no call said rule=?(budget: ...)$(show_tracer)"
[ $((named + budget)) -eq "$events" ] || fail "events with a wrong rule or another reason:
$(grep "iptables=\[" "$T_OUT" | grep -v "rule=?(budget" | grep -v "rule=INPUT#2999\|rule=OUTPUT:policy" | head -n 10)$(show_tracer)"
[ "${counted:-0}" = "$budget" ] || fail "the exit line counts ${counted:-none}, $budget lines say budget$(show_tracer)"
