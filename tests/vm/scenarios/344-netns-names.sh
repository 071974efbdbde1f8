# --netns-names: the NETNS_NAME column (text) and netns_name/netns_kind (JSON) name one namespace
# in turn by its `ip netns` name; unnamed, by the container whose cgroup (a real cgroup v2
# directory docker-<id>.scope) holds a process in it; by the Kubernetes pod whose uid is in that
# process's cgroup path (kubepods-besteffort-pod<uid>.slice) and whose kubelet log directory
# /var/log/pods/<namespace>_<name>_<uid> exists; and a hostile pod name (a quote, a backslash, a
# newline, ESC, "$(reboot)") comes out escaped on one text line and exact in JSON.
command -v jq > /dev/null || skip "jq is not in the initramfs (apt-get install jq)"
IP1=10.34.4.1
IP2=10.34.4.2
ID=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
ID2=fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
POD_UID=1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9
POD_SLICE=kubepods-besteffort-pod$(echo "$POD_UID" | tr - _).slice
CG=/sys/fs/cgroup
DOCKER_CG=$CG/system.slice/docker-$ID.scope
POD_CG=$CG/kubepods.slice/kubepods-besteffort.slice/$POD_SLICE/cri-containerd-$ID2.scope
PODS=/var/log/pods
EVIL_NS='q"s'
EVIL_NAME=$(printf 'n\\a\nme\033[31m$(reboot)')

netns_pair n344a "$IP1" n344b "$IP2"
ipt_tables n344b
NSB=$(netns_inode n344b)

# jq_expect FILE DESCRIPTION FILTER [jq args]: FILTER, over FILE's lines as one array, is true.
jq_expect() {
    _file=$1 _desc=$2 _filter=$3
    shift 3
    jq -e -s "$@" "$_filter" "$_file" > /dev/null && return 0
    fail "$_desc: jq -s '$_filter' is not true$(show_tracer)"
}

# trace_ping [OPTIONS]: the tool on namespace b while a pings b once.
trace_ping() {
    tracer_start --netns-names --engines iptables --proto icmp -N "$NSB" "$@"
    ping_from n344a "$IP2"
    wait_until 10 grep -q "$IP1" "$T_OUT" || log "no event from $IP1"
    wait_quiet 2
    tracer_stop
    expect_rc 0
}

# expect_named TEXT_COLUMN JSON_FILTER [jq args]: the column in text, the fields in JSON.
expect_named() {
    _column=$1 _fields=$2
    shift 2
    trace_ping
    expect_out "^TIME +SKB +NETWORK_NS +NETNS_NAME +PID +CPU " "the header names the column"
    expect_out "^\\[[0-9:]+\\] \\[0x[0-9a-f]+\\] \\[$NSB\\] $(q "$_column") +[0-9]+ .*I_request:$(q "$IP1")->$(q "$IP2") " \
        "column $_column"
    expect_count 'iptables=\[' 2 "the request and the reply, one line each"
    echo "@@INFO $T_NAME $(sed -n 2p "$T_OUT")" > /dev/console
    trace_ping -o json
    jq_expect "$T_OUT" "JSON: $_column" \
        'length == 2 and all(.[]; .netns == $ns and .type == "table_call") and '"$_fields" \
        --argjson ns "$NSB" "$@"
    echo "@@INFO $T_NAME $_column: $(jq -c '{netns, netns_name, netns_kind}' "$T_OUT" | head -n 1)" > /dev/console
}

# 1. The `ip netns` name.
expect_named n344b 'all(.[]; .netns_name == "n344b" and .netns_kind == "ip-netns" and
    (has("container_runtime") | not))'

# 2. Unnamed, with a process in a docker container's cgroup: the short id.
/usr/sbin/ip netns exec n344b sleep 600 &
SLEEPER=$!
wait_until 10 sh -c "[ \"\$(stat -L -c %i /proc/$SLEEPER/ns/net)\" = $NSB ]" ||
    die "sleep did not enter n344b"
ip netns delete n344b # the sleeper keeps the namespace (and its veth end) alive
[ ! -e /run/netns/n344b ] || die "n344b still named"
grep -q " $CG cgroup2 " /proc/mounts || mount -t cgroup2 none "$CG" || skip "no cgroup v2"
cleanup_344() {
    kill "$SLEEPER" 2> /dev/null || true
    wait "$SLEEPER" 2> /dev/null || true
    rmdir "$DOCKER_CG" "$CG/system.slice" "$POD_CG" "$CG/kubepods.slice/kubepods-besteffort.slice/$POD_SLICE" \
        "$CG/kubepods.slice/kubepods-besteffort.slice" "$CG/kubepods.slice" 2> /dev/null || true
    rm -rf "$PODS"
}
mkdir -p "$DOCKER_CG" "$POD_CG"
echo "$SLEEPER" > "$DOCKER_CG/cgroup.procs"
grep -q "^0::/system.slice/docker-$ID.scope\$" "/proc/$SLEEPER/cgroup" ||
    fail "the sleeper's cgroup: $(cat "/proc/$SLEEPER/cgroup")"
expect_named docker:0123456789ab \
    'all(.[]; .netns_name == $id and .netns_kind == "container" and .container_runtime == "docker")' \
    --arg id "$ID"

# 3. The same process in a pod's cgroup, with the kubelet's log directory: the pod's name.
echo "$SLEEPER" > "$POD_CG/cgroup.procs"
mkdir -p "$PODS/default_web-0_$POD_UID"
expect_named pod:default/web-0 'all(.[]; .netns_name == "default/web-0" and .netns_kind == "pod")'

# 4. A hostile pod name: escaped in the text column (one line per event), exact in JSON.
rm -rf "$PODS"
mkdir -p "$PODS/${EVIL_NS}_${EVIL_NAME}_$POD_UID"
expect_named 'pod:q"s/n\\a\nme\x1b[31m$(reboot)' \
    'all(.[]; .netns_name == $name and .netns_kind == "pod")' --arg name "$EVIL_NS/$EVIL_NAME"
trace_ping
expect_no_out '^me' "no line starts inside the name"
expect_count '^\[' 2 "two event lines"

# 5. Neither named nor in a container: "-" and null.
echo "$SLEEPER" > "$CG/cgroup.procs"
expect_named - 'all(.[]; .netns_name == null and .netns_kind == null)'
cleanup_344
