# Modules without BTF (5.10): iptables and arptables are kprobed with the prototype the kernel
# release implies, said on stderr; nftables and ebtables are skipped with the reason and the fix;
# --backend fentry and --engines nftables fail with the reason, exit 1, nothing left loaded.
# smoke
! has_feature module_btf || skip "$(uname -r): the modules have BTF (211 covers kernels before 5.11)"
IP1=10.2.11.1
IP2=10.2.11.2
netns_pair a "$IP1" b "$IP2"
in_ns b iptables -A INPUT -s "$IP1" -p icmp -j DROP
if kernel_at_least 5.16; then PROTO='\(priv, skb, state\)' WHEN='at least'; else PROTO='\(skb, state, table\)' WHEN=before; fi

tracer_start -H "$IP1"
ping_from a "$IP2"
wait_out "table=filter hook=INPUT verdict=DROP"
tracer_stop
expect_rc 0
for f in "ipt_do_table ip_tables" "ip6t_do_table ip6_tables" "arpt_do_table arp_tables"; do
    set -- $f
    expect_err "^$1: module $2 has no BTF; assumed prototype $PROTO because kernel release $(q "$(uname -r)") is $WHEN 5\.16$"
    expect_err "^Attached kprobe\($1\)$"
done
expect_no_err "Attached fentry"
expect_err "^Skipped nft_do_chain \(nftables\): module nf_tables has no BTF here \(module BTF came in Linux 5\.11\) and this engine needs its types: pass them with --btf DIR \(scripts/make-module-btf\.sh\)$"
expect_err "^Skipped ebt_do_table \(ebtables\): module ebtables has no BTF here \(module BTF came in Linux 5\.11\) and this engine needs its types: pass them with --btf DIR \(scripts/make-module-btf\.sh\)$"
expect_out "I_request:$(q "$IP1")->$(q "$IP2") +pkt_type=HOST iptables=\[pf=PF_INET, table=filter hook=INPUT verdict=DROP cost=[^]]*\] rule=INPUT#1: -A INPUT -s $(q "$IP1")/32 -p icmp -j DROP$"

for args in "--backend fentry" "--engines nftables"; do
    T_RC=0
    # shellcheck disable=SC2086
    "$TRACER" $args > "$T_DIR/bad.out" 2> "$T_DIR/bad.err" || T_RC=$?
    expect_rc 1
    case "$args" in
        *fentry) expect_cmd "$args: the reason: $(cat "$T_DIR/bad.err")" grep -q "fentry: ipt_do_table's module ip_tables has no BTF (before Linux 5.11); kprobes need none" "$T_DIR/bad.err" ;;
        *) expect_cmd "$args: the reason: $(cat "$T_DIR/bad.err")" grep -q "nft_do_chain: module nf_tables has no BTF here" "$T_DIR/bad.err" ;;
    esac
    expect_cmd "$args: nothing left loaded" sh -c '! bpftool prog show | grep -qE "_do_table|_do_chain"'
done
