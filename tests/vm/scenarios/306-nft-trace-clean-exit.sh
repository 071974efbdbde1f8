# --nft-trace leaves the rulesets as they were: its table exists while it runs (announced on
# stderr) and is removed on SIGINT and after -c N: `nft list ruleset` before == after, in the
# tool's namespace and in the traced one.
need_feature module_btf
IP1=10.3.6.1
IP2=10.3.6.2
netns_pair a "$IP1" b "$IP2"
cat > "$T_DIR/rules.nft" <<NFT
table inet mine {
    chain in_c {
        type filter hook input priority -5; policy accept;
        ip saddr $IP1 icmp type echo-request drop
    }
}
table ip other {
    chain out_c {
        type filter hook output priority 0; policy accept;
    }
}
NFT
in_ns b nft -f "$T_DIR/rules.nft"
NSB=$(netns_inode b)
nft list ruleset > "$T_DIR/init.before"
/usr/sbin/ip netns exec b nft list ruleset > "$T_DIR/b.before"

tool_table_exists() { nft list table inet "skbtracer_iptables_trace_$T_PID" > /dev/null 2>&1; }

check_unchanged() {
    nft list ruleset > "$T_DIR/init.after"
    /usr/sbin/ip netns exec b nft list ruleset > "$T_DIR/b.after"
    expect_cmd "$1: the init namespace's ruleset unchanged" cmp "$T_DIR/init.before" "$T_DIR/init.after"
    expect_cmd "$1: b's ruleset unchanged" cmp "$T_DIR/b.before" "$T_DIR/b.after"
    if tool_table_exists; then fail "$1: table inet skbtracer_iptables_trace_$T_PID left behind"; fi
    if nft list tables | grep -q skbtracer; then fail "$1: $(nft list tables)"; fi
    expect_err "^Removed table inet skbtracer_iptables_trace_$T_PID$" "$1"
}

RULE="rule=in_c\[handle [0-9]+\]: ip saddr $(q "$IP1") icmp type echo-request drop$"

tracer_start --engines nftables --nft-trace --proto icmp -N "$NSB"
expect_err "skbtracer_iptables_trace" "the table is announced"
tool_table_exists || fail "SIGINT: no table inet skbtracer_iptables_trace_$T_PID while tracing$(show_tracer)"
ping_from a "$IP2"
wait_out "$RULE"
tracer_stop INT
expect_rc 0
expect_out "$RULE" "SIGINT"
check_unchanged SIGINT

# --no-drops: on 6.x nf_tables frees the packet inside the chain, and that drop line would
# come first and be the one event -c 1 waits for
tracer_start --engines nftables --nft-trace --no-drops -c 1 --proto icmp -N "$NSB"
tool_table_exists || fail "-c 1: no table inet skbtracer_iptables_trace_$T_PID while tracing$(show_tracer)"
ping_from a "$IP2"
tracer_wait 15
expect_rc 0
expect_count "$RULE" 1 "-c 1"
check_unchanged "-c 1"
