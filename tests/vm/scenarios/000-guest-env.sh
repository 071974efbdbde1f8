# The VM itself (no tracer): namespaces, veth, legacy iptables, nft, bpftool, module BTF.
IP1=10.0.1.1
IP2=10.0.1.2
netns_pair ns1 "$IP1" ns2 "$IP2"

expect_cmd "ping between namespaces" in_ns ns1 ping -c 1 -W 2 "$IP2"
in_ns ns2 iptables -A INPUT -p icmp -j DROP
if in_ns ns1 ping -c 1 -W 1 "$IP2"; then fail "ping passed a DROP rule"; fi
expect_cmd "iptables is iptables-legacy" sh -c 'iptables -V | grep -q legacy'
expect_cmd "rule visible with iptables-save" sh -c '/usr/sbin/ip netns exec ns2 iptables-save | grep -q "INPUT -p icmp -j DROP"'
expect_cmd "ip6tables-legacy" in_ns ns1 ip6tables -L -n
expect_cmd "nft" in_ns ns1 nft add table inet t
expect_cmd "iptables-nft" in_ns ns1 iptables-nft -L -n
expect_cmd "ebtables" in_ns ns1 ebtables -L
expect_cmd "arptables" in_ns ns1 arptables -L
expect_cmd "bpftool" bpftool prog show
expect_cmd "vmlinux BTF" test -e /sys/kernel/btf/vmlinux
if kernel_at_least 5.11; then
    expect_cmd "ip_tables module BTF" test -e /sys/kernel/btf/ip_tables
fi
expect_cmd "bpffs" sh -c 'grep -q " /sys/fs/bpf bpf " /proc/mounts'
expect_cmd "tracefs" test -e /sys/kernel/tracing/available_filter_functions
expect_cmd "ipt_do_table is traceable" grep -q '^ipt_do_table ' /sys/kernel/tracing/available_filter_functions
