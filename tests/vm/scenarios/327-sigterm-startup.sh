# SIGTERM during start-up (loading and attaching take seconds under TCG) ends the tool within
# 1.5 s and leaves nothing behind: no BPF program or link, no --nft-trace table.
TOOL_PROGS='skbtracer|_do_table|_do_chain|xt_replace|nft_trace'
tool_progs() { { bpftool prog show; bpftool link show; } | grep -E "$TOOL_PROGS"; }
none_left() { ! tool_progs > /dev/null; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

T0=$(uptime_s)
tracer_start --nft-trace
log "start-up took $(echo "$T0 $(uptime_s)" | awk '{ printf "%.1f", $2 - $1 }') s"
tracer_stop TERM
expect_rc 0

: > "$T_ERR"
/usr/bin/env --default-signal=INT "$TRACER" --nft-trace > "$T_OUT" 2> "$T_ERR" &
T_PID=$!
sleep 0.3
tracer_alive || die "the tool ended before the signal$(show_tracer)"
grep -qF "$READY_LINE" "$T_ERR" && skip "start-up took less than 0.3 s: nothing to interrupt"
T0=$(uptime_s)
kill -TERM "$T_PID"
wait_until 10 tracer_dead || true
ELAPSED=$(echo "$T0 $(uptime_s)" | awk '{ printf "%.1f", $2 - $1 }')
tracer_wait 1
log "SIGTERM during start-up: exit after $ELAPSED s, status $T_RC"
awk -v e="$ELAPSED" 'BEGIN { exit !(e <= 1.5) }' || fail "SIGTERM during start-up took $ELAPSED s$(show_tracer)"
wait_until 5 none_left || fail "left behind: $(tool_progs)"
if nft list tables | grep -q skbtracer; then fail "table left: $(nft list tables)"; fi
