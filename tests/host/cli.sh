#!/usr/bin/env bash
# Host command-line tests: the real binary's errors, exit codes and help, on this kernel.
# Nothing here needs the kernel to be traceable; what needs it runs in the VM suite.
set -u
BIN=${1:-./skbtracer-iptables}
passed=0 failed=0 skipped=0

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; shift; printf '    %s\n' "$@"; failed=$((failed + 1)); }
skip() { echo "SKIP $1: $2"; skipped=$((skipped + 1)); }

bpf_programs() { bpftool prog show 2>/dev/null | grep -c 'name \(fentry\|fexit\|kprobe\|kretprobe\)_ip' ; }

# run NAME EXPECTED_RC STDERR_REGEX ARGS...: one line on stderr, that exit code, nothing left.
run() {
	local name=$1 want_rc=$2 want_err=$3 out err rc before after
	shift 3
	before=$(bpf_programs)
	err=$(timeout 20 "$BIN" "$@" 2>&1 >/dev/null)
	rc=$?
	after=$(bpf_programs)
	if [ "$rc" -ne "$want_rc" ]; then
		fail "$name" "exit status $rc, expected $want_rc" "stderr: $err"
	elif ! grep -qE -- "$want_err" <<<"$err"; then
		fail "$name" "stderr does not match /$want_err/" "stderr: $err"
	elif [ "$want_rc" -eq 2 ] && [ "$(wc -l <<<"$err")" -ne 1 ]; then
		fail "$name" "expected one line on stderr" "stderr: $err"
	elif [ "$after" != "$before" ]; then
		fail "$name" "BPF programs left behind: $before before, $after after"
	else
		pass "$name"
	fi
}

out=$("$BIN" --help)
if [ $? -eq 0 ] && grep -q '^Usage: skbtracer-iptables' <<<"$out" && grep -q -- '--backend' <<<"$out" &&
	grep -q '^Examples:' <<<"$out"; then pass "--help"; else fail "--help" "$out"; fi
out=$("$BIN" --version)
if [ $? -eq 0 ] && grep -qE '^skbtracer-iptables [0-9]+\.[0-9]+' <<<"$out"; then
	pass "--version"; else fail "--version" "$out"; fi

run "unknown protocol" 2 "invalid --proto 'sctp'" --proto sctp
run "port out of range" 2 "invalid -P/--port '70000'" -P 70000
run "malformed address" 2 "invalid -H/--ipaddr '10.0.0.300'" -H 10.0.0.300
run "unknown option" 2 "unknown option '--frobnicate'" --frobnicate
run "missing value" 2 "option '--dport' needs a value" --dport
run "bad filter expression" 2 \
	"^skbtracer-iptables: bad filter expression 'tcp prot 80': can't parse filter expression: syntax error$" \
	tcp prot 80
run "expression matching nothing" 2 "bad filter expression 'tcp and udp': expression rejects all packets" \
	'tcp and udp'
run "expression with a backward jump" 2 "'ip6 protochain 6': .*forward jumps only" ip6 protochain 6
run "-N: not a namespace" 2 "invalid -N/--netns '/dev/null': not a network namespace" -N /dev/null
run "-N: unknown ip netns name" 2 "invalid --netns 'no-such-ns': No such file or directory in /run/netns" \
	--netns no-such-ns
run "bad backend" 2 "invalid --backend 'xdp'" --backend xdp
run "unreadable btf" 2 "cannot read --btf file" --btf /nonexistent/vmlinux

run "--no-rules with a value" 2 "option '--no-rules' takes no value" --no-rules=1
run "ambiguous prefix" 2 "ambiguous option '--p': could be --proto, --port, --pid" --p 1
run "leading tab in a number" 2 "invalid -c/--catch-count '\\\\t-1'" -c $'\t-1'
run "interface with a blank" 2 "invalid -i/--iface '1 2'" -i '1 2'
run "contradiction" 2 "contradict --proto icmp" --proto icmp --port 80
run "directory without vmlinux as --btf" 2 "--btf directory '/' has no readable vmlinux" --btf /
run "-t-" 2 "^skbtracer-iptables: unknown option '-t-': '-' cannot follow short options" -t-
run "--=x" 2 "^skbtracer-iptables: unknown option '--=x' " --=x
run "ports with --icmpid" 2 "--icmpid matches ICMP echo and --port, --sport, --dport" --port 80 --icmpid 5
run "icmp6 with an IPv4 address" 2 "--proto icmp6 is IPv6 only" --proto icmp6 -H 10.0.0.1
run "an Ethernet expression, iptables only" 2 "matches at bridge, netdev and ARP hooks only and --engines" \
	--engines iptables vlan 10
run "-v with --no-rules" 2 "-v lists the rules matched on the way and --no-rules names none" -v --no-rules
run "--show-id with --summary" 2 "--show-id adds to each event's line and --summary prints none" \
	--show-id --summary
run "--track-entries with --no-track" 2 "--track-entries sizes tracking's table and --no-track" \
	--no-track --track-entries 100

# --btf: a FIFO would block the reader forever; contents that are not BTF say so, as exit 2.
btf_dir=$(mktemp -d)
mkfifo "$btf_dir/fifo"
mkdir "$btf_dir/text" "$btf_dir/fifo-module"
echo text >"$btf_dir/text/vmlinux"
run "--btf FIFO" 2 "^skbtracer-iptables: --btf '.*/fifo' is not a regular file or a directory" \
	--btf "$btf_dir/fifo"
run "--btf an ELF file without .BTF" 2 \
	"cannot read BTF from '/bin/true': not a BTF file or an ELF file with a .BTF section" \
	--btf /bin/true
if [ -r /sys/kernel/btf/vmlinux ] && [ "$(id -u)" = 0 ]; then
	run "--btf DIR/vmlinux not BTF" 2 "^skbtracer-iptables: cannot read BTF from '.*/text/vmlinux': not a BTF file" \
		--btf "$btf_dir/text" 'vlan 10'
	cp /sys/kernel/btf/vmlinux "$btf_dir/fifo-module/vmlinux"
	mkfifo "$btf_dir/fifo-module/nf_tables"
	run "--btf DIR with a FIFO" 2 "'.*/nf_tables' in the --btf directory is not a regular file" \
		--btf "$btf_dir/fifo-module"
else
	skip "--btf DIR contents" "needs root and /sys/kernel/btf/vmlinux (checked after the privilege test)"
fi
rm -rf "$btf_dir"

# -o json: errors are {"type":"error","message":...} objects on stderr, with the same exit status.
run "usage error as JSON" 2 \
	'^\{"schema_version":1,"type":"error","message":"invalid --proto .sctp.: expected tcp' \
	-o json --proto sctp
run "usage error before -o json: text" 2 "^skbtracer-iptables: invalid --proto 'sctp'" \
	--proto sctp -o json
run "--netns-names with --summary" 2 \
	'"type":"error","message":"--netns-names adds a column to each event.s line and --summary' \
	-o json --summary --netns-names
# json_errors NAME WANT_RC MESSAGE_REGEX ARGS...: every stderr line an object jq reads, the last
# one the error.
json_errors() {
	local name=$1 want_rc=$2 want=$3 err rc
	shift 3
	err=$(timeout 20 "$@" 2>&1 >/dev/null)
	rc=$?
	if ! command -v jq >/dev/null; then
		skip "$name" "jq is not installed"
	elif [ "$rc" -ne "$want_rc" ]; then
		fail "$name" "exit status $rc, expected $want_rc" "stderr: $err"
	elif ! jq -e -s --arg re "$want" 'length > 0 and all(.[]; type == "object") and
		(.[-1] | .type == "error" and (.message | test($re)))' <<<"$err" >/dev/null; then
		fail "$name" "stderr is not JSON objects ending in an error matching /$want/" "stderr: $err"
	else
		pass "$name"
	fi
}

out=$("$BIN" --help 2>&1 >/dev/full)
rc=$?
if [ $rc -ne 0 ] && grep -q 'cannot write to standard output' <<<"$out"; then
	pass "--help to a full device"
else
	fail "--help to a full device" "exit $rc" "$out"
fi

# Crafted BTF (issue 9): a FUNC whose prototype does not exist, two typedefs naming each other.
btf_dir=$(mktemp -d)
trap 'rm -rf "$btf_dir"' EXIT
# header: magic 0xeb9f, version 1, flags 0, hdr_len 24, type_off 0, type_len, str_off, str_len
printf '\x9f\xeb\x01\x00\x18\x00\x00\x00\x00\x00\x00\x00\x0c\x00\x00\x00\x0c\x00\x00\x00\x0e\x00\x00\x00%b%b' \
	'\x01\x00\x00\x00\x00\x00\x00\x0c\x07\x00\x00\x00' '\x00ipt_do_table\x00' >"$btf_dir/missing"
printf '\x9f\xeb\x01\x00\x18\x00\x00\x00\x00\x00\x00\x00\x18\x00\x00\x00\x18\x00\x00\x00\x05\x00\x00\x00%b%b%b' \
	'\x01\x00\x00\x00\x00\x00\x00\x08\x02\x00\x00\x00' '\x03\x00\x00\x00\x00\x00\x00\x08\x01\x00\x00\x00' \
	'\x00A\x00B\x00' >"$btf_dir/cycle"
if [ "$(id -u)" -eq 0 ]; then
	SECONDS=0
	run "--btf: FUNC to a missing type" 2 "malformed BTF in '.*': type 1: refers to a type" \
		--btf "$btf_dir/missing"
	run "--btf: typedef cycle" 2 "malformed BTF in '.*': type 1: typedefs or modifiers that loop" \
		--btf "$btf_dir/cycle"
	if [ $SECONDS -le 2 ]; then pass "--btf: bad files refused at once"; else
		fail "--btf: bad files refused at once" "took ${SECONDS}s"; fi
	if [ -r /sys/kernel/btf/vmlinux ]; then
		mkdir "$btf_dir/dir" && cp /sys/kernel/btf/vmlinux "$btf_dir/dir/" &&
			echo "not BTF" >"$btf_dir/dir/nf_tables"
		run "--btf DIR: a module file that is not BTF" 2 \
			"cannot read module BTF '.*/dir/nf_tables': not a BTF file" \
			--btf "$btf_dir/dir"
	else
		skip "--btf DIR: a bad module file" "no /sys/kernel/btf/vmlinux on this machine"
	fi
else
	skip "--btf: crafted files" "needs root (BTF is read after the privilege check)"
fi

# SIGTERM during start-up: "Interrupted during start-up", exit 128+15, nothing attached.
if [ "$(id -u)" -eq 0 ]; then
	result=""
	for delay in 0.02 0.04 0.06 0.1; do
		before=$(bpf_programs)
		"$BIN" --proto icmp >/dev/null 2>"$btf_dir/err" &
		pid=$!
		sleep $delay
		kill -TERM $pid 2>/dev/null
		wait $pid
		rc=$?
		after=$(bpf_programs)
		if [ $rc -eq 143 ] && grep -q 'Interrupted during start-up' "$btf_dir/err"; then
			[ "$after" = "$before" ] && result=pass || result="programs left: $before, $after"
			break
		fi
	done
	case $result in
	pass) pass "SIGTERM during start-up" ;;
	"") skip "SIGTERM during start-up" "start-up ended before the signal at every delay" ;;
	*) fail "SIGTERM during start-up" "$result" ;;
	esac
else
	skip "SIGTERM during start-up" "needs root"
fi

if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$BIN" --proto icmp 2>&1 >/dev/null)
	rc=$?
	if [ $rc -eq 1 ] && grep -q 'needs root, or the capabilities CAP_BPF and CAP_PERFMON' <<<"$err"; then
		pass "unprivileged user"
	else
		fail "unprivileged user" "exit $rc" "$err"
	fi
	json_errors "unprivileged user, -o json" 1 "needs root, or the capabilities CAP_BPF" \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$BIN" -o json
else
	skip "unprivileged user" "needs root and setpriv to drop privileges"
fi

# CAP_BPF and CAP_PERFMON only: tracing is allowed, and what rule attribution lacks is said.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all,+bpf,+perfmon \
		--ambient-caps=-all,+bpf,+perfmon "$BIN" --proto icmp 2>&1 >/dev/null)
	if grep -q 'without CAP_SYS_ADMIN it cannot enter other network namespaces' <<<"$err" &&
		grep -q 'without CAP_NET_ADMIN it cannot read tables' <<<"$err" &&
		! grep -q 'needs root' <<<"$err"; then
		pass "CAP_BPF and CAP_PERFMON only"
	else
		fail "CAP_BPF and CAP_PERFMON only" "attribution limits not said" "$err"
	fi
	err=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all,+bpf,+perfmon \
		--ambient-caps=-all,+bpf,+perfmon "$BIN" --proto icmp --no-rules 2>&1 >/dev/null)
	if grep -q 'Rule attribution is limited' <<<"$err"; then
		fail "CAP_BPF and CAP_PERFMON only, --no-rules" "limits said though attribution is off" "$err"
	else
		pass "CAP_BPF and CAP_PERFMON only, --no-rules"
	fi
else
	skip "CAP_BPF and CAP_PERFMON only" "needs root and setpriv"
fi

# On a kernel that cannot attach (no kprobes, fentry refused) the tool must say why.
if [ "$(id -u)" -ne 0 ]; then
	skip "untraceable kernel" "needs root"
elif [ -e /sys/bus/event_source/devices/kprobe ] || [ -e /sys/kernel/tracing/kprobe_events ]; then
	skip "untraceable kernel" "this kernel has kprobes; tracing is tested in the VM suite"
else
	run "untraceable kernel" 1 "cannot trace the packet filters: .*kprobe: this kernel has no kprobes" \
		--proto icmp
	run "untraceable kernel, fentry only" 1 "cannot trace the packet filters: fentry: " \
		--backend fentry
	json_errors "untraceable kernel, -o json" 1 "^cannot trace the packet filters: " \
		"$BIN" -o json --proto icmp
	# An expression for Ethernet frames only says so before anything else.
	err=$("$BIN" 'vlan 10' 2>&1 >/dev/null)
	if [ "$(head -n1 <<<"$err")" = "The filter expression matches at bridge, netdev and ARP hooks only (on IP packets without their Ethernet header: no VLAN support for Raw IP)" ]; then
		pass "expression for frames only"
	else
		fail "expression for frames only" "$err"
	fi
	# libbpf's log: with --debug only, not with -v.
	debug_err=$("$BIN" --debug --backend kprobe 2>&1 >/dev/null)
	debug_lines=$(grep -c '^libbpf: ' <<<"$debug_err")
	verbose_err=$("$BIN" -v --backend kprobe 2>&1 >/dev/null)
	verbose_lines=$(grep -c '^libbpf: ' <<<"$verbose_err")
	if [ "$debug_lines" -gt 10 ] && [ "$verbose_lines" -eq 0 ]; then
		pass "--debug shows libbpf's log, -v does not"
	else
		fail "--debug shows libbpf's log, -v does not" \
			"libbpf lines: $debug_lines with --debug, $verbose_lines with -v"
	fi
	# the start's steps timed (here the attach fails: the steps up to loading)
	if grep -qE '^debug: BTF and functions found in [0-9]+\.[0-9]{3} s$' <<<"$debug_err" &&
		grep -qE '^debug: programs loaded \(verified\) in [0-9]+\.[0-9]{3} s$' <<<"$debug_err" &&
		! grep -q '^debug: ' <<<"$verbose_err"; then
		pass "--debug times the start's steps, -v does not"
	else
		fail "--debug times the start's steps, -v does not" \
			"$(grep '^debug: ' <<<"$debug_err")"
	fi
	# a load the kernel refuses is timed as that, not as "programs loaded"
	fentry_err=$("$BIN" --debug --backend fentry 2>&1 >/dev/null)
	if ! grep -q "fentry: the kernel refused to load it" <<<"$fentry_err"; then
		skip "--debug after a refused load" "this kernel loads the fentry programs"
	elif grep -qE '^debug: loading failed in [0-9]+\.[0-9]{3} s$' <<<"$fentry_err" &&
		! grep -q '^debug: programs loaded' <<<"$fentry_err"; then
		pass "--debug after a refused load"
	else
		fail "--debug after a refused load" "$(grep '^debug: ' <<<"$fentry_err")"
	fi
	# the build of the programs: typed reads where the kernel's BTF has bpf_rdonly_cast (6.2+)
	want='probe reads'
	if bpftool btf dump file /sys/kernel/btf/vmlinux 2>/dev/null |
		grep -q "FUNC 'bpf_rdonly_cast'"; then
		want='typed reads (bpf_rdonly_cast)'
	fi
	if grep -qxF "debug: object: $want" <<<"$debug_err"; then
		pass "--debug names the build of the programs for this kernel ($want)"
	else
		fail "--debug names the build of the programs for this kernel ($want)" \
			"$(grep '^debug: object' <<<"$debug_err")"
	fi
fi

echo "host-cli: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
