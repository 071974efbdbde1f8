#!/usr/bin/env bash
# Command-line matrix (issue 9): every option × missing, empty, wrong type, negative, overflow,
# blanks, control characters, a 100 KB value, "=value" on flags, repeats, unknown and ambiguous
# names, contradictions; as root and as an unprivileged user. The contract for bad input:
# exit 2, exactly one line on stderr and nothing on stdout, no raw control character, and no
# BPF program left behind. No valid command line runs here: it would start tracing.
set -u
BIN=${1:-./skbtracer-iptables}
passed=0 failed=0 skipped=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bpf_programs() { bpftool prog show 2>/dev/null | grep -c 'name \(fentry\|fexit\|kprobe\|kretprobe\)_ip'; }

users=(root)
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	users+=(nobody)
else
	echo "SKIP unprivileged half: needs root and setpriv"
	skipped=$((skipped + 1))
fi

as_user() {
	if [ "$1" = nobody ]; then
		shift
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"
	else
		shift
		"$@"
	fi
}

# expect USER RC REGEX ARGS...: exit RC; for errors nothing on stdout and one clean line on
# stderr matching REGEX; for exit 0 (--version), REGEX matches stdout and stderr is empty.
expect() {
	local user=$1 want_rc=$2 want=$3 rc err problem=""
	shift 3
	as_user "$user" timeout 10 "$BIN" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	err=$(cat "$tmp/err")
	if [ "$rc" -ne "$want_rc" ]; then
		problem="exit status $rc, expected $want_rc"
	elif [ "$want_rc" -ne 0 ] && [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
		problem="$(wc -l <"$tmp/err") lines on stderr, expected 1"
	elif [ "$want_rc" -ne 0 ] && [ -s "$tmp/out" ]; then
		problem="output on stdout"
	elif LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n' <"$tmp/err"); then
		problem="raw control character on stderr"
	elif [ "$(wc -c <"$tmp/err")" -gt 600 ]; then
		problem="stderr line of $(wc -c <"$tmp/err") bytes"
	elif [ "$want_rc" -eq 0 ] && [ -s "$tmp/err" ]; then
		problem="output on stderr"
	elif [ "$want_rc" -eq 0 ] && ! grep -qE -- "$want" "$tmp/out"; then
		problem="stdout does not match /$want/"
	elif [ "$want_rc" -ne 0 ] && ! LC_ALL=C grep -qE -- "$want" "$tmp/err"; then
		problem="stderr does not match /$want/"
	fi
	if [ -n "$problem" ]; then
		printf 'FAIL [%s] %s: %s\n    stderr: %s\n' "$user" "$(args_shown "$@")" "$problem" \
			"$(head -c 300 "$tmp/err" | cat -v)"
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
	fi
}

# The arguments for a FAIL line: control characters visible, long values cut.
args_shown() {
	local a out=""
	for a in "$@"; do
		[ ${#a} -gt 40 ] && a="${a:0:40}...(${#a} bytes)"
		out+="$(printf '%q' "$a") "
	done
	echo "$out"
}

version='^skbtracer-iptables [0-9]'
huge=$(head -c 102400 /dev/zero | tr '\0' 7)
ctrl=$'1\e[31m\a\n2'

# option (long name), short letter ("" for none), and the values it accepts: none are used.
value_options=(ipaddr:H proto: port:P sport: dport: icmpid: pid:p netns:N iface:i catch-count:c
	backend: btf: engines: output:o)
flag_options=(timestamp:t time:T no-rules: nft-trace: no-drops: stack: verbose:v debug:
	netns-names: help:h version:V)

# Values that are wrong for every value option (interface names take many: see iface_values).
bad_values=("" abc -1 99999999999999999999999 " 1" $'\t1' $'\n1' "1 " $'1\t' "$ctrl" "$huge")
iface_values=("" "1 2" $'\teth0' "eth0 " "a/b" "eth0:1" . .. 0123456789abcdef "$ctrl" "$huge")

start_programs=$(bpf_programs)
for user in "${users[@]}"; do
	for spec in "${value_options[@]}"; do
		long=${spec%%:*} short=${spec#*:}
		values=("${bad_values[@]}")
		[ "$long" = iface ] && values=("${iface_values[@]}")
		expect "$user" 2 "option '(-$short/)?--$long' needs a value" "--$long"
		[ -n "$short" ] && expect "$user" 2 "option '-$short/--$long' needs a value" "-$short"
		for v in "${values[@]}"; do
			expect "$user" 2 "--$long" "--$long" "$v"
			expect "$user" 2 "--$long" "--$long=$v"
			[ -n "$short" ] && expect "$user" 2 "-$short/--$long" "-$short" "$v"
		done
		# Repeats are accepted (the last one counts): --version proves the parse went on.
		case $long in
		ipaddr) ok=10.0.0.1 ;; proto) ok=tcp ;; backend) ok=kprobe ;; btf) ok=/etc/passwd ;;
		engines) ok=iptables ;; iface) ok=eth0 ;; output) ok=json ;; *) ok=5 ;;
		esac
		expect "$user" 0 "$version" "--$long" "$ok" "--$long" "$ok" --version
	done
	for spec in "${flag_options[@]}"; do
		long=${spec%%:*} short=${spec#*:}
		for v in 1 "" "$ctrl" "$huge"; do
			expect "$user" 2 "option '--$long' takes no value" "--$long=$v"
		done
		[ "$long" = help ] || [ "$long" = version ] && continue
		expect "$user" 0 "$version" "--$long" "--$long" --version
		[ -n "$short" ] && expect "$user" 0 "$version" "-$short$short" --version
	done
	# --summary's seconds are optional: --summary=N, or a number after it.
	for v in "" abc 0 -1 86401 99999999999999999999999 " 1" "$ctrl" "$huge"; do
		expect "$user" 2 "invalid --summary" "--summary=$v"
	done
	expect "$user" 2 "invalid --summary '0'" --summary 0
	expect "$user" 0 "$version" --summary --version
	expect "$user" 0 "$version" --summary 5 -o json --version
	expect "$user" 0 "$version" --summary=86400 --output=text --version
	expect "$user" 2 "invalid -o/--output 'JSON': expected text or json" -o JSON
	expect "$user" 2 "unknown option '--bogus'" --bogus
	expect "$user" 2 "unknown option '--\\\\x1b\[31m'" $'--\e[31m'
	expect "$user" 2 "unknown option '-x'" -x
	expect "$user" 2 "unknown option '-\\\\x07'" $'-\a'
	expect "$user" 2 "ambiguous option '--p': could be --proto, --port, --pid" --p 1
	expect "$user" 2 "ambiguous option '--ti': could be --timestamp, --time" --ti
	expect "$user" 2 "ambiguous option '--n'" --n
	# Positional arguments are a filter expression: a bad one is one line with pcap's message.
	expect "$user" 2 "bad filter expression 'icmp prot': can't parse filter expression" icmp prot
	expect "$user" 2 "bad filter expression 'a\\\\nb': can't parse" -- $'a\nb'
	expect "$user" 2 "bad filter expression '1\\\\x1b\\[31m\\\\x07\\\\n2'" "$ctrl"
	expect "$user" 2 "bad filter expression '7{64}\\.\\.\\.': number 7+" -- "$huge"
	expect "$user" 2 "bad filter expression '-c': can't parse" -c 1 -- -c
	expect "$user" 2 "expression rejects all packets" tcp and udp
	expect "$user" 2 "unknown host 'no-such-host.invalid'" host no-such-host.invalid
	expect "$user" 2 "'ip6 protochain 6': .*forward jumps only" ip6 protochain 6
	expect "$user" 2 "invalid -N/--netns '/dev/null': not a network namespace" -N /dev/null
	expect "$user" 2 "contradict --proto icmp" --proto icmp --port 80
	expect "$user" 2 "contradict --proto icmp6" --proto icmp6 --sport 80
	expect "$user" 2 "contradict --proto icmp" --dport 80 --proto icmp
	expect "$user" 2 "contradicts --proto tcp" --proto tcp --icmpid 1
	expect "$user" 2 "contradicts --proto udp" --icmpid 1 --proto udp
	expect "$user" 2 "needs nftables in --engines" --engines iptables,arptables --nft-trace
	expect "$user" 2 "--no-rules names none" --no-rules --nft-trace
	expect "$user" 2 "--stack prints stacks under events and --summary prints no events" --stack \
		--summary
done
if [ "${#users[@]}" -gt 1 ]; then
	# A valid command line without privileges: the documented exit 1, one line, nothing loaded.
	expect nobody 1 "needs root, or the capabilities CAP_BPF and CAP_PERFMON" --proto icmp
	expect nobody 1 "needs root" -H 10.0.0.1 --dport 80 -c 1
fi
end_programs=$(bpf_programs)
if [ "$end_programs" != "$start_programs" ]; then
	echo "FAIL BPF programs left behind: $start_programs before, $end_programs after"
	failed=$((failed + 1))
else
	passed=$((passed + 1))
fi

echo "host-cli-matrix: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
