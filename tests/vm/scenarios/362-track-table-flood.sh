# The tracking table is bounded: with --track-entries 16, 200 UDP datagrams held in a socket that
# is never read (their skbs alive, so still tracked) overflow it; every datagram is still shown
# once with its own id, the table has 16 slots, and the evictions are reported.
IP1=10.36.5.1
IP2=10.36.5.2
netns_pair a "$IP1" b "$IP2"
ipt_tables b filter
NSB=$(netns_inode b)
/usr/sbin/ip netns exec b udp-hold 9999 60 > "$T_DIR/hold.out" &
HOLD=$!
wait_until 10 grep -q holding "$T_DIR/hold.out" || die "udp-hold did not start"

tracer_start --engines iptables -N "$NSB" -H "$IP1" --proto udp --track-entries 16 --show-id
in_ns a udp-send "$IP2" 9999 200
wait_until 20 sh -c "[ \$(grep -c 'hook=INPUT' '$T_OUT') -ge 200 ]"
wait_quiet 3
if command -v bpftool > /dev/null; then
    expect_cmd "the map's size is 16" sh -c "bpftool map show name tracked_skbs | grep -q 'max_entries 16 '"
    N=$(bpftool -j map dump name tracked_skbs | jq '[.[] | select((.formatted.value.skb // 0) != 0)] | length')
    [ "$N" -ge 8 ] && [ "$N" -le 16 ] || fail "tracked_skbs holds $N packets, expected 8 to 16"
fi
tracer_stop
kill "$HOLD" 2>/dev/null || true
expect_rc 0
expect_count "U:.*hook=INPUT" 200 "every datagram shown"
IDS=$(grep 'hook=INPUT' "$T_OUT" | sed -n 's/.* id=\([0-9]*\) .*/\1/p' | sort -u | wc -l)
[ "$IDS" -eq 200 ] || fail "expected 200 distinct packet ids, got $IDS$(show_tracer)"
expect_err "^Evicted [0-9]+ tracked packets \([0-9]+ in total\): newer packets took their places"
EVICTED=$(sed -n 's/^Tracking: \([0-9]*\) packets pushed out.*/\1/p' "$T_ERR")
# each of the 200 either took a free slot (at most 16) or pushed out an older packet
[ -n "$EVICTED" ] && [ "$EVICTED" -ge 184 ] && [ "$EVICTED" -le 192 ] ||
    fail "expected 184 to 192 evictions reported at exit, got '${EVICTED}'$(show_tracer)"
