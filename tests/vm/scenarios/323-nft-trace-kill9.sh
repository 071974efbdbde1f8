# --nft-trace after kill -9: the kernel deletes the tool's table with the process (table owner,
# 6.1), and a new run deletes tables left by runs of older versions or of dead processes.
need_feature module_btf # nftables (and ebtables) need their modules' types
IP1=10.3.23.1
IP2=10.3.23.2
netns_pair a "$IP1" b "$IP2"
in_ns b nft add table inet mine
in_ns b nft add chain inet mine in_c '{ type filter hook input priority 0; policy accept; }'
in_ns b nft add rule inet mine in_c ip saddr "$IP1" icmp type echo-request drop

tracer_start --engines nftables --nft-trace --proto icmp -N "$(netns_inode b)"
nft list table inet "skbtracer_iptables_trace_$T_PID" > /dev/null || fail "no table while tracing$(show_tracer)"
expect_err "the kernel deletes it when this program ends"
OLD=$T_PID
kill -9 "$T_PID"
tracer_wait 5
wait_until 5 sh -c "! nft list tables | grep -q skbtracer_iptables_trace_$OLD" ||
    fail "kill -9 left table inet skbtracer_iptables_trace_$OLD: $(nft list tables)"

# Leftovers of an older version (no pid) and of a dead process.
nft add table inet skbtracer_iptables_trace
nft add table inet skbtracer_iptables_trace_999999
tracer_start --engines nftables --nft-trace --proto icmp -N "$(netns_inode b)"
expect_err "^Deleted table inet skbtracer_iptables_trace left by an earlier run$"
expect_err "^Deleted table inet skbtracer_iptables_trace_999999 left by an earlier run$"
ping_from a "$IP2"
wait_out "rule=in_c"
tracer_stop
expect_rc 0
expect_out "verdict=DROP\(EPERM\) .*\] rule=in_c\[handle [0-9]+\]: ip saddr $(q "$IP1") icmp type echo-request drop$"
if nft list tables | grep -q skbtracer; then fail "tables left: $(nft list tables)"; fi
