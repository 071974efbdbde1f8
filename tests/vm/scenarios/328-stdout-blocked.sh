# Nobody reads the tool's standard output (a FIFO whose reader never reads): the tool keeps
# reading the kernel's buffer, and SIGTERM still ends it within 5 s (2 s for the printer, then
# the teardown under TCG), saying why lines are missing, with status 1.
IP1=10.0.28.1
IP2=10.0.28.2
netns_pair ns1 "$IP1" ns2 "$IP2"
for ns in ns1 ns2; do ipt_tables "$ns" raw mangle filter; done
mkfifo "$T_DIR/out.fifo"
sleep 600 < "$T_DIR/out.fifo" &
READER=$!
trap '_rc=$?; kill "$READER" 2> /dev/null || true; t_exit $_rc $LINENO' EXIT
/usr/bin/env --default-signal=INT "$TRACER" --engines iptables --proto icmp -H "$IP1" \
    > "$T_DIR/out.fifo" 2> "$T_ERR" &
T_PID=$!
wait_until 90 grep -qF "$READY_LINE" "$T_ERR" || die "not ready$(show_tracer)"
# About 16 events per ping, 300 bytes each: far more than the FIFO's 64 KiB.
expect_cmd "300 pings" in_ns ns1 ping -A -q -c 300 -W 2 "$IP2"
sleep 1
tracer_alive || die "the tool ended$(show_tracer)"
T0=$(cut -d' ' -f1 /proc/uptime)
kill -TERM "$T_PID"
wait_until 10 tracer_dead || true
ELAPSED=$(echo "$T0 $(cut -d' ' -f1 /proc/uptime)" | awk '{ printf "%.1f", $2 - $1 }')
tracer_wait 1
log "exit after $ELAPSED s, status $T_RC"
awk -v e="$ELAPSED" 'BEGIN { exit !(e <= 5.0) }' || fail "SIGTERM with stdout blocked took $ELAPSED s$(show_tracer)"
expect_rc 1
expect_err "^Error: the printer did not finish within 2 s \(nobody reads standard output\?\)"
