# A candidate walk that gives up (here: more than 512 entries may match) hands the call to the
# full walk. In a one-way flood nothing else runs between one call's exit walk and the next
# call's entry on a CPU, so the full walk may reuse that exit walk's snapshot: the candidate walk
# that gave up must not have written into it, and later calls find that it gave up. 200 UDP datagrams cross 600 port rules (each may
# match: an extension match) and are accepted by rule 602; every line names it, as the kernel's
# counter does.
need_feature bpf_loop # without it there is no candidate walk
IP1=10.3.14.1
IP2=10.3.14.2
netns_pair a "$IP1" b "$IP2"
filler_ruleset 600 "$IP1" "-p udp -m udp --dport 7 -j DROP" > "$T_DIR/rules"
in_ns b iptables-legacy-restore "$T_DIR/rules"
in_ns b iptables -A INPUT -s "$IP1/32" -p udp -j ACCEPT
NSB=$(netns_inode b)
/usr/sbin/ip netns exec b udp-hold 9999 60 > "$T_DIR/hold.out" &
HOLD=$!
wait_until 10 grep -q holding "$T_DIR/hold.out" || die "udp-hold did not start"

tracer_start --no-drops --engines iptables -N "$NSB" -H "$IP1" --proto udp --rules-budget 100 --debug
in_ns a udp-send "$IP2" 9999 200
wait_until 30 sh -c "[ \$(grep -c 'hook=INPUT' '$T_OUT') -ge 200 ]" || true
wait_quiet 3
tracer_stop
kill "$HOLD" 2> /dev/null || true
expect_rc 0
RULE="rule=INPUT#602: -A INPUT -s $(q "$IP1")/32 -p udp -j ACCEPT\$"
expect_count "hook=INPUT verdict=ACCEPT .* $RULE" 200 "every datagram names rule 602"
expect_count "iptables=\[" 200 "one line per datagram"
[ "$(ipt_pkts b filter INPUT 602)" = 200 ] || fail "kernel: INPUT#602 counted $(ipt_pkts b filter INPUT 602), not 200"
# One walk per CPU gives up and says so in its list; the other calls find that and go straight
# to the full walk, which then skips its entry walk (nothing ran since the last exit walk).
expect_err "candidate lists: 0 walked, 0 reused, 200 given up$"
walks=$(sed -n 's/^debug: rule walks: \([0-9]*\),.*/\1/p' "$T_ERR")
echo "@@INFO $T_NAME $(grep "^debug: rule walks" "$T_ERR")" > /dev/console
[ "${walks:-999}" -lt 300 ] || fail "${walks:-no} rule walks for 200 calls: entry walks not skipped"
