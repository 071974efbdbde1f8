# Run in the guest by `tests/vm/run.sh --demo TOOL`: shows the tool's real output for sample
# traffic between two network namespaces (legacy iptables, filter table in both).
T_DIR=/tmp/demo
mkdir -p "$T_DIR"
. /tests/lib.sh
set -eu
log() { :; }

IP1=10.0.1.1
IP2=10.0.1.2

# demo TITLE WAIT_REGEX TRAFFIC TRACER_ARGS...: trace the shell command TRAFFIC, show the output.
demo() {
    title=$1 until=$2 traffic=$3
    shift 3
    printf '\n==== %s\n$ skbtracer-iptables %s\n' "$title" "$*"
    tracer_start "$@"
    eval "$traffic" > /dev/null 2>&1 || true
    wait_out "$until" 10
    wait_quiet 5
    tracer_stop
    cat "$T_ERR" "$T_OUT"
}

netns_pair ns1 "$IP1" ns2 "$IP2"
ipt_tables ns1
ipt_tables ns2
echo "ns1: $IP1 on v-ns2, netns $(netns_inode ns1) <--veth--> ns2: $IP2 on v-ns1, netns $(netns_inode ns2)"

demo "ping $IP1 -> $IP2, accepted everywhere" "I_reply.*hook=INPUT" \
    "ping_from ns1 $IP2" --proto icmp -H "$IP1"

in_ns ns2 iptables -A INPUT -p icmp -s "$IP1" -j DROP
demo "ping $IP1 -> $IP2, dropped in ns2 by: iptables -A INPUT -p icmp -s $IP1 -j DROP" \
    "verdict=DROP" "ping_from ns1 $IP2" --proto icmp -H "$IP1"
in_ns ns2 iptables -F INPUT

tcp_listen ns2 8080
demo "TCP connection $IP1 -> $IP2:8080 (busybox nc)" "hook=INPUT" \
    "tcp_send ns1 $IP2 8080" --proto tcp -H "$IP1"

demo "the accepted ping with the kprobe backend" "I_reply.*hook=INPUT" \
    "ping_from ns1 $IP2" --backend kprobe --proto icmp -H "$IP1"
netns_cleanup
t_finish
