# Every engine's events in JSON say what the text lines say: two instances of the tool, one with
# -o json, trace the same traffic (ebtables on a bridge, arptables, iptables with a rule in a
# user chain, nftables with --nft-trace); per event, skb, netns, engine, table, hook, verdict
# and the deciding rule must be the same set on both sides, and each engine must appear.
command -v jq > /dev/null || skip "jq is not in the initramfs (apt-get install jq)"
need_feature module_btf
IP1=10.46.0.1
IP2=10.46.0.2
bridge_pair a "$IP1" br b "$IP2"
in_ns br ebtables -P FORWARD ACCEPT
in_ns b arptables -A INPUT -s "$IP1" -j ACCEPT
cat > "$T_DIR/rules" <<RULES
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:CHK - [0:0]
-A INPUT -p icmp -j CHK
-A CHK -s $IP1 -p icmp --icmp-type echo-request -j DROP
COMMIT
RULES
in_ns b iptables-restore "$T_DIR/rules"
in_ns b nft -f - <<NFT
table inet t {
	chain in_c {
		type filter hook input priority -10; policy accept;
		udp dport 9 counter drop
	}
}
NFT
# table calls only (--no-drops): the drop lines are checked in text and JSON by 370
OPTS="-H $IP1 --nft-trace --no-drops"

JSON_OUT=$T_DIR/json.out
JSON_ERR=$T_DIR/json.err
/usr/bin/env --default-signal=INT "$TRACER" -o json $OPTS > "$JSON_OUT" 2> "$JSON_ERR" &
JSON_PID=$!
wait_until 30 grep -q '"Tracing' "$JSON_ERR" || die "JSON instance not ready: $(cat "$JSON_ERR")"
tracer_start $OPTS
in_ns a ping -c 1 -W 1 "$IP2" || true
for port in 9 10; do # UDP: nftables drops port 9; 10 passes both and has no listener
    in_ns a timeout 1 tftp -g -r f -l "$T_DIR/tftp.out" "$IP2" "$port" > /dev/null 2>&1 || true
done
wait_out "nftables=.*verdict=DROP"
wait_quiet 3
tracer_stop
expect_rc 0
kill -INT "$JSON_PID"
JSON_RC=0
wait "$JSON_PID" || JSON_RC=$?
[ "$JSON_RC" = 0 ] || fail "the JSON instance exited with status $JSON_RC: $(cat "$JSON_ERR")"

# One line per event: skb netns engine table hook verdict decider ("-" none, "?" unknown).
jq -r '"\(.skb) \(.netns) \(.engine) \(.table) \(.hook) \(.verdict.name) " +
    (if .rule.status == "not_tracked" then "-" elif .rule.status != "ok" then "?"
     elif .rule.kind == "policy" then .rule.chain + ":policy"
     elif .rule.handle != null then .rule.chain + "[handle \(.rule.handle)]"
     else .rule.chain + "#\(.rule.number)" end)' "$JSON_OUT" | sort > "$T_DIR/json.keys" ||
    fail "stdout of the JSON instance is not JSON lines: $(head -3 "$JSON_OUT")"
awk '
function field(re, skip) { return match($0, re) ? substr($0, RSTART + skip, RLENGTH - skip) : "" }
/^\[/ {
    skb = $2; gsub(/[][]/, "", skb); ns = $3; gsub(/[][]/, "", ns)
    engine = field("(iptables|nftables|arptables|ebtables)=\\[", 0); sub(/=\[$/, "", engine)
    table = field("[[ ]table=[^ ]*", 7); hook = field(" hook=[A-Z_]*", 6)
    verdict = field(" verdict=[A-Z]*", 9)
    rule = "-"
    if (index($0, " rule=")) {
        rule = substr($0, index($0, " rule=") + 6)
        if (substr(rule, 1, 1) == "?") rule = "?"
        if (index(rule, ": ")) rule = substr(rule, 1, index(rule, ": ") - 1)
        n = split(rule, parts, " > "); rule = parts[n]
        sub(/:policy .*/, ":policy", rule)
    }
    print skb, ns, engine, table, hook, verdict, rule
}' "$T_OUT" | sort > "$T_DIR/text.keys"

NSB=$(netns_inode b)
NSBR=$(netns_inode br)
for key in "$NSBR ebtables filter FORWARD ACCEPT -" "$NSB arptables filter INPUT ACCEPT INPUT#1" \
    "$NSB iptables filter INPUT DROP CHK#1" "$NSB nftables t INPUT DROP in_c\[handle [0-9]*\]" \
    "$NSB nftables t INPUT ACCEPT in_c:policy" "$NSB iptables filter INPUT ACCEPT INPUT:policy"; do
    grep -q "^0x[0-9a-f]* $key$" "$T_DIR/json.keys" ||
        fail "no JSON event '$key'; JSON events: $(cat "$T_DIR/json.keys")"
done
if ! cmp -s "$T_DIR/json.keys" "$T_DIR/text.keys"; then
    fail "JSON and text events differ: $(diff "$T_DIR/json.keys" "$T_DIR/text.keys")$(show_tracer)"
fi
echo "@@INFO $T_NAME $(wc -l < "$T_DIR/json.keys") events agree" > /dev/console
