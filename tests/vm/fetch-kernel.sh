#!/bin/bash
# Usage: fetch-kernel.sh [5.10|6.1|6.12]   (default 6.1, or $VM_KERNEL)
# Download (once) a Debian cloud kernel and busybox-static and unpack them; prints on stdout the
# directory holding `kernel` (the unpacked package), `vmlinuz` and `busybox-static`.
#   6.1  Debian 12 (bookworm), from the system's apt sources: $VM_CACHE itself (the old layout)
#   5.10 Debian 11 (bullseye), 6.12 Debian 13 (trixie): $VM_CACHE/debian11, $VM_CACHE/debian13,
#        fetched through a private apt state in that directory (the system's sources untouched).
# Needs root or a working `apt-get download`.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
VM_CACHE=${VM_CACHE:-$REPO/.cache/vm}
KERNEL=${1:-${VM_KERNEL:-6.1}}
MIRROR=${VM_DEBIAN_MIRROR:-http://deb.debian.org}
META_PKG=linux-image-cloud-amd64

log() { echo "fetch-kernel: $*" >&2; }

# APT_OPTS: empty for the system's apt state, else the private state's options (set_suite).
APT_OPTS=()

# set_suite DIR SUITE: use a private apt state in DIR with SUITE and SUITE-security.
set_suite() {
	local dir=$1 suite=$2 keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	mkdir -p "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial"
	cat > "$dir/apt/sources.list" <<-EOF
		deb [signed-by=$keyring] $MIRROR/debian $suite main
		deb [signed-by=$keyring] $MIRROR/debian-security $suite-security main
	EOF
	chmod -R a+rX "$dir/apt"
	APT_OPTS=(-o "Dir::Etc::SourceList=$dir/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$dir/apt/lists" -o "Dir::Cache=$dir/apt/cache"
		-o Dir::State::status=/dev/null -o APT::Architecture=amd64
		-o APT::Architectures=amd64)
	# One update a day at most; offline, the packages unpacked before are reused.
	if [ -z "$(find "$dir/apt/lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null)" ]; then
		log "apt-get update for $suite (private state in $dir/apt)"
		apt-get "${APT_OPTS[@]}" -q update 2>&1 | grep -v '^\(Hit\|Get\|Reading\)' >&2 || true
	fi
}

kernel_pkg() {
	apt-cache "${APT_OPTS[@]}" depends "$META_PKG" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n1
}

# fetch_unpack PKG DIR: apt-get download PKG and unpack it into DIR, unless DIR/.done exists.
fetch_unpack() {
	local pkg=$1 dir=$2 dl=$VM_CACHE/debs
	[ -e "$dir/.done" ] && return 0
	mkdir -p "$dl"
	chmod 755 "$VM_CACHE" "$dl" # _apt must be able to write here when run as root
	log "downloading $pkg"
	(cd "$dl" && apt-get "${APT_OPTS[@]}" download -q "$pkg" 2> >(grep -v 'unsandboxed' >&2)) >&2
	local deb
	deb=$(ls -t "$dl/${pkg}"_*.deb | head -n1)
	rm -rf "$dir"
	mkdir -p "$dir"
	dpkg-deb -x "$deb" "$dir"
	touch "$dir/.done"
}

main() {
	local dir suite
	case "$KERNEL" in
	6.1) dir=$VM_CACHE suite= ;;
	5.10) dir=$VM_CACHE/debian11 suite=bullseye ;;
	6.12) dir=$VM_CACHE/debian13 suite=trixie ;;
	*) log "unknown kernel '$KERNEL' (5.10, 6.1 or 6.12)"; exit 2 ;;
	esac
	mkdir -p "$dir"
	fetch_unpack busybox-static "$VM_CACHE/busybox-static"
	# ufw's own init script and rule templates: scenarios load a ruleset ufw generates.
	fetch_unpack ufw "$VM_CACHE/ufw" || log "warning: ufw not downloaded; its scenario skips"
	[ -z "$suite" ] || set_suite "$dir" "$suite"
	local kpkg
	kpkg=$(kernel_pkg)
	if [ -z "$kpkg" ]; then
		# Offline or no apt lists: reuse whatever kernel was unpacked before.
		kpkg=$(cat "$dir/kernel-pkg" 2>/dev/null || true)
		[ -n "$kpkg" ] || { log "cannot resolve $META_PKG for $KERNEL (run apt-get update)"; exit 1; }
		log "using cached $kpkg ($META_PKG not resolvable)"
	fi
	fetch_unpack "$kpkg" "$dir/$kpkg"
	echo "$kpkg" > "$dir/kernel-pkg"
	ln -sfn "$kpkg" "$dir/kernel"
	if [ "$dir" != "$VM_CACHE" ]; then
		ln -sfn ../busybox-static "$dir/busybox-static"
		ln -sfn ../ufw "$dir/ufw"
	fi
	local vmlinuz
	vmlinuz=$(cd "$dir" && ls kernel/boot/vmlinuz-* | head -n1)
	ln -sfn "$vmlinuz" "$dir/vmlinuz"
	echo "$dir"
}

main "$@"
