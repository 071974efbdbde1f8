# Kernels before 5.17 pass kfree_skb no reason: a drop line says where only ("dropped at
# nf_hook_slow+0x.. after filter INPUT DROP"), and JSON has reason and reason_code null. An
# arptables DROP, one engine. Passed on Debian 11's 5.10.0-46 (VM run, 2026-12-03).
need_kernel '<5.17'
IP1=10.37.5.1
IP2=10.37.5.2
netns_pair a "$IP1" b "$IP2"
in_ns b arptables -A INPUT -s "$IP1" -j DROP
NSB=$(netns_inode b)
REQ="A_request:who-has $(q "$IP2") tell $(q "$IP1") +pkt_type=BROADCAST"

tracer_start --engines arptables -N "$NSB"
ping_from a "$IP2"
wait_out "dropped"
wait_quiet 2
tracer_stop
expect_rc 0
expect_err "Attached (tp_btf|raw_tracepoint)\(kfree_skb\): drops \(this kernel gives no reason: their place only\)"
expect_out "$REQ arptables=\[table=filter hook=INPUT verdict=DROP "
expect_out "$REQ dropped at nf_hook_slow\+0x[0-9a-f]+ after filter INPUT DROP$"
expect_no_out "reason=" "no reason on this kernel"

tracer_start -o json --engines arptables -N "$NSB"
ping_from a "$IP2"
wait_out '"type":"drop"'
wait_quiet 2
tracer_stop
expect_rc 0
expect_cmd "-o json: reason and reason_code null, the place named" jq -e -s \
    '[.[] | select(.type == "drop")] | length >= 1 and all(.reason == null and
     .reason_code == null and (.location | startswith("nf_hook_slow+0x")) and
     .netfilter.tie == "after" and .netfilter.engine == "arptables")' "$T_OUT"
