# No dropping rule, filter tables in both namespaces: request and reply accepted, both backends.
# smoke
IP1=10.0.1.1
IP2=10.0.1.2
netns_pair ns1 "$IP1" ns2 "$IP2"
ipt_tables ns1
ipt_tables ns2
NS1=$(netns_inode ns1)
NS2=$(netns_inode ns2)
REQ="I_request:$(q "$IP1")->$(q "$IP2")"
REP="I_reply:$(q "$IP2")->$(q "$IP1")"

for backend in $(backends); do
    tracer_start --backend "$backend" --proto icmp -H "$IP1"
    ping_from ns1 "$IP2"
    wait_out "$REP .*hook=INPUT"
    tracer_stop

    expect_rc 0
    expect_out "\[$NS1\] .* $REQ .*table=filter hook=OUTPUT verdict=ACCEPT" "$backend"
    expect_out "\[$NS2\] .* $REQ .*table=filter hook=INPUT verdict=ACCEPT" "$backend"
    expect_out "\[$NS2\] .* $REP .*table=filter hook=OUTPUT verdict=ACCEPT" "$backend"
    expect_out "\[$NS1\] .* $REP .*table=filter hook=INPUT verdict=ACCEPT" "$backend"
    expect_no_out "verdict=DROP" "$backend"
done
