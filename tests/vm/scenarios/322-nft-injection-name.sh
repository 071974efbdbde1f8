# nft with --nft-trace: a table named 'x; add table inet injected' (made with nft -j, which
# takes any name) in the traced namespace: nothing the name says is run (no table injected
# appears, though table x exists so that the injected command would succeed) and the rule is
# still named, with its chain named 'in "put"'.
need_feature module_btf # nftables (and ebtables) need their modules' types
IP1=10.3.22.1
IP2=10.3.22.2
NAME='x; add table inet injected'
netns_pair a "$IP1" b "$IP2"
in_ns b nft add table inet x
cat > "$T_DIR/rules.json" <<JSON
{"nftables": [
 {"add": {"table": {"family": "inet", "name": "$NAME"}}},
 {"add": {"chain": {"family": "inet", "table": "$NAME", "name": "in \"put\"", "type": "filter",
  "hook": "input", "prio": 0, "policy": "accept"}}},
 {"add": {"rule": {"family": "inet", "table": "$NAME", "chain": "in \"put\"",
  "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}},
  "right": "$IP1"}}, {"drop": null}]}}}
]}
JSON
in_ns b nft -j -f "$T_DIR/rules.json"
log "$(/usr/sbin/ip netns exec b nft -a list ruleset)"

tracer_start --engines nftables --nft-trace --proto icmp -N "$(netns_inode b)"
ping_from a "$IP2"
wait_out "verdict=DROP"
wait_quiet 3
tracer_stop

expect_rc 0
if /usr/sbin/ip netns exec b nft list tables | grep -qx 'table inet injected'; then
    fail "the table name was run as a command: $(/usr/sbin/ip netns exec b nft list tables)"
fi
expect_out "table=$(q "$NAME") chain=in \"put\" .*verdict=DROP\(EPERM\) .*\] rule=in \"put\"\[handle [0-9]+\]: ip saddr $(q "$IP1") drop$"
