#!/bin/bash
# Usage: scripts/gen-vmlinux-h.sh VMLINUX_BTF [MODULE.ko...] > vmlinux.h
# A vmlinux.h for the BPF code from a kernel's BTF plus the types of its modules (netfilter is
# modular on distribution kernels: x_tables, nf_tables... have their own split BTF). bpftool
# dumps each module with its base; the type definitions the base dump lacks are appended.
# Used for vmlinux/arm64/vmlinux.h (see README, "arm64").
set -euo pipefail
[ $# -ge 1 ] || { sed -n '2,6s/^# \{0,1\}//p' "$0" >&2; exit 2; }
BTF=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bpftool btf dump file "$BTF" format c > "$tmp/base.h"
for ko in "$@"; do
	bpftool btf dump file "$ko" -B "$BTF" format c
done > "$tmp/modules.h"

# Blocks are definitions separated by blank lines, known by their first line when it names a
# type (two modules may each define a type of the same name: the first is kept), else by their
# text. The trailer begins with `#ifndef BPF_NO_PRESERVE_ACCESS_INDEX` after the types.
awk -v RS= -v ORS='\n\n' '
	function key(block, first) {
		first = block
		sub(/\n.*/, "", first)
		return first ~ /^(struct|union|enum) [A-Za-z_0-9]+ \{$|^typedef / ? first : block
	}
	FNR == NR {
		if (/^#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop/) in_trailer = 1
		if (in_trailer) trailer = trailer $0 "\n\n"; else base[++n] = $0
		seen[key($0)] = 1
		next
	}
	/^#/ { next }
	!(key($0) in seen) { seen[key($0)] = 1; extra[++m] = $0 }
	END {
		for (i = 1; i <= n; i++) print base[i]
		for (i = 1; i <= m; i++) print extra[i]
		printf "%s", trailer
	}' "$tmp/base.h" "$tmp/modules.h"
