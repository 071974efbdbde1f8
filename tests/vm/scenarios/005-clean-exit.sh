# SIGINT: exit status 0, goodbye line, and no BPF program, link or kprobe of the tool left.
# smoke
IP1=10.0.1.1
IP2=10.0.1.2
netns_pair ns1 "$IP1" ns2 "$IP2"
ipt_tables ns2

# bpf_ids prog|link: IDs of the loaded BPF programs or links.
bpf_ids() { bpftool "$1" show | sed -n 's/^\([0-9][0-9]*\): .*/\1/p' | tr '\n' ' '; }

# new_ids prog|link "IDS": the IDs loaded now that are not in IDS.
new_ids() {
    for _id in $(bpf_ids "$1"); do
        case " $2 " in *" $_id "*) ;; *) printf '%s ' "$_id" ;; esac
    done
}

# still_loaded prog|link "IDS": the IDs of IDS that are loaded now.
still_loaded() {
    _now=" $(bpf_ids "$1") "
    for _id in $2; do
        case "$_now" in *" $_id "*) printf '%s ' "$_id" ;; esac
    done
}

none_left() { [ -z "$(still_loaded prog "$tool_progs")$(still_loaded link "$tool_links")" ]; }

for backend in $(backends); do
    progs_before=$(bpf_ids prog)
    links_before=$(bpf_ids link)
    tracer_start --backend "$backend"
    tool_progs=$(new_ids prog "$progs_before")
    tool_links=$(new_ids link "$links_before")
    log "$backend: programs [$tool_progs], links [$tool_links]"
    [ -n "$tool_progs" ] || fail "$backend: bpftool shows no program of the running tool"
    ping_from ns1 "$IP2"
    tracer_stop INT

    expect_rc 0
    expect_err '^Received signal, exiting program\.\.\.$'
    # The kernel may free programs and links a moment after the process is gone.
    if ! wait_until 5 none_left; then
        fail "$backend: left after exit: programs [$(still_loaded prog "$tool_progs")], links [$(still_loaded link "$tool_links")]
$(bpftool prog show; bpftool link show)"
    fi
    if grep -q ipt_do_table /sys/kernel/tracing/kprobe_events; then
        fail "$backend: kprobe_events still names ipt_do_table: $(cat /sys/kernel/tracing/kprobe_events)"
    fi
done
