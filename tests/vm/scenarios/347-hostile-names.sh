# Names and text from whoever runs a namespace reach the text output without control bytes:
# an interface renamed with ESC (the kernel allows it), an iptables comment with an escape
# sequence and one with a newline (iptables-save writes it as it is: the rule goes on on the
# next line), an nftables chain whose name holds ESC (nft -j), and a table name longer than a
# drop line's 31 bytes, which is then shown cut with "...". JSON keeps the names whole.
need_feature module_btf # nftables
command -v jq > /dev/null || skip "jq is not in the initramfs (apt-get install jq)"
ESC=$(printf '\033')
IP1=10.34.7.1
IP2=10.34.7.2
IP3=10.34.7.3
netns_pair a "$IP1" b "$IP2"
ip -n a addr add "$IP3/24" dev v-b
HIF=$(printf '\033[41mIF')
ip -n b link set v-a down
ip -n b link set v-a name "$HIF" || die "the kernel refused the interface name"
ip -n b link set "$HIF" up
in_ns b iptables -A INPUT -s "$IP1" -p icmp -m comment --comment "$(printf 'x \033[31mRED')" -j DROP
in_ns b iptables -A INPUT -s "$IP3" -p icmp -m comment --comment "$(printf 'first\nsecond')" -j DROP
NSB=$(netns_inode b)

tracer_start -v --engines iptables --proto icmp -N "$NSB"
ping_from a "$IP2"
in_ns a ping -c 1 -W 1 -I "$IP3" "$IP2" || true
wait_out "$(q "$IP3")->"
wait_quiet 2
tracer_stop
expect_rc 0
grep -q "$ESC" "$T_OUT" && fail "an ESC byte reached the text output$(show_tracer)"
expect_out '\\x1b\[41mIF .*I_request:.*table=filter hook=INPUT verdict=DROP.* rule=INPUT#1: -A INPUT -s 10\.34\.7\.1/32 -p icmp -m comment --comment "x \\x1b\[31mRED" -j DROP$'
expect_out 'rule=INPUT#2: -A INPUT -s 10\.34\.7\.3/32 -p icmp -m comment --comment "first\\x0asecond" -j DROP$'
expect_out '^    matched INPUT#2: .*"first\\x0asecond" -j DROP$'

tracer_start -o json --engines iptables --proto icmp -N "$NSB"
ping_from a "$IP2"
wait_out "\"saddr\":\"$IP1\""
wait_quiet 2
tracer_stop
jq -e -s --arg i "$HIF" 'any(.[]; .in_interface == $i and (.rule.text | contains("\u001b[31mRED")))' \
    "$T_OUT" > /dev/null || fail "JSON does not carry the names whole$(show_tracer)"

T31=tbl_with_a_name_longer_than_thirty_one
cat > "$T_DIR/rules.json" <<JSON
{"nftables": [
 {"add": {"table": {"family": "ip", "name": "$T31"}}},
 {"add": {"chain": {"family": "ip", "table": "$T31", "name": "in\u001b[31mput", "type": "filter",
   "hook": "input", "prio": -5, "policy": "accept"}}},
 {"add": {"rule": {"family": "ip", "table": "$T31", "chain": "in\u001b[31mput", "expr": [
   {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}},
    "right": "$IP1"}}, {"drop": null}]}}}
]}
JSON
in_ns b iptables -F INPUT
in_ns b nft -j -f "$T_DIR/rules.json" || die "nft -j refused the ruleset"
tracer_start --engines nftables --proto icmp -N "$NSB"
ping_from a "$IP2"
wait_out "dropped"
wait_quiet 2
tracer_stop
grep -q "$ESC" "$T_OUT" && fail "an ESC byte reached the text output$(show_tracer)"
expect_out "nftables=\[family=ip table=$T31 chain=in\\\\x1b\[31mput hook=INPUT"
expect_out "dropped .*nftables ip tbl_with_a_name_longer_than_thi\.\.\. in\\\\x1b\[31mput"
