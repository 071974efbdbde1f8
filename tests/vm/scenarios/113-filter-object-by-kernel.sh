# The build of the programs each kernel gets (--debug): typed reads where the kernel has
# bpf_rdonly_cast (6.2+: plain loads, and a rejection on IPv4 addresses or protocol before
# anything else), probe reads before, the bounded walk without bpf_loop (before 5.17). With
# each backend the filter keeps exactly its packets: -H shows one pair's pings only, --proto udp no
# ICMP, and a packet -H matched before DNAT rewrote its destination is still followed after it
# (tracking: the early rejection must not drop it). With every engine loaded, no program takes
# the verifier more than 150,000 instructions (start-up time).
# smoke
IP1=10.1.13.1
IP2=10.1.13.2
IP3=10.1.14.3
IP4=10.1.14.4
VIP=10.1.13.9
netns_pair a "$IP1" b "$IP2"
netns_pair c "$IP3" d "$IP4"
for ns in a b c d; do ipt_tables "$ns"; done
in_ns a iptables -t nat -A OUTPUT -d "$VIP" -j DNAT --to-destination "$IP2"

if ! has_feature bpf_loop; then
    object="the bounded walk (no bpf_loop)"
elif grep -q ' bpf_rdonly_cast$' /proc/kallsyms; then
    object="typed reads (bpf_rdonly_cast)"
else
    object="probe reads"
fi
log "expected object on $(uname -r): $object"

for backend in $(backends); do
    # every engine's programs loaded (CO-RE relocates each): the same object
    tracer_start --debug --backend "$backend" -H "$IP2"
    wait_quiet 1
    tracer_stop
    expect_rc 0
    expect_err "^debug: object: $(q "$object")$" "$backend, every engine"
    # start-up time: a program whose verification explodes (as ebt_do_table's entry once did,
    # 220,000 instructions) doubles it; each takes at most about 110,000 on 5.10 to 6.12
    heaviest=$(awk '/BEGIN PROG LOAD LOG/ { match($0, /prog .[a-z_0-9]*/); p = substr($0, RSTART + 6, RLENGTH - 6) }
                    /^processed [0-9]+ insns/ && $2 > max { max = $2; name = p }
                    END { print max + 0, name }' "$T_ERR")
    log "most instructions verified for one program: $heaviest"
    [ "${heaviest%% *}" -gt 0 ] || fail "$backend: no verifier statistics in --debug's output"
    [ "${heaviest%% *}" -le 150000 ] || fail "$backend: the verifier processed $heaviest instructions"

    tracer_start --debug --backend "$backend" --engines iptables -H "$IP2"
    ping_from a "$IP2" 2
    ping_from c "$IP4" 2
    wait_quiet 3
    tracer_stop
    expect_rc 0
    expect_err "^debug: object: $(q "$object")$" "$backend"
    expect_out "I_request:$(q "$IP1")->$(q "$IP2") .*table=filter hook=INPUT" "$backend"
    expect_out "I_reply:$(q "$IP2")->$(q "$IP1") .*table=filter hook=OUTPUT" "$backend"
    expect_no_out "$(q "$IP3")|$(q "$IP4")" "$backend: -H $IP2 rejects the other pair"

    tracer_start --backend "$backend" --engines iptables --proto udp
    ping_from a "$IP2" 1
    in_ns c timeout 1 tftp -g -r f -l /tmp/tftp.out "$IP4" 6969 || true
    wait_quiet 3
    tracer_stop
    expect_rc 0
    expect_out "U:$(q "$IP3"):[0-9]+->$(q "$IP4"):6969 .*table=filter hook=OUTPUT" "$backend"
    expect_no_out "I_(request|reply)" "$backend: --proto udp rejects ICMP echo"

    tracer_start --backend "$backend" --engines iptables -H "$VIP"
    ping_from a "$VIP" 1
    wait_quiet 3
    tracer_stop
    expect_rc 0
    expect_out "I_request:$(q "$IP1")->$(q "$VIP") .*table=nat hook=OUTPUT" "$backend: before DNAT"
    expect_out "I_request:$(q "$IP1")->$(q "$IP2") .*table=filter hook=OUTPUT" \
        "$backend: after DNAT, followed though -H $VIP no longer matches"
    expect_no_out "$(q "$IP3")|$(q "$IP4")" "$backend"
done
