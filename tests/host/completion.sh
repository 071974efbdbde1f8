#!/usr/bin/env bash
# Shell completion offers exactly what --help documents: every option (bash: what the completion
# function offers; zsh: the specs its _arguments call receives) and the values of --proto,
# --backend and --engines. So the three cannot drift apart.
set -u
BIN=${1:-./skbtracer-iptables}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BASH_COMPLETION=$ROOT/completions/skbtracer-iptables.bash
ZSH_COMPLETION=$ROOT/completions/_skbtracer-iptables
passed=0 failed=0 skipped=0

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; shift; printf '    %s\n' "$@"; failed=$((failed + 1)); }
skip() { echo "SKIP $1: $2"; skipped=$((skipped + 1)); }

# same NAME EXPECTED ACTUAL: the two sorted word lists are equal.
same() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "--help: $(echo $2)" "completion: $(echo $3)" \
			"only in --help: $(comm -23 <(echo "$2") <(echo "$3") | tr '\n' ' ')" \
			"only in the completion: $(comm -13 <(echo "$2") <(echo "$3") | tr '\n' ' ')"
	fi
}

help=$("$BIN" --help) || { fail "--help" "exit status $?"; exit 1; }
help_options=$(grep -oE '^ +(-[A-Za-z], )?--[a-z-]+' <<<"$help" | grep -oE -- '--?[A-Za-z-]+' |
	LC_ALL=C sort)
[ "$(wc -l <<<"$help_options")" -ge 20 ] || fail "options in --help" "$help_options"

# help_values OPTION: the values --help lists for OPTION ("tcp, udp, icmp, icmp6 or any (...)").
help_values() {
	grep -E "^ +--$1 " <<<"$help" | sed -E "s/^ +--$1 +[A-Z]+ +//; s/\(.*//; s/comma-separated://" |
		tr ', ' '\n\n' | grep -vE '^(or|)$' | LC_ALL=C sort
}

# bash: what the completion function offers for the words typed so far (the last is the current).
bash_complete() {
	bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _skbtracer_iptables
		printf "%s\n" "${COMPREPLY[@]}"' - "$BASH_COMPLETION" skbtracer-iptables "$@" |
		LC_ALL=C sort
}

same "bash: options" "$help_options" "$(bash_complete -)"
same "bash: --proto values" "$(help_values proto)" "$(bash_complete --proto '')"
same "bash: --backend values" "$(help_values backend)" "$(bash_complete --backend '')"
same "bash: --engines values" "$(help_values engines)" "$(bash_complete --engines '')"
same "bash: --engines list" "iptables,nftables" "$(bash_complete --engines iptables,nf)"
same "bash: after --, the expression only" "" "$(bash_complete -- -)"
same "bash: expression words" "portrange" "$(bash_complete 'tcp' portr)"

# zsh: the specs its _arguments call receives (a stub prints them), one per line.
if command -v zsh >/dev/null; then
	if out=$(zsh -n "$ZSH_COMPLETION" 2>&1); then pass "zsh: syntax"; else fail "zsh: syntax" "$out"; fi
	zsh_specs=$(zsh -fc '_arguments() { print -rl -- "${@:3}" }; source "$1"' - "$ZSH_COMPLETION")
	zsh_options=$(grep -oE '^--?[A-Za-z][A-Za-z-]*' <<<"$zsh_specs" | LC_ALL=C sort)
	same "zsh: options" "$help_options" "$zsh_options"
	# zsh_values OPTION: the (a b c) list, or the _values list, of OPTION's spec.
	zsh_values() {
		grep -E "^--$1=" <<<"$zsh_specs" | sed -E 's/.*:(\(|_values -s , [a-z]+ )//; s/\)$//' |
			tr ' ' '\n' | LC_ALL=C sort
	}
	same "zsh: --proto values" "$(help_values proto)" "$(zsh_values proto)"
	same "zsh: --backend values" "$(help_values backend)" "$(zsh_values backend)"
	same "zsh: --engines values" "$(help_values engines)" "$(zsh_values engines)"
else
	skip "zsh" "zsh is not installed"
fi

echo "completion: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
