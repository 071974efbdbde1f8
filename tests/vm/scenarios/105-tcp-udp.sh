# A real TCP connection (busybox nc) and a UDP datagram, fentry and kprobe: exact TCP flags,
# ports and IP_LEN of each packet, in both namespaces; UDP as U:, its ICMP error as I_dest-unreachable.
IP1=10.0.1.1
IP2=10.0.1.2
netns_pair ns1 "$IP1" ns2 "$IP2"
ipt_tables ns1
ipt_tables ns2
NS1=$(netns_inode ns1)
NS2=$(netns_inode ns2)
MAC1=$(mac_of ns1 v-ns2)
MAC2=$(mac_of ns2 v-ns1)
A1=$(q "$IP1")
A2=$(q "$IP2")

row() { printf '\\[%s\\] +[0-9]+ +[0-9]+ +%s +%s +%s +' "$1" "$2" "$3" "$4"; }
filter() { printf 'pkt_type=HOST iptables=\\[pf=PF_INET, table=filter hook=%s verdict=ACCEPT cost=' "$1"; }

for backend in $(backends); do
    tracer_start --engines iptables --backend "$backend" -H "$IP1"
    tcp_listen ns2 80
    tcp_send ns1 "$IP2" 80 hello
    in_ns ns1 timeout 1 tftp -g -r f -l /tmp/tftp.out "$IP2" 6969 || true
    wait_out "I_dest-unreachable"
    wait_quiet 3
    tracer_stop
    expect_rc 0
    expect_err "Attached $backend\\(ipt_do_table\\)"
    expect_cmd "$backend: the server got the text" grep -qx hello "$T_DIR/nc-ns2-80.out"

    SP=$(sed -n "s/.* T_SYN:$A1:\\([0-9]*\\)->$A2:80 .*/\\1/p" "$T_OUT" | head -n 1)
    [ -n "$SP" ] || die "$backend: no SYN line$(show_tracer)"
    C="$A1:$SP->$A2:80"
    S="$A2:80->$A1:$SP"
    # The handshake, in order: SYN (60 bytes: options), SYN,ACK, ACK (52: timestamps).
    expect_out "$(row "$NS1" v-ns2 nil 60)T_SYN:$C +$(filter OUTPUT)" "$backend"
    expect_out "$(row "$NS2" v-ns1 "$MAC2" 60)T_SYN:$C +$(filter INPUT)" "$backend"
    expect_out "$(row "$NS2" v-ns1 nil 60)T_SYN,ACK:$S +$(filter OUTPUT)" "$backend"
    expect_out "$(row "$NS1" v-ns2 "$MAC1" 60)T_SYN,ACK:$S +$(filter INPUT)" "$backend"
    expect_out "$(row "$NS1" v-ns2 nil 52)T_ACK:$C +$(filter OUTPUT)" "$backend"
    expect_out "$(row "$NS2" v-ns1 "$MAC2" 52)T_ACK:$C +$(filter INPUT)" "$backend"
    # "hello\n": 52 + 6 bytes with PSH; then both sides close.
    expect_out "$(row "$NS1" v-ns2 nil 58)T_ACK,PSH:$C +$(filter OUTPUT)" "$backend"
    expect_out "$(row "$NS2" v-ns1 "$MAC2" 58)T_ACK,PSH:$C +$(filter INPUT)" "$backend"
    expect_out "T_ACK,FIN:$C +$(filter OUTPUT)" "$backend"
    expect_out "T_ACK,FIN:$S +$(filter OUTPUT)" "$backend"
    expect_count "T_SYN:" 2 "$backend: one SYN, seen in two namespaces"
    expect_count "T_SYN,ACK:" 2 "$backend"
    expect_no_out "T_[A-Z,]*RST" "$backend: a clean close"
    # UDP to a closed port, and the port-unreachable it provokes.
    expect_out "$(row "$NS1" v-ns2 nil '[0-9]+')U:$A1:[0-9]+->$A2:6969 +$(filter OUTPUT)" "$backend"
    expect_out "$(row "$NS2" v-ns1 "$MAC2" '[0-9]+')U:$A1:[0-9]+->$A2:6969 +$(filter INPUT)" "$backend"
    expect_out "$(row "$NS2" v-ns1 nil '[0-9]+')I_dest-unreachable:$A2->$A1 +$(filter OUTPUT)" "$backend"
done
