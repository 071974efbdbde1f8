# A kube-proxy-style nat table of several thousand rules (iptables-legacy-restore): for each
# connection to one ClusterIP the tool names the KUBE-SEP DNAT rule of the backend that really
# answered (each backend's server prints its name), via PREROUTING > KUBE-SERVICES > KUBE-SVC.
SERVICES=600      # 10 rules and 4 chains each: 6,000 rules, 2,400 user chains
SVC=400           # the service under test (its backends are the only ones that exist)
CIP=10.96.1.151   # its ClusterIP: 10.96.(n/250).(n%250+1)
CONNS=9

netns_add node
netns_add cl
ip link add v-cl netns node type veth peer name v-node netns cl
ip -n node addr add 10.1.0.1/24 dev v-cl
ip -n cl addr add 10.1.0.2/24 dev v-node
ip -n node link set v-cl up
ip -n cl link set v-node up
ip -n cl route add default via 10.1.0.1
for k in 1 2 3; do
    netns_add "be$k"
    ip link add "v-be$k" netns node type veth peer name v-node netns "be$k"
    ip -n node addr add "10.244.$k.1/24" dev "v-be$k"
    ip -n "be$k" addr add "10.244.$k.2/24" dev v-node
    ip -n node link set "v-be$k" up
    ip -n "be$k" link set v-node up
    ip -n "be$k" route add default via "10.244.$k.1"
    /usr/sbin/ip netns exec "be$k" nc -ll -p 8080 -e echo "be$k" &
    echo $! > "$T_DIR/nc-be$k.pid"
done
ip netns exec node sysctl -qw net.ipv4.ip_forward=1

# Chain names as kube-proxy makes them: KUBE-SVC-/KUBE-SEP- and 16 characters.
awk -v n="$SERVICES" 'function svc(i) { return sprintf("KUBE-SVC-S%05dQZ7XK2MA4", i) }
function sep(i, k) { return sprintf("KUBE-SEP-E%05d%dQZ7XK2M", i, k) }
function cip(i) { return sprintf("10.96.%d.%d", int(i / 250), i % 250 + 1) }
BEGIN {
    print "*nat"
    print ":PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]"
    print ":KUBE-SERVICES - [0:0]\n:KUBE-POSTROUTING - [0:0]\n:KUBE-MARK-MASQ - [0:0]"
    for (i = 0; i < n; i++) { print ":" svc(i) " - [0:0]"; for (k = 1; k <= 3; k++) print ":" sep(i, k) " - [0:0]" }
    print "-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"
    print "-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"
    print "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING"
    print "-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000"
    print "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN"
    print "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000"
    print "-A KUBE-POSTROUTING -j MASQUERADE --random-fully"
    for (i = 0; i < n; i++) {
        print "-A KUBE-SERVICES -d " cip(i) "/32 -p tcp -m comment --comment \"default/svc-" i ":http cluster IP\" -m tcp --dport 80 -j " svc(i)
        print "-A " svc(i) " ! -s 10.244.0.0/16 -d " cip(i) "/32 -p tcp -m tcp --dport 80 -j KUBE-MARK-MASQ"
        print "-A " svc(i) " -m statistic --mode random --probability 0.33333333349 -j " sep(i, 1)
        print "-A " svc(i) " -m statistic --mode random --probability 0.50000000000 -j " sep(i, 2)
        print "-A " svc(i) " -j " sep(i, 3)
        for (k = 1; k <= 3; k++) {
            ip = sprintf("10.244.%d.%d", k, 2 + i % 200)
            print "-A " sep(i, k) " -s " ip "/32 -j KUBE-MARK-MASQ"
            print "-A " sep(i, k) " -p tcp -m tcp -j DNAT --to-destination " ip ":8080"
        }
    }
    print "COMMIT"
}' > "$T_DIR/kube.rules"
log "$(grep -c '^-A' "$T_DIR/kube.rules") rules, $(grep -c '^:KUBE' "$T_DIR/kube.rules") user chains"
in_ns node iptables-legacy-restore "$T_DIR/kube.rules"
/usr/sbin/ip netns exec node iptables-legacy-save -t nat > "$T_DIR/kube.saved"
for k in 1 2 3; do wait_until 10 tcp_listening "be$k" 8080 || die "be$k not listening"; done
NSNODE=$(netns_inode node)

# --rules-budget 100: under TCG, walks of this nat table for connections in quick succession
# use up the default 5% (seen: connections 6-8 said rule=?(budget: ...)); 312 tests the budget,
# this scenario that every connection names its rules.
tracer_start --engines iptables -H 10.1.0.2 -N "$NSNODE" --rules-budget 100
# One connection after the other: the Nth SYN at PREROUTING is the Nth connection's.
i=1
while [ "$i" -le "$CONNS" ]; do
    echo hi | in_ns cl nc -w 3 "$CIP" 80 > "$T_DIR/answer.$i" || true
    i=$((i + 1))
done
all_traced() { [ "$(grep -c 'hook=POSTROUTING' "$T_OUT")" -ge "$CONNS" ]; }
wait_until 10 all_traced || log "fewer than $CONNS connections traced at POSTROUTING after 10 s"
wait_quiet 2
tracer_stop
expect_rc 0

SVCNAME=$(printf 'KUBE-SVC-S%05dQZ7XK2MA4' "$SVC")
used=
i=1
while [ "$i" -le "$CONNS" ]; do
    be=$(cat "$T_DIR/answer.$i")
    case "$be" in be[123]) ;; *) fail "connection $i: no backend answered ('$be')"; i=$((i + 1)); continue ;; esac
    k=${be#be}
    used="$used $be"
    sep=$(printf 'KUBE-SEP-E%05d%dQZ7XK2M' "$SVC" "$k")
    text=$(grep -e "^-A $sep .*-j DNAT" "$T_DIR/kube.saved")
    svc_rule=$(grep -e "^-A $SVCNAME " "$T_DIR/kube.saved" | grep -n -e "-j $sep\$" | cut -d: -f1)
    line=$(grep 'hook=PREROUTING' "$T_OUT" | sed -n "${i}p")
    want="T_SYN:10\.1\.0\.2:[0-9]+->$(q "$CIP"):80 +pkt_type=HOST iptables=\[pf=PF_INET, table=nat hook=PREROUTING verdict=ACCEPT cost=[^]]*\] nat=\[DNAT $(q "$CIP"):80 -> 10\.244\.$k\.2:8080\] rule=PREROUTING#1 > KUBE-SERVICES#$((SVC + 1)) > $SVCNAME#$svc_rule > $sep#2: $(q "$text")\$"
    echo "$line" | grep -Eq -- "$want" || fail "connection $i, answered by $be: expected /$want/, got: $line"
    sport=$(echo "$line" | sed -n 's/.*T_SYN:10\.1\.0\.2:\([0-9]*\)->.*/\1/p')
    expect_out "T_SYN:10\.1\.0\.2:$sport->10\.244\.$k\.2:8080 .* table=nat hook=POSTROUTING verdict=ACCEPT cost=[^]]*\] nat=\[MASQUERADE 10\.1\.0\.2:$sport -> 10\.244\.$k\.1:[0-9]+\] rule=POSTROUTING#1 > KUBE-POSTROUTING#3: -A KUBE-POSTROUTING -j MASQUERADE --random-fully$" \
        "connection $i went to $be and was masqueraded"
    i=$((i + 1))
done
log "backends that answered:$used"
expect_count "iptables=\[" $((CONNS * 2)) "the first packet of each connection, at PREROUTING and POSTROUTING"
expect_no_out "rule=\?" "no uncertain attribution"
