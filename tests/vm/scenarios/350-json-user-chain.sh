# -o json on 301's traffic: every stdout and stderr line is a JSON object jq accepts, and the
# fields say what the text says: an INPUT drop by a rule in a user chain (engine, table, hook,
# verdict, rule.chain, rule.number, rule.text, the jump in rule.path, -v's matched steps), a
# policy drop after the chain's implicit return, and the end object counting the events.
command -v jq > /dev/null || skip "jq is not in the initramfs (apt-get install jq)"
IP1=10.35.0.1
IP2=10.35.0.2
IP4=10.35.0.4
netns_pair a "$IP1" b "$IP2"
ip -n a addr add "$IP4/24" dev v-b
cat > "$T_DIR/rules" <<RULES
*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:CHK - [0:0]
-A INPUT -p tcp -j ACCEPT
-A INPUT -p icmp -j CHK
-A CHK -p udp -j DROP
-A CHK -s $IP1 -p icmp -m comment --comment "say \"no\"\\\\" --icmp-type echo-request -j DROP
COMMIT
RULES
in_ns b iptables-restore "$T_DIR/rules"
NSB=$(netns_inode b)

# --no-drops: every object is a table call here (drops: 370-372).
tracer_start --no-drops -o json -v --engines iptables --proto icmp -N "$NSB"
for ip in "$IP1" "$IP4"; do in_ns a ping -c 1 -W 1 -I "$ip" "$IP2" || true; done
wait_until 10 grep -q "\"saddr\":\"$IP4\"" "$T_OUT"
wait_quiet 2
tracer_stop
expect_rc 0

# jq_expect FILE DESCRIPTION FILTER [jq args]: FILTER, over FILE's lines as one array, is true.
jq_expect() {
    _file=$1 _desc=$2 _filter=$3
    shift 3
    jq -e -s "$@" "$_filter" "$_file" > /dev/null && return 0
    fail "$_desc: jq -s '$_filter' is not true$(show_tracer)"
}

jq_expect "$T_OUT" "every stdout line is a table call of schema 1" \
    'length == 2 and all(.[]; .schema_version == 1 and .type == "table_call")'

DROP_TEXT="-A CHK -s $IP1/32 -p icmp -m comment --comment \"say \\\"no\\\"\\\\\" -m icmp --icmp-type 8 -j DROP"
jq_expect "$T_OUT" "the drop in the user chain, field by field" '
    [.[] | select(.saddr == $ip1)] | length == 1 and (.[0] |
        .engine == "iptables" and .family == "ip" and .table == "filter" and .hook == "INPUT" and
        .verdict.name == "DROP" and .verdict.raw == 0 and .verdict.reason == null and
        .netns == $ns and .in_interface == "v-a" and .out_interface == null and
        .daddr == $ip2 and .protocol == 1 and .icmp_type == 8 and .ip_len == 84 and
        .pkt_type == "HOST" and (.skb | test("^0x[0-9a-f]{16}$")) and .cost_ns > 0 and
        .rule.status == "ok" and .rule.kind == "rule" and .rule.chain == "CHK" and
        .rule.number == 2 and .rule.text == $text and
        .rule.path == [{"kind": "rule", "chain": "INPUT", "number": 2,
                        "text": "-A INPUT -p icmp -j CHK"}] and
        (.rule.matched | length == 2 and .[1].text == $text))' \
    --arg ip1 "$IP1" --arg ip2 "$IP2" --argjson ns "$NSB" --arg text "$DROP_TEXT"
jq_expect "$T_OUT" "the policy drop after CHK's implicit return" '
    [.[] | select(.saddr == $ip4)] | length == 1 and (.[0] |
        .verdict.name == "DROP" and .rule.status == "ok" and .rule.kind == "policy" and
        .rule.chain == "INPUT" and .rule.text == "DROP" and .rule.path == [] and
        ([.rule.matched[] | .kind] == ["rule", "return", "policy"]) and
        .rule.matched[1].chain == "CHK")' --arg ip4 "$IP4"

echo "@@INFO $T_NAME $(jq -c '{saddr, hook, v: .verdict.name, rule: .rule.text}' "$T_OUT")" > /dev/console

# Without -v (which adds libbpf's log), every stderr line is a JSON object too.
tracer_start --no-drops -o json --engines iptables --proto icmp -N "$NSB"
in_ns a ping -c 1 -W 1 -I "$IP1" "$IP2" || true
wait_until 10 grep -q "\"saddr\":\"$IP1\"" "$T_OUT"
wait_quiet 2
tracer_stop
expect_rc 0
jq_expect "$T_ERR" "every stderr line is a JSON object" 'length >= 3 and all(.[]; type == "object")'
jq_expect "$T_ERR" "the start notice" \
    'any(.[]; .type == "notice" and .message == "Tracing... Hit Ctrl-C to end.")'
jq_expect "$T_ERR" "the end object counts the events" \
    '[.[] | select(.type == "end")] | length == 1 and .[0].events == 1 and .[0].lost.total == 0'
jq_expect "$T_OUT" "without -v the rule has no matched list" \
    'length == 1 and .[0].rule.chain == "CHK" and .[0].rule.number == 2 and (.[0].rule | has("matched") | not)'

# The same traffic in text mode names the same rule (the renderers share the record).
tracer_start -v --engines iptables --proto icmp -N "$NSB"
in_ns a ping -c 1 -W 1 -I "$IP1" "$IP2" || true
wait_out "I_request:$(q "$IP1")"
wait_quiet 2
tracer_stop
expect_rc 0
expect_out "hook=INPUT verdict=DROP cost=[^]]*\] rule=INPUT#2 > CHK#2: $(q "$DROP_TEXT")$"
