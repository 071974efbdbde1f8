# mangle table on all five hooks through a router namespace: a -> r (forwarding) -> b and back.
IPA=10.0.1.1
IPB=10.0.2.1
netns_router a "$IPA" r b "$IPB"
for ns in a r b; do ipt_tables "$ns" mangle; done
NSA=$(netns_inode a)
NSR=$(netns_inode r)
NSB=$(netns_inode b)
REQ="I_request:$(q "$IPA")->$(q "$IPB")"
REP="I_reply:$(q "$IPB")->$(q "$IPA")"

row() { printf '\\[%s\\] +[0-9]+ +[0-9]+ +%s +%s +%s +' "$1" "$2" "$3" "$4"; }
mangle() { printf 'pkt_type=HOST iptables=\\[pf=PF_INET, table=mangle hook=%s verdict=ACCEPT cost=' "$1"; }

tracer_start --engines iptables --proto icmp -H "$IPA"
ping_from a "$IPB"
wait_out "$REP .*hook=INPUT"
wait_quiet 3
tracer_stop

expect_rc 0
expect_out "$(row "$NSA" v-r nil 84)$REQ +$(mangle OUTPUT)"
expect_out "$(row "$NSA" v-r nil 84)$REQ +$(mangle POSTROUTING)"
expect_out "$(row "$NSR" v-a "$(mac_of r v-a)" 84)$REQ +$(mangle PREROUTING)"
expect_out "$(row "$NSR" "v-a>v-b" "$(mac_of r v-a)" 84)$REQ +$(mangle FORWARD)" "FORWARD names both devices"
expect_out "$(row "$NSR" v-b nil 84)$REQ +$(mangle POSTROUTING)" "POSTROUTING names the leaving device, no stale MAC"
expect_out "$(row "$NSB" v-r "$(mac_of b v-r)" 84)$REQ +$(mangle PREROUTING)"
expect_out "$(row "$NSB" v-r "$(mac_of b v-r)" 84)$REQ +$(mangle INPUT)"
expect_out "$(row "$NSB" v-r nil 84)$REP +$(mangle OUTPUT)"
expect_out "$(row "$NSB" v-r nil 84)$REP +$(mangle POSTROUTING)"
expect_out "$(row "$NSR" v-b "$(mac_of r v-b)" 84)$REP +$(mangle PREROUTING)"
expect_out "$(row "$NSR" "v-b>v-a" "$(mac_of r v-b)" 84)$REP +$(mangle FORWARD)"
expect_out "$(row "$NSR" v-a nil 84)$REP +$(mangle POSTROUTING)"
expect_out "$(row "$NSA" v-r "$(mac_of a v-r)" 84)$REP +$(mangle PREROUTING)"
expect_out "$(row "$NSA" v-r "$(mac_of a v-r)" 84)$REP +$(mangle INPUT)"
expect_count 'table=mangle' 14 "4 in a, 6 in r, 4 in b"
expect_no_out "\\[$NSR\\] .*hook=(INPUT|OUTPUT)" "the router neither receives nor sends these packets"
expect_no_out "\\[$NSA\\] .*$REQ .*hook=(PREROUTING|INPUT|FORWARD)"
expect_no_out "\\[$NSB\\] .*$REQ .*hook=(OUTPUT|POSTROUTING|FORWARD)"
