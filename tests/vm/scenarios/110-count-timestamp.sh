# -c N: the tool exits by itself, status 0, after exactly N event lines; -t: relative timestamps,
# the first [0.000000], then seconds since it (a ping 1 s later shows about 1 s later).
IP1=10.0.1.1
IP2=10.0.1.2
netns_pair ns1 "$IP1" ns2 "$IP2"
ipt_tables ns1
ipt_tables ns2

# --no-drops: -c and the line counts are about table calls (a ping's reply is a NO_SOCKET drop).
tracer_start --no-drops --engines iptables -c 3 -H "$IP1"
in_ns ns1 ping -c 2 -i 0.2 "$IP2"
tracer_wait 10
expect_rc 0
expect_count '^\[' 3 "-c 3: exactly 3 event lines"
expect_out '^TIME +SKB ' "-c 3: the header"
expect_err '^3 events, 0 lost$'
expect_no_err 'Received signal' "-c 3: it exited by itself"

tracer_start --no-drops --engines iptables -t -H "$IP1"
in_ns ns1 ping -c 2 -i 1 "$IP2"
wait_out 'I_reply.*hook=INPUT.*' 5
wait_quiet 3
tracer_stop
expect_rc 0
expect_count 'iptables=\[' 8
expect_count '^\[[0-9]+\.[0-9]{6}\] +\[0x' 8 "-t: every line has [S.UUUUUU]"
expect_cmd "-t: the first line is [0.000000]" sh -c "grep '^\\[' '$T_OUT' | head -n 1 | grep -q '^\\[0\\.000000\\] '"
expect_no_out '^\[[0-9]{2}:[0-9]{2}:[0-9]{2}\]' "-t: no wall-clock time"
# Lines 5-8 are the second ping, sent 1 s after the first.
SECOND=$(grep '^\[' "$T_OUT" | sed -n '5s/^\[\([0-9]*\.[0-9]*\)\].*/\1/p')
expect_cmd "-t: second ping at 0.5-5 s, got '$SECOND'" awk -v t="$SECOND" 'BEGIN { exit !(t >= 0.5 && t < 5) }'
expect_cmd "-t: times never go back" sh -c "grep '^\\[' '$T_OUT' | sed 's/^\\[\\([0-9.]*\\)\\].*/\\1/' | awk 'NR > 1 && \$1 < prev { exit 1 } { prev = \$1 }'"
