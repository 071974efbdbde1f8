# -o json's messages on stderr: 111's overrun (the reader stopped while 1000 pings make 16000
# table calls) with every stderr line a JSON object: the start notice, {"type":"lost"} while
# running, and the end object whose events + lost.total are the table calls iptables counted.
command -v jq > /dev/null || skip "jq is not in the initramfs (apt-get install jq)"
IP1=10.34.5.1
IP2=10.34.5.2
PINGS=1000
netns_pair n345a "$IP1" n345b "$IP2"
for ns in n345a n345b; do ipt_tables "$ns" raw mangle filter; done

# table_calls: the packets counted by every chain policy (no rules: one count per table call).
table_calls() {
    for ns in n345a n345b; do
        for t in raw mangle filter; do
            /usr/sbin/ip netns exec "$ns" iptables -t "$t" -L -v -x -n
        done
    done | awk '/^Chain .*policy/ { n += $5 } END { print n + 0 }'
}

# jq_expect FILE DESCRIPTION FILTER [jq args]: FILTER, over FILE's lines as one array, is true.
jq_expect() {
    _file=$1 _desc=$2 _filter=$3
    shift 3
    jq -e -s "$@" "$_filter" "$_file" > /dev/null && return 0
    fail "$_desc: jq -s '$_filter' is not true$(show_tracer)"
}

# --no-drops: the sums below are of table calls (the replies' NO_SOCKET drops would add)
tracer_start -o json --engines iptables --proto icmp -H "$IP1" --no-drops
kill -STOP "$T_PID"
expect_cmd "$PINGS pings" in_ns n345a ping -A -q -c "$PINGS" -W 2 "$IP2"
kill -CONT "$T_PID"
wait_quiet 30
tracer_stop
expect_rc 0
GENERATED=$(table_calls)
[ "$GENERATED" -eq $((16 * PINGS)) ] || fail "iptables counted $GENERATED table calls, expected $((16 * PINGS))"

jq_expect "$T_ERR" "every stderr line is a JSON object of schema 1 with a type" \
    'all(.[]; type == "object" and .schema_version == 1 and (.type | type == "string"))'
jq_expect "$T_ERR" "the start notice" \
    'any(.[]; .type == "notice" and .message == "Tracing... Hit Ctrl-C to end.")'
jq_expect "$T_ERR" "lost events reported while running" \
    'any(.[]; .type == "lost" and .ring_full > 0 and .total >= .ring_full)'
jq_expect "$T_ERR" "the end object: printed + lost = the table calls" '
    [.[] | select(.type == "end")] | length == 1 and (.[0] |
        .events == $printed and .lost.total > 0 and .events + .lost.total == $generated)' \
    --argjson printed "$(wc -l < "$T_OUT")" --argjson generated "$GENERATED"
jq_expect "$T_OUT" "stdout: table calls only" 'all(.[]; .type == "table_call")'
echo "@@INFO $T_NAME $(grep -m1 '"type":"lost"' "$T_ERR") $(grep '"type":"end"' "$T_ERR")" > /dev/console
