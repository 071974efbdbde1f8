#!/bin/sh
# /init of the arm64 smoke VM (tests/vm/arm64-smoke.sh): with backend auto and kprobe, an OUTPUT DROP of
# ICMP to 127.0.0.1 must be traced, and with its rule. Prints @@PASS/@@FAIL lines, then @@DONE.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t bpf bpf /sys/fs/bpf
mount -t tracefs tracefs /sys/kernel/tracing
exec < /dev/console > /dev/console 2>&1
for m in x_tables ip_tables iptable_filter; do insmod "/modules/$m.ko" || echo "@@FAIL insmod $m"; done
ip link set lo up 2> /dev/null || ifconfig lo 127.0.0.1 up
iptables -A OUTPUT -p icmp -d 127.0.0.1 -j DROP || echo "@@FAIL iptables"
echo "@@BOOTED $(uname -r) $(uname -m)"

# auto: fentry, or kprobes where arm64 cannot attach fentry to a module function (6.1: ENOTSUPP).
for backend in auto kprobe; do
    skbtracer-iptables --backend "$backend" --proto icmp > /tmp/out 2> /tmp/err &
    pid=$!
    i=0
    while ! grep -q 'Tracing\.\.\.' /tmp/err && [ $i -lt 300 ]; do sleep 0.2; i=$((i + 1)); done
    ping -c 1 -W 1 127.0.0.1 > /dev/null 2>&1
    sleep 3
    kill -INT "$pid"
    wait "$pid"
    rc=$?
    cat /tmp/err /tmp/out
    line='I_request:127\.0\.0\.1->127\.0\.0\.1 .*table=filter hook=OUTPUT verdict=DROP'
    if [ "$rc" = 0 ] && grep -Eq "Attached (fentry|kprobe)\(ipt_do_table\)" /tmp/err &&
        grep -q "$line" /tmp/out; then
        echo "@@PASS $backend: OUTPUT DROP traced"
    else
        echo "@@FAIL $backend: exit status $rc, no OUTPUT DROP line"
    fi
    grep "^Rule attribution is off" /tmp/err | sed "s/^/@@note $backend: /"
    if grep -q "$line .*rule=OUTPUT#1: -A OUTPUT -d 127\.0\.0\.1/32 -p icmp -j DROP$" /tmp/out; then
        echo "@@PASS $backend: rule attribution"
    else
        echo "@@FAIL $backend: rule attribution: $(grep -o 'rule=.*' /tmp/out | head -n1)"
    fi
done
echo "@@DONE"
poweroff -f
