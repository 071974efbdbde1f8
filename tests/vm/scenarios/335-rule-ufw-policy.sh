# A ruleset ufw generates (Debian's ufw package: its ufw-init and rule templates, default
# policy DROP) in b. A TCP SYN to a closed port from a falls through ufw's chains to the INPUT
# policy: about 18 matched entries, more than the 16 the replay used to follow. Oracle: every
# SYN the kernel counted at the policy is a line with rule=INPUT:policy DROP.
IP1=10.3.35.1
IP2=10.3.35.2
[ -e /opt/ufw/lib/ufw/ufw-init ] || skip "ufw is not in the initramfs"
netns_pair a "$IP1" b "$IP2"
D=$T_DIR/ufw
mkdir -p "$D/etc/ufw" "$D/etc/default" "$D/lib"
cp -a /opt/ufw/lib/ufw "$D/lib/"
cp /opt/ufw/usr/share/ufw/iptables/*.rules "$D/etc/ufw/"
sed 's/^ENABLED=.*/ENABLED=yes/' /opt/ufw/usr/share/ufw/ufw.conf > "$D/etc/ufw/ufw.conf"
sed -e 's/^IPV6=.*/IPV6=no/' -e "s|^IPT_SYSCTL=.*|IPT_SYSCTL=$D/sysctl.conf|" \
    /opt/ufw/etc/default/ufw > "$D/etc/default/ufw"
: > "$D/sysctl.conf"
expect_cmd "ufw-init start" in_ns b sh "$D/lib/ufw/ufw-init" --rootdir "$D" --datadir "$D" start
in_ns b iptables -L INPUT -n | grep -q "policy DROP" || fail "ufw did not set INPUT's policy"
NSB=$(netns_inode b)
log "ufw made $(in_ns b iptables-save | grep -c '^-A') rules"

tracer_start -v --engines iptables --proto tcp -H "$IP1" -N "$NSB"
in_ns a nc -w 2 "$IP2" 9 < /dev/null > /dev/null 2>&1 || true
wait_out "hook=INPUT verdict=DROP"
wait_quiet 2
tracer_stop

expect_rc 0
POLICY=$(ipt_pkts b filter INPUT policy)
LINE="T_SYN:$(q "$IP1"):[0-9]+->$(q "$IP2"):9 .*hook=INPUT verdict=DROP cost=[^]]*\]"
NAMED=$(grep -Ec "$LINE rule=INPUT:policy DROP$" "$T_OUT" || true)
STEPS=$(awk 'on && /^    matched / { n++; next } on { exit } /hook=INPUT verdict=DROP/ { on = 1 }
    END { print n + 0 }' "$T_OUT")
log "kernel: $POLICY SYNs dropped by the policy; tool: $NAMED lines name it, $STEPS entries matched"
[ "${POLICY:-0}" -ge 1 ] || fail "the kernel counted no SYN at INPUT's policy$(show_tracer)"
[ "$NAMED" -eq "$POLICY" ] || fail "$NAMED lines say rule=INPUT:policy DROP, the kernel counted $POLICY$(show_tracer)"
[ "$STEPS" -gt 16 ] || fail "only $STEPS matched entries: not the long path this checks"
