# Benchmark (runs in the test VM, sourced with tests/vm/lib.sh): what a call of ipt_do_table
# costs the tool when its filter rejects the packet, next to probes that do nothing and to no
# probe at all (untraced: the flood's throughput without a tracer). An ICMP
# flood (ping -A) from fo-a crosses fo-b's filter INPUT (BENCH_RULES non-matching rules, default
# 1000) while one of these is attached, in turn, BENCH_ROUNDS times (default 3), interleaved:
# the empty fentry+fexit pair, the empty kprobe+kretprobe pair (empty-probe), the tool with each
# backend and a filter (-H 192.0.2.99) that rejects every packet, then with a filter that needs
# no packet bytes (-N, the initial namespace, where the flood does not pass: netns-*), and with a
# filter that traces every flood packet without attribution (every-*), and the same without packet
# tracking (untracked-*: --no-track, the share of the tracking map); next to the empty pair whose
# exit only sends a record of the event's size per call (record-*: what any per-call tracer pays).
# paired-*: the empty pair and the tool (as tool-*) attached at once, so both run on the same
# calls: their ratio does not drift with the emulator's speed between configurations.
# *-nft: the same on nft_do_chain (fo-b also has an nftables input chain of BENCH_RULES
# non-matching rules; the tool with --engines nftables): what iptables-nft systems run.
# Per-call cost of each program: run_time_ns / run_cnt (kernel.bpf_stats_enabled); ratios are
# taken within one round.
# Builds side by side: VM_BENCH_ALTS (host paths of other builds of the tool, copied to
# /usr/bin/) and VM_BENCH_CONFIGS (the configurations to run, in order); CONFIG@NAME runs the
# configuration with /usr/bin/NAME instead of the tool, e.g. "every-fentry@skbtracer-old";
# VM_BENCH_ENV sets BENCH_RULES, BENCH_ROUNDS and BENCH_FLOOD_SECONDS in the guest.
# VM_BENCH_ENV's settings (e.g. "BENCH_ROUNDS=9 BENCH_FLOOD_SECONDS=1"), checked on the host.
if [ -e /tests/bench-env ]; then
    while IFS='=' read -r name value; do
        case "$name" in
            BENCH_RULES) BENCH_RULES=$value ;;
            BENCH_ROUNDS) BENCH_ROUNDS=$value ;;
            BENCH_FLOOD_SECONDS) BENCH_FLOOD_SECONDS=$value ;;
        esac
    done < /tests/bench-env
fi
RULES=${BENCH_RULES:-1000}
ROUNDS=${BENCH_ROUNDS:-3}
SECS=${BENCH_FLOOD_SECONDS:-3}
FO1=10.78.0.1
FO2=10.78.0.2
CONFIGS="untraced empty-fentry tool-fentry paired-fentry paired-fentry-nft netns-fentry
record-fentry every-fentry untracked-fentry empty-kprobe tool-kprobe paired-kprobe
paired-kprobe-nft netns-kprobe record-kprobe every-kprobe untracked-kprobe"

[ ! -e /tests/bench-configs ] || CONFIGS=$(cat /tests/bench-configs)
BUILT_TRACER=$TRACER
netns_pair fo-a "$FO1" fo-b "$FO2"
INIT_NS=$(stat -L -c %i /proc/1/ns/net)
sysctl -qw kernel.bpf_stats_enabled=1
{
    echo "*filter"
    echo ":INPUT ACCEPT [0:0]"
    i=1
    while [ "$i" -lt "$RULES" ]; do
        echo "-A INPUT -s 198.18.$((i / 250)).$((i % 250 + 1))/32 -p udp -j DROP"
        i=$((i + 1))
    done
    echo "COMMIT"
} | in_ns fo-b iptables-legacy-restore
{
    echo "table inet fo {"
    echo "    chain input {"
    echo "        type filter hook input priority 0; policy accept;"
    i=1
    while [ "$i" -lt "$RULES" ]; do
        echo "        ip saddr 198.18.$((i / 250)).$((i % 250 + 1)) udp dport 9 drop"
        i=$((i + 1))
    done
    echo "    }"
    echo "}"
} > "$T_DIR/fo.nft"
in_ns fo-b nft -f "$T_DIR/fo.nft"

# per_call NAME: run_time_ns / run_cnt of the loaded program NAME, or "-".
per_call() {
    bpftool prog show name "$1" 2>/dev/null |
        sed -n 's/.*run_time_ns \([0-9]*\) run_cnt \([0-9]*\).*/\1 \2/p' |
        awk '{ if ($2 > 0) printf "%d", $1 / $2; else printf "-" }'
}

# flood: packets ping -A sends in $SECS seconds.
flood() {
    ip netns exec fo-a ping -A -q -w "$SECS" "$FO2" 2>/dev/null |
        sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p'
}

# start_empty BACKEND [record] [--function NAME]: empty-probe attached (pid in $pid).
start_empty() {
    empty-probe "$@" > "$T_DIR/empty.out" 2>&1 &
    pid=$!
    wait_until 30 grep -q ready "$T_DIR/empty.out" || { cat "$T_DIR/empty.out"; return 1; }
}

# measure CONFIG: one flood with CONFIG attached; prints "CONFIG entry_ns exit_ns packets", and
# for paired-* "floor=NS": the empty pair's entry+exit ns on the same calls.
measure() {
    TRACER=$BUILT_TRACER
    case "$1" in *@*) TRACER=/usr/bin/${1#*@} ;; esac
    cfg=${1%@*}
    func=ipt_do_table
    engines=iptables
    case "$cfg" in *-nft) cfg=${cfg%-nft}; func=nft_do_chain; engines=nftables ;; esac
    case "$cfg" in
        untraced) echo "untraced - - $(flood)"; return ;;
        empty-*|record-*)
            backend=${cfg#*-}
            # shellcheck disable=SC2046 # no word or one
            start_empty "$backend" $( [ "${cfg%%-*}" = record ] && echo record) || return 1
            exit_prog=$( [ "${cfg%%-*}" = record ] && echo record || echo empty)
            if [ "$backend" = fentry ]; then progs="empty_fentry ${exit_prog}_fexit"
            else progs="empty_kprobe ${exit_prog}_kretprobe"; fi ;;
        tool-*|paired-*|netns-*|every-*|untracked-*)
            backend=${cfg#*-}
            [ "${cfg%%-*}" != paired ] || start_empty "$backend" --function "$func" || return 1
            case "${cfg%%-*}" in
                tool|paired) filter="-H 192.0.2.99" ;;
                netns) filter="-N $INIT_NS" ;;
                every) filter="--no-rules -H $FO1" ;;
                untracked) filter="--no-rules --no-track -H $FO1" ;;
            esac
            # shellcheck disable=SC2086 # two words
            tracer_start --backend "$backend" --engines "$engines" $filter >/dev/null 2>&1
            progs="${backend}_$func $( [ "$backend" = fentry ] && echo fexit ||
                echo kretprobe)_$func" ;;
    esac
    packets=$(flood)
    set -- "$1" $progs
    line="$1 $(per_call "$2") $(per_call "$3") ${packets:-0}"
    case "$cfg" in
        empty-*) kill -INT "$pid"; wait "$pid" ;;
        record-*) kill -INT "$pid"; wait "$pid"
           line="$line records=$(sed -n 's/^\([0-9]*\) records$/\1/p' "$T_DIR/empty.out")" ;;
        paired-*)
           if [ "$backend" = fentry ]; then floor="$(per_call empty_fentry) $(per_call empty_fexit)"
           else floor="$(per_call empty_kprobe) $(per_call empty_kretprobe)"; fi
           tracer_stop >/dev/null 2>&1
           kill -INT "$pid"; wait "$pid"
           line="$line floor=$(echo "$floor" | awk '{ print $1 + $2 }')" ;;
        *) # every skb freed meets the tracking's consume_skb program (every-*)
           freed=$(per_call tp_consume_skb)
           tracer_stop >/dev/null 2>&1
           line="$line $(sed -n 's/^\([0-9]*\) events, \([0-9]*\) lost$/events=\1 lost=\2/p' "$T_ERR")"
           [ -z "$freed" ] || [ "$freed" = - ] || line="$line consume_skb=$freed" ;;
    esac
    echo "$line"
}

echo "How: Debian $(uname -r) in qemu-system-x86_64 -accel tcg (software emulation, $(nproc) vCPUs):"
echo "absolute times are far above real hardware; compare ratios within one round."
echo "ping -A for ${SECS}s from fo-a to fo-b across $RULES non-matching INPUT rules, $ROUNDS rounds,"
echo "configurations interleaved; ns: run_time_ns / run_cnt per program (bpf_stats), per call of"
echo "ipt_do_table (all tables, both namespaces). Tool: --engines iptables -H 192.0.2.99 (rejects all);"
echo "*-nft: on nft_do_chain (fo-b's nftables input chain, $RULES rules), the tool with --engines nftables."
echo "paired-*: the empty pair and the tool as tool-* attached at once (both run on every call):"
echo "their ratio is taken on the same calls, so the emulator's drift between runs cancels out."
echo "netns-*: the tool with -N (the initial namespace: rejects all without reading the packet)."
echo "every-*: the tool printing every flood packet's calls (--no-rules -H $FO1: no attribution);"
echo "consume_skb=NS: with tracking, its consume_skb program per call (every skb freed, traced or not)."
echo "untracked-*: the same with --no-track. record-*: the empty pair whose exit program sends a"
echo "352-byte ring buffer record per call (read every 100 ms), the floor of any per-call tracer."
echo "untraced: nothing attached (packets: what ping -A sent, the flood's throughput)."
echo
: > "$T_DIR/filtered.txt"
r=1
while [ "$r" -le "$ROUNDS" ]; do
    for c in $CONFIGS; do
        echo "$r $(measure "$c")" | tee -a "$T_DIR/filtered.txt"
    done
    r=$((r + 1))
done
echo
# Per configuration: entry+exit ns per call and its ratio to the same round's empty pair; the
# packets ping sent, as a ratio to the same round's untraced flood.
awk -v rounds="$ROUNDS" -v configs="$CONFIGS" '
    {
        sum[$1 " " $2] = $3 + $4; packets[$1 " " $2] = $5
        if ($6 ~ /^floor=/) same_calls[$1 " " $2] = substr($6, 7)
    }
    END {
        n = split(configs, cfgs, " ")
        untraced = ("1 untraced") in packets
        w = 17
        for (i = 1; i <= n; i++) if (length(cfgs[i]) + 1 > w) w = length(cfgs[i]) + 1
        printf "%-" w "s %-24s %-22s %s\n", "config", "entry+exit ns", "ratio to empty",
            "packets to untraced"
        m = int((rounds + 1) / 2)
        for (i = 1; i <= n; i++) {
            c = cfgs[i]; floor = c ~ /fentry/ ? "empty-fentry" : "empty-kprobe"
            for (r = 1; r <= rounds; r++) {
                v[r] = sum[r " " c]
                f = (r " " c) in same_calls ? same_calls[r " " c] : sum[r " " floor]
                q[r] = v[r] / (f ? f : 1)
                t[r] = packets[r " " c] / (packets[r " " "untraced"] ? packets[r " " "untraced"] : 1)
            }
            sort(v, rounds); sort(q, rounds); sort(t, rounds)
            ns = c == "untraced" ? "-" : sprintf("%d (%d-%d)", v[m], v[1], v[rounds])
            ratio = c == "untraced" ? "-" : sprintf("%.2f (%.2f-%.2f)", q[m], q[1], q[rounds])
            share = untraced ? sprintf("%.2f (%.2f-%.2f)", t[m], t[1], t[rounds]) : "-"
            printf "%-" w "s %-24s %-22s %s\n", c, ns, ratio, share
        }
        print "(median (min-max) of the rounds)"
    }
    function sort(a, n,    i, j, t) {
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    }' "$T_DIR/filtered.txt"
echo
netns_cleanup
