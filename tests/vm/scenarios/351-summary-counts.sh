# --summary counts what was sent: ping -c N per source, each decided by one rule, and the
# summary's row for that rule says N (text blocks when stdout is not a terminal; -o json too).
IP1=10.35.1.1
IP2=10.35.1.2
IP3=10.35.1.3
IP4=10.35.1.4
netns_pair a "$IP1" b "$IP2"
for ip in "$IP3" "$IP4"; do ip -n a addr add "$ip/24" dev v-b; done
cat > "$T_DIR/rules" <<RULES
*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -s $IP1 -p icmp -j DROP
-A INPUT -s $IP3 -p icmp -j ACCEPT
COMMIT
RULES
in_ns b iptables-restore "$T_DIR/rules"
NSB=$(netns_inode b)

send() {
    in_ns a ping -c 3 -W 1 -I "$IP1" "$IP2" || true
    in_ns a ping -c 4 -W 1 -I "$IP3" "$IP2" || true
    in_ns a ping -c 2 -W 1 -I "$IP4" "$IP2" || true
}

tracer_start --summary 1 --engines iptables --proto icmp -N "$NSB"
send
sleep 2
tracer_stop
expect_rc 0
# The last block (printed at exit): 3 + 4 + 2 requests at INPUT, 4 replies at OUTPUT.
awk -v RS= 'END { print }' "$T_OUT" > "$T_DIR/last"
sed "s/^/@@INFO $T_NAME | /" "$T_DIR/last" > /dev/console
row() { echo "^ +$1 +[0-9.]+ +iptables +filter +$2 +$3$"; }
grep -Eq "^13 events in [0-9.]+ s, 0 lost, 0 without a named rule$" "$T_DIR/last" ||
    fail "summary totals$(cat "$T_DIR/last")$(show_tracer)"
for want in "$(row 3 DROP "INPUT#1: -A INPUT -s $(q "$IP1")/32 -p icmp -j DROP")" \
    "$(row 4 ACCEPT "INPUT#2: -A INPUT -s $(q "$IP3")/32 -p icmp -j ACCEPT")" \
    "$(row 2 DROP "INPUT:policy DROP")" "$(row 4 ACCEPT "OUTPUT:policy ACCEPT")"; do
    grep -Eq -- "$want" "$T_DIR/last" || fail "no summary row /$want/$(cat "$T_DIR/last")$(show_tracer)"
done
grep -Eq "^ +5 +[0-9.]+ +iptables +ip +filter +- +INPUT +DROP$" "$T_DIR/last" ||
    fail "5 drops at INPUT$(show_tracer)"
grep -Eq "^ +4 +[0-9.]+ +iptables +ip +filter +- +INPUT +ACCEPT$" "$T_DIR/last" ||
    fail "4 accepts at INPUT$(show_tracer)"
# Drop rules first: the first rule row is a DROP.
awk '/DECIDING RULE/ { getline; print; exit }' "$T_DIR/last" | grep -q " DROP " ||
    fail "drop rules are not listed first$(show_tracer)"
[ "$(grep -Ec '^[0-9]+ events in ' "$T_OUT")" -ge 2 ] ||
    fail "expected a refresh before the final block$(show_tracer)"
expect_no_out $'\033' "no ANSI clearing when stdout is not a terminal"

if command -v jq > /dev/null; then
    tracer_start --summary=1 -o json --engines iptables --proto icmp -N "$NSB"
    send
    sleep 2
    tracer_stop
    expect_rc 0
    tail -n 1 "$T_OUT" > "$T_DIR/last.json"
    jq -e --arg ip1 "$IP1" --arg ip3 "$IP3" '
        .type == "summary" and .events == 13 and .lost.total == 0 and
        ([.rules[] | select(.rule.kind == "rule" and .rule.chain == "INPUT")
          | {n: .rule.number, count, verdict}] ==
         [{n: 1, count: 3, verdict: "DROP"}, {n: 2, count: 4, verdict: "ACCEPT"}]) and
        ([.rules[] | select(.rule.kind == "policy") | {chain: .rule.chain, count}]
         | sort_by(.chain) == [{chain: "INPUT", count: 2}, {chain: "OUTPUT", count: 4}]) and
        (.rules[0].verdict == "DROP") and
        ([.tables[] | select(.hook == "INPUT" and .verdict == "DROP")][0].count == 5)' \
        "$T_DIR/last.json" > /dev/null ||
        fail "JSON summary counts$(cat "$T_DIR/last.json")$(show_tracer)"
    jq -e -s 'all(.[]; .type == "summary")' "$T_OUT" > /dev/null ||
        fail "every stdout line is a summary object$(show_tracer)"
else
    log "jq is not in the initramfs: the JSON summary is not checked"
fi
