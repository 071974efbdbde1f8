# filter FORWARD in a router namespace (ip_forward=1): INTERFACE is arrival>leaving device,
# DEST_MAC the router's own; a FORWARD DROP for one destination; no INPUT/OUTPUT for forwarded packets.
IPA=10.0.1.1
IPB=10.0.2.1
IPB2=10.0.2.2
netns_router a "$IPA" r b "$IPB"
ip -n b addr add "$IPB2/24" dev v-r
in_ns r iptables -A FORWARD -d "$IPB2" -j DROP
NSR=$(netns_inode r)

row() { printf '\\[%s\\] +[0-9]+ +[0-9]+ +%s +%s +%s +' "$1" "$2" "$3" "$4"; }
filter() { printf 'pkt_type=HOST iptables=\\[pf=PF_INET, table=filter hook=%s verdict=%s cost=' "$1" "$2"; }

tracer_start --engines iptables -H "$IPA"
ping_from a "$IPB"
ping_from a "$IPB2"
wait_out "verdict=DROP"
tracer_stop

expect_rc 0
expect_out "$(row "$NSR" "v-a>v-b" "$(mac_of r v-a)" 84)I_request:$(q "$IPA")->$(q "$IPB") +$(filter FORWARD ACCEPT)"
expect_out "$(row "$NSR" "v-b>v-a" "$(mac_of r v-b)" 84)I_reply:$(q "$IPB")->$(q "$IPA") +$(filter FORWARD ACCEPT)"
expect_out "$(row "$NSR" "v-a>v-b" "$(mac_of r v-a)" 84)I_request:$(q "$IPA")->$(q "$IPB2") +$(filter FORWARD DROP)"
expect_count 'iptables=\[' 3 "only r has a table, and only FORWARD sees these packets"
expect_no_out "I_reply:$(q "$IPB2")" "dropped at FORWARD"
expect_no_out 'hook=(INPUT|OUTPUT|PREROUTING|POSTROUTING)'
