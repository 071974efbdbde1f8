# Helpers for VM scenarios (POSIX sh, busybox ash). Sourced by guest-init.sh, which sets
# T_NAME and T_DIR, runs the scenario with `set -eu` and then calls t_finish.
# A scenario passes when it runs to the end and no expect_* failed; `skip REASON` skips it.

T_OUT=$T_DIR/tracer.out
T_ERR=$T_DIR/tracer.err
T_PID=
T_RC=
T_NETNS=

TRACER=/usr/bin/skbtracer-iptables
READY_LINE='Tracing... Hit Ctrl-C to end.'

# busybox's `ip` applet would win over $PATH and has no netns support.
ip() { /usr/sbin/ip "$@"; }

log() { echo "# $*"; }

fail() {
    echo "FAIL: $*"
    echo "$*" | head -n 1 >> "$T_DIR/failures"
}

die() {
    fail "$@"
    exit 1
}

skip() {
    echo "$*" > "$T_DIR/skip"
    exit 0
}

t_finish() { : > "$T_DIR/finished"; }

# t_exit STATUS LINE: the EXIT trap; says where a scenario stopped early, then cleans up.
t_exit() {
    if [ ! -e "$T_DIR/finished" ] && [ ! -e "$T_DIR/skip" ]; then
        echo "# scenario stopped at line $2 with status $1"
    fi
    if [ -n "$T_PID" ] && tracer_alive; then kill -9 "$T_PID"; fi
    netns_cleanup
}
trap 't_exit $? $LINENO' EXIT
trap 'exit 143' TERM INT

# q STRING: STRING with regex metacharacters escaped, e.g. expect_out "I_request:$(q "$IP1")".
q() { printf '%s' "$1" | sed 's/[][\.*^$()+?{}|]/\\&/g'; }

# wait_until SECONDS CMD...: poll CMD until it succeeds; return 1 after SECONDS.
wait_until() {
    _deadline=$(($(date +%s) + $1))
    shift
    until "$@"; do
        [ "$(date +%s)" -lt "$_deadline" ] || return 1
        sleep 0.1
    done
}

# ---- namespaces ---------------------------------------------------------------------------

# in_ns NS CMD...: run CMD in network namespace NS (logged).
in_ns() {
    _ns=$1
    shift
    echo "+ [$_ns] $*" >&2
    /usr/sbin/ip netns exec "$_ns" "$@"
}

netns_add() {
    ip netns add "$1"
    T_NETNS="$T_NETNS $1"
    ip -n "$1" link set lo up
}

# netns_pair NS1 IP1 NS2 IP2 [IP6_1 IP6_2]: two namespaces joined by veth (v-NS2 in NS1,
# v-NS1 in NS2), IPv4 /24 and optional IPv6 /64; without IPv6 addresses IPv6 is disabled.
netns_pair() {
    _ns1=$1 _ip1=$2 _ns2=$3 _ip2=$4 _ip6_1=${5:-} _ip6_2=${6:-}
    for _ns in "$_ns1" "$_ns2"; do
        netns_add "$_ns"
        [ -n "$_ip6_1" ] || ip netns exec "$_ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
            net.ipv6.conf.default.disable_ipv6=1
    done
    ip link add "v-$_ns2" netns "$_ns1" type veth peer name "v-$_ns1" netns "$_ns2"
    ip -n "$_ns1" addr add "$_ip1/24" dev "v-$_ns2"
    ip -n "$_ns2" addr add "$_ip2/24" dev "v-$_ns1"
    if [ -n "$_ip6_1" ]; then
        ip -n "$_ns1" addr add "$_ip6_1/64" dev "v-$_ns2" nodad
        ip -n "$_ns2" addr add "$_ip6_2/64" dev "v-$_ns1" nodad
    fi
    ip -n "$_ns1" link set "v-$_ns2" up
    ip -n "$_ns2" link set "v-$_ns1" up
}

# bridge_pair NS1 IP1 NSBR NS2 IP2: NS1 and NS2 (eth0, IPv4 /24, IPv6 off) joined by bridge br0
# in NSBR through its ports p-NS1 and p-NS2.
bridge_pair() {
    _b1=$1 _bip1=$2 _br=$3 _b2=$4 _bip2=$5
    for _ns in "$_br" "$_b1" "$_b2"; do
        netns_add "$_ns"
        ip netns exec "$_ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
            net.ipv6.conf.default.disable_ipv6=1
    done
    ip -n "$_br" link add br0 type bridge forward_delay 0
    for _ns in "$_b1" "$_b2"; do
        ip link add "p-$_ns" netns "$_br" type veth peer name eth0 netns "$_ns"
        ip -n "$_br" link set "p-$_ns" master br0 up
        ip -n "$_ns" link set eth0 up
    done
    ip -n "$_b1" addr add "$_bip1/24" dev eth0
    ip -n "$_b2" addr add "$_bip2/24" dev eth0
    ip -n "$_br" link set br0 up
}

# netns_router NS1 IP1 ROUTER NS2 IP2: NS1 and NS2 on two /24 subnets joined by ROUTER, which
# forwards and has .254 on each; veth v-PEER on each side; IPv6 off; default routes via ROUTER.
netns_router() {
    _r1=$1 _rip1=$2 _rr=$3 _r2=$4 _rip2=$5
    for _ns in "$_r1" "$_rr" "$_r2"; do
        netns_add "$_ns"
        ip netns exec "$_ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
            net.ipv6.conf.default.disable_ipv6=1
    done
    for _side in "$_r1 $_rip1" "$_r2 $_rip2"; do
        set -- $_side
        ip link add "v-$_rr" netns "$1" type veth peer name "v-$1" netns "$_rr"
        ip -n "$1" addr add "$2/24" dev "v-$_rr"
        ip -n "$_rr" addr add "${2%.*}.254/24" dev "v-$1"
        ip -n "$1" link set "v-$_rr" up
        ip -n "$_rr" link set "v-$1" up
        ip -n "$1" route add default via "${2%.*}.254"
    done
    ip netns exec "$_rr" sysctl -qw net.ipv4.ip_forward=1
}

# filler_ruleset N SRC [RULE]: iptables-restore input for a filter table whose INPUT has N
# filler rules, then rule N+1 accepting ICMP from SRC. Fillers: RULE (iptables -A arguments),
# or DROP rules for 10.5.x.y sources (no packet has them).
filler_ruleset() {
    printf '%s\n' "*filter" ":INPUT ACCEPT [0:0]" ":FORWARD ACCEPT [0:0]" ":OUTPUT ACCEPT [0:0]"
    _i=0
    while [ $_i -lt "$1" ]; do
        echo "-A INPUT ${3:--s 10.5.$((_i / 250)).$((_i % 250 + 1))/32 -j DROP}"
        _i=$((_i + 1))
    done
    printf '%s\n' "-A INPUT -s $2/32 -p icmp -j ACCEPT" "COMMIT"
}

# kube_service ROUTER VIP BACKEND: a kube-proxy-style service on ROUTER (netns_router's middle):
# mangle PREROUTING marks 0x10, nat PREROUTING DNATs VIP:80 to BACKEND:8080, nat POSTROUTING
# MASQUERADEs out of v-be (the backend's namespace must be named be), FORWARD accepts.
kube_service() {
    in_ns "$1" iptables -t mangle -A PREROUTING -d "$2" -j MARK --set-mark 0x10
    in_ns "$1" iptables -t nat -A PREROUTING -d "$2" -p tcp --dport 80 -j DNAT \
        --to-destination "$3:8080"
    in_ns "$1" iptables -t nat -A POSTROUTING -o v-be -j MASQUERADE
    in_ns "$1" iptables -A FORWARD -j ACCEPT
}

netns_cleanup() {
    for _ns in $T_NETNS; do
        ip netns delete "$_ns" 2>/dev/null || true
    done
    T_NETNS=
}

# ipt_tables NS [TABLE...]: create legacy iptables tables in NS (created lazily otherwise).
ipt_tables() {
    _ns=$1
    shift
    [ $# -gt 0 ] || set -- filter
    for _t in "$@"; do
        /usr/sbin/ip netns exec "$_ns" iptables -t "$_t" -L -n > /dev/null
    done
}

# netns_inode NS: the namespace's inode number, as in the tool's NETWORK_NS column.
netns_inode() { stat -c %i "/run/netns/$1"; }

# mac_of NS IFACE: the interface's MAC address.
mac_of() { /usr/sbin/ip netns exec "$1" cat "/sys/class/net/$2/address"; }

# ping_from NS DEST [COUNT]: ping, ignoring loss (a dropped ping is often the point).
ping_from() {
    in_ns "$1" ping -c "${3:-1}" -W 1 "$2" || true
}

# tcp_listen NS PORT: start a one-shot busybox nc server in NS; return once it listens.
tcp_listen() {
    /usr/sbin/ip netns exec "$1" nc -l -p "$2" > "$T_DIR/nc-$1-$2.out" &
    echo $! > "$T_DIR/nc-$1-$2.pid"
    wait_until 10 tcp_listening "$1" "$2" || die "nc in $1 not listening on port $2"
}

tcp_listening() { /usr/sbin/ip netns exec "$1" netstat -ltn | grep -q ":$2 "; }

# tcp_send NS IP PORT [TEXT]: connect from NS to IP:PORT and send TEXT (default "hello").
tcp_send() {
    echo "${4:-hello}" | in_ns "$1" nc -w 3 "$2" "$3"
}

# need_module MODULE...: skip the scenario unless the modules load.
need_module() {
    for _m in "$@"; do
        modprobe "$_m" 2>/dev/null || skip "module $_m not available"
    done
}

# ---- what the kernel offers --------------------------------------------------------------

# kernel_at_least MAJOR.MINOR: is the running kernel (uname -r) that version or newer?
kernel_at_least() {
    _have=$(uname -r | sed -n 's/^\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
    set -- $_have ${1%%.*} ${1#*.}
    [ "$1" -gt "$3" ] || { [ "$1" -eq "$3" ] && [ "$2" -ge "$4" ]; }
}

# need_kernel '>=X.Y' | '<X.Y': skip the scenario on other kernels.
need_kernel() {
    case "$1" in
        '>='*) kernel_at_least "${1#>=}" || skip "needs Linux $1, this is $(uname -r)" ;;
        '<'*) ! kernel_at_least "${1#<}" || skip "needs Linux $1, this is $(uname -r)" ;;
        *) die "need_kernel: bad requirement '$1'" ;;
    esac
}

# has_feature NAME: module_btf (the netfilter modules' BTF: fentry, nftables, ebtables; 5.11+),
# bpf_loop (5.17+).
has_feature() {
    case "$1" in
        module_btf) [ -e /sys/kernel/btf/x_tables ] ;;
        bpf_loop) grep -q ' bpf_loop$' /proc/kallsyms ;;
        *) die "has_feature: unknown feature '$1'" ;;
    esac
}

# need_feature NAME...: skip the scenario unless the kernel has each feature.
need_feature() {
    for _f in "$@"; do
        case "$_f" in
            module_btf) _why="modules without BTF (before 5.11): fentry, nftables and ebtables need it" ;;
            bpf_loop) _why="no bpf_loop (before 5.17)" ;;
            *) _why="no $_f" ;;
        esac
        has_feature "$_f" || skip "$(uname -r): $_why"
    done
}

# backends: the backends that can trace the netfilter modules here: fentry needs their BTF.
backends() {
    if has_feature module_btf; then echo "fentry kprobe"; else echo kprobe; fi
}

# ---- the tracer ---------------------------------------------------------------------------

tracer_alive() {
    _state=$(sed 's/.*) //' "/proc/$T_PID/stat" 2>/dev/null | cut -c1)
    [ -n "$_state" ] && [ "$_state" != Z ]
}

tracer_dead() { ! tracer_alive; }

tracer_ready_or_dead() { grep -qF "$READY_LINE" "$T_ERR" || ! tracer_alive; }

# tracer_start ARGS...: start the tool in the background; return once it is ready.
tracer_start() {
    : > "$T_OUT"
    : > "$T_ERR"
    T_RC=
    rm -f "$T_DIR/shown"
    log "starting skbtracer-iptables $*"
    # Background jobs of a non-interactive shell ignore SIGINT; give the tool default handlers.
    /usr/bin/env --default-signal=INT,QUIT "$TRACER" "$@" > "$T_OUT" 2> "$T_ERR" &
    T_PID=$!
    echo "$T_PID" > "$T_DIR/tracer.pid"
    # verifying every engine's programs takes 5-15 s under TCG, several times that when other
    # VMs share the cores (make test runs them side by side)
    wait_until 90 tracer_ready_or_dead || die "tracer not ready after 90 s$(show_tracer)"
    if ! tracer_alive; then
        T_RC=0
        wait "$T_PID" || T_RC=$?
        die "tracer exited (status $T_RC) before printing '$READY_LINE'$(show_tracer)"
    fi
    log "tracer ready (pid $T_PID)"
}

# tracer_stop [SIGNAL]: signal the tool (default INT) and wait for it to exit; sets T_RC.
tracer_stop() {
    if tracer_alive; then
        kill -s "${1:-INT}" "$T_PID"
    else
        fail "tracer had exited before SIG${1:-INT}$(show_tracer)"
    fi
    tracer_wait 15
}

# tracer_wait [SECONDS]: wait (default 15 s) for the tool to exit, e.g. after -c N; sets T_RC.
tracer_wait() {
    if ! wait_until "${1:-15}" tracer_dead; then
        kill -9 "$T_PID"
        fail "tracer still running after ${1:-15} s$(show_tracer)"
    fi
    T_RC=0
    wait "$T_PID" || T_RC=$?
    log "tracer exited with status $T_RC"
}

# show_tracer: the tool's output for a failure message, once per run of the tool.
show_tracer() {
    echo
    if [ -e "$T_DIR/shown" ]; then
        echo "(tracer output: see above)"
        return
    fi
    : > "$T_DIR/shown"
    echo "--- tracer stderr ($T_ERR) ---"
    cat "$T_ERR"
    echo "--- tracer stdout ($(wc -l < "$T_OUT") lines, last 60) ---"
    tail -n 60 "$T_OUT"
    echo "---"
}

# wait_out REGEX [SECONDS]: wait (default 10 s) for a stdout line matching REGEX; never fails,
# follow it with expect_out.
wait_out() {
    wait_until "${2:-10}" grep -Eq -- "$1" "$T_OUT" || log "no stdout line matched /$1/ after ${2:-10} s"
}

# wait_quiet [SECONDS]: wait until stdout stopped growing for 1 s (at most SECONDS, default 10).
wait_quiet() {
    _deadline=$(($(date +%s) + ${1:-10}))
    _last=-1
    while [ "$(date +%s)" -lt "$_deadline" ]; do
        _size=$(wc -c < "$T_OUT")
        [ "$_size" = "$_last" ] && return 0
        _last=$_size
        sleep 1
    done
}

# ---- assertions: each prints expected vs actual and marks the scenario failed -------------

expect_out() {
    grep -Eq -- "$1" "$T_OUT" && return 0
    fail "expected a stdout line matching /$1/${2:+ ($2)}$(show_tracer)"
}

expect_no_out() {
    grep -Eq -- "$1" "$T_OUT" || return 0
    fail "expected no stdout line matching /$1/${2:+ ($2)}; matching lines:
$(grep -E -- "$1" "$T_OUT" | head -n 20)$(show_tracer)"
}

expect_err() {
    grep -Eq -- "$1" "$T_ERR" && return 0
    fail "expected a stderr line matching /$1/${2:+ ($2)}$(show_tracer)"
}

expect_no_err() {
    grep -Eq -- "$1" "$T_ERR" || return 0
    fail "expected no stderr line matching /$1/${2:+ ($2)}$(show_tracer)"
}

expect_rc() {
    [ "$T_RC" = "$1" ] && return 0
    fail "expected exit status $1, got ${T_RC:-none}$(show_tracer)"
}

expect_count() {
    _n=$(grep -Ec -- "$1" "$T_OUT" || true)
    [ "$_n" -eq "$2" ] && return 0
    fail "expected $2 stdout line(s) matching /$1/${3:+ ($3)}, got $_n$(show_tracer)"
}

# expect_cmd DESCRIPTION CMD...: CMD must succeed.
expect_cmd() {
    _desc=$1
    shift
    _o=$("$@" 2>&1) && return 0
    fail "$_desc: '$*' failed:
$_o"
}

# expect_matched REGEX LINE...: the -v lines after the first event matching REGEX are exactly
# "    matched LINE", one per LINE, in that order.
expect_matched() {
    _re=$1
    shift
    _want=$(for _l; do printf '    matched %s\n' "$_l"; done)
    _got=$(RE=$_re awk 'BEGIN { re = ENVIRON["RE"] } on && /^    matched / { print; next }
        on { exit } $0 ~ re { on = 1 }' "$T_OUT")
    [ "$_got" = "$_want" ] || fail "matched lines after /$_re/: expected
$_want
got
$_got$(show_tracer)"
}

# ---- the kernel's own rule counters: the oracle for rule attribution -----------------------

# ipt_pkts NS TABLE CHAIN NUM|policy: packets the kernel counted for rule NUM of CHAIN (or for
# its policy), from iptables -L -v -x -n --line-numbers.
ipt_pkts() {
    /usr/sbin/ip netns exec "$1" iptables -t "$2" -L "$3" -v -x -n --line-numbers |
        awk -v want="$4" 'NR == 1 && want == "policy" { print $5; exit }
            NR > 2 && $1 == want { print $2; exit }'
}

# quiet_kernel_log / restore_kernel_log: LOG targets write to the kernel log; keep it off the
# console (where the results are read) while a scenario uses them.
quiet_kernel_log() {
    _printk=$(cut -f1 /proc/sys/kernel/printk)
    dmesg -n 1
}
restore_kernel_log() { dmesg -n "${_printk:-7}"; }
