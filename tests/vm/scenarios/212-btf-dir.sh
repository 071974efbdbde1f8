# --btf DIR: the kernel's BTF and the netfilter modules' split BTF in a directory, as
# scripts/make-module-btf.sh writes it for kernels without module BTF (copied here from
# /sys/kernel/btf): the tool merges them, finds nftables' and ebtables' types there and traces
# an nftables drop (tests/host/cli.sh: a module file that is not BTF is refused, exit 2).
need_feature module_btf # the files are the running kernel's own
IP1=10.2.12.1
IP2=10.2.12.2
netns_pair a "$IP1" b "$IP2"
cat > "$T_DIR/rules.nft" <<NFT
table inet t212 {
    chain in {
        type filter hook input priority 0; policy accept;
        ip saddr $IP1 icmp type echo-request drop
    }
}
NFT
in_ns b nft -f "$T_DIR/rules.nft"
NSB=$(netns_inode b)
DIR=$T_DIR/btf
mkdir -p "$DIR"
for f in vmlinux x_tables ip_tables nf_tables ebtables; do
    cp "/sys/kernel/btf/$f" "$DIR/$f" || fail "no /sys/kernel/btf/$f"
done

tracer_start --btf "$DIR" --engines nftables,ebtables --proto icmp -H "$IP1" -N "$NSB"
ping_from a "$IP2"
wait_out "I_request:.*chain=in"
tracer_stop
expect_rc 0
expect_err "^Attached (fentry|kprobe)\(nft_do_chain\)"
expect_err "^Attached (fentry|kprobe)\(ebt_do_table\)"
expect_out "\[$NSB\] .* I_request:$(q "$IP1")->$(q "$IP2") +pkt_type=HOST nftables=\[family=inet table=t212 chain=in hook=INPUT prio=0 verdict=DROP\(EPERM\) cost="

