# -o json with nftables and --nft-trace (305's ruleset): the drop in a regular chain reached by a
# jump has rule.handle, rule.chain, rule.text and the jump in rule.path; the policy accept after
# the returns is kind "policy"; the verdict of a 6.x nft drop (NF_STOLEN with EPERM) is named DROP
# with its raw value and reason; the --nft-trace table's notices are JSON on stderr.
need_feature module_btf # nftables (and ebtables) need their modules' types
command -v jq > /dev/null || skip "jq is not in the initramfs (apt-get install jq)"
IP1=10.35.2.1
IP2=10.35.2.2
IP3=10.35.2.3
netns_pair a "$IP1" b "$IP2"
ip -n a addr add "$IP3/24" dev v-b
cat > "$T_DIR/rules.nft" <<NFT
table inet mine {
    chain sub {
        meta l4proto tcp accept
        ip saddr $IP1 icmp type echo-request drop
    }
    chain in_c {
        type filter hook input priority -5; policy accept;
        ip saddr $IP1 counter jump sub
        ip saddr $IP3 counter jump sub
    }
}
NFT
in_ns b nft -f "$T_DIR/rules.nft"
NSB=$(netns_inode b)
handle() {
    /usr/sbin/ip netns exec b nft -a list chain inet mine "$1" | grep -F -- "$2" | sed -n 's/.* # handle \([0-9]*\)$/\1/p'
}
J1=$(handle in_c "saddr $IP1 ")
D=$(handle sub "icmp type echo-request drop")
[ -n "$J1" ] && [ -n "$D" ] || die "no rule handles in: $(/usr/sbin/ip netns exec b nft -a list ruleset)"

# --no-drops: every object is a table call here (drops: 374).
tracer_start --no-drops -o json --engines nftables --nft-trace --proto icmp -N "$NSB"
ping_from a "$IP2"
expect_cmd "ping from $IP3" in_ns a ping -c 1 -W 2 -I "$IP3" "$IP2"
wait_until 10 grep -q "\"saddr\":\"$IP3\"" "$T_OUT"
wait_quiet 2
tracer_stop
expect_rc 0

jq_expect() {
    _file=$1 _desc=$2 _filter=$3
    shift 3
    jq -e -s "$@" "$_filter" "$_file" > /dev/null && return 0
    fail "$_desc: jq -s '$_filter' is not true$(show_tracer)"
}

jq_expect "$T_OUT" "two table calls, both b's base chain" \
    'length == 2 and all(.[]; .type == "table_call" and .engine == "nftables" and
        .family == "inet" and .table == "mine" and .chain == "in_c" and .priority == -5 and
        .hook == "INPUT")'
jq_expect "$T_OUT" "the drop in sub, reached by a jump" '
    [.[] | select(.saddr == $ip1)] | length == 1 and (.[0] |
        .verdict == {"name": "DROP", "raw": 65538, "reason": "EPERM"} and
        .rule.status == "ok" and .rule.kind == "rule" and .rule.chain == "sub" and
        .rule.handle == $d and .rule.text == "ip saddr \($ip1) icmp type echo-request drop" and
        (.rule | has("number") | not) and
        .rule.path == [{"kind": "rule", "chain": "in_c", "handle": $j1,
                        "text": "ip saddr \($ip1) counter jump sub"}])' \
    --arg ip1 "$IP1" --argjson d "$D" --argjson j1 "$J1"
jq_expect "$T_OUT" "the policy accept after the returns" '
    [.[] | select(.saddr == $ip3)] | length == 1 and (.[0] |
        .verdict == {"name": "ACCEPT", "raw": 1, "reason": null} and .rule.status == "ok" and
        .rule.kind == "policy" and .rule.chain == "in_c" and .rule.text == "accept" and
        .rule.path == [])' --arg ip3 "$IP3"
jq_expect "$T_ERR" "every stderr line is a JSON object" 'all(.[]; type == "object")'
jq_expect "$T_ERR" "the trace table added and removed, as notices" '
    any(.[]; .type == "notice" and (.message | startswith("Added table inet skbtracer_iptables_trace_"))) and
    any(.[]; .type == "notice" and (.message | test("^Removed table inet skbtracer_iptables_trace_[0-9]+$")))'
