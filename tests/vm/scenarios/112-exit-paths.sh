# Every way out leaves no BPF program or link behind: SIGINT (fentry, or kprobe without module
# BTF), SIGTERM (kprobe), SIGHUP, -c, stdout closed (| head -n 3); a bad option exits 2 with
# one line on stderr and loads nothing.
IP1=10.0.1.1
IP2=10.0.1.2
netns_pair ns1 "$IP1" ns2 "$IP2"
ipt_tables ns1
TOOL_PROGS='skbtracer|_do_table|_do_chain|xt_replace|nft_trace'

tool_progs() { { bpftool prog show; bpftool link show; } | grep -E "$TOOL_PROGS"; }
none_left() { ! tool_progs > /dev/null; }
# expect_clean HOW: no program or link of the tool is loaded (the kernel may take a moment).
expect_clean() {
    wait_until 5 none_left || fail "$1: left behind:
$(tool_progs)"
    ! grep -q _do_table /sys/kernel/tracing/kprobe_events || fail "$1: kprobe_events: $(cat /sys/kernel/tracing/kprobe_events)"
}

expect_clean "before the first run"
for how in "INT --backend $(backends | cut -d" " -f1)" "TERM --backend kprobe" "HUP --engines iptables"; do
    sig=${how%% *}
    # --no-drops: the event counts below are table calls (a ping's reply is a NO_SOCKET drop).
    # shellcheck disable=SC2086
    tracer_start ${how#* } --no-drops -H "$IP1"
    tool_progs > /dev/null || fail "SIG$sig: bpftool shows no program of the running tool"
    ping_from ns1 "$IP2"
    wait_out 'hook=INPUT'
    tracer_stop "$sig"
    expect_rc 0
    expect_err '^Received signal, exiting program\.\.\.$' "SIG$sig"
    expect_err '^2 events, 0 lost$' "SIG$sig"
    expect_clean "SIG$sig"
done

tracer_start --no-drops --engines iptables -c 1 -H "$IP1"
ping_from ns1 "$IP2"
tracer_wait 10
expect_rc 0
expect_err '^1 events, 0 lost$'
expect_clean "-c 1"

# stdout closed: head takes the header and two events, the tool's next write fails.
# (The tool's pid goes to head-tracer.pid, so that the harness kills it if this scenario dies.)
{
    sh -c 'echo $$ > "$0"; exec "$@"' "$T_DIR/head-tracer.pid" "$TRACER" --no-drops --engines iptables -H "$IP1" 2> "$T_DIR/head.err"
    echo $? > "$T_DIR/head.rc"
} | head -n 3 > "$T_DIR/head.out" &
wait_until 90 grep -qF "$READY_LINE" "$T_DIR/head.err" || fail "| head: not ready: $(cat "$T_DIR/head.err")"
in_ns ns1 ping -c 3 -i 0.3 "$IP2"
if ! wait_until 10 test -s "$T_DIR/head.rc"; then
    fail "| head: the tool still runs after its output was closed"
    kill -9 "$(cat "$T_DIR/head-tracer.pid")"
fi
wait
expect_cmd "| head: exit status 0, got $(cat "$T_DIR/head.rc")" test "$(cat "$T_DIR/head.rc")" = 0
expect_cmd "| head: header and 2 events" test "$(grep -c 'iptables=\[' "$T_DIR/head.out")" = 2
expect_cmd "| head: summary" grep -Eq '^[0-9]+ events, 0 lost$' "$T_DIR/head.err"
expect_clean "| head"

# Bad option and bad value: status 2, one line on stderr, nothing on stdout, nothing loaded.
for bad in --no-such-option "--port 99999" "-H 10.0.1" "--backend bogus"; do
    T_RC=0
    # shellcheck disable=SC2086
    "$TRACER" $bad > "$T_DIR/bad.out" 2> "$T_DIR/bad.err" || T_RC=$?
    expect_rc 2
    expect_cmd "$bad: one line on stderr: $(cat "$T_DIR/bad.err")" test "$(wc -l < "$T_DIR/bad.err")" = 1
    expect_cmd "$bad: nothing on stdout" test ! -s "$T_DIR/bad.out"
    expect_cmd "$bad: nothing attached" sh -c "! grep -q Attached '$T_DIR/bad.err'"
    expect_clean "$bad"
done
