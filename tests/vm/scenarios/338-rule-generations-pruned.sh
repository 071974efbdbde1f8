# Tables registered and unregistered while tracing (40 namespaces come and go, each with a filter
# table): the generation map forgets a table when it is unregistered, so it does not fill up on
# a node where pods come and go (a full map would leave tables' generations unknown).
command -v bpftool > /dev/null || skip "no bpftool"
tracer_start --engines iptables --proto icmp
expect_err "^Attached $(set -- $(backends); echo "$1")\(xt_unregister_table\)$"
entries() { bpftool -j map dump name table_generatio 2> /dev/null | grep -o '"key"' | wc -l; }
ip netns add genkeep
ip netns exec genkeep iptables -A INPUT -s 10.9.9.9 -j DROP
kept=$(entries)
[ "$kept" -ge 1 ] || fail "the map shows no entry for a table registered while tracing"
n=0
while [ $n -lt 40 ]; do
    ip netns add "gen$n"
    ip netns exec "gen$n" iptables -A INPUT -s 10.9.9.9 -j DROP
    ip netns del "gen$n"
    n=$((n + 1))
done
few_entries() { [ "$(entries)" -lt $((kept + 5)) ]; }
wait_until 30 few_entries || true
left=$(entries)
ip netns del genkeep
tracer_stop
expect_rc 0
log "generation map entries: $kept with one table, $left after 40 more came and went"
echo "@@INFO $T_NAME kept=$kept left=$left" > /dev/console
[ "$left" -lt $((kept + 5)) ] || fail "$left entries left in the generation map after their tables were unregistered"
