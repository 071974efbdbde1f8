# --stack: a DROP verdict of filter INPUT and the drop that follows it, each with the kernel
# stack under its line, one frame per line: the tool's own frames left out, nf_hook_slow (the
# hook that ran ipt_do_table and frees the skb) in both. Other verdicts get no stack; -o json
# carries the same frames as "stack" arrays. For each backend.
# smoke
IP1=10.37.2.1
IP2=10.37.2.2
netns_pair a "$IP1" b "$IP2"
in_ns b iptables -A INPUT -s "$IP1" -p icmp --icmp-type echo-request -j DROP
NSB=$(netns_inode b)

# stack_after REGEX: the indented lines right under the first line matching REGEX.
stack_after() {
    awk -v re="$1" 'found && /^    / { print; next } found { exit } $0 ~ re { found = 1 }' "$T_OUT"
}

for backend in $(backends); do
    tracer_start --backend "$backend" --stack --engines iptables --proto icmp -N "$NSB"
    ping_from a "$IP2"
    wait_out "after filter INPUT DROP"
    wait_quiet 2
    tracer_stop
    expect_rc 0
    verdict=$(stack_after "hook=INPUT verdict=DROP")
    drop=$(stack_after "dropped .* after filter INPUT DROP")
    echo "$verdict" | grep -q "^    nf_hook_slow+0x[0-9a-f]*$" ||
        fail "$backend: the DROP verdict's stack has no nf_hook_slow frame: '$verdict'$(show_tracer)"
    echo "$drop" | grep -q "^    nf_hook_slow+0x[0-9a-f]*$" ||
        fail "$backend: the drop's stack has no nf_hook_slow frame: '$drop'$(show_tracer)"
    echo "$verdict$drop" | grep -Eq "^    (0x|bpf_|kretprobe|__kretprobe|trace_call_bpf)" &&
        fail "$backend: the tool's own frames are shown: '$verdict' '$drop'$(show_tracer)"
    # a kretprobe's stack stops at its trampoline before 5.15: the verdict's is the entry's
    if [ "$backend" = kprobe ] && ! grep -qE " (kretprobe|rethook)_find_ret_addr$" /proc/kallsyms; then
        case "$(echo "$verdict" | head -n 1)" in
            "    ipt_do_table+"*) ;;
            *) fail "kprobe: the DROP verdict's stack, taken at entry, starts elsewhere: '$verdict'" ;;
        esac
    fi
    first=$(echo "$drop" | head -n 1)
    case "$first" in
        "    kfree_skb"* | "    sk_skb_reason_drop"*) ;;
        *) fail "$backend: the drop's stack starts with '$first', not the freeing function$(show_tracer)" ;;
    esac
    expect_count "^    nf_hook_slow\+" 2 "$backend: two stacks (the verdict's, the drop's)"
    stack_after "I_reply.*hook=OUTPUT verdict=ACCEPT" | grep -q . &&
        fail "$backend: an ACCEPT verdict has a stack$(show_tracer)"
    expect_no_err "Missed [0-9]+ stacks"
done

tracer_start -o json --stack --engines iptables --proto icmp -N "$NSB"
ping_from a "$IP2"
wait_out '"type":"drop"'
wait_quiet 2
tracer_stop
expect_rc 0
expect_cmd "-o json: stack arrays on the DROP verdict and on the drop, with nf_hook_slow" jq -e -s \
    '[.[] | select(.verdict.name == "DROP" or .type == "drop")] | length == 2 and
     all(.stack | any(startswith("nf_hook_slow+0x"))) and
     (.[1].netfilter.tie == "after" and .[1].netfilter.verdict.name == "DROP") and
     .[1].netfilter.call_mono_ns == .[0].mono_ns and .[1].skb == .[0].skb' "$T_OUT"
expect_cmd "-o json: no stack on other lines" jq -e -s \
    '[.[] | select(.type == "table_call" and .verdict.name != "DROP") | has("stack")] | any | not' "$T_OUT"
